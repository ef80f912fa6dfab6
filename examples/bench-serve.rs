//! Measures how fast `planguide serve` serves a one-page body edit: starts the server on a
//! site (normally the 10k-pages-per-language benchmark corpus), edits one page's Markdown
//! N times, and for each edit times from the file write until the server answers the new
//! text. Like an open tab, it listens on the server's reload event stream and fetches the
//! page when told to (polling instead would take CPU from the rebuild it measures). Prints
//! every edit, each rebuild stage's median and the median latency. Run:
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --pages 10000 --out /dev/shm/c10k
//! cargo run --release --example bench-serve -- --root /dev/shm/c10k --edits 20
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use planguide::serve::{ServeEvent, ServeOptions};

/// The same allocator as the `planguide` binary, so the figures match `planguide serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Site to serve.
    #[arg(long)]
    root: PathBuf,
    /// Number of edits.
    #[arg(long, default_value_t = 20)]
    edits: usize,
    /// What each edit changes: `body` (a line added to the text) or `title` (the front
    /// matter's title, which changes the page graph: listings and switchers follow).
    #[arg(long, default_value = "body")]
    kind: EditKind,
}

/// The part of the page an edit changes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum EditKind {
    Body,
    Title,
}

/// The page's text after edit `marker`: a line added at the end, or the marker appended to
/// the title.
fn edited(original: &str, kind: EditKind, marker: &str) -> String {
    match kind {
        EditKind::Body => format!("{original}\n{marker}\n"),
        EditKind::Title => original.replacen("\ntitle: ", &format!("\ntitle: {marker} "), 1),
    }
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

/// Opens the live-reload event stream an open tab listens on; every `reload` event arrives
/// on the returned channel.
fn listen_for_reloads(
    port: u16,
) -> Result<std::sync::mpsc::Receiver<()>, Box<dyn std::error::Error>> {
    use std::io::BufRead;
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "GET /__planguide/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if line.trim_end() == "event: reload" && sender.send(()).is_err() {
                break;
            }
        }
    });
    Ok(receiver)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let options = ServeOptions {
        root: args.root.clone(),
        bind: "127.0.0.1".parse()?,
        port: 0,
        drafts: false,
    };
    let started = Instant::now();
    let server = planguide::serve::start(&options)?;
    let port = server.address().port();
    while let Some(event) = server.next_event(Duration::from_millis(50)) {
        if let ServeEvent::Rebuilt(summary) = event {
            println!(
                "initial build: {} ms ({summary})",
                started.elapsed().as_millis()
            );
        }
    }
    let page = pick_page(&args.root).ok_or("no guide page found under content/")?;
    let url = page_url(&page);
    let original = std::fs::read_to_string(args.root.join(&page))?;
    let reloads = listen_for_reloads(port)?;
    let mut samples = Vec::new();
    let mut stages = Vec::new();
    for edit in 0..args.edits {
        let marker = format!("bench-edit-{edit}-{}", std::process::id());
        while reloads.try_recv().is_ok() {}
        std::fs::write(args.root.join(&page), edited(&original, args.kind, &marker))?;
        let written = Instant::now();
        loop {
            let left = Duration::from_secs(30).saturating_sub(written.elapsed());
            if reloads.recv_timeout(left).is_err() {
                return Err("the edit was not served within 30 s".into());
            }
            if get(port, &url).contains(&marker) {
                break;
            }
        }
        let latency = written.elapsed();
        let summary = server.next_event(Duration::from_secs(5));
        let detail = match summary {
            Some(ServeEvent::Rebuilt(s)) => {
                stages.push(s.timings.clone());
                s.to_string()
            }
            _ => String::new(),
        };
        println!(
            "edit {edit:2}: served fresh after {:6.1} ms   [{detail}]",
            latency.as_secs_f64() * 1000.0
        );
        samples.push(latency);
        while server.next_event(Duration::from_millis(20)).is_some() {}
    }
    std::fs::write(args.root.join(&page), original)?;
    let _ = server.next_event(Duration::from_secs(5));
    print_stage_medians(&stages);
    samples.sort();
    let median = samples[samples.len() / 2];
    println!(
        "median over {} edits: {:.1} ms (min {:.1}, max {:.1}) for {url}",
        samples.len(),
        median.as_secs_f64() * 1000.0,
        samples[0].as_secs_f64() * 1000.0,
        samples[samples.len() - 1].as_secs_f64() * 1000.0
    );
    server.stop();
    Ok(())
}

/// Each stage's median over the edits' rebuilds (a single rebuild's figures vary too much
/// on a shared machine to say where the time goes).
fn print_stage_medians(rebuilds: &[planguide::pipeline::Timings]) {
    let all: Vec<_> = rebuilds
        .iter()
        .map(planguide::pipeline::Timings::stages)
        .collect();
    let Some(first) = all.first() else {
        return;
    };
    println!("stages of a rebuild (median over {} rebuilds):", all.len());
    for (position, (stage, _)) in first.iter().enumerate() {
        let mut times: Vec<f64> = all
            .iter()
            .filter_map(|stages| stages.get(position))
            .filter(|(name, _)| name == stage)
            .map(|(_, time)| time.as_secs_f64() * 1000.0)
            .collect();
        times.sort_by(f64::total_cmp);
        if let Some(median) = times.get(times.len() / 2) {
            println!("{stage:>12} {median:8.1} ms");
        }
    }
}

/// A renewal or purchase guide in the default language, e.g. `content/country-01/page-0001.zh.md`.
fn pick_page(root: &std::path::Path) -> Option<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(root)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .filter(|p| p.ends_with(".en.md") && !p.contains("_index") && p.matches('/').count() == 2)
        .collect();
    pages.sort();
    pages.get(pages.len() / 2).cloned()
}

/// `content/qatar/renew-phone.en.md` → `/en/qatar/renew-phone/`.
fn page_url(file: &str) -> String {
    let inside = file.trim_start_matches("content/").trim_end_matches(".md");
    let (stem, lang) = inside.rsplit_once('.').unwrap_or((inside, "en"));
    format!("/{lang}/{stem}/")
}

//! Measures how fast `planguide serve` serves a one-page body edit: starts the server on a
//! site (normally the 10k-pages-per-language benchmark corpus), edits one page's Markdown
//! N times, and for each edit times from the file write until the server answers the new
//! text. Prints every edit and the median. Run:
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
    let mut samples = Vec::new();
    for edit in 0..args.edits {
        let marker = format!("bench-edit-{edit}-{}", std::process::id());
        std::fs::write(args.root.join(&page), format!("{original}\n{marker}\n"))?;
        let written = Instant::now();
        while !get(port, &url).contains(&marker) {
            if written.elapsed() > Duration::from_secs(30) {
                return Err("the edit was not served within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let latency = written.elapsed();
        let summary = server.next_event(Duration::from_secs(5));
        let detail = match summary {
            Some(ServeEvent::Rebuilt(s)) => s.to_string(),
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
    if let Some(ServeEvent::Rebuilt(last)) = server.next_event(Duration::from_secs(5)) {
        print!("stages of a rebuild:\n{}", last.timings.report());
    }
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

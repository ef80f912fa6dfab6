//! The floor of the performance issue: a bare pulldown-cmark loop that reads every Markdown
//! file of a site, turns its body into HTML and writes one file per page, on `--threads`
//! threads, with nothing else a site generator does (no front matter parsing, templates,
//! links, search, minifying or fingerprints). The issue measured it at 0.42 s on one thread
//! and 0.23 s on two for the 2 × 10,000-page corpus; run here, it tells how fast this
//! machine is, so planguide's time can be read as a multiple of the floor on any machine.
//!
//! ```sh
//! cargo run --release --example bench-floor -- --root /dev/shm/c10k --out /dev/shm/floor --threads 2
//! ```
//!
//! `scripts/bench.sh` runs it beside planguide (and Hugo) for every corpus size.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use pulldown_cmark::{html, Options, Parser as Markdown};

#[derive(Parser)]
struct Args {
    /// Site whose `content/` is read.
    #[arg(long)]
    root: PathBuf,
    /// Folder the HTML files are written to (created).
    #[arg(long)]
    out: PathBuf,
    /// Threads; each takes an equal share of the files.
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let started = Instant::now();
    let files = markdown_files(&args.root.join("content"));
    let threads = args.threads.max(1);
    let share = files.len().div_ceil(threads).max(1);
    let written: std::io::Result<Vec<usize>> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(share)
            .map(|chunk| scope.spawn(|| convert_all(chunk, &args.root, &args.out)))
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .map_err(|_| std::io::Error::other("a worker thread panicked"))?
            })
            .collect()
    });
    let pages: usize = written?.iter().sum();
    println!(
        "bench-floor: {pages} pages on {threads} thread(s) in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

/// Every `.md` file under `content`, sorted, so each run splits the work the same way.
fn markdown_files(content: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Converts `files`, writing each as `<out>/<path inside the site>.html`.
fn convert_all(files: &[PathBuf], root: &Path, out: &Path) -> std::io::Result<usize> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut html_out = String::new();
    for file in files {
        let text = std::fs::read_to_string(file)?;
        html_out.clear();
        html::push_html(&mut html_out, Markdown::new_ext(body_of(&text), options));
        let inside = file.strip_prefix(root).unwrap_or(file);
        let target = out.join(inside).with_extension("html");
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(target, &html_out)?;
    }
    Ok(files.len())
}

/// The text after a leading `---` front matter block (the whole text when there is none).
fn body_of(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

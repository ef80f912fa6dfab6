//! The search index alone: compiles a site once as `planguide serve` does (pages rendered,
//! no index), then builds every language's index from those pages several times and prints
//! each run's wall time. The `search` line of `planguide build --timings` moves with the
//! machine's phase by ±15% from one build to the next; repeated runs in one process, and
//! their minimum, tell whether a change to the indexer made it faster.
//!
//! ```sh
//! cargo run --release --example bench-search -- --root /dev/shm/c10k --runs 7
//! ```
//!
//! The first run also loads the segmentation dictionary (a build loads it in the background
//! while pages render), so it is reported apart. The files are kept in memory, as `serve`
//! keeps them, so the writes a build makes are not counted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use planguide::pipeline::{self, SiteOptions};

/// The allocator `planguide` itself runs with, so allocation costs what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Site to index.
    #[arg(long)]
    root: PathBuf,
    /// Timed runs after the first.
    #[arg(long, default_value_t = 7)]
    runs: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let tree = pipeline::load(&args.root).map_err(|e| format!("{e:?}"))?;
    let options = SiteOptions {
        base_url: None,
        drafts: false,
        serving: true,
        minify_html: None,
    };
    let compiled = pipeline::compile_full(&tree, &options).map_err(|e| format!("{e:?}"))?;
    let index = || {
        let (start, cpu) = (Instant::now(), cpu_time());
        let files = pipeline::search_files(&compiled.site, &compiled.bodies, &compiled.i18n);
        let bytes: usize = files.values().map(Vec::len).sum();
        let took = Run {
            wall: start.elapsed(),
            cpu: cpu_time().saturating_sub(cpu),
        };
        (took, files.len(), bytes)
    };
    let (first, files, bytes) = index();
    println!(
        "{} pages: {files} index files, {bytes} bytes; first run (with the dictionary) {:.1} ms",
        compiled.site.pages.len(),
        ms(first.wall)
    );
    let runs: Vec<Run> = (0..args.runs).map(|_| index().0).collect();
    let listed: Vec<String> = runs
        .iter()
        .map(|r| format!("{:.0}/{:.0}", ms(r.wall), ms(r.cpu)))
        .collect();
    println!("runs (wall/cpu ms): {}", listed.join(" "));
    for (what, mut times) in [
        ("wall", runs.iter().map(|r| r.wall).collect::<Vec<_>>()),
        ("cpu ", runs.iter().map(|r| r.cpu).collect()),
    ] {
        times.sort();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let min = times.first().copied().unwrap_or_default();
        println!("{what}: min {:.1} ms, median {:.1} ms", ms(min), ms(median));
    }
    Ok(())
}

/// One indexing run's wall time and the process's CPU time (user + system, all threads).
struct Run {
    wall: Duration,
    cpu: Duration,
}

/// CPU time so far, from `/proc/self/stat` (Linux; zero elsewhere), in clock ticks of
/// 10 ms: coarse, but steadier than wall time when the machine's other tenants are busy.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

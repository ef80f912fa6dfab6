//! The search index against the rest of the build, in one process: each run compiles the
//! site as `planguide serve` does (every page parsed, rendered and templated, no index, no
//! writes), then builds every language's index from those pages, and prints both times and
//! their ratio.
//!
//! On a shared machine the speed of a run moves by ±30% from one minute to the next, so
//! neither time alone tells whether a change to the indexer made it faster; the ratio of
//! two runs made back to back does, and its median over several runs is steady to about a
//! percentage point. It is close to what the search issue bounds (the index's cost over the
//! rest of a clean build), but not the same: `planguide build --timings` also writes every
//! file, and its `search` line includes writing the index's.
//!
//! ```sh
//! cargo run --release --example bench-search -- --root /dev/shm/c10k --runs 7
//! ```

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
    /// Runs reported, after a first one that is not (it loads the segmentation dictionary).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
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
    let run = || -> Result<Run, String> {
        let start = Instant::now();
        let compiled = pipeline::compile_full(&tree, &options).map_err(|e| format!("{e:?}"))?;
        let middle = Instant::now();
        let files = pipeline::search_files(&compiled.site, &compiled.bodies, &compiled.i18n);
        let end = Instant::now();
        Ok(Run {
            compile: middle - start,
            index: end - middle,
            pages: compiled.site.pages.len(),
            files: files.len(),
            bytes: files.values().map(Vec::len).sum(),
        })
    };
    let first = run()?;
    println!(
        "{} pages: {} index files, {} bytes",
        first.pages, first.files, first.bytes
    );
    let runs = (0..args.runs)
        .map(|_| run())
        .collect::<Result<Vec<_>, _>>()?;
    for r in &runs {
        println!(
            "compile {:7.1} ms  index {:6.1} ms  index/compile {:5.1}%",
            ms(r.compile),
            ms(r.index),
            r.ratio()
        );
    }
    let mut ratios: Vec<f64> = runs.iter().map(Run::ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let middle = |i: usize| ratios.get(i).copied().unwrap_or_default();
    let n = ratios.len();
    let median = (middle((n - 1) / 2) + middle(n / 2)) / 2.0;
    let (low, high) = (
        ratios.first().copied().unwrap_or_default(),
        ratios.last().copied().unwrap_or_default(),
    );
    println!("index/compile: median {median:.1}% ({low:.1}-{high:.1}%)");
    Ok(())
}

/// One run's two timings and what the index came to.
struct Run {
    compile: Duration,
    index: Duration,
    pages: usize,
    files: usize,
    bytes: usize,
}

impl Run {
    fn ratio(&self) -> f64 {
        100.0 * self.index.as_secs_f64() / self.compile.as_secs_f64().max(1e-9)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

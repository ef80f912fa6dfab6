//! The `planguide` binary: parses arguments, runs the command, prints diagnostics, and sets
//! the exit code. The only place that exits the process.

mod cli;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use cli::{Cli, Command};
use planguide::error::render_text;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(&args),
    }
}

fn run_build(args: &cli::BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = args.options();
    match planguide::build(&options) {
        Ok(report) => {
            if !report.diagnostics.is_empty() {
                eprint!("{}", render_text(&report.diagnostics, &report.sources));
            }
            eprintln!(
                "built {} pages ({} files) into {} in {} ms, {} warning(s)",
                report.pages,
                report.files,
                options.output.display(),
                started.elapsed().as_millis(),
                report.diagnostics.warning_count()
            );
            ExitCode::SUCCESS
        }
        Err(failed) => {
            eprint!("{}", render_text(&failed.diagnostics, &failed.sources));
            eprintln!(
                "build failed: {} error(s), {} warning(s); {} was left unchanged",
                failed.diagnostics.error_count(),
                failed.diagnostics.warning_count(),
                options.output.display()
            );
            ExitCode::FAILURE
        }
    }
}

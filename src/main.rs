//! The `planguide` binary: parses arguments, runs the command, prints diagnostics, and sets
//! the exit code. The only place that exits the process.

mod cli;

/// A build allocates many short-lived strings on two threads at once; mimalloc cuts the
/// allocator's share of build time (glibc malloc was ~15% of a profile of a 20k-page build).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use cli::{Cli, Command, Format, NewCommand};
use planguide::error::{render_json, render_text};
use planguide::BuildFailed;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Check(args) => run_check(&args),
        Command::New(NewCommand::Site { dir }) => run_new_site(&dir),
        Command::New(NewCommand::Guide(args)) => run_new_guide(&args),
        Command::Stamp(args) => run_stamp(&args),
        Command::Serve(args) => run_serve(&args),
    }
}

fn run_serve(args: &cli::ServeArgs) -> ExitCode {
    use planguide::serve::{ServeError, ServeEvent};
    let open = args.open;
    let result = planguide::serve::run(&args.options(), |event| match event {
        ServeEvent::Listening { address, exposed } => {
            eprintln!("serving on http://{address}/ (in memory; public/ is not touched)");
            if exposed {
                eprintln!("warning: listening on {} exposes the preview to your network; use --bind 127.0.0.1 to keep it on this machine", address.ip());
            } else {
                eprintln!(
                    "listening on {} only, so the preview stays on this machine",
                    address.ip()
                );
            }
            if open {
                open_browser(&format!("http://{address}/"));
            }
        }
        ServeEvent::Rebuilt(summary) => eprintln!("{summary}"),
        ServeEvent::Failed {
            changed,
            diagnostics,
        } => {
            eprint!(
                "{}",
                render_text(&diagnostics, &planguide::error::SourceTexts::new())
            );
            if changed.is_empty() {
                eprintln!("the site does not build yet: the browser shows these errors and reloads once they are fixed");
            } else {
                eprintln!(
                    "{} changed: build failed; still serving the last good version",
                    changed.join(", ")
                );
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Load(failed)) => {
            print_failure(&failed);
            eprintln!("fix the errors above and run planguide serve again");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not start a browser; open {url} yourself");
    }
}

fn print_failure(failed: &BuildFailed) {
    eprint!("{}", render_text(&failed.diagnostics, &failed.sources));
}

fn run_build(args: &cli::BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = args.options();
    match planguide::build(&options) {
        Ok(report) => {
            if !report.diagnostics.is_empty() {
                eprint!("{}", render_text(&report.diagnostics, &report.sources));
            }
            if args.timings {
                eprint!("{}", report.timings.report());
            }
            if let Some(changes) = &report.changes {
                print!("{}", changes.to_lines());
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
            print_failure(&failed);
            let output = options.output.display();
            let kept = if options.output.exists() {
                format!("{output} was left unchanged")
            } else {
                format!("nothing was written to {output}")
            };
            eprintln!(
                "build failed: {} error(s), {} warning(s); {kept}",
                failed.diagnostics.error_count(),
                failed.diagnostics.warning_count(),
            );
            ExitCode::FAILURE
        }
    }
}

fn run_check(args: &cli::CheckArgs) -> ExitCode {
    let report = planguide::pipeline::check(&args.options());
    let diagnostics = &report.diagnostics;
    match args.format {
        Format::Json => println!("{}", render_json(diagnostics)),
        Format::Text => {
            print!("{}", render_text(diagnostics, &report.sources));
            println!(
                "{} error(s), {} warning(s)",
                diagnostics.error_count(),
                diagnostics.warning_count()
            );
        }
    }
    let failed = diagnostics.has_errors() || (args.strict && diagnostics.warning_count() > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_new_site(dir: &std::path::Path) -> ExitCode {
    let files = planguide::scaffold::new_site(cli::today());
    match planguide::output::create_new_files(dir, &files) {
        Ok(()) => {
            eprintln!("created a bilingual site in {} ({} files); build it with: planguide build --root {}", dir.display(), files.len(), dir.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_new_guide(args: &cli::NewGuideArgs) -> ExitCode {
    let site = match planguide::authoring::authoring(&args.root) {
        Ok(site) => site,
        Err(failed) => {
            print_failure(&failed);
            return ExitCode::FAILURE;
        }
    };
    let request = planguide::scaffold::GuideRequest {
        path: &args.path,
        kind: args.kind(),
        channel: args.channel(),
        today: cli::today(),
    };
    let created = planguide::scaffold::new_guide(&site.config, &site.i18n, &site.plans, &request)
        .and_then(|files| planguide::output::create_new_files(&args.root, &files).map(|()| files));
    match created {
        Ok(files) => {
            for file in files {
                eprintln!("created {}", args.root.join(&file.path).display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_stamp(args: &cli::StampArgs) -> ExitCode {
    if args.files.is_empty() && !args.all {
        eprintln!("error: name the translation files to stamp, or pass --all");
        return ExitCode::FAILURE;
    }
    match planguide::authoring::stamp(&args.root, &args.files, args.all) {
        Ok(stamped) => {
            for file in &stamped {
                eprintln!("stamped {file}");
            }
            eprintln!("{} translation(s) stamped", stamped.len());
            ExitCode::SUCCESS
        }
        Err(failed) => {
            print_failure(&failed);
            ExitCode::FAILURE
        }
    }
}

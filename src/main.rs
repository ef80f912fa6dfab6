//! The `planguide` binary: parses arguments, runs the command, prints diagnostics, and sets
//! the exit code. The only place that exits the process.

mod cli;

/// A line for the user on standard error. Unlike `eprintln!` it does not panic when stderr
/// is a pipe its reader closed (`planguide build 2>&1 | head`): there is nowhere left to
/// report that, and the command's outcome stays in its exit code.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Text for the user on standard error, without a line end added (see `note!`).
macro_rules! note_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

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
            note!("serving on http://{address}/ (in memory; public/ is not touched)");
            if exposed {
                note!("warning: listening on {} exposes the preview to your network; use --bind 127.0.0.1 to keep it on this machine", address.ip());
            } else {
                note!(
                    "listening on {} only, so the preview stays on this machine",
                    address.ip()
                );
            }
            if open {
                open_browser(&format!("http://{address}/"));
            }
        }
        ServeEvent::Rebuilt(summary) => note!("{summary}"),
        ServeEvent::Failed {
            changed,
            diagnostics,
        } => {
            note_raw!(
                "{}",
                render_text(&diagnostics, &planguide::error::SourceTexts::new())
            );
            if changed.is_empty() {
                note!("the site does not build yet: the browser shows these errors and reloads once they are fixed");
            } else {
                note!(
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
            note!("fix the errors above and run planguide serve again");
            ExitCode::FAILURE
        }
        Err(error) => {
            note!("error: {error}");
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
        note!("could not start a browser; open {url} yourself");
    }
}

fn print_failure(failed: &BuildFailed) {
    note_raw!("{}", render_text(&failed.diagnostics, &failed.sources));
}

fn run_build(args: &cli::BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = args.options();
    match planguide::build(&options) {
        Ok(report) => {
            if !report.diagnostics.is_empty() {
                note_raw!("{}", render_text(&report.diagnostics, &report.sources));
            }
            if args.timings {
                note_raw!("{}", report.timings.report());
            }
            if let Some(changes) = &report.changes {
                print_out(&changes.to_lines());
            }
            note!(
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
            note!(
                "build failed: {} error(s), {} warning(s); {kept}",
                failed.diagnostics.error_count(),
                failed.diagnostics.warning_count(),
            );
            ExitCode::FAILURE
        }
    }
}

/// Writes a report to standard output. A reader that stops early (`check | head`) closes
/// the pipe: that ends the output quietly instead of panicking as `print!` does.
fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            note!("error: cannot write the report to standard output: {error}");
        }
        _ => {}
    }
}

fn run_check(args: &cli::CheckArgs) -> ExitCode {
    let report = planguide::pipeline::check(&args.options());
    let diagnostics = &report.diagnostics;
    match args.format {
        Format::Json => print_out(&format!("{}\n", render_json(diagnostics))),
        Format::Text => print_out(&format!(
            "{}{} error(s), {} warning(s)\n",
            render_text(diagnostics, &report.sources),
            diagnostics.error_count(),
            diagnostics.warning_count()
        )),
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
            note!("created a bilingual site in {} ({} files); build it with: planguide build --root {}", dir.display(), files.len(), dir.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            note!("error: {message}");
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
            for file in &files {
                note!("created {}", args.root.join(&file.path).display());
            }
            let unlisted = files
                .first()
                .and_then(|file| site.folder_without_section(&file.path));
            if let Some(folder) = unlisted {
                note!("note: content/{folder}/ has no section page, so no listing links to the new guide yet; add content/{folder}/_index.<lang>.md in every language");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            note!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_stamp(args: &cli::StampArgs) -> ExitCode {
    if args.files.is_empty() && !args.all {
        note!("error: name the translation files to stamp, or pass --all");
        return ExitCode::FAILURE;
    }
    match planguide::authoring::stamp(&args.root, &args.files, args.all) {
        Ok(stamped) => {
            for file in &stamped.written {
                note!("stamped {file}");
            }
            note!(
                "{} translation(s) stamped, {} already current",
                stamped.written.len(),
                stamped.current.len()
            );
            ExitCode::SUCCESS
        }
        Err(failed) => {
            print_failure(&failed);
            ExitCode::FAILURE
        }
    }
}

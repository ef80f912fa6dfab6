//! Command-line arguments (clap derive), turned into the library's options structs. No logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use planguide::pipeline::{BuildOptions, SiteOptions};

/// planguide: build bilingual travel SIM / eSIM plan guides.
#[derive(Debug, Parser)]
#[command(name = "planguide", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (atomically: on error the old output stays).
    Build(BuildArgs),
}

/// `planguide build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override `base_url` from site.yaml (for preview deploys).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl BuildArgs {
    /// The library options for these arguments.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self
                .output
                .clone()
                .unwrap_or_else(|| self.root.join("public")),
            site: SiteOptions {
                base_url: self.base_url.clone(),
                drafts: self.drafts,
                serving: false,
            },
        }
    }
}

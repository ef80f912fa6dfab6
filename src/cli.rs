//! Command-line arguments (clap derive), turned into the library's options structs. No logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use planguide::content::{Channel, Date, GuideKind};
use planguide::pipeline::{BuildOptions, CheckOptions, SiteOptions};

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
    /// Validate the site without writing anything: links, translations, strings, plan data.
    Check(CheckArgs),
    /// Create a new site or a new guide in every language.
    #[command(subcommand)]
    New(NewCommand),
    /// Record that translations match their source now (sets `source_hash`).
    Stamp(StampArgs),
    /// Preview the site with live reload (in memory; never writes public/).
    Serve(ServeArgs),
}

/// `planguide serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site to serve.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address to listen on. The default keeps the preview on this machine; 0.0.0.0 exposes
    /// it to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port (0 picks any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    /// The library options for these arguments.
    pub fn options(&self) -> planguide::serve::ServeOptions {
        planguide::serve::ServeOptions {
            root: self.site.root.clone(),
            bind: self.bind,
            port: self.port,
            drafts: self.site.drafts,
        }
    }
}

/// Options shared by commands that read a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// `planguide build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site to build.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder; default `<root>/public`.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override `base_url` from site.yaml (for preview deploys).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print how long each stage took and the peak memory after it.
    #[arg(long)]
    pub timings: bool,
    /// Do not minify HTML (overrides `build.minify_html`).
    #[arg(long)]
    pub no_minify: bool,
    /// Print what changed (added/changed/removed files) against an earlier build's
    /// `.planguide/manifest.json`.
    #[arg(long, value_name = "OLD_MANIFEST")]
    pub changed_since: Option<PathBuf>,
}

impl BuildArgs {
    /// The library options for these arguments.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.site.root.clone(),
            output: self
                .output
                .clone()
                .unwrap_or_else(|| self.site.root.join("public")),
            site: SiteOptions {
                base_url: self.base_url.clone(),
                drafts: self.site.drafts,
                serving: false,
                minify_html: self.no_minify.then_some(false),
            },
            changed_since: self.changed_since.clone(),
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text with code excerpts.
    Text,
    /// Stable JSON for CI (documented in README).
    Json,
}

/// `planguide check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site to check.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Treat this date as today when ageing plan facts (YYYY-MM-DD; default: the system date).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<Date>,
}

impl CheckArgs {
    /// The library options for these arguments.
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            root: self.site.root.clone(),
            site: SiteOptions {
                drafts: self.site.drafts,
                ..SiteOptions::default()
            },
            today: self.today.unwrap_or_else(today),
        }
    }
}

/// `planguide new …`.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Scaffold a working bilingual site in DIR (which must not contain a site yet).
    Site {
        /// Folder to create the site in.
        dir: PathBuf,
    },
    /// Create a guide in every configured language, with front matter and a skeleton.
    Guide(NewGuideArgs),
}

/// Kind of guide for `new guide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Where and how to buy.
    Purchase,
    /// How to renew.
    Renewal,
    /// Plain page.
    Page,
}

/// Channel for `new guide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// Online.
    Online,
    /// At the airport (purchase).
    Airport,
    /// In a local shop (purchase).
    LocalShop,
    /// By phone (renewal).
    Phone,
    /// In store (renewal).
    InStore,
}

/// `planguide new guide`.
#[derive(Debug, Args)]
pub struct NewGuideArgs {
    /// Path inside content/ without language suffix, e.g. `qatar/renew-sms`.
    pub path: String,
    /// Kind of guide.
    #[arg(long, value_enum, default_value = "page")]
    pub kind: KindArg,
    /// Channel (required for purchase and renewal guides).
    #[arg(long, value_enum)]
    pub channel: Option<ChannelArg>,
    /// Site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl NewGuideArgs {
    /// The guide kind in library terms.
    pub fn kind(&self) -> GuideKind {
        match self.kind {
            KindArg::Purchase => GuideKind::Purchase,
            KindArg::Renewal => GuideKind::Renewal,
            KindArg::Page => GuideKind::Page,
        }
    }

    /// The channel in library terms.
    pub fn channel(&self) -> Option<Channel> {
        self.channel.map(|c| match c {
            ChannelArg::Online => Channel::Online,
            ChannelArg::Airport => Channel::Airport,
            ChannelArg::LocalShop => Channel::LocalShop,
            ChannelArg::Phone => Channel::Phone,
            ChannelArg::InStore => Channel::InStore,
        })
    }
}

/// `planguide stamp`.
#[derive(Debug, Args)]
pub struct StampArgs {
    /// Site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Stamp every translation in the site (use once when adopting planguide).
    #[arg(long)]
    pub all: bool,
    /// Translation files to stamp (relative to the site folder).
    pub files: Vec<String>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
}

//! planguide: a static-site generator for multilingual travel SIM / eSIM plan guides.
//!
//! A build is a pipeline of plain data (see [`pipeline`]): [`source`] reads files, [`config`]
//! and [`content`] parse them, [`site`] builds the page graph, [`markdown`] and
//! [`templates`] (with [`i18n`]) render it, [`render`] assembles the output set and
//! [`output`] writes it atomically. Only `source`, `output` and `serve` touch the disk or
//! the network; everything between is pure and unit-tested.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

pub mod assets;
pub mod authoring;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod highlight;
pub mod html;
pub mod i18n;
pub mod incremental;
pub mod manifest;
pub mod markdown;
pub mod minify;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod templates;
pub mod yaml;

pub use error::{BuildFailed, Diagnostic, Diagnostics, Severity};
pub use pipeline::{build, compile, BuildOptions, BuildReport, SiteOptions};

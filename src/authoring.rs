//! The authoring commands' side of the pipeline: `planguide new guide` reads the site's
//! config, strings and plan data without building it, and `planguide stamp` records in a
//! translation which source body it was made from. Kept apart from the build stages, which
//! never write into the site.

use crate::config::Config;
use crate::content::{normalize_text, Document};
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::output;
use crate::pipeline::{classify, failed, load, load_i18n, parse_config, SiteOptions};
use crate::site::paths;
use crate::source::SourceTree;

/// Reads what `planguide new guide` and `planguide stamp` need: config, strings, plan files.
pub struct Authoring {
    /// Parsed configuration.
    pub config: Config,
    /// UI strings.
    pub i18n: I18n,
    /// Plan files as (path, text).
    pub plans: Vec<(String, String)>,
    /// Every input file.
    pub tree: SourceTree,
}

impl Authoring {
    /// The folder of a new content file (`content/newland/renew-online.zh.md`) when it has
    /// no section page in any language: the guide would be listed nowhere until one exists.
    pub fn folder_without_section(&self, content_file: &str) -> Option<String> {
        let inside = content_file
            .strip_prefix("content/")
            .unwrap_or(content_file);
        let folder = inside.rsplit_once('/')?.0;
        let prefix = format!("content/{folder}/{}.", crate::site::paths::SECTION_INDEX);
        let has_section = self
            .tree
            .files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(path, _)| path.starts_with(&prefix));
        (!has_section).then(|| folder.to_string())
    }
}

/// Loads the site for authoring commands; fails on an unusable config.
pub fn authoring(root: &std::path::Path) -> Result<Authoring, BuildFailed> {
    let tree = load(root)?;
    let config = parse_config(&tree, &SiteOptions::default()).map_err(|d| failed(d, &tree))?;
    let mut ignored = Diagnostics::default();
    let inputs = classify(&tree, &config, &mut ignored);
    let i18n = load_i18n(&inputs, &config, &mut ignored);
    Ok(Authoring {
        config,
        i18n,
        plans: inputs
            .plan_data
            .iter()
            .filter_map(|(path, bytes)| {
                let text = std::str::from_utf8(bytes).ok()?;
                Some((path.clone(), normalize_text(text).into_owned()))
            })
            .collect(),
        tree,
    })
}

/// Records in each translation file the hash of its source-language body (`source_hash`), so
/// `check` can later tell when the source changed.
pub fn stamp(root: &std::path::Path, files: &[String], all: bool) -> Result<Stamped, BuildFailed> {
    let site = authoring(root)?;
    let targets: Vec<String> = if all {
        site.tree
            .files
            .keys()
            .filter(|p| p.starts_with("content/") && p.ends_with(".md"))
            .cloned()
            .collect()
    } else {
        files
            .iter()
            .map(|f| crate::source::relative_path(root, &root.join(f)).unwrap_or_else(|| f.clone()))
            .collect()
    };
    let mut stamped = Stamped::default();
    let mut problems = Diagnostics::default();
    for file in targets {
        match stamp_one(root, &site, &file) {
            Ok(Stamp::Written) => stamped.written.push(file),
            Ok(Stamp::Current) => stamped.current.push(file),
            Ok(Stamp::Source) if all => {}
            // Named on the command line, a source page is a mistake worth saying.
            Ok(Stamp::Source) => problems.push(Diagnostic::error(
                "stamp",
                &file,
                format!(
                    "this page is in the default language `{}`: stamp its translations, which record the source they were made from",
                    site.config.default_language
                ),
            )),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.has_errors() {
        return Err(failed(problems, &site.tree));
    }
    Ok(stamped)
}

/// What `stamp` did, so the command can say which files changed and which already matched.
#[derive(Debug, Default)]
pub struct Stamped {
    /// Translations whose `source_hash` was written or updated.
    pub written: Vec<String>,
    /// Translations that already recorded their source's current hash: left untouched.
    pub current: Vec<String>,
}

/// What stamping one file came to.
enum Stamp {
    Written,
    Current,
    /// A page in the default language: it is the source, there is nothing to record.
    Source,
}

fn stamp_one(root: &std::path::Path, site: &Authoring, file: &str) -> Result<Stamp, Diagnostic> {
    let identity =
        paths::identify(&site.config, file).map_err(|m| Diagnostic::error("file-name", file, m))?;
    let text = site.tree.text(file).ok_or_else(|| {
        Diagnostic::error("stamp", file, "no such UTF-8 file in the site's content/")
    })?;
    if identity.lang == site.config.default_language {
        return Ok(Stamp::Source);
    }
    let source_file = format!(
        "content/{}.{}.md",
        identity.key, site.config.default_language
    );
    let source_text = site.tree.text(&source_file).ok_or_else(|| {
        Diagnostic::error(
            "stamp",
            file,
            format!("its source {source_file} does not exist"),
        )
    })?;
    let source =
        Document::parse(&source_file, &normalize_text(source_text)).map_err(|problems| {
            problems.into_iter().next().unwrap_or_else(|| {
                Diagnostic::error("stamp", &source_file, "cannot parse the source")
            })
        })?;
    let updated =
        crate::scaffold::stamp_source_hash(text, &crate::content::body_hash(&source.body()))
            .map_err(|m| Diagnostic::error("stamp", file, m))?;
    if updated == text {
        return Ok(Stamp::Current);
    }
    output::replace_file(&root.join(file), updated.as_bytes())
        .map_err(|e| Diagnostic::error("io", file, e.to_string()))?;
    Ok(Stamp::Written)
}

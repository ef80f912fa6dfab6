//! Site-wide checks that look across pages: links and anchors (errors, also run by `build`),
//! and the editorial report of `planguide check` (warnings): missing and stale translations,
//! step and checklist counts that differ between languages, Fluent keys used but undefined
//! or defined but unused, and plan facts not verified for too long. Pure.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::Date;
use crate::error::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::{LinkUse, Rendered};
use crate::output::{page_file, OutputSet};
use crate::site::{paths, Page, Site};
use crate::templates::TemplateSource;

/// Fluent keys the Rust side formats with (not visible in templates).
pub const KEYS_USED_BY_CODE: &[&str] = &[
    "date-format",
    "price-format",
    "data-gb",
    "data-mb",
    "data-unlimited",
    "duration-days",
    "duration-minutes",
];

/// Prefixes of keys the Rust side builds from enumerations (`payment-card`, …).
pub const KEY_PREFIXES_USED_BY_CODE: &[&str] = &["payment-", "store-", "channel-", "scaffold-"];

/// Every internal link, anchor and image in every page must resolve in the built output;
/// a link that silently lands in another language is a warning.
///
/// A `memo` (serve) keeps each page's findings for the next rebuild: they are reused when
/// the config is the same (`same_config`: base path and languages are what a finding reads
/// besides the page's body, file and language), the output has the same files, the page's
/// body is the same and every page its `#anchor` links point into kept its ids.
pub fn links(
    site: &Site,
    bodies: &[std::sync::Arc<Rendered>],
    output: &OutputSet,
    page_ids: &ahash::AHashMap<String, std::sync::Arc<crate::incremental::PageEntry>>,
    memo: Option<&mut LinkMemo>,
    same_config: bool,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let scanned = std::sync::Mutex::new(BTreeMap::new());
    let ids_cache = Anchors {
        pages: page_ids,
        scanned: &scanned,
    };
    let mut no_memo = LinkMemo::default();
    let keep = memo.is_some();
    let memo = memo.unwrap_or(&mut no_memo);
    let files = keep.then(|| output_files_fingerprint(output));
    if !(same_config && memo.files == files) {
        memo.pages.clear();
    }
    // `None`: what the memo holds for the page still stands.
    let fresh: Vec<Option<LinkFindings>> = site
        .pages
        .par_iter()
        .zip(bodies)
        .map(|(page, body)| match memo.pages.get(&page.file) {
            Some(found) if found.still_valid(body, page_ids) => None,
            _ => Some(check_page(site, page, body, output, &ids_cache)),
        })
        .collect();
    let mut problems = Vec::new();
    for (page, findings) in site.pages.iter().zip(&fresh) {
        let found = findings.as_ref().or_else(|| memo.pages.get(&page.file));
        problems.extend(found.iter().flat_map(|f| f.problems.iter().cloned()));
    }
    problems.sort();
    if keep {
        memo.files = files;
        for (page, findings) in site.pages.iter().zip(fresh) {
            match findings {
                Some(found) if !found.anchors.other_files => {
                    memo.pages.insert(page.file.clone(), found);
                }
                Some(_) => {
                    memo.pages.remove(&page.file);
                }
                None => {}
            }
        }
    }
    problems
}

/// Link findings kept between serve rebuilds (see [`links`]).
#[derive(Debug, Default)]
pub struct LinkMemo {
    files: Option<u64>,
    pages: ahash::AHashMap<String, LinkFindings>,
}

/// What checking one page's links found, and what the answer depended on.
#[derive(Debug)]
struct LinkFindings {
    body: std::sync::Arc<Rendered>,
    anchors: Consulted,
    problems: Vec<Diagnostic>,
}

/// The anchor lists a page's links were checked against.
#[derive(Debug, Default)]
struct Consulted {
    /// The id lists of the pages its `#anchor` links point into.
    pages: Vec<(String, std::sync::Arc<[String]>)>,
    /// An anchor was looked up in a file that is not a page, whose ids are not tracked
    /// between builds: the page is checked again next time.
    other_files: bool,
}

impl LinkFindings {
    fn still_valid(
        &self,
        body: &std::sync::Arc<Rendered>,
        page_ids: &ahash::AHashMap<String, std::sync::Arc<crate::incremental::PageEntry>>,
    ) -> bool {
        std::sync::Arc::ptr_eq(&self.body, body)
            && self.anchors.pages.iter().all(|(file, ids)| {
                page_ids
                    .get(file)
                    .is_some_and(|entry| std::sync::Arc::ptr_eq(&entry.ids, ids))
            })
    }
}

fn check_page(
    site: &Site,
    page: &Page,
    body: &std::sync::Arc<Rendered>,
    output: &OutputSet,
    anchors: &Anchors<'_>,
) -> LinkFindings {
    let mut consulted = Consulted::default();
    let problems = body
        .links
        .iter()
        .filter_map(|link| check_link(site, page, link, output, anchors, &mut consulted))
        .collect();
    LinkFindings {
        body: body.clone(),
        anchors: consulted,
        problems,
    }
}

/// Which files the output has: a link that pointed at nothing may point at a new file.
fn output_files_fingerprint(output: &OutputSet) -> u64 {
    let mut fp = crate::incremental::Fingerprinter::default();
    for path in output.files.keys().chain(output.streamed.keys()) {
        fp.add(path);
    }
    fp.finish()
}

/// Where anchor ids come from: recorded while pages rendered, or scanned from other files
/// (once each).
struct Anchors<'a> {
    pages: &'a ahash::AHashMap<String, std::sync::Arc<crate::incremental::PageEntry>>,
    scanned: &'a std::sync::Mutex<BTreeMap<String, std::sync::Arc<BTreeSet<String>>>>,
}

impl Anchors<'_> {
    /// Whether `file` has the id `anchor`; what was looked at is noted in `consulted`.
    fn has(&self, output: &OutputSet, file: &str, anchor: &str, consulted: &mut Consulted) -> bool {
        if let Some(entry) = self.pages.get(file) {
            consulted.pages.push((file.to_string(), entry.ids.clone()));
            return entry.ids.iter().any(|id| id == anchor);
        }
        consulted.other_files = true;
        let cached = self.scanned.lock().ok().and_then(|c| c.get(file).cloned());
        let ids = cached.unwrap_or_else(|| {
            let ids = std::sync::Arc::new(ids_in(output, file));
            if let Ok(mut c) = self.scanned.lock() {
                c.insert(file.to_string(), ids.clone());
            }
            ids
        });
        ids.contains(anchor)
    }
}

fn check_link(
    site: &Site,
    page: &Page,
    link: &LinkUse,
    output: &OutputSet,
    anchors: &Anchors<'_>,
    consulted: &mut Consulted,
) -> Option<Diagnostic> {
    let target = link.target.trim();
    if is_external(target) {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (target, None),
    };
    // A query string (`/en/about/?ref=mail`) does not change which file is served.
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    let prefix = site.config.base_url.path_prefix();
    if path.starts_with('/') && prefix != "/" && !path.starts_with(prefix) {
        return Some(
            Diagnostic::error("broken-link", &page.file, format!("link `{target}` leaves out the base path `{prefix}` the site is published under"))
                .at(link.line, link.column)
                .hint("write content links as `@/folder/page.md`; they get the base path automatically"),
        );
    }
    let (file, explicit_lang) = resolve_target(site, page, path)?;
    let what = if link.is_image { "image" } else { "link" };
    if !output.contains(&file) {
        return Some(
            Diagnostic::error("broken-link", &page.file, format!("{what} `{target}` points at nothing in the built site"))
                .at(link.line, link.column)
                .hint("content links are written `@/folder/page.md`; files next to content as `@/folder/file.png`"),
        );
    }
    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
        let known = anchors.has(output, &file, &anchor, consulted);
        if !known {
            return Some(
                Diagnostic::error("broken-anchor", &page.file, format!("`#{anchor}` does not exist on {}", file.trim_end_matches("index.html")))
                    .at(link.line, link.column)
                    .hint("heading ids keep Chinese text and lowercase ASCII: `## 续费前须知` → `#续费前须知`"),
            );
        }
    }
    let target_lang = file.split('/').next().unwrap_or("");
    let other_language =
        file.contains('/') && site.config.has_language(target_lang) && target_lang != page.lang;
    (other_language && !explicit_lang && !link.is_image).then(|| {
        Diagnostic::warning(
            "cross-language-link",
            &page.file,
            format!("link `{target}` leads `{}` readers to the `{target_lang}` version", page.lang),
        )
        .at(link.line, link.column)
        .hint(format!("translate the target into `{}`, or name the language explicitly (`@/….{target_lang}.md`)", page.lang))
    })
}

fn is_external(target: &str) -> bool {
    target.starts_with("//")
        || target.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !scheme.contains('/')
        })
}

/// The output file a link from `page` points at, and whether it named its language.
fn resolve_target(site: &Site, page: &Page, path: &str) -> Option<(String, bool)> {
    if path.is_empty() {
        return Some((page.output.clone(), false));
    }
    if let Some(content_path) = path.strip_prefix("@/") {
        return resolve_content_link(site, page, content_path);
    }
    let site_path = if let Some(root_relative) = path.strip_prefix('/') {
        let prefix = site.config.base_url.path_prefix().trim_start_matches('/');
        format!(
            "/{}",
            root_relative.strip_prefix(prefix).unwrap_or(root_relative)
        )
    } else {
        join_relative(&page.path, path)
    };
    Some((page_file(&percent_decode(&site_path)), false))
}

/// `None` when the page does not exist: the Markdown stage already reported that link.
fn resolve_content_link(site: &Site, page: &Page, content_path: &str) -> Option<(String, bool)> {
    match paths::link_key(&site.config, content_path) {
        Some((key, explicit)) => {
            let lang = explicit.clone().unwrap_or_else(|| page.lang.clone());
            let target = site.version_for(&key, &lang)?;
            Some((target.output.clone(), explicit.is_some()))
        }
        None => Some((content_path.trim_start_matches('/').to_string(), false)),
    }
}

/// Resolves `../x/` against a page's site path.
fn join_relative(base: &str, relative: &str) -> String {
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = if relative.ends_with('/') || relative.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{trailing}", segments.join("/"))
}

fn ids_in(output: &OutputSet, file: &str) -> BTreeSet<String> {
    output
        .get(file)
        .map(|bytes| anchor_ids(bytes).into_iter().collect())
        .unwrap_or_default()
}

/// Every `id="…"` in an HTML document: the anchors links may point at.
pub fn anchor_ids(html: &[u8]) -> Vec<String> {
    const NEEDLE: &[u8] = b" id=\"";
    let mut ids: Vec<String> = memchr::memmem::find_iter(html, NEEDLE)
        .filter_map(|at| {
            let start = at + NEEDLE.len();
            let end = start + memchr::memchr(b'"', &html[start..])?;
            let id = std::str::from_utf8(&html[start..end]).ok()?;
            Some(crate::html::unescape_basic(id))
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Decodes `%E6%AD%A5` sequences (UTF-8), leaving malformed ones as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// What the editorial report needs besides the site.
pub struct EditorialInput<'a> {
    /// The page graph.
    pub site: &'a Site,
    /// Markdown output per page.
    pub bodies: &'a [std::sync::Arc<Rendered>],
    /// UI strings.
    pub i18n: &'a I18n,
    /// Templates in use.
    pub templates: &'a [TemplateSource],
    /// Today, for plan-fact ages.
    pub today: Date,
    /// Files with errors (when `check` goes on after a failed build): a page or string file
    /// that did not load is not reported again as missing.
    pub broken: &'a BTreeSet<String>,
}

/// Warnings for editors: translations, structure, strings and data freshness.
pub fn editorial(input: &EditorialInput<'_>) -> Vec<Diagnostic> {
    let mut problems = translations(input.site, input.bodies, input.broken);
    if !input.broken.iter().any(|file| file.ends_with(".ftl")) {
        problems.extend(fluent_keys(input.site, input.i18n, input.templates));
    }
    problems.extend(plan_ages(input.site, input.today));
    problems.extend(future_updates(input.site, input.today));
    problems
}

/// A guide `updated` after today is a typo for a past date, most likely: the feed and
/// sitemap would date it wrongly, and it would sort first in the feed until then.
fn future_updates(site: &Site, today: Date) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|page| {
            let updated = page.front().updated.as_ref()?;
            (updated.value.days_since_epoch() > today.days_since_epoch()).then(|| {
                Diagnostic::warning(
                    "future-date",
                    &page.file,
                    format!(
                        "`updated: {}` is in the future (today is {today})",
                        updated.value
                    ),
                )
                .at(updated.line, 1)
                .hint("`updated` is the day the guide was last revised")
            })
        })
        .collect()
}

/// Missing translations (with the fallback readers get), stale translations, and step or
/// checklist counts that differ from the source language.
fn translations(
    site: &Site,
    bodies: &[std::sync::Arc<Rendered>],
    broken: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let config = &site.config;
    let default = &config.default_language;
    let mut problems = Vec::new();
    for (key, versions) in site.translations.iter() {
        let Some(&source_index) = versions.get(default).or_else(|| versions.values().next()) else {
            continue;
        };
        let source = &site.pages[source_index];
        for language in &config.languages {
            match versions.get(&language.code) {
                None => {
                    let file = translation_file(source, &language.code);
                    if !broken.contains(&file) {
                        let draft = site.drafts.contains(&file);
                        problems.push(missing_translation(
                            key,
                            source,
                            &language.code,
                            &file,
                            draft,
                        ));
                    }
                }
                Some(&index) if index != source_index => {
                    let page = &site.pages[index];
                    problems.extend(stale_translation(page, source));
                    problems.extend(count_mismatch(
                        page,
                        &bodies[index],
                        source,
                        &bodies[source_index],
                    ));
                }
                Some(_) => {}
            }
        }
    }
    problems
}

/// A translation readers cannot see yet (its `file`): not written, or written as a draft.
fn missing_translation(
    key: &str,
    source: &Page,
    lang: &str,
    file: &str,
    draft: bool,
) -> Diagnostic {
    let fallback = if key == paths::SECTION_INDEX {
        "a page without introduction".to_string()
    } else {
        format!(
            "the {} version in listings, and /{lang}/ from the language switcher",
            source.lang
        )
    };
    if draft {
        return Diagnostic::warning(
            "missing-translation",
            &source.file,
            format!("the `{lang}` translation is a draft; `{lang}` readers get {fallback}"),
        )
        .hint(format!(
            "remove `draft: true` from {file} when it is ready (--drafts previews it)"
        ));
    }
    Diagnostic::warning(
        "missing-translation",
        &source.file,
        format!("no `{lang}` translation; `{lang}` readers get {fallback}"),
    )
    .hint(format!(
        "create {file} (planguide new guide can scaffold it)"
    ))
}

/// Where the `lang` translation of `source` lives: `content/a/b.zh.md` → `content/a/b.en.md`.
fn translation_file(source: &Page, lang: &str) -> String {
    let stem = source
        .file
        .rsplit_once('.')
        .map_or(source.file.as_str(), |(s, _)| s);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    format!("{stem}.{lang}.md")
}

fn stale_translation(page: &Page, source: &Page) -> Option<Diagnostic> {
    match &page.front().source_hash {
        Some(hash) if source.document.body_hash().is_none_or(|b| b == hash) => None,
        Some(_) => Some(
            Diagnostic::warning(
                "stale-translation",
                &page.file,
                format!(
                    "translation may be out of date: {} changed after it was translated",
                    source.file
                ),
            )
            .at(1, 1)
            .hint(format!(
                "update the translation, then run `planguide stamp {}`",
                page.file
            )),
        ),
        None => Some(
            Diagnostic::warning(
                "unstamped-translation",
                &page.file,
                format!(
                    "no `source_hash`: cannot tell whether it matches {}",
                    source.file
                ),
            )
            .hint(format!(
                "after checking the translation, run `planguide stamp {}`",
                page.file
            )),
        ),
    }
}

fn count_mismatch(
    page: &Page,
    body: &Rendered,
    source: &Page,
    source_body: &Rendered,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (what, mine, theirs) in [
        ("numbered steps", body.steps, source_body.steps),
        ("checklist items", body.checklist, source_body.checklist),
    ] {
        if mine != theirs {
            problems.push(Diagnostic::warning(
                "structure-mismatch",
                &page.file,
                format!("{mine} {what} here, {theirs} in {}", source.file),
            ));
        }
    }
    let (front, theirs) = (page.front(), source.front());
    let describe = |f: &crate::content::FrontMatter| {
        let channel = f
            .channel
            .map_or(String::new(), |c| format!(", channel {}", c.as_str()));
        format!("kind {}{channel}", f.kind.as_str())
    };
    if (front.kind, front.channel) != (theirs.kind, theirs.channel) {
        // Readers switching language would land on a different kind of guide.
        problems.push(Diagnostic::warning(
            "structure-mismatch",
            &page.file,
            format!(
                "{} here, {} in {}",
                describe(front),
                describe(theirs),
                source.file
            ),
        ));
    }
    problems
}

/// Keys used in templates must exist in every language; keys nobody uses are listed.
fn fluent_keys(site: &Site, i18n: &I18n, templates: &[TemplateSource]) -> Vec<Diagnostic> {
    let mut used: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut prefixes: BTreeSet<String> = KEY_PREFIXES_USED_BY_CODE
        .iter()
        .map(|p| p.to_string())
        .collect();
    for template in templates {
        for (line_index, line) in template.text.lines().enumerate() {
            for (key, is_prefix) in keys_in_line(line) {
                if is_prefix {
                    prefixes.insert(key);
                } else {
                    used.entry(key)
                        .or_insert((template.file.clone(), line_index + 1));
                }
            }
        }
    }
    let is_used = |key: &str| {
        used.contains_key(key)
            || KEYS_USED_BY_CODE.contains(&key)
            || prefixes.iter().any(|p| key.starts_with(p.as_str()))
    };
    let default = site.config.default_language.as_str();
    let mut problems = Vec::new();
    for language in &site.config.languages {
        let lang = language.code.as_str();
        for (key, (file, line)) in &used {
            if i18n.definition(lang, key).is_none() {
                problems.push(
                    Diagnostic::warning(
                        "missing-string",
                        file,
                        format!("UI string `{key}` is used here but not defined for `{lang}`"),
                    )
                    .at(*line, 1)
                    .hint(format!("add `{key} = …` to i18n/{lang}/")),
                );
            }
        }
        problems.extend(strings_across_languages(
            i18n, lang, default, &used, &is_used,
        ));
    }
    problems
}

/// The keys of one language measured against the default language: unused ones (once, in
/// the language that defines them) and, among used ones that templates do not name (those
/// were reported at the template line), the ones missing on either side.
fn strings_across_languages(
    i18n: &I18n,
    lang: &str,
    default: &str,
    used_by_templates: &BTreeMap<String, (String, usize)>,
    is_used: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (key, at) in i18n.keys(lang) {
        let diagnostic = if !is_used(key) {
            Diagnostic::warning(
                "unused-string",
                &at.file,
                format!("UI string `{key}` is defined but no template uses it"),
            )
            .hint("remove it, or use it in a template")
        } else if i18n.definition(default, key).is_none() && !used_by_templates.contains_key(key) {
            Diagnostic::warning(
                "missing-string",
                &at.file,
                format!("UI string `{key}` is defined for `{lang}` but not for the default language `{default}`"),
            )
            .hint(format!("add `{key} = …` to i18n/{default}/"))
        } else {
            continue;
        };
        problems.push(diagnostic.at(at.line, 1));
    }
    if lang != default {
        for (key, at) in i18n.keys(default) {
            let missing = i18n.definition(lang, key).is_none();
            if missing && is_used(key) && !used_by_templates.contains_key(key) {
                problems.push(
                    Diagnostic::warning(
                        "missing-string",
                        &at.file,
                        format!("UI string `{key}` is not defined for `{lang}`; its readers get the `{default}` text"),
                    )
                    .at(at.line, 1)
                    .hint(format!("add `{key} = …` to i18n/{lang}/")),
                );
            }
        }
    }
    problems
}

/// Literal keys in `t(key="…")` calls on one template line; `key="prefix-" ~ x` yields a
/// prefix.
fn keys_in_line(line: &str) -> Vec<(String, bool)> {
    let mut keys = Vec::new();
    for (index, _) in line.match_indices("t(key=") {
        let rest = &line[index + 6..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let key = rest[1..1 + end].to_string();
        let after = rest[end + 2..].trim_start();
        keys.push((key, after.starts_with('~')));
    }
    keys
}

/// Plans whose facts were verified longer ago than `stale_after_days`.
fn plan_ages(site: &Site, today: Date) -> Vec<Diagnostic> {
    let limit = i64::from(site.config.build.stale_after_days);
    site.plans
        .values()
        .filter_map(|plan| {
            let age = today.days_since_epoch() - plan.verified.days_since_epoch();
            if age < 0 {
                return Some(
                    Diagnostic::warning(
                        "stale-plan",
                        &plan.file,
                        format!("plan `{}` says it was verified on {}, which is in the future", plan.id, plan.verified),
                    )
                    .at(plan.line, 1)
                    .hint("`verified` is the date someone last checked the facts"),
                );
            }
            (age > limit).then(|| {
                Diagnostic::warning(
                    "stale-plan",
                    &plan.file,
                    format!("plan `{}` was last verified {age} days ago ({}); prices may have changed", plan.id, plan.verified),
                )
                .at(plan.line, 1)
                .hint(format!("check the facts and update `verified`, or raise build.stale_after_days (now {limit})"))
            })
        })
        .collect()
}

/// What weighing a page needs: the budget and the gzip size of every CSS and JS file by
/// its output path.
#[derive(Debug, Clone, Default)]
pub struct WeightBudget {
    /// Budget in bytes (gzip, page plus what it loads).
    pub bytes: u64,
    /// Output path (`css/style.3f9a1c2b.css`) → gzip size.
    pub assets: BTreeMap<String, u64>,
    /// The base URL's path without slashes around it, stripped from asset URLs.
    pub prefix: String,
}

impl WeightBudget {
    /// Prepares the budget for a site's assets.
    pub fn new(
        budget_kb: u64,
        assets: &BTreeMap<String, std::sync::Arc<[u8]>>,
        prefix: &str,
    ) -> Self {
        use rayon::prelude::*;
        let sizes = assets
            .par_iter()
            .filter(|(path, _)| path.ends_with(".css") || path.ends_with(".js"))
            .map(|(path, bytes)| (path.clone(), gzip_size(bytes)))
            .collect();
        WeightBudget {
            bytes: budget_kb.saturating_mul(1024),
            assets: sizes,
            prefix: prefix.trim_matches('/').to_string(),
        }
    }

    /// The page's gzip weight with the CSS and JS it loads, when that exceeds the budget.
    /// Cheap for most pages: only a page whose raw size could exceed it is compressed.
    pub fn over_budget(&self, html: &[u8]) -> Option<u64> {
        let all_assets: u64 = self.assets.values().sum();
        if html.len() as u64 + all_assets <= self.bytes {
            return None;
        }
        let text = String::from_utf8_lossy(html);
        let resources: u64 = referenced_assets(&text)
            .iter()
            .filter_map(|url| {
                let path = url.trim_start_matches('/');
                let path = path
                    .strip_prefix(self.prefix.as_str())
                    .map_or(path, |p| p.trim_start_matches('/'));
                self.assets.get(path)
            })
            .sum();
        if html.len() as u64 + resources <= self.bytes {
            return None;
        }
        let total = gzip_size(html) + resources;
        (total > self.bytes).then_some(total)
    }
}

/// Pages heavier than `build.page_weight_budget_kb` (gzip, with the CSS and JS they load)
/// are warned about: a traveller on a failing connection pays for every kilobyte.
pub fn page_weight(
    site: &Site,
    weights: &ahash::AHashMap<String, u64>,
    budget_kb: u64,
) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|page| {
            let total = *weights.get(&page.output)?;
            Some(
                Diagnostic::warning(
                    "page-weight",
                    &page.file,
                    format!(
                        "{} weighs {:.1} KB gzip with its CSS and JS; the budget is {budget_kb} KB",
                        page.path,
                        total as f64 / 1024.0
                    ),
                )
                .hint("shorten the page, or raise build.page_weight_budget_kb in site.yaml"),
            )
        })
        .collect()
}

/// Stylesheets and scripts a page loads by itself (not on interaction).
fn referenced_assets(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    // The service worker a page registers is fetched on the first visit too.
    for tag in [
        "<link rel=\"stylesheet\" href=\"",
        "<script src=\"",
        "data-sw=\"",
    ] {
        for (index, _) in html.match_indices(tag) {
            let start = index + tag.len();
            if let Some(end) = html[start..].find('"') {
                urls.push(html[start..start + end].to_string());
            }
        }
    }
    urls
}

/// Bytes after gzip at the default level, as a CDN would send them. Past 256 KB the fast
/// level is used: the default level's match search slows to a crawl on long, repetitive
/// HTML (a home page listing 100,000 guides), and such a page is far over any budget anyway.
pub fn gzip_size(bytes: &[u8]) -> u64 {
    use std::io::Write;
    let level = if bytes.len() > 256 * 1024 {
        flate2::Compression::fast()
    } else {
        flate2::Compression::default()
    };
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
    if encoder.write_all(bytes).is_err() {
        return bytes.len() as u64;
    }
    encoder
        .finish()
        .map_or(bytes.len() as u64, |out| out.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first visit also fetches the service worker the page registers; a budget that
    /// left it out undercounted every page.
    #[test]
    fn page_weight_counts_the_service_worker() {
        let mut state = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..6000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let assets = BTreeMap::from([("sw.js".to_string(), std::sync::Arc::from(noise))]);
        let budget = WeightBudget::new(4, &assets, "");
        assert!(budget
            .over_budget(b"<html data-sw=\"/sw.js\"><p>x</p></html>")
            .is_some());
        assert!(budget.over_budget(b"<html><p>x</p></html>").is_none());
        assert_eq!(WeightBudget::new(u64::MAX, &assets, "").bytes, u64::MAX);
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            join_relative("/zh/qatar/renew-phone/", "../renew-online/"),
            "/zh/qatar/renew-online/"
        );
        assert_eq!(
            join_relative("/zh/qatar/", "renew-online/"),
            "/zh/qatar/renew-online/"
        );
    }

    #[test]
    fn recognises_external_links() {
        assert!(is_external("https://example.com/"));
        assert!(is_external("tel:+974"));
        assert!(is_external("mailto:a@example.com"));
        assert!(!is_external("/zh/qatar/"));
        assert!(!is_external("@/qatar/x.md"));
        assert!(!is_external("../x/"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E6%AD%A5%E9%AA%A4"), "步骤");
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn finds_template_keys_and_prefixes() {
        let keys =
            keys_in_line(r#"{{ t(key="facts-copy") }} {{ t(key="channel-" ~ page.channel) }}"#);
        assert_eq!(
            keys,
            vec![
                ("facts-copy".to_string(), false),
                ("channel-".to_string(), true)
            ]
        );
    }
}

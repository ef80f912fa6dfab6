//! Site → output files, pure: every page in every language through its template, plus the
//! root language picker, the 404 pages, alias redirects and the sitemap. Pages render in
//! parallel; the result is a sorted [`OutputSet`](crate::output::OutputSet) fragment.

pub mod context;
pub mod deploy;
pub mod feeds;
pub mod sitemap;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::incremental::PageEntry;
use crate::markdown::Rendered;
use crate::output::page_file;
use crate::site::Site;
use crate::templates::{LookupData, Templates};
pub use context::{ContextBuilder, PageContext};

/// What page rendering needs besides the site.
pub struct RenderInput<'a> {
    /// The page graph.
    pub site: &'a Site,
    /// Markdown output for each page, indexed like `site.pages`.
    pub bodies: &'a [Arc<Rendered>],
    /// Compiled templates.
    pub templates: &'a Templates,
    /// Precomputed views shared by all pages.
    pub contexts: &'a ContextBuilder<'a>,
    /// What template lookup functions answer, to validate cached pages.
    pub lookup: &'a LookupData,
    /// Minify HTML as pages are produced.
    pub minify_html: bool,
    /// When writing to disk, pages go here as soon as they are rendered.
    pub sink: Option<&'a dyn crate::output::PageSink>,
    /// When building, pages heavier than this are reported.
    pub weight: Option<&'a crate::check::WeightBudget>,
}

/// The template a page is rendered with.
pub fn template_for(site: &Site, index: usize) -> String {
    let page = &site.pages[index];
    if let Some(name) = &page.front().template {
        return name.value.clone();
    }
    if page.key == crate::site::paths::SECTION_INDEX {
        "index.html".to_string()
    } else if page.is_section {
        "section.html".to_string()
    } else {
        format!("{}.html", page.kind().as_str())
    }
}

/// Renders page `number` (from 1; above 1 only for a paginated section's listing) of page
/// `index` to `path`, returning its HTML (minified when asked) and the lookups it made.
pub fn render_page(
    input: &RenderInput<'_>,
    index: usize,
    number: usize,
    path: &str,
    fingerprint: u64,
) -> Result<PageEntry, Diagnostic> {
    let page = &input.site.pages[index];
    let view = input.contexts.pager(index, &input.bodies[index], number);
    let context = input.contexts.tera_context(&view);
    let (html, lookups) =
        input
            .templates
            .render_tracked(&template_for(input.site, index), &context, &page.file);
    let html = html.map_err(|problem| at_template_line(problem, page))?;
    finish(input, path, html, lookups, fingerprint)
}

/// A missing template the page asked for by name is the page's mistake: point at its
/// `template:` line.
fn at_template_line(problem: Diagnostic, page: &crate::site::Page) -> Diagnostic {
    match &page.front().template {
        Some(named)
            if problem.code == "missing-template"
                && problem.message.contains(&format!("`{}`", named.value)) =>
        {
            problem
                .at(named.line, 1)
                .hint("`template:` names a file in the theme's templates/ or the site's templates/")
        }
        _ => problem,
    }
}

/// The outputs of page `index`: (page number, output path, fingerprint). One for most
/// pages; a section listing longer than `build.paginate_by` adds `page/2/`, `page/3/`, …,
/// whose switcher entries also depend on how long the listing is in the other languages.
fn outputs_of(
    input: &RenderInput<'_>,
    index: usize,
    fingerprint: u64,
) -> Vec<(usize, String, u64)> {
    let page = &input.site.pages[index];
    if !page.is_section {
        return vec![(1, page.output.clone(), fingerprint)];
    }
    // How the list is split comes from the default language's `_index` too.
    let mut lengths = crate::incremental::Fingerprinter::default();
    lengths
        .add(&fingerprint)
        .add(&input.contexts.per_page(&page.key));
    let mut total = 1;
    for language in &input.site.config.languages {
        let count = input.contexts.pagers_of(&page.key, &language.code);
        lengths.add(&count);
        if language.code == page.lang {
            total = count;
        }
    }
    let shared = lengths.finish();
    if total <= 1 {
        return vec![(1, page.output.clone(), shared)];
    }
    (1..=total)
        .map(|number| {
            let path = crate::output::page_file(&context::pager_path(&page.path, number));
            let fingerprint = crate::incremental::Fingerprinter::default()
                .add(&shared)
                .add(&number)
                .finish();
            (number, path, fingerprint)
        })
        .collect()
}

/// One page's output, and whether it was rendered now or reused.
pub struct PageOutput {
    /// Output path.
    pub path: String,
    /// HTML and what it depended on.
    pub entry: Arc<PageEntry>,
    /// False when the previous build's HTML was reused.
    pub fresh: bool,
    /// The page it belongs to (index into the site's pages; past the end for pages without
    /// content file).
    pub index: usize,
}

/// Pages of the previous build that may be reused, with today's answer to every lookup
/// they made (computed once per build: pages ask the same few questions, such as
/// `url(key="about")` or `asset(path="css/style.css")`).
pub struct Reuse<'c> {
    cache: &'c ahash::AHashMap<String, Arc<PageEntry>>,
    /// [`PageEntry::lookups_key`]s whose every lookup still gets the recorded answer.
    still_valid: ahash::AHashSet<u64>,
}

impl<'c> Reuse<'c> {
    /// Checks each distinct list of lookups the cached pages made against today's answers.
    pub fn new(
        input: &RenderInput<'_>,
        cache: &'c ahash::AHashMap<String, Arc<PageEntry>>,
    ) -> Self {
        let mut lists: ahash::AHashMap<u64, &[(crate::templates::Lookup, u64)]> =
            ahash::AHashMap::new();
        for entry in cache.values() {
            lists.entry(entry.lookups_key).or_insert(&entry.lookups);
        }
        let mut answers: ahash::AHashMap<&crate::templates::Lookup, u64> = ahash::AHashMap::new();
        let still_valid = lists
            .into_iter()
            .filter(|(_, list)| {
                list.iter().all(|(lookup, recorded)| {
                    *answers
                        .entry(lookup)
                        .or_insert_with(|| input.lookup.answer(lookup))
                        == *recorded
                })
            })
            .map(|(key, _)| key)
            .collect();
        Reuse { cache, still_valid }
    }

    /// The cached page at `path`, if it was rendered under `fingerprint` and every lookup it
    /// made still gets the same answer.
    fn get(&self, path: &str, fingerprint: u64) -> Option<&'c Arc<PageEntry>> {
        self.cache
            .get(path)
            .filter(|entry| entry.fingerprint == fingerprint && self.still_holds(entry))
    }

    /// True when every lookup `entry`'s templates made still gets the recorded answer.
    pub fn still_holds(&self, entry: &PageEntry) -> bool {
        self.still_valid.contains(&entry.lookups_key)
    }
}

/// Content pages published where a page of a long section list would go (a folder `page/`
/// with a page `2/` inside a paginated section): an error naming both, never a silent
/// overwrite.
pub fn list_page_collisions(input: &RenderInput<'_>) -> Vec<Diagnostic> {
    let site = input.site;
    let list_pages: Vec<(&crate::site::Page, usize, String)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.is_section)
        .flat_map(|(index, section)| {
            (2..=input.contexts.pager_count(index)).map(move |number| {
                (
                    section.as_ref(),
                    number,
                    context::pager_path(&section.path, number),
                )
            })
        })
        .collect();
    if list_pages.is_empty() {
        return Vec::new();
    }
    let by_output: ahash::AHashMap<&str, &str> = site
        .pages
        .iter()
        .map(|page| (page.output.as_str(), page.file.as_str()))
        .collect();
    let mut problems = Vec::new();
    for (section, number, path) in list_pages {
        let Some(file) = by_output.get(crate::output::page_file(&path).as_str()) else {
            continue;
        };
        problems.push(
            Diagnostic::error(
                "duplicate-url",
                file,
                format!(
                    "this page is published at `{path}`, where page {number} of the list of `{}` goes",
                    section.file
                ),
            )
            .hint("rename the folder or the page, or change paginate_by"),
        );
    }
    problems
}

/// Renders every page in parallel, reusing a cached page when its fingerprint and every
/// lookup answer are unchanged; failures are collected.
pub fn render_pages(
    input: &RenderInput<'_>,
    reuse: &Reuse<'_>,
    fingerprints: &[u64],
) -> (Vec<PageOutput>, Vec<Diagnostic>) {
    let all: Vec<usize> = (0..input.site.pages.len()).collect();
    render_indexes(input, reuse, fingerprints, &all)
}

/// Renders (or reuses from the cache) the outputs of the pages at `indexes`.
fn render_indexes(
    input: &RenderInput<'_>,
    reuse: &Reuse<'_>,
    fingerprints: &[u64],
    indexes: &[usize],
) -> (Vec<PageOutput>, Vec<Diagnostic>) {
    let results: Vec<Result<PageOutput, Diagnostic>> = indexes
        .par_iter()
        .flat_map_iter(|&index| {
            outputs_of(input, index, fingerprints[index])
                .into_iter()
                .map(
                    move |(number, path, fingerprint)| match reuse.get(&path, fingerprint) {
                        Some(entry) => Ok(PageOutput {
                            path,
                            entry: entry.clone(),
                            fresh: false,
                            index,
                        }),
                        None => {
                            render_page(input, index, number, &path, fingerprint).map(|entry| {
                                PageOutput {
                                    path,
                                    entry: Arc::new(entry),
                                    fresh: true,
                                    index,
                                }
                            })
                        }
                    },
                )
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(problem) => problems.push(problem),
        }
    }
    (pages, problems)
}

/// One page's outputs: output path and entry (a paginated list has several).
pub type PageFiles = Vec<(String, Arc<PageEntry>)>;

/// Each content page's outputs as last rendered, in page order, with the page fingerprint
/// they were made under: a rebuild with the same page graph takes a page's outputs from here
/// when its fingerprint is unchanged and every lookup its templates made still holds,
/// without building its output paths or looking it up by path.
#[derive(Debug, Default)]
pub struct PageList {
    /// The page graph's shape the list was made for.
    pub shape: Option<u64>,
    /// Per page: its fingerprint, and each output (path and entry).
    pub pages: Vec<(u64, PageFiles)>,
}

impl PageList {
    /// The list of a full render: every page's outputs from `outputs` (in page order).
    pub fn of(shape: Option<u64>, fingerprints: &[u64], outputs: &[PageOutput]) -> Self {
        let mut pages: Vec<(u64, PageFiles)> =
            fingerprints.iter().map(|fp| (*fp, Vec::new())).collect();
        for output in outputs {
            if let Some((_, list)) = pages.get_mut(output.index) {
                list.push((output.path.clone(), output.entry.clone()));
            }
        }
        PageList { shape, pages }
    }
}

/// As [`render_pages`] when the page graph is the one `list` was made for: pages whose
/// fingerprint is unchanged and whose cached outputs are all still valid are not touched
/// (returned only as a count); the others are rendered or reused as usual, and `list` is
/// updated in place.
pub fn render_changed(
    input: &RenderInput<'_>,
    reuse: &Reuse<'_>,
    fingerprints: &[u64],
    list: &mut PageList,
) -> (Vec<PageOutput>, Vec<Diagnostic>, usize) {
    let stale: Vec<usize> = list
        .pages
        .iter()
        .zip(fingerprints)
        .enumerate()
        .filter(|(_, ((before, outputs), now))| {
            *before != **now
                || outputs.is_empty()
                || !outputs.iter().all(|(_, e)| reuse.still_holds(e))
        })
        .map(|(index, _)| index)
        .collect();
    let untouched = list
        .pages
        .iter()
        .map(|(_, outputs)| outputs.len())
        .sum::<usize>()
        - stale.iter().map(|&i| list.pages[i].1.len()).sum::<usize>();
    let (pages, problems) = render_indexes(input, reuse, fingerprints, &stale);
    for &index in &stale {
        list.pages[index] = (fingerprints[index], Vec::new());
    }
    for page in &pages {
        if let Some((_, outputs)) = list.pages.get_mut(page.index) {
            outputs.push((page.path.clone(), page.entry.clone()));
        }
    }
    (pages, problems, untouched)
}

/// One template mistake breaks every page using that template; report it once, naming the
/// first page and how many more.
pub fn collapse_repeats(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    const MARK: &str = " (while rendering ";
    type Position = (String, Option<u32>, Option<u32>, String);
    let mut groups: BTreeMap<Position, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for problem in problems {
        let (base, page) = match problem.message.split_once(MARK) {
            Some((base, page)) => (base.to_string(), page.trim_end_matches(')').to_string()),
            None => (problem.message.clone(), String::new()),
        };
        let key = (problem.file.clone(), problem.line, problem.column, base);
        groups
            .entry(key)
            .or_insert_with(|| (problem, Vec::new()))
            .1
            .push(page);
    }
    groups
        .into_iter()
        .map(|((_, _, _, base), (mut first, mut pages))| {
            pages.sort();
            pages.dedup();
            pages.retain(|p| !p.is_empty());
            first.message = match pages.as_slice() {
                [] => base,
                [one] => format!("{base}{MARK}{one})"),
                [one, rest @ ..] => format!("{base}{MARK}{one} and {} more page(s))", rest.len()),
            };
            first
        })
        .collect()
}

/// The root `/index.html` language picker, and the root and per-language 404 pages; like
/// pages, reused from the cache when their fingerprint and lookups are unchanged.
pub fn render_special(
    input: &RenderInput<'_>,
    reuse: &Reuse<'_>,
    fingerprint: impl Fn(&str, &str) -> u64,
) -> (Vec<PageOutput>, Vec<Diagnostic>) {
    let config = &input.site.config;
    let default = config.default_language.as_str();
    let mut jobs: Vec<(String, &str, &str)> = vec![
        ("index.html".into(), "language-picker.html", default),
        ("404.html".into(), "404.html", default),
    ];
    for language in &config.languages {
        jobs.push((
            format!("{}/404.html", language.code),
            "404.html",
            language.code.as_str(),
        ));
    }
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for (path, template, lang) in jobs {
        let fingerprint = fingerprint(lang, &path);
        if let Some(entry) = reuse.get(&path, fingerprint) {
            outputs.push(PageOutput {
                path,
                entry: entry.clone(),
                fresh: false,
                index: usize::MAX,
            });
            continue;
        }
        let is_root = !path.contains('/');
        let view = input.contexts.special(lang, is_root, &path);
        let context = input.contexts.tera_context(&view);
        let (html, lookups) = input.templates.render_tracked(template, &context, &path);
        let rendered = html.and_then(|html| finish(input, &path, html, lookups, fingerprint));
        match rendered {
            Ok(entry) => outputs.push(PageOutput {
                path,
                entry: Arc::new(entry),
                fresh: true,
                index: usize::MAX,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    (outputs, problems)
}

/// Minifies (when asked), records the lookups' current answers, the page's anchor ids and
/// weight, and streams the page to disk when building.
fn finish(
    input: &RenderInput<'_>,
    path: &str,
    html: Vec<u8>,
    lookups: Vec<crate::templates::Lookup>,
    fingerprint: u64,
) -> Result<PageEntry, Diagnostic> {
    let bytes = if input.minify_html {
        crate::minify::html_bytes(&html)
    } else {
        html
    };
    let lookups: Vec<(crate::templates::Lookup, u64)> = lookups
        .into_iter()
        .map(|q| {
            let a = input.lookup.answer(&q);
            (q, a)
        })
        .collect();
    let lookups_key = crate::incremental::Fingerprinter::default()
        .add(&lookups)
        .finish();
    let ids = Arc::from(crate::check::anchor_ids(&bytes));
    let over_budget = input.weight.and_then(|w| w.over_budget(&bytes));
    let (html, streamed) = match input.sink {
        Some(sink) => {
            sink.put(path, &bytes).map_err(|e| {
                Diagnostic::error(
                    "io",
                    "",
                    format!("cannot write {path}: {e}; the previous output is unchanged"),
                )
            })?;
            let streamed = crate::output::Streamed::of(&bytes);
            (Arc::from(Vec::new()), Some(streamed))
        }
        None => (Arc::from(bytes), None),
    };
    Ok(PageEntry {
        fingerprint,
        lookups,
        lookups_key,
        html,
        ids,
        streamed,
        over_budget,
    })
}

/// A tiny page at each alias that sends readers (and crawlers, via canonical) to the page:
/// (alias, index of the page, output file, HTML).
pub fn render_aliases(site: &Site) -> Vec<(&str, usize, String, String)> {
    site.aliases
        .iter()
        .map(|(alias, &index)| {
            let page = &site.pages[index];
            let target = site.config.base_url.href(&page.path);
            let absolute = site.config.base_url.absolute(&page.path);
            let locale = site.config.language(&page.lang).map_or("en", |l| l.locale.as_str());
            let html = format!(
                "<!doctype html>\n<html lang=\"{locale}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{absolute}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"></head><body><p><a href=\"{target}\">{title}</a></p></body></html>\n",
                title = crate::html::escape(&page.front().title),
                target = crate::html::escape(&target),
                absolute = crate::html::escape(&absolute),
            );
            (alias.as_str(), index, page_file(alias), html)
        })
        .collect()
}

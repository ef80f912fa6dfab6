//! The page graph, built from parsed documents and plans without I/O: every page in every
//! language with its URL, translations, section, plans and aliases; cross-file rules (two
//! files on one URL, unknown plan ids, duplicate plan ids) are checked here. Everything is
//! kept in `BTreeMap`s or sorted `Vec`s so whatever reaches output has a defined order.

pub mod paths;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Document, FrontMatter, GuideKind, Located, Plan};
use crate::error::Diagnostic;
use paths::{identify, page_path, parent_section_key, FileIdentity};

/// Model-stage switches from the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
}

/// The plan data the model is built from.
#[derive(Debug, Clone, Default)]
pub struct PlanData {
    /// Plans that loaded.
    pub plans: Vec<Plan>,
    /// Ids declared in plan files that failed to load (already reported): pages naming them
    /// are not told the plan does not exist.
    pub unloaded: BTreeSet<String>,
}

/// A parsed content file on its way into the model.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    /// Site-relative path (`content/qatar/renew-phone.zh.md`).
    pub file: String,
    /// Front matter and body.
    pub document: Arc<Document>,
}

/// One language version of one page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Translation key shared by all language versions.
    pub key: String,
    /// Language code.
    pub lang: String,
    /// Site-relative source file.
    pub file: String,
    /// True for a section's own page (`_index`).
    pub is_section: bool,
    /// Key of the parent section, if any.
    pub parent: Option<String>,
    /// Output file (`zh/qatar/renew-phone/index.html`).
    pub output: String,
    /// Site path (`/zh/qatar/renew-phone/`), before the base URL is applied.
    pub path: String,
    /// The country this page is about (its top-level folder, or front matter `country`).
    pub country: Option<String>,
    /// Parsed front matter and body.
    pub document: Arc<Document>,
}

impl Page {
    /// Front matter shortcut.
    pub fn front(&self) -> &FrontMatter {
        &self.document.front
    }

    /// The layout kind; sections and the home page are `page` in front matter.
    pub fn kind(&self) -> GuideKind {
        self.document.front.kind
    }

    /// What templates and the search index call the page: `home`, `section`, or its guide
    /// kind (`purchase`, `renewal`, `page`); one rule, so a listing, a page and a search
    /// result never disagree.
    pub fn kind_name(&self) -> &'static str {
        if self.key == paths::SECTION_INDEX {
            "home"
        } else if self.is_section {
            "section"
        } else {
            self.kind().as_str()
        }
    }
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// Every page version, sorted by (key, language order). Shared so a rebuild where only
    /// bodies changed can reuse the graph and swap in the new documents.
    pub pages: Vec<Arc<Page>>,
    /// key → language → index into `pages`.
    pub translations: Arc<BTreeMap<String, BTreeMap<String, usize>>>,
    /// section key → keys of its direct child pages and subsections, ordered by weight.
    pub children: Arc<BTreeMap<String, Vec<String>>>,
    /// Plans by id.
    pub plans: BTreeMap<String, Arc<Plan>>,
    /// Old site path → index of the page it redirects to.
    pub aliases: BTreeMap<String, usize>,
    /// Content files left out because they are drafts, so `check` can tell a missing
    /// translation from one still being written.
    pub drafts: Arc<BTreeSet<String>>,
    /// key → page index per configured language: the hashed twin of `translations`, for
    /// the many lookups rendering and fingerprinting make (ordered maps stay for output).
    versions: Arc<ahash::AHashMap<String, Vec<Option<usize>>>>,
}

impl Site {
    /// The version of `key` in `lang`, if it exists.
    pub fn page(&self, key: &str, lang: &str) -> Option<&Page> {
        let position = self.config.languages.iter().position(|l| l.code == lang)?;
        let index = (*self.versions.get(key)?.get(position)?)?;
        self.pages.get(index).map(|page| page.as_ref())
    }

    /// The version of `key` a reader of `lang` gets: theirs, else the default language's,
    /// else the first language it exists in (the documented missing-translation fallback).
    pub fn version_for(&self, key: &str, lang: &str) -> Option<&Page> {
        self.page(key, lang)
            .or_else(|| self.page(key, &self.config.default_language))
            .or_else(|| {
                self.languages_of(key)
                    .first()
                    .and_then(|l| self.page(key, l))
            })
    }

    /// Languages `key` exists in, in configured order.
    pub fn languages_of(&self, key: &str) -> Vec<&str> {
        let Some(versions) = self.translations.get(key) else {
            return Vec::new();
        };
        self.config
            .languages
            .iter()
            .filter(|l| versions.contains_key(&l.code))
            .map(|l| l.code.as_str())
            .collect()
    }

    /// Top-level sections (countries), ordered by weight then title, as keys.
    pub fn countries(&self) -> Vec<&str> {
        self.children
            .get(paths::SECTION_INDEX)
            .into_iter()
            .flatten()
            .filter(|k| k.ends_with(paths::SECTION_INDEX))
            .map(String::as_str)
            .collect()
    }
}

/// Builds the page graph; problems are collected, and pages with problems are left out.
pub fn build(
    config: Arc<Config>,
    documents: Vec<ParsedDocument>,
    plan_data: PlanData,
    options: ModelOptions,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let drafts: BTreeSet<String> = documents
        .iter()
        .filter(|parsed| parsed.document.front.draft && !options.drafts)
        .map(|parsed| parsed.file.clone())
        .collect();
    let mut pages = collect_pages(&config, documents, options, &mut problems);
    let order = |p: &Arc<Page>| config.languages.iter().position(|l| l.code == p.lang);
    rayon::slice::ParallelSliceMut::par_sort_by(&mut pages[..], |a, b| {
        (&a.key, order(a)).cmp(&(&b.key, order(b)))
    });
    reject_shared_urls(&mut pages, &mut problems);
    problems.extend(pages.iter().filter_map(|page| generated_file_clash(page)));
    let plans = index_plans(&config, plan_data.plans, &pages, &mut problems);
    check_page_references(&pages, &plans, &plan_data.unloaded, &mut problems);
    let translations = index_translations(&pages);
    let children = index_children(&pages, &translations, &config.default_language);
    problems.extend(unlisted_folders(&pages, &translations));
    let aliases = index_aliases(&pages, &mut problems);
    let versions = index_versions(&config, &translations);
    let site = Site {
        versions: Arc::new(versions),
        config,
        pages,
        translations: Arc::new(translations),
        children: Arc::new(children),
        plans,
        aliases,
        drafts: Arc::new(drafts),
    };
    (site, problems)
}

impl Site {
    /// The same page graph with some documents replaced by newer parses whose front matter
    /// is identical (only bodies changed): nothing structural can differ, so the indexes
    /// are shared and only the changed pages are rebuilt. Also returns those pages' indexes,
    /// so later stages can look at them alone.
    pub fn with_bodies(&self, documents: &[ParsedDocument]) -> (Site, Vec<usize>) {
        let by_file: ahash::AHashMap<&str, &Arc<Document>> = documents
            .iter()
            .map(|d| (d.file.as_str(), &d.document))
            .collect();
        let mut changed = Vec::new();
        let pages = self
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| match by_file.get(page.file.as_str()) {
                Some(document) if !Arc::ptr_eq(document, &page.document) => {
                    changed.push(index);
                    Arc::new(Page {
                        document: Arc::clone(document),
                        ..Page::clone(page)
                    })
                }
                _ => Arc::clone(page),
            })
            .collect();
        let site = Site {
            pages,
            ..self.clone()
        };
        (site, changed)
    }
}

/// What the page graph depends on besides bodies: configuration, options, every content
/// file's name and front matter, every plan. Equal shapes mean [`Site::with_bodies`] may
/// replace [`build`].
/// `config` is a fingerprint of the validated configuration.
pub fn shape_fingerprint(
    config: u64,
    options: ModelOptions,
    documents: &[ParsedDocument],
    plans: &PlanData,
) -> u64 {
    let mut fp = crate::incremental::Fingerprinter::default();
    fp.add(&config).add(&options.drafts);
    for document in documents {
        fp.add(&document.file)
            .add(&document.document.front_fingerprint);
    }
    for plan in &plans.plans {
        fp.add(plan);
    }
    fp.add(&plans.unloaded);
    fp.finish()
}

fn collect_pages(
    config: &Config,
    documents: Vec<ParsedDocument>,
    options: ModelOptions,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Arc<Page>> {
    use rayon::prelude::*;
    let made: Vec<Option<Result<Page, Diagnostic>>> = documents
        .into_par_iter()
        .map(|parsed| {
            if parsed.document.front.draft && !options.drafts {
                return None;
            }
            Some(match identify(config, &parsed.file) {
                Ok(identity) => Ok(make_page(identity, parsed)),
                Err(message) => Err(Diagnostic::error("file-name", &parsed.file, message)),
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(made.len());
    for result in made.into_iter().flatten() {
        match result {
            Ok(page) => {
                problems.extend(ignored_section_slug(&page));
                pages.push(Arc::new(page));
            }
            Err(problem) => problems.push(problem),
        }
    }
    pages
}

fn make_page(identity: FileIdentity, parsed: ParsedDocument) -> Page {
    let front = &parsed.document.front;
    let slug = front
        .slug
        .as_ref()
        .map(|s| s.value.as_str())
        .filter(|_| !identity.is_section());
    let country = front.country.as_ref().map(|c| c.value.clone()).or_else(|| {
        let top = identity.folder.split('/').next().unwrap_or("");
        (!top.is_empty()).then(|| top.to_string())
    });
    let path = page_path(&identity, slug);
    Page {
        output: crate::output::page_file(&path),
        path,
        parent: parent_section_key(&identity),
        is_section: identity.is_section(),
        key: identity.key,
        lang: identity.lang,
        file: parsed.file,
        country,
        document: parsed.document,
    }
}

/// A section's URL is its folder's: a `slug` on its `_index` page changes nothing, which
/// the author should hear rather than wonder why the URL stayed.
fn ignored_section_slug(page: &Page) -> Option<Diagnostic> {
    let slug = page.front().slug.as_ref().filter(|_| page.is_section)?;
    Some(
        Diagnostic::warning(
            "slug",
            &page.file,
            format!("`slug: {}` is ignored on a section's own page", slug.value),
        )
        .at(slug.line, 1)
        .hint("a section is published at its folder's name: rename the folder (and add an alias for the old URL)"),
    )
}

/// Two files on one URL would overwrite each other; keep the first, report both.
fn reject_shared_urls(pages: &mut Vec<Arc<Page>>, problems: &mut Vec<Diagnostic>) {
    let mut first_at: ahash::AHashMap<&str, &str> = ahash::AHashMap::with_capacity(pages.len());
    let mut shared = vec![false; pages.len()];
    for (page, shared) in pages.iter().zip(shared.iter_mut()) {
        match first_at.get(page.path.as_str()) {
            Some(first) => {
                problems.push(
                    Diagnostic::error(
                        "duplicate-url",
                        &page.file,
                        format!(
                            "this page and `{first}` are both published at `{}`",
                            page.path
                        ),
                    )
                    .hint("change one file's name or its `slug`"),
                );
                *shared = true;
            }
            None => {
                first_at.insert(&page.path, &page.file);
            }
        }
    }
    drop(first_at);
    let mut shared = shared.into_iter();
    pages.retain(|_| !shared.next().unwrap_or(false));
}

/// A page whose URL is a generated file of its language, or a folder under one (`slug:
/// atom.xml`): an error on the line that chose the URL, before anything is written.
fn generated_file_clash(page: &Page) -> Option<Diagnostic> {
    let inside = page
        .path
        .strip_prefix(&format!("/{}/", page.lang))?
        .trim_end_matches('/');
    let file = paths::LANGUAGE_FILES.iter().find(|file| {
        inside
            .strip_prefix(**file)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })?;
    // A section ignores its `slug`, so the URL comes from its folder, not that line.
    let slug_line = page
        .front()
        .slug
        .as_ref()
        .filter(|_| !page.is_section)
        .map(|slug| slug.line);
    let problem = Diagnostic::error(
        "duplicate-url",
        &page.file,
        format!(
            "this page would be published at `{}`, where planguide writes `{}/{file}`",
            page.path, page.lang
        ),
    )
    .hint("change the page's `slug` or its file or folder name");
    Some(match slug_line {
        Some(line) => problem.at(line, 1),
        None => problem,
    })
}

fn index_plans(
    config: &Config,
    plans: Vec<Plan>,
    pages: &[Arc<Page>],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Arc<Plan>> {
    let mut index: BTreeMap<String, Arc<Plan>> = BTreeMap::new();
    let keys: ahash::AHashSet<&str> = pages.iter().map(|p| p.key.as_str()).collect();
    for plan in plans {
        if let Some(first) = index.get(&plan.id) {
            problems.push(
                Diagnostic::error(
                    "duplicate-plan",
                    &plan.file,
                    format!(
                        "plan id `{}` is already defined in {}:{}",
                        plan.id, first.file, first.line
                    ),
                )
                .at(plan.line, 1),
            );
            continue;
        }
        problems.extend(check_plan(config, &plan, &keys));
        index.insert(plan.id.clone(), Arc::new(plan));
    }
    index
}

/// Cross-file plan rules: its country is a section, its texts exist in every language.
fn check_plan(config: &Config, plan: &Plan, keys: &ahash::AHashSet<&str>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let country_key = paths::section_key(&plan.country);
    if !keys.contains(country_key.as_str()) {
        problems.push(
            Diagnostic::error(
                "plan",
                &plan.file,
                format!("plan `{}` names country `{}`, which has no section (content/{}/_index.<lang>.md)", plan.id, plan.country, plan.country),
            )
            .at(plan.line, 1),
        );
    }
    let mut localized = vec![("name", &plan.name)];
    if let Some(store) = &plan.renewal.in_store {
        localized.push(("hours_note", &store.hours_note));
    }
    for (field, texts) in localized {
        for language in &config.languages {
            if texts.contains_key(&language.code) {
                continue;
            }
            let missing_default = language.code == config.default_language;
            let message = format!("plan `{}` has no `{field}` in `{}`", plan.id, language.code);
            let diagnostic = if missing_default {
                Diagnostic::error("plan", &plan.file, message)
            } else {
                Diagnostic::warning(
                    "plan",
                    &plan.file,
                    format!(
                        "{message}; readers get the `{}` text",
                        config.default_language
                    ),
                )
            };
            problems.push(diagnostic.at(plan.line, 1));
        }
        for code in texts.keys().filter(|c| !config.has_language(c)) {
            problems.push(
                Diagnostic::error(
                    "plan",
                    &plan.file,
                    format!(
                        "plan `{}` has `{field}` in `{code}`, which is not a configured language",
                        plan.id
                    ),
                )
                .at(plan.line, 1),
            );
        }
    }
    problems
}

/// Every plan id and country a page names must exist.
fn check_page_references(
    pages: &[Arc<Page>],
    plans: &BTreeMap<String, Arc<Plan>>,
    unloaded: &BTreeSet<String>,
    problems: &mut Vec<Diagnostic>,
) {
    let keys: ahash::AHashSet<&str> = pages.iter().map(|p| p.key.as_str()).collect();
    for page in pages {
        let front = page.front();
        for plan_ref in &front.plans {
            if let Some(plan) = plans.get(&plan_ref.value) {
                if !plan.renews_by(front.kind, front.channel) {
                    problems.push(plan_without_channel(page, plan_ref));
                }
                problems.extend(plan_of_another_country(page, plan_ref, plan));
                continue;
            }
            if !unloaded.contains(&plan_ref.value) {
                let known: Vec<&str> = plans.keys().map(String::as_str).collect();
                problems.push(
                    Diagnostic::error(
                        "unknown-plan",
                        &page.file,
                        format!("plan `{}` does not exist", plan_ref.value),
                    )
                    .at(plan_ref.line, 1)
                    .hint(format!(
                        "plan ids are defined in content/**/*.yaml; known ids: {}",
                        known.join(", ")
                    )),
                );
            }
        }
        if let Some(country) = &page.front().country {
            let key = paths::section_key(&country.value);
            if !keys.contains(key.as_str()) {
                problems.push(
                    Diagnostic::error(
                        "unknown-country",
                        &page.file,
                        format!("country `{}` has no section", country.value),
                    )
                    .at(country.line, 1),
                );
            }
        }
    }
}

/// A guide in one country naming another country's plan: most likely a copied front
/// matter, and readers would be shown plans they cannot buy there.
fn plan_of_another_country(
    page: &Page,
    plan_ref: &Located<String>,
    plan: &Plan,
) -> Option<Diagnostic> {
    let country = page.country.as_deref()?;
    (plan.country != country).then(|| {
        Diagnostic::warning(
            "plan-country",
            &page.file,
            format!(
                "plan `{}` is a plan for `{}`, but this guide is in `{country}`",
                plan_ref.value, plan.country
            ),
        )
        .at(plan_ref.line, 1)
        .hint(
            "name this country's plans, or set `country:` if the guide belongs to another section",
        )
    })
}

fn plan_without_channel(page: &Page, plan_ref: &Located<String>) -> Diagnostic {
    let channel = page.front().channel.map_or("", |c| c.as_str());
    Diagnostic::warning(
        "plan-channel",
        &page.file,
        format!(
            "plan `{}` has no `{channel}` renewal facts, so this walkthrough shows none for it",
            plan_ref.value
        ),
    )
    .at(plan_ref.line, 1)
    .hint(format!(
        "add `renewal: {{ {}: … }}` to the plan, or leave it out of `plans:`",
        channel.replace('-', "_")
    ))
}

fn index_versions(
    config: &Config,
    translations: &BTreeMap<String, BTreeMap<String, usize>>,
) -> ahash::AHashMap<String, Vec<Option<usize>>> {
    translations
        .iter()
        .map(|(key, versions)| {
            let by_position = config
                .languages
                .iter()
                .map(|l| versions.get(&l.code).copied())
                .collect();
            (key.clone(), by_position)
        })
        .collect()
}

fn index_translations(pages: &[Arc<Page>]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut index: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        index
            .entry(page.key.clone())
            .or_default()
            .insert(page.lang.clone(), i);
    }
    index
}

/// Section key → child keys, ordered by weight then title (from the default language, or
/// whichever exists) then key, so every language lists the same order.
/// Pages in a folder without a section page are built but listed nowhere: one warning per
/// such folder, naming its first page.
fn unlisted_folders(
    pages: &[Arc<Page>],
    translations: &BTreeMap<String, BTreeMap<String, usize>>,
) -> Vec<Diagnostic> {
    let mut orphans: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for page in pages {
        if let Some(parent) = page.parent.as_deref() {
            if !translations.contains_key(parent) {
                orphans.entry(parent).or_default().push(&page.file);
            }
        }
    }
    orphans
        .into_iter()
        .map(|(section, mut files)| {
            files.sort_unstable();
            let folder = section.strip_suffix(paths::SECTION_INDEX).unwrap_or(section);
            Diagnostic::warning(
                "unlisted-page",
                files[0],
                format!(
                    "folder `content/{folder}` has no section page, so no list links to its {} page file(s)",
                    files.len()
                ),
            )
            .hint(format!("add the folder's section page, content/{folder}_index.<lang>.md (a title and an introduction)"))
        })
        .collect()
}

fn index_children(
    pages: &[Arc<Page>],
    translations: &BTreeMap<String, BTreeMap<String, usize>>,
    default_language: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, versions) in translations {
        let Some(first) = versions
            .get(default_language)
            .or_else(|| versions.values().next())
        else {
            continue;
        };
        if let Some(parent) = &pages[*first].parent {
            children
                .entry(parent.clone())
                .or_default()
                .push(key.clone());
        }
    }
    let sort_key = |key: &String| {
        let versions = &translations[key];
        let page = &pages[*versions
            .get(default_language)
            .or_else(|| versions.values().next())
            .unwrap_or(&0)];
        (page.front().weight, page.front().title.clone(), key.clone())
    };
    for keys in children.values_mut() {
        keys.sort_by_cached_key(sort_key);
    }
    children
}

fn index_aliases(pages: &[Arc<Page>], problems: &mut Vec<Diagnostic>) -> BTreeMap<String, usize> {
    let mut aliases: BTreeMap<String, usize> = BTreeMap::new();
    let by_path: ahash::AHashMap<&str, &str> = pages
        .iter()
        .map(|p| (p.path.as_str(), p.file.as_str()))
        .collect();
    for (index, page) in pages.iter().enumerate() {
        for alias in &page.front().aliases {
            let clash = by_path
                .get(alias.value.as_str())
                .map(|file| file.to_string())
                .or_else(|| aliases.get(&alias.value).map(|&i| pages[i].file.clone()));
            match clash {
                Some(other) => problems.push(
                    Diagnostic::error(
                        "duplicate-url",
                        &page.file,
                        format!("alias `{}` is already used by `{other}`", alias.value),
                    )
                    .at(alias.line, 1),
                ),
                None => {
                    aliases.insert(alias.value.clone(), index);
                }
            }
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PlanFile;

    fn config() -> Arc<Config> {
        Arc::new(crate::config::bilingual_for_tests())
    }

    fn doc(file: &str, text: &str) -> ParsedDocument {
        ParsedDocument {
            file: file.to_string(),
            document: Arc::new(Document::parse(file, text).unwrap()),
        }
    }

    fn site(docs: Vec<ParsedDocument>, plans: &str) -> (Site, Vec<Diagnostic>) {
        let plans = if plans.is_empty() {
            vec![]
        } else {
            PlanFile::parse("content/qatar/plans.yaml", plans)
                .unwrap()
                .plans
        };
        let plans = PlanData {
            plans,
            ..PlanData::default()
        };
        build(config(), docs, plans, ModelOptions::default())
    }

    #[test]
    fn links_translations_and_orders_children_by_weight() {
        let (site, problems) = site(
            vec![
                doc("content/_index.zh.md", "---\ntitle: 首页\n---\n"),
                doc("content/qatar/_index.zh.md", "---\ntitle: 卡塔尔\n---\n"),
                doc("content/qatar/b.zh.md", "---\ntitle: B\nweight: 1\n---\n"),
                doc("content/qatar/a.zh.md", "---\ntitle: A\nweight: 2\n---\n"),
                doc("content/qatar/a.en.md", "---\ntitle: A\n---\n"),
            ],
            "",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(site.languages_of("qatar/a"), ["zh", "en"]);
        assert_eq!(site.languages_of("qatar/b"), ["zh"]);
        assert_eq!(site.children["qatar/_index"], ["qatar/b", "qatar/a"]);
        assert_eq!(site.countries(), ["qatar/_index"]);
        assert_eq!(site.page("qatar/a", "en").unwrap().path, "/en/qatar/a/");
    }

    #[test]
    fn errors_when_two_files_share_a_url() {
        let (site, problems) = site(
            vec![
                doc("content/_index.zh.md", "---\ntitle: 首页\n---\n"),
                doc("content/qatar/_index.zh.md", "---\ntitle: 卡塔尔\n---\n"),
                doc("content/qatar/a.zh.md", "---\ntitle: A\n---\n"),
                doc("content/qatar/b.zh.md", "---\ntitle: B\nslug: a\n---\n"),
            ],
            "",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "duplicate-url");
        assert!(problems[0].message.contains("content/qatar/a.zh.md"));
        assert_eq!(site.pages.len(), 3);
    }

    #[test]
    fn errors_when_page_names_a_missing_plan_at_its_line() {
        let (_, problems) = site(
            vec![doc(
                "content/qatar/_index.zh.md",
                "---\ntitle: Q\nplans:\n  - nope\n---\n",
            )],
            "",
        );
        assert_eq!(problems[0].code, "unknown-plan");
        assert_eq!(problems[0].line, Some(4));
    }

    #[test]
    fn drafts_are_left_out_unless_asked() {
        let docs = vec![doc("content/a.zh.md", "---\ntitle: A\ndraft: true\n---\n")];
        let (site_default, _) = build(
            config(),
            docs.clone(),
            PlanData::default(),
            ModelOptions::default(),
        );
        assert!(site_default.pages.is_empty());
        let (with_drafts, _) = build(
            config(),
            docs,
            PlanData::default(),
            ModelOptions { drafts: true },
        );
        assert_eq!(with_drafts.pages.len(), 1);
    }

    #[test]
    fn plan_needs_its_country_section_and_default_language_name() {
        let plans = "plans:\n  - id: qa-1\n    country: qatar\n    provider: P\n    name: { en: Visitor }\n    price: { amount: \"1\", currency: QAR }\n    data: 1GB\n    validity_days: 1\n    verified: 2026-10-01\n";
        let (_, problems) = site(vec![], plans);
        assert!(problems
            .iter()
            .any(|p| p.message.contains("has no section")));
        assert!(problems
            .iter()
            .any(|p| p.is_error() && p.message.contains("no `name` in `zh`")));
    }
}

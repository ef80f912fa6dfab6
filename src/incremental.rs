//! Incremental rebuilds as memoised pure stages (serve keeps a [`BuildCache`] between
//! rebuilds; a full build starts with an empty one and runs the same code). Each stage's
//! result is cached under a fingerprint of exactly the inputs it reads:
//! - a parsed document or plan file, under the identity of its source bytes;
//! - a Markdown body, under its document plus the answer to every `@/` link it resolved;
//! - a rendered page, under [`with_texts`] (everything its context is built from)
//!   plus the answer to every lookup its templates made (`url()`, `plan()`, …);
//! - what depends only on the page graph and the global inputs (templates and their lookup
//!   data, strings and plan views, sitemap and feeds, structural page fingerprints), under
//!   the graph's shape ([`crate::site::shape_fingerprint`]) and those inputs.
//!
//! With the same page graph, stages work by page index rather than by file name: the model
//! reports which documents changed, Markdown renders those alone, fingerprints are re-hashed
//! only for keys whose document or body changed, and pages whose fingerprint and lookups
//! stand are not touched (their files are patched into the kept set). Each shortcut checks
//! that what it reuses lines up with today's pages and otherwise takes the full walk.
//!
//! If a fingerprint is missing an input, a page goes stale; the differential test in
//! `tests/it/differential.rs` rebuilds after random edits and compares with a fresh full build.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use crate::content::{Document, Plan};
use crate::error::Diagnostic;
use crate::highlight::Highlighter;
use crate::markdown::Rendered;
use crate::site::{paths, Site};
use crate::templates::Lookup;

/// A 64-bit content fingerprint (XXH3): every source file and rendered body is hashed, so
/// it must be fast (XXH3 is ~10x BLAKE3 on these 1-10 KB inputs; BLAKE3 was 3-5% of a
/// 200,000-page build), and its output is specified, so the same bytes give the same value
/// on every machine. Collisions are negligible for a cache.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Accumulates a fingerprint from `Hash` values. aHash with fixed keys: fast on the short
/// strings and integers fingerprints are made of, and the same in every run.
pub struct Fingerprinter(ahash::AHasher);

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter(ahash::RandomState::with_seeds(0x706c, 0x616e, 0x6775, 0x6964).build_hasher())
    }
}

impl Fingerprinter {
    /// Adds a value.
    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// The fingerprint so far.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// UI strings and the plans as templates show them.
pub(crate) type StringsAndPlans = (Arc<crate::i18n::I18n>, Arc<crate::pipeline::PlanViews>);

/// Template lookup answers and the templates compiled against them.
pub(crate) type CompiledTemplates = (
    Arc<crate::templates::LookupData>,
    Arc<crate::templates::Templates>,
);

/// The value a memo `slot` holds, when it was made under `key` (every stage memo in
/// [`BuildCache`] is a key and a value).
pub(crate) fn kept<K: PartialEq, T: Clone>(slot: &Option<(K, T)>, key: &K) -> Option<T> {
    slot.as_ref()
        .filter(|(made, _)| made == key)
        .map(|(_, value)| value.clone())
}

/// What a rebuild did, for serve's one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Content files parsed (others reused).
    pub parsed: usize,
    /// Markdown bodies rendered (others reused).
    pub markdown: usize,
    /// Pages rendered through templates (others reused).
    pub rendered: usize,
    /// Pages whose previous HTML was reused.
    pub reused: usize,
}

/// A parsed file kept with the bytes it came from.
#[derive(Debug, Clone)]
pub(crate) struct Parsed<T> {
    pub source: Arc<[u8]>,
    pub value: T,
}

/// A rendered body with the link answers it depended on and the problems it reported.
#[derive(Debug, Clone)]
pub(crate) struct BodyEntry {
    pub file: String,
    pub document: Arc<Document>,
    pub lang: String,
    pub links: Vec<(String, Result<String, String>)>,
    pub rendered: Arc<Rendered>,
    pub problems: Vec<Diagnostic>,
}

/// A rendered page with the fingerprint and lookup answers it was rendered under.
#[derive(Debug, Clone)]
pub struct PageEntry {
    /// Fingerprint it was rendered under ([`with_texts`]).
    pub fingerprint: u64,
    /// Lookups its templates made, with the answers' fingerprints.
    pub lookups: Vec<(Lookup, u64)>,
    /// Fingerprint of `lookups`: pages asking the same questions with the same answers
    /// share it, so a rebuild validates each distinct list once, not every page's.
    pub lookups_key: u64,
    /// The HTML (empty when it was streamed to disk).
    pub html: Arc<[u8]>,
    /// Every `id` in the HTML, for anchor checks.
    pub ids: Arc<[String]>,
    /// Size and hash when the page was written straight to the output folder.
    pub streamed: Option<crate::output::Streamed>,
    /// Gzip weight with its CSS and JS, when over the page-weight budget.
    pub over_budget: Option<u64>,
}

/// Sitemap and feeds by output path, shared with the output set.
pub type SiteFiles = Arc<std::collections::BTreeMap<String, Arc<[u8]>>>;

/// Everything reusable between builds of the same site.
#[derive(Debug, Default)]
pub struct BuildCache {
    pub(crate) documents: ahash::AHashMap<String, Parsed<Arc<Document>>>,
    pub(crate) plans: ahash::AHashMap<String, Parsed<Vec<Plan>>>,
    /// Rendered bodies in the order of the last build's pages.
    pub(crate) bodies: Vec<Arc<BodyEntry>>,
    pub(crate) pages: ahash::AHashMap<String, Arc<PageEntry>>,
    /// The page graph and its problems under a fingerprint of its shape (see
    /// [`crate::site::shape_fingerprint`]).
    pub(crate) model: Option<(u64, crate::site::Site, Vec<Diagnostic>)>,
    /// True when this build reused the previous page graph (only bodies changed).
    pub(crate) model_reused: bool,
    /// When the page graph was reused: the pages whose document changed (indexes into the
    /// graph's pages), so stages whose other inputs stand can look at these alone.
    pub(crate) changed_pages: Option<Vec<usize>>,
    /// Every page's key, language and path hashed, under the page graph's shape.
    pub(crate) paths_world: Option<(Option<u64>, u64)>,
    /// The config the link findings were made under.
    pub(crate) checked_config: Option<u64>,
    /// Fingerprint of what `@/` links resolved against in the last build.
    pub(crate) link_world: Option<u64>,
    /// Each page's link-check findings, for the next rebuild.
    pub(crate) link_checks: crate::check::LinkMemo,
    /// Site-wide files (sitemap, feeds, deploy rules) under a fingerprint of their inputs.
    pub(crate) site_files: Option<(u64, SiteFiles)>,
    /// The sitemap files alone, under a fingerprint of what they list (see
    /// `pipeline::sitemap_files`), so a change that leaves the URLs and dates alone keeps them.
    pub(crate) sitemap: Option<(u64, SiteFiles)>,
    /// UI strings and plan views under a fingerprint of the global inputs and the page
    /// graph (only when loading the strings reported nothing).
    pub(crate) strings: Option<(u64, StringsAndPlans)>,
    /// Content pages in the place of a list page, under the page graph's shape.
    pub(crate) collisions: Option<(Option<u64>, Vec<Diagnostic>)>,
    /// Published static files under a fingerprint of their sources (only when publishing
    /// them reported nothing).
    pub(crate) assets: Option<(u64, crate::assets::Assets)>,
    /// Every page's file as last built, under the page graph's shape it was built with (the
    /// same shape publishes the same paths), patched with the pages a rebuild renders again.
    pub(crate) page_files: (Option<u64>, std::collections::BTreeMap<String, Arc<[u8]>>),
    /// Each content page's outputs as last rendered, for rebuilds with the same page graph.
    pub(crate) page_list: crate::render::PageList,
    /// Structural page fingerprints, for rebuilds where only texts changed.
    pub(crate) structure: StructureMemo,
    /// Files every page's templates asked for through `asset()` (gathered as pages are
    /// kept), so their fingerprinted copies are published.
    pub(crate) template_assets: std::collections::BTreeSet<String>,
    /// Template lookup answers and the compiled templates, under a fingerprint of the page
    /// graph, the global inputs and the asset URLs.
    pub(crate) templates: Option<(u64, CompiledTemplates)>,
    pub(crate) highlighter: Arc<Highlighter>,
    /// What the last build did.
    pub stats: CacheStats,
}

impl BuildCache {
    /// An empty cache: the next build is a full build.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Per-build fingerprints shared by many pages, computed once: plans, each section's
/// listing per language, each country's plans, the home page's country listing.
pub struct FingerprintIndex<'a> {
    global: u64,
    plans: HashMap<&'a str, u64>,
    summaries: ahash::AHashMap<(&'a str, &'a str), u64>,
    country_keys: ahash::AHashMap<&'a str, String>,
    listings: ahash::AHashMap<(&'a str, &'a str), u64>,
    country_plans: HashMap<&'a str, u64>,
    countries: HashMap<&'a str, u64>,
}

impl<'a> FingerprintIndex<'a> {
    /// Computes the shared fingerprints of `site`; `global` covers config, templates,
    /// strings, assets and options.
    pub fn new(site: &'a Site, global: u64) -> Self {
        use rayon::prelude::*;
        let plans = plan_fingerprints(site);
        let languages: Vec<&str> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        let keys: Vec<(&str, &str)> = site
            .translations
            .keys()
            .flat_map(|key| languages.iter().map(move |lang| (key.as_str(), *lang)))
            .collect();
        let computed: Vec<((&str, &str), u64)> = keys
            .into_par_iter()
            .map(|(key, lang)| ((key, lang), summary_fingerprint(site, key, lang)))
            .collect();
        let summaries: ahash::AHashMap<(&str, &str), u64> = computed.into_iter().collect();
        let listing = |key: &str, lang: &str| {
            let mut fp = Fingerprinter::default();
            for child in site.children.get(key).into_iter().flatten() {
                fp.add(&summaries.get(&(child.as_str(), lang)));
            }
            fp.finish()
        };
        let listings = site
            .children
            .keys()
            .flat_map(|key| languages.iter().map(move |lang| (key.as_str(), *lang)))
            .map(|(key, lang)| ((key, lang), listing(key, lang)))
            .collect::<ahash::AHashMap<_, _>>();
        let mut country_plans: HashMap<&str, Fingerprinter> = HashMap::new();
        for plan in site.plans.values() {
            country_plans
                .entry(plan.country.as_str())
                .or_default()
                .add(&plans.get(plan.id.as_str()));
        }
        let countries = languages
            .iter()
            .map(|lang| {
                let mut fp = Fingerprinter::default();
                for country in site.countries() {
                    fp.add(&summaries.get(&(country, *lang)))
                        .add(&listings.get(&(country, *lang)));
                }
                (*lang, fp.finish())
            })
            .collect();
        let mut country_keys = ahash::AHashMap::new();
        for country in site.pages.iter().filter_map(|p| p.country.as_deref()) {
            country_keys
                .entry(country)
                .or_insert_with(|| paths::section_key(country));
        }
        FingerprintIndex {
            global,
            plans,
            summaries,
            country_keys,
            listings,
            country_plans: country_plans
                .into_iter()
                .map(|(k, fp)| (k, fp.finish()))
                .collect(),
            countries,
        }
    }

    fn summary(&self, key: &str, lang: &str) -> Option<u64> {
        self.summaries.get(&(key, lang)).copied()
    }

    /// Fingerprint of a page without content file (language picker, 404 pages): the
    /// countries it lists and the home pages its language links go to.
    pub fn special_fingerprint(&self, site: &Site, lang: &str, path: &str) -> u64 {
        let mut fp = Fingerprinter::default();
        fp.add(&self.global)
            .add(lang)
            .add(path)
            .add(&self.countries.get(lang));
        for language in &site.config.languages {
            fp.add(
                &site
                    .page(paths::SECTION_INDEX, &language.code)
                    .map(|p| &p.path),
            );
        }
        fp.finish()
    }

    /// The listing of a country's section, by country name (no key to build per page).
    fn country_listing(&self, country: &str, lang: &str) -> Option<u64> {
        let key = self.country_keys.get(country)?;
        self.listing(key, lang)
    }

    fn listing(&self, key: &str, lang: &str) -> Option<u64> {
        self.listings.get(&(key, lang)).copied()
    }
}

/// What a page's context is built from ([`crate::render::ContextBuilder::page`]) is hashed
/// in two parts; keep them in step with it: every field the context reads must be hashed in
/// one of them. This is the part that depends only on the page graph and the global inputs,
/// not on any page's text: it stands as long as both do, so a rebuild after a body edit
/// reuses it instead of recomputing the shared fingerprints.
pub fn structural_fingerprint(site: &Site, index: usize, shared: &FingerprintIndex<'_>) -> u64 {
    let page = &site.pages[index];
    let config = &site.config;
    let mut fp = Fingerprinter::default();
    fp.add(&shared.global)
        .add(&page.key)
        .add(&page.lang)
        .add(&page.path)
        .add(&page.country)
        .add(&page.parent)
        .add(&page.is_section);
    for language in &config.languages {
        fp.add(&site.page(&page.key, &language.code).map(|p| &p.path));
    }
    for plan in &page.front().plans {
        fp.add(&shared.plans.get(plan.value.as_str()));
    }
    if page.lang != config.default_language {
        fp.add(
            &site
                .page(&page.key, &config.default_language)
                .map(|p| &p.path),
        );
    }
    if let Some(parent) = &page.parent {
        fp.add(&shared.summary(parent, &page.lang));
    }
    if let Some(country) = &page.country {
        fp.add(&shared.country_listing(country, &page.lang));
    }
    if page.is_section {
        fp.add(&shared.listing(&page.key, &page.lang));
        fp.add(
            &page
                .country
                .as_deref()
                .and_then(|c| shared.country_plans.get(c)),
        );
    }
    if page.key == paths::SECTION_INDEX {
        fp.add(&shared.countries.get(page.lang.as_str()));
    }
    fp.finish()
}

/// The page's fingerprint: completes a [`structural_fingerprint`] with the texts page
/// `index` shows: its document, its rendered body and, for a translation, the
/// source-language body it is compared with.
pub fn with_texts(site: &Site, index: usize, bodies: &[Arc<Rendered>], structure: u64) -> u64 {
    let page = &site.pages[index];
    let default = &site.config.default_language;
    let mut fp = Fingerprinter::default();
    fp.add(&structure)
        .add(&page.document.fingerprint)
        .add(&bodies[index].fingerprint);
    if page.lang != *default {
        fp.add(
            &site
                .page(&page.key, default)
                .map(|p| p.document.body_fingerprint),
        );
    }
    fp.finish()
}

/// The structural fingerprints of the last build's pages and pages without content file,
/// kept while the page graph and the global inputs stay the same (see
/// [`structural_fingerprint`]).
#[derive(Debug, Default)]
pub(crate) struct StructureMemo {
    /// Page-graph shape and global inputs they were computed under.
    pub under: Option<(u64, u64)>,
    /// Per page, in page order.
    pub pages: Vec<u64>,
    /// Pages without content file, by (language, output path).
    pub special: ahash::AHashMap<(String, String), u64>,
    /// Per page, its full fingerprint with the document and body it was computed from.
    pub texts: Vec<(u64, Arc<Document>, Arc<Rendered>)>,
}

/// What a listing of `key` in `lang` shows: the version chosen (or its fallback), its path
/// and front matter.
pub fn summary_fingerprint(site: &Site, key: &str, lang: &str) -> u64 {
    let chosen = site.version_for(key, lang);
    let mut fp = Fingerprinter::default();
    fp.add(key);
    if let Some(page) = chosen {
        fp.add(&page.lang)
            .add(&page.path)
            .add(&page.is_section)
            .add(&page.document.front_fingerprint);
    }
    fp.finish()
}

/// A fingerprint per plan id.
pub fn plan_fingerprints(site: &Site) -> HashMap<&str, u64> {
    site.plans
        .iter()
        .map(|(id, plan)| {
            let mut fp = Fingerprinter::default();
            fp.add(plan.as_ref());
            (id.as_str(), fp.finish())
        })
        .collect()
}

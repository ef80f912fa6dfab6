//! The one place that sequences the stages: load (config, files) → model (pages, plans,
//! translations) → render (Markdown, then templates with Fluent strings) → write. `compile`
//! is pure over a [`SourceTree`], so `build`, `check` and `serve` share it; only `build`
//! touches the disk, at both ends.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::assets::{self, StaticFile};
use crate::config::Config;
use crate::content::{decode, normalize_text, Document, PlanFile};
use crate::error::{BuildFailed, Diagnostic, Diagnostics, SourceTexts};
use crate::highlight::{self, Highlighter};
use crate::i18n::{FtlFile, I18n};
use crate::incremental::{BodyEntry, BuildCache, CacheStats, Parsed};
use crate::markdown::{self, LinkResolver, Rendered};
use crate::output::{self, OutputSet};
use crate::render::{self, ContextBuilder, RenderInput};
use crate::search::tokenize::FxHashMap;
use crate::site::{self, paths, ModelOptions, Page, ParsedDocument, PlanData, Site};
use crate::source::{self, SourceTree};
use crate::templates::views::PlanView;
use crate::templates::{LookupData, TemplateSource, Templates};

/// Switches that change what a build produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SiteOptions {
    /// Replaces `base_url` from `site.yaml` (preview deploys, local serving).
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Building for `planguide serve` (templates may show preview-only things).
    pub serving: bool,
    /// Overrides `build.minify_html` from site.yaml (`--no-minify`).
    pub minify_html: Option<bool>,
}

/// `planguide build` options.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: PathBuf,
    /// What to build.
    pub site: SiteOptions,
    /// A manifest from an earlier build: report what this build added, changed, removed.
    pub changed_since: Option<PathBuf>,
}

/// The result of compiling a site in memory.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Every output file.
    pub output: OutputSet,
    /// Warnings (errors make `compile` fail instead).
    pub diagnostics: Diagnostics,
    /// Number of pages rendered (all languages).
    pub pages: usize,
    /// Time spent per stage.
    pub timings: Timings,
}

/// What a successful `build` did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// File texts for excerpts in printed warnings.
    pub sources: SourceTexts,
    /// Pages rendered.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Differences from `changed_since`, when asked.
    pub changes: Option<crate::manifest::Changes>,
    /// Time spent per stage.
    pub timings: Timings,
}

/// Reads the site at `options.root`, compiles it and, only if that succeeded, replaces the
/// output folder atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailed> {
    let refuse = |message| fail(Diagnostic::error("output", "", message));
    let target = output::resolve_output_link(&options.output).map_err(refuse)?;
    output::check_output_dir(&options.root, &target).map_err(refuse)?;
    let previous = options
        .changed_since
        .as_deref()
        .map(read_manifest)
        .transpose()
        .map_err(fail)?;
    let started = std::time::Instant::now();
    let mut tree = load(&options.root)?;
    let read = started.elapsed();
    let io_error = |error: std::io::Error| {
        fail(Diagnostic::error(
            "io",
            "",
            format!(
                "cannot write {}: {error}; the previous output is unchanged",
                options.output.display()
            ),
        ))
    };
    let staging = output::Staging::create(&target).map_err(io_error)?;
    let mut cache = BuildCache::new();
    let prepared = prepare(&tree, &options.site).map_err(|d| failed(d, &tree))?;
    // From here the documents hold the Markdown, and let it go once it is rendered.
    tree.forget_markdown();
    let compilation = compile_prepared(prepared, &options.site, &mut cache, Some(&staging))
        .map_err(|d| failed(d, &tree))?;
    let Compilation {
        site,
        bodies,
        i18n,
        templates,
        output,
        diagnostics,
        timings,
    } = compilation;
    let mut compiled = Compiled {
        pages: site.pages.len(),
        output,
        diagnostics,
        timings,
    };
    // Millions of small allocations nothing reads any more: freed beside the writing
    // rather than before it (about half a second at 200,000 pages).
    drop_in_background((cache, site, bodies, i18n, templates));
    compiled
        .timings
        .laps
        .insert(0, Lap::stage("read", read, None));
    let changes = previous
        .map(|old| crate::manifest::diff(&old, &crate::manifest::Manifest::of(&compiled.output)));
    staging.write_all(&compiled.output).map_err(io_error)?;
    staging.commit().map_err(io_error)?;
    compiled.timings.lap("write");
    Ok(BuildReport {
        timings: compiled.timings,
        sources: source_texts(&compiled.diagnostics, &tree),
        pages: compiled.pages,
        files: compiled.output.len(),
        diagnostics: compiled.diagnostics,
        changes,
    })
}

/// Drops `value` on a thread of its own. If the process exits first, the OS reclaims it.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the value is dropped here instead.
    let _ = std::thread::Builder::new()
        .name("planguide-drop".into())
        .spawn(move || drop(value));
}

fn read_manifest(path: &std::path::Path) -> Result<crate::manifest::Manifest, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error("io", "", format!("--changed-since {}: {e}", path.display()))
    })?;
    crate::manifest::Manifest::from_json(&text).map_err(|m| {
        Diagnostic::error(
            "manifest",
            "",
            format!("--changed-since {}: {m}", path.display()),
        )
    })
}

/// Reads every input file (the config first, to learn the theme).
pub fn load(root: &std::path::Path) -> Result<SourceTree, BuildFailed> {
    let config_bytes = source::read_config(root).map_err(fail)?;
    Ok(source::read_tree(root, &theme_named_in(&config_bytes)))
}

/// The theme a `site.yaml` names (`default` when it cannot be read), which decides which
/// theme folder is input.
pub fn theme_named_in(config: &[u8]) -> String {
    std::str::from_utf8(config)
        .ok()
        .and_then(|text| Config::parse(&normalize_text(text)).ok())
        .map_or_else(|| "default".to_string(), |c| c.theme)
}

fn fail(diagnostic: Diagnostic) -> BuildFailed {
    BuildFailed {
        diagnostics: std::iter::once(diagnostic).collect(),
        sources: SourceTexts::new(),
    }
}

/// Attaches the texts of the files the diagnostics point into.
pub fn failed(diagnostics: Diagnostics, tree: &SourceTree) -> BuildFailed {
    BuildFailed {
        sources: source_texts(&diagnostics, tree),
        diagnostics,
    }
}

/// Texts of the files mentioned by `diagnostics`, for code excerpts.
pub fn source_texts(diagnostics: &Diagnostics, tree: &SourceTree) -> SourceTexts {
    diagnostics
        .iter()
        .filter_map(|d| {
            tree.excerpt_text(&d.file)
                .map(|text| (d.file.clone(), text))
        })
        .collect()
}

/// Wall time per pipeline stage, in order, for `--timings` and serve's rebuild line, with
/// the process's peak memory after each stage where the OS tells it (Linux), so a memory
/// regression shows which stage grew. Laps follow one another and add up to the build's
/// time; a part timed on its own within a lap (see [`Timings::within`]) follows that lap.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    laps: Vec<Lap>,
    last: Option<std::time::Instant>,
}

/// One line of [`Timings`].
#[derive(Debug, Clone)]
struct Lap {
    stage: &'static str,
    took: std::time::Duration,
    peak_kib: Option<u64>,
    /// The lap this part ran within (beside other work), if it is a part.
    within: Option<&'static str>,
}

impl Lap {
    /// A stage of the build, with the peak memory after it where known.
    fn stage(stage: &'static str, took: std::time::Duration, peak_kib: Option<u64>) -> Lap {
        Lap {
            stage,
            took,
            peak_kib,
            within: None,
        }
    }
}

/// Peak resident memory of this process so far, in KiB (`VmHWM`), where the OS reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Timings {
    /// Starts timing.
    pub fn start() -> Self {
        Timings {
            laps: Vec::new(),
            last: Some(std::time::Instant::now()),
        }
    }

    /// Each stage with its time, in order (for benchmarks that summarise many rebuilds);
    /// parts timed within a lap are listed after it.
    pub fn stages(&self) -> Vec<(&'static str, std::time::Duration)> {
        self.laps.iter().map(|lap| (lap.stage, lap.took)).collect()
    }

    /// Records the time since the previous lap under `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        if let Some(last) = self.last {
            self.laps
                .push(Lap::stage(stage, now - last, peak_rss_kib()));
        }
        self.last = Some(now);
    }

    /// Records `part`, which took `took` within the last lap while other work of that lap
    /// ran beside it (on another core, or on the same one before or after): its time is
    /// part of that lap's, and the next lap starts as before.
    pub fn within(&mut self, part: &'static str, took: std::time::Duration) {
        let host = self.laps.iter().rev().find(|lap| lap.within.is_none());
        let within = Some(host.map_or("", |lap| lap.stage));
        self.laps.push(Lap {
            stage: part,
            took,
            peak_kib: None,
            within,
        });
    }

    /// `stage 12.3 ms  peak 120 MB` lines (`part 4.5 ms  within stage` for parts).
    pub fn report(&self) -> String {
        self.laps
            .iter()
            .map(|lap| {
                let (stage, ms) = (lap.stage, lap.took.as_secs_f64() * 1000.0);
                match (lap.within, lap.peak_kib) {
                    (Some(host), _) => format!("{stage:>12} {ms:8.1} ms  within {host}\n"),
                    (None, Some(kib)) => {
                        format!("{stage:>12} {ms:8.1} ms  peak {:5} MB\n", kib / 1024)
                    }
                    (None, None) => format!("{stage:>12} {ms:8.1} ms\n"),
                }
            })
            .collect()
    }
}

/// Everything a compilation produced, for `check` and `serve` to inspect further.
pub struct Compilation {
    /// The page graph.
    pub site: Site,
    /// Markdown output per page, indexed like `site.pages`.
    pub bodies: Vec<Arc<Rendered>>,
    /// UI strings.
    pub i18n: Arc<I18n>,
    /// Template sources in use (theme, then site overrides).
    pub templates: Vec<TemplateSource>,
    /// Every output file.
    pub output: OutputSet,
    /// Warnings (errors make compilation fail instead).
    pub diagnostics: Diagnostics,
    /// Time spent per stage.
    pub timings: Timings,
}

/// Compiles a site held in memory into output files. Pure. Fails with every error found.
pub fn compile(tree: &SourceTree, options: &SiteOptions) -> Result<Compiled, Diagnostics> {
    compile_full(tree, options).map(|c| Compiled {
        pages: c.site.pages.len(),
        output: c.output,
        diagnostics: c.diagnostics,
        timings: c.timings,
    })
}

/// As [`compile`], keeping the intermediate stages.
pub fn compile_full(tree: &SourceTree, options: &SiteOptions) -> Result<Compilation, Diagnostics> {
    compile_with(tree, options, &mut BuildCache::new())
}

/// Compiles reusing what `cache` holds from an earlier build of the same site, and leaves
/// this build's stages in it. With an empty cache this is a full build; the output is the
/// same either way.
pub fn compile_with(
    tree: &SourceTree,
    options: &SiteOptions,
    cache: &mut BuildCache,
) -> Result<Compilation, Diagnostics> {
    compile_into(tree, options, cache, None)
}

/// As [`compile_with`], writing pages to `sink` as soon as they are rendered instead of
/// keeping them in memory (the output set then lists them as streamed).
pub fn compile_into(
    tree: &SourceTree,
    options: &SiteOptions,
    cache: &mut BuildCache,
    sink: Option<&dyn crate::output::PageSink>,
) -> Result<Compilation, Diagnostics> {
    let prepared = prepare(tree, options)?;
    compile_prepared(prepared, options, cache, sink)
}

/// What compilation takes from the source tree: the config and the classified inputs.
/// Nothing after this reads the tree, so a one-shot build can drop the tree's hold on the
/// Markdown files (see [`SourceTree::forget_markdown`]).
pub struct Prepared {
    config: Arc<Config>,
    config_bytes: Option<Arc<[u8]>>,
    inputs: Inputs,
    problems: Diagnostics,
    timings: Timings,
}

/// Parses the config and sorts the tree's files into inputs.
pub fn prepare(tree: &SourceTree, options: &SiteOptions) -> Result<Prepared, Diagnostics> {
    let timings = Timings::start();
    if !options.serving {
        crate::search::warm_up();
    }
    let mut problems = Diagnostics::default();
    problems.extend(tree.problems.iter().cloned());
    let config = Arc::new(parse_config(tree, options)?);
    let inputs = classify(tree, &config, &mut problems);
    Ok(Prepared {
        config,
        config_bytes: tree.files.get(crate::config::CONFIG_FILE).cloned(),
        inputs,
        problems,
        timings,
    })
}

/// Compiles prepared inputs. With a `sink` this is a one-shot build to disk: pages are
/// written as they are rendered and, once every body is rendered, the Markdown sources are
/// released (the cache is not meant for reuse after such a build).
pub fn compile_prepared(
    prepared: Prepared,
    options: &SiteOptions,
    cache: &mut BuildCache,
    sink: Option<&dyn crate::output::PageSink>,
) -> Result<Compilation, Diagnostics> {
    let Prepared {
        config,
        config_bytes,
        mut inputs,
        mut problems,
        mut timings,
    } = prepared;
    cache.stats = CacheStats::default();
    let (documents, plans) = parse_content(&inputs, cache, &mut problems);
    timings.lap("parse");
    let model = ModelOptions {
        drafts: options.drafts,
    };
    // The validated config (with the options that override it), hashed once for the stages
    // that depend on all of it.
    let config_id = crate::incremental::fingerprint(format!("{config:?}").as_bytes());
    let (site, model_problems) = model_stage(&config, config_id, documents, plans, model, cache);
    problems.extend(model_problems);
    let assets = published_assets(&inputs.statics, &config, cache, &mut problems);
    let minify_html = !options.serving && options.minify_html.unwrap_or(config.build.minify_html);
    let global = global_inputs(
        config_bytes.as_deref(),
        &inputs,
        &assets,
        options,
        minify_html,
    );
    let (i18n, plan_views) = strings_and_plans(&inputs, &site, global, cache, &mut problems);
    timings.lap("model");
    // Sitemap and feeds need only the page graph. Making them is mostly sequential, so
    // they run beside the templates and Markdown, filling a core those leave idle at
    // times; when building they are written out at once.
    let mut memos = ListingMemos {
        key: graph_and_global(cache, global),
        site_files: cache.site_files.take(),
        sitemap: cache.sitemap.take(),
    };
    let ((listings, listed_in), ((templates, templates_in), bodies)) = rayon::join(
        || timed(|| listing_output(&site, global, &mut memos, sink)),
        || {
            let templates = timed(|| {
                compiled_templates(
                    &inputs.templates,
                    &site,
                    &i18n,
                    &plan_views,
                    &assets,
                    global,
                    cache,
                )
            });
            let bodies = render_markdown(&site, &inputs.content_assets, cache, &mut problems);
            (templates, bodies)
        },
    );
    (cache.site_files, cache.sitemap) = (memos.site_files, memos.sitemap);
    let templates = templates.map_err(|e| problems.extend(e));
    let (listings, listing_problems) = listings;
    problems.extend(listing_problems);
    if sink.is_some() {
        release_sources(&site, &mut inputs, cache);
    }
    timings.lap("markdown");
    timings.within("templates", templates_in);
    timings.within("feeds+maps", listed_in);
    let (lookup, templates) = match templates {
        Ok(compiled) if !stops_rendering(&problems) => compiled,
        _ => return Err(problems),
    };
    let contexts = ContextBuilder::new(&site, &i18n, &plan_views, options.serving);
    let weight = (!options.serving).then(|| weight_budget(&config, &assets));
    let input = RenderInput {
        site: &site,
        bodies: &bodies,
        templates: &templates,
        contexts: &contexts,
        lookup: &lookup,
        minify_html,
        sink,
        weight: weight.as_ref(),
    };
    let output = assemble(
        &input,
        Assembly {
            assets,
            content_assets: &inputs.content_assets,
            global,
            search: !options.serving,
            listings,
        },
        cache,
        &mut problems,
        &mut timings,
    );
    problems.extend(site_checks(
        &site, &bodies, &output, config_id, cache, options,
    ));
    timings.lap("checks");
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Compilation {
        site,
        bodies,
        i18n,
        templates: inputs.templates,
        output,
        diagnostics: problems,
        timings,
    })
}

/// Problems found before rendering that leave nothing sound to render: any error but a
/// broken `@/` link, whose page renders all the same. Rendering past those lets the build
/// report every broken link and anchor of the site in one run; it still fails at the end.
fn stops_rendering(problems: &Diagnostics) -> bool {
    problems
        .iter()
        .any(|problem| problem.is_error() && problem.code != "broken-link")
}

/// What `work` returns and how long it took.
fn timed<T>(work: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let started = std::time::Instant::now();
    (work(), started.elapsed())
}

/// Lets go of every hold on the Markdown sources once the bodies are rendered: the inputs',
/// the parse cache's and the documents' own (keeping the body hash of source-language pages
/// whose translations record one, for the staleness notice).
fn release_sources(site: &Site, inputs: &mut Inputs, cache: &mut BuildCache) {
    inputs.markdown = Vec::new();
    cache.documents = Default::default();
    let default = &site.config.default_language;
    let compared: std::collections::HashSet<&str> = site
        .pages
        .iter()
        .filter(|page| page.lang != *default && page.front().source_hash.is_some())
        .map(|page| page.key.as_str())
        .collect();
    site.pages.par_iter().for_each(|page| {
        let keep_hash = page.lang == *default && compared.contains(page.key.as_str());
        page.document.release_source(keep_hash);
    });
}

/// The page-weight budget with the gzip sizes of the site's CSS and JS.
fn weight_budget(config: &Config, assets: &assets::Assets) -> crate::check::WeightBudget {
    crate::check::WeightBudget::new(
        config.build.page_weight_budget_kb,
        &assets.files,
        config.base_url.path_prefix(),
    )
}

/// Checks over the built site that are errors in every build: links and anchors; and, when
/// building, the page-weight budget.
fn site_checks(
    site: &Site,
    bodies: &[Arc<Rendered>],
    output: &OutputSet,
    config_id: u64,
    cache: &mut BuildCache,
    options: &SiteOptions,
) -> Vec<Diagnostic> {
    // Link findings depend on the config (base path, languages), not on the rest of the
    // page graph: a title edit keeps them.
    let same_config = cache.checked_config == Some(config_id);
    cache.checked_config = Some(config_id);
    let mut problems = crate::check::links(
        site,
        bodies,
        output,
        &cache.pages,
        options.serving.then_some(&mut cache.link_checks),
        same_config,
    );
    problems.extend(render::feeds::undated_guides(site));
    if !options.serving {
        let weights: ahash::AHashMap<String, u64> = cache
            .pages
            .iter()
            .filter_map(|(path, entry)| Some((path.clone(), entry.over_budget?)))
            .collect();
        problems.extend(crate::check::page_weight(
            site,
            &weights,
            site.config.build.page_weight_budget_kb,
        ));
    }
    problems
}

/// Fingerprint of what every page depends on: config, templates, strings, assets, options.
fn global_inputs(
    config_bytes: Option<&[u8]>,
    inputs: &Inputs,
    assets: &assets::Assets,
    options: &SiteOptions,
    minify_html: bool,
) -> u64 {
    let mut fp = crate::incremental::Fingerprinter::default();
    fp.add(&config_bytes);
    for template in &inputs.templates {
        fp.add(&template.name).add(&*template.text);
    }
    for (path, lang, text) in &inputs.ftl {
        fp.add(path).add(lang).add(text);
    }
    // Pages reach static files only through asset(), whose answers each page records, so a
    // new image re-renders nothing while serving. A build also weighs each page with the
    // CSS and JS it loads, so there every static file counts.
    if !options.serving {
        fp.add(&assets.urls);
    }
    fp.add(options).add(&minify_html);
    fp.finish()
}

/// The page graph, reused from the previous build (with the new documents swapped in) when
/// only bodies changed: the common case while editing.
fn model_stage(
    config: &Arc<Config>,
    config_id: u64,
    documents: Vec<ParsedDocument>,
    plans: PlanData,
    model: ModelOptions,
    cache: &mut BuildCache,
) -> (Site, Vec<Diagnostic>) {
    let shape = site::shape_fingerprint(config_id, model, &documents, &plans);
    cache.model_reused = matches!(&cache.model, Some((previous, _, _)) if *previous == shape);
    cache.changed_pages = None;
    let (site, found) = match &cache.model {
        Some((previous, site, found)) if *previous == shape => {
            let (site, changed) = site.with_bodies(&documents);
            cache.changed_pages = Some(changed);
            (site, found.clone())
        }
        _ => site::build(config.clone(), documents, plans, model),
    };
    cache.model = Some((shape, site.clone(), found.clone()));
    (site, found)
}

/// The page graph's shape this build was made with (see [`site::shape_fingerprint`]).
fn graph_shape(cache: &BuildCache) -> Option<u64> {
    cache.model.as_ref().map(|(shape, _, _)| *shape)
}

/// The key of what depends only on the page graph and the global inputs.
fn graph_and_global(cache: &BuildCache, global: u64) -> u64 {
    crate::incremental::Fingerprinter::default()
        .add(&global)
        .add(&graph_shape(cache))
        .finish()
}

/// UI strings and the plans as templates show them, reused while the global inputs (which
/// hold the string files and the config) and the page graph (which holds the plans) stand.
fn strings_and_plans(
    inputs: &Inputs,
    site: &Site,
    global: u64,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) -> (Arc<I18n>, Arc<PlanViews>) {
    let key = graph_and_global(cache, global);
    if let Some(kept) = crate::incremental::kept(&cache.strings, &key) {
        return kept;
    }
    let mut found = Diagnostics::default();
    let i18n = Arc::new(load_i18n(inputs, &site.config, &mut found));
    let views = Arc::new(plan_views(site, &i18n));
    if found.is_empty() {
        cache.strings = Some((key, (i18n.clone(), views.clone())));
    }
    problems.extend(found);
    (i18n, views)
}

pub(crate) fn load_i18n(inputs: &Inputs, config: &Config, problems: &mut Diagnostics) -> I18n {
    let ftl: Vec<FtlFile<'_>> = inputs
        .ftl
        .iter()
        .map(|(path, lang, text)| FtlFile { path, lang, text })
        .collect();
    let (i18n, found) = I18n::load(config, &ftl);
    problems.extend(found);
    i18n
}

pub(crate) fn parse_config(
    tree: &SourceTree,
    options: &SiteOptions,
) -> Result<Config, Diagnostics> {
    let Some(bytes) = tree.files.get(crate::config::CONFIG_FILE) else {
        let missing = Diagnostic::error("io", crate::config::CONFIG_FILE, "site.yaml is missing")
            .hint("run planguide in a site folder, pass --root, or create one with `planguide new site DIR`");
        return Err(std::iter::once(missing).collect());
    };
    let text = decode(crate::config::CONFIG_FILE, bytes)
        .map_err(|d| std::iter::once(d).collect::<Diagnostics>())?;
    let mut config =
        Config::parse(&normalize_text(text)).map_err(|d| d.into_iter().collect::<Diagnostics>())?;
    if let Some(base_url) = &options.base_url {
        config
            .override_base_url(base_url)
            .map_err(|d| std::iter::once(d).collect::<Diagnostics>())?;
    }
    Ok(config)
}

/// Input files sorted by role.
#[derive(Default)]
pub(crate) struct Inputs {
    markdown: Vec<(String, Arc<[u8]>)>,
    pub(crate) plan_data: Vec<(String, Arc<[u8]>)>,
    content_assets: BTreeMap<String, Arc<[u8]>>,
    ftl: Vec<(String, String, String)>,
    templates: Vec<TemplateSource>,
    statics: Vec<StaticFile>,
}

pub(crate) fn classify(tree: &SourceTree, config: &Config, problems: &mut Diagnostics) -> Inputs {
    let mut inputs = Inputs::default();
    let theme_templates = format!("themes/{}/templates/", config.theme);
    let theme_static = format!("themes/{}/static/", config.theme);
    let mut site_templates = Vec::new();
    let mut site_statics = Vec::new();
    for (path, bytes) in &tree.files {
        if let Some(inside) = path.strip_prefix("content/") {
            add_content_file(&mut inputs, path, inside, bytes);
        } else if let Some(rest) = path.strip_prefix("i18n/") {
            let lang = rest.split_once('/').map(|(lang, _)| lang);
            if let (Some(lang), true) = (lang, path.ends_with(".ftl")) {
                if let Some(text) = input_text(path, bytes, problems) {
                    inputs.ftl.push((path.clone(), lang.to_string(), text));
                }
            }
        } else if let Some(name) = path.strip_prefix(&theme_templates) {
            inputs
                .templates
                .extend(template_source(name, path, bytes, problems));
        } else if let Some(name) = path.strip_prefix("templates/") {
            site_templates.extend(template_source(name, path, bytes, problems));
        } else if let Some(name) = path.strip_prefix(&theme_static) {
            inputs.statics.push(static_file(name, bytes));
        } else if let Some(name) = path.strip_prefix("static/") {
            site_statics.push(static_file(name, bytes));
        }
    }
    if inputs.templates.is_empty() && site_templates.is_empty() {
        problems.push(
            Diagnostic::error(
                "missing-template",
                &theme_templates,
                format!("theme `{}` has no templates", config.theme),
            )
            .hint("check `theme:` in site.yaml and that themes/<theme>/templates/ exists"),
        );
    }
    // The site's own templates and static files take the place of the theme's.
    inputs
        .templates
        .retain(|t| !site_templates.iter().any(|s| s.name == t.name));
    inputs.templates.extend(site_templates);
    inputs.statics.extend(site_statics);
    inputs
}

/// A file under `content/`: a page, plan data, or a file published beside the pages.
fn add_content_file(inputs: &mut Inputs, path: &str, inside: &str, bytes: &Arc<[u8]>) {
    if path.ends_with(".md") {
        inputs.markdown.push((path.to_string(), bytes.clone()));
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        inputs.plan_data.push((path.to_string(), bytes.clone()));
    } else {
        inputs
            .content_assets
            .insert(inside.to_string(), bytes.clone());
    }
}

/// The text of a template or string file, or a problem when it is not UTF-8.
fn input_text(path: &str, bytes: &[u8], problems: &mut Diagnostics) -> Option<String> {
    match decode(path, bytes) {
        Ok(text) => Some(normalize_text(text).into_owned()),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

fn template_source(
    name: &str,
    path: &str,
    bytes: &[u8],
    problems: &mut Diagnostics,
) -> Option<TemplateSource> {
    input_text(path, bytes, problems).map(|text| TemplateSource {
        name: name.to_string(),
        file: path.to_string(),
        text: Arc::from(text),
    })
}

fn static_file(name: &str, bytes: &Arc<[u8]>) -> StaticFile {
    StaticFile {
        logical: name.to_string(),
        bytes: bytes.clone(),
    }
}

/// A content file's parse, and whether it was parsed now (not taken from the cache).
type DocumentParse = Result<(Arc<Document>, bool), Vec<Diagnostic>>;

fn parse_content(
    inputs: &Inputs,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) -> (Vec<ParsedDocument>, PlanData) {
    // Each file's parse and whether it is new: a cached parse of the same bytes stands.
    let parsed: Vec<DocumentParse> = inputs
        .markdown
        .par_iter()
        .map(|(file, bytes)| match cache.documents.get(file) {
            Some(hit) if Arc::ptr_eq(&hit.source, bytes) => Ok((hit.value.clone(), false)),
            _ => parse_document(file, bytes).map(|d| (Arc::new(d), true)),
        })
        .collect();
    let mut documents = Vec::with_capacity(inputs.markdown.len());
    for ((file, source), result) in inputs.markdown.iter().zip(parsed) {
        match result {
            Ok((document, false)) => documents.push(ParsedDocument {
                file: file.clone(),
                document,
            }),
            Ok((document, true)) => {
                cache.stats.parsed += 1;
                let parsed = Parsed {
                    source: source.clone(),
                    value: document.clone(),
                };
                cache.documents.insert(file.clone(), parsed);
                documents.push(ParsedDocument {
                    file: file.clone(),
                    document,
                });
            }
            Err(found) => {
                cache.documents.remove(file);
                problems.extend(found);
            }
        }
    }
    // Files that are gone leave the cache too.
    if cache.documents.len() > documents.len() {
        let present: ahash::AHashSet<&str> = documents.iter().map(|d| d.file.as_str()).collect();
        cache
            .documents
            .retain(|file, _| present.contains(file.as_str()));
    }
    (documents, parse_plans(inputs, cache, problems))
}

fn parse_document(file: &str, bytes: &Arc<[u8]>) -> Result<Document, Vec<Diagnostic>> {
    Document::from_source(file, bytes.clone())
}

fn parse_plans(inputs: &Inputs, cache: &mut BuildCache, problems: &mut Diagnostics) -> PlanData {
    let mut plans = Vec::new();
    let mut unloaded = std::collections::BTreeSet::new();
    let mut next = ahash::AHashMap::new();
    for (file, bytes) in &inputs.plan_data {
        let parsed = match cache
            .plans
            .get(file)
            .filter(|c| Arc::ptr_eq(&c.source, bytes))
        {
            Some(hit) => Ok(hit.value.clone()),
            None => decode(file, bytes)
                .map_err(|d| vec![d])
                .and_then(|text| PlanFile::parse(file, &normalize_text(text)))
                .map(|parsed| parsed.plans),
        };
        match parsed {
            Ok(found) => {
                plans.extend(found.iter().cloned());
                next.insert(
                    file.clone(),
                    Parsed {
                        source: bytes.clone(),
                        value: found,
                    },
                );
            }
            Err(found) => {
                problems.extend(found);
                unloaded.extend(crate::content::declared_ids(&String::from_utf8_lossy(
                    bytes,
                )));
            }
        }
    }
    cache.plans = next;
    PlanData { plans, unloaded }
}

/// Each plan as templates show it, by (language, plan id).
pub(crate) type PlanViews = BTreeMap<(String, String), Arc<PlanView>>;

fn plan_views(site: &Site, i18n: &I18n) -> PlanViews {
    let mut views = BTreeMap::new();
    for language in &site.config.languages {
        for plan in site.plans.values() {
            let view = PlanView::new(plan, &language.code, &site.config.default_language, i18n);
            views.insert((language.code.clone(), plan.id.clone()), Arc::new(view));
        }
    }
    views
}

/// The generated highlighting stylesheet's logical name, for `asset(path="css/syntax.css")`.
pub const SYNTAX_CSS: &str = "css/syntax.css";

/// [`publish_assets`], reused while the static files, the highlight themes and the base URL
/// are the same (loading syntect's themes for the highlight stylesheet, minifying and
/// fingerprinting take milliseconds of every rebuild otherwise).
fn published_assets(
    statics: &[StaticFile],
    config: &Config,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) -> assets::Assets {
    let mut fp = crate::incremental::Fingerprinter::default();
    fp.add(&config.build.highlight_theme)
        .add(&config.build.highlight_theme_dark)
        .add(&format!("{:?}", config.base_url));
    for file in statics {
        fp.add(&file.logical)
            .add(&crate::incremental::fingerprint(&file.bytes));
    }
    let key = fp.finish();
    if let Some(assets) = crate::incremental::kept(&cache.assets, &key) {
        return assets;
    }
    let mut found = Diagnostics::default();
    let assets = publish_assets(statics.to_vec(), config, &mut found);
    if found.is_empty() {
        cache.assets = Some((key, assets.clone()));
    }
    problems.extend(found);
    assets
}

fn publish_assets(
    mut statics: Vec<StaticFile>,
    config: &Config,
    problems: &mut Diagnostics,
) -> assets::Assets {
    match highlight::theme_css(
        &config.build.highlight_theme,
        &config.build.highlight_theme_dark,
    ) {
        Ok(css) => statics.insert(
            0,
            StaticFile {
                logical: SYNTAX_CSS.to_string(),
                bytes: Arc::from(css.into_bytes()),
            },
        ),
        Err(message) => problems.push(Diagnostic::error(
            "config",
            crate::config::CONFIG_FILE,
            message,
        )),
    }
    assets::publish(statics, &config.base_url)
}

/// What templates look up, and the templates compiled against it: reused while the page
/// graph, the global inputs (templates, strings, config) and the asset URLs are the same.
fn compiled_templates(
    sources: &[TemplateSource],
    site: &Site,
    i18n: &Arc<I18n>,
    plans: &PlanViews,
    assets: &assets::Assets,
    global: u64,
    cache: &mut BuildCache,
) -> Result<(Arc<LookupData>, Arc<Templates>), Vec<Diagnostic>> {
    let key = crate::incremental::Fingerprinter::default()
        .add(&graph_and_global(cache, global))
        .add(&assets.urls)
        .finish();
    if let Some(compiled) = crate::incremental::kept(&cache.templates, &key) {
        return Ok(compiled);
    }
    let lookup = Arc::new(lookup_data(site, i18n, plans, assets));
    let templates = Arc::new(Templates::compile(sources, lookup.clone())?);
    cache.templates = Some((key, (lookup.clone(), templates.clone())));
    Ok((lookup, templates))
}

fn lookup_data(
    site: &Site,
    i18n: &Arc<I18n>,
    plans: &PlanViews,
    assets: &assets::Assets,
) -> LookupData {
    let base = &site.config.base_url;
    let urls = site
        .translations
        .iter()
        .map(|(key, versions)| {
            let by_lang = versions
                .iter()
                .map(|(lang, &i)| (lang.clone(), base.href(&site.pages[i].path)))
                .collect();
            (key.clone(), by_lang)
        })
        .collect();
    let homes = site
        .config
        .languages
        .iter()
        .map(|l| (l.code.clone(), base.href(&format!("/{}/", l.code))))
        .collect();
    LookupData::new(
        i18n.clone(),
        urls,
        homes,
        plans.clone(),
        assets.urls.clone(),
    )
}

/// Resolves `@/` links for one language: same-language page, else the default language's,
/// else any; `@/path.png` names a file next to the content.
struct SiteLinks<'a> {
    site: &'a Site,
    lang: &'a str,
    content_assets: &'a BTreeMap<String, Arc<[u8]>>,
    /// Keys of pages whose files did not parse: their error is reported already, and a link
    /// to them is not also reported as broken (one mistake, one message).
    unparsed: &'a ahash::AHashSet<String>,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, content_path: &str) -> Result<String, String> {
        let base = &self.site.config.base_url;
        let Some((key, explicit)) = paths::link_key(&self.site.config, content_path) else {
            let file = content_path.trim_start_matches('/');
            return if self.content_assets.contains_key(file) {
                Ok(base.href(&format!("/{file}")))
            } else {
                Err(format!("`@/{content_path}` does not exist in content/"))
            };
        };
        let wanted = explicit.as_deref().unwrap_or(self.lang);
        match self.site.version_for(&key, wanted) {
            Some(page) => Ok(base.href(&page.path)),
            // The build fails on the page's own error; this body is never published.
            None if self.unparsed.contains(&key) => Ok(base.href(&format!("/{wanted}/"))),
            None => Err(format!("`@/{content_path}` does not match any page")),
        }
    }
}

/// The page keys of content files with errors so far (front matter that did not parse).
fn unparsed_keys(site: &Site, problems: &Diagnostics) -> ahash::AHashSet<String> {
    problems
        .iter()
        .filter(|problem| problem.is_error() && problem.file.ends_with(".md"))
        .filter_map(|problem| paths::identify(&site.config, &problem.file).ok())
        .map(|identity| identity.key)
        .collect()
}

fn render_markdown(
    site: &Site,
    content_assets: &BTreeMap<String, Arc<[u8]>>,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) -> Vec<Arc<Rendered>> {
    let highlighter = cache.highlighter.clone();
    let unparsed = unparsed_keys(site, problems);
    let world = link_world(site, content_assets, cache);
    let same_world = cache.link_world == Some(world);
    cache.link_world = Some(world);
    // With the same page graph the previous bodies line up with today's pages by index, so
    // each is checked without a lookup by file name.
    let aligned = cache.model_reused && cache.bodies.len() == site.pages.len();
    if aligned && same_world {
        if let Some(bodies) =
            render_changed_bodies(site, content_assets, &unparsed, cache, problems)
        {
            return bodies;
        }
    }
    let by_file: ahash::AHashMap<&str, &Arc<BodyEntry>> = if aligned {
        ahash::AHashMap::new()
    } else {
        cache.bodies.iter().map(|e| (e.file.as_str(), e)).collect()
    };
    let previous = |index: usize, page: &Page| match aligned {
        true => cache.bodies.get(index).filter(|e| e.file == page.file),
        false => by_file.get(page.file.as_str()).copied(),
    };
    let next: Vec<(Arc<BodyEntry>, bool)> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(index, page)| {
            let links = SiteLinks {
                site,
                lang: &page.lang,
                content_assets,
                unparsed: &unparsed,
            };
            match previous(index, page)
                .filter(|entry| body_still_valid(entry, page, &links, same_world))
            {
                Some(entry) => (entry.clone(), false),
                None => (Arc::new(render_body(page, &links, &highlighter)), true),
            }
        })
        .collect();
    drop(by_file);
    let mut bodies = Vec::with_capacity(next.len());
    let mut entries = Vec::with_capacity(next.len());
    for (entry, fresh) in next {
        cache.stats.markdown += usize::from(fresh);
        problems.extend(entry.problems.iter().cloned());
        bodies.push(entry.rendered.clone());
        entries.push(entry);
    }
    cache.bodies = entries;
    bodies
}

/// The common rebuild while editing: same page graph, same link answers, a few documents
/// changed. Renders those alone; `None` (nothing touched) when any other page's cached body
/// is not for its current document, and the full walk must decide.
fn render_changed_bodies(
    site: &Site,
    content_assets: &BTreeMap<String, Arc<[u8]>>,
    unparsed: &ahash::AHashSet<String>,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) -> Option<Vec<Arc<Rendered>>> {
    let changed = cache.changed_pages.clone()?;
    let mut fresh = 0;
    let mut entries = std::mem::take(&mut cache.bodies);
    for index in changed {
        let (Some(page), Some(entry)) = (site.pages.get(index), entries.get_mut(index)) else {
            continue;
        };
        if !Arc::ptr_eq(&entry.document, &page.document) || entry.file != page.file {
            let links = SiteLinks {
                site,
                lang: &page.lang,
                content_assets,
                unparsed,
            };
            *entry = Arc::new(render_body(page, &links, &cache.highlighter));
            fresh += 1;
        }
    }
    let lined_up = site
        .pages
        .iter()
        .zip(&entries)
        .all(|(page, entry)| Arc::ptr_eq(&page.document, &entry.document));
    cache.bodies = entries;
    if !lined_up {
        return None;
    }
    cache.stats.markdown += fresh;
    for entry in &cache.bodies {
        problems.extend(entry.problems.iter().cloned());
    }
    Some(cache.bodies.iter().map(|e| e.rendered.clone()).collect())
}

/// A cached body is reusable when its document is the same parse and every `@/` link it
/// resolved still resolves to the same place.
fn body_still_valid(
    entry: &BodyEntry,
    page: &crate::site::Page,
    links: &SiteLinks<'_>,
    same_world: bool,
) -> bool {
    Arc::ptr_eq(&entry.document, &page.document)
        && entry.lang == page.lang
        && (same_world
            || entry
                .links
                .iter()
                .all(|(target, answer)| links.resolve(target) == *answer))
}

/// Everything `@/` links resolve against: every page's key, language and path, the default
/// language, the base URL, and the files next to content. Unchanged, every recorded link
/// answer still holds. The pages' part is hashed only when the page graph's shape changed,
/// and a title edit (new shape, same paths) keeps the same world.
fn link_world(
    site: &Site,
    content_assets: &BTreeMap<String, Arc<[u8]>>,
    cache: &mut BuildCache,
) -> u64 {
    let shape = graph_shape(cache);
    let kept = shape.and(crate::incremental::kept(&cache.paths_world, &shape));
    let pages = kept.unwrap_or_else(|| {
        let mut fp = crate::incremental::Fingerprinter::default();
        for page in &site.pages {
            fp.add(&page.key).add(&page.lang).add(&page.path);
        }
        let pages = fp.finish();
        cache.paths_world = Some((shape, pages));
        pages
    });
    let mut fp = crate::incremental::Fingerprinter::default();
    fp.add(&pages)
        .add(&site.config.default_language)
        .add(&format!("{:?}", site.config.base_url));
    for name in content_assets.keys() {
        fp.add(name);
    }
    fp.finish()
}

fn render_body(
    page: &crate::site::Page,
    links: &SiteLinks<'_>,
    highlighter: &Highlighter,
) -> BodyEntry {
    let recording = RecordingLinks {
        inner: links,
        log: std::cell::RefCell::new(Vec::new()),
    };
    let body = page.document.body();
    let input = markdown::Input {
        file: &page.file,
        body: &body,
        body_line: page.document.body_line,
    };
    let (rendered, problems) = markdown::render(input, &recording, highlighter);
    BodyEntry {
        file: page.file.clone(),
        document: page.document.clone(),
        lang: page.lang.clone(),
        links: recording.log.into_inner(),
        rendered: Arc::new(rendered),
        problems,
    }
}

/// Remembers every `@/` link answer, so the body can be reused while the answers hold.
struct RecordingLinks<'a> {
    inner: &'a SiteLinks<'a>,
    log: std::cell::RefCell<Vec<(String, Result<String, String>)>>,
}

impl LinkResolver for RecordingLinks<'_> {
    fn resolve(&self, content_path: &str) -> Result<String, String> {
        let answer = self.inner.resolve(content_path);
        self.log
            .borrow_mut()
            .push((content_path.to_string(), answer.clone()));
        answer
    }
}

/// What `assemble` adds around the pages.
struct Assembly<'a> {
    assets: assets::Assets,
    content_assets: &'a BTreeMap<String, Arc<[u8]>>,
    global: u64,
    /// Build the search index (serve builds it lazily instead).
    search: bool,
    /// Sitemap and feeds, already made (streamed when building).
    listings: OutputSet,
}

fn assemble(
    input: &RenderInput<'_>,
    mut extra: Assembly<'_>,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
    timings: &mut Timings,
) -> OutputSet {
    let mut output = std::mem::take(&mut extra.listings);
    if extra.search {
        // Indexed before pages render, and streamed when building, so the index's working
        // memory is gone before the pages' peak.
        let stored = std::sync::Mutex::new((OutputSet::default(), Diagnostics::default()));
        search_files_into(
            input.site,
            input.bodies,
            input.contexts.i18n(),
            &|path, bytes| {
                // Written outside the lock, so the two languages write side by side.
                let written = input.sink.map(|sink| store_streamed(sink, &path, &bytes));
                if let Ok(mut stored) = stored.lock() {
                    let (files, problems) = &mut *stored;
                    record(files, problems, path, written, bytes);
                }
            },
        );
        let (files, store_problems) = stored.into_inner().unwrap_or_default();
        output.files.extend(files.files);
        output.streamed.extend(files.streamed);
        problems.extend(store_problems);
        crate::search::release();
        timings.lap("search");
    }
    let pages = render_all(input, cache, extra.global, problems, timings);
    keep_pages(pages, cache, &mut output);
    timings.lap("render");
    add_site_files(input, &extra, cache, &mut output, problems);
    timings.lap("deploy");
    if extra.search {
        let manifest = crate::manifest::Manifest::of(&output);
        output.insert(
            crate::manifest::MANIFEST_PATH,
            manifest.to_json().into_bytes(),
        );
        timings.lap("manifest");
    }
    output
}

/// Records a generated file in the output: as streamed when it was `written` to the sink,
/// else in memory; a failed write becomes a problem.
fn record(
    output: &mut OutputSet,
    problems: &mut Diagnostics,
    path: String,
    written: Option<Result<crate::output::Streamed, Diagnostic>>,
    bytes: impl Into<Arc<[u8]>>,
) {
    match written {
        Some(Ok(streamed)) => {
            output.streamed.insert(path, streamed);
        }
        Some(Err(problem)) => problems.push(problem),
        None => output.insert(path, bytes),
    }
}

/// Writes a file to the sink, returning the size and hash the manifest needs.
fn store_streamed(
    sink: &dyn crate::output::PageSink,
    path: &str,
    bytes: &[u8],
) -> Result<crate::output::Streamed, Diagnostic> {
    sink.put(path, bytes)
        .map_err(|e| Diagnostic::error("io", "", format!("cannot write {path}: {e}")))?;
    Ok(crate::output::Streamed::of(bytes))
}

/// Every page and the pages without content file, rendered or reused from the cache.
fn render_all(
    input: &RenderInput<'_>,
    cache: &mut BuildCache,
    global: u64,
    problems: &mut Diagnostics,
    timings: &mut Timings,
) -> RenderedPages {
    let site = input.site;
    let index = std::sync::OnceLock::new();
    let shared = SharedIndex {
        cell: &index,
        site,
        global,
    };
    let collisions = list_page_collisions(input, cache);
    let shape = graph_shape(cache);
    let fingerprints = page_fingerprints(input, &shared, shape, &mut cache.structure);
    timings.lap("fingerprints");
    let reuse = render::Reuse::new(input, &cache.pages);
    // Untouched pages keep their files only where the kept page files are of the same graph.
    let files_match = cache.page_files.0 == shape;
    let (mut pages, mut render_problems, untouched) = render_content_pages(
        input,
        &reuse,
        &fingerprints,
        (shape, files_match),
        &mut cache.page_list,
    );
    render_problems.extend(collisions);
    let (special, special_problems) =
        render_special_pages(input, &reuse, &shared, &mut cache.structure);
    render_problems.extend(special_problems);
    problems.extend(render::collapse_repeats(render_problems));
    pages.extend(special);
    RenderedPages { pages, untouched }
}

/// The shared fingerprints of a build, computed the first time a page needs them (a rebuild
/// that reuses the structural memo never does).
struct SharedIndex<'a> {
    cell: &'a std::sync::OnceLock<crate::incremental::FingerprintIndex<'a>>,
    site: &'a Site,
    global: u64,
}

impl<'a> SharedIndex<'a> {
    fn get(&self) -> &'a crate::incremental::FingerprintIndex<'a> {
        self.cell
            .get_or_init(|| crate::incremental::FingerprintIndex::new(self.site, self.global))
    }
}

/// Every content page's fingerprint: the structural part from the memo when the page graph
/// and the global inputs are the ones it was made under (else made again), completed with
/// the texts.
fn page_fingerprints(
    input: &RenderInput<'_>,
    shared: &SharedIndex<'_>,
    shape: Option<u64>,
    memo: &mut crate::incremental::StructureMemo,
) -> Vec<u64> {
    let site = input.site;
    let under = shape.map(|shape| (shape, shared.global));
    if under.is_none() || memo.under != under || memo.pages.len() != site.pages.len() {
        memo.pages = (0..site.pages.len())
            .into_par_iter()
            .map(|i| crate::incremental::structural_fingerprint(site, i, shared.get()))
            .collect();
        memo.special.clear();
        memo.texts.clear();
        memo.under = under;
    }
    text_fingerprints(site, input.bodies, memo)
}

/// Content pages through their templates: with `list` made for this page graph (`shape`)
/// and the kept page files too (`files_match`), only pages whose fingerprint or lookups
/// changed (the third value counts the untouched outputs); else every page, and `list` is
/// made again.
fn render_content_pages(
    input: &RenderInput<'_>,
    reuse: &render::Reuse<'_>,
    fingerprints: &[u64],
    (shape, files_match): (Option<u64>, bool),
    list: &mut render::PageList,
) -> (Vec<render::PageOutput>, Vec<Diagnostic>, Option<usize>) {
    let same_list = files_match
        && shape.is_some()
        && list.shape == shape
        && list.pages.len() == input.site.pages.len();
    if same_list {
        let (pages, problems, untouched) = render::render_changed(input, reuse, fingerprints, list);
        return (pages, problems, Some(untouched));
    }
    let (pages, problems) = render::render_pages(input, reuse, fingerprints);
    *list = render::PageList::of(shape, fingerprints, &pages);
    (pages, problems, None)
}

/// The language picker and 404 pages, their fingerprints kept in the structural memo.
fn render_special_pages(
    input: &RenderInput<'_>,
    reuse: &render::Reuse<'_>,
    shared: &SharedIndex<'_>,
    memo: &mut crate::incremental::StructureMemo,
) -> (Vec<render::PageOutput>, Vec<Diagnostic>) {
    let computed = std::sync::Mutex::new(Vec::new());
    let known = &memo.special;
    let fingerprint = |lang: &str, path: &str| {
        let key = (lang.to_string(), path.to_string());
        known.get(&key).copied().unwrap_or_else(|| {
            let fingerprint = shared.get().special_fingerprint(input.site, lang, path);
            if let Ok(mut computed) = computed.lock() {
                computed.push((key, fingerprint));
            }
            fingerprint
        })
    };
    let rendered = render::render_special(input, reuse, fingerprint);
    memo.special
        .extend(computed.into_inner().unwrap_or_default());
    rendered
}

/// The pages a build rendered or reused, and how many more it left untouched.
struct RenderedPages {
    pages: Vec<render::PageOutput>,
    /// `Some(n)`: only the listed pages are new or checked again; `n` page files of the
    /// last build stand as they were (same page graph, same fingerprints, same lookups).
    untouched: Option<usize>,
}

/// Every page's fingerprint ([`crate::incremental::with_texts`]). Only pages whose document
/// or body is not the one the memo saw, and the other versions of their keys (a translation
/// hashes its source's body), are hashed again.
fn text_fingerprints(
    site: &Site,
    bodies: &[Arc<Rendered>],
    memo: &mut crate::incremental::StructureMemo,
) -> Vec<u64> {
    use crate::incremental::with_texts;
    let count = site.pages.len();
    if memo.texts.len() != count {
        let fingerprints: Vec<u64> = (0..count)
            .into_par_iter()
            .map(|i| with_texts(site, i, bodies, memo.pages[i]))
            .collect();
        memo.texts = site
            .pages
            .iter()
            .zip(bodies)
            .zip(&fingerprints)
            .map(|((page, body), fp)| (*fp, page.document.clone(), body.clone()))
            .collect();
        return fingerprints;
    }
    let changed: BTreeSet<&str> = site
        .pages
        .iter()
        .zip(bodies)
        .zip(&memo.texts)
        .filter(|((page, body), (_, document, rendered))| {
            !Arc::ptr_eq(&page.document, document) || !Arc::ptr_eq(body, rendered)
        })
        .map(|((page, _), _)| page.key.as_str())
        .collect();
    for key in changed {
        for &index in site
            .translations
            .get(key)
            .into_iter()
            .flat_map(|v| v.values())
        {
            let fingerprint = with_texts(site, index, bodies, memo.pages[index]);
            let document = site.pages[index].document.clone();
            memo.texts[index] = (fingerprint, document, bodies[index].clone());
        }
    }
    memo.texts.iter().map(|(fp, _, _)| *fp).collect()
}

/// [`render::list_page_collisions`], which depends only on the page graph, so it is reused
/// while the graph's shape stands.
fn list_page_collisions(input: &RenderInput<'_>, cache: &mut BuildCache) -> Vec<Diagnostic> {
    let shape = graph_shape(cache);
    let kept = shape.and(crate::incremental::kept(&cache.collisions, &shape));
    kept.unwrap_or_else(|| {
        let found = render::list_page_collisions(input);
        cache.collisions = Some((shape, found.clone()));
        found
    })
}

/// Records rendered pages in the output and the cache. With the same page set as last time
/// (the model was reused) the cache is updated in place rather than rebuilt for the one page
/// that changed; with the same page graph, so do the page files kept for the next build.
fn keep_pages(rendered: RenderedPages, cache: &mut BuildCache, output: &mut OutputSet) {
    let RenderedPages { pages, untouched } = rendered;
    let same_pages =
        untouched.is_some() || (cache.model_reused && cache.pages.len() == pages.len());
    let mut next = if same_pages {
        std::mem::take(&mut cache.pages)
    } else {
        ahash::AHashMap::with_capacity(pages.len())
    };
    let shape = graph_shape(cache);
    let patch = shape.is_some() && cache.page_files.0 == shape;
    let mut files = match patch {
        true => std::mem::take(&mut cache.page_files.1),
        false => BTreeMap::new(),
    };
    cache.stats.reused += untouched.unwrap_or(0);
    let template_assets = template_assets(&cache.page_list, &pages);
    for page in pages {
        if page.fresh {
            cache.stats.rendered += 1;
        } else {
            cache.stats.reused += 1;
        }
        match &page.entry.streamed {
            Some(streamed) => {
                output.streamed.insert(page.path.clone(), streamed.clone());
            }
            // A reused page's file is already there, with the same bytes.
            None if patch && !page.fresh => {}
            None => {
                files.insert(page.path.clone(), page.entry.html.clone());
            }
        }
        if page.fresh || !same_pages {
            next.insert(page.path, page.entry);
        }
    }
    // Files made before the pages (sitemap, feeds) give way to a page at the same path.
    let earlier = std::mem::replace(&mut output.files, files.clone());
    for (path, bytes) in earlier {
        output.files.entry(path).or_insert(bytes);
    }
    cache.pages = next;
    cache.page_files = (shape, files);
    cache.template_assets = template_assets;
}

/// Every file the pages' templates asked for through `asset()`: content pages' from the page
/// list (which holds the untouched ones too), the pages without content file from `pages`.
fn template_assets(
    list: &render::PageList,
    pages: &[render::PageOutput],
) -> std::collections::BTreeSet<String> {
    let content = list.pages.iter().flat_map(|(_, outputs)| outputs);
    let special = pages.iter().filter(|p| p.index == usize::MAX);
    let entries = content
        .map(|(_, entry)| entry)
        .chain(special.map(|p| &p.entry));
    let mut assets = std::collections::BTreeSet::new();
    // Pages with the same lookups ask for the same assets: each distinct list is read once.
    let mut lists_seen = ahash::AHashSet::new();
    for entry in entries.filter(|e| lists_seen.insert(e.lookups_key)) {
        for (lookup, _) in &entry.lookups {
            if let crate::templates::Lookup::Asset(path) = lookup {
                let path = path.trim_start_matches('/');
                if !assets.contains(path) {
                    assets.insert(path.to_string());
                }
            }
        }
    }
    assets
}

/// Alias redirects, deploy rules, static assets and files next to content (sitemap and
/// feeds were made beside Markdown: see [`listing_output`]).
/// A static or content file may not take the place of a generated one: that is an error
/// naming both, never a silent overwrite.
fn add_site_files(
    input: &RenderInput<'_>,
    extra: &Assembly<'_>,
    cache: &mut BuildCache,
    output: &mut OutputSet,
    problems: &mut Diagnostics,
) {
    let referenced = assets_referenced_by_templates(extra, cache);
    let fingerprinted: Vec<String> = extra
        .assets
        .fingerprinted
        .iter()
        .cloned()
        .chain(referenced.iter().map(|(path, _)| path.clone()))
        .collect();
    for (path, bytes) in referenced {
        output.insert(path, bytes);
    }
    for (path, text) in render::deploy::render(input.site, &fingerprinted) {
        output.insert(path, text.into_bytes());
    }
    let sources = extra
        .content_assets
        .iter()
        .map(|(p, b)| (format!("content/{p}"), p, b));
    let statics = extra
        .assets
        .files
        .iter()
        .map(|(p, b)| (format!("static/{p}"), p, b));
    // Theme and site static files first: a content file in their place is the one to name.
    for (source, path, bytes) in statics.chain(sources) {
        if output.contains(path) {
            problems.push(
                Diagnostic::error("duplicate-url", source, format!("this file would replace `{path}`, which planguide generates"))
                    .hint("rename or remove the file; pages, 404 pages, sitemap.xml, robots.txt, _headers, _redirects, feeds and the search index cannot be replaced by static files"),
            );
            continue;
        }
        output.insert(path.clone(), bytes.clone());
    }
    add_alias_pages(input, output, problems);
}

/// Redirect pages at the aliases, last, so an alias that would take the place of any other
/// output file (or need a folder where a file is) is an error on the alias's line.
fn add_alias_pages(input: &RenderInput<'_>, output: &mut OutputSet, problems: &mut Diagnostics) {
    for (alias, index, path, html) in render::render_aliases(input.site) {
        if let Some(taken) = occupied_by(output, &path) {
            problems.push(alias_conflict(&input.site.pages[index], alias, &taken));
            continue;
        }
        let html = if input.minify_html {
            crate::minify::html(&html)
        } else {
            html
        };
        output.insert(path, html.into_bytes());
    }
}

/// The output file that stands where `path` would go: the path itself, or a file where one
/// of its folders would be.
fn occupied_by(output: &OutputSet, path: &str) -> Option<String> {
    let folders = path.match_indices('/').map(|(end, _)| &path[..end]);
    std::iter::once(path)
        .chain(folders)
        .find(|candidate| output.contains(candidate))
        .map(str::to_string)
}

fn alias_conflict(page: &Page, alias: &str, taken: &str) -> Diagnostic {
    let line = page
        .front()
        .aliases
        .iter()
        .find(|located| located.value == alias)
        .map_or(1, |located| located.line);
    Diagnostic::error(
        "duplicate-url",
        &page.file,
        format!("alias `{alias}` would replace `{taken}`, which planguide generates"),
    )
    .at(line, 1)
    .hint("choose an old URL that is not a page, feed, sitemap, asset or other generated file")
}

/// Fingerprinted copies of the images and other files templates asked for through `asset()`
/// (the lookups pages recorded while rendering).
fn assets_referenced_by_templates(
    extra: &Assembly<'_>,
    cache: &BuildCache,
) -> Vec<(String, Arc<[u8]>)> {
    cache
        .template_assets
        .iter()
        .filter_map(|name| extra.assets.on_request.get(name.as_str()))
        .map(|(path, bytes)| (path.clone(), bytes.clone()))
        .collect()
}

/// The cache's sitemap and feed memos, taken out of it while the listings are made beside
/// the Markdown stage, with the key of the page graph and global inputs.
struct ListingMemos {
    key: u64,
    site_files: Option<(u64, crate::incremental::SiteFiles)>,
    sitemap: Option<(u64, crate::incremental::SiteFiles)>,
}

/// Sitemap and feeds as output files: written to `sink` when building (so they do not
/// sit in memory through rendering), else kept in memory.
fn listing_output(
    site: &Site,
    global: u64,
    memos: &mut ListingMemos,
    sink: Option<&dyn crate::output::PageSink>,
) -> (OutputSet, Diagnostics) {
    let mut output = OutputSet::default();
    let mut problems = Diagnostics::default();
    // A build writes its cache nowhere, so only serve keeps the listings for the next build.
    let files = listing_files(site, global, memos, sink.is_none());
    for (path, bytes) in files.iter() {
        let written = sink.map(|sink| store_streamed(sink, path, bytes));
        record(
            &mut output,
            &mut problems,
            path.clone(),
            written,
            bytes.clone(),
        );
    }
    (output, problems)
}

/// Sitemap and feeds: they depend only on which pages exist, where, and their front
/// matter, so serve regenerates them only when one of those changed.
fn listing_files(
    site: &Site,
    global: u64,
    memos: &mut ListingMemos,
    keep: bool,
) -> crate::incremental::SiteFiles {
    // The page graph's shape covers every page's path, key, language and front matter.
    let fingerprint = memos.key;
    if let Some(files) = crate::incremental::kept(&memos.site_files, &fingerprint) {
        return files;
    }
    // A new graph need not mean a new sitemap: a title edit changes the feeds only.
    let sitemap = sitemap_files(site, global, &mut memos.sitemap, keep);
    // Shared with the output set, not copied: the sitemap alone is ~15 MB at 20,000 pages.
    let mut files: BTreeMap<String, Arc<[u8]>> = (*sitemap).clone();
    files.extend(
        render::feeds::render(site)
            .into_iter()
            .map(|(path, text)| (path, Arc::from(text.into_bytes()))),
    );
    let files = Arc::new(files);
    memos.site_files = keep.then(|| (fingerprint, files.clone()));
    files
}

/// The sitemap files, made again only when what they list changed: every page's path, key,
/// language (which give each URL's language versions) and `updated` date, and the global
/// inputs (config, options).
fn sitemap_files(
    site: &Site,
    global: u64,
    memo: &mut Option<(u64, crate::incremental::SiteFiles)>,
    keep: bool,
) -> crate::incremental::SiteFiles {
    let mut fp = crate::incremental::Fingerprinter::default();
    fp.add(&global);
    for page in &site.pages {
        fp.add(&page.path)
            .add(&page.key)
            .add(&page.lang)
            .add(&page.front().updated_date());
    }
    let fingerprint = fp.finish();
    if let Some(files) = crate::incremental::kept(memo, &fingerprint) {
        return files;
    }
    let files: BTreeMap<String, Arc<[u8]>> = render::sitemap::render(site)
        .into_iter()
        .map(|(path, text)| (path, Arc::from(text.into_bytes())))
        .collect();
    let files = Arc::new(files);
    *memo = keep.then(|| (fingerprint, files.clone()));
    files
}

/// The search index of every language, from the rendered bodies (see [`crate::search`]).
/// Serve calls it lazily, on the first request for an index file.
pub fn search_files(
    site: &Site,
    bodies: &[Arc<Rendered>],
    i18n: &I18n,
) -> BTreeMap<String, Vec<u8>> {
    crate::search::collect(|emit| search_files_into(site, bodies, i18n, emit))
}

/// As [`search_files`], handing each file to `emit` as soon as it is made.
fn search_files_into(
    site: &Site,
    bodies: &[Arc<Rendered>],
    i18n: &I18n,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    // Languages side by side: each index has sequential phases that leave a core idle.
    site.config.languages.par_iter().for_each(|language| {
        let pages: Vec<usize> = (0..site.pages.len())
            .filter(|&i| site.pages.get(i).is_some_and(|p| p.lang == language.code))
            .collect();
        let urls = pages
            .iter()
            .filter_map(|&i| site.pages.get(i))
            .map(|page| site.config.base_url.href(&page.path))
            .collect();
        let shared = SharedFields::of(site, i18n, &language.code, &pages);
        let source = LanguageDocs {
            site,
            bodies,
            shared,
            pages,
            urls,
        };
        crate::search::build_into(&language.code, &source, emit);
    });
}

/// One language's pages as search documents, made one at a time from the rendered bodies.
struct LanguageDocs<'a> {
    site: &'a Site,
    bodies: &'a [Arc<Rendered>],
    shared: SharedFields,
    /// Indexes into `site.pages`.
    pages: Vec<usize>,
    urls: Vec<String>,
}

impl crate::search::DocSource for LanguageDocs<'_> {
    fn count(&self) -> usize {
        self.pages.len()
    }

    fn url(&self, i: usize) -> &str {
        self.urls.get(i).map_or("", String::as_str)
    }

    fn identity(&self, i: usize, hasher: &mut blake3::Hasher) {
        if let Some((page, body)) = self.page(i) {
            IDENTITY_FIELDS.with_borrow_mut(|fields| {
                self.fields_into(i, page, fields);
                fields.headings.clear();
                fields.body.clear();
                fields.identity(hasher);
            });
            // The body's text and headings are made from its HTML, which this fingerprints.
            hasher.update(&body.fingerprint.to_le_bytes());
        }
    }

    fn doc_into(&self, i: usize, doc: &mut crate::search::SearchDoc) {
        let Some((page, body)) = self.page(i) else {
            *doc = crate::search::SearchDoc::default();
            return;
        };
        // Every buffer of `doc` is reused: the index makes a document per page.
        self.fields_into(i, page, doc);
        assign_strings(&mut doc.headings, body.headings.iter().map(|h| &*h.text));
        markdown::plain_text_into(&body.html, &mut doc.body);
    }
}

thread_local! {
    /// The fields a worker hashes for a page's identity, reused from page to page.
    static IDENTITY_FIELDS: std::cell::RefCell<crate::search::SearchDoc> =
        std::cell::RefCell::new(crate::search::SearchDoc::default());
}

/// Makes `to` hold `from`'s strings, reusing its strings' buffers.
fn assign_strings<'a>(to: &mut Vec<String>, from: impl Iterator<Item = &'a str>) {
    let mut n = 0;
    for s in from {
        match to.get_mut(n) {
            Some(existing) => {
                existing.clear();
                existing.push_str(s);
            }
            None => to.push(s.to_string()),
        }
        n += 1;
    }
    to.truncate(n);
}

/// Makes `to` hold `from`, reusing its buffer.
fn assign_option(to: &mut Option<String>, from: Option<&str>) {
    match (to.as_mut(), from) {
        (Some(existing), Some(s)) => {
            existing.clear();
            existing.push_str(s);
        }
        (_, from) => *to = from.map(str::to_string),
    }
}

impl LanguageDocs<'_> {
    fn page(&self, i: usize) -> Option<(&crate::site::Page, &Rendered)> {
        let index = *self.pages.get(i)?;
        Some((self.site.pages.get(index)?, self.bodies.get(index)?))
    }
    /// Fills `doc`'s fields other than the body text and headings (which come from the
    /// rendered body), reusing its buffers; those two are left as they were.
    fn fields_into(&self, i: usize, page: &crate::site::Page, doc: &mut crate::search::SearchDoc) {
        let shared = &self.shared;
        let front = page.front();
        doc.url.clear();
        doc.url.push_str(crate::search::DocSource::url(self, i));
        doc.title.clone_from(&front.title);
        let plans = front
            .plans
            .iter()
            .filter_map(|p| shared.plans.get(&p.value))
            .flatten()
            .map(String::as_str);
        assign_strings(&mut doc.plans, plans);
        let country = page
            .country
            .as_ref()
            .and_then(|c| shared.countries.get(c))
            .and_then(Option::as_deref);
        assign_option(&mut doc.country, country);
        let channel = front.channel.and_then(|c| shared.channels.get(&c));
        assign_option(&mut doc.channel, channel.map(String::as_str));
        doc.kind.clear();
        doc.kind.push_str(page.kind_name());
    }
}

/// What many pages of one language put in their search documents: country titles,
/// channel labels and plan terms, made once per language rather than for every page (each
/// page's fields are read twice, for the index's file names and for its document).
struct SharedFields {
    /// Country folder → the title of its section in this language, if it has one.
    countries: FxHashMap<String, Option<String>>,
    /// Channel → its label in this language (`电话`, `By phone`).
    channels: FxHashMap<crate::content::Channel, String>,
    /// Plan id → what a reader may type to find it ([`plan_search_terms`]).
    plans: FxHashMap<String, Vec<String>>,
}

impl SharedFields {
    /// The shared fields of the `pages` (indexes into `site.pages`) of language `lang`.
    fn of(site: &Site, i18n: &I18n, lang: &str, pages: &[usize]) -> SharedFields {
        let mut shared = SharedFields {
            countries: FxHashMap::default(),
            channels: FxHashMap::default(),
            plans: FxHashMap::default(),
        };
        let default = &site.config.default_language;
        for page in pages.iter().filter_map(|&i| site.pages.get(i)) {
            if let Some(country) = &page.country {
                if !shared.countries.contains_key(country) {
                    // A country without a section in this language is remembered too.
                    let title = site
                        .page(&paths::section_key(country), lang)
                        .map(|section| section.front().title.clone());
                    shared.countries.insert(country.clone(), title);
                }
            }
            if let Some(channel) = page.front().channel {
                shared.channels.entry(channel).or_insert_with(|| {
                    let key = format!("channel-{}", channel.as_str());
                    i18n.format_optional(lang, &key, &[]).unwrap_or(key)
                });
            }
            // Only the plans this language's pages name.
            for id in &page.front().plans {
                if !shared.plans.contains_key(&id.value) {
                    if let Some(plan) = site.plans.get(&id.value) {
                        let terms = plan_search_terms(plan, lang, default);
                        shared.plans.insert(id.value.clone(), terms);
                    }
                }
            }
        }
        shared
    }
}

/// What a reader may type to find a guide about a plan: its name and provider, and the
/// number or USSD code the page shows for renewing by phone (`974 555 0100`, `*555*1#`).
fn plan_search_terms(plan: &crate::content::Plan, lang: &str, default: &str) -> Vec<String> {
    let name = crate::templates::views::localized(&plan.name, lang, default);
    let phone = plan.renewal.phone.as_ref();
    let contacts = phone
        .into_iter()
        .flat_map(|p| [&p.number, &p.ussd])
        .flatten();
    std::iter::once(name)
        .chain(std::iter::once(plan.provider.clone()))
        .chain(contacts.cloned())
        .collect()
}

/// The editorial warnings of a site whose build failed, so `check` lists every problem at
/// once: the page graph and bodies come from what the failed build left in `cache`. Files
/// with errors are passed along so their absence is not reported again as a missing
/// translation or missing strings. Nothing when the build stopped before the page graph
/// (a broken `site.yaml`).
fn editorial_despite_errors(
    tree: &SourceTree,
    options: &CheckOptions,
    cache: &BuildCache,
    errors: &Diagnostics,
) -> Vec<Diagnostic> {
    let Some((_, site, _)) = &cache.model else {
        return Vec::new();
    };
    let bodies: Option<Vec<Arc<Rendered>>> = site
        .pages
        .iter()
        .zip(&cache.bodies)
        .map(|(page, e)| (e.file == page.file).then(|| e.rendered.clone()))
        .collect();
    let (Some(bodies), Ok(prepared)) = (bodies, prepare(tree, &options.site)) else {
        return Vec::new();
    };
    let i18n = load_i18n(&prepared.inputs, &site.config, &mut Diagnostics::default());
    // A key defined twice still loads (the first definition counts): its file's strings
    // are checked like any other.
    let broken: BTreeSet<String> = errors
        .iter()
        .filter(|d| d.is_error() && d.code != "ftl-duplicate")
        .map(|d| d.file.clone())
        .collect();
    crate::check::editorial(&crate::check::EditorialInput {
        site,
        bodies: &bodies,
        i18n: &i18n,
        templates: &prepared.inputs.templates,
        today: options.today,
        broken: &broken,
    })
}

/// `planguide check` options.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Site root.
    pub root: PathBuf,
    /// What to build (drafts, base URL).
    pub site: SiteOptions,
    /// Today, for the age of plan facts.
    pub today: crate::content::Date,
}

/// Everything `check` found, errors and warnings, with file texts for excerpts.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// All problems.
    pub diagnostics: Diagnostics,
    /// File texts for excerpts.
    pub sources: SourceTexts,
}

/// Validates the site without writing anything: the build's errors plus the editorial
/// warnings (translations, structure, strings, plan ages).
pub fn check(options: &CheckOptions) -> CheckReport {
    let tree = match load(&options.root) {
        Ok(tree) => tree,
        Err(failed) => {
            return CheckReport {
                diagnostics: failed.diagnostics,
                sources: failed.sources,
            }
        }
    };
    let mut cache = BuildCache::new();
    let diagnostics = match compile_with(&tree, &options.site, &mut cache) {
        Err(mut diagnostics) => {
            diagnostics.extend(editorial_despite_errors(
                &tree,
                options,
                &cache,
                &diagnostics,
            ));
            diagnostics
        }
        Ok(compilation) => {
            let mut diagnostics = compilation.diagnostics.clone();
            diagnostics.extend(crate::check::editorial(&crate::check::EditorialInput {
                site: &compilation.site,
                bodies: &compilation.bodies,
                i18n: &compilation.i18n,
                templates: &compilation.templates,
                today: options.today,
                broken: &BTreeSet::new(),
            }));
            diagnostics
        }
    };
    CheckReport {
        sources: source_texts(&diagnostics, &tree),
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_timed_within_a_lap_are_reported_under_it() {
        let mut timings = Timings::start();
        timings.lap("markdown");
        timings.within("templates", std::time::Duration::from_millis(12));
        timings.lap("search");
        let report = timings.report();
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines.len(), 3, "{report}");
        assert!(lines[0].trim_start().starts_with("markdown"), "{report}");
        assert_eq!(
            lines[1].trim_start(),
            "templates     12.0 ms  within markdown"
        );
        assert!(lines[2].trim_start().starts_with("search"), "{report}");
        let stages: Vec<&str> = timings.stages().iter().map(|(s, _)| *s).collect();
        assert_eq!(stages, ["markdown", "templates", "search"]);
    }
}

//! Tera set-up: loads the theme's templates with the site's `templates/` overriding any of
//! the same name, registers the functions and filters templates use (all bound to the page's
//! language through the `lang` context variable), and turns Tera's errors into diagnostics
//! naming the template file and line, and the content page being rendered.

pub mod format;
pub mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::content::{Currency, Date, Price};
use crate::error::Diagnostic;
use crate::i18n::{Arg, I18n};
use views::PlanView;

/// One template source: its Tera name (path under `templates/`) and the file it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name templates use in `extends` / `include` (`renewal.html`, `partials/nav.html`).
    pub name: String,
    /// Site-relative file (`themes/default/templates/renewal.html`).
    pub file: String,
    /// Template text.
    pub text: Arc<str>,
}

/// What template functions can look up: strings, URLs, plans and assets, per language.
#[derive(Debug)]
pub struct LookupData {
    /// UI strings.
    pub i18n: Arc<I18n>,
    /// Translation key → language → root-relative URL.
    pub urls: BTreeMap<String, BTreeMap<String, String>>,
    /// Language → its home URL.
    pub homes: BTreeMap<String, String>,
    /// (language, plan id) → plan view.
    pub plans: BTreeMap<(String, String), Arc<PlanView>>,
    /// Logical asset path (`style.css`) → fingerprinted URL.
    pub assets: BTreeMap<String, String>,
    /// The argument-free UI strings of `i18n` as Tera values, made by [`LookupData::new`]
    /// so they always match `i18n`.
    texts: UiTexts,
}

/// Language → key → an argument-free UI string as a Tera value.
type UiTexts = ahash::AHashMap<String, ahash::AHashMap<String, Value>>;

/// A question a template asked through a lookup function while rendering one page. Pages
/// are re-rendered when the answer to any question they asked changes (incremental builds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lookup {
    /// `url(key, lang)`.
    Url {
        /// Translation key.
        key: String,
        /// Language asked for.
        lang: String,
    },
    /// `has_page(key)`.
    HasPage(String),
    /// `plan(id)` in a language.
    Plan {
        /// Language of the view.
        lang: String,
        /// Plan id.
        id: String,
    },
    /// `asset(path)`.
    Asset(String),
}

impl LookupData {
    /// The URL `url()` returns, if the key exists.
    pub fn url(&self, key: &str, lang: &str) -> Option<String> {
        let versions = self.urls.get(key)?;
        Some(
            versions
                .get(lang)
                .or_else(|| self.homes.get(lang))
                .cloned()
                .unwrap_or_default(),
        )
    }

    /// The lookup data of a site, with its argument-free UI strings kept as Tera values
    /// for the common `t(key=…)` call.
    pub fn new(
        i18n: Arc<I18n>,
        urls: BTreeMap<String, BTreeMap<String, String>>,
        homes: BTreeMap<String, String>,
        plans: BTreeMap<(String, String), Arc<PlanView>>,
        assets: BTreeMap<String, String>,
    ) -> Self {
        let mut texts = UiTexts::new();
        for (lang, key, text) in i18n.plain_texts() {
            texts
                .entry(lang.to_string())
                .or_default()
                .insert(key.to_string(), Value::from(text));
        }
        LookupData {
            i18n,
            urls,
            homes,
            plans,
            assets,
            texts,
        }
    }

    /// The answer to `t(key=…)` with no other argument in the page's language, which is
    /// most calls (about 25 per page in the default theme): a clone of a preformatted
    /// value, with no Fluent call, no new string for the language and no copy of the
    /// text. `None` for every other call, which takes the general path.
    fn plain_call(&self, kwargs: &Kwargs, state: &State) -> Option<Value> {
        let mut args = kwargs.iter();
        let (name, key) = args.next()?;
        if args.next().is_some() || name.as_str()? != "key" {
            return None;
        }
        let lang = state.get::<Value>("lang").ok()??;
        self.texts.get(lang.as_str()?)?.get(key.as_str()?).cloned()
    }

    /// A fingerprint of the current answer to `lookup`, to tell whether it changed.
    pub fn answer(&self, lookup: &Lookup) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        match lookup {
            Lookup::Url { key, lang } => self.url(key, lang).hash(&mut hasher),
            Lookup::HasPage(key) => self.urls.contains_key(key).hash(&mut hasher),
            Lookup::Plan { lang, id } => self
                .plans
                .get(&(lang.clone(), id.clone()))
                .hash(&mut hasher),
            Lookup::Asset(path) => self
                .assets
                .get(path.trim_start_matches('/'))
                .hash(&mut hasher),
        }
        hasher.finish()
    }
}

thread_local! {
    /// Questions asked by the render running on this thread. A thread-local rather than a
    /// field because Tera functions are shared, immutable closures; `render_tracked` scopes it
    /// to exactly one render.
    static LOOKUPS: std::cell::RefCell<Option<std::collections::BTreeSet<Lookup>>> = const { std::cell::RefCell::new(None) };
}

fn record(lookup: Lookup) {
    LOOKUPS.with(|cell| {
        if let Some(set) = cell.borrow_mut().as_mut() {
            set.insert(lookup);
        }
    });
}

/// Compiled templates plus where each came from, for error messages.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, String>,
}

/// Names the template files (Tera's own state has no useful debug form), so a build cache
/// holding compiled templates can still be printed.
impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// Compiles every template; all syntax errors are reported, then inheritance problems.
    pub fn compile(
        sources: &[TemplateSource],
        data: Arc<LookupData>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let files: BTreeMap<String, String> = sources
            .iter()
            .map(|s| (s.name.clone(), s.file.clone()))
            .collect();
        let mut tera = Tera::new();
        register(&mut tera, data);
        let syntax: Vec<Diagnostic> = sources
            .iter()
            .filter_map(|source| {
                let mut scratch = tera.clone();
                match scratch.add_raw_template(&source.name, &source.text) {
                    Err(error) if matches!(error.kind(), ErrorKind::SyntaxError(_)) => {
                        Some(diagnostic(&error, &files, None))
                    }
                    _ => None,
                }
            })
            .collect();
        if !syntax.is_empty() {
            return Err(syntax);
        }
        let named = sources.iter().map(|s| (s.name.as_str(), &*s.text));
        tera.add_raw_templates(named)
            .map_err(|error| vec![at_extends_tag(diagnostic(&error, &files, None), sources)])?;
        Ok(Templates { tera, files })
    }

    /// Renders `name` to the bytes to publish (Tera writes UTF-8; not checking it again
    /// saves a pass over every page); errors name the template and the content file being
    /// rendered.
    pub fn render(
        &self,
        name: &str,
        context: &Context,
        page_file: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut html)
            .map(|()| html)
            .map_err(|error| diagnostic(&error, &self.files, Some(page_file)))
    }

    /// Renders like [`Templates::render`] and also returns every lookup the templates made.
    pub fn render_tracked(
        &self,
        name: &str,
        context: &Context,
        page_file: &str,
    ) -> (Result<Vec<u8>, Diagnostic>, Vec<Lookup>) {
        LOOKUPS.with(|cell| *cell.borrow_mut() = Some(std::collections::BTreeSet::new()));
        let result = self.render(name, context, page_file);
        let lookups = LOOKUPS
            .with(|cell| cell.borrow_mut().take())
            .unwrap_or_default();
        (result, lookups.into_iter().collect())
    }
}

/// Points an inheritance problem (Tera gives it no position) at the `extends` tag of the
/// template it names.
fn at_extends_tag(problem: Diagnostic, sources: &[TemplateSource]) -> Diagnostic {
    let source = sources.iter().find(|s| s.file == problem.file);
    let tag = source.and_then(|source| {
        source.text.lines().enumerate().find_map(|(index, line)| {
            let keyword = line.find("extends")?;
            let open = line[..keyword].rfind("{%")?;
            let between = line[open + 2..keyword].trim_start_matches(['-', ' ']);
            between.is_empty().then_some((index + 1, open + 1))
        })
    });
    match (problem.line, tag) {
        (None, Some((line, column))) => problem.at(line, column),
        _ => problem,
    }
}

/// Turns a Tera error into a diagnostic on the template file, mentioning the page.
fn diagnostic(
    error: &tera::Error,
    files: &BTreeMap<String, String>,
    page: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let while_rendering = page
        .map(|p| format!(" (while rendering {p})"))
        .unwrap_or_default();
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let code = if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                "template-syntax"
            } else {
                "template-render"
            };
            let span = report.span();
            Diagnostic::error(
                code,
                file_of(report.filename()),
                format!("{}{while_rendering}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let cycle = extends_cycle(tpl, inheritance_chain);
            let first = cycle.first().copied().unwrap_or(tpl.as_str());
            Diagnostic::error(
                "template-inheritance",
                file_of(first),
                format!("circular `extends`: {}", cycle.join(" → ")),
            )
            .hint("a template cannot extend itself through its parents")
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            "template-inheritance",
            file_of(current),
            format!("extends `{parent}`, which does not exist"),
        ),
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            "missing-template",
            page.unwrap_or(""),
            format!("template `{name}` does not exist in the theme or in templates/"),
        ),
        _ => Diagnostic::error(
            "template",
            page.unwrap_or(""),
            format!("{error}{while_rendering}"),
        ),
    }
}

/// The language a function works in: its `lang` argument, which must be a configured
/// language, or else the page's.
fn lang_arg(kwargs: &Kwargs, state: &State, i18n: &I18n) -> tera::TeraResult<String> {
    let Some(lang) = kwargs.get::<&str>("lang")? else {
        return lang_of(state);
    };
    if i18n.has_language(lang) {
        return Ok(lang.to_string());
    }
    Err(tera::Error::message(format!(
        "`{lang}` is not a configured language; languages: {}",
        i18n.languages().join(", ")
    )))
}

/// The loop in Tera's report of circular inheritance, from its smallest name round to that
/// name again (`a.html → b.html → a.html`), whichever template Tera started from. Tera gives
/// the starting template and the parents it followed, ending with the one seen twice; any
/// templates before the loop only lead into it and are left out.
fn extends_cycle<'a>(start: &'a str, parents: &'a [String]) -> Vec<&'a str> {
    let path: Vec<&str> = std::iter::once(start)
        .chain(parents.iter().map(String::as_str))
        .collect();
    let Some((&repeated, walked)) = path.split_last() else {
        return path;
    };
    let from = walked
        .iter()
        .position(|&name| name == repeated)
        .unwrap_or(0);
    let mut ring = walked[from..].to_vec();
    if let Some(smallest) = (0..ring.len()).min_by_key(|&i| ring[i]) {
        ring.rotate_left(smallest);
    }
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

fn lang_of(state: &State) -> tera::TeraResult<String> {
    state
        .get::<String>("lang")?
        .ok_or_else(|| tera::Error::message("the `lang` variable is missing from the context"))
}

/// The functions and filters templates call, all answering in the language of the page being
/// rendered and recording what they were asked (see [`Lookup`]) for incremental rebuilds.
fn register(tera: &mut Tera, data: Arc<LookupData>) {
    register_page_lookups(tera, &data);
    register_data_lookups(tera, &data);
    register_formatters(tera, data);
}

/// `t()` (UI strings), `url()` and `has_page()`: a page's language and the page graph.
fn register_page_lookups(tera: &mut Tera, data: &Arc<LookupData>) {
    let d = data.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            if let Some(text) = d.plain_call(&kwargs, state) {
                return Ok(text);
            }
            let lang = lang_arg(&kwargs, state, &d.i18n)?;
            let key: &str = kwargs.must_get("key")?;
            let args = fluent_args(&kwargs);
            d.i18n
                .format(&lang, key, &args)
                .map(Value::from)
                .map_err(tera::Error::message)
        },
    );
    let d = data.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = lang_arg(&kwargs, state, &d.i18n)?;
            let key: String = kwargs.must_get("key")?;
            let url = d.url(&key, &lang);
            record(Lookup::Url {
                key: key.clone(),
                lang,
            });
            url.ok_or_else(|| tera::Error::message(format!("url(): no page with key `{key}`")))
        },
    );
    let d = data.clone();
    tera.register_function(
        "has_page",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<bool> {
            let key: String = kwargs.must_get("key")?;
            let found = d.urls.contains_key(&key);
            record(Lookup::HasPage(key));
            Ok(found)
        },
    );
}

/// `asset()` (fingerprinted static files) and `plan()` (typed plan views).
fn register_data_lookups(tera: &mut Tera, data: &Arc<LookupData>) {
    let d = data.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            record(Lookup::Asset(path.clone()));
            d.assets
                .get(path.trim_start_matches('/'))
                .cloned()
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "asset(): no file `{path}` in static/ or the theme's static/"
                    ))
                })
        },
    );
    let d = data.clone();
    tera.register_function(
        "plan",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            // The map is keyed by owned pairs (built by the pipeline), so the key is built
            // once and then moved into the recorded lookup.
            let key = (lang_of(state)?, kwargs.must_get::<String>("id")?);
            let view = d.plans.get(&key).cloned();
            let (lang, id) = key;
            let result = match &view {
                Some(view) => Value::try_from_serializable(view.as_ref()),
                None => Err(tera::Error::message(format!("plan(): no plan `{id}`"))),
            };
            record(Lookup::Plan { lang, id });
            result
        },
    );
}

/// `format_date` and `format_price`, in the page's language.
fn register_formatters(tera: &mut Tera, data: Arc<LookupData>) {
    let d = data.clone();
    tera.register_filter(
        "format_date",
        move |value: String, _: Kwargs, state: &State| -> tera::TeraResult<String> {
            let date = Date::parse(&value).map_err(tera::Error::message)?;
            Ok(format::date(&d.i18n, &lang_of(state)?, date))
        },
    );
    let d = data;
    tera.register_filter(
        "format_price",
        move |value: String, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let code: String = kwargs.must_get("currency")?;
            let currency = Currency::parse(&code).map_err(tera::Error::message)?;
            let price = Price::parse(&value, currency).map_err(tera::Error::message)?;
            Ok(format::price(&d.i18n, &lang_of(state)?, &price))
        },
    );
}

/// Every keyword argument but `key` and `lang` becomes a Fluent variable; numbers stay numbers so
/// plural selectors work.
fn fluent_args(kwargs: &Kwargs) -> Vec<(String, Arg)> {
    let mut args: Vec<(String, Arg)> = kwargs
        .iter()
        .filter_map(|(name, value)| {
            let name = name.as_str()?.to_string();
            if name == "key" || name == "lang" {
                return None;
            }
            let arg = match value.as_f64() {
                Some(number) if value.is_number() => Arg::Number(number),
                _ => Arg::Text(
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string),
                ),
            };
            Some((name, arg))
        })
        .collect();
    args.sort_by(|a, b| a.0.cmp(&b.0));
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::FtlFile;

    fn data() -> Arc<LookupData> {
        let config = crate::config::bilingual_for_tests();
        let files = [
            FtlFile {
                path: "i18n/zh/a.ftl",
                lang: "zh",
                text: "hi = 你好 { $name }\ndate-format = { $year }年{ $month }月{ $day }日\nskip = 跳到正文 <\nonly-zh = 仅中文\n",
            },
            FtlFile {
                path: "i18n/en/a.ftl",
                lang: "en",
                text: "hi = Hello { $name }\ndate-format = { $day }/{ $month }/{ $year }\nskip = Skip to content <\n",
            },
        ];
        let (i18n, _) = I18n::load(&config, &files);
        let mut urls = BTreeMap::new();
        urls.insert(
            "qatar/_index".to_string(),
            BTreeMap::from([("zh".to_string(), "/zh/qatar/".to_string())]),
        );
        Arc::new(LookupData::new(
            Arc::new(i18n),
            urls,
            BTreeMap::from([("en".to_string(), "/en/".to_string())]),
            BTreeMap::new(),
            BTreeMap::from([("style.css".to_string(), "/style.0123abcd.css".to_string())]),
        ))
    }

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            file: format!("themes/default/templates/{name}"),
            text: Arc::from(text),
        }
    }

    fn render(text: &str, lang: &str) -> Result<String, Diagnostic> {
        let templates =
            Templates::compile(&[source("a.html", text)], data()).map_err(|mut e| e.remove(0))?;
        let mut context = Context::new();
        context.insert("lang", lang);
        let html = templates.render("a.html", &context, "content/x.zh.md")?;
        Ok(String::from_utf8(html).expect("Tera writes UTF-8"))
    }

    #[test]
    fn functions_are_bound_to_the_page_language() {
        assert_eq!(
            render("{{ t(key='hi', name='A') }}", "en").unwrap(),
            "Hello A"
        );
        assert_eq!(
            render("{{ t(key='hi', name='A') }}", "zh").unwrap(),
            "你好 A"
        );
        assert_eq!(
            render("{{ '2026-10-05' | format_date }}", "zh").unwrap(),
            "2026年10月5日"
        );
        assert_eq!(
            render("{{ url(key='qatar/_index') }}", "zh").unwrap(),
            "/zh/qatar/"
        );
        assert_eq!(
            render("{{ url(key='qatar/_index', lang='en') }}", "zh").unwrap(),
            "/en/"
        );
        assert_eq!(
            render("{{ asset(path='style.css') }}", "zh").unwrap(),
            "/style.0123abcd.css"
        );
    }

    #[test]
    fn argument_free_strings_answer_in_the_page_language_escaped_with_fallback() {
        // The preformatted path: the page's language, escaped like any other text, the
        // default language's text where the page's has none, and `lang=` still obeyed.
        let cases = [
            ("{{ t(key='skip') }}", "en", "Skip to content &lt;"),
            ("{{ t(key='skip') }}", "zh", "跳到正文 &lt;"),
            ("{{ t(key='only-zh') }}", "en", "仅中文"),
            (
                "{{ t(key='skip', lang='en') }}",
                "zh",
                "Skip to content &lt;",
            ),
            ("{{ t(key='skip') | upper }}", "en", "SKIP TO CONTENT &lt;"),
        ];
        for (template, lang, expected) in cases {
            assert_eq!(
                render(template, lang).unwrap(),
                expected,
                "{template} in {lang}"
            );
        }
        let missing = render("{{ t(key='nowhere') }}", "en").unwrap_err();
        assert!(missing.message.contains("`nowhere`"), "{}", missing.message);
        // Without a page language the call fails as on the general path.
        let templates = Templates::compile(&[source("a.html", "{{ t(key='skip') }}")], data())
            .map_err(|mut e| e.remove(0))
            .unwrap();
        let no_lang = templates.render("a.html", &Context::new(), "content/x.zh.md");
        assert!(no_lang.is_err());
    }

    #[test]
    fn preformatted_strings_are_what_fluent_formats() {
        let data = data();
        assert!(data.texts.values().map(|keys| keys.len()).sum::<usize>() >= 3);
        for (lang, keys) in &data.texts {
            for (key, value) in keys {
                assert_eq!(
                    value.as_str(),
                    data.i18n.format(lang, key, &[]).ok().as_deref(),
                    "{key} in {lang}"
                );
            }
        }
        // Strings that need arguments are formatted per call, never preformatted.
        assert!(data.texts.values().all(|keys| !keys.contains_key("hi")));
    }

    #[test]
    fn errors_name_template_file_line_and_page() {
        let error = render("line one\n{{ missing_variable.x }}", "zh").unwrap_err();
        assert_eq!(error.file, "themes/default/templates/a.html");
        assert_eq!(error.line, Some(2));
        assert!(
            error.message.contains("content/x.zh.md"),
            "{}",
            error.message
        );
        let error = render("{% if %}", "zh").unwrap_err();
        assert_eq!(error.code, "template-syntax");
    }

    #[test]
    fn errors_when_t_misses_a_variable_naming_key_variable_template_and_page() {
        let error = render("{{ t(key='hi') }}", "en").unwrap_err();
        assert_eq!(error.file, "themes/default/templates/a.html");
        for part in ["`hi`", "`en`", "$name", "content/x.zh.md"] {
            assert!(error.message.contains(part), "{part}: {}", error.message);
        }
    }

    #[test]
    fn errors_when_t_or_url_ask_for_a_language_that_is_not_configured() {
        for call in [
            "{{ t(key='hi', name='A', lang='fr') }}",
            "{{ url(key='qatar/_index', lang='fr') }}",
        ] {
            let error = render(call, "zh").unwrap_err();
            assert!(
                error
                    .message
                    .contains("`fr` is not a configured language; languages: zh, en"),
                "{call}: {}",
                error.message
            );
        }
        assert_eq!(
            render("{{ t(key='hi', name='A', lang='en') }}", "zh").unwrap(),
            "Hello A"
        );
    }

    #[test]
    fn plan_lookups_are_recorded_whether_or_not_the_plan_exists() {
        let templates =
            Templates::compile(&[source("a.html", "{{ plan(id='qa-1') }}")], data()).unwrap();
        let mut context = Context::new();
        context.insert("lang", "en");
        let (result, lookups) = templates.render_tracked("a.html", &context, "content/x.en.md");
        let error = result.unwrap_err();
        assert!(
            error.message.contains("no plan `qa-1`"),
            "{}",
            error.message
        );
        let asked = Lookup::Plan {
            lang: "en".into(),
            id: "qa-1".into(),
        };
        assert_eq!(lookups, vec![asked]);
    }

    #[test]
    fn circular_inheritance_is_reported() {
        let sources = [
            source("a.html", "{% extends \"b.html\" %}"),
            source("b.html", "{% extends \"a.html\" %}"),
        ];
        let Err(problems) = Templates::compile(&sources, data()) else {
            panic!("expected an error")
        };
        assert_eq!(problems[0].code, "template-inheritance");
        assert_eq!(
            problems[0].message,
            "circular `extends`: a.html → b.html → a.html"
        );
        assert_eq!(problems[0].file, "themes/default/templates/a.html");
    }

    #[test]
    fn circular_inheritance_names_only_the_loop() {
        let chain = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let self_loop = chain(&["a.html"]);
        assert_eq!(extends_cycle("a.html", &self_loop), ["a.html", "a.html"]);
        let lead_in = chain(&["d.html", "c.html", "d.html"]);
        assert_eq!(
            extends_cycle("z.html", &lead_in),
            ["c.html", "d.html", "c.html"]
        );
        let sources = [
            source("z.html", "{% extends \"d.html\" %}"),
            source("d.html", "{% extends \"c.html\" %}"),
            source("c.html", "{% extends \"d.html\" %}"),
        ];
        let Err(problems) = Templates::compile(&sources, data()) else {
            panic!("expected an error")
        };
        assert_eq!(
            problems[0].message,
            "circular `extends`: c.html → d.html → c.html"
        );
    }
}

//! Builds the typed context each template receives (see README, "Template contract"): the
//! site and language views are made once per language, plan views once per plan and
//! language, and each page's own view borrows them. Pure.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::i18n::I18n;
use crate::markdown::Rendered;
use crate::site::{paths, Page, Site};
use crate::templates::format;
use crate::templates::views::{
    AlternateView, CountryView, LanguageView, PageSummary, PageView, PaginatorView, PlanView,
    SiteView, TranslationView, HOME_GUIDES_PER_COUNTRY,
};

/// How many renewal walkthroughs of a country a page offers for offline caching: enough
/// for every channel of a few plans, and it keeps every page the same size however many
/// guides a country has.
pub const MAX_OFFLINE_RENEWALS: usize = 12;

/// Everything a template sees for one page.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// The page's language code; template functions use it.
    pub lang: &'a str,
    /// The site in this language.
    pub site: &'a SiteView,
    /// This language.
    pub language: &'a LanguageView,
    /// The page.
    pub page: PageView<'a>,
    /// Switcher and hreflang entries, one per configured language.
    pub alternates: Vec<AlternateView>,
    /// Plans named in the page's front matter.
    pub plans: Vec<&'a PlanView>,
    /// For sections and the home page: child pages, ordered by weight.
    pub children: Vec<PageSummary>,
    /// For country sections: every plan sold in the country.
    pub section_plans: Vec<&'a PlanView>,
    /// For the home page and 404 pages: countries with their guides.
    pub countries: Vec<CountryView>,
    /// For a section whose listing spans several pages: where this one is.
    pub paginator: Option<PaginatorView>,
}

/// The URL path of page `number` of a section listing whose first page is `section_path`
/// (`/zh/qatar/`, 2 → `/zh/qatar/page/2/`).
pub fn pager_path(section_path: &str, number: usize) -> String {
    if number <= 1 {
        section_path.to_string()
    } else {
        format!("{section_path}page/{number}/")
    }
}

/// Precomputed, shared parts of page contexts.
pub struct ContextBuilder<'a> {
    site: &'a Site,
    i18n: &'a I18n,
    site_views: BTreeMap<String, SiteView>,
    plans: &'a BTreeMap<(String, String), Arc<PlanView>>,
    /// Per language: the `site` and `language` values, converted for Tera once.
    shared_values: BTreeMap<String, (tera::Value, tera::Value)>,
    /// (language, plan id) → the plan's view, converted for Tera once.
    plan_values: BTreeMap<(String, String), tera::Value>,
    /// (country, language) → renewal walkthrough URLs, computed once.
    renewals: std::sync::OnceLock<BTreeMap<(String, String), Vec<String>>>,
    /// (section key, language) → the keys its list shows, computed once: every page of a
    /// long list and every pager count reads it, instead of filtering the whole list again.
    listings: std::sync::OnceLock<Listings<'a>>,
}

/// Language → section key → listed keys (see [`ContextBuilder::listed`]).
type Listings<'a> = ahash::AHashMap<&'a str, ahash::AHashMap<&'a str, Vec<&'a str>>>;

impl<'a> ContextBuilder<'a> {
    /// Prepares the per-language views.
    pub fn new(
        site: &'a Site,
        i18n: &'a I18n,
        plans: &'a BTreeMap<(String, String), Arc<PlanView>>,
        serving: bool,
    ) -> Self {
        let config = &site.config;
        let languages: Vec<LanguageView> = config
            .languages
            .iter()
            .map(|l| LanguageView::new(config, l))
            .collect();
        let site_views: BTreeMap<String, SiteView> = config
            .languages
            .iter()
            .map(|language| {
                let view = SiteView {
                    title: language.title.clone(),
                    description: language.description.clone(),
                    base_url: config.base_url.absolute("/"),
                    base_path: config.base_url.path_prefix().to_string(),
                    languages: languages.clone(),
                    default_language: config.default_language.clone(),
                    serving,
                };
                (language.code.clone(), view)
            })
            .collect();
        let shared_values = site_views
            .iter()
            .map(|(code, view)| {
                let language = view.languages.iter().find(|l| &l.code == code);
                (
                    code.clone(),
                    (
                        tera::Value::from_serializable(view),
                        tera::Value::from_serializable(&language),
                    ),
                )
            })
            .collect();
        let plan_values = plans
            .iter()
            .map(|(key, view)| (key.clone(), tera::Value::from_serializable(view.as_ref())))
            .collect();
        ContextBuilder {
            site,
            i18n,
            site_views,
            shared_values,
            plan_values,
            plans,
            renewals: std::sync::OnceLock::new(),
            listings: std::sync::OnceLock::new(),
        }
    }

    /// The keys section `key` lists in `lang`, in order: its children that exist in that
    /// language or fall back to another (the home page leaves out nested sections). Made for
    /// every language, also where the section itself is only a fallback (the home page's
    /// country entries list them too).
    fn listed(&self, key: &str, lang: &str) -> &[&'a str] {
        let listings = self.listings.get_or_init(|| {
            let site = self.site;
            let mut listings: Listings<'a> = ahash::AHashMap::default();
            for (section, children) in site.children.iter() {
                for language in &site.config.languages {
                    let keys = children
                        .iter()
                        .filter(|child| {
                            section != paths::SECTION_INDEX
                                || !child.ends_with(paths::SECTION_INDEX)
                        })
                        .filter(|child| site.version_for(child, &language.code).is_some())
                        .map(String::as_str)
                        .collect();
                    listings
                        .entry(language.code.as_str())
                        .or_default()
                        .insert(section.as_str(), keys);
                }
            }
            listings
        });
        listings
            .get(lang)
            .and_then(|sections| sections.get(key))
            .map_or(&[], Vec::as_slice)
    }

    fn site_view(&self, lang: &str) -> &SiteView {
        self.site_views
            .get(lang)
            .or_else(|| self.site_views.values().next())
            .unwrap_or_else(|| unreachable_site_view())
    }

    fn language_view(&self, lang: &str) -> &LanguageView {
        let view = self.site_view(lang);
        view.languages
            .iter()
            .find(|l| l.code == lang)
            .unwrap_or(&view.languages[0])
    }

    /// The context of page `index`.
    pub fn page<'p>(&'p self, index: usize, body: &'p Rendered) -> PageContext<'p> {
        self.page_listing(index, body, 0..usize::MAX)
    }

    /// The context of page `index`, listing only its children in `listed` (positions in
    /// its full list), so a page of a long list does not summarise the whole list.
    fn page_listing<'p>(
        &'p self,
        index: usize,
        body: &'p Rendered,
        listed: std::ops::Range<usize>,
    ) -> PageContext<'p> {
        let page = &self.site.pages[index];
        let lang = page.lang.as_str();
        let children = self.children_of(page, listed);
        let countries = if page.key == paths::SECTION_INDEX {
            self.countries(lang)
        } else {
            Vec::new()
        };
        let section_plans = if page.is_section {
            self.plan_views(
                lang,
                self.site
                    .plans
                    .values()
                    .filter(|p| Some(&p.country) == page.country.as_ref())
                    .map(|p| p.id.as_str()),
            )
        } else {
            Vec::new()
        };
        PageContext {
            lang,
            site: self.site_view(lang),
            language: self.language_view(lang),
            page: self.page_view(page, body),
            alternates: self.alternates(&page.key, lang),
            plans: self.plan_views(lang, page.front().plans.iter().map(|p| p.value.as_str())),
            children,
            section_plans,
            countries,
            paginator: None,
        }
    }

    /// Number of pages the listing of section page `index` takes: 1 unless it is a section
    /// (any but the home page) with more children than `build.paginate_by`.
    pub fn pager_count(&self, index: usize) -> usize {
        let page = &self.site.pages[index];
        if !page.is_section {
            return 1;
        }
        self.pagers_of(&page.key, &page.lang)
    }

    /// Number of pages the listing of section `key` takes in `lang` (1 when that language
    /// has no such section).
    pub fn pagers_of(&self, key: &str, lang: &str) -> usize {
        let per = self.per_page(key);
        if per == 0 || key == paths::SECTION_INDEX {
            return 1;
        }
        self.listed(key, lang).len().div_ceil(per).max(1)
    }

    /// Entries per page of section `key`'s list: its `paginate_by` front matter (in the
    /// default language's version, so every language splits its list alike), else
    /// `build.paginate_by`.
    pub fn per_page(&self, key: &str) -> usize {
        let config = &self.site.config;
        self.site
            .version_for(key, &config.default_language)
            .and_then(|section| section.front().paginate_by)
            .unwrap_or(config.build.paginate_by)
    }

    /// Page `number` (from 1) of section page `index`'s listing: its slice of the children,
    /// its own URL, and switcher entries pointing at the same page number in the other
    /// languages. Every language lists the same children (untranslated ones fall back to
    /// another language's version), so their lists are equally long; should one ever be
    /// shorter, its entry leaves hreflang and the switcher offers its first page instead.
    pub fn pager<'p>(&'p self, index: usize, body: &'p Rendered, number: usize) -> PageContext<'p> {
        let total = self.pager_count(index);
        if total <= 1 {
            return self.page(index, body);
        }
        let number = number.clamp(1, total);
        let per = self.per_page(&self.site.pages[index].key);
        let start = (number - 1).saturating_mul(per);
        let mut view = self.page_listing(index, body, start..start.saturating_add(per));
        let page = &self.site.pages[index];
        let base = &self.site.config.base_url;
        let href = |n: usize| base.href(&pager_path(&page.path, n));
        view.paginator = Some(PaginatorView {
            current: number,
            total,
            previous: (number > 1).then(|| href(number - 1)),
            next: (number < total).then(|| href(number + 1)),
            first: href(1),
            last: href(total),
        });
        view.page.url = href(number);
        view.page.permalink = base.absolute(&pager_path(&page.path, number));
        for alt in view.alternates.iter_mut().filter(|alt| alt.exists) {
            let Some(other) = self.site.page(&page.key, &alt.lang) else {
                continue;
            };
            if number <= self.pagers_of(&page.key, &alt.lang) {
                alt.url = base.href(&pager_path(&other.path, number));
                alt.permalink = base.absolute(&pager_path(&other.path, number));
            } else {
                alt.exists = false;
                alt.url = base.href(&other.path);
            }
        }
        view
    }

    /// The Tera context for a page context: shared parts (site, language, plans) are
    /// cloned from values converted once, the rest is converted now.
    pub fn tera_context(&self, view: &PageContext<'_>) -> tera::Context {
        let mut context = tera::Context::new();
        context.insert("lang", view.lang);
        match self.shared_values.get(view.lang) {
            Some((site, language)) => {
                context.insert_value("site", site.clone());
                context.insert_value("language", language.clone());
            }
            None => {
                context.insert("site", view.site);
                context.insert("language", view.language);
            }
        }
        context.insert("page", &view.page);
        context.insert("alternates", &view.alternates);
        context.insert_value("plans", self.plan_list(view.lang, &view.plans));
        context.insert("children", &view.children);
        context.insert_value(
            "section_plans",
            self.plan_list(view.lang, &view.section_plans),
        );
        context.insert("countries", &view.countries);
        context.insert("paginator", &view.paginator);
        context
    }

    fn plan_list(&self, lang: &str, plans: &[&PlanView]) -> tera::Value {
        let values: Vec<tera::Value> = plans
            .iter()
            .map(|plan| {
                self.plan_values
                    .get(&(lang.to_string(), plan.id.clone()))
                    .cloned()
                    .unwrap_or_else(|| tera::Value::from_serializable(*plan))
            })
            .collect();
        tera::Value::from(values)
    }

    /// The context of a page that has no content file (language picker, 404 pages).
    pub fn special<'s>(
        &'s self,
        lang: &'s str,
        is_root: bool,
        output_path: &str,
    ) -> PageContext<'s> {
        let config = &self.site.config;
        let kind = if output_path == "index.html" {
            "language-picker"
        } else {
            "not-found"
        };
        let path = if is_root {
            "/".to_string()
        } else {
            format!("/{lang}/")
        };
        let page = PageView {
            key: kind,
            kind,
            channel: None,
            country: None,
            title: &self.site_view(lang).title,
            description: &self.site_view(lang).description,
            content: "",
            headings: &[],
            url: config.base_url.href(&path),
            permalink: config.base_url.absolute(&path),
            updated: None,
            updated_display: None,
            steps: 0,
            checklist: 0,
            has_code: false,
            translation: None,
            parent: None,
            renewals: &[],
        };
        PageContext {
            lang,
            site: self.site_view(lang),
            language: self.language_view(lang),
            page,
            alternates: self.alternates(paths::SECTION_INDEX, lang),
            plans: Vec::new(),
            children: Vec::new(),
            section_plans: Vec::new(),
            countries: self.countries(lang),
            paginator: None,
        }
    }

    fn page_view<'p>(&'p self, page: &'p Page, body: &'p Rendered) -> PageView<'p> {
        let config = &self.site.config;
        let front = page.front();
        PageView {
            key: &page.key,
            kind: page.kind_name(),
            channel: front.channel.map(|c| c.as_str()),
            country: page.country.as_deref(),
            title: &front.title,
            description: &front.description,
            content: &body.html,
            headings: &body.headings,
            url: config.base_url.href(&page.path),
            permalink: config.base_url.absolute(&page.path),
            updated: front.updated_date().map(|d| d.to_string()),
            updated_display: front
                .updated_date()
                .map(|d| format::date(self.i18n, &page.lang, d)),
            steps: body.steps,
            checklist: body.checklist,
            has_code: body.has_code,
            translation: self.translation_status(page),
            renewals: self.country_renewals(page),
            parent: page
                .parent
                .as_ref()
                .and_then(|key| self.summary(key, &page.lang)),
        }
    }

    /// For a translation: where the source-language version is and whether this one is
    /// older than it (its `source_hash` no longer matches the source body).
    fn translation_status(&self, page: &Page) -> Option<TranslationView> {
        let config = &self.site.config;
        if page.lang == config.default_language {
            return None;
        }
        let source = self.site.page(&page.key, &config.default_language)?;
        let language = config.language(&source.lang)?;
        let stale = page
            .front()
            .source_hash
            .as_ref()
            .is_some_and(|hash| source.document.body_hash().is_some_and(|b| b != hash));
        Some(TranslationView {
            stale,
            source_url: config.base_url.href(&source.path),
            source_name: language.name.clone(),
            source_locale: language.locale.clone(),
        })
    }

    /// Renewal walkthroughs of the page's country, in the page's language (or fallback).
    fn country_renewals(&self, page: &Page) -> &[String] {
        let Some(country) = &page.country else {
            return &[];
        };
        let all = self.renewals.get_or_init(|| self.all_renewals());
        all.get(&(country.clone(), page.lang.clone()))
            .map_or(&[], Vec::as_slice)
    }

    fn all_renewals(&self) -> BTreeMap<(String, String), Vec<String>> {
        let mut all = BTreeMap::new();
        for key in self.site.children.keys() {
            let country = key
                .trim_end_matches(paths::SECTION_INDEX)
                .trim_end_matches('/');
            for language in &self.site.config.languages {
                let urls = self.site.children[key]
                    .iter()
                    .filter_map(|child| self.summary(child, &language.code))
                    .filter(|summary| summary.kind == "renewal")
                    .map(|summary| summary.url)
                    .take(MAX_OFFLINE_RENEWALS)
                    .collect();
                all.insert((country.to_string(), language.code.clone()), urls);
            }
        }
        all
    }

    /// One entry per configured language: the same page there, or that language's home.
    pub fn alternates(&self, key: &str, current: &str) -> Vec<AlternateView> {
        let config = &self.site.config;
        config
            .languages
            .iter()
            .map(|language| {
                let version = self.site.page(key, &language.code);
                let path =
                    version.map_or_else(|| format!("/{}/", language.code), |p| p.path.clone());
                AlternateView {
                    lang: language.code.clone(),
                    locale: language.locale.clone(),
                    og_locale: crate::templates::format::og_locale(&language.locale),
                    name: language.name.clone(),
                    url: config.base_url.href(&path),
                    permalink: config.base_url.absolute(&path),
                    exists: version.is_some(),
                    current: language.code == current,
                }
            })
            .collect()
    }

    /// A listing entry for `key` in `lang`, falling back to the default language (or any)
    /// when it is not translated.
    pub fn summary(&self, key: &str, lang: &str) -> Option<PageSummary> {
        let page = self.site.version_for(key, lang)?;
        let fallback = page.lang != lang;
        let language = self.site.config.language(&page.lang)?;
        Some(PageSummary {
            lang_name: language.name.clone(),
            locale: language.locale.clone(),
            key: key.to_string(),
            title: page.front().title.clone(),
            description: page.front().description.clone(),
            url: self.site.config.base_url.href(&page.path),
            kind: page.kind_name().to_string(),
            channel: page.front().channel.map(|c| c.as_str().to_string()),
            lang: page.lang.clone(),
            fallback,
        })
    }

    /// The children of section `page` at positions `listed` of its list.
    fn children_of(&self, page: &Page, listed: std::ops::Range<usize>) -> Vec<PageSummary> {
        if !page.is_section {
            return Vec::new();
        }
        let keys = self.listed(&page.key, &page.lang);
        let end = listed.end.min(keys.len());
        keys.get(listed.start.min(end)..end)
            .unwrap_or(&[])
            .iter()
            .filter_map(|key| self.summary(key, &page.lang))
            .collect()
    }

    fn countries(&self, lang: &str) -> Vec<CountryView> {
        self.site
            .countries()
            .into_iter()
            .filter_map(|key| {
                let section = self.summary(key, lang)?;
                let listed = self.listed(key, lang);
                let guides = listed
                    .iter()
                    .take(HOME_GUIDES_PER_COUNTRY)
                    .filter_map(|child| self.summary(child, lang))
                    .collect();
                Some(CountryView {
                    section,
                    guides,
                    guide_count: listed.len(),
                })
            })
            .collect()
    }

    /// The UI strings contexts are formatted with.
    pub fn i18n(&self) -> &I18n {
        self.i18n
    }

    fn plan_views<'i>(&self, lang: &str, ids: impl Iterator<Item = &'i str>) -> Vec<&'a PlanView> {
        ids.filter_map(|id| self.plans.get(&(lang.to_string(), id.to_string())))
            .map(|view| view.as_ref())
            .collect()
    }
}

/// Config validation guarantees at least one language, so a site view always exists; this
/// keeps that invariant out of every caller without a panic path.
fn unreachable_site_view() -> &'static SiteView {
    static EMPTY: std::sync::OnceLock<SiteView> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| SiteView {
        title: String::new(),
        description: String::new(),
        base_url: String::new(),
        base_path: "/".into(),
        languages: vec![LanguageView {
            code: "en".into(),
            locale: "en".into(),
            og_locale: "en_US".into(),
            name: "English".into(),
            dir: crate::config::Direction::Ltr,
            home: "/".into(),
            title: String::new(),
            description: String::new(),
        }],
        default_language: "en".into(),
        serving: false,
    })
}

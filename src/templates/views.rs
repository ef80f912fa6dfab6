//! The template contract: typed, serializable views of the site, one per page and language.
//! Templates only ever see these (documented in README); internal types stay private so the
//! model can change without breaking themes. Pure: built from the model, the Markdown output
//! and the UI strings.

use serde::Serialize;

use super::format;
use crate::config::{Config, Direction, Language};
use crate::content::{DataAllowance, Localized, PaymentMethod, Plan};
use crate::i18n::I18n;
use crate::markdown::Heading;

/// A language as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageView {
    /// URL prefix and file suffix, e.g. `zh`.
    pub code: String,
    /// BCP-47 locale, e.g. `zh-CN`.
    pub locale: String,
    /// Open Graph locale, e.g. `zh_CN`, `en_US` (see [`format::og_locale`]).
    pub og_locale: String,
    /// Name in itself, e.g. `中文`.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: Direction,
    /// Link to this language's home page.
    pub home: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language (the language picker shows every one).
    pub description: String,
}

impl LanguageView {
    /// Builds the view of one configured language.
    pub fn new(config: &Config, language: &Language) -> Self {
        LanguageView {
            code: language.code.clone(),
            locale: language.locale.clone(),
            og_locale: format::og_locale(&language.locale),
            name: language.name.clone(),
            dir: language.dir,
            home: config.base_url.href(&format!("/{}/", language.code)),
            title: language.title.clone(),
            description: language.description.clone(),
        }
    }
}

/// The site in one language: title, description, every language, where it lives.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title in the page's language.
    pub title: String,
    /// Site description in the page's language.
    pub description: String,
    /// Absolute URL of the site root (with any path prefix).
    pub base_url: String,
    /// Path prefix for root-relative links (`/` or `/guides/`).
    pub base_path: String,
    /// All languages, default first.
    pub languages: Vec<LanguageView>,
    /// Code of the default language.
    pub default_language: String,
    /// True while `planguide serve` is previewing.
    pub serving: bool,
}

/// One entry of the language switcher and of `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateView {
    /// Language code.
    pub lang: String,
    /// BCP-47 locale (for `hreflang` and the link's `lang`).
    pub locale: String,
    /// Open Graph locale, for `og:locale:alternate`.
    pub og_locale: String,
    /// Name in itself.
    pub name: String,
    /// Where the switcher goes: the same page, or that language's home when missing.
    pub url: String,
    /// Absolute URL of the translation (only meaningful when `exists`).
    pub permalink: String,
    /// True when this page exists in that language.
    pub exists: bool,
    /// True for the page's own language.
    pub current: bool,
}

/// Where a page of a paginated section listing is in the series (`paginator` in templates;
/// absent when the listing fits on one page).
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorView {
    /// This page's number, from 1.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// URL of the page before, if any.
    pub previous: Option<String>,
    /// URL of the page after, if any.
    pub next: Option<String>,
    /// URL of the first page (the section's own URL).
    pub first: String,
    /// URL of the last page.
    pub last: String,
}

/// A link to another page in listings.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    /// Translation key.
    pub key: String,
    /// Title (in the listed language, or the fallback's).
    pub title: String,
    /// Summary sentence.
    pub description: String,
    /// Link.
    pub url: String,
    /// `purchase`, `renewal`, `page` or `section`.
    pub kind: String,
    /// Channel, for guides.
    pub channel: Option<String>,
    /// Language of the linked version (differs from the page's when it is a fallback).
    pub lang: String,
    /// Name of that language, for "(中文 only)" notes.
    pub lang_name: String,
    /// Locale of that language, for `hreflang`.
    pub locale: String,
    /// True when the page is not translated and the link goes to another language.
    pub fallback: bool,
}

/// A country section as listed on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    /// The section itself.
    pub section: PageSummary,
    /// Its first guides by weight, at most [`HOME_GUIDES_PER_COUNTRY`]: the home page stays
    /// the same size however many guides a country has, and links to the section for all.
    pub guides: Vec<PageSummary>,
    /// How many guides the country has in all.
    pub guide_count: usize,
}

/// Guides per country listed on the home page (the section page lists every one).
pub const HOME_GUIDES_PER_COUNTRY: usize = 8;

/// Translation status of the page being shown.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationView {
    /// The translation was made from an older version of the source-language page.
    pub stale: bool,
    /// Link to the source-language version.
    pub source_url: String,
    /// Name of the source language.
    pub source_name: String,
    /// Locale of the source language.
    pub source_locale: String,
}

/// The page being rendered. Borrowed from the model and the Markdown output, so building
/// it per page copies nothing large.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Translation key (`qatar/renew-phone`).
    pub key: &'a str,
    /// `home`, `section`, `purchase`, `renewal`, `page`, `not-found` or `language-picker`.
    pub kind: &'a str,
    /// Channel for guides (`online`, `airport`, `local-shop`, `phone`, `in-store`).
    pub channel: Option<&'static str>,
    /// Country (section folder) the page belongs to.
    pub country: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Summary for meta description and listings.
    pub description: &'a str,
    /// Rendered Markdown (mark `| safe` in templates).
    pub content: &'a str,
    /// Headings for a table of contents.
    pub headings: &'a [Heading],
    /// Root-relative link to this page.
    pub url: String,
    /// Absolute URL (canonical).
    pub permalink: String,
    /// Last update, ISO form.
    pub updated: Option<String>,
    /// Last update, formatted for the reader.
    pub updated_display: Option<String>,
    /// Numbered steps in the body.
    pub steps: usize,
    /// Checklist items in the body.
    pub checklist: usize,
    /// True when the body has code blocks (link the syntax stylesheet).
    pub has_code: bool,
    /// Translation status when this is not the source language.
    pub translation: Option<TranslationView>,
    /// Parent section, for breadcrumbs.
    pub parent: Option<PageSummary>,
    /// URLs of the renewal walkthroughs of the page's country (the offline cache keeps them).
    pub renewals: &'a [String],
}

/// A labelled enumerated value (payment method, store kind).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct LabelView {
    /// Stable code (`card`, `convenience-store`).
    pub code: String,
    /// Text in the reader's language.
    pub label: String,
}

/// Online renewal facts.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct OnlineView {
    /// Website.
    pub website: String,
    /// Payments.
    pub payment: Vec<LabelView>,
    /// Minutes until credit.
    pub credit_minutes: u32,
    /// Formatted wait.
    pub credit_display: String,
}

/// Phone renewal facts.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PhoneView {
    /// Number as written.
    pub number: Option<String>,
    /// The number for a `tel:` link (digits and `+`).
    pub tel: Option<String>,
    /// USSD code.
    pub ussd: Option<String>,
    /// USSD code for a `tel:` link (`#` percent-encoded).
    pub ussd_tel: Option<String>,
    /// Payments.
    pub payment: Vec<LabelView>,
    /// Minutes until credit.
    pub credit_minutes: u32,
    /// Formatted wait.
    pub credit_display: String,
}

/// In-store renewal facts.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct StoreView {
    /// Kinds of store.
    pub store_kinds: Vec<LabelView>,
    /// Opening-hours advice.
    pub hours_note: String,
    /// Payments.
    pub payment: Vec<LabelView>,
    /// Minutes until credit.
    pub credit_minutes: u32,
    /// Formatted wait.
    pub credit_display: String,
}

/// A plan in one language, with every figure already formatted for the reader.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PlanView {
    /// Plan id.
    pub id: String,
    /// Localized name.
    pub name: String,
    /// Provider.
    pub provider: String,
    /// Country key.
    pub country: String,
    /// Amount as a plain decimal (`50.00`).
    pub price_amount: String,
    /// ISO currency code.
    pub price_currency: String,
    /// Formatted price.
    pub price_display: String,
    /// Data in MB (`none` when unlimited).
    pub data_mb: Option<u64>,
    /// Formatted data allowance.
    pub data_display: String,
    /// Validity in days.
    pub validity_days: u32,
    /// Formatted validity.
    pub validity_display: String,
    /// Verification date, ISO.
    pub verified: String,
    /// Verification date, formatted.
    pub verified_display: String,
    /// Online renewal, if offered.
    pub online: Option<OnlineView>,
    /// Phone renewal, if offered.
    pub phone: Option<PhoneView>,
    /// In-store renewal, if offered.
    pub in_store: Option<StoreView>,
}

impl PlanView {
    /// Formats a plan for `lang`, falling back to the default language for missing texts.
    pub fn new(plan: &Plan, lang: &str, default_lang: &str, i18n: &I18n) -> Self {
        let local = |texts: &Localized| localized(texts, lang, default_lang);
        let payments = |methods: &[PaymentMethod]| {
            methods
                .iter()
                .map(|m| label_view(i18n, lang, "payment", m))
                .collect::<Vec<_>>()
        };
        PlanView {
            id: plan.id.clone(),
            name: local(&plan.name),
            provider: plan.provider.clone(),
            country: plan.country.clone(),
            price_amount: plan.price.plain_amount(),
            price_currency: plan.price.currency.code().to_string(),
            price_display: format::price(i18n, lang, &plan.price),
            data_mb: match plan.data {
                DataAllowance::Megabytes(mb) => Some(mb),
                DataAllowance::Unlimited => None,
            },
            data_display: format::data(i18n, lang, plan.data),
            validity_days: plan.validity_days,
            validity_display: format::days(i18n, lang, plan.validity_days),
            verified: plan.verified.to_string(),
            verified_display: format::date(i18n, lang, plan.verified),
            online: plan.renewal.online.as_ref().map(|o| OnlineView {
                website: o.website.clone(),
                payment: payments(&o.payment),
                credit_minutes: o.credit_minutes,
                credit_display: format::minutes(i18n, lang, o.credit_minutes),
            }),
            phone: plan.renewal.phone.as_ref().map(|p| PhoneView {
                number: p.number.clone(),
                tel: p.number.as_deref().map(tel_digits),
                ussd: p.ussd.clone(),
                ussd_tel: p.ussd.as_ref().map(|u| u.replace('#', "%23")),
                payment: payments(&p.payment),
                credit_minutes: p.credit_minutes,
                credit_display: format::minutes(i18n, lang, p.credit_minutes),
            }),
            in_store: plan.renewal.in_store.as_ref().map(|s| StoreView {
                store_kinds: s
                    .store_kinds
                    .iter()
                    .map(|k| label_view(i18n, lang, "store", k))
                    .collect(),
                hours_note: local(&s.hours_note),
                payment: payments(&s.payment),
                credit_minutes: s.credit_minutes,
                credit_display: format::minutes(i18n, lang, s.credit_minutes),
            }),
        }
    }
}

fn label_view<T: Serialize>(i18n: &I18n, lang: &str, prefix: &str, value: &T) -> LabelView {
    let code = serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    LabelView {
        label: format::label(i18n, lang, prefix, &code),
        code,
    }
}

/// Keeps `+` and digits, for `tel:` links.
fn tel_digits(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// The text for `lang`, else the default language's, else any.
pub fn localized(texts: &Localized, lang: &str, default_lang: &str) -> String {
    texts
        .get(lang)
        .or_else(|| texts.get(default_lang))
        .or_else(|| texts.values().next())
        .cloned()
        .unwrap_or_default()
}

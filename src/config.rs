//! `site.yaml`: the raw schema (strict, unknown keys rejected) and the resolved [`Config`]
//! the rest of the pipeline uses. `parse` is pure; the caller supplies the text.

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::yaml::{self, find_key_line, nth_key_line, Origin};

/// Top-level folders planguide writes itself (the search index shards), which a language
/// prefix may not share: its pages would inherit the shards' year-long cache rule.
const RESERVED_CODES: [&str; 1] = ["search"];

/// The config file's name, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: String,
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    languages: Vec<RawLanguage>,
    #[serde(default)]
    build: BuildSettings,
}

fn default_theme() -> String {
    "default".to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: String,
    locale: String,
    name: String,
    #[serde(default)]
    dir: Direction,
    title: String,
    #[serde(default)]
    description: String,
}

/// Text direction of a language, written into `<html dir>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right (Chinese, English).
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew).
    Rtl,
}

/// Build switches an editor may tune in `site.yaml` under `build:`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildSettings {
    /// Minify HTML on `build` (never when serving).
    pub minify_html: bool,
    /// Warn when a page and its resources exceed this many KiB gzip-transferred.
    pub page_weight_budget_kb: u64,
    /// Warn when a plan's facts were last verified more than this many days ago.
    pub stale_after_days: u32,
    /// Sections (all but the home page) list this many entries per page of their list
    /// (`/<lang>/<section>/page/2/`, …); 0 lists them all on one page.
    pub paginate_by: usize,
    /// A syntect theme name for code highlighting (light scheme).
    pub highlight_theme: String,
    /// A syntect theme name used under `prefers-color-scheme: dark`.
    pub highlight_theme_dark: String,
}

impl Default for BuildSettings {
    fn default() -> Self {
        BuildSettings {
            minify_html: true,
            page_weight_budget_kb: 30,
            stale_after_days: 180,
            paginate_by: 50,
            highlight_theme: "InspiredGitHub".to_string(),
            highlight_theme_dark: "base16-ocean.dark".to_string(),
        }
    }
}

/// One configured language: its URL prefix and file suffix (`code`), BCP-47 `locale`, the
/// name readers see in the switcher, and the site's title and description in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    /// URL prefix and file-name suffix, e.g. `zh`.
    pub code: String,
    /// BCP-47 locale for `<html lang>`, hreflang and formatting, e.g. `zh-CN`.
    pub locale: String,
    /// Name of the language in itself, e.g. `中文`.
    pub name: String,
    /// Text direction.
    pub dir: Direction,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
}

/// Where the site will live: scheme and host, plus an optional path prefix such as
/// `/guides/`, so every internal link, asset and feed entry can respect it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/path/]`; the path always ends with `/`.
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let (scheme, rest) = raw
            .split_once("://")
            .ok_or_else(|| format!("`{raw}` is not an absolute URL"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("`{raw}` must start with https:// or http://"));
        }
        let (host, path) = match rest.find('/') {
            Some(index) => (&rest[..index], &rest[index..]),
            None => (rest, "/"),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(format!("`{raw}` has no valid host"));
        }
        if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|s| s == "..") {
            return Err(format!(
                "`{raw}` must be a plain path without query or fragment"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{host}"),
            path,
        })
    }

    /// Root-relative link for a site path (`/zh/qatar/` → `/guides/zh/qatar/`).
    pub fn href(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// Absolute URL for a site path, for canonical links, sitemaps and feeds.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.href(site_path))
    }

    /// The path prefix, always starting and ending with `/`.
    pub fn path_prefix(&self) -> &str {
        &self.path
    }
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// Code of the language `/index.html` falls back to and translations are made from.
    pub default_language: String,
    /// Configured languages, default language first, then in file order.
    pub languages: Vec<Language>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Build switches.
    pub build: BuildSettings,
}

impl Config {
    /// Parses and validates `site.yaml`, reporting every problem found.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let origin = Origin {
            file: CONFIG_FILE,
            line_offset: 0,
        };
        // Every wrong key and value, but no checks across keys (see `Document::parse`).
        let raw: RawConfig = yaml::parse_all(text, origin).map_err(|partial| partial.problems)?;
        resolve(raw, text)
    }

    /// The language with this code, if configured.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// True when `code` is a configured language.
    pub fn has_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    /// Replaces the base URL (the `--base-url` flag for preview deploys).
    pub fn override_base_url(&mut self, raw: &str) -> Result<(), Diagnostic> {
        self.base_url = BaseUrl::parse(raw)
            .map_err(|m| Diagnostic::error("config", "", format!("--base-url: {m}")))?;
        Ok(())
    }
}

fn resolve(raw: RawConfig, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let error = |key: &str, message: String| {
        Diagnostic::error("config", CONFIG_FILE, message).at_line(find_key_line(text, key))
    };
    let base_url = BaseUrl::parse(&raw.base_url).map_err(|m| error("base_url", m));
    if raw.languages.is_empty() {
        problems.push(error(
            "languages",
            "at least one language is required".into(),
        ));
    }
    let mut languages = Vec::new();
    for (entry, language) in raw.languages.into_iter().enumerate() {
        match resolve_language(language, entry, text) {
            Ok(language) if languages.iter().any(|l: &Language| l.code == language.code) => {
                problems.push(
                    Diagnostic::error(
                        "config",
                        CONFIG_FILE,
                        format!("language `{}` is listed twice", language.code),
                    )
                    .at_line(nth_key_line(text, "code", entry)),
                );
            }
            Ok(language) => languages.push(language),
            Err(problem) => problems.push(problem),
        }
    }
    if !languages.iter().any(|l| l.code == raw.default_language) {
        problems.push(
            error(
                "default_language",
                format!(
                    "default_language `{}` is not one of the configured languages",
                    raw.default_language
                ),
            )
            .hint("set it to the `code` of an entry under `languages`"),
        );
    }
    if !is_plain_name(&raw.theme) {
        problems.push(error(
            "theme",
            format!("theme `{}` must be a folder name", raw.theme),
        ));
    }
    languages.sort_by_key(|l| l.code != raw.default_language);
    match base_url {
        Ok(base_url) if problems.is_empty() => Ok(Config {
            base_url,
            default_language: raw.default_language,
            languages,
            theme: raw.theme,
            build: raw.build,
        }),
        Ok(_) => Err(problems),
        Err(problem) => {
            problems.insert(0, problem);
            Err(problems)
        }
    }
}

/// Checks entry number `entry` (0-based) of `languages:`; errors point at that entry's lines.
fn resolve_language(raw: RawLanguage, entry: usize, text: &str) -> Result<Language, Diagnostic> {
    let at = |key: &str| nth_key_line(text, key, entry);
    if RESERVED_CODES.contains(&raw.code.as_str()) {
        return Err(Diagnostic::error(
            "config",
            CONFIG_FILE,
            format!(
                "language code `{}` is taken: planguide writes its own files under `/{}/`",
                raw.code, raw.code
            ),
        )
        .at_line(at("code")));
    }
    if !is_language_code(&raw.code) {
        return Err(Diagnostic::error(
            "config",
            CONFIG_FILE,
            format!(
                "language code `{}` must be lowercase letters, digits and `-`",
                raw.code
            ),
        )
        .at_line(at("code")));
    }
    if raw
        .locale
        .parse::<unic_langid::LanguageIdentifier>()
        .is_err()
    {
        return Err(Diagnostic::error(
            "config",
            CONFIG_FILE,
            format!("`{}` is not a BCP-47 locale", raw.locale),
        )
        .at_line(at("locale"))
        .hint("use a tag such as `zh-CN`, `en` or `ar-QA`"));
    }
    Ok(Language {
        code: raw.code,
        locale: raw.locale,
        name: raw.name,
        dir: raw.dir,
        title: raw.title,
        description: raw.description,
    })
}

/// Language codes are URL prefixes and file suffixes, so they are kept to a safe alphabet.
pub fn is_language_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && code.len() <= 12
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// A small zh + en configuration for unit tests across modules.
#[cfg(test)]
pub(crate) fn bilingual_for_tests() -> Config {
    let text = "base_url: https://x.example/\ndefault_language: zh\nlanguages:\n  - {code: zh, locale: zh-CN, name: 中文, title: 指南}\n  - {code: en, locale: en, name: English, title: Guides}\n";
    Config::parse(text).unwrap_or_else(|problems| panic!("test config: {problems:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "base_url: https://cdn.example.com/guides\ndefault_language: zh\nlanguages:\n  - code: en\n    locale: en\n    name: English\n    title: Guides\n  - code: zh\n    locale: zh-CN\n    name: 中文\n    title: 指南\n";

    #[test]
    fn can_parse_and_put_default_language_first() {
        let config = Config::parse(GOOD).unwrap();
        assert_eq!(config.languages[0].code, "zh");
        assert_eq!(config.base_url.href("/zh/"), "/guides/zh/");
        assert_eq!(
            config.base_url.absolute("/zh/qatar/"),
            "https://cdn.example.com/guides/zh/qatar/"
        );
    }

    #[test]
    fn errors_when_key_is_unknown() {
        let text = format!("{GOOD}colour: red\n");
        let problems = Config::parse(&text).unwrap_err();
        assert_eq!(problems[0].code, "unknown-key");
        assert_eq!(problems[0].line, Some(12));
        assert!(problems[0].message.contains("colour"));
    }

    #[test]
    fn errors_when_default_language_is_missing() {
        let text = GOOD.replace("default_language: zh", "default_language: fr");
        let problems = Config::parse(&text).unwrap_err();
        assert!(problems[0].message.contains("fr"));
        assert_eq!(problems[0].line, Some(2));
    }

    #[test]
    fn errors_when_locale_is_not_bcp47() {
        let text = GOOD.replace("locale: zh-CN", "locale: zh_CN!");
        let problems = Config::parse(&text).unwrap_err();
        assert!(problems[0].message.contains("BCP-47"));
        assert_eq!(problems[0].line, Some(9));
    }

    /// The second entry of a language is the mistake, so that is the line named, whichever
    /// language is repeated; an empty code points at its own entry too.
    #[test]
    fn errors_on_the_line_of_the_repeated_or_empty_entry() {
        let third = "  - code: zh\n    locale: zh-CN\n    name: 中文\n    title: 指南\n";
        let problems = Config::parse(&format!("{GOOD}{third}")).unwrap_err();
        assert!(problems[0].message.contains("`zh` is listed twice"));
        assert_eq!(problems[0].line, Some(12));
        let empty = GOOD.replace("code: zh", "code: \"\"");
        let problems = Config::parse(&empty).unwrap_err();
        assert_eq!(problems[0].line, Some(8), "{problems:?}");
    }

    #[test]
    fn errors_when_a_language_takes_a_reserved_prefix() {
        let text = GOOD.replace("code: en", "code: search");
        let problems = Config::parse(&text).unwrap_err();
        assert!(problems[0].message.contains("`search` is taken"));
        assert_eq!(problems[0].line, Some(4));
    }

    #[test]
    fn base_url_rejects_traversal_and_queries() {
        assert!(BaseUrl::parse("https://a.example/x/../").is_err());
        assert!(BaseUrl::parse("https://a.example/?q").is_err());
        assert!(BaseUrl::parse("ftp://a.example/").is_err());
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:8080").unwrap().href("/"),
            "/"
        );
    }
}

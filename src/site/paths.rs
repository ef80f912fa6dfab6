//! How content files map to pages: `folder/slug.<lang>.md` is the `<lang>` version of the
//! page `folder/slug`, published at `/<lang>/folder/slug/`; `_index.<lang>.md` is a
//! section's own page. Pure string rules, unit-tested.

use crate::config::Config;
use crate::content::document::check_slug;

/// Files the build writes in every language's folder besides pages: feed, 404 page, search
/// entry point. No page may be published where one of them, or a folder holding it, goes:
/// the build would fail halfway through writing, so the model reports it first.
pub const LANGUAGE_FILES: [&str; 3] = ["atom.xml", "404.html", "search/meta.json"];

/// The name of a section's own page, without language suffix.
pub const SECTION_INDEX: &str = "_index";

/// What a content file name says about the page it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIdentity {
    /// Translation key shared by every language version: `qatar/renew-phone`,
    /// `qatar/_index`, `_index`.
    pub key: String,
    /// Language code from the suffix.
    pub lang: String,
    /// Folder of the file inside `content/` (`qatar`, or empty at the top).
    pub folder: String,
    /// File stem without language (`renew-phone`, `_index`).
    pub stem: String,
}

impl FileIdentity {
    /// True for `_index.<lang>.md`.
    pub fn is_section(&self) -> bool {
        self.stem == SECTION_INDEX
    }
}

/// Parses `content/qatar/renew-phone.zh.md` into its key and language.
pub fn identify(config: &Config, file: &str) -> Result<FileIdentity, String> {
    let inside = file.strip_prefix("content/").unwrap_or(file);
    let (folder, name) = inside.rsplit_once('/').unwrap_or(("", inside));
    let stem_and_lang = name
        .strip_suffix(".md")
        .ok_or_else(|| format!("`{name}` is not a Markdown file"))?;
    let configured = || {
        config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((stem, lang)) = stem_and_lang.rsplit_once('.') else {
        return Err(format!(
            "`{name}` has no language suffix; name it `{stem_and_lang}.<lang>.md` with one of: {}",
            configured()
        ));
    };
    if !config.has_language(lang) {
        return Err(format!(
            "unknown language suffix `.{lang}` in `{name}`; configured languages: {}",
            configured()
        ));
    }
    for segment in folder.split('/').filter(|s| !s.is_empty()) {
        check_slug(segment).map_err(|m| format!("folder name: {m}"))?;
    }
    if stem != SECTION_INDEX {
        check_slug(stem).map_err(|m| format!("file name: {m}"))?;
    }
    let key = if folder.is_empty() {
        stem.to_string()
    } else {
        format!("{folder}/{stem}")
    };
    Ok(FileIdentity {
        key,
        lang: lang.to_string(),
        folder: folder.to_string(),
        stem: stem.to_string(),
    })
}

/// The site path of a page: `/<lang>/<folder>/<slug>/`, or `/<lang>/<folder>/` for sections.
pub fn page_path(identity: &FileIdentity, slug: Option<&str>) -> String {
    let mut path = format!("/{}/", identity.lang);
    if !identity.folder.is_empty() {
        path.push_str(&identity.folder);
        path.push('/');
    }
    if !identity.is_section() {
        path.push_str(slug.unwrap_or(&identity.stem));
        path.push('/');
    }
    path
}

/// The key of the section a page belongs to: a section's parent folder, a page's folder.
pub fn parent_section_key(identity: &FileIdentity) -> Option<String> {
    let folder = if identity.is_section() {
        if identity.folder.is_empty() {
            return None;
        }
        identity
            .folder
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent)
    } else {
        identity.folder.as_str()
    };
    Some(section_key(folder))
}

/// The translation key of a folder's section page.
pub fn section_key(folder: &str) -> String {
    if folder.is_empty() {
        SECTION_INDEX.to_string()
    } else {
        format!("{folder}/{SECTION_INDEX}")
    }
}

/// The translation key a `@/path.md` content link points to, and an explicit language when
/// the link names one (`@/qatar/renew-phone.en.md`).
pub fn link_key(config: &Config, content_path: &str) -> Option<(String, Option<String>)> {
    let path = content_path.trim_start_matches('/');
    let without_md = path.strip_suffix(".md")?;
    if let Some((stem, lang)) = without_md.rsplit_once('.') {
        if config.has_language(lang) {
            return Some((stem.to_string(), Some(lang.to_string())));
        }
    }
    Some((without_md.to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::bilingual_for_tests()
    }

    #[test]
    fn maps_files_to_keys_and_urls() {
        let c = config();
        let page = identify(&c, "content/qatar/renew-phone.zh.md").unwrap();
        assert_eq!(page.key, "qatar/renew-phone");
        assert_eq!(page_path(&page, None), "/zh/qatar/renew-phone/");
        assert_eq!(page_path(&page, Some("phone")), "/zh/qatar/phone/");
        assert_eq!(parent_section_key(&page).as_deref(), Some("qatar/_index"));
        let section = identify(&c, "content/qatar/_index.en.md").unwrap();
        assert_eq!(page_path(&section, None), "/en/qatar/");
        assert_eq!(parent_section_key(&section).as_deref(), Some("_index"));
        let home = identify(&c, "content/_index.en.md").unwrap();
        assert_eq!(page_path(&home, None), "/en/");
        assert_eq!(parent_section_key(&home), None);
        let top = identify(&c, "content/about.en.md").unwrap();
        assert_eq!(page_path(&top, None), "/en/about/");
    }

    #[test]
    fn errors_when_suffix_is_unknown_or_missing() {
        let c = config();
        assert!(identify(&c, "content/qatar/renew.fr.md")
            .unwrap_err()
            .contains("unknown language suffix `.fr`"));
        assert!(identify(&c, "content/qatar/renew.md")
            .unwrap_err()
            .contains("no language suffix"));
        assert!(identify(&c, "content/a b/x.zh.md").is_err());
    }

    #[test]
    fn link_keys_accept_explicit_language() {
        let c = config();
        assert_eq!(
            link_key(&c, "qatar/renew-phone.md"),
            Some(("qatar/renew-phone".into(), None))
        );
        assert_eq!(
            link_key(&c, "qatar/renew-phone.en.md"),
            Some(("qatar/renew-phone".into(), Some("en".into())))
        );
        assert_eq!(
            link_key(&c, "qatar/_index.md"),
            Some(("qatar/_index".into(), None))
        );
    }
}

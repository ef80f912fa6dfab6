//! Site search index, one per language, written as compact static files under
//! `/<lang>/search/`. (Being implemented: see issue 7. Until then it produces no files.)

use std::collections::BTreeMap;

/// One page as the search index sees it: rendered text, not Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Root-relative URL of the page.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Headings' text in document order.
    pub headings: Vec<String>,
    /// Body as plain text (tags stripped, whitespace collapsed).
    pub body: String,
    /// Country (section) title in the page's language, if any.
    pub country: Option<String>,
    /// Channel label in the page's language (e.g. "电话" / "By phone"), if any.
    pub channel: Option<String>,
    /// Names of the plans the page covers, in the page's language.
    pub plans: Vec<String>,
    /// `purchase`, `renewal`, `page`, `section` or `home`.
    pub kind: String,
}

/// Builds the index files for one language. Keys are paths relative to the output root
/// (`zh/search/...`).
pub fn build(lang: &str, docs: &[SearchDoc]) -> BTreeMap<String, Vec<u8>> {
    let _ = (lang, docs);
    BTreeMap::new()
}

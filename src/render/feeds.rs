//! One Atom feed per language (`/<lang>/atom.xml`) listing the newest guides. Dates come from
//! front matter `updated`, never from the clock, so feeds are reproducible. Pure.

use std::collections::BTreeMap;

use crate::content::GuideKind;
use crate::error::Diagnostic;
use crate::html::escape;
use crate::site::{Page, Site};

/// How many entries a feed keeps.
pub const FEED_ENTRIES: usize = 50;

/// Output path → Atom XML, per language.
pub fn render(site: &Site) -> BTreeMap<String, String> {
    site.config
        .languages
        .iter()
        .map(|language| {
            (
                format!("{}/atom.xml", language.code),
                feed(site, &language.code),
            )
        })
        .collect()
}

/// Guides the feeds leave out for want of an `updated` date: a warning each, so an editor
/// learns why a new guide never reached subscribers.
pub fn undated_guides(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|p| p.front().updated.is_none() && is_guide(p))
        .map(|p| {
            Diagnostic::warning(
                "undated-guide",
                &p.file,
                "this guide has no `updated:` date, so the Atom feed leaves it out",
            )
            .at(1, 1)
            .hint("add `updated: YYYY-MM-DD` to the front matter (the date the facts were checked)")
        })
        .collect()
}

fn is_guide(page: &Page) -> bool {
    matches!(page.kind(), GuideKind::Purchase | GuideKind::Renewal)
}

fn feed(site: &Site, lang: &str) -> String {
    let config = &site.config;
    let base = &config.base_url;
    let language = config.language(lang);
    let mut guides: Vec<&Page> = site
        .pages
        .iter()
        .map(|p| p.as_ref())
        .filter(|p| p.lang == lang && p.front().updated.is_some() && is_guide(p))
        .collect();
    guides.sort_by(|a, b| {
        (b.front().updated_date(), &a.path).cmp(&(a.front().updated_date(), &b.path))
    });
    guides.truncate(FEED_ENTRIES);
    let updated = guides
        .first()
        .and_then(|p| p.front().updated_date())
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let title = language.map_or("", |l| l.title.as_str());
    let home = base.absolute(&format!("/{lang}/"));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{locale}\">\n  <title>{title}</title>\n  <subtitle>{subtitle}</subtitle>\n  <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{home}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{home}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{title}</name></author>\n",
        locale = escape(language.map_or(lang, |l| l.locale.as_str())),
        title = escape(title),
        subtitle = escape(language.map_or("", |l| l.description.as_str())),
        self_url = escape(&base.absolute(&format!("/{lang}/atom.xml"))),
        home = escape(&home),
    );
    for page in guides {
        let permalink = escape(&base.absolute(&page.path));
        let date = page
            .front()
            .updated_date()
            .map(|d| d.to_string())
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{permalink}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{permalink}</id>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&page.front().title),
            escape(&page.front().description),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

//! `sitemap.xml` with `xhtml:link` language alternates and `x-default`, split into a sitemap
//! index past 50,000 URLs as the sitemaps protocol requires, and `robots.txt` naming it.
//! Pure; URLs are listed in path order.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::html::escape;
use crate::site::{paths, Site};

/// The sitemaps protocol's limit of URLs per file.
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;

/// Output path → XML for the sitemap (or index plus parts) and `robots.txt`.
pub fn render(site: &Site) -> BTreeMap<String, String> {
    render_with_limit(site, MAX_URLS_PER_SITEMAP)
}

/// As [`render`], with a custom split size (tests use a small one).
pub fn render_with_limit(site: &Site, limit: usize) -> BTreeMap<String, String> {
    let base = &site.config.base_url;
    let picker = lists_picker(site).then(|| (base.absolute("/"), None));
    let mut locs: Vec<(String, Option<usize>)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| (base.absolute(&page.path), Some(i)))
        .chain(picker)
        .collect();
    locs.sort();
    let mut files = BTreeMap::new();
    // One rule decides the split, shared with the cache rules that name the parts.
    let names = part_names_with_limit(site, limit);
    if names.is_empty() {
        files.insert("sitemap.xml".to_string(), urlset(site, &locs));
    } else {
        let parts: Vec<String> = locs
            .par_chunks(limit.max(1))
            .map(|chunk| urlset(site, chunk))
            .collect();
        let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (name, part) in names.into_iter().zip(parts) {
            index.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                escape(&base.absolute(&format!("/{name}")))
            ));
            files.insert(name, part);
        }
        index.push_str("</sitemapindex>\n");
        files.insert("sitemap.xml".to_string(), index);
    }
    files.insert(
        "robots.txt".to_string(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            base.absolute("/sitemap.xml")
        ),
    );
    files
}

/// The root language picker is the home pages' x-default, so it is listed with them.
fn lists_picker(site: &Site) -> bool {
    site.config.languages.len() > 1
}

fn part_name(n: usize) -> String {
    format!("sitemap-{}.xml", n + 1)
}

/// The `sitemap-N.xml` files [`render`] writes beside the index (none while one sitemap
/// holds every URL), so cache rules can name them.
pub fn part_names(site: &Site) -> Vec<String> {
    part_names_with_limit(site, MAX_URLS_PER_SITEMAP)
}

/// As [`part_names`], for a custom split size.
pub fn part_names_with_limit(site: &Site, limit: usize) -> Vec<String> {
    let urls = site.pages.len() + usize::from(lists_picker(site));
    let parts = if urls <= limit {
        0
    } else {
        urls.div_ceil(limit.max(1))
    };
    (0..parts).map(part_name).collect()
}

/// A `<urlset>` of the pages in `locs` (absolute location, page index or `None` for the root
/// language picker), written straight into one string: no per-URL strings, which at
/// 200,000 pages took 150 MB.
fn urlset(site: &Site, locs: &[(String, Option<usize>)]) -> String {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
    const TAIL: &str = "</urlset>\n";
    let mut xml = String::from(HEAD);
    for (loc, index) in locs {
        match index {
            Some(index) => {
                if let Some(page) = site.pages.get(*index) {
                    url_entry(site, &page.key, page.front().updated_date(), loc, &mut xml);
                }
            }
            None => url_entry(site, paths::SECTION_INDEX, None, loc, &mut xml),
        }
    }
    xml.push_str(TAIL);
    xml.shrink_to_fit();
    xml
}

/// One `<url>` element: location, last change, and the language versions of page `key`.
fn url_entry(
    site: &Site,
    key: &str,
    updated: Option<crate::content::Date>,
    loc: &str,
    xml: &mut String,
) {
    use std::fmt::Write;
    let base = &site.config.base_url;
    let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(loc));
    if let Some(updated) = updated {
        let _ = writeln!(xml, "    <lastmod>{updated}</lastmod>");
    }
    let languages = site.languages_of(key);
    if languages.len() > 1 {
        for code in &languages {
            if let (Some(version), Some(language)) =
                (site.page(key, code), site.config.language(code))
            {
                let _ = writeln!(
                    xml,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(&language.locale),
                    escape(&base.absolute(&version.path))
                );
            }
        }
        let default = if key == paths::SECTION_INDEX {
            Some("/")
        } else {
            site.page(key, &site.config.default_language)
                .or_else(|| languages.first().and_then(|c| site.page(key, c)))
                .map(|page| page.path.as_str())
        };
        if let Some(default) = default {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape(&base.absolute(default))
            );
        }
    }
    xml.push_str("  </url>\n");
}

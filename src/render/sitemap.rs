//! `sitemap.xml` with `xhtml:link` language alternates and `x-default`, split into a sitemap
//! index past 50,000 URLs as the sitemaps protocol requires, and `robots.txt` naming it.
//! Pure; URLs are listed in path order.

use std::collections::BTreeMap;

use crate::html::escape;
use crate::site::Site;

/// The sitemaps protocol's limit of URLs per file.
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;

/// Output path → XML for the sitemap (or index plus parts) and `robots.txt`.
pub fn render(site: &Site) -> BTreeMap<String, String> {
    render_with_limit(site, MAX_URLS_PER_SITEMAP)
}

/// As [`render`], with a custom split size (tests use a small one).
pub fn render_with_limit(site: &Site, limit: usize) -> BTreeMap<String, String> {
    let entries = url_entries(site);
    let base = &site.config.base_url;
    let mut files = BTreeMap::new();
    if entries.len() <= limit {
        files.insert("sitemap.xml".to_string(), urlset(&entries));
    } else {
        let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (n, chunk) in entries.chunks(limit.max(1)).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            index.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                escape(&base.absolute(&format!("/{name}")))
            ));
            files.insert(name, urlset(chunk));
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

/// One `<url>` element's text, keyed by its location for ordering.
fn url_entries(site: &Site) -> Vec<String> {
    let base = &site.config.base_url;
    let mut entries: Vec<(String, String)> = site
        .pages
        .iter()
        .map(|page| {
            let loc = base.absolute(&page.path);
            let mut xml = format!("  <url>\n    <loc>{}</loc>\n", escape(&loc));
            if let Some(updated) = page.front().updated {
                xml.push_str(&format!("    <lastmod>{updated}</lastmod>\n"));
            }
            let languages = site.languages_of(&page.key);
            if languages.len() > 1 {
                for code in &languages {
                    if let (Some(version), Some(language)) =
                        (site.page(&page.key, code), site.config.language(code))
                    {
                        xml.push_str(&format!(
                            "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                            escape(&language.locale),
                            escape(&base.absolute(&version.path))
                        ));
                    }
                }
                let default = site
                    .page(&page.key, &site.config.default_language)
                    .or_else(|| languages.first().and_then(|c| site.page(&page.key, c)));
                if let Some(default) = default {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                        escape(&base.absolute(&default.path))
                    ));
                }
            }
            xml.push_str("  </url>\n");
            (loc, xml)
        })
        .collect();
    entries.sort();
    entries.into_iter().map(|(_, xml)| xml).collect()
}

fn urlset(entries: &[String]) -> String {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
    const TAIL: &str = "</urlset>\n";
    // Sized up front: a 20,000-page sitemap is ~15 MB, and doubling would touch twice that.
    let size = HEAD.len() + TAIL.len() + entries.iter().map(String::len).sum::<usize>();
    let mut xml = String::with_capacity(size);
    xml.push_str(HEAD);
    for entry in entries {
        xml.push_str(entry);
    }
    xml.push_str(TAIL);
    xml
}

//! CDN-facing output: fingerprints and cache rules, redirects, feeds, the manifest and
//! `--changed-since`, base URLs with a path.

use std::collections::BTreeSet;

use crate::harness::{attrs, snapshot, TestSite};

#[test]
fn css_and_js_are_minified_and_fingerprinted_and_headers_mark_them_immutable() {
    let site = TestSite::example();
    site.build_ok();
    let files = site.output_files();
    let css: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("css/style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{files:?}");
    assert!(!files.contains(&"css/style.css".to_string()));
    let html = site.output("en/qatar/renew-phone/index.html");
    assert!(html.contains(&format!("href=\"/{}\"", css[0])));
    let source_css = site.source("themes/default/static/css/style.css");
    assert!(site.output(css[0]).len() < source_css.len(), "minified");
    let headers = site.output("_headers");
    assert!(headers.contains(&format!(
        "/{}\n  Cache-Control: public, max-age=31536000, immutable",
        css[0]
    )));
    assert!(headers.contains("/en/*\n  Cache-Control: public, max-age=0, must-revalidate"));
}

/// The `Cache-Control` values of the `_headers` rules matching `url` (exact paths and
/// trailing `*`, the forms planguide writes).
fn cache_rules<'a>(headers: &'a str, url: &str) -> Vec<&'a str> {
    let mut matched = vec![];
    let mut applies = false;
    for line in headers.lines() {
        if let Some(pattern) = line.strip_prefix('/').map(|_| line) {
            applies = match pattern.strip_suffix('*') {
                Some(prefix) => url.starts_with(prefix),
                None => url == pattern,
            };
        } else if let Some(value) = line.trim().strip_prefix("Cache-Control: ") {
            if applies {
                matched.push(value);
            }
        }
    }
    matched
}

/// CDNs combine the values of overlapping rules (Cloudflare Pages joins them with commas),
/// so every file gets its cache rule from exactly one: search index shards, named by
/// content, are immutable; `meta.json`, pages and feeds revalidate.
#[test]
fn every_file_matches_exactly_one_cache_rule() {
    let site = TestSite::example();
    site.build_ok();
    let headers = site.output("_headers");
    let mut checked = 0;
    for file in site.output_files() {
        if file.starts_with('_') || file.starts_with(".planguide/") {
            continue;
        }
        let url = format!("/{file}");
        let rules = cache_rules(&headers, &url);
        assert_eq!(rules.len(), 1, "{url}: {rules:?}");
        let expected =
            if file.starts_with("search/") || file.starts_with("css/") || file.starts_with("js/") {
                "public, max-age=31536000, immutable"
            } else if file == "sw.js" {
                "no-cache"
            } else {
                "public, max-age=0, must-revalidate"
            };
        assert_eq!(rules[0], expected, "{url}");
        checked += 1;
    }
    assert!(checked > 50);
    assert!(site
        .output_files()
        .iter()
        .any(|f| f.starts_with("search/zh/p0.")));
    assert_eq!(
        cache_rules(&headers, "/zh/search/meta.json"),
        ["public, max-age=0, must-revalidate"]
    );
}

#[test]
fn html_is_minified_unless_turned_off() {
    let site = TestSite::example();
    site.build_ok();
    let minified = site.output("en/qatar/renew-phone/index.html");
    assert!(!minified.contains("\n\n"));
    let plain = site.build_with(planguide::SiteOptions {
        minify_html: Some(false),
        ..Default::default()
    });
    assert!(plain.is_ok());
    assert!(site.output("en/qatar/renew-phone/index.html").len() > minified.len());
}

#[test]
fn aliases_become_301s_for_netlify_and_nginx() {
    let site = TestSite::example();
    site.build_ok();
    assert!(site
        .output("_redirects")
        .contains("/en/qatar/phone-renewal/ /en/qatar/renew-phone/ 301"));
    assert!(site
        .output(".planguide/nginx.conf")
        .contains("location = /en/qatar/phone-renewal/ { return 301 /en/qatar/renew-phone/; }"));
}

/// An old URL naming an `.html` file redirects from exactly that file, not from a folder
/// of that name that no old link points into.
#[test]
fn an_html_alias_stays_a_file() {
    let site = TestSite::minimal().file(
        "content/about.en.md",
        "---\ntitle: About\naliases: [/en/about-us.html]\n---\nAbout\n",
    );
    site.build_ok();
    assert!(site.output("en/about-us.html").contains("url=/en/about/"));
    assert!(!site.public().join("en/about-us.html/index.html").exists());
    assert!(site
        .output("_redirects")
        .contains("/en/about-us.html /en/about/ 301"));
    assert!(site
        .output(".planguide/nginx.conf")
        .contains("location = /en/about-us.html { return 301 /en/about/; }"));
}

/// A guide without `updated` cannot be dated in the feed: the build says so, naming it.
#[test]
fn a_guide_left_out_of_the_feed_is_named() {
    let site = TestSite::example();
    let text = site.source("content/qatar/renew-online.en.md");
    let undated: String = text
        .lines()
        .filter(|line| !line.starts_with("updated:"))
        .map(|line| format!("{line}\n"))
        .collect();
    let site = site.file("content/qatar/renew-online.en.md", &undated);
    let output = site.cli(&["build"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("undated-guide"), "{stderr}");
    assert!(
        stderr.contains("content/qatar/renew-online.en.md:1:1"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("undated-guide").count(), 1, "{stderr}");
    assert!(!site
        .output("en/atom.xml")
        .contains("/en/qatar/renew-online/"));
}

#[test]
fn feeds_list_guides_per_language_with_dates_from_front_matter() {
    let site = TestSite::example();
    site.build_ok();
    for (lang, locale) in [("zh", "zh-CN"), ("en", "en")] {
        let feed = site.output(&format!("{lang}/atom.xml"));
        assert!(feed.contains(&format!("xml:lang=\"{locale}\"")));
        assert_eq!(
            feed.matches("<entry>").count(),
            18,
            "6 guides × 3 countries in {lang}"
        );
        assert!(feed.contains(&format!(
            "https://guides.example.com/{lang}/qatar/renew-phone/"
        )));
        assert!(feed.contains("<updated>2026-"));
        assert!(!feed.contains("/about/"), "plain pages are not guides");
    }
}

#[test]
fn changed_since_names_exactly_the_files_that_changed() {
    let site = TestSite::example();
    site.build_ok();
    let before = snapshot(&site.public());
    let old_manifest = site.root().join("old-manifest.json");
    std::fs::copy(
        site.public().join(".planguide/manifest.json"),
        &old_manifest,
    )
    .unwrap();
    let site = site.edit(
        "content/qatar/renew-phone.en.md",
        "Renewing by phone needs",
        "Renewing by phone (edited) needs",
    );
    let output = site.cli(&["build", "--changed-since", old_manifest.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = snapshot(&site.public());
    let old: std::collections::BTreeMap<_, _> = before.into_iter().collect();
    let new: std::collections::BTreeMap<_, _> = after.into_iter().collect();
    let mut expected = BTreeSet::new();
    for (path, bytes) in &new {
        if path == ".planguide/manifest.json" {
            continue;
        }
        match old.get(path) {
            None => expected.insert(format!("added {path}")),
            Some(previous) if previous != bytes => expected.insert(format!("changed {path}")),
            Some(_) => false,
        };
    }
    for path in old
        .keys()
        .filter(|p| !new.contains_key(*p) && p.as_str() != ".planguide/manifest.json")
    {
        expected.insert(format!("removed {path}"));
    }
    let reported: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(reported, expected);
    assert!(reported.contains("changed en/qatar/renew-phone/index.html"));
    assert!(
        !reported
            .iter()
            .any(|l| l.contains("zh/qatar/renew-phone/index.html")),
        "{reported:?}"
    );
}

#[test]
fn a_base_url_with_a_path_prefixes_every_link_asset_feed_and_sitemap_entry() {
    let site = TestSite::example();
    let built = site.cli(&["build", "--base-url", "https://cdn.example.com/guides/"]);
    assert!(built.status.success(), "{built:?}");
    let mut checked = 0;
    // Each script-fetched attribute and og:url must be seen, so a renamed one cannot pass
    // unchecked.
    let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.output(file);
        // What scripts fetch: the search index, the service worker, the offline page and
        // the renewal walkthroughs it saves.
        for attr in [
            "data-search",
            "data-sw",
            "data-offline-page",
            "data-renewals",
        ] {
            for value in attrs(&html, "<", attr) {
                for path in value.split_whitespace() {
                    assert!(path.starts_with("/guides/"), "{file}: {attr}={path}");
                    *seen.entry(attr).or_default() += 1;
                }
            }
        }
        for url in attrs(&html, "<meta property=\"og:url\"", "content") {
            assert!(
                url.starts_with("https://cdn.example.com/guides/"),
                "{file}: {url}"
            );
            *seen.entry("og:url").or_default() += 1;
        }
        for attr in ["href", "src"] {
            for value in attrs(&html, "<", attr) {
                if value.starts_with('/') {
                    assert!(value.starts_with("/guides/"), "{file}: {attr}={value}");
                    checked += 1;
                } else if value.starts_with("http")
                    && value.contains("example.com/")
                    && !value.contains("renew.example.com")
                {
                    assert!(
                        value.starts_with("https://cdn.example.com/guides/")
                            || !value.contains("cdn.example.com"),
                        "{file}: {value}"
                    );
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    for attr in [
        "data-search",
        "data-sw",
        "data-offline-page",
        "data-renewals",
        "og:url",
    ] {
        assert!(
            seen.get(attr).is_some_and(|n| *n > 0),
            "no {attr} seen: {seen:?}"
        );
    }
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap
            .matches("<loc>https://cdn.example.com/guides/")
            .count()
            == sitemap.matches("<loc>").count()
    );
    assert!(site
        .output("en/atom.xml")
        .contains("<link href=\"https://cdn.example.com/guides/en/atom.xml\" rel=\"self\""));
    for feed in ["zh/atom.xml", "en/atom.xml"] {
        let xml = site.output(feed);
        for link in attrs(&xml, "<link", "href") {
            assert!(
                link.starts_with("https://cdn.example.com/guides/"),
                "{feed}: {link}"
            );
        }
    }
    let headers = site.output("_headers");
    for rule in headers.lines().filter(|l| !l.starts_with([' ', '#'])) {
        assert!(rule.starts_with("/guides/"), "_headers: {rule}");
    }
    let nginx = site.output(".planguide/nginx.conf");
    for location in nginx.lines().filter(|l| l.starts_with("location")) {
        assert!(location.contains(" /guides/"), "nginx.conf: {location}");
    }
    assert!(site
        .output("sw.js")
        .contains("const SHELL=[\"/guides/css/style."));
    assert!(site
        .output("robots.txt")
        .contains("Sitemap: https://cdn.example.com/guides/sitemap.xml"));
    assert!(site
        .output("_redirects")
        .contains("/guides/en/qatar/phone-renewal/ /guides/en/qatar/renew-phone/ 301"));
    assert!(site.output("en/qatar/renew-phone/index.html").contains(
        "<link rel=\"canonical\" href=\"https://cdn.example.com/guides/en/qatar/renew-phone/\">"
    ));
}

#[test]
fn pages_over_the_weight_budget_are_named_in_a_warning() {
    let site = TestSite::example();
    let report = site.build_ok();
    assert_eq!(
        report.diagnostics.warning_count(),
        0,
        "the example site is within 30 KB"
    );
    let site = site.edit(
        "site.yaml",
        "page_weight_budget_kb: 30",
        "page_weight_budget_kb: 6",
    );
    let report = site.build_ok();
    let warnings = planguide::error::plain_text(&report.diagnostics);
    assert!(
        warnings.contains("warning[page-weight]: content/qatar/renew-phone.en.md"),
        "{warnings}"
    );
    assert!(
        warnings.contains("KB gzip with its CSS and JS; the budget is 6 KB"),
        "{warnings}"
    );
}

#[test]
fn images_keep_their_names_unless_templates_reference_them_through_asset() {
    let site = TestSite::example()
        .file("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("static/img/unused.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}<img src=\"{{ asset(path='img/logo.svg') }}\" alt=\"logo\">{{ page.content | safe }}{% endblock main %}\n");
    site.build_ok();
    let files = site.output_files();
    let hashed: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("img/logo.") && f.as_str() != "img/logo.svg")
        .collect();
    assert_eq!(hashed.len(), 1, "{files:?}");
    assert!(
        site.has_output("img/logo.svg") && site.has_output("img/unused.svg"),
        "names are kept"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("img/unused.") && f.as_str() != "img/unused.svg"),
        "unreferenced files get no copy"
    );
    assert!(site
        .output("en/about/index.html")
        .contains(&format!("src=\"/{}\"", hashed[0])));
    assert!(site.output("_headers").contains(&format!(
        "/{}\n  Cache-Control: public, max-age=31536000, immutable",
        hashed[0]
    )));
}

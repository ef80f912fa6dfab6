//! The bundled example site, built end to end: both languages, translations linked both
//! ways, plan facts from YAML on renewal pages, checklists, the one-language page, sitemap,
//! determinism.

use std::collections::BTreeSet;

use crate::harness::{attrs, snapshot, url_to_file, TestSite};

const COUNTRIES: [&str; 3] = ["qatar", "japan", "thailand"];
const GUIDES: [&str; 6] = [
    "buy-online",
    "buy-airport",
    "buy-local-shop",
    "renew-online",
    "renew-phone",
    "renew-in-store",
];

fn html_pages(site: &TestSite) -> Vec<String> {
    site.output_files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

#[test]
fn every_guide_exists_in_both_languages_with_html_lang() {
    let site = TestSite::example();
    site.build_ok();
    for country in COUNTRIES {
        for guide in GUIDES {
            for (lang, locale) in [("zh", "zh-CN"), ("en", "en")] {
                let html = site.output(&format!("{lang}/{country}/{guide}/index.html"));
                assert!(
                    html.contains(&format!("<html lang=\"{locale}\"")),
                    "{lang}/{country}/{guide}"
                );
            }
        }
        assert!(site.has_output(&format!("zh/{country}/index.html")));
        assert!(site.has_output(&format!("en/{country}/index.html")));
    }
    for required in [
        "index.html",
        "404.html",
        "zh/404.html",
        "en/404.html",
        "zh/index.html",
        "en/index.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(site.has_output(required), "{required} missing");
    }
}

#[test]
fn hreflang_links_are_reciprocal_and_point_at_real_pages() {
    let site = TestSite::example();
    site.build_ok();
    let base = "https://guides.example.com/";
    // The root language picker is the home pages' x-default, so it takes part too.
    for page in html_pages(&site)
        .iter()
        .filter(|p| p.ends_with("index.html"))
    {
        let html = site.output(page);
        let alternates = attrs(&html, "<link rel=\"alternate\" hreflang=", "href");
        for target in alternates {
            let file = url_to_file(target.strip_prefix(base).expect("absolute URL on the site"));
            assert!(site.has_output(&file), "{page} → {target}: no such page");
            let back = site.output(&file);
            let own = format!("{base}{}", page.trim_end_matches("index.html"));
            assert!(
                back.contains(&format!("href=\"{own}\"")),
                "{file} does not link back to {own}"
            );
        }
    }
}

/// Open Graph: the page's own URL, and locales in Open Graph's `ll_TT` form (the example's
/// English locale is plain `en`, which Open Graph would not understand).
#[test]
fn open_graph_tags_name_the_page_and_its_locales() {
    let site = TestSite::example();
    site.build_ok();
    let meta = |html: &str, property: &str| {
        attrs(html, &format!("<meta property=\"{property}\""), "content")
    };
    for (lang, own, other) in [("zh", "zh_CN", "en_US"), ("en", "en_US", "zh_CN")] {
        let html = site.output(&format!("{lang}/qatar/renew-phone/index.html"));
        assert_eq!(meta(&html, "og:locale"), [own], "{lang}");
        assert_eq!(meta(&html, "og:locale:alternate"), [other], "{lang}");
        assert_eq!(
            meta(&html, "og:url"),
            [format!(
                "https://guides.example.com/{lang}/qatar/renew-phone/"
            )]
        );
        assert_eq!(meta(&html, "og:type"), ["article"]);
        assert_eq!(meta(&html, "og:title").len(), 1);
    }
}

#[test]
fn every_language_switcher_target_exists() {
    let site = TestSite::example();
    site.build_ok();
    let mut checked = 0;
    for page in html_pages(&site) {
        let html = site.output(&page);
        let Some(start) = html.find("<nav class=\"langs\"") else {
            continue;
        };
        let nav = &html[start..start + html[start..].find("</nav>").expect("closed nav")];
        for href in attrs(nav, "<a ", "href") {
            assert!(
                site.has_output(&url_to_file(&href)),
                "{page}: switcher → {href} missing"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} switcher links checked");
}

#[test]
fn renewal_pages_show_plan_facts_from_yaml() {
    let site = TestSite::example()
        .edit(
            "content/qatar/plans.yaml",
            "amount: \"50.00\"",
            "amount: \"77.25\"",
        )
        .edit(
            "content/qatar/plans.yaml",
            "\"+974 555 0100\"",
            "\"+974 555 0199\"",
        );
    site.build_ok();
    let en = site.output("en/qatar/renew-phone/index.html");
    assert!(en.contains("QAR 77.25"), "price from YAML");
    assert!(
        en.contains("href=\"tel:+9745550199\""),
        "tel: link from YAML"
    );
    assert!(en.contains("*555*1#"), "USSD code from YAML");
    let zh = site.output("zh/qatar/renew-phone/index.html");
    assert!(zh.contains("77.25 QAR"), "zh price format");
    let section = site.output("zh/qatar/index.html");
    assert!(section.contains("77.25 QAR"), "country comparison table");
}

#[test]
fn checklists_are_real_labelled_checkboxes() {
    let site = TestSite::example();
    site.build_ok();
    for country in COUNTRIES {
        for lang in ["zh", "en"] {
            let source = site.source(&format!("content/{country}/renew-online.{lang}.md"));
            let items = source
                .lines()
                .filter(|l| {
                    l.trim_start().starts_with("- [ ]") || l.trim_start().starts_with("- [x]")
                })
                .count();
            let html = site.output(&format!("{lang}/{country}/renew-online/index.html"));
            let boxes = html
                .matches("<input type=\"checkbox\" class=\"task-check\"")
                .count();
            assert!(items > 0);
            assert_eq!(boxes, items, "{lang}/{country}");
            assert!(!html.contains("disabled"), "checkboxes must be tickable");
            assert_eq!(html.matches("<label for=\"check-").count(), items);
        }
    }
}

#[test]
fn one_language_page_falls_back_as_documented() {
    let site = TestSite::example();
    site.build_ok();
    assert!(site.has_output("zh/glossary/index.html"));
    assert!(!site.has_output("en/glossary/index.html"));
    let zh = site.output("zh/glossary/index.html");
    assert!(
        zh.contains("<a href=\"/en/\" hreflang=\"en\" class=\"missing\""),
        "switcher goes to the English home, marked missing"
    );
    // The title is Chinese, so it is not inside the English-tagged part a screen reader
    // would read with an English voice.
    assert!(
        zh.contains("title=\"本页暂无 English 版本，将前往 English 首页\"><span lang=\"en\">English<span class=\"why\"> · not translated</span></span></a>"),
        "the switcher says why, in the page's language and in English: {zh}"
    );
    assert!(
        !zh.contains("hreflang=\"en\" href="),
        "no hreflang for a missing translation"
    );
    let en_home = site.output("en/index.html");
    assert!(
        en_home.contains("href=\"/zh/glossary/\" hreflang=\"zh-CN\" lang=\"zh-CN\""),
        "listed with its language"
    );
    assert!(en_home.contains("(中文 only)"));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://guides.example.com/zh/glossary/</loc>"));
    assert!(!sitemap.contains("/en/glossary/"));
}

#[test]
fn sitemap_lists_every_page_once() {
    let site = TestSite::example();
    site.build_ok();
    let sitemap = site.output("sitemap.xml");
    let listed: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| {
            s.split("</loc>")
                .next()
                .unwrap_or("")
                .trim_start_matches("https://guides.example.com/")
                .to_string()
        })
        .collect();
    let pages: BTreeSet<String> = html_pages(&site)
        .into_iter()
        .filter(|p| p.ends_with("index.html") && !site.output(p).contains("http-equiv=\"refresh\""))
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect();
    assert_eq!(listed, pages);
    assert_eq!(
        sitemap.matches("<loc>").count(),
        listed.len(),
        "no duplicates"
    );
    assert!(sitemap.contains("hreflang=\"x-default\""));
    assert!(
        sitemap.contains("<loc>https://guides.example.com/</loc>"),
        "the language picker is listed"
    );
    assert_eq!(
        sitemap
            .matches("hreflang=\"x-default\" href=\"https://guides.example.com/\"")
            .count(),
        3,
        "the picker is x-default for itself and both home pages"
    );
}

#[test]
fn aliases_redirect_to_their_page() {
    let site = TestSite::example();
    site.build_ok();
    let alias = site.output("en/qatar/phone-renewal/index.html");
    assert!(alias.contains("url=/en/qatar/renew-phone/"), "{alias}");
}

#[test]
fn content_links_resolve_to_the_same_language() {
    let site = TestSite::example();
    site.build_ok();
    let en = site.output("en/qatar/renew-phone/index.html");
    assert!(en.contains("href=\"/en/qatar/renew-online/#before-you-renew\""));
    let zh = site.output("zh/qatar/renew-phone/index.html");
    assert!(zh.contains("href=\"/zh/qatar/renew-online/"));
    assert!(!zh.contains("href=\"@/"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = TestSite::example();
    let b = TestSite::example();
    a.build_ok();
    b.build_ok();
    let first = snapshot(&a.public());
    let second = snapshot(&b.public());
    assert_eq!(first.len(), second.len());
    for ((path_a, bytes_a), (path_b, bytes_b)) in first.iter().zip(&second) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{path_a} differs between builds");
    }
}

#[test]
fn cli_builds_into_public_by_default() {
    let site = TestSite::example();
    let output = site.cli(&["build"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(site.has_output("zh/qatar/renew-phone/index.html"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("built "), "{stderr}");
}

#[test]
fn chinese_headings_get_chinese_ids() {
    let site = TestSite::example();
    site.build_ok();
    let zh = site.output("zh/qatar/renew-phone/index.html");
    assert!(zh.contains("<h2 id=\"续费前须知\">"), "Chinese heading id");
}

/// The home page lists a few guides per country and links to the section for the rest, so
/// it stays small however many guides a country has.
#[test]
fn home_lists_the_first_guides_of_a_country_and_links_to_all() {
    let mut site = TestSite::example();
    for n in 0..5 {
        site = site.file(
            &format!("content/qatar/extra-{n}.en.md"),
            &format!(
                "---\ntitle: Extra note {n}\nkind: page\nweight: {}\n---\n\nText.\n",
                90 + n
            ),
        );
    }
    site.build_ok();
    let home = site.output("en/index.html");
    let qatar = country_entry(&home, "qatar", "Qatar");
    assert_eq!(
        qatar.matches("<li").count(),
        8 + 1,
        "8 guides and the link to all"
    );
    assert!(qatar.contains("All 11 guides for Qatar"), "{qatar}");
    assert!(
        !qatar.contains("Extra note 4"),
        "the heaviest guides are left to the section"
    );
    let section = site.output("en/qatar/index.html");
    assert!(
        section.contains("Extra note 4"),
        "the section lists every guide"
    );
    // Countries with fewer guides than the cap list them all, without the link.
    let japan = country_entry(&home, "japan", "Japan");
    assert_eq!(japan.matches("<li").count(), 6);
    assert!(!japan.contains("guides for Japan"), "{japan}");
}

/// The guide list under a country's heading on the English home page.
fn country_entry<'h>(home: &'h str, slug: &str, title: &str) -> &'h str {
    home.split(&format!("href=\"/en/{slug}/\">{title}</a></h3>"))
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_else(|| panic!("no {title} entry on the home page"))
}

/// `build.paginate_by` splits a country's listing into pages: every guide once, in order,
/// the introduction and plan table on the first page, each page its own canonical URL with
/// its counterpart in the other language, linked previous/next, and kept out of the
/// sitemap (it lists the guides themselves).
#[test]
fn long_section_listings_are_split_into_linked_pages() {
    let site = TestSite::example().edit(
        "site.yaml",
        "  stale_after_days: 180",
        "  stale_after_days: 180\n  paginate_by: 4",
    );
    site.build_ok();
    let base = "https://guides.example.com";
    for (lang, other) in [("zh", "en"), ("en", "zh")] {
        let first = site.output(&format!("{lang}/qatar/index.html"));
        let second = site.output(&format!("{lang}/qatar/page/2/index.html"));
        assert!(!site.has_output(&format!("{lang}/qatar/page/3/index.html")));
        assert!(!site.has_output(&format!("{lang}/qatar/page/1/index.html")));
        let guides = |html: &str| -> Vec<String> {
            html.split("<li class=\"guide-")
                .skip(1)
                .filter_map(|item| {
                    let start = item.find("href=\"")? + "href=\"".len();
                    Some(item[start..start + item[start..].find('"')?].to_string())
                })
                .collect()
        };
        let (a, b) = (guides(&first), guides(&second));
        assert_eq!(a.len(), 4, "{a:?}");
        assert!(!b.is_empty() && b.len() <= 4, "{b:?}");
        let mut all = a.clone();
        all.extend(b.clone());
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "a guide listed twice: {all:?}");
        for guide in ["renew-phone", "buy-airport"] {
            assert!(
                all.iter().any(|u| u.ends_with(&format!("/qatar/{guide}/"))),
                "{guide}"
            );
        }
        // Introduction and plans on the first page only.
        assert!(first.contains("<table") && !second.contains("<table"));
        // Links between the pages, and each page is its own canonical URL.
        assert_eq!(
            attrs(&first, "<a rel=\"next\"", "href"),
            [format!("/{lang}/qatar/page/2/")]
        );
        assert_eq!(
            attrs(&second, "<a rel=\"prev\"", "href"),
            [format!("/{lang}/qatar/")]
        );
        assert!(attrs(&second, "<a rel=\"next\"", "href").is_empty());
        assert_eq!(
            attrs(&second, "<link rel=\"canonical\"", "href"),
            [format!("{base}/{lang}/qatar/page/2/")]
        );
        let hreflang = attrs(&second, "<link rel=\"alternate\" hreflang=", "href");
        assert!(
            hreflang.contains(&format!("{base}/{other}/qatar/page/2/")),
            "{hreflang:?}"
        );
        assert!(second.contains("<title>") && first != second);
    }
    let sitemap = site.output("sitemap.xml");
    assert!(!sitemap.contains("/page/2/"));
    assert!(sitemap.contains("/qatar/renew-phone/"));

    // A section's own `paginate_by` (in the default language's `_index`) overrides the
    // site's, for every language; other sections keep the site's.
    let one_section = TestSite::example().edit(
        "content/qatar/_index.zh.md",
        "title: 卡塔尔",
        "title: 卡塔尔\npaginate_by: 2",
    );
    one_section.build_ok();
    for lang in ["zh", "en"] {
        assert!(
            one_section.has_output(&format!("{lang}/qatar/page/3/index.html")),
            "{lang}"
        );
        assert!(
            !one_section.has_output(&format!("{lang}/qatar/page/4/index.html")),
            "{lang}"
        );
        assert!(
            !one_section.has_output(&format!("{lang}/japan/page/2/index.html")),
            "{lang}"
        );
    }

    // Off: one page, exactly as before.
    let flat = TestSite::example().edit(
        "site.yaml",
        "  stale_after_days: 180",
        "  stale_after_days: 180\n  paginate_by: 0",
    );
    flat.build_ok();
    assert!(!flat.output_files().iter().any(|f| f.contains("/page/")));
    assert!(!flat
        .output("zh/qatar/index.html")
        .contains("class=\"pager\""));
}

/// The live-reload script belongs to `planguide serve` alone: a build publishes no page
/// that loads it and no file of it.
#[test]
fn a_build_carries_no_live_reload_script() {
    let site = TestSite::example();
    site.build_ok();
    let pages = html_pages(&site);
    assert!(pages.len() > 40, "{pages:?}");
    for page in &pages {
        assert!(!site.output(page).contains("__planguide"), "{page}");
    }
    assert!(!site
        .output_files()
        .iter()
        .any(|f| f.contains("__planguide")));
}

/// What a reader sees of the text: a line break inside a Chinese paragraph is no gap, the
/// renewal channels of a plan are a list, the search snippet text has no gaps where the page
/// had a link, and a 404 page is neither indexed nor shared as the home page.
#[test]
fn chinese_text_reads_as_written_and_lists_are_separated() {
    let site = TestSite::example();
    site.build_ok();
    let zh_home = site.output("zh/index.html");
    assert!(
        zh_home.contains("本地门店购买，以及续费的三种常见方式"),
        "a line break between Chinese characters became a gap: {zh_home}"
    );
    assert!(zh_home.contains("示例数据。详见<a"), "{zh_home}");
    for (lang, cell) in [
        ("en", "<td>Online, By phone, In store</td>"),
        ("zh", "<td>线上、电话、门店</td>"),
    ] {
        let html = site.output(&format!("{lang}/japan/index.html"));
        assert!(
            html.contains(cell),
            "{lang}: renewal channels not separated"
        );
    }
    let docs: String = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("search/zh/d"))
        .map(|f| site.output(&f))
        .collect();
    assert!(
        docs.contains("示例数据。详见关于本站。"),
        "snippet text with gaps"
    );
    assert!(
        // The note starts a new block: a line break, escaped in JSON.
        docs.contains("相同。\\n本示例中所有价格均已含消费税。"),
        "footnote numbers are not search text"
    );
    for page in ["404.html", "zh/404.html", "en/404.html"] {
        let html = site.output(page);
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{page}"
        );
        assert!(
            !html.contains("rel=\"canonical\"") && !html.contains("og:url"),
            "{page}: {html}"
        );
    }
    // The language picker describes the site and says the data is made up, in every language.
    let picker = site.output("index.html");
    for text in [
        "示例站点，所有运营商与价格均为虚构",
        "an example site; every provider and price is fictional",
    ] {
        assert!(picker.contains(text), "picker description: {text}");
    }
    assert!(picker.contains("<footer class=\"foot\">"), "{picker}");
    assert!(
        picker.matches("<p lang=").count() == 2,
        "one example-data note per language: {picker}"
    );
    // A footnote's number links back to where it is cited.
    let buy_online = site.output("en/qatar/buy-online/index.html");
    assert!(
        buy_online.contains("id=\"fnref-1\"><a href=\"#fn-1\">")
            && buy_online.contains("footnote-definition-label\"><a href=\"#fnref-1\">"),
        "{buy_online}"
    );
    let renew_phone = site.output("en/qatar/renew-phone/index.html");
    assert!(
        renew_phone.contains("<pre class=\"code\"") && !renew_phone.contains("/css/syntax."),
        "a plain-text code block needs no highlight stylesheet"
    );
}

//! Every kind of author mistake fails the build with a message naming the file (and line),
//! all problems are collected in one run, no input panics, and the previous output stays.

use crate::harness::{snapshot, TestSite};

fn broken(site: TestSite, rel: &str, text: &str) -> (TestSite, String, String) {
    (site, rel.to_string(), text.to_string())
}

/// Builds a good site, breaks one file, and asserts the error text and that `public/` is
/// byte-for-byte what the good build left.
fn check((site, rel, text): (TestSite, String, String), expected: &[&str]) -> String {
    site.build_ok();
    let before = snapshot(&site.public());
    let site = site.file(&rel, &text);
    let message = site.build_err();
    for needle in expected {
        assert!(
            message.contains(needle),
            "expected {needle:?} in:\n{message}"
        );
    }
    assert!(
        before == snapshot(&site.public()),
        "previous output changed"
    );
    message
}

#[test]
fn bad_yaml_in_front_matter_names_file_and_line() {
    check(
        broken(
            TestSite::minimal(),
            "content/about.en.md",
            "---\ntitle: About\n  weight: 1\n---\n",
        ),
        &["content/about.en.md:3:"],
    );
}

#[test]
fn unknown_front_matter_key_names_key_and_line() {
    let message = check(
        broken(
            TestSite::minimal(),
            "content/about.en.md",
            "---\ntitle: About\nauthor: me\n---\n",
        ),
        &["content/about.en.md:3:", "unknown field `author`"],
    );
    assert!(message.contains("unknown-key"));
}

#[test]
fn unknown_language_suffix_is_an_error() {
    check(
        broken(
            TestSite::minimal(),
            "content/about.fr.md",
            "---\ntitle: À propos\n---\n",
        ),
        &["content/about.fr.md", "unknown language suffix `.fr`"],
    );
}

#[test]
fn two_files_on_one_url_name_both() {
    check(
        broken(
            TestSite::minimal(),
            "content/other.en.md",
            "---\ntitle: Other\nslug: about\n---\n",
        ),
        &["content/other.en.md", "content/about.en.md", "/en/about/"],
    );
}

#[test]
fn unknown_plan_id_names_the_line() {
    check(
        broken(
            TestSite::example(),
            "content/qatar/extra.en.md",
            "---\ntitle: X\nplans:\n  - qa-visitor-15\n  - qa-nope\n---\n",
        ),
        &[
            "content/qatar/extra.en.md:5:",
            "plan `qa-nope` does not exist",
        ],
    );
}

#[test]
fn plan_data_with_wrong_type_names_file_and_line() {
    let site = TestSite::example();
    let text = site.source("content/qatar/plans.yaml").replacen(
        "validity_days: 15",
        "validity_days: fifteen",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.contains("fifteen"))
        .expect("edited")
        + 1;
    let message = check(
        broken(site, "content/qatar/plans.yaml", &text),
        &[
            &format!("content/qatar/plans.yaml:{line}:"),
            "expected a whole number (0 or more)",
        ],
    );
    // One mistake, one message: the guides naming the broken file's plans are not also
    // told that those plans do not exist.
    assert!(!message.contains("unknown-plan"), "{message}");
    assert_eq!(message.matches("error[").count(), 1, "{message}");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    check(
        broken(
            TestSite::minimal(),
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
        ),
        &["templates/page.html:3:", "template-syntax"],
    );
}

#[test]
fn template_runtime_error_names_template_and_page() {
    check(
        broken(TestSite::minimal(), "templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.no_such_field }}\n{% endblock main %}\n"),
        &["templates/page.html:3:", "content/about."],
    );
}

#[test]
fn missing_template_is_reported_for_the_page() {
    check(
        broken(
            TestSite::minimal(),
            "content/about.en.md",
            "---\ntitle: About\ntemplate: nope.html\n---\n",
        ),
        &[
            "content/about.en.md:3:",
            "template `nope.html` does not exist",
        ],
    );
}

#[test]
fn non_utf8_file_is_reported() {
    let site = TestSite::minimal();
    site.build_ok();
    let before = snapshot(&site.public());
    let site = site.bytes("content/about.en.md", b"---\ntitle: \xff\xfe\n---\n");
    let message = site.build_err();
    assert!(
        message.contains("content/about.en.md:2:") && message.contains("not valid UTF-8"),
        "{message}"
    );
    assert!(before == snapshot(&site.public()));
}

#[test]
fn unknown_config_key_names_the_line() {
    let site = TestSite::minimal();
    let text = format!("{}colour: red\n", site.source("site.yaml"));
    let line = text.lines().count();
    check(
        broken(site, "site.yaml", &text),
        &[&format!("site.yaml:{line}:"), "colour"],
    );
}

#[test]
fn problems_in_several_files_are_all_reported() {
    let site = TestSite::minimal()
        .file("content/a.en.md", "---\ntitle: A\nauthor: x\n---\n")
        .file("content/b.en.md", "---\ntitle: B\nkind: renewal\n---\n")
        .file("content/c.de.md", "---\ntitle: C\n---\n");
    let message = site.build_err();
    for file in ["content/a.en.md", "content/b.en.md", "content/c.de.md"] {
        assert!(message.contains(file), "{file} missing from:\n{message}");
    }
}

#[test]
fn cli_exits_nonzero_and_prints_an_excerpt() {
    let site = TestSite::minimal().file(
        "content/about.en.md",
        "---\ntitle: About\nauthor: me\n---\n",
    );
    let output = site.cli(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/about.en.md:3:1"), "{stderr}");
    assert!(stderr.contains("author: me"), "excerpt missing: {stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn unclosed_front_matter_is_reported() {
    check(
        broken(TestSite::minimal(), "content/x.en.md", "---\ntitle: x\n"),
        &["content/x.en.md:1:", "never closed"],
    );
}

#[test]
fn a_static_file_cannot_replace_a_generated_one() {
    check(
        broken(
            TestSite::minimal(),
            "static/robots.txt",
            "User-agent: *\nDisallow: /\n",
        ),
        &["static/robots.txt", "would replace `robots.txt`"],
    );
}

/// A build lets go of Markdown sources once bodies are rendered; an error found after that
/// (anchors are checked against the written pages) still shows its excerpt.
#[test]
fn errors_found_after_rendering_still_show_their_excerpt() {
    let site = TestSite::minimal().file(
        "content/about.en.md",
        "---\ntitle: About\n---\nAbout this site.\n\nSee [the steps](/en/#no-such-heading).\n",
    );
    let output = site.cli(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken-anchor"), "{stderr}");
    // The caret sits under the link, not at the start of the line.
    assert!(stderr.contains("content/about.en.md:6:5"), "{stderr}");
    assert!(
        stderr.contains("See [the steps](/en/#no-such-heading)."),
        "excerpt missing: {stderr}"
    );
}

/// A content page where a page of a long section list goes is an error naming it, and the
/// previous output stays.
#[test]
fn a_page_in_the_place_of_a_list_page_is_an_error() {
    let site = TestSite::example().edit(
        "site.yaml",
        "  stale_after_days: 180",
        "  stale_after_days: 180\n  paginate_by: 4",
    );
    let message = check(
        broken(
            site,
            "content/qatar/page/2.en.md",
            "---\ntitle: Page two\ndescription: A page that takes a list page's URL.\nkind: page\n---\n\nText.\n",
        ),
        &[
            "content/qatar/page/2.en.md",
            "/en/qatar/page/2/",
            "page 2 of the list of `content/qatar/_index.en.md`",
        ],
    );
    assert!(message.contains("duplicate-url"), "{message}");
}

/// An alias where the build writes something else (a feed, the sitemap, the root page, a
/// file under which the alias would need a folder) is an error on the alias's line, found
/// by `check` as well, never a write failure.
#[test]
fn an_alias_in_the_place_of_a_generated_file_names_its_line() {
    for alias in [
        "/en/atom.xml",
        "/sitemap.xml",
        "/index.html",
        "/en/404.html",
    ] {
        let text = format!("---\ntitle: About\naliases:\n  - /en/old/\n  - {alias}\n---\nAbout\n");
        let message = check(
            broken(TestSite::minimal(), "content/about.en.md", &text),
            &[
                "content/about.en.md:5:",
                "duplicate-url",
                "which planguide generates",
            ],
        );
        assert!(message.contains(&format!("alias `{alias}")), "{message}");
        let site = TestSite::minimal().file("content/about.en.md", &text);
        let checked = site.cli(&["check"]);
        assert!(!checked.status.success(), "check passed alias {alias}");
    }
}

/// A content file in the place of a theme file is reported under its own name.
#[test]
fn a_content_file_in_the_place_of_a_theme_file_is_named() {
    let message = check(
        broken(TestSite::minimal(), "content/sw.js", "// mine\n"),
        &["content/sw.js", "would replace `sw.js`"],
    );
    assert!(!message.contains("static/sw.js"), "{message}");
}

/// A page published where the build writes a file of its language (its feed, its 404 page,
/// its search entry point) is an error on the line that chose the URL, from `check` too,
/// never a write failure halfway through a build.
#[test]
fn a_page_in_the_place_of_a_generated_file_names_its_line() {
    for slug in ["atom.xml", "404.html"] {
        let text = format!("---\ntitle: About\nslug: {slug}\n---\nAbout\n");
        let message = check(
            broken(TestSite::minimal(), "content/about.en.md", &text),
            &[
                "content/about.en.md:3:",
                "duplicate-url",
                &format!("where planguide writes `en/{slug}`"),
            ],
        );
        assert!(!message.contains("cannot write"), "{message}");
        let site = TestSite::minimal().file("content/about.en.md", &text);
        let checked = site.cli(&["check"]);
        assert!(!checked.status.success(), "check passed slug {slug}");
    }
    check(
        broken(
            TestSite::minimal(),
            "content/search/meta.json/x.en.md",
            "---\ntitle: X\n---\nX\n",
        ),
        &["content/search/meta.json/x.en.md", "`en/search/meta.json`"],
    );
}

/// A full-width colon, as a Chinese input method types it, is named on its own line with
/// what to type instead, not as a type error or a syntax error on the next line.
#[test]
fn a_full_width_colon_in_front_matter_names_its_line() {
    check(
        broken(
            TestSite::minimal(),
            "content/about.zh.md",
            "---\ntitle: 关于\nweight：50\ndescription: 关于本站\n---\n关于\n",
        ),
        &["content/about.zh.md:3:1", "full-width colon", "`weight: `"],
    );
}

/// A broken `@/` link does not hide the site's other broken links and anchors: the build
/// renders on, reports them all in one run, and still fails, leaving the output as it was.
#[test]
fn every_broken_link_of_the_site_is_reported_in_one_run() {
    let site = TestSite::example();
    site.build_ok();
    let before = snapshot(&site.public());
    let site = site
        .edit(
            "content/qatar/renew-phone.en.md",
            "## Before you renew",
            "[w](@/qatar/renew-onlin.md)\n\n## Before you renew",
        )
        .edit(
            "content/japan/renew-phone.en.md",
            "## Before you renew",
            "[x](/en/nowhere/) and [y](/en/qatar/#nope)\n\n## Before you renew",
        );
    let message = site.build_err();
    for needle in [
        "`@/qatar/renew-onlin.md` does not match any page",
        "`/en/nowhere/` points at nothing",
        "`#nope` does not exist",
    ] {
        assert_eq!(
            message.matches(needle).count(),
            1,
            "{needle} once in:\n{message}"
        );
    }
    assert!(
        before == snapshot(&site.public()),
        "previous output changed"
    );
}

/// Several mistakes in one file are all reported in one run, each on its line: wrong keys
/// and values in front matter, and in plan data a wrong value that stops the YAML library
/// (a currency) beside one found when validating (a phone number) in another plan.
#[test]
fn every_mistake_in_one_file_is_reported_in_one_run() {
    let message = check(
        broken(
            TestSite::minimal(),
            "content/about.en.md",
            "---\ntitle: About\nweight: fifty\nauthor: me\ncolour: red\n---\nAbout\n",
        ),
        &[
            "content/about.en.md:3:",
            "content/about.en.md:4:1",
            "content/about.en.md:5:1",
        ],
    );
    assert!(
        message.contains("`author`") && message.contains("`colour`"),
        "{message}"
    );
    let site = TestSite::example()
        .edit(
            "content/qatar/plans.yaml",
            "\"+974 555 0100\"",
            "\"+974 ABC\"",
        )
        .edit(
            "content/qatar/plans.yaml",
            "currency: QAR }\n    data: 30GB",
            "currency: QQQ }\n    data: 30GB",
        );
    let message = site.build_err();
    assert!(
        message.contains("`+974 ABC` is not a phone number") && message.contains("`QQQ`"),
        "{message}"
    );
}

/// A date planguide rejects inside a plan is named on its own line, not on the plan's first.
#[test]
fn an_impossible_plan_date_names_its_line() {
    let site = TestSite::example();
    let plans = site.source("content/qatar/plans.yaml");
    let line = plans
        .lines()
        .position(|l| l.contains("verified: 2026-10-02"))
        .expect("the example's second Qatar plan")
        + 1;
    check(
        broken(
            site,
            "content/qatar/plans.yaml",
            &plans.replace("verified: 2026-10-02", "verified: 2026-02-30"),
        ),
        &[
            &format!("content/qatar/plans.yaml:{line}:"),
            "`2026-02-30` is not a real calendar date",
        ],
    );
}

/// A page whose front matter fails in every language is one mistake per file: the links
/// other pages make to it are not also reported as broken.
#[test]
fn links_to_a_page_that_did_not_parse_are_not_reported_again() {
    let site = TestSite::example()
        .edit(
            "content/qatar/renew-phone.zh.md",
            "weight: 50",
            "weight: fifty",
        )
        .edit(
            "content/qatar/renew-phone.en.md",
            "weight: 50",
            "weight: fifty",
        );
    let message = site.build_err();
    assert_eq!(message.matches("error[wrong-type]").count(), 2, "{message}");
    assert!(!message.contains("broken-link"), "{message}");
}

//! `planguide check`: every problem collected before reporting, text and JSON output, exit
//! codes, and the reader-facing side of translation status.

use crate::harness::TestSite;

fn check(site: &TestSite, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let output = site.cli(&args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn example_site_has_only_the_documented_missing_translation() {
    let site = TestSite::example();
    let (ok, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(ok, "{text}");
    assert!(text.contains("0 error(s), 1 warning(s)"), "{text}");
    assert!(
        text.contains("content/glossary.zh.md") && text.contains("no `en` translation"),
        "{text}"
    );
    let (strict_ok, _) = check(&site, &["--today", "2026-11-24", "--strict"]);
    assert!(!strict_ok, "--strict fails on warnings");
    assert!(!site.public().exists(), "check writes nothing");
}

/// A query string does not change the file a link reaches; the anchor after it is still
/// checked.
#[test]
fn links_with_a_query_string_resolve_to_their_page() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "## Before you renew",
        "See [online](/en/qatar/renew-online/?from=phone#before-you-renew).\n\n## Before you renew",
    );
    let (ok, text) = check(&site, &[]);
    assert!(ok, "{text}");
    let site = site.edit(
        "content/qatar/renew-phone.en.md",
        "?from=phone#before",
        "?from=phone#nowhere-",
    );
    let (ok, text) = check(&site, &[]);
    assert!(!ok && text.contains("broken-anchor"), "{text}");
}

#[test]
fn broken_links_and_anchors_are_errors_in_check_and_build() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "## Before you renew",
        "See [nowhere](/en/nowhere/) and [bad anchor](@/qatar/renew-online.md#no-such-heading).\n\n## Before you renew",
    );
    let (ok, text) = check(&site, &[]);
    assert!(!ok);
    assert!(
        text.contains("broken-link") && text.contains("`/en/nowhere/`"),
        "{text}"
    );
    assert!(
        text.contains("broken-anchor") && text.contains("#no-such-heading"),
        "{text}"
    );
    let line = site
        .source("content/qatar/renew-phone.en.md")
        .lines()
        .position(|l| l.contains("nowhere"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("content/qatar/renew-phone.en.md:{line}:")),
        "{text}"
    );
    let build = site.build_err();
    assert!(
        build.contains("broken-anchor"),
        "build runs the same error checks: {build}"
    );
}

#[test]
fn links_into_another_language_are_warned_about() {
    let site = TestSite::example().edit(
        "content/about.en.md",
        "\n---\n",
        "\n---\nSee the [glossary](@/glossary.md).\n",
    );
    let (ok, text) = check(&site, &[]);
    assert!(ok, "{text}");
    assert!(
        text.contains("cross-language-link")
            && text.contains("leads `en` readers to the `zh` version"),
        "{text}"
    );
}

#[test]
fn stale_translation_is_reported_and_shown_to_readers_until_stamped() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.zh.md",
        "## 续费前须知",
        "新增的一段说明。\n\n## 续费前须知",
    );
    let (_, text) = check(&site, &[]);
    assert!(
        text.contains("stale-translation") && text.contains("content/qatar/renew-phone.en.md"),
        "{text}"
    );
    site.build_ok();
    let en = site.output("en/qatar/renew-phone/index.html");
    assert!(
        en.contains("class=\"notice stale\""),
        "reader sees the notice"
    );
    assert!(
        en.contains("href=\"/zh/qatar/renew-phone/\" lang=\"zh-CN\""),
        "notice links the source"
    );
    let fresh = site.output("en/qatar/renew-online/index.html");
    assert!(!fresh.contains("class=\"notice stale\""));

    let stamped = site.cli(&["stamp", "content/qatar/renew-phone.en.md"]);
    assert!(
        stamped.status.success(),
        "{}",
        String::from_utf8_lossy(&stamped.stderr)
    );
    let (_, text) = check(&site, &[]);
    assert!(!text.contains("stale-translation"), "{text}");
    // Stamping again changes nothing and says so.
    let again = site.cli(&["stamp", "--all"]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{stderr}");
    assert!(
        stderr.contains("0 translation(s) stamped,") && !stderr.contains("stamped content/"),
        "{stderr}"
    );
    site.build_ok();
    assert!(!site
        .output("en/qatar/renew-phone/index.html")
        .contains("class=\"notice stale\""));
    for (file, says) in [
        ("content/qatar/renew-phone.zh.md", "default language"),
        ("content/qatar/nope.en.md", "no such UTF-8 file"),
    ] {
        let refused = site.cli(&["stamp", file]);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            !refused.status.success() && stderr.contains(says),
            "{file}: {stderr}"
        );
    }
}

/// Stamping touches one line: a translation saved with a byte-order mark and CRLF line
/// endings keeps both.
#[test]
fn stamping_keeps_bom_and_line_endings() {
    let site = TestSite::minimal().bytes(
        "content/about.en.md",
        b"\xef\xbb\xbf---\r\ntitle: About\r\n---\r\nAbout this site\r\n",
    );
    let stamped = site.cli(&["stamp", "content/about.en.md"]);
    assert!(
        stamped.status.success(),
        "{}",
        String::from_utf8_lossy(&stamped.stderr)
    );
    let text = site.source("content/about.en.md");
    assert!(
        text.starts_with("\u{feff}---\r\ntitle: About\r\nsource_hash: "),
        "{text:?}"
    );
    assert!(text.ends_with("\r\n---\r\nAbout this site\r\n"), "{text:?}");
    let (_, report) = check(&site, &[]);
    assert!(!report.contains("about.en.md"), "{report}");
}

#[test]
fn different_step_and_checklist_counts_name_both_files() {
    let site = TestSite::example().edit("content/qatar/renew-online.en.md", "- [ ] ", "- ");
    let (ok, text) = check(&site, &[]);
    assert!(ok, "a warning, not an error: {text}");
    assert!(text.contains("warning[structure-mismatch]"), "{text}");
    assert!(
        text.contains("3 checklist items here, 4 in content/qatar/renew-online.zh.md"),
        "{text}"
    );
    let site = site
        .edit(
            "content/qatar/renew-online.en.md",
            "- Phone number entered",
            "- [ ] Phone number entered",
        )
        .edit(
            "content/qatar/renew-online.en.md",
            "5. Wait for",
            "5. Breathe.\n6. Wait for",
        );
    let (_, text) = check(&site, &[]);
    assert!(
        text.contains("6 numbered steps here, 5 in content/qatar/renew-online.zh.md"),
        "{text}"
    );
    assert!(!text.contains("checklist items here"), "{text}");
}

#[test]
fn fluent_keys_missing_in_a_language_and_unused_keys_are_listed() {
    let site = TestSite::example()
        .edit(
            "i18n/en/main.ftl",
            "back-home = Back to the home page\n",
            "",
        )
        .file("i18n/zh/extra.ftl", "never-used-key = 没用\n");
    let (ok, text) = check(&site, &[]);
    assert!(ok, "warnings only: {text}");
    assert!(
        text.contains("`back-home` is used here but not defined for `en`"),
        "{text}"
    );
    assert!(text.contains("themes/default/templates/404.html"), "{text}");
    assert!(
        text.contains("`never-used-key` is defined but no template uses it"),
        "{text}"
    );
    assert!(
        text.contains("i18n/zh/extra.ftl:1:1"),
        "unused key at its line: {text}"
    );
    // Each mistake once: a missing key is not reported again for the language, and a key
    // no template uses is not asked to be translated.
    assert_eq!(text.matches("`back-home`").count(), 1, "{text}");
    assert_eq!(text.matches("`never-used-key`").count(), 1, "{text}");
    site.build_ok();
    assert!(
        site.output("en/404.html").contains("返回首页"),
        "falls back to the default language"
    );
}

#[test]
fn old_plan_facts_are_warned_about_with_their_line() {
    let site = TestSite::example();
    let (_, text) = check(&site, &["--today", "2027-12-01", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
    assert_eq!(report["version"], 1);
    let stale: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "stale-plan")
        .collect();
    assert_eq!(stale.len(), 6, "{text}");
    let first = stale[0];
    assert_eq!(first["severity"], "warning");
    assert!(first["file"].as_str().unwrap().ends_with("plans.yaml"));
    assert!(first["line"].as_u64().unwrap() > 1);
    assert!(first["message"].as_str().unwrap().contains("days ago"));
    let (_, early) = check(&site, &["--today", "2026-10-01"]);
    assert!(
        early.contains("which is in the future"),
        "facts verified after today are suspect: {early}"
    );
}

/// Plan facts go stale after 180 days unless `build.stale_after_days` says otherwise: on
/// 2027-03-01 the example's facts (verified 119 to 162 days before) are fresh by default
/// and the oldest are stale 19 days later, and five of six are stale after 120 days.
#[test]
fn plan_facts_go_stale_after_the_configured_age() {
    let stale_count_on = |site: &TestSite, today: &str| {
        let (_, text) = check(site, &["--today", today, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
        let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
        diagnostics
            .iter()
            .filter(|d| d["code"] == "stale-plan")
            .count()
    };
    let stale_count = |site: &TestSite| stale_count_on(site, "2027-03-01");
    let default = TestSite::example().edit("site.yaml", "  stale_after_days: 180\n", "");
    assert_eq!(stale_count(&default), 0);
    // 19 days later the oldest facts (162 days on 2027-03-01) are past the default 180.
    assert!(stale_count_on(&default, "2027-03-20") >= 1);
    let strict = default.edit("site.yaml", "build:\n", "build:\n  stale_after_days: 120\n");
    assert_eq!(stale_count(&strict), 5);
}

/// A translation without `source_hash` cannot be checked against its source: it is listed
/// until `planguide stamp` records what it was made from.
#[test]
fn unstamped_translations_are_listed_until_stamped() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "source_hash: ",
        "# source_hash: ",
    );
    let (ok, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(ok, "a warning: {text}");
    assert!(
        text.contains("unstamped-translation") && text.contains("content/qatar/renew-phone.en.md"),
        "{text}"
    );
    let stamp = site.cli(&["stamp", "content/qatar/renew-phone.en.md"]);
    assert!(stamp.status.success());
    let (_, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(!text.contains("unstamped-translation"), "{text}");
}

/// Translations of one guide must be the same kind of guide for the same channel, or the
/// language switcher lands readers somewhere else.
#[test]
fn a_translation_of_another_kind_or_channel_is_warned_about() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "channel: phone",
        "channel: online",
    );
    let (_, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(
        text.contains("kind renewal, channel online here, kind renewal, channel phone in content/qatar/renew-phone.zh.md"),
        "{text}"
    );
}

#[test]
fn referenced_images_must_exist() {
    let site = TestSite::example()
        .bytes("content/qatar/map.png", b"\x89PNG fake")
        .edit(
            "content/qatar/renew-online.en.md",
            "## Steps",
            "![map](@/qatar/map.png) ![gone](@/qatar/gone.png)\n\n## Steps",
        );
    let message = site.build_err();
    assert!(
        message.contains("gone.png") && !message.contains("map.png`"),
        "{message}"
    );
    let site = site.edit(
        "content/qatar/renew-online.en.md",
        " ![gone](@/qatar/gone.png)",
        "",
    );
    site.build_ok();
    assert!(site.has_output("qatar/map.png"));
    assert!(site
        .output("en/qatar/renew-online/index.html")
        .contains("src=\"/qatar/map.png\""));
}

#[test]
fn json_output_has_the_documented_shape() {
    let site = TestSite::example();
    let (_, text) = check(&site, &["--format", "json", "--today", "2026-11-24"]);
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    let d = &report["diagnostics"][0];
    for key in [
        "severity", "file", "line", "column", "code", "message", "hint",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn root_relative_links_without_the_base_path_are_errors() {
    let site = TestSite::example().edit(
        "content/about.en.md",
        "\n---\n",
        "\n---\nSee [Qatar](/en/qatar/).\n",
    );
    assert!(site.build().is_ok(), "fine while the site lives at /");
    let options = planguide::SiteOptions {
        base_url: Some("https://cdn.example.com/guides/".into()),
        ..Default::default()
    };
    let failed = site.build_with(options).expect_err("broken under /guides/");
    let text = planguide::error::plain_text(&failed.diagnostics);
    assert!(
        text.contains("leaves out the base path `/guides/`"),
        "{text}"
    );
}

/// CI scripts key on `code`: every code the source can emit is in README's table.
#[test]
fn every_diagnostic_code_is_documented() {
    let root = crate::harness::repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let mut codes = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.expect("walk src");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read source");
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for call in ["Diagnostic::error(", "Diagnostic::warning("] {
            for after in text.split(call).skip(1) {
                let code = after
                    .trim_start()
                    .strip_prefix('"')
                    .and_then(|s| s.split('"').next());
                if let Some(code) = code.filter(|c| c.len() > 2) {
                    codes.insert(code.to_string());
                }
            }
        }
    }
    assert!(codes.len() > 20, "found {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !readme.contains(&format!("`{code}`")))
        .collect();
    assert!(missing.is_empty(), "codes missing from README: {missing:?}");
}

/// A walkthrough naming a plan that cannot be renewed its way would show an empty facts box:
/// the build warns on the plan's line.
#[test]
fn a_walkthrough_naming_a_plan_without_its_channel_is_warned_about() {
    let site = TestSite::example().edit(
        "content/qatar/renew-in-store.en.md",
        "plans: [qa-visitor-15]",
        "plans: [qa-visitor-15, qa-data-30]",
    );
    let report = site.build_ok();
    let text = planguide::error::plain_text(&report.diagnostics);
    assert!(text.contains("warning[plan-channel]"), "{text}");
    assert!(
        text.contains("content/qatar/renew-in-store.en.md:6:"),
        "{text}"
    );
    assert!(
        text.contains("plan `qa-data-30` has no `in-store` renewal facts"),
        "{text}"
    );
    assert_eq!(text.matches("plan-channel").count(), 1, "{text}");
}

/// Pages in a folder with no section page are reachable from no list: one warning for the
/// folder, not one per page.
#[test]
fn a_folder_without_a_section_page_is_warned_about_once() {
    let site = TestSite::minimal()
        .file(
            "content/newland/renew.en.md",
            "---\ntitle: Renew\n---\nText\n",
        )
        .file(
            "content/newland/renew.zh.md",
            "---\ntitle: 续费\n---\n正文\n",
        );
    let report = site.build_ok();
    let text = planguide::error::plain_text(&report.diagnostics);
    assert_eq!(text.matches("warning[unlisted-page]").count(), 1, "{text}");
    assert!(text.contains("content/newland/renew.en.md"), "{text}");
    assert!(text.contains("its 2 page file(s)"), "{text}");
    let listed = site.file("content/newland/_index.en.md", "---\ntitle: Newland\n---\n");
    let report = listed.build_ok();
    let text = planguide::error::plain_text(&report.diagnostics);
    assert!(!text.contains("unlisted-page"), "{text}");
}

/// Errors do not hide the warnings: a broken front matter, or a broken link, is listed
/// with the stale and missing translations in one run, and the page that failed to load
/// is not also called a missing translation of its source.
#[test]
fn errors_and_editorial_warnings_are_reported_in_one_run() {
    let stale = TestSite::example().edit(
        "content/qatar/renew-in-store.zh.md",
        "\n\n",
        "\n\n新增的一段说明。\n\n",
    );
    let broken_front_matter = stale.edit(
        "content/qatar/renew-online.en.md",
        "kind: renewal",
        "kind: renewal\nauthor: nobody",
    );
    let found = codes_and_files(&broken_front_matter);
    assert_reported(
        &found,
        &[
            ("unknown-key", "content/qatar/renew-online.en.md"),
            ("stale-translation", "content/qatar/renew-in-store.en.md"),
            ("missing-translation", "content/glossary.zh.md"),
        ],
    );
    let failed_page = (
        "missing-translation".into(),
        "content/qatar/renew-online.zh.md".into(),
    );
    assert!(
        !found.contains(&failed_page),
        "a page that failed to load is reported once, as its error: {found:?}"
    );
    let broken_link = broken_front_matter
        .edit("content/qatar/renew-online.en.md", "\nauthor: nobody", "")
        .edit(
            "content/qatar/renew-phone.en.md",
            "## Before you renew",
            "See [nowhere](/en/nowhere/).\n\n## Before you renew",
        );
    assert_reported(
        &codes_and_files(&broken_link),
        &[
            ("broken-link", "content/qatar/renew-phone.en.md"),
            ("stale-translation", "content/qatar/renew-in-store.en.md"),
        ],
    );
}

fn assert_reported(found: &[(String, String)], expected: &[(&str, &str)]) {
    for (code, file) in expected {
        assert!(
            found.iter().any(|(c, f)| c == code && f == file),
            "{code} in {file}: {found:?}"
        );
    }
}

/// `check --format json` on a site with errors: (code, file) of every diagnostic.
fn codes_and_files(site: &TestSite) -> Vec<(String, String)> {
    let (ok, text) = check(site, &["--today", "2026-11-24", "--format", "json"]);
    assert!(!ok, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let field = |name: &str| d[name].as_str().unwrap_or_default().to_string();
            (field("code"), field("file"))
        })
        .collect()
}

/// Runs the binary with one of its output streams a pipe that is closed before it writes,
/// as `planguide check | head` leaves it, and returns its exit code and the other stream.
fn with_closed_pipe(site: &TestSite, args: &[&str], close_stdout: bool) -> (Option<i32>, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_planguide"))
        .args(args)
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run planguide");
    let (closed, mut open): (Box<dyn Read>, Box<dyn Read>) = if close_stdout {
        (
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        )
    } else {
        (
            Box::new(child.stderr.take().unwrap()),
            Box::new(child.stdout.take().unwrap()),
        )
    };
    drop(closed);
    let mut other = String::new();
    open.read_to_string(&mut other)
        .expect("read the open stream");
    (child.wait().expect("wait").code(), other)
}

/// A reader that stops early (`check | head`, `build 2>&1 | head`) ends the output; it
/// never makes planguide panic, and the exit code still tells how the command went.
#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    let site = TestSite::example();
    for args in [&["check", "--format", "json"][..], &["check"][..]] {
        let (code, stderr) = with_closed_pipe(&site, args, true);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
    let (code, stdout) = with_closed_pipe(&site, &["build"], false);
    assert_eq!(code, Some(0), "build with stderr closed: {stdout}");
    assert!(site.public().join("index.html").exists());
}

/// A translation written as a draft is reported as a draft, not as missing with a hint to
/// create the file that is already there.
#[test]
fn a_draft_translation_is_named_as_a_draft() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "title: ",
        "draft: true\ntitle: ",
    );
    let (ok, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("the `en` translation is a draft")
            && text.contains("remove `draft: true` from content/qatar/renew-phone.en.md"),
        "{text}"
    );
    assert!(
        !text.contains("create content/qatar/renew-phone.en.md"),
        "{text}"
    );
}

/// Front matter that is valid but most likely a slip: a guide naming another country's
/// plan (a copied front matter), and a guide `updated` in the future (a mistyped year).
#[test]
fn another_countrys_plan_and_a_future_update_are_warned_about() {
    let site = TestSite::example()
        .edit(
            "content/qatar/renew-phone.en.md",
            "plans: [qa-visitor-15, qa-data-30]",
            "plans: [qa-visitor-15, jp-travel-8]",
        )
        .edit(
            "content/qatar/renew-phone.en.md",
            "updated: 2026-10-20",
            "updated: 2027-10-20",
        );
    let (ok, text) = check(&site, &["--today", "2026-11-24"]);
    assert!(ok, "warnings only: {text}");
    for needle in [
        "warning[plan-country]: plan `jp-travel-8` is a plan for `japan`, but this guide is in `qatar`",
        "warning[future-date]: `updated: 2027-10-20` is in the future (today is 2026-11-24)",
    ] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
    assert!(
        text.contains("content/qatar/renew-phone.en.md:6:1"),
        "{text}"
    );
    assert!(
        text.contains("content/qatar/renew-phone.en.md:7:1"),
        "{text}"
    );
}

/// A `slug` on a section's own page changes nothing; the author is told so, on its line.
#[test]
fn a_slug_on_a_section_page_is_reported_as_ignored() {
    let site = TestSite::example().edit(
        "content/qatar/_index.en.md",
        "title: Qatar",
        "title: Qatar\nslug: katar",
    );
    let (ok, text) = check(&site, &[]);
    assert!(ok, "a warning: {text}");
    assert!(
        text.contains("warning[slug]: `slug: katar` is ignored on a section's own page")
            && text.contains("content/qatar/_index.en.md:3:1"),
        "{text}"
    );
}

/// A key defined twice is an error, but the strings still load: the other string warnings
/// of that language are not hidden by it.
#[test]
fn a_duplicate_string_does_not_hide_the_other_string_warnings() {
    let site = TestSite::example()
        .edit(
            "i18n/en/main.ftl",
            "back-home = Back to the home page\n",
            "",
        )
        .file(
            "i18n/en/extra.ftl",
            "never-used-key = Unused\nfooter-about = Again\n",
        );
    let (ok, text) = check(&site, &[]);
    assert!(!ok, "a duplicate is an error: {text}");
    for needle in [
        "ftl-duplicate",
        "`back-home` is used here but not defined for `en`",
        "`never-used-key` is defined but no template uses it",
    ] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
}

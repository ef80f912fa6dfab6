//! The corpus of broken sites in `tests/broken/`: every case fails with exactly one clear
//! error naming its file (and line), a non-zero exit and no panic, and the previous output
//! stays byte-for-byte intact. Plus the cases that cannot be stored as files, and inputs
//! that look odd but are valid (BOM, CRLF).

use std::fs;
use std::path::Path;

use crate::harness::{repo_root, snapshot, TestSite};

/// Applies an overlay folder on top of the site.
fn overlay(mut site: TestSite, dir: &Path) -> TestSite {
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "expect" {
            continue;
        }
        site = site.bytes(&rel, &fs::read(entry.path()).unwrap());
    }
    site
}

/// Builds the valid site, breaks it, and checks the failure; returns the diagnostics text.
fn assert_one_clear_error(
    broken: impl FnOnce(TestSite) -> TestSite,
    expected: &[String],
) -> String {
    let site = TestSite::minimal();
    site.build_ok();
    let before = snapshot(&site.public());
    let site = broken(site);
    let failed = site.build().expect_err("the broken site must not build");
    let text = planguide::error::plain_text(&failed.diagnostics);
    assert_eq!(
        failed.diagnostics.error_count(),
        1,
        "exactly one error expected:\n{text}"
    );
    for needle in expected {
        assert!(
            text.contains(needle.as_str()),
            "expected {needle:?} in:\n{text}"
        );
    }
    let cli = site.cli(&["build"]);
    assert!(!cli.status.success(), "CLI exits non-zero");
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        before == snapshot(&site.public()),
        "previous output must stay intact"
    );
    text
}

#[test]
fn every_broken_site_in_the_corpus_fails_cleanly() {
    let corpus = repo_root().join("tests/broken");
    let mut cases = 0;
    for entry in fs::read_dir(&corpus)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
    {
        let expect = fs::read_to_string(entry.path().join("expect")).unwrap();
        let expected: Vec<String> = expect
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let dir = entry.path();
        let result = std::panic::catch_unwind(|| {
            assert_one_clear_error(|site| overlay(site, &dir), &expected)
        });
        assert!(result.is_ok(), "case {:?} failed", entry.file_name());
        cases += 1;
    }
    assert!(cases >= 18, "only {cases} cases found");
}

#[test]
fn a_ten_megabyte_page_is_refused_with_a_clear_message() {
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        "长文本 long text ".repeat(600_000)
    );
    assert!(big.len() > 10_000_000);
    assert_one_clear_error(
        |site| site.file("content/big.en.md", &big),
        &["content/big.en.md".into(), "limited to 4 MB".into()],
    );
}

#[test]
#[cfg(unix)]
fn a_symlink_loop_is_reported() {
    assert_one_clear_error(
        |site| {
            fs::create_dir_all(site.root().join("content/loop")).unwrap();
            std::os::unix::fs::symlink("..", site.root().join("content/loop/again")).unwrap();
            site
        },
        &["content/loop/again".into(), "symbolic link loop".into()],
    );
}

/// A link to a folder above the site is a link outside it, ignored with a warning as `serve`
/// treats it, not the loop a walk into it would be.
#[test]
#[cfg(unix)]
fn a_link_to_a_folder_above_the_site_is_ignored_with_a_warning() {
    let site = TestSite::minimal();
    let above = site
        .root()
        .parent()
        .expect("temp dir has a parent")
        .to_path_buf();
    fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(&above, site.root().join("static/up")).unwrap();
    let report = site.build_ok();
    let text = planguide::error::plain_text(&report.diagnostics);
    assert!(
        text.contains("symlink-outside") && text.contains("static/up"),
        "{text}"
    );
    assert!(
        !site.public().join("up").exists(),
        "nothing outside is published"
    );
}

/// An editor's lock file (Emacs's `.#page.en.md` is a link to nowhere while a buffer has
/// unsaved changes) is ignored like any hidden file; any other link to nothing is a
/// warning naming it. Neither stops a build.
#[test]
#[cfg(unix)]
fn links_to_nothing_are_ignored_and_only_visible_ones_reported() {
    let site = TestSite::minimal();
    let link = |target: &str, rel: &str| {
        std::os::unix::fs::symlink(target, site.root().join(rel)).unwrap();
    };
    link("user@host.1234:1700000000", "content/.#about.en.md");
    link("nowhere.md", "content/gone.en.md");
    let report = site.build_ok();
    let text = planguide::error::plain_text(&report.diagnostics);
    assert!(
        text.contains("broken-symlink") && text.contains("content/gone.en.md"),
        "{text}"
    );
    assert!(!text.contains(".#about"), "{text}");
    assert!(site.cli(&["check"]).status.success());
}

#[test]
fn byte_order_marks_and_crlf_line_endings_just_work() {
    let site = TestSite::minimal()
        .bytes(
            "content/about.en.md",
            b"\xef\xbb\xbf---\r\ntitle: About BOM\r\n---\r\n\r\n## Hello\r\n\r\n- [ ] tick\r\n",
        )
        .bytes("i18n/en/extra.ftl", b"\xef\xbb\xbfextra-key = Extra\r\n");
    site.build_ok();
    let html = site.output("en/about/index.html");
    assert!(html.contains("<h1>About BOM</h1>"), "{html}");
    assert!(html.contains("<h2 id=\"hello\">Hello</h2>"));
    assert!(!html.contains('\r'));
}

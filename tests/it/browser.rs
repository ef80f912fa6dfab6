//! The default theme in a real browser: `tests/browser/e2e.js` (Node, playwright-core from
//! `tests/tools`, Debian's Chromium) serves the built example site itself and checks the
//! language switcher, checklists, the service worker offline, 360 px layout, axe-core, one
//! A4 page per printed renewal walkthrough, the 30 KB page weight budget and Chinese search;
//! `tests/browser/live-preview.js` drives `planguide serve` (reload, error overlay).
//! Skips when a tool is missing, unless PLANGUIDE_REQUIRE_TOOLS=1.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{repo_root, TestSite};
use crate::tools::tool;

/// Node and Chromium with playwright-core, or None (the test skips) when one is missing.
pub(crate) fn node_and_chromium() -> Option<(PathBuf, PathBuf)> {
    let node = tool("node")?;
    let chromium = tool("/usr/bin/chromium")?;
    let playwright = repo_root().join("tests/tools/node_modules/playwright-core");
    tool(playwright.to_str().expect("utf-8 path"))?;
    Some((node, chromium))
}

/// Runs a browser script; its checks print one line each, and it exits non-zero on failure.
pub(crate) fn run_script(node: &Path, script: &str, args: &[&OsStr]) {
    let out = Command::new(node)
        .current_dir(repo_root())
        .arg(script)
        .args(args)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "browser checks failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

#[test]
fn default_theme_works_offline_on_phones_in_print_and_for_everyone() {
    let Some((node, chromium)) = node_and_chromium() else {
        return;
    };
    // Four guides per list page, so the country sections carry the pager and its second
    // pages go through the same layout and accessibility checks as every other page.
    let site = TestSite::example().edit(
        "site.yaml",
        "  stale_after_days: 180",
        "  stale_after_days: 180\n  paginate_by: 4",
    );
    site.build_ok();
    // The script gives Chromium a fresh temporary profile of its own (Playwright's launch),
    // so this test runs alongside the others.
    run_script(
        &node,
        "tests/browser/e2e.js",
        &[site.public().as_os_str(), chromium.as_os_str()],
    );
}

/// The live preview in Chromium: tabs in both languages reload on an edit, show the error
/// overlay (titled in their language) while a file is broken, and clear it once fixed.
#[test]
fn serve_reloads_tabs_and_shows_the_error_overlay_in_a_browser() {
    let Some((node, chromium)) = node_and_chromium() else {
        return;
    };
    let site = TestSite::example();
    let server = crate::serve::start(&site);
    let origin = format!("http://127.0.0.1:{}", server.address().port());
    run_script(
        &node,
        "tests/browser/live-preview.js",
        &[
            OsStr::new(&origin),
            site.root().as_os_str(),
            chromium.as_os_str(),
        ],
    );
}

//! The default theme in a real browser: `tests/browser/e2e.js` (Node, playwright-core from
//! `tests/tools`, Debian's Chromium) serves the built example site itself and checks the
//! language switcher, checklists, the service worker offline, 360 px layout, axe-core, one
//! A4 page per printed renewal walkthrough, the 30 KB page weight budget and Chinese search.
//! Skips when a tool is missing, unless PLANGUIDE_REQUIRE_TOOLS=1.

use std::process::Command;

use crate::harness::{repo_root, TestSite};
use crate::tools::tool;

#[test]
fn default_theme_works_offline_on_phones_in_print_and_for_everyone() {
    let Some(node) = tool("node") else { return };
    let Some(chromium) = tool("/usr/bin/chromium") else {
        return;
    };
    let Some(_) = tool(
        repo_root()
            .join("tests/tools/node_modules/playwright-core")
            .to_str()
            .expect("utf-8 path"),
    ) else {
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
    let out = Command::new(node)
        .current_dir(repo_root())
        .arg("tests/browser/e2e.js")
        .arg(site.public())
        .arg(chromium)
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

//! `planguide new site`, `planguide new guide`, and atomic, safe output folders.

use std::fs;
use std::process::Command;

use crate::harness::{snapshot, TestSite};

fn planguide(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planguide"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run")
}

#[test]
fn new_site_builds_checks_clean_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = planguide(&["new", "site", "mysite"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = dir.path().join("mysite");
    let build = planguide(&["build", "--root", "mysite"], dir.path());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(root
        .join("public/zh/example-land/renew-online/index.html")
        .is_file());
    assert!(root
        .join("public/en/example-land/renew-online/index.html")
        .is_file());
    let check = planguide(&["check", "--strict", "--root", "mysite"], dir.path());
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    fs::write(root.join("site.yaml"), "edited").unwrap();
    let again = planguide(&["new", "site", "mysite"], dir.path());
    assert!(!again.status.success());
    assert_eq!(
        fs::read_to_string(root.join("site.yaml")).unwrap(),
        "edited",
        "nothing overwritten"
    );
}

/// `planguide new guide` for a phone renewal walkthrough in Qatar.
const NEW_SMS_GUIDE: [&str; 7] = [
    "new",
    "guide",
    "qatar/renew-sms",
    "--kind",
    "renewal",
    "--channel",
    "phone",
];

#[test]
fn new_guide_creates_every_language_with_skeleton_and_refuses_to_overwrite() {
    let site = TestSite::example();
    // Written the way a shell completes it, with content/ in front.
    let out = site.cli(&NEW_SMS_GUIDE.map(|a| {
        if a == "qatar/renew-sms" {
            "content/qatar/renew-sms"
        } else {
            a
        }
    }));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("no section page"),
        "qatar has one: {stderr}"
    );
    for lang in ["zh", "en"] {
        let text = site.source(&format!("content/qatar/renew-sms.{lang}.md"));
        assert!(
            text.contains("kind: renewal") && text.contains("channel: phone"),
            "{text}"
        );
        assert!(
            text.contains("qa-visitor-15"),
            "plans with a phone channel pre-filled: {text}"
        );
        assert!(text.contains("1. ") && text.contains("- [ ] "), "{text}");
    }
    let zh = site.source("content/qatar/renew-sms.zh.md");
    assert!(
        zh.contains("## 续费前须知") && zh.contains("## 步骤") && zh.contains("## 清单"),
        "headings in the page's language: {zh}"
    );
    let en = site.source("content/qatar/renew-sms.en.md");
    assert!(
        en.contains("## Before you renew") && en.contains("## Steps"),
        "{en}"
    );
    site.build_ok();
    assert!(site.has_output("en/qatar/renew-sms/index.html"));
    let check = site.cli(&["check"]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        !report.contains("renew-sms.en.md"),
        "new translation is fresh and matches: {report}"
    );
    let zh_before = site.source("content/qatar/renew-sms.zh.md");
    let again = site.cli(&NEW_SMS_GUIDE);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(site.source("content/qatar/renew-sms.zh.md"), zh_before);
    let wrong = site.cli(&[
        "new",
        "guide",
        "qatar/x",
        "--kind",
        "renewal",
        "--channel",
        "airport",
    ]);
    assert!(!wrong.status.success());
    // A guide in a country folder with no section page is created, with a note that
    // nothing lists it yet.
    let unlisted = site.cli(&[
        "new",
        "guide",
        "newland/renew-online",
        "--kind",
        "renewal",
        "--channel",
        "online",
    ]);
    let stderr = String::from_utf8_lossy(&unlisted.stderr);
    assert!(unlisted.status.success(), "{stderr}");
    assert!(
        stderr.contains("content/newland/ has no section page"),
        "{stderr}"
    );
}

#[test]
fn files_from_a_previous_build_never_survive() {
    let site = TestSite::minimal();
    site.build_ok();
    fs::write(site.public().join("stale.html"), "old").unwrap();
    site.build_ok();
    assert!(!site.has_output("stale.html"));
}

/// `planguide build --output OUTPUT` must fail with a refusal.
fn assert_refused(site: &TestSite, output: &str, why: &str) {
    let result = site.cli(&["build", "--output", output]);
    assert!(
        !result.status.success(),
        "--output {output} must be refused"
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("refusing") && stderr.contains(why),
        "--output {output}: expected {why:?} in {stderr}"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = TestSite::minimal();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for (output, why) in [
        (".", "it is the site folder or contains it"),
        ("..", "it is the site folder or contains it"),
        ("content", "inside the site's `content/` folder"),
        ("content/x", "inside the site's `content/` folder"),
        ("/", "it is the file-system root"),
        (home.as_str(), "it is your home folder"),
    ] {
        assert_refused(&site, output, why);
    }
    // An empty home folder is refused as a home folder, not let through as an empty one.
    let empty_home = tempfile::tempdir().unwrap();
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_planguide"))
        .args(["build", "--output"])
        .arg(empty_home.path())
        .env("HOME", empty_home.path())
        .current_dir(site.root())
        .output()
        .expect("run planguide");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !result.status.success() && stderr.contains("it is your home folder"),
        "{stderr}"
    );
    assert!(fs::read_dir(empty_home.path()).unwrap().next().is_none());
    assert!(
        site.root().join("content/about.en.md").is_file(),
        "content untouched"
    );
}

/// `public` as a link into a web server's folder: the build lands in the linked folder and
/// the link stays; a link into the site's inputs is refused for that reason.
#[test]
fn an_output_link_is_followed_not_replaced() {
    let site = TestSite::minimal();
    let served = site.root().join("www");
    fs::create_dir_all(&served).unwrap();
    std::os::unix::fs::symlink(&served, site.root().join("public")).unwrap();
    site.build_ok();
    assert!(
        served.join("en/about/index.html").is_file(),
        "built into the link's folder"
    );
    let link = fs::symlink_metadata(site.root().join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("to-content"))
        .unwrap();
    let result = site.cli(&["build", "--output", "to-content"]);
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("inside the site's `content/`"), "{stderr}");
}

#[test]
fn folders_that_are_not_an_earlier_build_are_never_replaced() {
    let site = TestSite::minimal()
        .file("notes/keep.txt", "mine")
        .file("single-file", "x");
    assert_refused(&site, "notes", "holds files but no earlier planguide build");
    assert_refused(&site, "single-file", "it is a file, not a folder");
    assert_eq!(site.source("notes/keep.txt"), "mine");
    let empty = site.root().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert!(
        site.cli(&["build", "--output", "empty"]).status.success(),
        "an empty folder is fine"
    );
    assert!(
        site.cli(&["build", "--output", "empty"]).status.success(),
        "and so is an earlier build"
    );
}

#[test]
fn a_killed_build_leaves_the_previous_output_whole() {
    let mut site = TestSite::minimal();
    for n in 0..1500 {
        site = site.file(
            &format!("content/bulk/p{n}.zh.md"),
            &format!("---\ntitle: 页面 {n}\n---\n\n## 标题\n\n正文 {n}\n"),
        );
    }
    site.build_ok();
    let before = snapshot(&site.public());
    let site = site.edit(
        "content/about.en.md",
        "About this site",
        "About this site, edited",
    );
    for delay_ms in [5u64, 40, 120, 300] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planguide"))
            .arg("build")
            .current_dir(site.root())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&site.public());
        if now != before {
            assert!(
                String::from_utf8_lossy(
                    &fs::read(site.public().join("en/about/index.html")).unwrap()
                )
                .contains("edited"),
                "a changed output must be the complete new build"
            );
            assert_eq!(
                now.len(),
                before.len(),
                "complete new build has the same files"
            );
        }
    }
}

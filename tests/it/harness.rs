//! A test site in a temp folder: start from the bundled example or a tiny inline site, edit
//! files with chainable calls, build through the library or the real binary, read output.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use planguide::pipeline::{BuildOptions, SiteOptions};
use planguide::{BuildFailed, BuildReport};

/// The repository root, which is also the example site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site under construction in its own temp folder; output goes to `<tmp>/public`.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// A copy of the bundled example site (config, content, theme, strings).
    pub fn example() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for item in [
            "site.yaml",
            "content",
            "themes",
            "i18n",
            "templates",
            "static",
        ] {
            let from = repo_root().join(item);
            if from.exists() {
                copy_recursively(&from, &site.root().join(item));
            }
        }
        site
    }

    /// A tiny bilingual site using the default theme and strings, with one page.
    pub fn minimal() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for item in ["themes", "i18n"] {
            copy_recursively(&repo_root().join(item), &site.root().join(item));
        }
        site.file("site.yaml", MINIMAL_CONFIG)
            .file("content/_index.zh.md", "---\ntitle: 首页\n---\n欢迎\n")
            .file("content/_index.en.md", "---\ntitle: Home\n---\nWelcome\n")
            .file("content/about.zh.md", "---\ntitle: 关于\n---\n关于本站\n")
            .file(
                "content/about.en.md",
                "---\ntitle: About\n---\nAbout this site\n",
            )
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file (creating folders), returning the site for chaining.
    pub fn file(self, rel: &str, text: &str) -> TestSite {
        self.bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes.
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> TestSite {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write");
        self
    }

    /// Replaces text inside an existing file; fails the test if `from` is absent.
    pub fn edit(self, rel: &str, from: &str, to: &str) -> TestSite {
        let text = self.source(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        let edited = text.replacen(from, to, 1);
        self.file(rel, &edited)
    }

    /// As [`TestSite::edit`], saved the way most editors save: the new text goes to a
    /// temporary file outside the site that then replaces the file at once, so a watcher
    /// never sees it empty or half-written.
    pub fn save_edit(self, rel: &str, from: &str, to: &str) -> TestSite {
        let text = self.source(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.save(rel, &text.replacen(from, to, 1))
    }

    /// Replaces (or creates) a file at once, through a temporary file beside the site.
    pub fn save(self, rel: &str, text: &str) -> TestSite {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let outside = self.root().parent().expect("temp dir has a parent");
        let mut temporary = tempfile::NamedTempFile::new_in(outside).expect("temp file");
        std::io::Write::write_all(&mut temporary, text.as_bytes()).expect("write");
        temporary.persist(&path).expect("rename into place");
        self
    }

    /// Deletes a file.
    pub fn remove(self, rel: &str) -> TestSite {
        fs::remove_file(self.root().join(rel)).expect("remove");
        self
    }

    /// Text of a source file.
    pub fn source(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Builds with the library into `public/`.
    pub fn build(&self) -> Result<BuildReport, BuildFailed> {
        self.build_with(SiteOptions::default())
    }

    /// Builds with options into `public/`.
    pub fn build_with(&self, site: SiteOptions) -> Result<BuildReport, BuildFailed> {
        planguide::build(&BuildOptions {
            root: self.root().to_path_buf(),
            output: self.public(),
            site,
            changed_since: None,
        })
    }

    /// Builds and fails the test with the diagnostics if it did not succeed.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(failed) => panic!(
                "build failed:\n{}",
                planguide::error::plain_text(&failed.diagnostics)
            ),
        }
    }

    /// Builds, expecting failure; returns the diagnostics as `file:line:col: message` lines.
    pub fn build_err(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(failed) => planguide::error::plain_text(&failed.diagnostics),
        }
    }

    /// Runs the real binary with `args` in the site folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_planguide"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run planguide")
    }

    /// Text of an output file (relative to `public/`).
    pub fn output(&self, rel: &str) -> String {
        fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("read public/{rel}: {e}"))
    }

    /// True when the output file exists.
    pub fn has_output(&self, rel: &str) -> bool {
        self.public().join(rel).is_file()
    }

    /// Every output file, relative to `public/`, sorted.
    pub fn output_files(&self) -> Vec<String> {
        list_files(&self.public())
    }
}

/// Every file under `dir`, relative and `/`-separated, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Reads a whole tree into (path, bytes) pairs, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|f| (f.clone(), fs::read(dir.join(&f)).expect("read")))
        .collect()
}

fn copy_recursively(from: &Path, to: &Path) {
    if from.is_file() {
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::copy(from, to).expect("copy");
        return;
    }
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Values of `attr` on every tag that starts with `tag_start` (e.g. `<link rel="alternate"`).
pub fn attrs(html: &str, tag_start: &str, attr: &str) -> Vec<String> {
    html.match_indices(tag_start)
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>')?];
            let needle = format!(" {attr}=\"");
            let start = tag.find(&needle)? + needle.len();
            let end = start + tag[start..].find('"')?;
            Some(tag[start..end].to_string())
        })
        .collect()
}

/// The output file a root-relative URL is served from.
pub fn url_to_file(url: &str) -> String {
    let path = url.split('#').next().unwrap_or(url).trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

const MINIMAL_CONFIG: &str = "base_url: https://guides.example.com/\ndefault_language: zh\nlanguages:\n  - code: zh\n    locale: zh-CN\n    name: 中文\n    title: 指南\n  - code: en\n    locale: en\n    name: English\n    title: Guides\n";

//! The only reader of the site's input folders. It walks `site.yaml`, `content/`,
//! `templates/`, `i18n/`, `static/` and the theme's `templates/` and `static/`, and returns
//! their bytes keyed by site-relative path. Everything after this works on that map, so
//! `serve` can re-read just the files that changed. Does I/O; decodes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{display_path, Diagnostic};

/// Content files larger than this are refused (a guide page is a few KB).
pub const MAX_TEXT_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Static files larger than this are refused (keeps a stray video out of a CDN upload).
pub const MAX_STATIC_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The folders, relative to the site root, whose changes matter to a build.
pub fn watched_folders(theme: &str) -> Vec<String> {
    let mut folders: Vec<String> = ["content", "templates", "i18n", "static"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    folders.push(format!("themes/{theme}/templates"));
    folders.push(format!("themes/{theme}/static"));
    folders
}

/// Every input file's bytes, by site-relative `/`-separated path, plus what could not be read.
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    /// File bytes by site-relative path, in path order.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Files or folders that could not be read.
    pub problems: Vec<Diagnostic>,
    /// The site folder the files were read from.
    pub root: PathBuf,
}

impl SourceTree {
    /// Text of a file for a diagnostic's excerpt: from memory, or read again from disk
    /// when the tree no longer holds it (see [`Self::forget_markdown`]).
    pub fn excerpt_text(&self, rel: &str) -> Option<Arc<str>> {
        match self.text(rel) {
            Some(text) => Some(Arc::from(text)),
            None if !rel.is_empty() && !self.root.as_os_str().is_empty() => {
                std::fs::read_to_string(self.root.join(rel))
                    .ok()
                    .map(Arc::from)
            }
            None => None,
        }
    }

    /// Lets go of the Markdown files' bytes, for a one-shot build whose documents hold them
    /// from here on (and release them once rendered). Excerpts re-read them from disk.
    pub fn forget_markdown(&mut self) {
        self.files.retain(|path, _| !path.ends_with(".md"));
    }

    /// Text of a file that is known to be UTF-8, for diagnostics' excerpts.
    pub fn text(&self, rel: &str) -> Option<&str> {
        self.files
            .get(rel)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// Reads `site.yaml` alone (the theme it names decides what else to read).
pub fn read_config(root: &Path) -> Result<Arc<[u8]>, Diagnostic> {
    let path = root.join(crate::config::CONFIG_FILE);
    read_file(&path, MAX_TEXT_FILE_BYTES).map_err(|message| {
        Diagnostic::error("io", crate::config::CONFIG_FILE, message)
            .hint("run planguide in a site folder, pass --root, or create one with `planguide new site DIR`")
    })
}

/// Reads every input file of the site at `root` for the given theme.
pub fn read_tree(root: &Path, theme: &str) -> SourceTree {
    let mut tree = SourceTree {
        root: root.to_path_buf(),
        ..SourceTree::default()
    };
    if let Ok(bytes) = read_config(root) {
        tree.files
            .insert(crate::config::CONFIG_FILE.to_string(), bytes);
    }
    for folder in watched_folders(theme) {
        walk_folder(root, &folder, &mut tree);
    }
    tree
}

/// Re-reads the given site-relative paths into `tree` (removing those that are gone), for
/// incremental rebuilds. Paths outside the watched folders are ignored.
pub fn refresh(root: &Path, theme: &str, tree: &mut SourceTree, changed: &[String]) {
    let folders = watched_folders(theme);
    for rel in changed {
        let relevant = rel == crate::config::CONFIG_FILE
            || folders.iter().any(|f| rel.starts_with(&format!("{f}/")));
        if !relevant || is_ignored_path(rel) {
            continue;
        }
        let path = root.join(rel);
        let inside = format!("{rel}/");
        tree.problems
            .retain(|p| &p.file != rel && !p.file.starts_with(&inside));
        let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !points_inside(&path, &real_root) {
            tree.files.remove(rel);
            tree.problems.push(Diagnostic::warning(
                "symlink-outside",
                rel,
                "this symbolic link points outside the site folder; it is ignored",
            ));
            continue;
        }
        match fs::metadata(&path) {
            Ok(meta) if meta.is_file() => match read_file(&path, limit_for(rel)) {
                Ok(bytes) => {
                    tree.files.insert(rel.clone(), bytes);
                }
                Err(message) => {
                    tree.files.remove(rel);
                    tree.problems.push(Diagnostic::error("io", rel, message));
                }
            },
            Ok(meta) if meta.is_dir() => {
                tree.files.retain(|k, _| !k.starts_with(&format!("{rel}/")));
                walk_folder(root, rel, tree);
            }
            _ => {
                tree.files.remove(rel);
                tree.files.retain(|k, _| !k.starts_with(&format!("{rel}/")));
            }
        }
    }
}

fn walk_folder(root: &Path, folder: &str, tree: &mut SourceTree) {
    let base = root.join(folder);
    if !base.is_dir() {
        return;
    }
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut outside = Vec::new();
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let visible = e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy());
            let inside = !e.path_is_symlink() || points_inside(e.path(), &real_root);
            if !inside {
                outside.push(e.path().to_path_buf());
            }
            visible && inside
        });
    let mut files = Vec::new();
    let mut looped_outside = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = display_path(entry.path().strip_prefix(root).unwrap_or(entry.path()));
                files.push((rel, entry.into_path()));
            }
            Ok(_) => {}
            // A link to a folder above the site is a loop to walkdir, but it is first of all
            // a link outside the site: ignored with a warning, as `refresh` does.
            Err(error)
                if error.path().is_some_and(|p| {
                    error.loop_ancestor().is_some() && !points_inside(p, &real_root)
                }) =>
            {
                looped_outside.extend(error.path().map(Path::to_path_buf));
            }
            // An editor's lock file (`.#page.en.md`, a link to nowhere while a buffer has
            // unsaved changes) is as ignored as any hidden file, whatever its target.
            Err(error)
                if error
                    .path()
                    .and_then(Path::file_name)
                    .is_some_and(|name| is_ignored_name(&name.to_string_lossy())) => {}
            Err(error) => tree.problems.push(walk_problem(root, &error)),
        }
    }
    type Read = (String, Result<Arc<[u8]>, String>);
    let read: Vec<Read> = files
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = read_file(&path, limit_for(&rel));
            (rel, bytes)
        })
        .collect();
    for (rel, result) in read {
        match result {
            Ok(bytes) => {
                tree.files.insert(rel, bytes);
            }
            Err(message) => tree.problems.push(Diagnostic::error("io", rel, message)),
        }
    }
    for link in outside.into_iter().chain(looped_outside) {
        let rel = display_path(link.strip_prefix(root).unwrap_or(&link));
        tree.problems.push(
            Diagnostic::warning(
                "symlink-outside",
                rel,
                "this symbolic link points outside the site folder; it is ignored",
            )
            .hint("copy the file into the site instead, so nothing outside the site is published"),
        );
    }
}

/// Symbolic links may point anywhere inside the site, never outside it: a link to a home
/// folder must not end up published.
fn points_inside(path: &Path, real_root: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|target| target.starts_with(real_root))
}

fn walk_problem(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error
        .path()
        .map(|p| display_path(p.strip_prefix(root).unwrap_or(p)))
        .unwrap_or_default();
    let dangling = error
        .path()
        .is_some_and(|p| p.is_symlink() && fs::metadata(p).is_err());
    if dangling {
        Diagnostic::warning(
            "broken-symlink",
            path,
            "this symbolic link points at nothing; it is ignored",
        )
        .hint("remove the link, or point it at a file that exists")
    } else if error.loop_ancestor().is_some() {
        Diagnostic::error(
            "io",
            path,
            "symbolic link loop: this link points to one of its own parent folders",
        )
        .hint("remove the link, or point it at a folder that does not contain it")
    } else {
        Diagnostic::error("io", path, format!("cannot read: {error}"))
    }
}

fn limit_for(rel: &str) -> u64 {
    let is_text = [".md", ".yaml", ".yml", ".ftl", ".html", ".xml"]
        .iter()
        .any(|ext| rel.ends_with(ext));
    if is_text && !rel.contains("/static/") && !rel.starts_with("static/") {
        MAX_TEXT_FILE_BYTES
    } else {
        MAX_STATIC_FILE_BYTES
    }
}

fn read_file(path: &Path, limit: u64) -> Result<Arc<[u8]>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Err(format!(
            "the file is {:.1} MB; files of this kind are limited to {} MB",
            size as f64 / 1_048_576.0,
            limit / 1_048_576
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    Ok(bytes.into())
}

/// True when any component of a site-relative path is ignored (a file in a hidden folder is
/// as invisible to `serve` as it is to `build`, which skips the whole folder).
pub fn is_ignored_path(rel: &str) -> bool {
    rel.split('/').any(is_ignored_name)
}

/// Editor droppings and hidden files never become site input: `.swp`, `~` backups,
/// `.#lock` files, `4913` (vim's write test), `.DS_Store`.
pub fn is_ignored_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The site-relative form of an absolute path under `root`, if it is under it.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let path: PathBuf = match fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) => path
            .parent()
            .and_then(|parent| fs::canonicalize(parent).ok())
            .and_then(|parent| path.file_name().map(|n| parent.join(n)))
            .unwrap_or_else(|| path.to_path_buf()),
    };
    path.strip_prefix(&root).ok().map(display_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A read that fails is an error message, not a panic. (Permissions cannot make a file
    /// unreadable to root, who runs CI; a folder opened as a file fails the same read.)
    #[test]
    fn errors_when_a_file_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_file(dir.path(), MAX_TEXT_FILE_BYTES).unwrap_err();
        assert!(error.starts_with("cannot read the file: "), "{error}");
        let missing = read_file(&dir.path().join("gone.en.md"), MAX_TEXT_FILE_BYTES).unwrap_err();
        assert!(missing.starts_with("cannot read the file: "), "{missing}");
    }

    #[test]
    fn errors_when_a_file_is_over_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.en.md");
        fs::write(&path, vec![b'a'; 2 * 1_048_576]).unwrap();
        let error = read_file(&path, 1_048_576).unwrap_err();
        assert!(error.contains("limited to 1 MB"), "{error}");
    }
}

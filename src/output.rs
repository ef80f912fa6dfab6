//! The built site as data ([`OutputSet`]: sorted output path → bytes) and its atomic write:
//! everything goes into a sibling temporary folder that replaces the output folder only when
//! the whole build succeeded, so a failed or killed build leaves the previous site intact.
//! The only module that writes to disk for `build`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

/// Every output file, keyed by `/`-separated path relative to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputSet {
    /// Output path → bytes, in path order.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Files already written to the staging folder while rendering (build only), with the
    /// facts the manifest needs, so 20,000 pages are not held in memory until the end.
    pub streamed: BTreeMap<String, Streamed>,
}

/// A file written to staging during rendering: its size and content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streamed {
    /// Size in bytes.
    pub size: u64,
    /// BLAKE3, hex.
    pub blake3: String,
}

impl Streamed {
    /// The facts the manifest keeps about `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Streamed {
            size: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
        }
    }
}

impl OutputSet {
    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// The file at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    /// Number of files, streamed ones included.
    pub fn len(&self) -> usize {
        self.files.len() + self.streamed.len()
    }

    /// True when nothing was produced.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.streamed.is_empty()
    }

    /// True when `path` is part of the output, in memory or streamed.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.streamed.contains_key(path)
    }
}

/// Where rendered pages go as soon as they exist, when the caller writes a site to disk.
pub trait PageSink: Sync {
    /// Stores one output file.
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
}

/// The output file a site path is served from: a folder path gets its `index.html`
/// (`/zh/qatar/` → `zh/qatar/index.html`), a file path is itself (`/en/old.html`).
pub fn page_file(site_path: &str) -> String {
    let trimmed = site_path.trim_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if site_path.ends_with('/') {
        format!("{trimmed}/index.html")
    } else {
        trimmed.to_string()
    }
}

/// The folder a build replaces: the output itself, or the folder it links to. Publishers
/// often keep `public` as a link into the web server's tree; replacing the link with a
/// folder would leave the served site silently stale.
pub fn resolve_output_link(output: &Path) -> Result<PathBuf, String> {
    let is_link = fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(output.to_path_buf());
    }
    fs::canonicalize(output).map_err(|error| {
        format!(
            "`{}` is a link to a folder that cannot be reached ({error}); point it at a folder or remove it",
            output.display()
        )
    })
}

/// Refuses output folders that would destroy the site or the machine: the site root or any
/// parent of it, `content/` or another input folder, the file-system root, the home folder.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let resolve = |p: &Path| -> PathBuf {
        let absolute = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&absolute)
    };
    let root = resolve(root);
    let root = fs::canonicalize(&root).unwrap_or(root);
    let output_abs = resolve(output);
    let output_abs = match (output_abs.parent(), output_abs.file_name()) {
        (Some(parent), Some(name)) => {
            fs::canonicalize(parent).map_or(output_abs.clone(), |p| p.join(name))
        }
        _ => output_abs,
    };
    let refuse = |why: &str| {
        Err(format!(
            "refusing to write the site into `{}`: {why}",
            output.display()
        ))
    };
    if output_abs.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if fs::canonicalize(&home).unwrap_or(home) == output_abs {
            return refuse("it is your home folder");
        }
    }
    if root.starts_with(&output_abs) {
        return refuse("it is the site folder or contains it");
    }
    for input in ["content", "templates", "i18n", "static", "themes"] {
        if output_abs.starts_with(root.join(input)) {
            return refuse(&format!("it is inside the site's `{input}/` folder"));
        }
    }
    if output_abs.exists() && !output_abs.is_dir() {
        return refuse("it is a file, not a folder");
    }
    if !is_replaceable(&output_abs) {
        return refuse("it is a folder that holds files but no earlier planguide build (no .planguide/manifest.json); empty it or choose another folder");
    }
    Ok(())
}

/// A build replaces its output folder wholesale, so only a folder that is missing, empty, or
/// an earlier build (it has the manifest every build writes) may be replaced.
fn is_replaceable(output: &Path) -> bool {
    if !output.exists() {
        return true;
    }
    let empty = fs::read_dir(output)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    empty || output.join(crate::manifest::MANIFEST_PATH).is_file()
}

/// Removes `.` and `..` components without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes `set` to `output` atomically: build a sibling temp folder, then swap it in.
pub fn write_atomic(set: &OutputSet, output: &Path) -> std::io::Result<()> {
    let staging = Staging::create(output)?;
    staging.write_all(set)?;
    staging.commit()
}

/// A sibling temporary folder the new site is written into; [`Staging::commit`] swaps it
/// in place of the output, and dropping it uncommitted removes it, so the output folder
/// only ever holds a complete build.
pub struct Staging {
    dir: PathBuf,
    retired: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the temporary folder next to `output` (removing leftovers of killed builds).
    pub fn create(output: &Path) -> std::io::Result<Staging> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = output.file_name().map_or_else(
            || "public".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        remove_stale_siblings(parent, &name);
        let dir = parent.join(format!(".{name}.planguide-new-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            retired: parent.join(format!(".{name}.planguide-old-{}", std::process::id())),
            dir,
            target: output.to_path_buf(),
            committed: false,
        })
    }

    /// Writes every in-memory file of `set` (streamed ones are already there).
    pub fn write_all(&self, set: &OutputSet) -> std::io::Result<()> {
        write_tree(set, &self.dir)
    }

    /// Replaces the output with the staged folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        let result = swap_in(&self.dir, &self.target, &self.retired);
        if result.is_ok() {
            self.committed = true;
        }
        let _ = fs::remove_dir_all(&self.retired);
        result
    }
}

impl PageSink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            // Most pages have a folder of their own whose parent exists: one mkdir, rather
            // than create_dir_all's stat followed by the same mkdir.
            match fs::create_dir(parent) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(parent)?,
            }
        }
        fs::write(file, bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Leftovers of builds that were killed mid-way are removed before starting.
fn remove_stale_siblings(parent: &Path, name: &str) {
    let prefixes = [
        format!(".{name}.planguide-new-"),
        format!(".{name}.planguide-old-"),
    ];
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = prefixes
                .iter()
                .find_map(|p| file_name.strip_prefix(p.as_str()))
            else {
                continue;
            };
            if !build_is_running(pid) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether the build that made a temporary folder (its process id) is still running, so a
/// concurrent build's staging folder is left alone. Without `/proc`, every leftover counts
/// as abandoned.
fn build_is_running(pid: &str) -> bool {
    let own = std::process::id().to_string();
    pid != own && Path::new("/proc").join(pid).exists()
}

fn write_tree(set: &OutputSet, staging: &Path) -> std::io::Result<()> {
    fs::create_dir_all(staging)?;
    let folders: std::collections::BTreeSet<&Path> = set
        .files
        .keys()
        .filter_map(|path| Path::new(path).parent())
        .collect();
    // Parents sort before their children, so each level exists before the next is made;
    // the few shared parents are created first, then the many leaf folders in parallel.
    let (shallow, deep): (Vec<&Path>, Vec<&Path>) = folders
        .into_iter()
        .partition(|p| p.components().count() <= 2);
    for folder in shallow {
        fs::create_dir_all(staging.join(folder))?;
    }
    deep.par_iter()
        .try_for_each(|folder| fs::create_dir_all(staging.join(folder)))?;
    set.files.par_iter().try_for_each(|(path, bytes)| {
        let mut file = fs::File::create(staging.join(path))?;
        file.write_all(bytes)
    })
}

/// Puts the staged folder in place of the output. On Linux both folders are exchanged in
/// one `renameat2(RENAME_EXCHANGE)` call, so there is no instant without a complete site;
/// elsewhere the old output is moved aside first and restored if the second rename fails.
fn swap_in(staging: &Path, output: &Path, retired: &Path) -> std::io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    if exchange(staging, output).is_ok() {
        return fs::rename(staging, retired);
    }
    fs::rename(output, retired)?;
    fs::rename(staging, output).inspect_err(|_| {
        let _ = fs::rename(retired, output);
    })
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this platform"))
}

/// Creates new files under `root`, refusing to overwrite anything: every target is checked
/// before the first one is written.
pub fn create_new_files(root: &Path, files: &[crate::scaffold::NewFile]) -> Result<(), String> {
    if let Some(existing) = files.iter().find(|f| root.join(&f.path).exists()) {
        return Err(format!(
            "{} already exists; nothing was written",
            root.join(&existing.path).display()
        ));
    }
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let mut handle = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        handle
            .write_all(&file.bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Replaces one file's contents atomically (temp file + rename), for `planguide stamp`.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!("planguide-tmp-{}", std::process::id()));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_follow_site_paths() {
        assert_eq!(page_file("/zh/qatar/"), "zh/qatar/index.html");
        assert_eq!(page_file("/"), "index.html");
        assert_eq!(page_file("/en/old.html"), "en/old.html");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, &root.join("content/../public")).is_ok());
    }

    #[test]
    fn replaces_previous_output_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = OutputSet::default();
        first.insert("old.html", b"old".to_vec());
        write_atomic(&first, &out).unwrap();
        let mut second = OutputSet::default();
        second.insert("zh/index.html", b"new".to_vec());
        write_atomic(&second, &out).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read(out.join("zh/index.html")).unwrap(), b"new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}

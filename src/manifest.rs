//! The deploy manifest (`.planguide/manifest.json`): every output file with its size and
//! content hash, so a deploy step can upload and invalidate only what changed
//! (`planguide build --changed-since OLD`). Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::output::{OutputSet, Streamed};

/// Where the manifest is written inside the output folder.
pub const MANIFEST_PATH: &str = ".planguide/manifest.json";

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Size in bytes.
    pub size: u64,
    /// BLAKE3 of the contents, hex.
    pub blake3: String,
}

impl From<&Streamed> for Entry {
    fn from(streamed: &Streamed) -> Self {
        Entry {
            size: streamed.size,
            blake3: streamed.blake3.clone(),
        }
    }
}

/// Every output file (the manifest itself excluded), in path order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version (1).
    pub version: u32,
    /// Output path → entry.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// The manifest of a built site.
    pub fn of(output: &OutputSet) -> Manifest {
        use rayon::prelude::*;
        let mut files: BTreeMap<String, Entry> = output
            .files
            .par_iter()
            .filter(|(path, _)| path.as_str() != MANIFEST_PATH)
            .map(|(path, bytes)| (path.clone(), Entry::from(&Streamed::of(bytes))))
            .collect();
        for (path, streamed) in &output.streamed {
            files.insert(path.clone(), Entry::from(streamed));
        }
        Manifest { version: 1, files }
    }

    /// Stable, pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Parses a manifest written by an earlier build.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        serde_json::from_str(text).map_err(|e| format!("not a planguide manifest: {e}"))
    }
}

/// What changed between two builds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Files that are new.
    pub added: Vec<String>,
    /// Files whose contents differ.
    pub changed: Vec<String>,
    /// Files that are gone.
    pub removed: Vec<String>,
}

impl Changes {
    /// One `added|changed|removed <path>` line per file, sorted, for deploy scripts.
    pub fn to_lines(&self) -> String {
        let mut lines = String::new();
        for (label, paths) in [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ] {
            for path in paths {
                lines.push_str(&format!("{label} {path}\n"));
            }
        }
        lines
    }
}

/// Compares an old manifest with a new one.
pub fn diff(old: &Manifest, new: &Manifest) -> Changes {
    let mut changes = Changes::default();
    for (path, entry) in &new.files {
        match old.files.get(path) {
            None => changes.added.push(path.clone()),
            Some(previous) if previous != entry => changes.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    changes.removed = old
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .cloned()
        .collect();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> OutputSet {
        let mut out = OutputSet::default();
        for (path, text) in files {
            out.insert(*path, text.as_bytes().to_vec());
        }
        out
    }

    #[test]
    fn diff_names_added_changed_and_removed() {
        let old = Manifest::of(&set(&[("a.html", "1"), ("b.html", "2"), ("c.html", "3")]));
        let new = Manifest::of(&set(&[("a.html", "1"), ("b.html", "22"), ("d.html", "4")]));
        let changes = diff(&old, &new);
        assert_eq!(changes.added, ["d.html"]);
        assert_eq!(changes.changed, ["b.html"]);
        assert_eq!(changes.removed, ["c.html"]);
        assert_eq!(
            changes.to_lines(),
            "added d.html\nchanged b.html\nremoved c.html\n"
        );
        assert_eq!(Manifest::from_json(&new.to_json()).unwrap(), new);
    }
}

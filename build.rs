//! Embeds the default theme and its UI strings into the binary, so `planguide new site`
//! scaffolds a working site anywhere. Generated from the folders themselves, so the list
//! can never go stale.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_theme.rs");
    let mut files = Vec::new();
    for folder in ["themes/default", "i18n"] {
        println!("cargo:rerun-if-changed={folder}");
        collect(&manifest, &manifest.join(folder), &mut files);
    }
    files.sort();
    let mut code = String::from("/// Default theme and UI strings: (site-relative path, bytes).\npub static EMBEDDED: &[(&str, &[u8])] = &[\n");
    for rel in files {
        let absolute = manifest.join(&rel);
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    code.push_str("];\n");
    if let Ok(mut file) = fs::File::create(&out) {
        let _ = file.write_all(code.as_bytes());
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

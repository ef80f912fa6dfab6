//! Static files from the theme's and the site's `static/` (the site's win on equal names),
//! plus generated ones (the highlighting stylesheet). CSS and JS are renamed with a content
//! fingerprint (`style.3f9a1c2b.css`) so CDNs may cache them forever; templates get those
//! names through `asset()`. Everything else keeps its name. Pure.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::BaseUrl;

/// Files that must keep a stable URL even though they are JS (a service worker's scope and
/// update check depend on its URL).
const STABLE_NAMES: &[&str] = &["sw.js"];

/// A static file before publishing.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path under `static/` (`css/style.css`).
    pub logical: String,
    /// Bytes.
    pub bytes: Arc<[u8]>,
}

/// Published assets: output files and the logical-name → URL map for `asset()`.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Output path → bytes.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Logical path → root-relative URL (fingerprinted for CSS/JS).
    pub urls: BTreeMap<String, String>,
    /// Output paths that carry a content fingerprint (for cache headers).
    pub fingerprinted: Vec<String>,
    /// Other files (images, fonts) keep their names, but `asset()` hands out a fingerprinted
    /// URL; logical path → (fingerprinted output path, bytes), published only if referenced.
    pub on_request: BTreeMap<String, (String, Arc<[u8]>)>,
}

/// Publishes `files` (later entries override earlier ones with the same logical path).
pub fn publish(files: Vec<StaticFile>, base: &BaseUrl) -> Assets {
    let mut by_name: BTreeMap<String, Arc<[u8]>> = BTreeMap::new();
    for file in files {
        by_name.insert(file.logical, file.bytes);
    }
    let mut assets = Assets::default();
    for (logical, bytes) in by_name {
        let bytes = minified(&logical, bytes);
        let output = if should_fingerprint(&logical) {
            let name = fingerprinted_name(&logical, &bytes);
            assets.fingerprinted.push(name.clone());
            name
        } else {
            logical.clone()
        };
        let url = if is_stable(&logical) || should_fingerprint(&logical) {
            base.href(&format!("/{output}"))
        } else {
            let hashed = fingerprinted_name(&logical, &bytes);
            let url = base.href(&format!("/{hashed}"));
            assets
                .on_request
                .insert(logical.clone(), (hashed, bytes.clone()));
            url
        };
        assets.urls.insert(logical, url);
        assets.files.insert(output, bytes);
    }
    fill_service_worker(&mut assets);
    assets
}

/// The service worker learns at build which shell files to pre-cache and which version it
/// is: `__PLANGUIDE_SHELL__` becomes a JSON list of the fingerprinted CSS/JS URLs and
/// `__PLANGUIDE_VERSION__` a hash of them, so a deploy with new assets replaces old caches.
fn fill_service_worker(assets: &mut Assets) {
    let shell: Vec<&String> = assets
        .urls
        .iter()
        .filter(|(logical, _)| should_fingerprint(logical))
        .map(|(_, url)| url)
        .collect();
    let shell_json = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".to_string());
    let version = &blake3::hash(shell_json.as_bytes()).to_hex()[..10];
    for (path, bytes) in assets.files.iter_mut() {
        let is_worker = path
            .rsplit('/')
            .next()
            .is_some_and(|name| STABLE_NAMES.contains(&name));
        let Some(text) = std::str::from_utf8(bytes).ok().filter(|_| is_worker) else {
            continue;
        };
        if text.contains("__PLANGUIDE_SHELL__") || text.contains("__PLANGUIDE_VERSION__") {
            let filled = text
                .replace("__PLANGUIDE_SHELL__", &shell_json)
                .replace("__PLANGUIDE_VERSION__", version);
            *bytes = Arc::from(filled.into_bytes());
        }
    }
}

/// CSS and JS are minified before fingerprinting, so the name follows the published bytes.
fn minified(logical: &str, bytes: Arc<[u8]>) -> Arc<[u8]> {
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return bytes;
    };
    if logical.ends_with(".css") {
        Arc::from(crate::minify::css(text).into_bytes())
    } else if logical.ends_with(".js") {
        Arc::from(crate::minify::js(text).into_bytes())
    } else {
        bytes
    }
}

fn is_stable(logical: &str) -> bool {
    STABLE_NAMES.contains(&logical.rsplit('/').next().unwrap_or(logical))
}

fn should_fingerprint(logical: &str) -> bool {
    let name = logical.rsplit('/').next().unwrap_or(logical);
    (logical.ends_with(".css") || logical.ends_with(".js")) && !STABLE_NAMES.contains(&name)
}

/// `css/style.css` → `css/style.<first 8 hex of BLAKE3>.css`.
pub fn fingerprinted_name(logical: &str, bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes).to_hex();
    let short = &hash.as_str()[..8];
    match logical.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{short}.{ext}"),
        _ => format!("{logical}.{short}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(logical: &str, bytes: &[u8]) -> StaticFile {
        StaticFile {
            logical: logical.into(),
            bytes: Arc::from(bytes),
        }
    }

    #[test]
    fn service_worker_gets_shell_and_version() {
        let base = BaseUrl::parse("https://x.example/").unwrap();
        let worker = b"const V='__PLANGUIDE_VERSION__'; const S=__PLANGUIDE_SHELL__;";
        let assets = publish(
            vec![file("css/a.css", b"a{}"), file("sw.js", worker)],
            &base,
        );
        let text = String::from_utf8(assets.files["sw.js"].to_vec()).unwrap();
        assert!(
            text.contains(&format!("[\"{}\"]", assets.urls["css/a.css"])),
            "{text}"
        );
        assert!(!text.contains("__PLANGUIDE"));
        let changed = publish(
            vec![file("css/a.css", b"b{}"), file("sw.js", worker)],
            &base,
        );
        assert_ne!(
            changed.files["sw.js"], assets.files["sw.js"],
            "new assets, new version"
        );
    }

    #[test]
    fn fingerprints_css_and_js_by_content_only() {
        let base = BaseUrl::parse("https://x.example/guides/").unwrap();
        let assets = publish(
            vec![
                file("css/style.css", b"a"),
                file("img/logo.svg", b"<svg/>"),
                file("sw.js", b"x"),
                file("css/style.css", b"b"),
            ],
            &base,
        );
        let css = &assets.urls["css/style.css"];
        assert!(
            css.starts_with("/guides/css/style.") && css.ends_with(".css"),
            "{css}"
        );
        let logo = &assets.urls["img/logo.svg"];
        assert!(
            logo.starts_with("/guides/img/logo.") && logo.ends_with(".svg"),
            "asset() hands out a fingerprinted URL: {logo}"
        );
        assert!(
            assets.files.contains_key("img/logo.svg"),
            "the file keeps its name too"
        );
        assert_eq!(
            format!("/guides/{}", assets.on_request["img/logo.svg"].0),
            *logo
        );
        assert_eq!(assets.urls["sw.js"], "/guides/sw.js");
        assert_eq!(assets.files.len(), 3);
        let again = publish(vec![file("css/style.css", b"b")], &base);
        assert_eq!(again.urls["css/style.css"], *css, "same bytes, same name");
        let changed = publish(vec![file("css/style.css", b"c")], &base);
        assert_ne!(changed.urls["css/style.css"], *css);
    }
}

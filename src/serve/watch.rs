//! File watching for `serve`: notify with a short debounce, reporting site-relative paths of
//! everything touched. Editors that write a temp file and rename it over the original show
//! up as the original path (and the ignored temp name), so saves are never missed.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::ServeError;

/// The change that means "re-read everything" (never a real path: it has no folder).
pub(crate) const RESCAN: &str = "*";

/// How long to wait for a burst of file events to settle before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(5);

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Only the config and the input folders matter; build output, VCS data and editor
/// droppings never trigger a rebuild (reading files for a build must not either).
fn is_site_input(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or("");
    let input = rel == crate::config::CONFIG_FILE
        || ["content", "templates", "i18n", "static", "themes"].contains(&top);
    input && !crate::source::is_ignored_path(rel)
}

impl Watcher {
    /// Watches the whole site folder; `public/` and hidden or editor-temp files are ignored.
    pub(crate) fn start(
        root: &Path,
        changes: mpsc::Sender<Vec<String>>,
    ) -> Result<Watcher, ServeError> {
        let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let handler_root = root_abs.clone();
        let handler = move |result: DebounceEventResult| {
            // A watcher error or an overflowed event queue (a checkout of many files) loses
            // events: ask for a full re-read rather than serve a stale site.
            let Ok(events) = result else {
                let _ = changes.send(vec![RESCAN.to_string()]);
                return;
            };
            if events.iter().any(|event| event.need_rescan()) {
                let _ = changes.send(vec![RESCAN.to_string()]);
                return;
            }
            let mut paths: Vec<String> = events
                .iter()
                .filter(|event| !matches!(event.kind, notify::EventKind::Access(_)))
                .flat_map(|event| event.paths.iter())
                .filter_map(|path| crate::source::relative_path(&handler_root, path))
                .filter(|rel| is_site_input(rel))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        };
        let watch_error = |e: notify::Error| ServeError::Watch {
            path: root_abs.display().to_string(),
            reason: e.to_string(),
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(1)), handler)
            .map_err(watch_error)?;
        debouncer
            .watch(&root_abs, RecursiveMode::Recursive)
            .map_err(watch_error)?;
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

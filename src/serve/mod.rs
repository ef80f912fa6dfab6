//! `planguide serve`: builds the site in memory (never touching `public/`), serves it over
//! HTTP on 127.0.0.1 by default, watches the site's folders, rebuilds incrementally on every
//! change and tells open tabs to reload over Server-Sent Events. A broken file keeps the last
//! good site online and shows an overlay with the error until it is fixed. Touches the disk
//! (reading sources) and the network; everything it serves comes from memory.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Diagnostic, Diagnostics};
use crate::incremental::{BuildCache, CacheStats};
use crate::output::OutputSet;
use crate::pipeline::{self, Compilation, SiteOptions};
use crate::source::{self, SourceTree};

/// `planguide serve` options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1 unless the user chose otherwise).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
}

/// What happened, for the terminal (main prints these).
#[derive(Debug, Clone)]
pub enum ServeEvent {
    /// The server is listening.
    Listening {
        /// Where.
        address: SocketAddr,
        /// True when reachable from other machines.
        exposed: bool,
    },
    /// A rebuild finished.
    Rebuilt(RebuildSummary),
    /// A build failed: after a rebuild the previous site is still served; the first build
    /// failing leaves a placeholder under the error overlay until one succeeds.
    Failed {
        /// What changed (empty for the first build).
        changed: Vec<String>,
        /// Everything found.
        diagnostics: Diagnostics,
    },
}

/// One line per rebuild: what changed, how many pages were re-rendered, how long it took.
#[derive(Debug, Clone)]
pub struct RebuildSummary {
    /// Site-relative paths that changed (empty for the first build).
    pub changed: Vec<String>,
    /// Cache statistics of the rebuild.
    pub stats: CacheStats,
    /// Wall time from the change to the new site being served.
    pub elapsed: Duration,
    /// The generation now served.
    pub generation: u64,
    /// Time per stage of the rebuild.
    pub timings: pipeline::Timings,
}

impl std::fmt::Display for RebuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.changed.as_slice() {
            [] => "initial build".to_string(),
            [one] => format!("{one} changed"),
            [one, rest @ ..] => format!("{one} and {} more changed", rest.len()),
        };
        write!(
            f,
            "{what}: {} page(s) re-rendered, {} reused, in {} ms",
            self.stats.rendered,
            self.stats.reused,
            self.elapsed.as_millis()
        )
    }
}

/// The error the browser overlay shows.
#[derive(Debug, Clone, Serialize)]
pub struct Overlay {
    /// One entry per error.
    pub errors: Vec<Diagnostic>,
}

/// What the HTTP side serves: the last good site, and the current error if any.
pub(crate) struct Served {
    pub generation: u64,
    pub output: Arc<OutputSet>,
    pub overlay: Option<Overlay>,
    pub last_good: Option<Arc<Compilation>>,
    pub search: Option<Arc<std::collections::BTreeMap<String, Vec<u8>>>>,
    /// The index built before the last rebuild. A reader who loaded `meta.json` just before
    /// a rebuild still asks for that index's shards; their names carry its id, so serving
    /// them from here is never mixing two indexes.
    pub previous_search: Option<Arc<std::collections::BTreeMap<String, Vec<u8>>>>,
}

/// Shared between the rebuild thread and request handlers.
pub(crate) struct Shared {
    pub served: RwLock<Served>,
    pub search_lock: Mutex<()>,
    pub reload: tokio::sync::broadcast::Sender<u64>,
    /// Set when the server stops, so open event streams end and shutdown never waits on them.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

/// A running server (tests drive it directly; `run` blocks on it).
pub struct ServerHandle {
    address: SocketAddr,
    rebuilt: mpsc::Receiver<ServeEvent>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    shared: Arc<Shared>,
    watcher: Option<watch::Watcher>,
}

impl ServerHandle {
    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Waits for the next rebuild (success or failure); `None` on timeout.
    pub fn next_event(&self, timeout: Duration) -> Option<ServeEvent> {
        self.rebuilt.recv_timeout(timeout).ok()
    }

    /// The output currently served (the last good build).
    pub fn served(&self) -> Option<Arc<OutputSet>> {
        self.shared.served.read().ok().map(|s| s.output.clone())
    }

    /// Stops the server.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        // Dropping the watcher closes the change channel, which ends the rebuild thread.
        self.watcher.take();
        let _ = self.shared.stopping.send(true);
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site's files could not be read (a missing `site.yaml`, a link loop): nothing to
    /// serve or watch. A site that reads but does not build is served with the overlay.
    #[error("the site cannot be read")]
    Load(Box<crate::BuildFailed>),
    /// The address is taken or not available.
    #[error("cannot listen on {address}: {reason}")]
    Bind {
        /// Address asked for.
        address: SocketAddr,
        /// Why.
        reason: String,
    },
    /// Watching the folders failed.
    #[error("cannot watch {path}: {reason}")]
    Watch {
        /// Folder.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The build options serve uses for a server at `address` (tests build the same way to
/// compare a served tree with a fresh full build). Links are root-relative and work from
/// any host; absolute URLs (canonical, hreflang, feeds) name loopback when the server
/// listens on every interface, since `0.0.0.0` is not an address a browser can open.
pub fn site_options(address: SocketAddr, drafts: bool) -> SiteOptions {
    let host = match address.ip() {
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    SiteOptions {
        base_url: Some(format!("http://{host}:{}/", address.port())),
        drafts,
        serving: true,
        minify_html: Some(false),
    }
}

/// Builds the site, starts watching and serving; returns once the server is listening.
pub fn start(options: &ServeOptions) -> Result<ServerHandle, ServeError> {
    let listener = std::net::TcpListener::bind((options.bind, options.port)).map_err(|e| {
        ServeError::Bind {
            address: SocketAddr::new(options.bind, options.port),
            reason: bind_reason(&e, options.port),
        }
    })?;
    let address = listener.local_addr().map_err(|e| ServeError::Bind {
        address: SocketAddr::new(options.bind, options.port),
        reason: e.to_string(),
    })?;
    let site_options = site_options(address, options.drafts);
    let started = Instant::now();
    let mut tree = pipeline::load(&options.root).map_err(|f| ServeError::Load(Box::new(f)))?;
    let mut cache = BuildCache::new();
    let first = pipeline::compile_with(&tree, &site_options, &mut cache);
    let (served, first_event) = first_served(first, &cache, started);
    let (reload, _) = tokio::sync::broadcast::channel(16);
    let shared = Arc::new(Shared {
        served: RwLock::new(served),
        search_lock: Mutex::new(()),
        reload,
        stopping: tokio::sync::watch::Sender::new(false),
    });
    let (events_tx, events_rx) = mpsc::channel();
    let _ = events_tx.send(ServeEvent::Listening {
        address,
        exposed: !address.ip().is_loopback(),
    });
    let _ = events_tx.send(first_event);
    let (changes_tx, changes_rx) = mpsc::channel();
    let watcher = watch::Watcher::start(&options.root, changes_tx)?;
    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel();
    let server_shared = shared.clone();
    let server = std::thread::spawn(move || http::serve(listener, server_shared, shutdown_rx));
    let root = options.root.clone();
    let rebuild_shared = shared.clone();
    let rebuilder = std::thread::spawn(move || {
        rebuild_loop(
            &root,
            &site_options,
            &mut tree,
            &mut cache,
            &changes_rx,
            &rebuild_shared,
            &events_tx,
        );
    });
    Ok(ServerHandle {
        address,
        rebuilt: events_rx,
        shutdown: Some(shutdown_tx),
        threads: vec![server, rebuilder],
        shared,
        watcher: Some(watcher),
    })
}

/// What to serve after the first build. A site that does not build yet is served too: every
/// page is a placeholder under the error overlay, and the first good rebuild replaces it, so
/// an editor can start the preview and then fix what it shows.
fn first_served(
    first: Result<Compilation, Diagnostics>,
    cache: &BuildCache,
    started: Instant,
) -> (Served, ServeEvent) {
    let (output, overlay, last_good, event) = match first {
        Ok(compilation) => {
            let event = ServeEvent::Rebuilt(RebuildSummary {
                changed: Vec::new(),
                stats: cache.stats,
                elapsed: started.elapsed(),
                generation: 1,
                timings: pipeline::Timings::default(),
            });
            let output = compilation.output.clone();
            (output, None, Some(Arc::new(compilation)), event)
        }
        Err(diagnostics) => {
            let overlay = overlay_of(&diagnostics);
            let event = ServeEvent::Failed {
                changed: Vec::new(),
                diagnostics,
            };
            (OutputSet::default(), Some(overlay), None, event)
        }
    };
    let served = Served {
        generation: 1,
        output: Arc::new(output),
        overlay,
        last_good,
        search: None,
        previous_search: None,
    };
    (served, event)
}

/// The errors of a failed build, in file order, as the browser overlay lists them.
fn overlay_of(diagnostics: &Diagnostics) -> Overlay {
    let errors = diagnostics
        .sorted()
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    Overlay { errors }
}

fn bind_reason(error: &std::io::Error, port: u16) -> String {
    if error.kind() == std::io::ErrorKind::AddrInUse {
        format!("port {port} is already in use (another planguide serve?); pass --port with another number, or --port 0 for any free port")
    } else {
        error.to_string()
    }
}

/// Runs until the watcher goes away: applies each batch of changes and publishes the result.
fn rebuild_loop(
    root: &std::path::Path,
    options: &SiteOptions,
    tree: &mut SourceTree,
    cache: &mut BuildCache,
    changes: &mpsc::Receiver<Vec<String>>,
    shared: &Shared,
    events: &mpsc::Sender<ServeEvent>,
) {
    while let Ok(mut changed) = changes.recv() {
        while let Ok(more) = changes.try_recv() {
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        let started = Instant::now();
        apply_changes(root, tree, &changed);
        let event = match pipeline::compile_with(tree, options, cache) {
            Ok(compilation) => {
                let timings = compilation.timings.clone();
                let generation = publish(shared, compilation, None);
                ServeEvent::Rebuilt(RebuildSummary {
                    changed,
                    stats: cache.stats,
                    elapsed: started.elapsed(),
                    generation,
                    timings,
                })
            }
            Err(diagnostics) => {
                publish_error(shared, overlay_of(&diagnostics));
                ServeEvent::Failed {
                    changed,
                    diagnostics,
                }
            }
        };
        if events.send(event).is_err() {
            break;
        }
    }
}

fn apply_changes(root: &std::path::Path, tree: &mut SourceTree, changed: &[String]) {
    let theme = theme_of(tree);
    let everything = changed
        .iter()
        .any(|c| c == crate::config::CONFIG_FILE || c == watch::RESCAN);
    if everything {
        *tree = source::read_tree(root, &theme_of_disk(root).unwrap_or(theme));
    } else {
        source::refresh(root, &theme, tree, changed);
    }
}

fn theme_of(tree: &SourceTree) -> String {
    tree.files.get(crate::config::CONFIG_FILE).map_or_else(
        || "default".to_string(),
        |bytes| pipeline::theme_named_in(bytes),
    )
}

fn theme_of_disk(root: &std::path::Path) -> Option<String> {
    source::read_config(root)
        .ok()
        .map(|bytes| pipeline::theme_named_in(&bytes))
}

fn publish(shared: &Shared, mut compilation: Compilation, overlay: Option<Overlay>) -> u64 {
    let output = Arc::new(std::mem::take(&mut compilation.output));
    let mut retired = None;
    let generation = match shared.served.write() {
        Ok(mut served) => {
            served.generation += 1;
            retired = Some((
                std::mem::replace(&mut served.output, output),
                served.last_good.take(),
            ));
            served.overlay = overlay;
            served.last_good = Some(Arc::new(compilation));
            if let Some(built) = served.search.take() {
                served.previous_search = Some(built);
            }
            served.generation
        }
        Err(_) => 0,
    };
    let _ = shared.reload.send(generation);
    // The previous site is freed only after readers were told about the new one.
    drop(retired);
    generation
}

fn publish_error(shared: &Shared, overlay: Overlay) {
    let generation = match shared.served.write() {
        Ok(mut served) => {
            served.generation += 1;
            served.overlay = Some(overlay);
            served.generation
        }
        Err(_) => 0,
    };
    let _ = shared.reload.send(generation);
}

/// Starts the server and blocks, reporting events through `report`, until the process ends.
pub fn run(options: &ServeOptions, mut report: impl FnMut(ServeEvent)) -> Result<(), ServeError> {
    let handle = start(options)?;
    loop {
        match handle.rebuilt.recv() {
            Ok(event) => report(event),
            Err(_) => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::site_options;

    #[test]
    fn absolute_urls_name_an_address_a_browser_can_open() {
        let base = |addr: &str| site_options(addr.parse().expect("address"), false).base_url;
        assert_eq!(
            base("127.0.0.1:1111").as_deref(),
            Some("http://127.0.0.1:1111/")
        );
        assert_eq!(
            base("0.0.0.0:1111").as_deref(),
            Some("http://127.0.0.1:1111/")
        );
        assert_eq!(base("[::]:8080").as_deref(), Some("http://[::1]:8080/"));
        assert_eq!(
            base("192.0.2.7:1111").as_deref(),
            Some("http://192.0.2.7:1111/")
        );
    }
}

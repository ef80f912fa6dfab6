//! The preview server's HTTP side: every response comes from the in-memory output (no file
//! is ever read from disk, so `..`, encoded traversal and symlinks cannot reach outside the
//! site), with the right content type, `Cache-Control: no-store`, HEAD support, the
//! language's own 404 page, and the live-reload script injected into HTML.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::Shared;

/// Where the live-reload machinery lives; never a path a site can produce.
const LIVE_PREFIX: &str = "/__planguide/";
const LIVE_JS: &str = include_str!("live.js");

/// What every path shows while the site has never built (started broken): the live script
/// added to it puts the errors over it and reloads once the site builds.
const NOTHING_BUILT: &[u8] = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>planguide serve</title></head><body><p>Nothing to show yet: the site does not build. The errors are listed over this page, which reloads once they are fixed.</p></body></html>\n";

/// Runs the server until `shutdown` fires.
pub(super) fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async move {
        if listener.set_nonblocking(true).is_err() {
            return;
        }
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        let on_loopback = listener.local_addr().is_ok_and(|a| a.ip().is_loopback());
        let mut app = Router::new()
            .route("/__planguide/events", get(events))
            .route("/__planguide/live.js", get(live_js))
            .route("/__planguide/status", get(status))
            .fallback(site_file)
            .with_state(shared);
        if on_loopback {
            app = app.layer(axum::middleware::from_fn(loopback_names_only));
        }
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = shutdown.await;
            })
            .await;
    });
}

/// A page on another site can point a name of its own at 127.0.0.1 (DNS rebinding) and read
/// the preview through the editor's browser; a server on loopback therefore answers only
/// requests addressed to a loopback name (`localhost`, `127.0.0.1`, `[::1]`). A request
/// without `Host` (HTTP/1.0 tools) is let through.
async fn loopback_names_only(request: Request, next: axum::middleware::Next) -> Response {
    let allowed = match request.headers().get(header::HOST) {
        None => true,
        Some(host) => host.to_str().is_ok_and(is_loopback_host),
    };
    if allowed {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        "planguide serve answers only requests for localhost, 127.0.0.1 or [::1]\n",
    )
        .into_response()
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), or a
/// loopback address, with or without a port.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A sanitised request path: no `..` or `.` segments, backslashes, NUL or control bytes
/// after percent-decoding. `None` means "bad request".
pub(crate) fn clean_path(raw: &str) -> Option<String> {
    // Site paths never contain `%` (slugs forbid it), so one left after decoding means a
    // double encoding or bytes that are not UTF-8: refuse both.
    let decoded = crate::check::percent_decode(raw);
    if decoded.contains('%') {
        return None;
    }
    let bad = decoded.contains(['\\', '\0'])
        || decoded.chars().any(char::is_control)
        || !decoded.starts_with('/');
    let traversal = decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".");
    if bad || traversal {
        None
    } else {
        Some(decoded)
    }
}

/// The output file for a clean path (`/zh/` → `zh/index.html`).
fn output_key(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Content type by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>, head: bool) -> Response {
    let length = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn site_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "GET and HEAD only\n");
    }
    let Some(path) = clean_path(request.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    if path.starts_with(LIVE_PREFIX) {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    let key = output_key(&path);
    let found = if crate::search::is_index_file(&key) {
        // Building the index takes a while: keep it off the async workers.
        let (shared, key) = (shared.clone(), key.clone());
        tokio::task::spawn_blocking(move || lookup(&shared, &key))
            .await
            .ok()
            .flatten()
    } else {
        lookup(&shared, &key)
    };
    if let Some(bytes) = found {
        return respond(StatusCode::OK, &key, decorate(&shared, &key, bytes), head);
    }
    if !path.ends_with('/') && lookup(&shared, &format!("{key}/index.html")).is_some() {
        let mut response = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
        if let Ok(location) = HeaderValue::from_str(&format!("/{key}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    let not_found = not_found_page(&shared, &key);
    let bytes = lookup(&shared, &not_found).unwrap_or_else(|| {
        let never_built = shared.served.read().is_ok_and(|s| s.last_good.is_none());
        let text: &[u8] = if never_built {
            NOTHING_BUILT
        } else {
            b"not found\n"
        };
        text.to_vec()
    });
    respond(
        StatusCode::NOT_FOUND,
        &not_found,
        decorate(&shared, &not_found, bytes),
        head,
    )
}

/// The 404 page of the language the path starts with, else the root one.
fn not_found_page(shared: &Shared, key: &str) -> String {
    let first = key.split('/').next().unwrap_or("");
    let candidate = format!("{first}/404.html");
    if key.contains('/') && lookup(shared, &candidate).is_some() {
        candidate
    } else {
        "404.html".to_string()
    }
}

fn lookup(shared: &Shared, key: &str) -> Option<Vec<u8>> {
    let served = shared.served.read().ok()?;
    if let Some(bytes) = served.output.get(key) {
        return Some(bytes.to_vec());
    }
    let is_search = crate::search::is_index_file(key);
    drop(served);
    if is_search {
        return search_file(shared, key);
    }
    None
}

/// Search indexes are built on the first request after a rebuild, not on every rebuild.
fn search_file(shared: &Shared, key: &str) -> Option<Vec<u8>> {
    let _one_at_a_time = shared.search_lock.lock().ok()?;
    let (compilation, existing, previous) = {
        let served = shared.served.read().ok()?;
        (
            served.last_good.clone()?,
            served.search.clone(),
            served.previous_search.clone(),
        )
    };
    let files = match existing {
        Some(files) => files,
        None => {
            let built = Arc::new(crate::pipeline::search_files(
                &compilation.site,
                &compilation.bodies,
                &compilation.i18n,
            ));
            if let Ok(mut served) = shared.served.write() {
                if served
                    .last_good
                    .as_ref()
                    .is_some_and(|c| Arc::ptr_eq(c, &compilation))
                {
                    served.search = Some(built.clone());
                }
            }
            built
        }
    };
    files.get(key).cloned().or_else(|| {
        // `meta.json` always comes from the current index; shards of the previous one keep
        // working for a reader whose query started before the rebuild.
        let is_meta = key.ends_with("/meta.json");
        previous.filter(|_| !is_meta)?.get(key).cloned()
    })
}

/// HTML gets the live-reload script (and, while the build is broken, the error overlay).
fn decorate(shared: &Shared, key: &str, bytes: Vec<u8>) -> Vec<u8> {
    if !key.ends_with(".html") {
        return bytes;
    }
    let generation = shared.served.read().map(|s| s.generation).unwrap_or(0);
    let snippet = format!(
        "<script src=\"{LIVE_PREFIX}live.js\" data-generation=\"{generation}\" defer></script>"
    );
    let mut html = bytes;
    let at = memchr::memmem::rfind(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, snippet.into_bytes());
    html
}

async fn live_js() -> Response {
    respond(
        StatusCode::OK,
        "live.js",
        LIVE_JS.as_bytes().to_vec(),
        false,
    )
}

/// Current generation and overlay, for the live script's first paint and for tests.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let body = match shared.served.read() {
        Ok(served) => {
            serde_json::json!({ "generation": served.generation, "overlay": served.overlay })
                .to_string()
        }
        Err(_) => "{}".to_string(),
    };
    respond(StatusCode::OK, "status.json", body.into_bytes(), false)
}

/// Server-Sent Events: `reload` after a good rebuild, `failed` (with the overlay JSON) after
/// a broken one.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.reload.subscribe();
    let stopping = shared.stopping.subscribe();
    let stream = futures_util::stream::unfold(
        (receiver, stopping, shared),
        |(mut receiver, mut stopping, shared)| async move {
            loop {
                let received = tokio::select! {
                    received = receiver.recv() => received,
                    _ = stopping.wait_for(|stop| *stop) => return None,
                };
                match received {
                    Ok(generation) => {
                        let overlay = shared.served.read().ok().and_then(|s| s.overlay.clone());
                        let event = match overlay {
                            Some(overlay) => Event::default()
                                .event("failed")
                                .id(generation.to_string())
                                .data(serde_json::to_string(&overlay).unwrap_or_default()),
                            None => Event::default()
                                .event("reload")
                                .id(generation.to_string())
                                .data(generation.to_string()),
                        };
                        return Some((Ok(event), (receiver, stopping, shared)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised_with_or_without_port() {
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "app.localhost:80",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "[2001:db8::1]:80",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn rejects_traversal_and_odd_bytes() {
        for bad in [
            "/../etc/passwd",
            "/zh/../../x",
            "/%2e%2e/x",
            "/a/%2E%2E/b",
            "/a\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/./x",
            "/%252e%252e/x",
            "/%ff/%2e%2e/x",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(
            clean_path("/zh/%E7%BB%AD%E8%B4%B9/").as_deref(),
            Some("/zh/续费/")
        );
        assert_eq!(clean_path("/zh/qatar/").as_deref(), Some("/zh/qatar/"));
    }

    #[test]
    fn maps_paths_and_types() {
        assert_eq!(output_key("/"), "index.html");
        assert_eq!(output_key("/zh/qatar/"), "zh/qatar/index.html");
        assert_eq!(content_type("a/b.woff2"), "font/woff2");
        assert_eq!(content_type("x.HTML"), "text/html; charset=utf-8");
    }
}

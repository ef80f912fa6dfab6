//! `planguide serve`: pages in both languages, edits served fresh with a reload event,
//! traversal attempts refused, broken files shown in an overlay while the last good site
//! stays up, and the differential test: incremental rebuilds equal fresh full builds.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use planguide::serve::{ServeEvent, ServeOptions, ServerHandle};

use crate::harness::TestSite;
use crate::tools::{get, header};

const WAIT: Duration = Duration::from_secs(20);

/// Options serving `site` on a free loopback port.
pub fn loopback_options(site: &TestSite) -> ServeOptions {
    ServeOptions {
        root: site.root().to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        drafts: false,
    }
}

/// Serves `site` on a free port once its first build is done.
pub fn start(site: &TestSite) -> ServerHandle {
    let options = loopback_options(site);
    let server = planguide::serve::start(&options).unwrap_or_else(|e| panic!("serve: {e}"));
    assert!(matches!(
        server.next_event(WAIT),
        Some(ServeEvent::Listening { exposed: false, .. })
    ));
    assert!(matches!(
        server.next_event(WAIT),
        Some(ServeEvent::Rebuilt(_))
    ));
    server
}

/// Waits for the rebuild that saw `path` change (events are the server's own signal).
fn wait_for_change(server: &ServerHandle, path: &str) -> ServeEvent {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = server
            .next_event(left)
            .unwrap_or_else(|| panic!("no rebuild for {path}"));
        let changed = match &event {
            ServeEvent::Rebuilt(summary) => &summary.changed,
            ServeEvent::Failed { changed, .. } => changed,
            ServeEvent::Listening { .. } => continue,
        };
        if changed.iter().any(|c| c == path) {
            return event;
        }
    }
}

fn body(server: &ServerHandle, path: &str) -> (u16, String) {
    let (status, _, bytes) = get(server.address().port(), path);
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// A raw Server-Sent Events client; returns the next event name.
struct Events(BufReader<TcpStream>);

impl Events {
    fn connect(server: &ServerHandle) -> Events {
        let mut stream = TcpStream::connect(server.address()).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /__planguide/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events(reader)
    }

    fn next(&mut self) -> (String, String) {
        let mut name = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.0.read_line(&mut line).unwrap() > 0,
                "event stream closed"
            );
            let text = line.trim_end();
            if let Some(event) = text.strip_prefix("event: ") {
                name = event.to_string();
            } else if let Some(data) = text.strip_prefix("data: ") {
                if !name.is_empty() {
                    return (name, data.to_string());
                }
            }
        }
    }
}

#[test]
fn serves_both_languages_and_an_edit_reaches_the_browser() {
    let site = TestSite::example();
    let server = start(&site);
    let (status, zh) = body(&server, "/zh/qatar/renew-phone/");
    assert_eq!(status, 200);
    assert!(zh.contains("<html lang=\"zh-CN\"") && zh.contains("/__planguide/live.js"));
    let (status, en) = body(&server, "/en/qatar/renew-phone/");
    assert_eq!(status, 200);
    assert!(en.contains("Renew by phone in Qatar"));
    assert!(!site.public().exists(), "serve never writes public/");

    let mut events = Events::connect(&server);
    let site = site.save_edit(
        "content/qatar/renew-phone.en.md",
        "Renewing by phone needs",
        "Renewing by phone (live edit) needs",
    );
    let ServeEvent::Rebuilt(summary) = wait_for_change(&server, "content/qatar/renew-phone.en.md")
    else {
        panic!("rebuild failed")
    };
    assert_eq!(
        summary.stats.rendered, 1,
        "only the edited page re-renders: {summary}"
    );
    assert!(body(&server, "/en/qatar/renew-phone/")
        .1
        .contains("(live edit)"));
    assert_eq!(events.next().0, "reload");
    drop(site);
}

#[test]
fn a_plan_edit_re_renders_only_the_pages_showing_that_plan() {
    let site = TestSite::example();
    let server = start(&site);
    let _site = site.save_edit(
        "content/japan/plans.yaml",
        "amount: \"3000\"",
        "amount: \"3100\"",
    );
    let ServeEvent::Rebuilt(summary) = wait_for_change(&server, "content/japan/plans.yaml") else {
        panic!("rebuild failed")
    };
    let japan_pages = _site.source("content/japan/plans.yaml");
    assert!(japan_pages.contains("3100"));
    assert!(
        summary.stats.rendered > 0 && summary.stats.rendered < 20,
        "{summary}"
    );
    assert!(summary.stats.reused > 25, "{summary}");
    assert!(body(&server, "/en/japan/renew-online/").1.contains("3,100"));
}

/// Pages reach static files through asset(): a new image re-renders no page, a stylesheet
/// edit (a new fingerprinted URL) re-renders every page, and both are served.
#[test]
fn a_static_file_change_re_renders_only_the_pages_that_use_it() {
    let site = TestSite::example();
    let server = start(&site);
    let site = site.save(
        "themes/default/static/new.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let ServeEvent::Rebuilt(summary) = wait_for_change(&server, "themes/default/static/new.svg")
    else {
        panic!("rebuild failed")
    };
    assert_eq!(summary.stats.rendered, 0, "{summary}");
    assert_eq!(body(&server, "/new.svg").0, 200);
    let css = "themes/default/static/css/style.css";
    let styled = format!("{}\n.x{{color:red}}\n", site.source(css));
    let site = site.save(css, &styled);
    let ServeEvent::Rebuilt(summary) = wait_for_change(&server, css) else {
        panic!("rebuild failed")
    };
    assert!(
        summary.stats.rendered > 40,
        "every page names the new CSS: {summary}"
    );
    assert!(body(&server, "/en/").1.contains("/css/style."));
    drop(site);
}

#[test]
fn traversal_attempts_never_reach_files_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-OUTSIDE").unwrap();
    let site = TestSite::example();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, site.root().join("static/leak.txt")).unwrap();
    let server = start(&site);
    for path in [
        "/../site.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/zh/..%2f..%2fsite.yaml",
        "/zh/%2E%2E/%2E%2E/site.yaml",
        "/a%5c..%5c..%5csite.yaml",
        "/zh/%00",
        "/leak.txt",
        "/static/leak.txt",
        "/%252e%252e/site.yaml",
    ] {
        let (status, text) = body(&server, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !text.contains("TOP-SECRET")
                && !text.contains("default_language")
                && !text.contains("root:"),
            "{path} leaked"
        );
    }
}

/// Every kind of file a site ships is served with its content type.
#[test]
fn files_are_served_with_their_content_types() {
    let mut site = TestSite::example();
    let expected = [
        ("svg", "image/svg+xml"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("webp", "image/webp"),
        ("ico", "image/x-icon"),
        ("json", "application/json"),
        ("xml", "application/xml"),
        ("txt", "text/plain; charset=utf-8"),
        ("woff2", "font/woff2"),
    ];
    for (extension, _) in expected {
        site = site.file(&format!("static/types/file.{extension}"), "x");
    }
    let server = start(&site);
    let port = server.address().port();
    let served = server.served().unwrap();
    let shipped = |prefix: &str, suffix: &str| {
        let key = served
            .files
            .keys()
            .find(|k| k.starts_with(prefix) && k.ends_with(suffix));
        format!("/{}", key.unwrap_or_else(|| panic!("no {prefix}…{suffix}")))
    };
    let mut paths: Vec<(String, &str)> = expected
        .iter()
        .map(|(extension, kind)| (format!("/types/file.{extension}"), *kind))
        .collect();
    paths.push(("/en/".into(), "text/html; charset=utf-8"));
    paths.push((shipped("css/", ".css"), "text/css; charset=utf-8"));
    paths.push((shipped("js/", ".js"), "text/javascript; charset=utf-8"));
    for (path, kind) in paths {
        let (status, headers, _) = get(port, &path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "content-type"), kind, "{path}");
    }
}

#[test]
fn unknown_paths_get_their_language_404_and_headers_are_right() {
    let site = TestSite::example();
    let server = start(&site);
    let port = server.address().port();
    for (path, locale) in [("/zh/no-such/", "zh-CN"), ("/en/no-such/", "en")] {
        let (status, headers, bytes) = get(port, path);
        assert_eq!(status, 404);
        assert!(String::from_utf8_lossy(&bytes).contains(&format!("<html lang=\"{locale}\"")));
        assert!(headers
            .iter()
            .any(|(k, v)| k == "cache-control" && v == "no-store"));
    }
    let css = planguide::serve::ServerHandle::served(&server)
        .unwrap()
        .files
        .keys()
        .find(|k| k.starts_with("css/style."))
        .cloned()
        .unwrap();
    let (status, headers, _) = get(port, &format!("/{css}"));
    assert_eq!(status, 200);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("text/css")));
    let mut stream = TcpStream::connect(server.address()).unwrap();
    write!(stream, "HEAD /en/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(response.to_ascii_lowercase().contains("content-length: "));
    assert!(response.ends_with("\r\n\r\n"), "HEAD has no body");
    // A page elsewhere that rebinds its own name to 127.0.0.1 gets nothing.
    let mut stream = TcpStream::connect(server.address()).unwrap();
    write!(
        stream,
        "GET /en/ HTTP/1.0\r\nHost: evil.example:{port}\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.contains(" 421 "), "{response}");
    assert!(!response.contains("<html"), "{response}");
}

#[test]
fn a_broken_file_shows_the_overlay_and_the_last_good_site_stays_up() {
    let site = TestSite::example();
    let server = start(&site);
    let mut events = Events::connect(&server);
    let good = site.source("content/qatar/renew-phone.en.md");
    let site = site.file(
        "content/qatar/renew-phone.en.md",
        &good.replacen("kind: renewal", "kind: renewal\nauthor: nobody", 1),
    );
    assert!(matches!(
        wait_for_change(&server, "content/qatar/renew-phone.en.md"),
        ServeEvent::Failed { .. }
    ));
    let (name, data) = events.next();
    assert_eq!(name, "failed");
    assert!(
        data.contains("content/qatar/renew-phone.en.md") && data.contains("author"),
        "{data}"
    );
    let (status, page) = body(&server, "/en/qatar/renew-phone/");
    assert_eq!(status, 200, "last good page still served");
    assert!(page.contains("Renew by phone in Qatar"));
    let status = body(&server, "/__planguide/status").1;
    assert!(status.contains("\"line\":"), "{status}");

    let _site = site.file("content/qatar/renew-phone.en.md", &good);
    // A write can reach the watcher in two parts (truncate, then the text), so a second
    // failure for the broken text may still be queued: wait for the rebuild, not the next event.
    let deadline = Instant::now() + WAIT;
    while !matches!(
        wait_for_change(&server, "content/qatar/renew-phone.en.md"),
        ServeEvent::Rebuilt(_)
    ) {
        assert!(Instant::now() < deadline, "fixing the file did not rebuild");
    }
    let mut next = events.next().0;
    while next == "failed" {
        next = events.next().0;
    }
    assert_eq!(next, "reload");
    assert!(body(&server, "/__planguide/status")
        .1
        .contains("\"overlay\":null"));
}

/// Started on a site that does not build, the server still comes up: every page is a
/// placeholder carrying the live script and the overlay's errors, and the first good
/// rebuild replaces it with the site.
#[test]
fn a_site_broken_at_start_is_served_with_the_overlay_until_fixed() {
    let site = TestSite::example().edit(
        "content/qatar/renew-phone.en.md",
        "kind: renewal",
        "kind: renewal\nauthor: nobody",
    );
    let options = loopback_options(&site);
    let server = planguide::serve::start(&options).expect("serves a broken site too");
    assert!(matches!(
        server.next_event(WAIT),
        Some(ServeEvent::Listening { .. })
    ));
    let Some(ServeEvent::Failed { changed, .. }) = server.next_event(WAIT) else {
        panic!("the first build fails")
    };
    assert!(changed.is_empty());
    let (status, page) = body(&server, "/en/qatar/renew-phone/");
    assert_eq!(status, 404);
    assert!(
        page.contains("the site does not build") && page.contains("/__planguide/live.js"),
        "{page}"
    );
    let status = body(&server, "/__planguide/status").1;
    assert!(
        status.contains("content/qatar/renew-phone.en.md") && status.contains("author"),
        "{status}"
    );
    let _site = site.save_edit("content/qatar/renew-phone.en.md", "\nauthor: nobody", "");
    let ServeEvent::Rebuilt(_) = wait_for_change(&server, "content/qatar/renew-phone.en.md") else {
        panic!("fixing the file did not rebuild")
    };
    let (status, page) = body(&server, "/en/qatar/renew-phone/");
    assert_eq!(status, 200);
    assert!(page.contains("Renew by phone in Qatar"));
    assert!(body(&server, "/__planguide/status")
        .1
        .contains("\"overlay\":null"));
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let site = TestSite::example();
    let options = ServeOptions {
        port: taken.local_addr().unwrap().port(),
        ..loopback_options(&site)
    };
    let error = planguide::serve::start(&options)
        .err()
        .expect("port is taken")
        .to_string();
    assert!(
        error.contains("already in use") && error.contains("--port"),
        "{error}"
    );
}

#[test]
fn a_save_through_a_temporary_file_and_rename_is_picked_up() {
    let site = TestSite::example();
    let server = start(&site);
    let target = site.root().join("content/qatar/renew-online.en.md");
    let temporary = site.root().join("content/qatar/.renew-online.en.md.swp");
    let text = std::fs::read_to_string(&target)
        .unwrap()
        .replace("## Steps", "Saved the editor way.\n\n## Steps");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &target).unwrap();
    assert!(matches!(
        wait_for_change(&server, "content/qatar/renew-online.en.md"),
        ServeEvent::Rebuilt(_)
    ));
    assert!(body(&server, "/en/qatar/renew-online/")
        .1
        .contains("Saved the editor way."));
}

/// Renaming a page works without a restart: the link to its old name is reported, and once
/// it is fixed the page is served under its new URL only.
#[test]
fn a_renamed_page_moves_to_its_new_url() {
    let site = TestSite::example();
    let server = start(&site);
    assert_eq!(body(&server, "/zh/glossary/").0, 200);
    std::fs::rename(
        site.root().join("content/glossary.zh.md"),
        site.root().join("content/terms.zh.md"),
    )
    .unwrap();
    let ServeEvent::Failed { diagnostics, .. } = wait_for_change(&server, "content/terms.zh.md")
    else {
        panic!("the link to the old name is broken")
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == "broken-link" && d.file == "content/about.zh.md"),
        "{diagnostics:?}"
    );
    let _site = site.save_edit("content/about.zh.md", "@/glossary.md", "@/terms.md");
    let ServeEvent::Rebuilt(_) = wait_for_change(&server, "content/about.zh.md") else {
        panic!("fixing the link did not rebuild")
    };
    assert_eq!(body(&server, "/zh/terms/").0, 200);
    assert_eq!(body(&server, "/zh/glossary/").0, 404);
    assert!(body(&server, "/zh/about/").1.contains("/zh/terms/"));
}

/// A reader whose query started before a rebuild asks for the previous index's shards by
/// name; they are still served, while `meta.json` always describes the current index.
#[test]
fn shards_of_the_index_before_a_rebuild_are_still_served() {
    let site = TestSite::example();
    let server = start(&site);
    let id_of = |server: &ServerHandle| -> String {
        let (status, meta) = body(server, "/en/search/meta.json");
        assert_eq!(status, 200, "{meta}");
        let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta.json");
        meta["id"].as_str().expect("id").to_string()
    };
    let old = id_of(&server);
    let old_shard = format!("/search/en/p0.{old}.bin");
    assert_eq!(body(&server, &old_shard).0, 200);

    let site = site.save_edit(
        "content/qatar/renew-phone.en.md",
        "Renewing by phone needs",
        "Renewing by phone (edited) needs",
    );
    wait_for_change(&server, "content/qatar/renew-phone.en.md");
    let new = id_of(&server);
    assert_ne!(new, old, "the edit changes the index");
    assert_eq!(body(&server, &format!("/search/en/p0.{new}.bin")).0, 200);
    assert_eq!(
        body(&server, &old_shard).0,
        200,
        "a query that began before the rebuild can finish"
    );
    assert_eq!(body(&server, "/search/en/p0.0000000000.bin").0, 404);
    drop(site);
}

/// The terminal side of `planguide serve`: where it listens and whether that is private,
/// then one line per rebuild naming what changed, the pages re-rendered and the time.
#[test]
fn the_terminal_says_where_it_serves_and_prints_one_line_per_rebuild() {
    let site = TestSite::example();
    let (mut child, lines) = spawn_serve(&site, &[]);
    let next = || {
        lines
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("serve printed nothing"))
    };
    let serving = next();
    assert!(
        serving.starts_with("serving on http://127.0.0.1:")
            && serving.contains("public/ is not touched"),
        "{serving}"
    );
    let private = next();
    assert!(private.contains("127.0.0.1 only"), "{private}");
    let initial = next();
    assert!(
        initial.starts_with("initial build: ")
            && initial.contains(" page(s) re-rendered, 0 reused, in "),
        "{initial}"
    );
    let edited = site.save_edit(
        "content/qatar/renew-phone.en.md",
        "Renewing by phone needs",
        "Renewing by phone (terminal) needs",
    );
    let rebuilt = next();
    child.kill().ok();
    child.wait().ok();
    let shape = rebuilt
        .strip_prefix("content/qatar/renew-phone.en.md changed: 1 page(s) re-rendered, ")
        .and_then(|rest| rest.split_once(" reused, in "))
        .is_some_and(|(reused, time)| reused.parse::<usize>().is_ok() && time.ends_with(" ms"));
    assert!(shape, "{rebuilt}");

    let (mut exposed, lines) = spawn_serve(&edited, &["--bind", "0.0.0.0"]);
    let first = lines.recv_timeout(WAIT).unwrap_or_default();
    let warning = lines.recv_timeout(WAIT).unwrap_or_default();
    exposed.kill().ok();
    exposed.wait().ok();
    assert!(first.starts_with("serving on http://0.0.0.0:"), "{first}");
    assert!(
        warning.starts_with("warning: listening on 0.0.0.0 exposes the preview"),
        "{warning}"
    );
}

/// Starts the binary's `serve` on a free port; its standard error arrives line by line.
fn spawn_serve(
    site: &TestSite,
    extra: &[&str],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_planguide"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(site.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run planguide serve");
    let stderr = child.stderr.take().expect("stderr");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    (child, receive)
}

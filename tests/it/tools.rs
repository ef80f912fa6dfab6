//! Suites that drive real tools: nginx serving `public/` with the README's configuration,
//! the W3C Nu HTML Checker, and xmllint. They skip (with a note) when a tool is missing,
//! unless PLANGUIDE_REQUIRE_TOOLS=1, which CI sets after `scripts/install-test-deps.sh`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{repo_root, TestSite};

/// The path of a tool, or `None` to skip; panics when tools are required.
pub fn tool(path: &str) -> Option<PathBuf> {
    let candidate = PathBuf::from(path);
    let found = if candidate.is_absolute() || path.contains('/') {
        candidate.exists().then_some(candidate)
    } else {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(path))
                .find(|p| p.is_file())
        })
    };
    if found.is_none() {
        assert!(
            std::env::var("PLANGUIDE_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{path} is required (run scripts/install-test-deps.sh)"
        );
        eprintln!("skipping: {path} is not installed (scripts/install-test-deps.sh installs it)");
    }
    found
}

/// The nginx server block documented in README, between the nginx-config markers.
fn readme_nginx_block() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let start = readme
        .find("<!-- nginx-config:start -->")
        .expect("start marker");
    let end = readme
        .find("<!-- nginx-config:end -->")
        .expect("end marker");
    let block = &readme[start..end];
    let code_start = block.find("```nginx\n").expect("nginx fence") + "```nginx\n".len();
    let code_end = block[code_start..].find("```").expect("closing fence") + code_start;
    block[code_start..code_end].to_string()
}

struct Nginx {
    child: Child,
    port: u16,
}

impl Drop for Nginx {
    /// SIGTERM lets the master stop its workers; SIGKILL would orphan them.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn start_nginx(nginx: &Path, public: &Path, work: &Path) -> Nginx {
    let port = free_port();
    let server = readme_nginx_block()
        .replace("/srv/site/public", public.to_str().expect("utf-8 path"))
        .replace(
            "listen 127.0.0.1:8080;",
            &format!("listen 127.0.0.1:{port};"),
        );
    let user = if Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false)
    {
        "user root;\n"
    } else {
        ""
    };
    let config = format!(
        "{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\nhttp {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n access_log off;\n client_body_temp_path {work}/body;\n proxy_temp_path {work}/proxy;\n fastcgi_temp_path {work}/fastcgi;\n uwsgi_temp_path {work}/uwsgi;\n scgi_temp_path {work}/scgi;\n{server}\n}}\n",
        work = work.display()
    );
    let conf = work.join("nginx.conf");
    std::fs::write(&conf, config).expect("write conf");
    let child = Command::new(nginx)
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(work)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(work.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Nginx { child, port }
}

/// A minimal HTTP/1.0 GET: status, headers (lower-cased names), body.
pub fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, response[split + 4..].to_vec())
}

const IMMUTABLE: &str = planguide::render::deploy::IMMUTABLE;

/// The value of a response header (lower-case name), or "" when absent.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn nginx_serves_the_site_with_the_documented_configuration() {
    let Some(nginx) = tool("/usr/sbin/nginx") else {
        return;
    };
    // An image fingerprinted through asset() as well as the theme's CSS and JS.
    let site = TestSite::example()
        .file("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}<img src=\"{{ asset(path='img/logo.svg') }}\" alt=\"logo\">{{ page.content | safe }}{% endblock main %}\n");
    site.build_ok();
    let work = tempfile::tempdir().unwrap();
    let server = start_nginx(&nginx, &site.public(), work.path());
    let port = server.port;

    let sitemap = site.output("sitemap.xml");
    let mut pages = 0;
    for loc in sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
    {
        let path = loc.trim_start_matches("https://guides.example.com");
        let (status, headers, _) = get(port, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&headers, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert!(
            header(&headers, "cache-control").contains("must-revalidate"),
            "{path}"
        );
        pages += 1;
    }
    assert!(pages >= 40);

    for (lang, locale) in [("zh", "zh-CN"), ("en", "en")] {
        let (status, _, body) = get(port, &format!("/{lang}/no/such/page/"));
        assert_eq!(status, 404);
        assert!(
            String::from_utf8_lossy(&body).contains(&format!("<html lang=\"{locale}\"")),
            "{lang} 404 page"
        );
    }
    let (status, _, _) = get(port, "/nowhere");
    assert_eq!(status, 404);

    let css = site
        .output_files()
        .into_iter()
        .find(|f| f.starts_with("css/style."))
        .expect("css");
    let (status, headers, _) = get(port, &format!("/{css}"));
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "cache-control"), IMMUTABLE);
    assert!(header(&headers, "content-type").starts_with("text/css"));

    // Every file `_headers` marks immutable (CSS, JS, any asset fingerprinted through
    // asset()) is immutable from nginx too: the two rule sets agree.
    let rules = site.output("_headers");
    let mut lines = rules.lines().peekable();
    let mut immutable = 0;
    while let Some(line) = lines.next() {
        let rule = lines.peek().copied().unwrap_or("");
        if line.starts_with('/') && !line.contains('*') && rule.contains("immutable") {
            let (status, headers, _) = get(port, line);
            assert_eq!(status, 200, "{line}");
            assert_eq!(header(&headers, "cache-control"), IMMUTABLE, "{line}");
            immutable += 1;
        }
    }
    assert!(immutable >= 3, "{rules}");

    // Search index: meta.json revalidates, the content-named shards are immutable.
    let (status, headers, meta) = get(port, "/zh/search/meta.json");
    assert_eq!(status, 200);
    assert!(header(&headers, "cache-control").contains("must-revalidate"));
    let meta: serde_json::Value = serde_json::from_slice(&meta).expect("meta.json");
    let shard = format!("/search/zh/p0.{}.bin", meta["id"].as_str().expect("id"));
    let (status, headers, _) = get(port, &shard);
    assert_eq!(status, 200, "{shard}");
    assert_eq!(header(&headers, "cache-control"), IMMUTABLE);
    assert_eq!(get(port, "/search/zh/p0.0000000000.bin").0, 404);

    let (status, headers, _) = get(port, "/en/qatar/phone-renewal/");
    assert_eq!(status, 301);
    assert!(header(&headers, "location").ends_with("/en/qatar/renew-phone/"));

    let (status, headers, _) = get(port, "/sitemap.xml");
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").contains("xml"));
    let (status, _, _) = get(port, "/.planguide/manifest.json");
    assert_eq!(status, 404, "build metadata is not served");
    let (status, headers, _) = get(port, "/");
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/html"));
}

#[test]
fn generated_html_passes_the_nu_html_checker() {
    let jar = repo_root().join("tests/tools/node_modules/vnu-jar/build/dist/vnu.jar");
    let (Some(java), Some(jar)) = (tool("java"), tool(jar.to_str().unwrap())) else {
        return;
    };
    let site = TestSite::example();
    site.build_ok();
    let output = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(site.public())
        .output()
        .expect("run vnu");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "Nu HTML Checker errors:\n{report}"
    );
}

#[test]
fn sitemap_and_feeds_are_well_formed_xml() {
    let Some(xmllint) = tool("xmllint") else {
        return;
    };
    let site = TestSite::example();
    site.build_ok();
    for file in ["sitemap.xml", "zh/atom.xml", "en/atom.xml"] {
        let output = Command::new(&xmllint)
            .arg("--noout")
            .arg(site.public().join(file))
            .output()
            .expect("xmllint");
        assert!(
            output.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Past its URL limit the sitemap becomes an index of parts that together list every URL
/// of the single sitemap once, each part within the limit and well-formed XML.
#[test]
fn a_sitemap_past_its_limit_becomes_an_index_of_well_formed_parts() {
    use planguide::render::sitemap;
    let site = TestSite::example();
    let tree = planguide::pipeline::load(site.root()).expect("loads");
    let compiled = planguide::pipeline::compile_full(&tree, &Default::default()).expect("compiles");
    let locs = |xml: &str| -> Vec<String> {
        xml.split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .map(str::to_string)
            .collect()
    };
    let single = sitemap::render(&compiled.site);
    let mut every_url = locs(&single["sitemap.xml"]);
    let limit = 10;
    let split = sitemap::render_with_limit(&compiled.site, limit);
    let parts = sitemap::part_names_with_limit(&compiled.site, limit);
    assert!(parts.len() > 1, "{parts:?}");
    let index = &split["sitemap.xml"];
    assert!(index.contains("<sitemapindex"), "{index}");
    let listed: Vec<String> = parts
        .iter()
        .map(|p| format!("https://guides.example.com/{p}"))
        .collect();
    assert_eq!(locs(index), listed);
    let mut from_parts = Vec::new();
    for part in &parts {
        let urls = locs(&split[part]);
        assert!(!urls.is_empty() && urls.len() <= limit, "{part}: {urls:?}");
        from_parts.extend(urls);
    }
    every_url.sort();
    from_parts.sort();
    assert_eq!(from_parts, every_url);
    assert!(sitemap::part_names(&compiled.site).is_empty());
    let Some(xmllint) = tool("xmllint") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, xml) in split.iter().filter(|(name, _)| name.ends_with(".xml")) {
        let path = dir.path().join(name);
        std::fs::write(&path, xml).expect("write");
        let output = Command::new(&xmllint).arg("--noout").arg(&path).output();
        let output = output.expect("xmllint");
        assert!(output.status.success(), "{name}: {output:?}");
    }
}

//! Markdown rendering (`markdown::render`): GFM extensions, heading ids, task lists, code
//! highlighting, `@/` content links. An input that is a whole page (front matter + body) is
//! rendered the way the pipeline does it, from its body and body line; anything else is
//! rendered as a body starting on line 1.
#![no_main]

mod common;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use planguide::content::{normalize_text, Document};
use planguide::highlight::Highlighter;
use planguide::markdown::{self, Input, LinkResolver};

const FILE: &str = "content/qatar/renew-phone.zh.md";

/// Loaded once: syntect's syntax set is expensive and the pipeline shares one too.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

/// Resolves most content paths, and refuses some, so both branches are exercised.
struct Links;

impl LinkResolver for Links {
    fn resolve(&self, path: &str) -> Result<String, String> {
        if path.is_empty() || path.contains("missing") || path.len() % 3 == 0 {
            Err(format!("no page `{path}`"))
        } else {
            Ok(format!("/zh/{}/", path.trim_end_matches(".md")))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize_text(raw);
    let document = Document::parse(FILE, &text).ok();
    let parsed_body = document.as_ref().map(|doc| (doc.body(), doc.body_line));
    let (body, body_line) = match &parsed_body {
        Some((doc_body, line)) => (&**doc_body, *line),
        None => (&*text, 1),
    };
    let input = Input {
        file: FILE,
        body,
        body_line,
    };
    let (rendered, problems) = markdown::render(input, &Links, &HIGHLIGHTER);

    let last_line = body_line + body.matches('\n').count();
    for link in &rendered.links {
        assert!(
            (body_line..=last_line).contains(&link.line),
            "link line {} outside the body's lines {body_line}..={last_line}: {link:?}",
            link.line
        );
    }
    let mut ids = BTreeSet::new();
    for heading in &rendered.headings {
        assert!((1..=6).contains(&heading.level), "{heading:?}");
        assert!(!heading.id.is_empty(), "empty heading id: {heading:?}");
        assert!(
            ids.insert(heading.id.as_str()),
            "duplicate heading id: {heading:?}"
        );
    }
    assert!(
        rendered.checklist == 0 || rendered.html.contains("task-check"),
        "checklist counted but no checkbox rendered"
    );
    for problem in &problems {
        assert_eq!(problem.code, "broken-link", "{problem:?}");
        let line = problem.line.map_or(0, |l| l as usize);
        assert!((body_line..=last_line).contains(&line), "{problem:?}");
    }
    common::check_diagnostics(&problems, FILE, &text);
    // What search and descriptions do with the HTML next.
    let _ = markdown::plain_text(&rendered.html);
});

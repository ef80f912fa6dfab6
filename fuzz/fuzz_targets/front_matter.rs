//! Front matter + body split and validation (`Document::parse`), on text normalised the way
//! the pipeline does it (`normalize_text`: BOM, CRLF and lone CR).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use planguide::content::{normalize_text, Document};

const FILE: &str = "content/japan/buy-online.en.md";

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize_text(raw);
    assert!(!text.contains('\r'), "normalize_text left a CR");
    match Document::parse(FILE, &text) {
        Ok(doc) => {
            // `---`, zero or more YAML lines, `---`: the body starts on line 3 at the earliest
            // and at most one line past the end of the file.
            assert!(doc.body_line >= 3, "body_line {}", doc.body_line);
            common::assert_line_in_text(doc.body_line, &text, &"body_line");
            assert!(
                text.ends_with(&*doc.body()),
                "body is not the file's tail"
            );
            let front = &doc.front;
            assert!(!front.title.trim().is_empty(), "accepted an empty title");
            for located in front
                .plans
                .iter()
                .chain(&front.aliases)
                .chain(&front.country)
            {
                common::assert_line_in_text(located.line, &text, located);
            }
            for alias in &front.aliases {
                let value = &alias.value;
                assert!(
                    value.starts_with('/') && value.ends_with('/'),
                    "alias not normalised: {alias:?}"
                );
                assert!(
                    !value.split('/').any(|s| s == "." || s == ".."),
                    "alias escapes the output folder: {alias:?}"
                );
            }
            if let Some(slug) = &front.slug {
                assert!(!slug.value.contains('/'), "slug with a separator: {slug:?}");
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "rejected without a diagnostic");
            assert!(
                problems.iter().all(|d| d.is_error()),
                "rejected on a warning"
            );
            common::check_diagnostics(&problems, FILE, &text);
        }
    }
});

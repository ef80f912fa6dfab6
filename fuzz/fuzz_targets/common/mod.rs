//! Checks shared by the fuzz targets: what every diagnostic must look like, and that the
//! printers the CLI uses (`render_text` with source excerpts, `render_json`) cope with it.

#![allow(dead_code)]

use std::sync::Arc;

use planguide::error::{render_json, render_text, Diagnostics, SourceTexts};
use planguide::Diagnostic;

/// The number of lines an editor shows for `text` (a final `\n` does not start a new one).
pub fn line_count(text: &str) -> usize {
    text.lines().count()
}

/// A position may point at most one line past the last one (end of input).
pub fn assert_line_in_text(line: usize, text: &str, what: &dyn std::fmt::Debug) {
    let max = line_count(text) + 1;
    assert!(
        (1..=max).contains(&line),
        "line {line} is outside 1..={max} for {what:?}"
    );
}

/// Every diagnostic has a code and a message, a position (if any) inside `text`, and prints
/// without panicking, both as text with excerpts of `text` and as JSON.
pub fn check_diagnostics(diagnostics: &[Diagnostic], file: &str, text: &str) {
    for d in diagnostics {
        assert!(!d.code.is_empty(), "empty code: {d:?}");
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        match (d.line, d.column) {
            (Some(line), Some(column)) => {
                assert_line_in_text(line as usize, text, d);
                assert!(column >= 1, "column 0: {d:?}");
            }
            (None, None) => {}
            _ => panic!("line and column must come together: {d:?}"),
        }
        let shown = d.to_string();
        assert!(
            shown.contains(&d.message),
            "{shown:?} lost the message of {d:?}"
        );
    }
    let all: Diagnostics = diagnostics.iter().cloned().collect();
    let mut sources = SourceTexts::new();
    sources.insert(file.to_string(), Arc::from(text));
    let printed = render_text(&all, &sources);
    assert!(diagnostics.is_empty() || !printed.is_empty());
    let json = render_json(&all);
    assert!(json.starts_with('{') && json.ends_with('}'), "{json}");
}

//! Diagnostics: the one shape every user-facing problem takes (file, line, column, message,
//! hint), a collection that gathers them across the whole site before failing, and the two
//! printers (rustc-style text via codespan-reporting, and stable JSON for CI). No I/O here.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

/// How bad a diagnostic is; errors fail a build, warnings only fail `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build; the previous output stays in place.
    Error,
    /// Reported, but the site is still built.
    Warning,
}

/// One problem in the author's input, pointing at the file (relative to the site root) and,
/// where known, the 1-based line and column in that file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File relative to the site root, with `/` separators; empty for site-wide problems.
    pub file: String,
    /// 1-based line in `file`, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column in `file`, when the problem has a position.
    pub column: Option<u32>,
    /// A stable, kebab-case identifier of the kind of problem (documented in README).
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What the author can do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Starts an error about `file`; chain `at`, `hint` to add detail.
    pub fn error(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    /// Starts a warning about `file`.
    pub fn warning(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: impl AsRef<Path>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: display_path(file.as_ref()),
            line: None,
            column: None,
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Sets the 1-based position; a zero line means "unknown" and is ignored.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        if line > 0 {
            self.line = Some(u32::try_from(line).unwrap_or(u32::MAX));
            self.column = Some(u32::try_from(column.max(1)).unwrap_or(u32::MAX));
        }
        self
    }

    /// Sets the position from an optional line (column 1).
    pub fn at_line(self, line: Option<usize>) -> Self {
        match line {
            Some(line) => self.at(line, 1),
            None => self,
        }
    }

    /// Adds advice shown under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}[{}]: ", self.code)?;
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}:{}", self.column.unwrap_or(1))?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Renders a path relative to the site root with forward slashes, so messages and JSON are
/// the same on every platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every problem found in one run, kept in a defined order so output is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records many problems.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when the build must fail.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of distinct errors (as listed by [`Diagnostics::sorted`]).
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.is_error()).count()
    }

    /// Number of distinct warnings.
    pub fn warning_count(&self) -> usize {
        self.sorted().iter().filter(|d| !d.is_error()).count()
    }

    /// All problems, sorted by file, position and message, without duplicates.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Moves the problems out in insertion order, so one set can be added to another without
/// copying them.
impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// The text of the files diagnostics point into, so printers can show code excerpts.
pub type SourceTexts = BTreeMap<String, Arc<str>>;

/// Prints diagnostics the way rustc does: grouped by file, with the offending line and a
/// hint.
pub fn render_text(diagnostics: &Diagnostics, sources: &SourceTexts) -> String {
    use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term;

    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    let mut out = String::new();
    let config = term::Config::default();
    for diagnostic in diagnostics.sorted() {
        let mut report = match diagnostic.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
        let mut notes = Vec::new();
        match (sources.get(&diagnostic.file), diagnostic.line) {
            (Some(text), Some(line)) => {
                let id = *ids
                    .entry(diagnostic.file.clone())
                    .or_insert_with(|| files.add(diagnostic.file.clone(), text.clone()));
                let range =
                    line_range(text, line as usize, diagnostic.column.unwrap_or(1) as usize);
                report = report.with_labels(vec![Label::primary(id, range)]);
            }
            _ if !diagnostic.file.is_empty() => match diagnostic.line {
                Some(line) => notes.push(format!("in {}:{line}", diagnostic.file)),
                None => notes.push(format!("in {}", diagnostic.file)),
            },
            _ => {}
        }
        if let Some(hint) = &diagnostic.hint {
            notes.push(format!("hint: {hint}"));
        }
        report = report.with_notes(notes);
        if term::emit_to_string(&mut out, &config, &files, &report).is_err() {
            // Printing to an in-memory buffer only fails on a bug; fall back to plain text.
            return plain_text(diagnostics);
        }
    }
    out
}

/// One line per diagnostic, `file:line:col: message`, for logs and tests.
pub fn plain_text(diagnostics: &Diagnostics) -> String {
    diagnostics
        .sorted()
        .iter()
        .map(|d| format!("{d}\n"))
        .collect()
}

/// The stable JSON shape documented in README (`planguide check --format json`).
pub fn render_json(diagnostics: &Diagnostics) -> String {
    #[derive(Serialize)]
    struct JsonReport<'a> {
        version: u32,
        errors: usize,
        warnings: usize,
        diagnostics: &'a [Diagnostic],
    }
    let sorted = diagnostics.sorted();
    let report = JsonReport {
        version: 1,
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
        diagnostics: &sorted,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Byte range of a (line, column) position up to the end of that line, clamped to the text.
fn line_range(text: &str, line: usize, column: usize) -> std::ops::Range<usize> {
    let mut start = 0;
    for (index, current) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let trimmed = current.trim_end_matches(['\n', '\r']);
            let col_offset = trimmed
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(trimmed.len(), |(i, _)| i);
            let begin = start + col_offset;
            let end = (start + trimmed.len()).max(begin);
            return begin..end;
        }
        start += current.len();
    }
    text.len()..text.len()
}

/// A build that could not complete: the diagnostics explain why.
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) found", diagnostics.error_count())]
pub struct BuildFailed {
    /// Everything that was found, errors and warnings.
    pub diagnostics: Diagnostics,
    /// File texts for excerpts.
    pub sources: SourceTexts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_format_with_position_and_hint() {
        let d = Diagnostic::error("yaml", "content/a.zh.md", "bad")
            .at(3, 4)
            .hint("fix it");
        assert_eq!(
            d.to_string(),
            "error[yaml]: content/a.zh.md:3:4: bad (hint: fix it)"
        );
    }

    #[test]
    fn text_report_shows_the_offending_line() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error("yaml", "site.yaml", "unknown key `colour`").at(2, 1));
        let mut sources = SourceTexts::new();
        sources.insert("site.yaml".into(), Arc::from("title: x\ncolour: red\n"));
        let text = render_text(&all, &sources);
        assert!(text.contains("site.yaml:2:1"), "{text}");
        assert!(text.contains("colour: red"), "{text}");
    }

    #[test]
    fn sorted_is_deterministic_and_deduplicated() {
        let a = Diagnostic::warning("w", "b.md", "x");
        let b = Diagnostic::error("e", "a.md", "y");
        let all: Diagnostics = vec![a.clone(), b.clone(), a.clone()].into_iter().collect();
        assert_eq!(all.sorted(), vec![b, a]);
    }
}

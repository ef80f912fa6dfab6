//! The one place that knows which YAML library planguide uses. Everything else asks for a
//! typed value and gets back either the value or a [`Diagnostic`] pointing at the author's
//! file and line (shifted when the YAML is embedded, as front matter is). Pure: no I/O.

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// Where a YAML text sits inside the author's file, so reported lines are file-absolute.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// File relative to the site root, for messages.
    pub file: &'a str,
    /// Number of file lines before the YAML text starts (0 for a whole `.yaml` file).
    pub line_offset: usize,
}

/// Parses `text` into `T`, turning the library's error into a positioned diagnostic.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|error| to_diagnostic(&error, text, origin))
}

/// Most problems one file reports: past this, an editor fixes and runs again anyway.
const MAX_PROBLEMS_PER_FILE: usize = 20;

/// A YAML text that did not parse into its type, with what could still be read.
#[derive(Debug)]
pub struct Partial<T> {
    /// The value read with the wrong keys and list items left out, when that parses; the
    /// caller validates it as usual, so its problems are reported in the same run.
    pub value: Option<T>,
    /// Every problem found, in file order; never empty. At most `MAX_PROBLEMS_PER_FILE`
    /// (20): a file with more reports the rest once these are fixed.
    pub problems: Vec<Diagnostic>,
}

/// Parses `text` into `T` like [`parse`], but does not stop at the first wrong key or value:
/// the YAML library does, so an editor with two mistakes in one file would see one per run.
/// After a wrong key or value, a duplicate key or a full-width colon, it parses again with
/// that line (inside a list, its whole item) left out, and so on. It stops at any other
/// syntax error, at a problem without a line, and at anything leaving a line out could have
/// caused (a missing key, an empty value), so every problem reported is one the author
/// wrote. A file that parses costs one parse.
pub fn parse_all<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Partial<T>> {
    let first = match parse(text, origin) {
        Ok(value) => return Ok(value),
        Err(problem) => problem,
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut hidden = vec![false; lines.len()];
    let mut problems = vec![first];
    let mut value = None;
    while problems.len() < MAX_PROBLEMS_PER_FILE {
        let last = problems
            .last()
            .and_then(|p| skippable_line(p, origin, &hidden));
        let Some(index) = last else { break };
        hide(&lines, index, &mut hidden);
        let masked: Vec<&str> = lines
            .iter()
            .zip(&hidden)
            .map(|(line, hide)| if *hide { "" } else { line })
            .collect();
        match parse::<T>(&masked.join("\n"), origin) {
            Ok(read) => {
                value = Some(read);
                break;
            }
            Err(next) if skippable_line(&next, origin, &hidden).is_some() => {
                problems.push(without_item_path(next));
            }
            Err(_) => break,
        }
    }
    problems.sort_by_key(|p| p.line);
    Err(Partial { value, problems })
}

/// The 0-based line of a problem with one key or value written by the author, which a retry
/// can leave out; `None` for other syntax errors, missing keys, empty values (possibly left
/// empty by an earlier retry), problems without a line, and lines already left out.
fn skippable_line(problem: &Diagnostic, origin: Origin<'_>, hidden: &[bool]) -> Option<usize> {
    let one_line =
        problem.message.contains("duplicate") || problem.message.contains("full-width colon");
    let one_value = one_line
        || matches!(
            problem.code,
            "unknown-key" | "wrong-type" | "unknown-value" | "invalid-value"
        );
    let empty = problem.message.contains("invalid type: unit");
    if !one_value || empty {
        return None;
    }
    let line = usize::try_from(problem.line?).ok()?;
    let index = line.checked_sub(origin.line_offset + 1)?;
    hidden.get(index).is_some_and(|h| !h).then_some(index)
}

/// A problem found after list items were left out: the library's `plans[1]:` counts the
/// items it saw, so it may name the wrong one. The line says where; the count goes.
fn without_item_path(mut problem: Diagnostic) -> Diagnostic {
    if let Some((path, rest)) = problem.message.split_once(": ") {
        if path.contains('[') && !path.contains(' ') {
            problem.message = rest.to_string();
        }
    }
    problem
}

/// Leaves out line `index` with the lines nested under it; inside a list, its whole item,
/// so no item is left with some of its keys (which would be reported as missing).
fn hide(lines: &[&str], index: usize, hidden: &mut [bool]) {
    let start = enclosing_item(lines, index).unwrap_or(index);
    let indent = indentation(lines[start]);
    hidden[start] = true;
    for (line, hide) in lines.iter().zip(hidden.iter_mut()).skip(start + 1) {
        if !line.trim().is_empty() && indentation(line) <= indent {
            break;
        }
        *hide = true;
    }
}

/// The `- ` line of the innermost list item holding line `index`, if any.
fn enclosing_item(lines: &[&str], index: usize) -> Option<usize> {
    let is_item = |line: &str| line.trim_start().starts_with("- ") || line.trim() == "-";
    if is_item(lines[index]) {
        return Some(index);
    }
    let mut indent = indentation(lines[index]);
    for (j, line) in lines[..index].iter().enumerate().rev() {
        let own = indentation(line);
        if line.trim().is_empty() || line.trim_start().starts_with('#') || own >= indent {
            continue;
        }
        if is_item(line) {
            return Some(j);
        }
        indent = own;
    }
    None
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn to_diagnostic(error: &serde_yaml::Error, text: &str, origin: Origin<'_>) -> Diagnostic {
    let raw = error.to_string();
    let reported = error
        .location()
        .map(|loc| position_of(text, loc.index(), (loc.line(), loc.column())));
    if let Some(diagnostic) = full_width_colon(text, origin, &raw, reported) {
        return diagnostic;
    }
    let message = plain_type_names(&strip_positions(&raw));
    let (code, hint) = classify(&message);
    let opened = opened_at(&raw)
        .map(|(line, column)| position_of(text, library_index(text, line, column), (line, column)));
    if code == "yaml-syntax" && opened.is_none() {
        let before = reported.map_or(usize::MAX, |(line, _)| line);
        if let Some(diagnostic) = unclosed_quote(text, origin, before, &message) {
            return diagnostic;
        }
    }
    let misindented = misindented_key(&message, text, reported);
    // The library reports some errors (custom validation, missing fields, duplicates) at
    // the start of the document or of the mapping; prefer the line of what the message
    // names. A quote or bracket never closed is named where it opens, not where text ends.
    let (line, column) = match error.location() {
        _ if opened.is_some() => opened,
        _ if message.contains("duplicate") => {
            let from = reported.map_or(1, |(line, _)| line);
            duplicate_key_line(&message, text, from).or(reported)
        }
        Some(_) if misindented.is_some() => misindented,
        Some(loc) if (loc.line(), loc.column()) != (1, 1) => {
            let at = position_of(text, loc.index(), (loc.line(), loc.column()));
            let value = (code == "invalid-value")
                .then(|| named_value_from(&message, text, at.0))
                .flatten();
            Some(value.unwrap_or(at))
        }
        _ => locate_named_token(&message, text),
    }
    .unwrap_or((1, 1));
    let hint = if misindented.is_some() {
        Some("this key is not indented like the other keys of its mapping, so it is not read as one of them: line it up with them")
    } else {
        hint.or_else(|| {
            raw.contains("while scanning a quoted scalar").then_some(
                "a quote opened here is never closed: add the closing quote on the same line",
            )
        })
    };
    let diagnostic =
        Diagnostic::error(code, origin.file, message).at(line + origin.line_offset, column);
    match hint {
        Some(hint) => diagnostic.hint(hint),
        None => diagnostic,
    }
}

/// A quoted value left open (`ussd: "*555*1#`) runs on to the next quote, often a line or
/// a plan later, where the library then fails; the first line before that failure whose
/// quote does not close is the one to fix.
fn unclosed_quote(
    text: &str,
    origin: Origin<'_>,
    before: usize,
    message: &str,
) -> Option<Diagnostic> {
    let (index, column) = text
        .lines()
        .take(before.saturating_sub(1))
        .enumerate()
        .find_map(|(index, line)| open_quote_column(line).map(|column| (index, column)))?;
    Some(
        Diagnostic::error(
            "yaml-syntax",
            origin.file,
            format!("the quote that opens this value is not closed on its line ({message})"),
        )
        .at(index + 1 + origin.line_offset, column)
        .hint("add the closing quote on the same line"),
    )
}

/// The 1-based column of a quote opening a value (`key: "…`, `- '…`) that the line does not
/// close, if there is one.
fn open_quote_column(line: &str) -> Option<usize> {
    let item = line.trim_start().trim_start_matches("- ");
    let value = match item.split_once(": ") {
        Some((key, value)) if !key.contains(['"', '\'']) => value,
        _ => item,
    }
    .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut rest = value[1..].chars().peekable();
    while let Some(c) = rest.next() {
        match c {
            '\\' if quote == '"' => {
                rest.next();
            }
            '\'' if quote == '\'' && rest.peek() == Some(&'\'') => {
                rest.next();
            }
            c if c == quote => return None,
            _ => {}
        }
    }
    let start = line.len() - value.len();
    Some(line[..start].chars().count() + 1)
}

/// A Chinese input method types `：` (or `:` then an ideographic space) where YAML needs
/// `: `. The library then sees one long string (`expected struct`), or a key without a
/// colon on that line or the next; only then is the line with the full-width colon the one
/// to name. `：` in text (`- APN：internet`, a description) is left alone.
fn full_width_colon(
    text: &str,
    origin: Origin<'_>,
    raw: &str,
    reported: Option<(usize, usize)>,
) -> Option<Diagnostic> {
    let missing_colon = raw.contains("could not find expected ':'");
    let one_string = raw.contains("invalid type: string") && raw.contains("expected struct");
    if !missing_colon && !one_string {
        return None;
    }
    let reported_line = reported.map_or(1, |(line, _)| line);
    let (index, key) = text.lines().enumerate().find_map(|(index, line)| {
        let near = index + 1 == reported_line || index + 2 == reported_line;
        let item = line.trim_start().trim_start_matches("- ");
        let key_end = item.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
        let rest = item[key_end..].trim_start_matches([' ', '\t']);
        let full_width = rest.starts_with('：') || rest.starts_with(":\u{3000}");
        (near && key_end > 0 && full_width).then(|| (index, &item[..key_end]))
    })?;
    Some(
        Diagnostic::error(
            "yaml-syntax",
            origin.file,
            format!("`{key}` is followed by a full-width colon `：` or space; YAML needs an ASCII colon and space: `{key}: `"),
        )
        .at(index + 1 + origin.line_offset, 1)
        .hint("switch the input method to half-width (English) punctuation for keys, or retype the colon"),
    )
}

/// Line and column of byte `index` as an editor counts them. The YAML library also breaks
/// lines at U+0085, U+2028 and U+2029, so its own line numbers can run past the file's end;
/// its `fallback` position is used, clamped to the text, only if `index` is unusable.
fn position_of(text: &str, index: usize, fallback: (usize, usize)) -> (usize, usize) {
    let index = index.min(text.len());
    match text.get(..index) {
        Some(before) => {
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
            (line, column)
        }
        None => (fallback.0.min(text.lines().count() + 1), fallback.1),
    }
}

/// Editors are not Rust programmers: "expected usize" becomes "expected a whole number (0
/// or more)".
fn plain_type_names(message: &str) -> String {
    const NAMES: [(&str, &str); 16] = [
        ("u128", "a whole number (0 or more)"),
        ("i128", "a whole number"),
        ("i16", "a whole number"),
        ("i8", "a whole number"),
        ("usize", "a whole number (0 or more)"),
        ("u64", "a whole number (0 or more)"),
        ("u32", "a whole number (0 or more)"),
        ("u16", "a whole number (0 or more)"),
        ("u8", "a whole number (0 or more)"),
        ("isize", "a whole number"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
        ("bool", "true or false"),
        ("char", "a single character"),
    ];
    // "integer `99…9` as u128": the width the parser tried is not the editor's business.
    let owned = ["u128", "i128"]
        .iter()
        .fold(message.to_string(), |text, rust| {
            text.replace(&format!("` as {rust}"), "`")
        });
    // "expected struct RawFrontMatter": the Rust type is not the editor's business either.
    let owned = match owned.split_once("expected struct ") {
        Some((head, _)) => format!("{head}expected `key: value` lines"),
        None => owned,
    };
    let message = owned.as_str();
    let Some(at) = message.rfind("expected ") else {
        return message.to_string();
    };
    let (head, expected) = message.split_at(at + "expected ".len());
    let word_end = expected
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(expected.len());
    let (word, rest) = expected.split_at(word_end);
    match NAMES.iter().find(|(rust, _)| *rust == word) {
        Some((_, plain)) => format!("{head}{plain}{rest}"),
        None => message.to_string(),
    }
}

/// The YAML library writes " at line X column Y" after each part of a message; the
/// position is carried separately.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(index) = rest.find(" at line ") {
        out.push_str(&rest[..index]);
        let after = &rest[index + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// Where a quote or bracket the library was still reading opened ("…, while scanning a
/// quoted scalar at line 2 column 8"): the place to fix, rather than the end of the text.
/// Other contexts ("while parsing a block collection") name an enclosing list, not the
/// mistake, whose own position the library reports.
fn opened_at(raw: &str) -> Option<(usize, usize)> {
    const OPENED: [&str; 4] = [
        ", while scanning a quoted scalar at line ",
        ", while scanning a simple key at line ",
        ", while parsing a flow sequence at line ",
        ", while parsing a flow mapping at line ",
    ];
    let (at, context) = OPENED
        .iter()
        .find_map(|context| raw.find(context).map(|at| (at, *context)))?;
    let numbers = &raw[at + context.len()..];
    let (line, rest) = numbers.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The byte index of a line and column as the YAML library counts them: it also breaks
/// lines at U+0085, U+2028 and U+2029 (see [`position_of`]).
fn library_index(text: &str, line: usize, column: usize) -> usize {
    let mut at = (1, 1);
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if at == (line, column) {
            return index;
        }
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
        if crlf {
            continue;
        }
        at = if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    text.len()
}

/// A key reported missing from the mapping that starts at `reported`, but written in it
/// at another indentation (`   data:` under `    price:`): its line and column.
fn misindented_key(
    message: &str,
    text: &str,
    reported: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    if !message.contains("missing field") {
        return None;
    }
    let name = message.split('`').nth(1).filter(|name| !name.is_empty())?;
    let (start, _) = reported?;
    let lines: Vec<&str> = text.lines().collect();
    let head = lines.get(start.checked_sub(1)?)?;
    let keys_at = content_column(head);
    let floor = indentation(head);
    lines
        .iter()
        .enumerate()
        .skip(start)
        .take_while(|(_, line)| line.trim().is_empty() || indentation(line) > floor)
        .find_map(|(index, line)| {
            let column = key_column(line, name)?;
            (column != keys_at).then_some((index + 1, column + 1))
        })
}

/// The line and column of the second `key:` a duplicate-key message names: the one to
/// remove. It is looked for from where the library reports the mapping, among keys of that
/// mapping (the same column), so `price` twice in the third plan is not found in the first.
fn duplicate_key_line(message: &str, text: &str, from: usize) -> Option<(usize, usize)> {
    let name = message
        .split(['`', '"'])
        .nth(1)
        .filter(|name| !name.is_empty())?;
    let mut first: Option<usize> = None;
    for (index, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let content = !line.trim().is_empty() && !line.trim_start().starts_with('#');
        match (key_column(line, name), first) {
            (Some(column), None) => first = Some(column),
            (Some(column), Some(mapping)) if column == mapping => {
                return Some((index + 1, column + 1))
            }
            (_, Some(mapping)) if content && indentation(line) < mapping => return None,
            _ => {}
        }
    }
    None
}

/// The 0-based column where `line` defines `key` (after any `- ` list markers), if it does.
fn key_column(line: &str, key: &str) -> Option<usize> {
    let column = content_column(line);
    line[column..]
        .strip_prefix(key)?
        .trim_start()
        .starts_with(':')
        .then_some(column)
}

/// The 0-based column where a line's content starts, after indentation and `- ` markers.
fn content_column(line: &str) -> usize {
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start();
    }
    line.len() - rest.len()
}

/// When the library points at the mapping holding a value it rejected (a date checked by
/// planguide), the line of the value itself, if the message quotes it.
fn named_value_from(message: &str, text: &str, line: usize) -> Option<(usize, usize)> {
    let value = message.split('`').nth(1).filter(|v| !v.is_empty())?;
    let own = text.lines().nth(line.checked_sub(1)?)?;
    if own.contains(value) {
        return None;
    }
    find_value_line(text, value, line).map(|found| (found, 1))
}

fn classify(message: &str) -> (&'static str, Option<&'static str>) {
    // Messages may start with the path of the value (`plans[0].price: invalid type…`).
    let message = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => rest,
        _ => message,
    };
    if message.starts_with("unknown field") {
        (
            "unknown-key",
            Some("remove the key or check its spelling; the README lists every allowed key"),
        )
    } else if message.starts_with("missing field") {
        ("missing-key", Some("add the required key"))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        ("wrong-type", None)
    } else if message.starts_with("unknown variant") {
        ("unknown-value", None)
    } else if message.starts_with('`') {
        // planguide's own value checks (currencies, dates) quote the value they reject.
        ("invalid-value", None)
    } else {
        ("yaml-syntax", None)
    }
}

/// Some errors carry no useful position; find the key or value the message names.
fn locate_named_token(message: &str, text: &str) -> Option<(usize, usize)> {
    let name = message.split('`').nth(1)?;
    if message.contains("missing field") {
        return None;
    }
    find_key_line(text, name)
        .or_else(|| find_value_line(text, name, 1))
        .map(|line| (line, 1))
}

/// 1-based line of the first `key:` in `text` (any indentation), for positioning
/// diagnostics that are found after deserialising.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    nth_key_line(text, key, 0)
}

/// 1-based line of the `n`-th (0-based) line whose key is `key`: for pointing at one entry of
/// a list whose entries all have that key (the second `code:` under `languages:`).
pub fn nth_key_line(text: &str, key: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| key_column(line, key).is_some())
        .nth(n)
        .map(|(index, _)| index + 1)
}

/// 1-based line of the first line mentioning `value` after the line `after` (1-based), for
/// pointing at a list item or scalar found wrong during validation.
pub fn find_value_line(text: &str, value: &str, after: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(after.saturating_sub(1))
        .find(|(_, line)| line.contains(value))
        .map(|(index, _)| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: i64,
    }

    fn origin(offset: usize) -> Origin<'static> {
        Origin {
            file: "content/a.en.md",
            line_offset: offset,
        }
    }

    #[test]
    fn positions_count_only_newlines_as_line_breaks() {
        // U+0085 (NEL) inside a quoted string is a line break to the YAML library, not to
        // an editor: the error must still point inside the text (found by fuzzing).
        let text = "title: \"Re\u{85}new\u{85}al\"\ndescription: 'unclosed\n";
        let err = parse::<serde_yaml::Value>(
            text,
            Origin {
                file: "f.md",
                line_offset: 1,
            },
        )
        .unwrap_err();
        let line = err.line.expect("positioned") as usize;
        assert!(line <= 1 + text.lines().count() + 1, "{err:?}");
        assert_eq!(position_of("ab\ncd", 4, (9, 9)), (2, 2));
        assert_eq!(
            position_of("ab\ncd", 99, (9, 9)),
            (2, 3),
            "clamped to the end"
        );
        assert_eq!(
            position_of("é\nx", 1, (9, 9)),
            (3, 9),
            "inside a character: the library's line, clamped to one past the last"
        );
    }

    #[test]
    fn errors_when_key_is_unknown_with_shifted_line() {
        let error = parse::<Sample>("title: a\nweight: 1\ncolour: red\n", origin(1)).unwrap_err();
        assert_eq!(error.code, "unknown-key");
        assert_eq!(error.line, Some(4));
        assert!(error.message.contains("colour"), "{}", error.message);
    }

    #[test]
    fn errors_when_type_is_wrong() {
        let error = parse::<Sample>("title: a\nweight: heavy\n", origin(0)).unwrap_err();
        assert_eq!(error.code, "wrong-type");
        assert_eq!(
            plain_type_names("build.paginate_by: invalid type: integer `-3`, expected usize"),
            "build.paginate_by: invalid type: integer `-3`, expected a whole number (0 or more)"
        );
        assert_eq!(
            plain_type_names("invalid type: string \"x\", expected bool"),
            "invalid type: string \"x\", expected true or false"
        );
        assert_eq!(
            plain_type_names("invalid type: string \"x\", expected struct RawFrontMatter"),
            "invalid type: string \"x\", expected `key: value` lines"
        );
        assert_eq!(
            plain_type_names("invalid type: map, expected a string"),
            "invalid type: map, expected a string"
        );
        assert_eq!(
            plain_type_names("invalid type: map, expected u64s"),
            "invalid type: map, expected u64s"
        );
        assert_eq!(
            plain_type_names("invalid type: integer `99999999999999999999` as u128, expected u32"),
            "invalid type: integer `99999999999999999999`, expected a whole number (0 or more)"
        );
        assert_eq!(error.line, Some(2));
    }

    /// A currency or date planguide rejects is a wrong value, not a YAML syntax error.
    #[test]
    fn errors_from_value_checks_are_invalid_values() {
        assert_eq!(
            classify("plans[0].price: `qqq` is not an ISO 4217 currency code").0,
            "invalid-value"
        );
        assert_eq!(classify("did not find expected key").0, "yaml-syntax");
    }

    #[test]
    fn errors_when_syntax_is_broken() {
        let error = parse::<Sample>("title: a\n  weight: 1\n", origin(0)).unwrap_err();
        assert_eq!(error.code, "yaml-syntax");
        assert!(error.line.is_some());
    }

    #[test]
    fn a_full_width_colon_names_its_own_line() {
        for text in ["title: a\nweight：50\n", "title: a\nweight:\u{3000}50\n"] {
            let error = parse::<Sample>(text, origin(1)).unwrap_err();
            assert_eq!(error.code, "yaml-syntax", "{text:?}");
            assert_eq!(error.line, Some(3), "{text:?}");
            assert!(error.message.contains("`weight: `"), "{}", error.message);
        }
        let error = parse::<Sample>("title：Renew by phone\nweight: 1\n", origin(0)).unwrap_err();
        assert_eq!(error.line, Some(1));
        // Inside a value it is text, as YAML reads it.
        let sample: Sample = parse("title: 注意：先查余额\nweight: 1\n", origin(0)).unwrap();
        assert_eq!(sample.title, "注意：先查余额");
    }

    #[test]
    fn every_wrong_key_and_value_is_reported_in_one_run() {
        let text = "title: a\ncolour: red\nweight: heavy\nsize: 3\n";
        let partial = parse_all::<Sample>(text, origin(1)).unwrap_err();
        let found: Vec<_> = partial.problems.iter().map(|p| (p.code, p.line)).collect();
        assert_eq!(
            found,
            [
                ("unknown-key", Some(3)),
                ("wrong-type", Some(4)),
                ("unknown-key", Some(5))
            ]
        );
        assert!(
            partial.value.is_none(),
            "weight is required: nothing to validate"
        );
        // A missing key is reported, and nothing after it is guessed at.
        let partial = parse_all::<Sample>("weight: 1\ncolour: red\n", origin(0)).unwrap_err();
        assert_eq!(partial.problems.len(), 1, "{:?}", partial.problems);
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Items {
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        count: u32,
    }

    /// Inside a list the whole item is left out, so the rest still parses and the caller
    /// can validate it.
    #[test]
    fn a_wrong_list_item_is_left_out_and_the_rest_is_read() {
        let text = "items:\n  - id: a\n    count: 1\n  - id: b\n    count: many\n  - id: c\n    count: 3\n    extra: x\n  - id: d\n    count: 4\n";
        let partial = parse_all::<Items>(text, origin(0)).unwrap_err();
        let lines: Vec<_> = partial.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(5), Some(8)], "{:?}", partial.problems);
        let ids: Vec<_> = partial
            .value
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(ids, ["a", "d"]);
    }

    #[test]
    fn errors_point_where_the_author_can_fix_them() {
        let unclosed =
            parse::<Sample>("title: \"About\nweight: 1\nkind: page\n", origin(1)).unwrap_err();
        assert_eq!(
            (unclosed.line, unclosed.column),
            (Some(2), Some(8)),
            "{unclosed:?}"
        );
        assert!(unclosed.hint.is_some_and(|h| h.contains("closing quote")));
        assert!(
            !unclosed.message.contains(" at line "),
            "{}",
            unclosed.message
        );
        let twice = parse::<Sample>("title: a\nweight: 1\ntitle: b\n", origin(1)).unwrap_err();
        assert_eq!(twice.line, Some(4), "the second `title`: {twice:?}");
        let nested = parse::<serde_yaml::Value>("a:\n  b: 1\n  b: 2\n", origin(0)).unwrap_err();
        assert_eq!(nested.line, Some(3), "{nested:?}");
        assert_eq!(
            strip_positions(
                "found end at line 4 column 1, while scanning a quoted scalar at line 1 column 8"
            ),
            "found end, while scanning a quoted scalar"
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Plans {
        plans: Vec<PlanLike>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct PlanLike {
        id: String,
        price: u32,
        #[serde(default)]
        renewal: Option<std::collections::BTreeMap<String, u32>>,
        #[serde(default)]
        notes: Vec<String>,
    }

    /// Mistakes inside the second item of a list are named where they are, not at the list
    /// or at the same key of another item.
    #[test]
    fn mistakes_in_a_later_list_item_are_named_where_they_are() {
        let line_of = |text: &str| parse::<Plans>(text, origin(0)).unwrap_err().line;
        let first = "plans:\n  - id: a\n    price: 1\n";
        let indented = format!("{first}  - id: b\n    price: 2\n    renewal:\n   x: 1\n");
        assert_eq!(line_of(&indented), Some(7), "mis-indented key");
        let twice =
            format!("{first}  - id: b\n    price: 2\n    price: 3\n  - id: c\n    price: 4\n");
        assert_eq!(line_of(&twice), Some(6), "the repeated `price`");
        let missing = format!("{first}  - id: b\n  - id: c\n    price: 3\n");
        assert_eq!(
            line_of(&missing),
            Some(4),
            "the item without `price`, not the next one's"
        );
        // `：` inside text is not mistaken for the cause of an unrelated error.
        let text =
            format!("{first}  - id: b\n    price: many\n    notes:\n      - APN：internet\n");
        let error = parse::<Plans>(&text, origin(0)).unwrap_err();
        assert_eq!(
            (error.code, error.line),
            ("wrong-type", Some(5)),
            "{error:?}"
        );
    }

    /// Duplicate keys and full-width colons do not end the run either, and a problem found
    /// after an item was left out does not name the item by a count that is now off.
    #[test]
    fn duplicates_and_colons_after_other_mistakes_are_reported_too() {
        let text = "title: A\nweight: 1\ncolour: x\nweight: 2\nfoo: y\n";
        let partial = parse_all::<Sample>(text, origin(1)).unwrap_err();
        let lines: Vec<_> = partial.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(4), Some(5), Some(6)], "{:?}", partial.problems);
        let plans = "plans:\n  - id: a\n    price: 1\n    colour: x\n  - id: b\n    price: 2\n  - id: c\n    price: many\n";
        let partial = parse_all::<Plans>(plans, origin(0)).unwrap_err();
        let found: Vec<_> = partial
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].0, Some(8), "{found:?}");
        assert!(
            !found[1].1.starts_with("plans[1]"),
            "a count that is off: {found:?}"
        );
    }

    /// An unclosed quote is named where it opens even when a later quote closes it.
    #[test]
    fn an_unclosed_quote_followed_by_other_quotes_is_named_where_it_opens() {
        let plans = "plans:\n  - id: a\n    price: 1\n  - id: \"b\n    price: 2\n  - id: \"c\"\n    price: 3\n";
        let error = parse::<Plans>(plans, origin(0)).unwrap_err();
        assert_eq!((error.line, error.column), (Some(4), Some(9)), "{error:?}");
        let front = "title: \"About\nweight: 1\ndescription: \"x\"\n";
        let error = parse::<Sample>(front, origin(1)).unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(8)), "{error:?}");
        assert!(error.hint.is_some_and(|h| h.contains("closing quote")));
        assert_eq!(open_quote_column("  - id: 'it''s'"), None);
        assert_eq!(open_quote_column("a: \"x\\\" y"), Some(4));
        assert_eq!(open_quote_column("a: b\"c"), None);
    }

    /// A key indented unlike its siblings is reported missing by the library, at the start
    /// of its mapping; the line to fix is the key's own.
    #[test]
    fn a_misindented_key_is_named_on_its_line() {
        let plans = "plans:\n  - id: a\n    price: 1\n  - id: b\n   price: 2\n";
        let error = parse::<Plans>(plans, origin(0)).unwrap_err();
        assert_eq!((error.line, error.column), (Some(5), Some(4)), "{error:?}");
        assert!(error.hint.is_some_and(|h| h.contains("not indented like")));
        // A key really missing stays at its mapping.
        let missing = "plans:\n  - id: a\n    price: 1\n  - id: b\n  - id: c\n    price: 3\n";
        let error = parse::<Plans>(missing, origin(0)).unwrap_err();
        assert_eq!(error.line, Some(4), "{error:?}");
    }

    #[test]
    fn finds_key_lines() {
        let text = "a: 1\nplans:\n  - id: x\n";
        assert_eq!(find_key_line(text, "plans"), Some(2));
        assert_eq!(find_key_line(text, "id"), Some(3));
        assert_eq!(find_value_line(text, "x", 2), Some(3));
    }
}

//! Authored content, parsed and validated without I/O: front matter and Markdown documents
//! ([`document`]), plan data ([`plan`]), and the small value types they share ([`date`],
//! [`money`]). Raw serde types stay private; only resolved types leave this module.

pub mod date;
pub mod document;
pub mod money;
pub mod plan;

pub use date::Date;
pub use document::{Channel, Document, FrontMatter, GuideKind, Located};
pub use money::{Currency, Price};
pub use plan::{declared_ids, DataAllowance, PaymentMethod, Plan, PlanFile, StoreKind};

/// Text as every parser expects it: no byte-order mark, `\n` line endings. Line numbers are
/// unchanged, so diagnostics still point at the author's lines.
pub fn normalize_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Bytes as UTF-8 text, or an error naming the line where the text stops being UTF-8.
pub fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, crate::error::Diagnostic> {
    std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        crate::error::Diagnostic::error("encoding", file, "the file is not valid UTF-8 text")
            .at(line, 1)
            .hint("save the file as UTF-8 (without a legacy encoding such as GBK or Latin-1)")
    })
}

/// Values that have one text per language, such as a plan's name.
pub type Localized = std::collections::BTreeMap<String, String>;

/// A short, stable fingerprint of a source-language body. Translations store it as
/// `source_hash` to record what they were translated from; a mismatch means "stale".
pub fn body_hash(body: &str) -> String {
    // The hash of the words joined by single spaces, joined first and hashed in one call:
    // blake3 is fast on long inputs and slow on many tiny updates (two per word).
    let mut joined = String::with_capacity(body.len());
    for word in body.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    blake3::hash(joined.as_bytes()).to_hex()[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The format translations store in `source_hash`: it must never change silently.
    #[test]
    fn body_hash_is_the_blake3_of_the_words_joined_by_single_spaces() {
        let expected = blake3::hash(b"one two three").to_hex()[..12].to_string();
        assert_eq!(body_hash("one two three"), expected);
        assert_eq!(body_hash("  one\n\ttwo   three\n"), expected);
        assert_ne!(body_hash("one two three four"), expected);
        assert_eq!(body_hash(""), blake3::hash(b"").to_hex()[..12].to_string());
    }
}

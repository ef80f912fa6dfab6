//! Authored content, parsed and validated without I/O: front matter and Markdown documents
//! ([`document`]), plan data ([`plan`]), and the small value types they share ([`date`],
//! [`money`]). Raw serde types stay private; only resolved types leave this module.

pub mod date;
pub mod document;
pub mod money;
pub mod plan;

pub use date::Date;
pub use document::{Channel, Document, FrontMatter, GuideKind};
pub use money::{Currency, Price};
pub use plan::{DataAllowance, PaymentMethod, Plan, PlanFile, StoreKind};

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

/// Values that have one text per language, such as a plan's name.
pub type Localized = std::collections::BTreeMap<String, String>;

/// A short, stable fingerprint of a source-language body. Translations store it as
/// `source_hash` to record what they were translated from; a mismatch means "stale".
pub fn body_hash(body: &str) -> String {
    let normalized: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    blake3::hash(normalized.as_bytes()).to_hex()[..12].to_string()
}

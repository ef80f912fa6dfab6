//! Code highlighting with syntect, emitting CSS classes (`hl-*`) so pages stay small and the
//! colours live in one generated stylesheet. The syntax set is loaded once, on the first page
//! that has a code block: a site without code pays nothing. Guides repeat the same blocks
//! (USSD sequences, check commands), so highlighted output is memoised by language and text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::html::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Shared, lazily-initialised highlighter; cheap to create, safe to use from many threads.
#[derive(Debug, Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    memo: Mutex<Memo>,
}

/// Highlighted blocks by language and text, up to [`MEMO_BYTES`]: repeated blocks hit it,
/// while a site of unique blocks does not keep every one of them for nothing.
#[derive(Debug, Default)]
struct Memo {
    blocks: HashMap<(String, String), Arc<str>>,
    bytes: usize,
}

/// Bytes of code and HTML the memo holds at most.
const MEMO_BYTES: usize = 2 << 20;

impl Highlighter {
    /// A highlighter that has not loaded anything yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// HTML for a fenced code block. `text`, `plain` or an unknown language are escaped only.
    pub fn block(&self, lang: &str, code: &str) -> String {
        let lang = lang.split([' ', ',']).next().unwrap_or("").trim();
        let body = match lang {
            "" | "text" | "plain" | "txt" => escape(code),
            _ => self.memoised(lang, code),
        };
        let data_lang = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(lang))
        };
        format!("<pre class=\"code\"{data_lang}><code>{body}</code></pre>\n")
    }

    fn memoised(&self, lang: &str, code: &str) -> String {
        let key = (lang.to_string(), code.to_string());
        if let Some(hit) = self
            .memo
            .lock()
            .ok()
            .and_then(|memo| memo.blocks.get(&key).cloned())
        {
            return hit.to_string();
        }
        let html: Arc<str> = Arc::from(self.classed(lang, code).unwrap_or_else(|| escape(code)));
        if let Ok(mut memo) = self.memo.lock() {
            let size = key.0.len() + key.1.len() + html.len();
            if memo.bytes + size <= MEMO_BYTES {
                memo.bytes += size;
                memo.blocks.insert(key, html.clone());
            }
        }
        html.to_string()
    }

    fn classed(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// Whether a block from [`Highlighter::block`] has highlighted spans, so its page needs the
/// syntax stylesheet; plain-text blocks do not, and readers skip a render-blocking download.
pub fn is_highlighted(block_html: &str) -> bool {
    block_html.contains("<span class=\"hl-")
}

/// The stylesheet for highlighted code: `light` by default, `dark` under
/// `prefers-color-scheme: dark`. Unknown theme names are reported to the caller.
pub fn theme_css(light: &str, dark: &str) -> Result<String, String> {
    let themes = ThemeSet::load_defaults();
    let css_for = |name: &str| {
        let theme = themes.themes.get(name).ok_or_else(|| {
            let known: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            format!(
                "unknown highlight theme `{name}`; known themes: {}",
                known.join(", ")
            )
        })?;
        css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|e| e.to_string())
    };
    let light_css = css_for(light)?;
    let dark_css = css_for(dark)?;
    Ok(format!(
        "{light_css}\n@media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let html = Highlighter::new().block("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\">"));
    }

    #[test]
    fn plain_text_is_only_escaped_and_loads_nothing() {
        let highlighter = Highlighter::new();
        let html = highlighter.block("text", "*555*1# <ok>\n");
        assert!(html.contains("*555*1# &lt;ok&gt;"));
        assert!(highlighter.syntaxes.get().is_none());
    }

    #[test]
    fn theme_css_has_both_schemes_and_rejects_unknown() {
        let css = theme_css("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(theme_css("nope", "base16-ocean.dark").is_err());
    }
}

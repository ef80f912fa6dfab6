//! Tiny HTML/XML text helpers shared by the Markdown renderer, the sitemap and the feeds.
//! Written here because they are three lines each and every caller needs the same rules.

/// A lookup table of the bytes in `members`, for scanners that copy runs of text up to the
/// next byte of interest (the minifier, plain text for search).
pub const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < members.len() {
        set[members[i] as usize] = true;
        i += 1;
    }
    set
}

/// Escapes text for HTML/XML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// Appends `text`, escaped, to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Reverses the entities produced by [`escape`].
pub fn unescape_basic(text: &str) -> String {
    // Nearly every id and attribute has no entity at all: one scan instead of five
    // searches and five copies.
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            unescape_basic(&escape("<a href=\"x\">&'")),
            "<a href=\"x\">&'"
        );
    }
}

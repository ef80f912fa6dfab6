//! Smaller bytes on the wire. CSS and JS go through the `minifier` crate (the one rustdoc
//! uses: small, no parser toolchain); if it cannot parse a file, the file is published as
//! written rather than failing the build. HTML gets a deliberately conservative pass written
//! here: whitespace runs collapse and comments go, but `<pre>`, `<textarea>`, `<script>` and
//! `<style>` are left byte for byte, so rendering never changes. (`minify-html` does more,
//! but costs a large dependency tree and ~40% of build CPU in a trial.)

/// Minified CSS, or the input when it cannot be parsed.
pub fn css(text: &str) -> String {
    match minifier::css::minify(text) {
        Ok(minified) => minified.to_string(),
        Err(_) => text.to_string(),
    }
}

/// Minified JavaScript, or the input when it cannot be parsed.
pub fn js(text: &str) -> String {
    match minifier::js::minify(text) {
        Ok(minified) => minified.to_string(),
        Err(_) => text.to_string(),
    }
}

const RAW_TAGS: [&str; 4] = ["pre", "textarea", "script", "style"];

/// Collapses whitespace between and inside text runs (a run with a newline becomes one
/// newline, others one space) and drops `<!-- comments -->`, outside raw-text elements.
/// Works on bytes: every delimiter is ASCII, so cuts never split a UTF-8 character.
pub fn html(text: &str) -> String {
    String::from_utf8(html_bytes(text.as_bytes())).unwrap_or_else(|_| text.to_string())
}

/// As [`html`], on the bytes templates wrote and returning the bytes to publish (no UTF-8
/// check on the hot path: every cut is at an ASCII delimiter, so UTF-8 in stays UTF-8).
pub fn html_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' {
            if bytes[i..].starts_with(b"<!--") {
                i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |end| end + 3);
                continue;
            }
            if let Some(tag) = raw_tag_at(&bytes[i..]) {
                let end = find_closing(bytes, i + 1 + tag.len(), tag).unwrap_or(bytes.len());
                let tag_end = bytes[end..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(bytes.len(), |p| end + p + 1);
                out.extend_from_slice(&bytes[i..tag_end]);
                i = tag_end;
                continue;
            }
            out.push(b);
            i += 1;
        } else if b.is_ascii_whitespace() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let collapsed = if bytes[start..i].contains(&b'\n') {
                b'\n'
            } else {
                b' '
            };
            match out.last() {
                Some(b' ') if collapsed == b'\n' => {
                    out.pop();
                    out.push(b'\n');
                }
                Some(b' ' | b'\n') => {}
                _ => out.push(collapsed),
            }
        } else {
            let start = i;
            i = verbatim_end(bytes, i);
            out.extend_from_slice(&bytes[start..i]);
        }
    }
    out
}

/// Bytes that end a verbatim run: `<` and the ASCII whitespace `is_ascii_whitespace` knows.
const STOPS: [bool; 256] = crate::html::byte_set(b"< \t\n\x0C\r");

/// End of the run starting at `i` (neither `<` nor whitespace) that is published as
/// written: text, tag names and attributes, and the lone spaces between them, which the
/// collapsing rule leaves as they are. Copying such runs whole is most of the page.
fn verbatim_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while i < bytes.len() && !STOPS[usize::from(bytes[i])] {
            i += 1;
        }
        // The byte before a lone space is never whitespace (the run holds none), so the
        // space stays one space.
        match bytes.get(i..i + 2) {
            Some([b' ', next]) if !STOPS[usize::from(*next)] => i += 2,
            _ => return i,
        }
    }
}

/// The raw-text tag opening at the start of `text`, if any (`<pre>`, `<pre class=…>`).
fn raw_tag_at(text: &[u8]) -> Option<&'static str> {
    let after = text.strip_prefix(b"<")?;
    RAW_TAGS.into_iter().find(|tag| {
        after
            .get(..tag.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
            && after
                .get(tag.len())
                .is_some_and(|c| matches!(c, b'>' | b' ' | b'\n' | b'\t'))
    })
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|p| from + p)
}

/// Position of `</tag` (any case) at or after `from`.
fn find_closing(haystack: &[u8], from: usize, tag: &str) -> Option<usize> {
    let mut at = from;
    while let Some(p) = find(haystack, at, b"</") {
        if haystack
            .get(p + 2..p + 2 + tag.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()))
        {
            return Some(p);
        }
        at = p + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_collapses_whitespace_but_keeps_pre_and_script() {
        let input = "<p>a   b</p>\n\n\n<!-- note -->\n<pre class=\"code\"><code>  x\n\n  y</code></pre>\n<script>if (a  <  b) {}</script>\n<p>续费  前</p>";
        let out = html(input);
        assert_eq!(out, "<p>a b</p>\n<pre class=\"code\"><code>  x\n\n  y</code></pre>\n<script>if (a  <  b) {}</script>\n<p>续费 前</p>");
    }

    #[test]
    fn verbatim_runs_stop_at_a_tag_or_ascii_whitespace() {
        for b in 0..=255u8 {
            let stop = b == b'<' || b.is_ascii_whitespace();
            assert_eq!(STOPS[usize::from(b)], stop, "byte {b:#x}");
        }
    }

    #[test]
    fn lone_spaces_stay_and_every_other_run_collapses() {
        let cases = [
            ("a b c", "a b c"),
            ("a  b", "a b"),
            ("a \nb", "a\nb"),
            ("a\t b", "a b"),
            ("a b <i>c</i> d", "a b <i>c</i> d"),
            (
                "<p class=\"x\"  id=\"y\">a b</p>",
                "<p class=\"x\" id=\"y\">a b</p>",
            ),
            (" a", " a"),
            ("a ", "a "),
            ("a \r\n b", "a\nb"),
            ("续费 前 <b>x</b>\n\n y", "续费 前 <b>x</b>\ny"),
        ];
        for (input, minified) in cases {
            assert_eq!(html(input), minified, "input {input:?}");
        }
    }

    #[test]
    fn css_and_js_shrink() {
        assert!(css("a {\n  color : red ;\n}\n/* c */\n").len() < 16);
        assert!(js("function  f ( a ) {\n  return a ;\n}\n").len() < 30);
    }

    #[test]
    fn unterminated_constructs_do_not_panic() {
        assert_eq!(html("<pre>open"), "<pre>open");
        assert_eq!(html("a <!-- open"), "a ");
        assert_eq!(html("<scrip"), "<scrip");
        assert_eq!(html("a <续费 <p>"), "a <续费 <p>");
    }
}

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
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if let Some(tag) = raw_tag_at(rest) {
            let close = format!("</{tag}");
            let end = find_ignore_case(rest, &close).map_or(rest.len(), |i| i);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            if !rest.is_empty() {
                let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                out.push_str(&rest[..tag_end]);
                rest = &rest[tag_end..];
            }
            continue;
        }
        let mut chars = rest.char_indices();
        let Some((_, c)) = chars.next() else { break };
        if c.is_ascii_whitespace() {
            let run_end = rest
                .find(|ch: char| !ch.is_ascii_whitespace())
                .unwrap_or(rest.len());
            let run = &rest[..run_end];
            let collapsed = if run.contains('\n') { '\n' } else { ' ' };
            match out.chars().last() {
                Some(' ') if collapsed == '\n' => {
                    out.pop();
                    out.push('\n');
                }
                Some(' ' | '\n') => {}
                _ => out.push(collapsed),
            }
            rest = &rest[run_end..];
        } else {
            let next = rest
                .find(|ch: char| ch.is_ascii_whitespace() || ch == '<')
                .unwrap_or(rest.len())
                .max(c.len_utf8());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

/// The raw-text tag opening at the start of `text`, if any (`<pre>`, `<pre class=…>`).
fn raw_tag_at(text: &str) -> Option<&'static str> {
    let after = text.strip_prefix('<')?;
    RAW_TAGS.into_iter().find(|tag| {
        after
            .get(..tag.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(tag))
            && after
                .get(tag.len()..)
                .is_some_and(|rest| rest.starts_with(['>', ' ', '\n', '\t']))
    })
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let lower_needle = needle.to_ascii_lowercase();
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(&lower_needle))
    })
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

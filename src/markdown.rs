//! Markdown to HTML for one page: GFM tables, task lists (as real, labelled checkboxes),
//! footnotes, strikethrough, highlighted code, stable heading ids that keep Chinese text, and
//! `@/path.md#anchor` links resolved to the page's own language. Also reports what later
//! checks need: headings, links, images, and how many steps and checklist items a guide has.
//! Pure: the caller supplies the link resolver and the highlighter.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::Diagnostic;
use crate::highlight::Highlighter;
use crate::html::escape;

/// Resolves `@/section/page.md` content links for the language being rendered.
pub trait LinkResolver {
    /// The URL for a content path (without `@/` and without `#anchor`), or why it failed.
    fn resolve(&self, content_path: &str) -> Result<String, String>;
}

/// A heading, for tables of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A link or image found in the body, with its file line, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    /// The destination as written.
    pub target: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters) where the link starts, for the caret under it.
    pub column: usize,
    /// True for images.
    pub is_image: bool,
}

/// Everything rendering one Markdown body produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Links and images as written.
    pub links: Vec<LinkUse>,
    /// Items of top-level numbered lists (the guide's steps).
    pub steps: usize,
    /// Task-list items (the guide's checklist).
    pub checklist: usize,
    /// True when the body has a code block with highlighting (needs the syntax stylesheet);
    /// `text` blocks and unknown languages do not.
    pub has_code: bool,
    /// Fingerprint of the HTML, for incremental rebuilds.
    pub fingerprint: u64,
}

/// One body to render, and where it sits in its file.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// File relative to the site root, for diagnostics.
    pub file: &'a str,
    /// Markdown text.
    pub body: &'a str,
    /// 1-based file line of the body's first line.
    pub body_line: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A buffer that grew for one unusually large page is not kept for the thread's lifetime.
fn forget_if_large(buffer: &mut String) {
    if buffer.capacity() > 1 << 20 {
        *buffer = String::new();
    }
}

thread_local! {
    /// Where a thread's bodies are rendered before being copied out at their exact size.
    static HTML_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Renders a body; unresolved `@/` links come back as diagnostics, the rest still renders.
pub fn render(
    input: Input<'_>,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Diagnostic>) {
    let line_of = LineIndex::new(input.body, input.body_line);
    let mut state = State::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut problems = Vec::new();
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        let line = line_of.line(range.start);
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = (line, line_of.column(range.start));
                let dest_url = state.link(&dest_url, at, false, input.file, links, &mut problems);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = (line, line_of.column(range.start));
                let dest_url = state.link(&dest_url, at, true, input.file, links, &mut problems);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => state.push(other, &mut events, highlighter),
        }
    }
    join_wide_lines(&mut events);
    link_footnotes_both_ways(&mut events);
    assign_heading_ids(&mut events, &mut state.rendered.headings);
    let html = HTML_BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        pulldown_cmark::html::push_html(buffer, events.into_iter());
        // One exact-size allocation per body: growing and shrinking a String per page
        // leaves freed blocks of every size behind, which a 20,000-page site pays in RSS.
        let html = String::from(buffer.as_str());
        forget_if_large(buffer);
        html
    });
    state.rendered.fingerprint = crate::incremental::fingerprint(html.as_bytes());
    state.rendered.html = html;
    (state.rendered, problems)
}

/// Per-body rendering state: open code block, task-list label, open lists, counts.
#[derive(Default)]
struct State {
    rendered: Rendered,
    code: Option<(String, String)>,
    label_open: bool,
    /// One entry per open list, true when it is numbered; its length is the nesting depth.
    ordered_stack: Vec<bool>,
    regions: Regions,
    /// The open task item: where its checkbox goes in the output, whether it is ticked, and
    /// its text so far.
    task: Option<(usize, bool, String)>,
    /// How many task items had each id so far.
    task_ids: HashMap<String, usize>,
}

impl State {
    fn push<'a>(&mut self, event: Event<'a>, out: &mut Vec<Event<'a>>, highlighter: &Highlighter) {
        self.regions.observe(&event);
        if let (Some((_, _, text)), Event::Text(t) | Event::Code(t)) = (&mut self.task, &event) {
            text.push_str(t);
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, code)) = self.code.take() {
                    let first_line = code.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    let open = self.regions.open("code-wrap", first_line);
                    let block = highlighter.block(&lang, &code);
                    self.rendered.has_code |= crate::highlight::is_highlighted(&block);
                    out.push(Event::Html(format!("{open}{block}</div>\n").into()));
                }
            }
            Event::Start(Tag::Table(alignments)) => {
                self.regions.start_table(out.len());
                out.push(Event::Html("".into()));
                out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                if let Some((at, open)) = self.regions.end_table() {
                    out[at] = Event::Html(open.into());
                }
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::List(first)) => {
                self.close_label(out);
                self.ordered_stack.push(first.is_some());
                out.push(Event::Start(Tag::List(first)));
            }
            Event::End(TagEnd::List(ordered)) => {
                self.ordered_stack.pop();
                out.push(Event::End(TagEnd::List(ordered)));
            }
            Event::Start(Tag::Item) => {
                if self.ordered_stack == [true] {
                    self.rendered.steps += 1;
                }
                out.push(Event::Start(Tag::Item));
            }
            Event::TaskListMarker(checked) => self.checkbox(checked, out),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                self.close_label(out);
                out.push(event);
            }
            other => out.push(other),
        }
    }

    /// A task-list marker becomes an enabled, labelled checkbox; the `<li>` gets a class so
    /// the theme can style it and its script can persist ticks. The checkbox is written when
    /// the item's text is known (see `close_label`).
    fn checkbox<'a>(&mut self, checked: bool, out: &mut Vec<Event<'a>>) {
        self.rendered.checklist += 1;
        if let Some(index) = out
            .iter()
            .rposition(|e| matches!(e, Event::Start(Tag::Item)))
        {
            out[index] = Event::Html("<li class=\"task\">".into());
        }
        self.task = Some((out.len(), checked, String::new()));
        out.push(Event::Html("".into()));
        self.label_open = true;
    }

    fn close_label<'a>(&mut self, out: &mut Vec<Event<'a>>) {
        if let Some((at, checked, text)) = self.task.take() {
            let id = self.task_id(&text);
            let checked = if checked { " checked" } else { "" };
            out[at] = Event::Html(
                format!("<input type=\"checkbox\" class=\"task-check\" id=\"{id}\"{checked}><label for=\"{id}\">")
                    .into(),
            );
        }
        if self.label_open {
            out.push(Event::Html("</label>".into()));
            self.label_open = false;
        }
    }

    /// `check-` and a hash of the item's text: the theme stores ticks under the id, so a tick
    /// stays on its item when items are added, removed or reordered. Unique within the body.
    fn task_id(&mut self, text: &str) -> String {
        numbered(
            &mut self.task_ids,
            format!("check-{:08x}", text_hash(text)),
            "-",
        )
    }

    fn link<'a>(
        &mut self,
        dest: &CowStr<'a>,
        (line, column): (usize, usize),
        is_image: bool,
        file: &str,
        links: &dyn LinkResolver,
        problems: &mut Vec<Diagnostic>,
    ) -> CowStr<'a> {
        self.rendered.links.push(LinkUse {
            target: dest.to_string(),
            line,
            column,
            is_image,
        });
        let Some(content_path) = dest.strip_prefix("@/") else {
            return dest.clone();
        };
        let (path, anchor) = match content_path.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (content_path, None),
        };
        match links.resolve(path) {
            Ok(url) => match anchor {
                Some(anchor) => format!("{url}#{anchor}").into(),
                None => url.into(),
            },
            Err(message) => {
                problems.push(
                    Diagnostic::error("broken-link", file, message)
                        .at(line, column)
                        .hint("content links are written `@/folder/page.md`, relative to content/, without the language suffix"),
                );
                dest.clone()
            }
        }
    }
}

/// `base` the first time, then `base{separator}2`, `base{separator}3`…: names that must be
/// unique within one body (checklist ids, region labels).
fn numbered(counts: &mut HashMap<String, usize>, base: String, separator: &str) -> String {
    let count = counts.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        format!("{base}{separator}{count}")
    }
}

/// FNV-1a (32 bits) of the text with whitespace collapsed: short, and the same in every
/// build and on every platform, as ids stored in readers' browsers must be. Never change it:
/// readers would lose their ticks.
fn text_hash(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let space: &[u8] = if words.peek().is_some() { b" " } else { b"" };
        for &byte in word.as_bytes().iter().chain(space) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// Tables and code blocks scroll sideways on a phone, so each sits in a wrapper that the
/// keyboard can reach and scroll (`tabindex="0"`), announced as a region named after the
/// heading it sits under (or, before any heading, the table's header row or the code's
/// first line): the author's words, so the name is in the page's language. Names are kept
/// unique within the body, as landmark names must be.
#[derive(Default)]
struct Regions {
    /// Text of the heading being read, if inside one.
    heading: Option<String>,
    /// Text of the last heading read.
    section: Option<String>,
    /// The table being read: where its wrapper goes in the output, its header row text.
    table: Option<OpenTable>,
    /// How many regions took each name so far.
    used: HashMap<String, usize>,
}

struct OpenTable {
    at: usize,
    head: String,
    in_head: bool,
}

impl Regions {
    /// Follows headings and table headers; the events themselves pass on unchanged.
    fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Heading { .. }) => self.heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                self.section = self.heading.take().map(|h| h.trim().to_string());
            }
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                if let Some(table) = &mut self.table {
                    table.in_head = matches!(event, Event::Start(_));
                }
            }
            Event::End(TagEnd::TableCell) => match &mut self.table {
                Some(table) if table.in_head && !table.head.is_empty() => {
                    table.head.push_str(", ");
                }
                _ => {}
            },
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = &mut self.heading {
                    heading.push_str(text);
                }
                match &mut self.table {
                    Some(table) if table.in_head => table.head.push_str(text),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn start_table(&mut self, at: usize) {
        self.table = Some(OpenTable {
            at,
            head: String::new(),
            in_head: false,
        });
    }

    /// Where the table's wrapper goes, and the wrapper's opening tag.
    fn end_table(&mut self) -> Option<(usize, String)> {
        let table = self.table.take()?;
        let head = table.head.trim_end_matches([',', ' ']).to_string();
        Some((table.at, self.open("table-wrap", &head)))
    }

    /// The opening tag of a wrapper; without any name to give it, a plain `div`.
    fn open(&mut self, class: &str, fallback: &str) -> String {
        let base = match self.section.as_deref() {
            Some(section) if !section.is_empty() => section,
            _ => fallback.trim(),
        };
        let base: String = base.chars().take(80).collect();
        if base.is_empty() {
            return format!("<div class=\"{class}\">");
        }
        let name = numbered(&mut self.used, base, " ");
        format!(
            "<div class=\"{class}\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
            escape(&name)
        )
    }
}

/// A line break inside a paragraph is a space in HTML, which between two Chinese characters
/// shows as a gap (`续费，\n以及` reads `续费， 以及`). CSS Text 3 drops such breaks, but
/// browsers do not yet, so a break between two wide characters is removed here; a break
/// next to Latin text or Hangul stays a space.
fn join_wide_lines(events: &mut Vec<Event<'_>>) {
    let joined: Vec<usize> = (0..events.len())
        .filter(|&i| matches!(events[i], Event::SoftBreak))
        .filter(|&i| {
            let before = edge_char(events[..i].iter().rev(), true);
            let after = edge_char(events[i + 1..].iter(), false);
            before.is_some_and(is_wide) && after.is_some_and(is_wide)
        })
        .collect();
    if joined.is_empty() {
        return;
    }
    let mut index = 0;
    events.retain(|_| {
        let keep = joined.binary_search(&index).is_err();
        index += 1;
        keep
    });
}

/// Footnotes as pulldown-cmark writes them, plus a way back: each reference gets an id
/// and the note's number links to the first, so a reader who tapped a tiny `1` on a
/// phone need not scroll back to find their place. Numbers follow pulldown-cmark's rule
/// (first mention, reference or note; labels match regardless of case), and ids are made
/// from the numbers (`fn-1`, `fnref-1`, `fnref-1-2`): labels may hold spaces, differ only
/// in case, or equal a heading's id.
fn link_footnotes_both_ways(events: &mut [Event<'_>]) {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut referenced: HashSet<usize> = HashSet::new();
    // Where each reference and note is, with its number.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (at, event) in events.iter().enumerate() {
        let (name, is_reference) = match event {
            Event::FootnoteReference(name) => (name, true),
            Event::Start(Tag::FootnoteDefinition(name)) => (name, false),
            Event::End(TagEnd::FootnoteDefinition) => {
                marks.push((at, 0));
                continue;
            }
            _ => continue,
        };
        let next = numbers.len() + 1;
        let number = *numbers.entry(footnote_key(name)).or_insert(next);
        if is_reference {
            referenced.insert(number);
        }
        marks.push((at, number));
    }
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (at, n) in marks {
        let html = match &events[at] {
            Event::FootnoteReference(_) => {
                let count = seen.entry(n).or_insert(0);
                *count += 1;
                let id = match *count {
                    1 => format!("fnref-{n}"),
                    k => format!("fnref-{n}-{k}"),
                };
                format!("<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{n}\">{n}</a></sup>")
            }
            Event::Start(_) => {
                let label = if referenced.contains(&n) {
                    format!("<a href=\"#fnref-{n}\">{n}</a>")
                } else {
                    n.to_string()
                };
                format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{label}</sup>\n")
            }
            _ => "</div>\n".to_string(),
        };
        events[at] = Event::Html(html.into());
    }
}

/// A footnote label as pulldown-cmark matches it: case and runs of whitespace ignored.
fn footnote_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The character next to a line break, looking through inline markup (`**粗体**`, links):
/// the last one before it (`last`) or the first one after it.
fn edge_char<'e, 'a: 'e>(
    mut events: impl Iterator<Item = &'e Event<'a>>,
    last: bool,
) -> Option<char> {
    events.find_map(|event| match event {
        Event::Text(t) | Event::Code(t) => Some(if last {
            t.chars().next_back()
        } else {
            t.chars().next()
        }),
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {
            None
        }
        _ => Some(None),
    })?
}

/// East Asian wide characters but Hangul, which Korean spaces between words: Han, kana,
/// CJK and full-width punctuation.
fn is_wide(c: char) -> bool {
    let hangul = ('\u{AC00}'..='\u{D7AF}').contains(&c);
    (crate::search::tokenize::is_cjk(c) && !hangul)
        || matches!(u32::from(c), 0x3000..=0x303F | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Gives every heading a stable id and records it. An explicit `{#id}` keeps its id even
/// when an earlier automatic id would have taken it: the author wrote it to be linked to.
fn assign_heading_ids(events: &mut [Event<'_>], headings: &mut Vec<Heading>) {
    let mut ids = HeadingIds::reserving(events);
    for index in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[index] else {
            continue;
        };
        let level = heading_level(*level);
        let explicit = id.as_ref().map(|i| i.to_string());
        let text = heading_text(&events[index + 1..]);
        let unique = match explicit {
            Some(explicit) => ids.explicit(&explicit),
            None => ids.automatic(&slugify(&text)),
        };
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
            *id = Some(unique.clone().into());
        }
        headings.push(Heading {
            level,
            id: unique,
            text,
        });
    }
}

/// The heading ids of one body handed out so far.
struct HeadingIds {
    /// Ids already given to a heading.
    taken: HashSet<String>,
    /// Explicit ids not yet reached: automatic ids stay clear of them.
    reserved: HashSet<String>,
    /// The next suffix to try per base name, so many equal headings cost O(n), not O(n²).
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn reserving(events: &[Event<'_>]) -> Self {
        let reserved = events
            .iter()
            .filter_map(|event| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect();
        HeadingIds {
            taken: HashSet::new(),
            reserved,
            next: HashMap::new(),
        }
    }

    /// The author's id, unless an earlier explicit heading already has it.
    fn explicit(&mut self, id: &str) -> String {
        if self.reserved.remove(id) {
            self.taken.insert(id.to_string());
            return id.to_string();
        }
        self.automatic(id)
    }

    /// `base`, or `base-1`, `base-2`… : the first that is neither taken nor reserved.
    fn automatic(&mut self, base: &str) -> String {
        if !self.reserved.contains(base) && self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if !self.reserved.contains(&candidate) && self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading id that keeps letters of every script (Chinese stays Chinese), lowercases ASCII,
/// turns spaces into `-` and drops punctuation; never empty.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

/// Maps byte offsets in a body to file lines and columns.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            first_line,
        }
    }

    fn line(&self, offset: usize) -> usize {
        let index = self.starts.partition_point(|&s| s <= offset);
        self.first_line + index.saturating_sub(1)
    }

    /// 1-based column in characters of byte `offset`.
    fn column(&self, offset: usize) -> usize {
        let index = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(index).copied().unwrap_or(0);
        self.text
            .get(start..offset)
            .map_or(1, |before| before.chars().count() + 1)
    }
}

/// Text for search and descriptions: the rendered HTML without tags, the entities the
/// renderer writes decoded, whitespace collapsed: one line break where a tag other than
/// inline text markup separates words (a block's start or end, `<br>`, `<sup>`, `<img>`
/// …), else one space. The index joins a word to a particle across a space (`top up`) but
/// not across a line break (`Speed` | `Up to 150 Mbps` in two table cells). One pass: it
/// runs for every page.
pub fn plain_text(html: &str) -> String {
    let mut text = String::new();
    plain_text_into(html, &mut text);
    text
}

/// [`plain_text`] written into `out` (cleared first), so the index can reuse one buffer for
/// every page instead of allocating and filling a string per page.
pub fn plain_text_into(html: &str, out: &mut String) {
    out.clear();
    push_plain_text(html, out);
}

fn push_plain_text(html: &str, out: &mut String) {
    let bytes = html.as_bytes();
    let mut space = Break::None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => match memchr::memchr(b'>', &bytes[i + 1..]) {
                Some(_) if bytes[i + 1..].starts_with(FOOTNOTE_MARK) => {
                    // A footnote's number is not text: `…相同。1 本示例` searched or shown as
                    // a snippet reads better without it.
                    let end = memchr::memmem::find(&bytes[i..], b"</sup>");
                    i = end.map_or(bytes.len(), |end| i + end + b"</sup>".len());
                }
                Some(p) => {
                    if !is_inline_tag(&bytes[i + 1..i + 1 + p]) {
                        space = Break::Line;
                    }
                    i += p + 2;
                }
                // An unclosed tag runs to the end.
                None => return,
            },
            b'&' => {
                let entity = ENTITIES
                    .iter()
                    .find(|(name, _)| html[i..].starts_with(name));
                let (decoded, len) = entity.map_or(('&', 1), |(name, c)| (*c, name.len()));
                push_word_start(out, &mut space);
                out.push(decoded);
                i += len;
            }
            // The most common stop, between any two words: no character to decode.
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {
                space = space.max(Break::Space);
                i += 1;
            }
            b if TEXT_STOPS[usize::from(b)] => {
                // The lead byte of a character that may be Unicode whitespace (see
                // TEXT_STOPS; ASCII whitespace is taken above); others with that lead byte
                // are pushed here one by one, which is slower for kana and punctuation but
                // the same text.
                let c = html[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    space = space.max(Break::Space);
                } else {
                    push_word_start(out, &mut space);
                    out.push(c);
                }
                i += c.len_utf8();
            }
            _ => {
                // A run of text, copied as it is in one piece: stops are ASCII or lead
                // bytes, so the run ends on a character boundary.
                let start = i;
                i = text_run_end(html, i);
                push_word_start(out, &mut space);
                out.push_str(&html[start..i]);
            }
        }
    }
}

/// Where the run of text starting at `start` ends. A run goes on through what collapsing
/// white space would write the same: one space between two words, and characters whose
/// lead byte is a stop but that are not white space (`“`, `。`, `—`). So a paragraph is
/// usually one run, copied at once, rather than a copy per word.
fn text_run_end(html: &str, start: usize) -> usize {
    let bytes = html.as_bytes();
    let mut i = start;
    loop {
        while i < bytes.len() && !TEXT_STOPS[usize::from(bytes[i])] {
            i += 1;
        }
        match bytes.get(i) {
            Some(b' ')
                if bytes
                    .get(i + 1)
                    .is_some_and(|&b| !TEXT_STOPS[usize::from(b)]) =>
            {
                i += 2;
            }
            Some(0xC2 | 0xE1 | 0xE2 | 0xE3) => match html.get(i..).and_then(|s| s.chars().next()) {
                Some(c) if !c.is_whitespace() => i += c.len_utf8(),
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// How the footnote marks and note numbers this module writes start (see
/// [`link_footnotes_both_ways`]).
const FOOTNOTE_MARK: &[u8] = b"sup class=\"footnote-";

/// Tags inside a line of text (`<a>`, `<strong>`, `<code>`…): they separate nothing, so
/// `详见<a>关于本站</a>。` stays `详见关于本站。`. Every other tag (blocks, `<br>`, `<sup>`)
/// separates words, as a line break.
fn is_inline_tag(tag: &[u8]) -> bool {
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    let end = tag
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    let name = &tag[..end];
    // Every tag of every page passes here: compare lower-cased on the stack, in one match.
    let mut lower = [0u8; 6];
    if name.len() > lower.len() {
        return false;
    }
    for (to, from) in lower.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..name.len()],
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"span"
            | b"strong"
            | b"u"
    )
}

/// What separates two pieces of plain text: nothing, white space or inline tags only
/// (a space), or the end of a line of text (a line break).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Space,
    Line,
}

/// Before a word: the one space or line break that stands for the whitespace and tags
/// since the last.
fn push_word_start(out: &mut String, space: &mut Break) {
    if !out.is_empty() {
        match space {
            Break::None => {}
            Break::Space => out.push(' '),
            Break::Line => out.push('\n'),
        }
    }
    *space = Break::None;
}

/// Bytes where a run of plain text stops: `<`, `&`, ASCII whitespace and the lead bytes of
/// the only characters outside ASCII that `char::is_whitespace` accepts (0xC2: U+0085,
/// U+00A0; 0xE1: U+1680; 0xE2: U+2000…U+205F; 0xE3: U+3000).
const TEXT_STOPS: [bool; 256] = crate::html::byte_set(b"<& \t\n\x0B\x0C\r\xC2\xE1\xE2\xE3");

/// The entities the HTML renderer and [`crate::html::escape`] produce.
const ENTITIES: [(&str, char); 5] = [
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
];

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, path: &str) -> Result<String, String> {
            match path {
                "qatar/renew-phone.md" => Ok("/zh/qatar/renew-phone/".into()),
                other => Err(format!("no page `{other}`")),
            }
        }
    }

    fn md(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let input = Input {
            file: "content/a.zh.md",
            body,
            body_line: 5,
        };
        render(input, &Links, &Highlighter::new())
    }

    #[test]
    fn chinese_headings_keep_their_text_and_stay_unique() {
        let (out, _) = md("## 续费前须知\n\n## 续费前须知\n\n## Before you renew!\n\n## ？？\n");
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["续费前须知", "续费前须知-1", "before-you-renew", "section"]
        );
        assert!(out.html.contains("<h2 id=\"续费前须知\">"), "{}", out.html);
    }

    #[test]
    fn explicit_heading_ids_win() {
        let (out, _) = md("## 步骤 {#steps}\n");
        assert_eq!(out.headings[0].id, "steps");
    }

    #[test]
    fn explicit_heading_ids_win_over_earlier_automatic_ones() {
        let (out, _) =
            md("## 续费前须知\n\n## 须知 {#续费前须知}\n\n## 续费前须知\n\n## x {#续费前须知}\n");
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["续费前须知-1", "续费前须知", "续费前须知-2", "续费前须知-3"]
        );
        assert!(
            out.html.contains("<h2 id=\"续费前须知\">须知</h2>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn automatic_ids_skip_suffixes_already_written_by_hand() {
        let (out, _) = md("## A\n\n## a-1 {#a-1}\n\n## A\n\n## A\n");
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3"]);
    }

    #[test]
    fn many_equal_headings_get_unique_ids() {
        // 20,000 equal headings: quadratic suffix probing took seconds here (the speed is
        // the benchmark's business; this pins the numbering at that size).
        let body = "## A\n\n".repeat(20_000);
        let (out, _) = md(&body);
        assert_eq!(out.headings.len(), 20_000);
        assert_eq!(out.headings[19_999].id, "a-19999");
        let unique: std::collections::HashSet<&str> =
            out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(unique.len(), 20_000);
    }

    #[test]
    fn task_lists_become_labelled_checkboxes_and_are_counted() {
        let (out, _) = md("- [ ] 护照\n- [x] 余额\n");
        assert_eq!(out.checklist, 2);
        let id = format!("check-{:08x}", text_hash("护照"));
        assert!(out.html.contains(&format!("<li class=\"task\"><input type=\"checkbox\" class=\"task-check\" id=\"{id}\"><label for=\"{id}\">护照</label></li>")), "{}", out.html);
        assert!(out
            .html
            .contains(&format!("id=\"check-{:08x}\" checked>", text_hash("余额"))));
        assert!(!out.html.contains("disabled"));
    }

    fn task_ids(html: &str) -> Vec<&str> {
        html.split("class=\"task-check\" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }

    #[test]
    fn task_ids_follow_the_item_text_not_its_position() {
        let (before, _) = md("- [ ] Passport\n- [ ] **SIM** pin\n");
        let (after, _) = md("- [ ] Charger\n- [ ] Passport\n- [ ] SIM   pin\n");
        let (before, after) = (task_ids(&before.html), task_ids(&after.html));
        assert_eq!(before.len(), 2);
        assert!(
            before[0].starts_with("check-") && before[0].len() == 14,
            "{before:?}"
        );
        assert_eq!(
            after[1..],
            before[..],
            "markup and spacing do not change an id"
        );
        assert!(!before.contains(&after[0]));
        // The FNV-1a value itself: stored in browsers, so it must never change.
        assert_eq!(text_hash("a"), 0xe40c_292c);
    }

    #[test]
    fn equal_task_items_get_unique_ids() {
        let (out, _) = md("- [ ] 拍照\n- [ ] 拍照\n\n1. x\n   - [ ] 拍照\n     - [ ] nested\n");
        let ids = task_ids(&out.html);
        let base = format!("check-{:08x}", text_hash("拍照"));
        assert_eq!(
            ids[..3],
            [base.clone(), format!("{base}-2"), format!("{base}-3")]
        );
        assert_eq!(ids[3], format!("check-{:08x}", text_hash("nested")));
        assert!(out.html.contains("拍照</label>\n<ul>"), "{}", out.html);
    }

    #[test]
    fn counts_top_level_steps_only() {
        let (out, _) = md("1. a\n2. b\n   1. nested\n3. c\n\n- bullet\n");
        assert_eq!(out.steps, 3);
    }

    #[test]
    fn resolves_content_links_and_reports_broken_ones_with_line() {
        let (out, problems) = md("see [phone](@/qatar/renew-phone.md#步骤)\n\n[x](@/nope.md)\n");
        assert!(
            out.html
                .contains("href=\"/zh/qatar/renew-phone/#%E6%AD%A5%E9%AA%A4\""),
            "{}",
            out.html
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(7));
        assert_eq!(out.links.len(), 2);
    }

    #[test]
    fn renders_gfm_extensions() {
        let (out, _) = md("|a|b|\n|-|-|\n|1|2|\n\n~~old~~ new[^1]\n\n[^1]: tax included\n");
        assert!(out.html.contains("<table><thead>"));
        assert!(out.html.contains("<del>old</del>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn tables_scroll_in_a_focusable_region_named_after_their_heading() {
        let (out, _) = md("## 费用 \"A\" & B\n\n|a|b|\n|-|-|\n|1|2|\n");
        let open = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"费用 &quot;A&quot; &amp; B\"><table>";
        assert!(out.html.contains(open), "{}", out.html);
        assert!(out.html.contains("</table>\n</div>"), "{}", out.html);
    }

    #[test]
    fn a_table_before_any_heading_is_named_by_its_header_row() {
        let (out, _) = md("|Plan|`Price`|\n|-|-|\n|1|2|\n");
        assert!(
            out.html.contains("aria-label=\"Plan, Price\"><table>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn code_blocks_scroll_in_focusable_regions_with_unique_names() {
        let (out, _) = md("```text\n\n*555#\n```\n\n## 拨号\n\n```text\na\n```\n\n```sh\nb\n```\n");
        let names: Vec<&str> = out
            .html
            .split("<div class=\"code-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(names, ["*555#", "拨号", "拨号 2"], "{}", out.html);
        assert!(out.html.contains("</code></pre>\n</div>"), "{}", out.html);
    }

    #[test]
    fn highlights_code_blocks() {
        let (out, _) = md("```rust\nfn main() {}\n```\n");
        assert!(out.has_code);
        assert!(
            out.html
                .contains("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-"),
            "{}",
            out.html
        );
        // `fn` classed as a keyword, not only the whole block as Rust source.
        assert!(out.html.contains("hl-storage"), "{}", out.html);
    }

    #[test]
    fn plain_code_blocks_are_escaped_only() {
        let (out, _) = md("```text\n*555*1# <ok>\n```\n");
        assert!(!out.has_code, "no syntax stylesheet for plain text");
        assert!(
            out.html.contains(
                "<pre class=\"code\" data-lang=\"text\"><code>*555*1# &lt;ok&gt;\n</code></pre>"
            ),
            "{}",
            out.html
        );
    }

    #[test]
    fn plain_text_drops_tags_decodes_entities_and_collapses_space() {
        assert_eq!(
            plain_text("<p>a &amp;  <b>b</b></p>\n<p>&lt;c&gt; &#39;d&#39;</p>"),
            "a & b\n<c> 'd'"
        );
        assert_eq!(plain_text("<h2>续费</h2><p>步骤</p>"), "续费\n步骤");
        // Inline markup joins; blocks, line breaks and other `<sup>` end a line of text,
        // also after white space; white space alone is a space.
        assert_eq!(
            plain_text("<p>详见<a href=\"/zh/about/\">关于本站</a>。<code>planguide</code>, <STRONG>a</STRONG>b<br>c<sup>1</sup></p><li>d</li>"),
            "详见关于本站。planguide, ab\nc\n1\nd"
        );
        assert_eq!(
            plain_text("<td>Speed </td><td> Up to <b> 150 </b></td>"),
            "Speed\nUp to 150"
        );
        // Footnote marks and note numbers are left out.
        let (out, _) = md("相同。[^a]本示例\n\n[^a]: 注释。\n");
        assert_eq!(plain_text(&out.html), "相同。本示例\n注释。");
        // Unicode whitespace (no-break, ideographic) separates words like a space; other
        // characters sharing its lead bytes (…, “, 、) are text.
        assert_eq!(
            plain_text("a\u{a0}b\u{3000}续费 “x” … 、 ©"),
            "a b 续费 “x” … 、 ©"
        );
        assert_eq!(plain_text("a & b &nbsp; 1 > 0"), "a & b &nbsp; 1 > 0");
        assert_eq!(plain_text("<p>open <b"), "open");
        assert_eq!(plain_text("  <i></i>  "), "");
    }

    #[test]
    fn plain_text_of_text_without_markup_is_its_words_one_space_apart() {
        // Every string of up to four pieces: runs taken whole must write what collapsing
        // white space character by character writes.
        let pieces = [
            "a", "Bc", "续费", " ", "  ", "\u{a0}", "\u{3000}", "。", "“", "\u{2003}", "—",
            "\u{85}", "©", "\t", "\u{1680}", "ア",
        ];
        let mut text = String::new();
        for n in 0..pieces.len().pow(4) {
            text.clear();
            let mut rest = n;
            for _ in 0..4 {
                text.push_str(pieces[rest % pieces.len()]);
                rest /= pieces.len();
            }
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(plain_text(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_text_runs_stop_at_markup_and_every_whitespace_lead_byte() {
        for b in 0..=255u8 {
            let stop = matches!(b, b'<' | b'&' | 9..=13 | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
            assert_eq!(TEXT_STOPS[usize::from(b)], stop, "byte {b:#x}");
        }
        // Every non-ASCII whitespace character starts with one of the lead bytes.
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                let mut utf8 = [0; 4];
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(TEXT_STOPS[usize::from(lead)], "{c:?}");
            }
        }
    }

    #[test]
    fn line_breaks_between_chinese_characters_are_joined_and_others_stay_spaces() {
        let (out, _) = md("本地门店购买，\n以及续费\n**电话**\n续费\nby phone\n办理\n한국\n어\n");
        assert!(
            out.html.contains(
                "本地门店购买，以及续费<strong>电话</strong>续费\nby phone\n办理\n한국\n어"
            ),
            "{}",
            out.html
        );
    }

    #[test]
    fn footnotes_link_to_their_note_and_back() {
        let (out, _) = md("VAT[^tax] and more[^Tax]. Fees[^my fee]. See [^a-2][^a][^a].\n\n## Tax\n\n[^my fee]: Card fee.\n[^TAX]: Included.\n[^a]: A.\n[^a-2]: B.\n");
        let html = &out.html;
        let has = |needle: &str| assert!(html.contains(needle), "{needle} in {html}");
        has("<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>");
        has("id=\"fnref-1-2\"><a href=\"#fn-1\">1</a>");
        has("id=\"fnref-2\"><a href=\"#fn-2\">2</a>");
        has("<div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\"><a href=\"#fnref-1\">1</a></sup>");
        has("id=\"fn-2\"><sup class=\"footnote-definition-label\"><a href=\"#fnref-2\">2</a>");
        // `[^a-2]` and a second `[^a]` get different ids; a heading keeps its own.
        has("id=\"fnref-3\"><a href=\"#fn-3\">3</a>");
        has("id=\"fnref-4\"><a href=\"#fn-4\">4</a>");
        has("id=\"fnref-4-2\"><a href=\"#fn-4\">4</a>");
        has("<h2 id=\"tax\">");
        let (lone, _) = md("Text.\n\n[^n]: A note no one cites.\n");
        assert!(
            lone.html
                .contains("<sup class=\"footnote-definition-label\">1</sup>"),
            "{}",
            lone.html
        );
    }

    #[test]
    fn slugify_rules() {
        assert_eq!(slugify("How to  renew (by phone)"), "how-to-renew-by-phone");
        assert_eq!(slugify("第 1 步：拨号"), "第-1-步拨号");
    }
}

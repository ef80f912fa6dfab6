//! A Markdown document with YAML front matter: splitting the two, the strict front-matter
//! schema, and its validation into a resolved [`FrontMatter`]. Pure: text in, value out.

use serde::{Deserialize, Serialize};

use super::date::Date;
use crate::error::Diagnostic;
use crate::yaml::{self, find_key_line, find_value_line, Origin};

/// The fence that opens and closes front matter.
const FENCE: &str = "---";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    kind: GuideKind,
    channel: Option<Channel>,
    country: Option<String>,
    #[serde(default)]
    plans: Vec<String>,
    updated: Option<Date>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    aliases: Vec<String>,
    slug: Option<String>,
    template: Option<String>,
    source_hash: Option<String>,
    paginate_by: Option<usize>,
}

/// What a page is for; it picks the layout and which channels are allowed.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum GuideKind {
    /// Where and how to buy a plan.
    Purchase,
    /// How to renew (top up) a plan.
    Renewal,
    /// Anything else: about pages, glossaries.
    #[default]
    Page,
}

/// How a traveller buys or renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// A website or app (buying and renewing).
    Online,
    /// An airport counter or kiosk (buying).
    Airport,
    /// A shop in town (buying).
    LocalShop,
    /// A phone call or USSD code (renewing).
    Phone,
    /// A store visit (renewing).
    InStore,
}

impl Channel {
    /// The front-matter spelling, also used for Fluent keys and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Airport => "airport",
            Channel::LocalShop => "local-shop",
            Channel::Phone => "phone",
            Channel::InStore => "in-store",
        }
    }

    fn allowed_for(kind: GuideKind) -> &'static [Channel] {
        match kind {
            GuideKind::Purchase => &[Channel::Online, Channel::Airport, Channel::LocalShop],
            GuideKind::Renewal => &[Channel::Online, Channel::Phone, Channel::InStore],
            GuideKind::Page => &[],
        }
    }
}

impl GuideKind {
    /// The front-matter spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GuideKind::Purchase => "purchase",
            GuideKind::Renewal => "renewal",
            GuideKind::Page => "page",
        }
    }
}

/// A value from front matter with the file line it was written on, so later stages (plan
/// lookup, alias clashes) can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: usize,
}

/// Validated front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// Page title.
    pub title: String,
    /// One-sentence summary for listings and meta description.
    pub description: String,
    /// Layout and purpose.
    pub kind: GuideKind,
    /// Buying or renewing channel; required for purchase and renewal guides.
    pub channel: Option<Channel>,
    /// Country (section) the guide belongs to, when it differs from its folder.
    pub country: Option<Located<String>>,
    /// Ids of the plans this guide covers.
    pub plans: Vec<Located<String>>,
    /// When the guide was last updated (with its line, for naming a date in the future).
    pub updated: Option<Located<Date>>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Order in listings (lower first).
    pub weight: i64,
    /// Old site paths that should redirect here.
    pub aliases: Vec<Located<String>>,
    /// Overrides the file-name slug in the URL (with its line, for naming a URL it clashes on).
    pub slug: Option<Located<String>>,
    /// Overrides the layout template (with its line, for naming a template that is missing).
    pub template: Option<Located<String>>,
    /// Hash of the source-language body this translation was made from.
    pub source_hash: Option<String>,
    /// Sections only: entries per page of this section's list, overriding
    /// `build.paginate_by` (the default language's `_index` decides for every language, so
    /// the lists stay page-for-page alike).
    pub paginate_by: Option<usize>,
}

impl FrontMatter {
    /// The `updated` date without its line, as listings, feeds and the sitemap use it.
    pub fn updated_date(&self) -> Option<Date> {
        self.updated.as_ref().map(|updated| updated.value)
    }
}

/// A parsed content file: front matter plus the Markdown body and where it starts. The body
/// is a view into the file's bytes as read, so 20,000 pages are not held twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Validated front matter.
    pub front: FrontMatter,
    source: Source,
    body_range: std::ops::Range<usize>,
    /// 1-based file line where `body` starts, to shift Markdown positions.
    pub body_line: usize,
    /// Content fingerprint of the whole file, for incremental rebuilds.
    pub fingerprint: u64,
    /// Fingerprint of the front matter alone (what listings of this page show).
    pub front_fingerprint: u64,
    /// Fingerprint of the body alone (what translations are made from).
    pub body_fingerprint: u64,
    /// [`super::body_hash`] of the body, computed once on first use (by the translations'
    /// staleness notice and by `check`), not once per translation per stage.
    body_hash: BodyHash,
}

/// The file's bytes. A one-shot build lets go of them once every body is rendered (see
/// [`Document::release_source`]): at 200,000 pages they are hundreds of MB that nothing
/// after Markdown reads.
#[derive(Debug, Default)]
struct Source(std::sync::RwLock<Option<std::sync::Arc<[u8]>>>);

impl Source {
    fn new(bytes: std::sync::Arc<[u8]>) -> Self {
        Source(std::sync::RwLock::new(Some(bytes)))
    }

    fn get(&self) -> Option<std::sync::Arc<[u8]>> {
        self.0.read().ok().and_then(|bytes| bytes.clone())
    }
}

impl Clone for Source {
    fn clone(&self) -> Self {
        Source(std::sync::RwLock::new(self.get()))
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Source {}

/// A document's Markdown body, sharing the file's bytes.
#[derive(Debug, Clone)]
pub struct Body {
    source: Option<std::sync::Arc<[u8]>>,
    range: std::ops::Range<usize>,
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.source
            .as_deref()
            .and_then(|bytes| bytes.get(self.range.clone()))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

/// A lazily computed [`super::body_hash`]; a cache, so it takes no part in equality.
#[derive(Debug, Clone, Default)]
struct BodyHash(std::sync::OnceLock<String>);

impl PartialEq for BodyHash {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for BodyHash {}

impl Document {
    /// Parses a whole content file (already BOM/CRLF-normalised).
    pub fn parse(file: &str, text: &str) -> Result<Document, Vec<Diagnostic>> {
        Self::parse_in(file, std::sync::Arc::from(text.as_bytes()), 0)
    }

    /// Parses a file's bytes as read from disk, sharing them: the body stays a view into
    /// `source` unless line endings had to be normalised.
    pub fn from_source(
        file: &str,
        source: std::sync::Arc<[u8]>,
    ) -> Result<Document, Vec<Diagnostic>> {
        let text = super::decode(file, &source).map_err(|d| vec![d])?;
        match super::normalize_text(text) {
            std::borrow::Cow::Borrowed(normalized) => {
                let offset = text.len() - normalized.len();
                Self::parse_in(file, source.clone(), offset)
            }
            std::borrow::Cow::Owned(normalized) => {
                Self::parse_in(file, std::sync::Arc::from(normalized.into_bytes()), 0)
            }
        }
    }

    /// [`super::body_hash`] of the body: what a translation made from it records. `None`
    /// once the source was released without keeping the hash: hashing what is left would
    /// call every translation stale.
    pub fn body_hash(&self) -> Option<&str> {
        if let Some(hash) = self.body_hash.0.get() {
            return Some(hash);
        }
        let source = self.source.get()?;
        let body = Body {
            source: Some(source),
            range: self.body_range.clone(),
        };
        Some(self.body_hash.0.get_or_init(|| super::body_hash(&body)))
    }

    /// The Markdown after the closing fence (empty once the source is released).
    pub fn body(&self) -> Body {
        Body {
            source: self.source.get(),
            range: self.body_range.clone(),
        }
    }

    /// Drops this document's hold on the file's bytes, for a build that has rendered every
    /// body and keeps only front matter from here on. Computes [`Self::body_hash`] first
    /// when `keep_hash` (source-language pages, whose translations compare against it).
    pub fn release_source(&self, keep_hash: bool) {
        if keep_hash {
            self.body_hash();
        }
        if let Ok(mut bytes) = self.source.0.write() {
            *bytes = None;
        }
    }

    fn parse_in(
        file: &str,
        source: std::sync::Arc<[u8]>,
        offset: usize,
    ) -> Result<Document, Vec<Diagnostic>> {
        let whole = source
            .get(offset..)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let (front_text, body, body_line) = split(file, whole).map_err(|d| vec![d])?;
        let body_start = offset + (whole.len() - body.len());
        let body_range = body_start..source.len();
        let origin = Origin {
            file,
            line_offset: 1,
        };
        // Every wrong key and value, but no checks across keys: with a wrong `kind` left
        // out, a `channel` would be reported as not allowed on a page.
        let raw: RawFrontMatter =
            yaml::parse_all(front_text, origin).map_err(|partial| partial.problems)?;
        let front = resolve(raw, file, front_text)?;
        let front_fingerprint = crate::incremental::fingerprint(front_text.as_bytes());
        let body_fingerprint = crate::incremental::fingerprint(body.as_bytes());
        Ok(Document {
            front,
            source: Source::new(source.clone()),
            body_range,
            body_line,
            fingerprint: front_fingerprint ^ body_fingerprint.rotate_left(1) ^ body_line as u64,
            front_fingerprint,
            body_fingerprint,
            body_hash: BodyHash::default(),
        })
    }
}

/// Splits `---\n yaml \n---\n body`, returning the YAML, the body and the body's first line.
fn split<'t>(file: &str, text: &'t str) -> Result<(&'t str, &'t str, usize), Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("front-matter", file, "the file is empty")
            .at(1, 1)
            .hint(
                "start the file with front matter between `---` lines, with at least a `title`",
            ));
    }
    let Some(rest) = text.strip_prefix(FENCE).filter(|r| r.starts_with('\n')) else {
        return Err(Diagnostic::error(
            "front-matter",
            file,
            "the file does not start with front matter (`---` on the first line)",
        )
        .at(1, 1)
        .hint("add `---`, then `title: ...`, then `---` at the top of the file"));
    };
    let rest = &rest[1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            let yaml_text = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml_text.lines().count() + 1;
            return Ok((yaml_text, body, body_line));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "front-matter",
        file,
        "the front matter is never closed: no second `---` line",
    )
    .at(1, 1)
    .hint("add a line with `---` after the last front-matter key"))
}

fn resolve(raw: RawFrontMatter, file: &str, text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    // Lines are file-absolute: the YAML starts on the file's line 2.
    let key_line = |key: &str| find_key_line(text, key).map_or(1, |l| l + 1);
    let value_line = |value: &str, after: usize| {
        find_value_line(text, value, after.saturating_sub(1)).map_or(after, |l| l + 1)
    };
    let mut problems = Vec::new();
    if raw.title.trim().is_empty() {
        problems.push(
            Diagnostic::error("front-matter", file, "`title` is empty").at(key_line("title"), 1),
        );
    }
    check_channel(
        &raw,
        file,
        key_line("channel").max(key_line("kind")),
        &mut problems,
    );
    if let Some(slug) = &raw.slug {
        if let Err(message) = check_slug(slug) {
            problems.push(Diagnostic::error("slug", file, message).at(key_line("slug"), 1));
        }
    }
    let aliases_line = key_line("aliases");
    let mut aliases = Vec::new();
    for alias in raw.aliases {
        let line = value_line(&alias, aliases_line);
        match normalize_alias(&alias) {
            Ok(value) => aliases.push(Located { value, line }),
            Err(message) => problems.push(Diagnostic::error("alias", file, message).at(line, 1)),
        }
    }
    let plans_line = key_line("plans");
    let plans = raw
        .plans
        .into_iter()
        .map(|id| Located {
            line: value_line(&id, plans_line),
            value: id,
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(FrontMatter {
        title: raw.title,
        description: raw.description,
        kind: raw.kind,
        channel: raw.channel,
        country: raw.country.map(|value| Located {
            value,
            line: key_line("country"),
        }),
        plans,
        updated: raw.updated.map(|value| Located {
            value,
            line: key_line("updated"),
        }),
        draft: raw.draft,
        weight: raw.weight,
        aliases,
        slug: raw.slug.map(|value| Located {
            value,
            line: key_line("slug"),
        }),
        template: raw.template.map(|value| Located {
            value,
            line: key_line("template"),
        }),
        source_hash: raw.source_hash,
        paginate_by: raw.paginate_by,
    })
}

fn check_channel(raw: &RawFrontMatter, file: &str, line: usize, problems: &mut Vec<Diagnostic>) {
    let allowed = Channel::allowed_for(raw.kind);
    let names = || {
        allowed
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (raw.channel, allowed.is_empty()) {
        (None, false) => problems.push(
            Diagnostic::error(
                "channel",
                file,
                format!("a {} guide needs a `channel`", raw.kind.as_str()),
            )
            .at(line, 1)
            .hint(format!("add `channel:` with one of: {}", names())),
        ),
        (Some(channel), true) => problems.push(
            Diagnostic::error(
                "channel",
                file,
                format!(
                    "`channel: {}` only applies to purchase and renewal guides",
                    channel.as_str()
                ),
            )
            .at(line, 1)
            .hint("set `kind: purchase` or `kind: renewal`, or remove `channel`"),
        ),
        (Some(channel), false) if !allowed.contains(&channel) => problems.push(
            Diagnostic::error(
                "channel",
                file,
                format!(
                    "`{}` is not a channel for {} guides",
                    channel.as_str(),
                    raw.kind.as_str()
                ),
            )
            .at(line, 1)
            .hint(format!("use one of: {}", names())),
        ),
        _ => {}
    }
}

/// A slug is one URL segment: no separators, no traversal, nothing hidden, and no ASCII
/// punctuation beyond `-`, `_`, `.` and `~`, so it is safe unescaped in every file planguide
/// writes (HTML, sitemap, `_redirects`, nginx configuration). Letters of any script are fine.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let bad = slug.is_empty() || slug.starts_with('.') || slug.chars().any(|c| !is_url_char(c));
    if bad {
        Err(format!(
            "`{slug}` must be a single URL segment: letters, digits, `-`, `_`, `.` or `~` (no `/`, `..`, spaces or other punctuation)"
        ))
    } else {
        Ok(())
    }
}

fn is_url_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
    } else {
        c.is_alphanumeric()
    }
}

/// Aliases are old site paths (`/en/qatar/phone-renewal/`); they become redirect pages, so
/// they must stay inside the output folder. An old URL naming an `.html` file
/// (`/en/old-guide.html`) stays a file, so the redirect sits exactly where readers' links
/// point; any other alias is a folder.
pub fn normalize_alias(alias: &str) -> Result<String, String> {
    let invalid = |why: &str| format!("alias `{alias}` {why}");
    if alias.contains("://") || alias.starts_with("//") {
        return Err(invalid("must be a path on this site, not a URL"));
    }
    if alias.contains(['\\', '\0', '?', '#']) || alias.chars().any(char::is_whitespace) {
        return Err(invalid("must not contain `\\`, `?`, `#` or spaces"));
    }
    let segments: Vec<&str> = alias.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(invalid("must name a path below the site root"));
    }
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.starts_with('.'))
    {
        return Err(invalid("must not contain `.` or `..` segments"));
    }
    if segments.iter().any(|s| check_slug(s).is_err()) {
        return Err(invalid(
            "may only use letters, digits, `-`, `_`, `.` and `~` in each segment",
        ));
    }
    let joined = segments.join("/");
    if is_file_alias(&joined) {
        Ok(format!("/{joined}"))
    } else {
        Ok(format!("/{joined}/"))
    }
}

/// Whether an alias names an HTML file rather than a folder (see [`normalize_alias`]).
pub fn is_file_alias(alias: &str) -> bool {
    let lower = alias.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "content/qatar/renew-phone.en.md";

    fn parse(text: &str) -> Result<Document, Vec<Diagnostic>> {
        Document::parse(FILE, text)
    }

    #[test]
    fn can_parse_front_matter_and_body() {
        let doc = parse("---\ntitle: Renew by phone\nkind: renewal\nchannel: phone\nplans: [qa-1]\nupdated: 2026-10-01\n---\n# Steps\n").unwrap();
        assert_eq!(doc.front.title, "Renew by phone");
        assert_eq!(doc.front.channel, Some(Channel::Phone));
        assert_eq!(doc.front.plans[0].value, "qa-1");
        assert_eq!(doc.front.plans[0].line, 5);
        assert_eq!(&*doc.body(), "# Steps\n");
        assert_eq!(doc.body_line, 8);
    }

    #[test]
    fn a_released_document_keeps_front_matter_and_the_hash_it_was_asked_to_keep() {
        let text = "---\ntitle: T\n---\nBody  text\n";
        let kept = parse(text).unwrap();
        let hash = crate::content::body_hash("Body text");
        let body_held = kept.body();
        kept.release_source(true);
        assert_eq!(&*kept.body(), "", "the bytes are gone");
        assert_eq!(
            &*body_held, "Body  text\n",
            "a body taken before stays valid"
        );
        assert_eq!(kept.body_hash(), Some(hash.as_str()));
        assert_eq!(kept.front.title, "T");

        let dropped = parse(text).unwrap();
        dropped.release_source(false);
        assert_eq!(
            dropped.body_hash(),
            None,
            "not kept: no hash of what is left"
        );
    }

    #[test]
    fn errors_when_front_matter_is_not_closed() {
        let problems = parse("---\ntitle: x\n# body\n").unwrap_err();
        assert!(problems[0].message.contains("never closed"));
        assert_eq!(problems[0].line, Some(1));
    }

    #[test]
    fn errors_when_front_matter_is_missing_or_file_empty() {
        assert!(parse("# just markdown\n").unwrap_err()[0]
            .message
            .contains("does not start"));
        assert!(parse("").unwrap_err()[0].message.contains("empty"));
    }

    #[test]
    fn errors_when_key_is_unknown_on_its_file_line() {
        let problems = parse("---\ntitle: x\nauthor: me\n---\n").unwrap_err();
        assert_eq!(problems[0].code, "unknown-key");
        assert_eq!(problems[0].line, Some(3));
    }

    #[test]
    fn errors_when_channel_does_not_fit_kind() {
        let problems = parse("---\ntitle: x\nkind: renewal\nchannel: airport\n---\n").unwrap_err();
        assert_eq!(problems[0].code, "channel");
        assert_eq!(problems[0].line, Some(4));
        let problems = parse("---\ntitle: x\nkind: purchase\n---\n").unwrap_err();
        assert!(problems[0].message.contains("needs a `channel`"));
    }

    #[test]
    fn errors_when_slug_or_alias_escapes() {
        let problems = parse("---\ntitle: x\nslug: ../up\n---\n").unwrap_err();
        assert_eq!(problems[0].code, "slug");
        let problems = parse("---\ntitle: x\naliases:\n  - /en/../../etc/\n---\n").unwrap_err();
        assert_eq!(problems[0].code, "alias");
        assert_eq!(problems[0].line, Some(4));
        assert_eq!(normalize_alias("en/old").unwrap(), "/en/old/");
        assert_eq!(
            normalize_alias("/en/old-guide.html").unwrap(),
            "/en/old-guide.html"
        );
        assert!(
            normalize_alias("/en/a;b/").is_err(),
            "unsafe in nginx configuration"
        );
        assert!(check_slug("a{b}").is_err() && check_slug("a$b").is_err());
        assert!(check_slug("续费-online_2").is_ok());
    }

    #[test]
    fn errors_when_date_is_invalid() {
        let problems = parse("---\ntitle: x\nupdated: 2026-02-30\n---\n").unwrap_err();
        assert_eq!(problems[0].line, Some(3));
        assert!(problems[0].message.contains("2026-02-30"));
    }
}

//! Site search: one static, sharded index per language (`/<lang>/search/meta.json` and the
//! content-named files under `/search/<lang>/`), read by the dependency-free client
//! `themes/default/static/js/search.js` in the browser (and in Node for the tests).
//!
//! # Why this shape
//!
//! Chinese has no spaces, so an index of jieba words only finds a query that jieba cuts the
//! same way, and the browser has no dictionary. Instead every CJK run is indexed as
//! overlapping **character bigrams**, which any substring of two or more characters can be
//! looked up by, plus **unigrams**, which a one-character query is looked up by: every
//! character of the title, headings, country, channel and plan names, and one-character
//! words anywhere (body characters inside longer words would cost far more postings). jieba
//! still decides segmentation: for each bigram the index records how often jieba kept both characters
//! inside one word. The client cuts a query like `卡塔尔电话续费` wherever that ratio is low
//! (尔电, 话续), requires the bigrams of each resulting word (卡塔尔 / 电话 / 续费) and only
//! rewards the boundary bigrams, so the query matches `在卡塔尔通过电话续费`. Other text is
//! split into lower-cased words (hyphenated pairs also joined: `top-up` → `topup`, and a
//! word with an English particle after it: `top up` → `topup`); the
//! client expands an English query word to every indexed word sharing its stem-like prefix
//! (`renew` → `renewal`, `renewed`).
//!
//! # Files
//!
//! `<lang>/search/meta.json` is the entry point and changes with the site; everything else
//! lives under `search/<lang>/` and carries `<id>`, a hash of everything the files are made
//! from, so a changed site gets new names. Keeping those files out of `/<lang>/` lets one
//! cache rule mark them immutable (`/search/*`) without overlapping the short-lived rule of
//! the language's pages (`/<lang>/*`): CDNs combine, rather than override, the
//! `Cache-Control` of overlapping `_headers` rules.
//!
//! - `meta.json`: format version, `id`, where the other files are (`files`, relative to
//!   `meta.json`), document count, shard counts, whether there is a titles file
//!   (`titles`), stop words, Chinese function words.
//! - `p<i>.<id>.bin`: postings shard `i`; a term lives in shard
//!   `shard_hash(first 3 chars) & (shards - 1)`. Layout (varints are unsigned LEB128):
//!   `count`, then per term sorted by bytes: `shared prefix len`, `suffix len`, suffix
//!   bytes, `inside` byte (bigram ratio, 255 otherwise), `df`, `len << 1 | external`, and,
//!   unless external, the postings: `df` × (`doc gap` varint, `score` byte: 0x80 title,
//!   0x40 heading, 0x20 country/channel/plan, low 5 bits BM25 body weight).
//! - `p<i>-<j>.<id>.bin`: the postings of the `j`-th external term of shard `i` (lists over
//!   32 KB, terms in most of a very large site's pages), so a query reads such a term's
//!   statistics without its whole list.
//! - `d<k>.<id>.json`: documents `k·docsPerShard …` as `[url, title, context, text]`, the
//!   text capped for snippets. Documents are numbered in URL order.
//! - `t.<id>.json` (when `meta.json` says `"titles": true`): one JSON string, a line per
//!   document in order, `url \t title \t context`, up to 2 MB (a site of about 16,000
//!   pages). The client loads it with `meta.json`, so a query can show its ranked results
//!   as soon as their postings are in, and fill in the snippets from the document shards
//!   after: one round of requests before the reader sees the answer instead of two. A
//!   browser spends several milliseconds on each request, and a result list needs the
//!   document shards of five results, so that second round cost as much as all the rest
//!   of a query.
//!
//! A query downloads `meta.json` and the titles file (when the field is focused), one
//! shard per distinct term prefix, the very long lists of the terms it requires (only on
//! sites of tens of thousands of pages), and the document shards of the results it shows.

mod index;
pub mod tokenize;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

/// One page as the search index sees it: rendered text, not Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Root-relative URL of the page.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Headings' text in document order.
    pub headings: Vec<String>,
    /// Body as plain text (tags stripped, whitespace collapsed, a line break where a block
    /// ends: see [`crate::markdown::plain_text`]).
    pub body: String,
    /// Country (section) title in the page's language, if any.
    pub country: Option<String>,
    /// Channel label in the page's language (e.g. "电话" / "By phone"), if any.
    pub channel: Option<String>,
    /// Names of the plans the page covers, in the page's language.
    pub plans: Vec<String>,
    /// `purchase`, `renewal`, `page`, `section` or `home`.
    pub kind: String,
}

/// Version of the file layout, checked by the client.
pub const FORMAT_VERSION: u32 = 2;

/// Whether an output path (`zh/search/meta.json`, `search/zh/p3.<id>.bin`) belongs to a
/// search index, which `serve` builds on first request rather than on every rebuild.
pub fn is_index_file(path: &str) -> bool {
    let mut parts = path.split('/');
    path.starts_with("search/")
        || (parts.nth(1) == Some("search")
            && parts.next() == Some("meta.json")
            && parts.next().is_none())
}

/// Postings shards aim at this many bytes, so a query's download stays small.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// Postings lists longer than this many bytes (a term in over ~16,000 documents) get a file
/// of their own, fetched only when a query requires that term. Shorter lists stay inline:
/// a query then needs one round of requests for all its terms, including every English
/// variant sharing a prefix, which sit in the same shard. Each extra round costs more in a
/// browser than the few kilobytes inlining adds to a shard.
const LIST_FILE_BYTES: usize = 32 * 1024;
/// The titles file (every result's URL, title and context, see the module docs) is written
/// only up to this size: about 16,000 pages of the benchmark corpus, some 110 KB gzip. A
/// first query may download 300 KB gzip in all (the search issue's budget), the titles
/// file included, since the field's focus loads it; a larger site's readers get each
/// result's title with its snippet instead, from the document shards.
const TITLES_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Upper bound on postings shards per language.
const MAX_SHARDS: usize = 4096;
/// Document shards aim at this many bytes.
const TARGET_DOC_SHARD_BYTES: usize = 8 * 1024;
/// Upper bound on documents per document shard.
const MAX_DOCS_PER_SHARD: usize = 64;
/// Snippet text kept per document, in characters.
const TEXT_CAP_CHARS: usize = 1500;

/// Starts loading the jieba dictionary (~100 ms) on a background thread, so a build can
/// overlap it with parsing and rendering instead of waiting for it in [`build`].
pub fn warm_up() {
    rayon::spawn(|| {
        let _ = tokenize::jieba();
    });
}

/// Frees the segmentation dictionary once indexes are built (a build calls it before
/// rendering pages; the next index build loads it again).
pub fn release() {
    tokenize::release();
}

/// The pages of one language as the index reads them: by number, made on demand, so the
/// plain text of a whole language (tens of MB on a large site) never sits in memory at once.
pub trait DocSource: Sync {
    /// Number of documents.
    fn count(&self) -> usize;
    /// URL of document `i`; documents are indexed in URL order, the first of equal URLs kept.
    fn url(&self, i: usize) -> &str;
    /// Adds to `hasher` everything document `i` is made from: equal inputs, equal document.
    /// The index's file names come from these, so shards can be written before all exist.
    fn identity(&self, i: usize, hasher: &mut blake3::Hasher);
    /// Makes document `i` in `doc`, overwriting what it held: the index makes each document
    /// when it reaches it, in one buffer reused for a chunk of pages.
    fn doc_into(&self, i: usize, doc: &mut SearchDoc);

    /// Document `i` in a new buffer.
    fn doc(&self, i: usize) -> SearchDoc {
        let mut doc = SearchDoc::default();
        self.doc_into(i, &mut doc);
        doc
    }
}

impl DocSource for [SearchDoc] {
    fn count(&self) -> usize {
        self.len()
    }

    fn url(&self, i: usize) -> &str {
        self.get(i).map_or("", |d| d.url.as_str())
    }

    fn identity(&self, i: usize, hasher: &mut blake3::Hasher) {
        if let Some(d) = self.get(i) {
            d.identity(hasher);
        }
    }

    fn doc_into(&self, i: usize, doc: &mut SearchDoc) {
        match self.get(i) {
            Some(d) => doc.clone_from(d),
            None => *doc = SearchDoc::default(),
        }
    }
}

impl SearchDoc {
    /// Adds every field to `hasher`, each length-prefixed so fields cannot run together.
    pub fn identity(&self, hasher: &mut blake3::Hasher) {
        let strings = [&self.url, &self.title, &self.body, &self.kind]
            .into_iter()
            .chain(&self.headings)
            .chain(self.country.iter())
            .chain(self.channel.iter())
            .chain(&self.plans);
        let counts = [self.headings.len(), self.plans.len()];
        for n in counts {
            hasher.update(&(n as u64).to_le_bytes());
        }
        hasher.update(&[
            u8::from(self.country.is_some()),
            u8::from(self.channel.is_some()),
        ]);
        for s in strings {
            hash_str(hasher, s);
        }
    }
}

/// Adds a length-prefixed string to a hasher.
pub fn hash_str(hasher: &mut blake3::Hasher, s: &str) {
    hasher.update(&(s.len() as u64).to_le_bytes());
    hasher.update(s.as_bytes());
}

/// Builds the index files for one language and returns them. Keys are paths relative to
/// the output root (`zh/search/meta.json`, `search/zh/...`).
pub fn build(lang: &str, docs: &[SearchDoc]) -> BTreeMap<String, Vec<u8>> {
    collect(|emit| build_into(lang, docs, emit))
}

/// The files `produce` hands to its `emit`, gathered into a map (for callers that keep the
/// index in memory rather than write it out as it is made).
pub fn collect(
    produce: impl FnOnce(&(dyn Fn(String, Vec<u8>) + Sync)),
) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    produce(&|path, bytes| {
        if let Ok(mut files) = files.lock() {
            files.insert(path, bytes);
        }
    });
    files.into_inner().unwrap_or_default()
}

/// Builds the index files for one language, handing each to `emit` as soon as it is made
/// (document shards while later documents are still being analysed), so a build can write
/// them out instead of holding the whole index.
pub fn build_into(
    lang: &str,
    source: &(impl DocSource + ?Sized),
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    let limits = Limits {
        list_file_bytes: LIST_FILE_BYTES,
        titles_max_bytes: TITLES_MAX_BYTES,
    };
    build_with_limits(lang, source, emit, limits);
}

/// Sizes that decide which files a language's index has (the tests lower them to reach
/// the paths of a site of 16,000 pages without building one).
#[derive(Clone, Copy)]
struct Limits {
    /// Postings lists over this many bytes get files of their own.
    list_file_bytes: usize,
    /// The titles file is written only up to this many bytes.
    titles_max_bytes: usize,
}

/// [`build_into`] with the given [`Limits`].
fn build_with_limits(
    lang: &str,
    source: &(impl DocSource + ?Sized),
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
    limits: Limits,
) {
    let mut order: Vec<usize> = (0..source.count()).collect();
    order.sort_by(|&a, &b| source.url(a).cmp(source.url(b)).then(a.cmp(&b)));
    order.dedup_by(|a, b| source.url(*a) == source.url(*b));

    let shape = Shape::sampled(source, &order);
    let id = index_id(lang, source, &order, &shape);
    let per_chunk = shape.chunk_docs();
    let shards_per_chunk = per_chunk / shape.docs_per_shard;
    let (terms, titles): (Vec<index::ChunkTerms>, Vec<String>) = order
        .par_chunks(per_chunk)
        .enumerate()
        .map_init(index::Worker::default, |worker, (i, chunk)| {
            let analysed = analyze(source, chunk, i * per_chunk, &shape, worker);
            for (j, bytes) in analysed.doc_files.into_iter().enumerate() {
                let k = i * shards_per_chunk + j;
                emit(format!("search/{lang}/d{k}.{id}.json"), bytes);
            }
            (analysed.terms, analysed.titles)
        })
        .unzip();
    let titles = titles_file(titles, limits.titles_max_bytes);
    let postings = postings_shards(index::merge_chunks(terms), limits.list_file_bytes);
    let meta = Meta {
        version: FORMAT_VERSION,
        lang,
        id: &id,
        files: &format!("../../search/{lang}/"),
        docs: order.len(),
        shards: postings.len(),
        doc_shards: order.len().div_ceil(shape.docs_per_shard),
        docs_per_shard: shape.docs_per_shard,
        titles: titles.is_some(),
        min_word_chars: tokenize::MIN_WORD_CHARS,
        max_word_chars: tokenize::MAX_WORD_CHARS,
        stop_words: tokenize::STOP_WORDS,
        function_words: tokenize::FUNCTION_WORDS_ZH,
    };
    emit(
        format!("{lang}/search/meta.json"),
        serde_json::to_vec(&meta).unwrap_or_default(),
    );
    if let Some(titles) = titles {
        emit(format!("search/{lang}/t.{id}.json"), titles);
    }
    // Side by side: writing a language's last files is what the build waits for.
    postings.into_par_iter().enumerate().for_each(|(i, shard)| {
        emit(format!("search/{lang}/p{i}.{id}.bin"), shard.main);
        for (j, list) in shard.lists.into_iter().enumerate() {
            emit(format!("search/{lang}/p{i}-{j}.{id}.bin"), list);
        }
    });
}

/// The id in the index's file names: a hash of everything the files are made from (the
/// documents in order, their sharding, the format and this planguide's version), so a
/// changed site gets new names and unchanged files stay cached.
fn index_id(
    lang: &str,
    source: &(impl DocSource + ?Sized),
    order: &[usize],
    shape: &Shape,
) -> String {
    let mut hasher = blake3::Hasher::new();
    hash_str(&mut hasher, env!("CARGO_PKG_VERSION"));
    hash_str(&mut hasher, lang);
    hasher.update(&FORMAT_VERSION.to_le_bytes());
    hasher.update(&(shape.docs_per_shard as u64).to_le_bytes());
    hasher.update(&shape.avg_body.to_bits().to_le_bytes());
    let per_doc: Vec<[u8; 32]> = order
        .par_iter()
        .map(|&i| {
            let mut doc = blake3::Hasher::new();
            source.identity(i, &mut doc);
            *doc.finalize().as_bytes()
        })
        .collect();
    for digest in per_doc {
        hasher.update(&digest);
    }
    let hex = hasher.finalize().to_hex();
    hex.as_str().get(..10).unwrap_or("0").to_string()
}

/// `meta.json`: what the client needs before it can fetch anything else.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    version: u32,
    lang: &'a str,
    id: &'a str,
    files: &'a str,
    docs: usize,
    shards: usize,
    doc_shards: usize,
    docs_per_shard: usize,
    /// Whether `t.<id>.json` exists.
    titles: bool,
    min_word_chars: usize,
    max_word_chars: usize,
    stop_words: &'a [&'a str],
    function_words: &'a [&'a str],
}

/// One postings shard: the main file (every term, small postings inline) and the long
/// postings lists kept in files of their own.
struct Shard {
    main: Vec<u8>,
    lists: Vec<Vec<u8>>,
}

/// Figures decided before indexing from a sample of the documents, so every chunk can be
/// analysed and its document shards written without waiting for the others.
struct Shape {
    /// Average body length in bytes, for BM25's length normalisation.
    avg_body: f64,
    /// Documents per document shard.
    docs_per_shard: usize,
}

/// Documents sampled at most to estimate [`Shape`].
const SAMPLE_DOCS: usize = 256;

impl Shape {
    /// Estimates the shape from an evenly spaced, deterministic sample of `order`.
    fn sampled(source: &(impl DocSource + ?Sized), order: &[usize]) -> Shape {
        let step = order.len().div_ceil(SAMPLE_DOCS).max(1);
        let sample: Vec<(usize, usize)> = order
            .par_iter()
            .step_by(step)
            .map(|&i| {
                let doc = source.doc(i);
                (doc.body.len(), doc_entry_bytes(&doc_entry(&doc)))
            })
            .collect();
        let n = sample.len().max(1);
        let body: usize = sample.iter().map(|s| s.0).sum();
        let entry: usize = sample.iter().map(|s| s.1).sum();
        Shape {
            avg_body: (body as f64 / n as f64).max(1.0),
            docs_per_shard: (TARGET_DOC_SHARD_BYTES / (entry / n).max(1))
                .clamp(1, MAX_DOCS_PER_SHARD),
        }
    }

    /// Documents analysed per task: whole document shards, about [`index::CHUNK_DOCS`].
    fn chunk_docs(&self) -> usize {
        index::CHUNK_DOCS.div_ceil(self.docs_per_shard) * self.docs_per_shard
    }
}

/// What one chunk of documents contributes: its terms, its finished document shards and
/// its lines of the titles file.
struct Analysed {
    terms: index::ChunkTerms,
    doc_files: Vec<Vec<u8>>,
    titles: String,
}

/// Makes, analyses and stores one chunk of documents (numbered from `first`), one at a
/// time in one buffer that each overwrites: a page's text lives only until the next one's
/// is made, and its shard entry is written at once.
fn analyze(
    source: &(impl DocSource + ?Sized),
    chunk: &[usize],
    first: usize,
    shape: &Shape,
    worker: &mut index::Worker,
) -> Analysed {
    let mut indexer = index::ChunkIndexer::new(shape.avg_body, worker);
    let mut doc = SearchDoc::default();
    let mut files = ChunkFiles::new(shape.docs_per_shard);
    for (k, &i) in chunk.iter().enumerate() {
        source.doc_into(i, &mut doc);
        if let Ok(n) = u32::try_from(first + k) {
            indexer.add(n, &doc);
        }
        files.push(&doc_entry(&doc));
    }
    files.close_shard();
    Analysed {
        terms: indexer.finish(),
        doc_files: files.shards,
        titles: files.titles,
    }
}

/// A chunk's document shards and its lines of the titles file, written an entry at a time
/// so no document outlives its turn.
struct ChunkFiles {
    docs_per_shard: usize,
    /// Entries so far.
    count: usize,
    /// Finished shards: JSON arrays of entries.
    shards: Vec<Vec<u8>>,
    /// The shard being written, closed when full or at the chunk's end.
    open: Vec<u8>,
    titles: String,
}

impl ChunkFiles {
    fn new(docs_per_shard: usize) -> Self {
        ChunkFiles {
            docs_per_shard: docs_per_shard.max(1),
            count: 0,
            shards: Vec::new(),
            open: Vec::new(),
            titles: String::new(),
        }
    }

    /// Adds one document's entry to its shard and its line to the titles.
    fn push(&mut self, entry: &DocEntry<'_>) {
        let first_of_shard = self.count.is_multiple_of(self.docs_per_shard);
        self.open.push(if first_of_shard { b'[' } else { b',' });
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.open, entry);
        self.count += 1;
        if self.count.is_multiple_of(self.docs_per_shard) {
            self.close_shard();
        }
        if self.count > 1 {
            self.titles.push('\n');
        }
        let (url, title, context, _) = entry;
        for field in [url, title] {
            self.titles.push_str(field);
            self.titles.push('\t');
        }
        self.titles.push_str(context);
    }

    fn close_shard(&mut self) {
        if !self.open.is_empty() {
            self.open.push(b']');
            self.shards.push(std::mem::take(&mut self.open));
        }
    }
}

/// The titles file from the chunks' lines, in document order: one JSON string holding a
/// line per document (a browser parses one long string much faster than thousands of
/// small arrays), or `None` when it would be over `max_bytes`.
fn titles_file(parts: Vec<String>, max_bytes: usize) -> Option<Vec<u8>> {
    let lines = parts.join("\n");
    let file = serde_json::to_vec(&lines).ok()?;
    (file.len() <= max_bytes).then_some(file)
}

/// The postings shards; their count is a power of two.
fn postings_shards(mut terms: Vec<index::Term>, list_file_bytes: usize) -> Vec<Shard> {
    let estimate: usize = terms
        .iter()
        .map(|t| {
            let len = t.postings_len();
            t.text.len() + 6 + if len > list_file_bytes { 0 } else { len }
        })
        .sum();
    let count = estimate
        .div_ceil(TARGET_SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS);
    let mask = (count - 1) as u32;
    terms.par_sort_unstable_by(|a, b| {
        (a.hash & mask)
            .cmp(&(b.hash & mask))
            .then_with(|| a.text.as_bytes().cmp(b.text.as_bytes()))
    });
    // Ranges of `terms` per shard.
    let mut bounds = vec![0usize; count + 1];
    for t in &terms {
        if let Some(b) = bounds.get_mut((t.hash & mask) as usize + 1) {
            *b += 1;
        }
    }
    for i in 1..bounds.len() {
        let prev = bounds.get(i - 1).copied().unwrap_or(0);
        if let Some(b) = bounds.get_mut(i) {
            *b += prev;
        }
    }
    (0..count)
        .into_par_iter()
        .map(|i| {
            let start = bounds.get(i).copied().unwrap_or(0);
            let end = bounds.get(i + 1).copied().unwrap_or(start);
            encode_shard(terms.get(start..end).unwrap_or(&[]), list_file_bytes)
        })
        .collect()
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn encode_postings(term: &index::Term, out: &mut Vec<u8>) {
    let mut last = 0u32;
    for (&doc, &score) in term.docs.iter().zip(&term.scores) {
        put_varint(out, u64::from(doc.saturating_sub(last)));
        out.push(score);
        last = doc;
    }
}

fn encode_shard(terms: &[index::Term], list_file_bytes: usize) -> Shard {
    let mut main = Vec::with_capacity(TARGET_SHARD_BYTES);
    let mut lists = Vec::new();
    let mut postings = Vec::new();
    put_varint(&mut main, terms.len() as u64);
    let mut prev: &[u8] = &[];
    for term in terms {
        let bytes = term.text.as_bytes();
        let shared = prev.iter().zip(bytes).take_while(|(a, b)| a == b).count();
        let suffix = bytes.get(shared..).unwrap_or(&[]);
        put_varint(&mut main, shared as u64);
        put_varint(&mut main, suffix.len() as u64);
        main.extend_from_slice(suffix);
        main.push(term.inside);
        put_varint(&mut main, term.docs.len() as u64);
        postings.clear();
        encode_postings(term, &mut postings);
        let external = postings.len() > list_file_bytes;
        put_varint(
            &mut main,
            ((postings.len() as u64) << 1) | u64::from(external),
        );
        if external {
            lists.push(postings.clone());
        } else {
            main.extend_from_slice(&postings);
        }
        prev = bytes;
    }
    Shard { main, lists }
}

/// One document as a document shard stores it: `[url, title, context, text]`. URL, title
/// and context are also a line of the titles file, so they hold no tab or line break.
type DocEntry<'a> = (Cow<'a, str>, Cow<'a, str>, String, &'a str);

/// `s` with every tab and line break made a space: a field of a titles-file line.
fn one_line(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        Cow::Owned(s.replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// A document as its shard stores it, the text capped for snippets.
fn doc_entry(d: &SearchDoc) -> DocEntry<'_> {
    let context = d
        .country
        .iter()
        .chain(&d.channel)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" · ");
    // A body of at most that many bytes has at most that many characters.
    let end = if d.body.len() <= TEXT_CAP_CHARS {
        d.body.len()
    } else {
        d.body
            .char_indices()
            .nth(TEXT_CAP_CHARS)
            .map_or(d.body.len(), |(i, _)| i)
    };
    let text = d.body.get(..end).unwrap_or("");
    (
        one_line(&d.url),
        one_line(&d.title),
        one_line(&context).into_owned(),
        text,
    )
}

/// Approximate encoded size of an entry (its strings plus JSON punctuation).
fn doc_entry_bytes(e: &DocEntry<'_>) -> usize {
    e.0.len() + e.1.len() + e.2.len() + e.3.len() + 12
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            headings: vec![],
            body: body.into(),
            country: None,
            channel: None,
            plans: vec![],
            kind: "page".into(),
        }
    }

    /// A decoded term: text, inside ratio, postings (doc, score).
    type Decoded = (String, u8, Vec<(u32, u8)>);

    /// Decodes the shard file `name` back into terms, reading external lists from `files`.
    fn decode(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Vec<Decoded> {
        let bytes = &files[name];
        let varint = |bytes: &[u8], pos: &mut usize| {
            let mut n = 0u64;
            let mut shift = 0;
            loop {
                let b = bytes[*pos];
                *pos += 1;
                n |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    return n;
                }
            }
        };
        let postings = |bytes: &[u8], df: u64| {
            let mut pos = 0;
            let mut doc = 0u32;
            let mut out = vec![];
            for _ in 0..df {
                doc += varint(bytes, &mut pos) as u32;
                out.push((doc, bytes[pos]));
                pos += 1;
            }
            assert_eq!(pos, bytes.len());
            out
        };
        let (stem, id) = name.rsplit_once(".bin").unwrap().0.split_once('.').unwrap();
        let mut pos = 0;
        let count = varint(bytes, &mut pos);
        let mut prev: Vec<u8> = vec![];
        let mut out = vec![];
        let mut external = 0;
        for _ in 0..count {
            let shared = varint(bytes, &mut pos) as usize;
            let len = varint(bytes, &mut pos) as usize;
            let mut term = prev[..shared].to_vec();
            term.extend_from_slice(&bytes[pos..pos + len]);
            pos += len;
            let inside = bytes[pos];
            pos += 1;
            let df = varint(bytes, &mut pos);
            let n = varint(bytes, &mut pos) as usize;
            let list = if n & 1 == 1 {
                let list = &files[&format!("{stem}-{external}.{id}.bin")];
                external += 1;
                assert_eq!(list.len(), n >> 1);
                postings(list, df)
            } else {
                pos += n >> 1;
                postings(&bytes[pos - (n >> 1)..pos], df)
            };
            out.push((String::from_utf8(term.clone()).unwrap(), inside, list));
            prev = term;
        }
        assert_eq!(pos, bytes.len());
        out
    }

    fn all_terms(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, (u8, Vec<(u32, u8)>)> {
        files
            .keys()
            .filter(|k| k.ends_with(".bin") && !k.contains('-'))
            .flat_map(|k| decode(files, k))
            .map(|(t, i, p)| (t, (i, p)))
            .collect()
    }

    #[test]
    fn chinese_is_indexed_as_bigrams_with_jieba_word_ratios() {
        let files = build(
            "zh",
            &[
                doc("/zh/b/", "在卡塔尔通过电话续费", "余额不足请先充值。"),
                doc("/zh/a/", "卡塔尔", "SIM 卡"),
            ],
        );
        let terms = all_terms(&files);
        // Documents are numbered in URL order: /zh/a/ is 0.
        let (inside, postings) = &terms["卡塔"];
        assert_eq!(*inside, 255);
        assert_eq!(postings.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(postings.iter().all(|p| p.1 & index::IN_TITLE != 0));
        // 尔通 crosses the jieba words 卡塔尔 / 通过.
        assert_eq!(terms["尔通"].0, 0);
        // Every title character is a unigram, inside a word (塔 of 卡塔尔) or not (在); in
        // a body only one-character words are (请, not the 充 of 充值).
        assert!(terms.contains_key("在"));
        assert!(terms.contains_key("请") && !terms.contains_key("充"));
        let pages = |t: &str| terms[t].1.iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(pages("卡"), [0, 1]);
        assert_eq!(pages("塔"), [0, 1]);
        assert_eq!(pages("续"), [1]);
        assert_eq!(terms["塔"].0, 255, "a unigram has no word ratio");
        // Body occurrences carry a body weight, not a field flag.
        let (_, charge) = &terms["充值"];
        assert_eq!(charge.len(), 1);
        assert_eq!(charge[0].0, 1);
        assert!(charge[0].1 & index::IMPACT_MASK > 0);
        assert_eq!(charge[0].1 & !index::IMPACT_MASK, 0);
        assert!(terms.contains_key("sim"));
    }

    #[test]
    fn english_words_are_folded_and_hyphen_pairs_joined() {
        let files = build(
            "en",
            &[doc(
                "/en/a/",
                "Renew by Phone",
                "Top-up first. The renewal is quick.",
            )],
        );
        let terms = all_terms(&files);
        for t in [
            "renew", "phone", "top", "up", "topup", "renewal", "quick", "first",
        ] {
            assert!(terms.contains_key(t), "{t} missing");
        }
        for t in ["by", "the", "is", "Renew"] {
            assert!(!terms.contains_key(t), "{t} indexed");
        }
        assert_eq!(terms["renew"].1[0].1 & index::IN_TITLE, index::IN_TITLE);
    }

    /// Phone numbers and USSD codes are searchable by their digit groups, when they are in
    /// the document (plan contact details rendered by templates are not: see README Search).
    #[test]
    fn digit_runs_of_two_or_more_digits_are_indexed() {
        let files = build(
            "en",
            &[doc(
                "/en/a/",
                "Renew",
                "Call +974 555 0100 or dial *555*1#; 15-day plan.",
            )],
        );
        let terms = all_terms(&files);
        for t in ["974", "555", "0100", "15", "day", "15day"] {
            assert!(terms.contains_key(t), "{t} missing");
        }
        assert!(
            !terms.contains_key("1"),
            "single digits are below the minimum"
        );
    }

    #[test]
    fn output_is_deterministic_and_names_files_by_content() {
        let docs: Vec<SearchDoc> = (0..700)
            .map(|i| {
                doc(
                    &format!("/zh/p{i}/"),
                    &format!("第{i}页 卡塔尔续费"),
                    &format!("电话续费 page {i} 充值 {}", i * 7),
                )
            })
            .collect();
        let with_lists = |docs: &[SearchDoc]| {
            let limits = Limits {
                list_file_bytes: 1024,
                titles_max_bytes: TITLES_MAX_BYTES,
            };
            collect(|emit| build_with_limits("zh", docs, emit, limits))
        };
        let a = with_lists(&docs);
        let mut reversed = docs.clone();
        reversed.reverse();
        let b = with_lists(&reversed);
        assert_eq!(a, b);
        assert!(a.contains_key("zh/search/meta.json"));
        let meta: serde_json::Value = serde_json::from_slice(&a["zh/search/meta.json"]).unwrap();
        let id = meta["id"].as_str().unwrap();
        // Relative to zh/search/, the folder of meta.json: search/zh/.
        assert_eq!(meta["files"], "../../search/zh/");
        assert!(a.keys().all(
            |k| is_index_file(k) && (k == "zh/search/meta.json" || k.starts_with("search/zh/"))
        ));
        assert!(!is_index_file("zh/qatar/index.html") && !is_index_file("searching/x"));
        assert!(!is_index_file("images/search/a.png") && !is_index_file("a/b/search/meta.json"));
        let shards = meta["shards"].as_u64().unwrap() as usize;
        assert!(shards.is_power_of_two());
        for i in 0..shards {
            assert!(a.contains_key(&format!("search/zh/p{i}.{id}.bin")));
        }
        let doc_shards = meta["docShards"].as_u64().unwrap() as usize;
        let lists = a.keys().filter(|k| k.contains('-')).count();
        assert!(lists > 0, "long postings lists get files of their own");
        assert_eq!(meta["titles"], true);
        assert_eq!(a.len(), 1 + shards + lists + doc_shards + 1);
        // At the real limit such lists stay inline, so a query needs one round of requests.
        assert!(!build("zh", &docs).keys().any(|k| k.contains('-')));
        // 卡塔 is in all 700 documents: its list (1.4 KB) is external, and complete.
        let terms = all_terms(&a);
        assert_eq!(terms["卡塔"].1.len(), 700);
        assert_eq!(
            terms["卡塔"].1.iter().map(|p| p.0).collect::<Vec<_>>(),
            (0..700).collect::<Vec<_>>()
        );
        // Every document appears exactly once, in URL order.
        let mut urls = vec![];
        for k in 0..doc_shards {
            let entries: Vec<(String, String, String, String)> =
                serde_json::from_slice(&a[&format!("search/zh/d{k}.{id}.json")]).unwrap();
            urls.extend(entries.into_iter().map(|e| e.0));
        }
        let mut expected: Vec<String> = docs.iter().map(|d| d.url.clone()).collect();
        expected.sort();
        assert_eq!(urls, expected);
    }

    /// The titles file holds every document's URL, title and context in document order,
    /// the same as its document shard; over its size limit it is left out, and meta.json
    /// says so (the client then takes titles from the document shards).
    #[test]
    fn titles_file_lists_every_document_in_order_within_its_limit() {
        // More than one chunk of documents, whose lines are joined.
        let count = index::CHUNK_DOCS + 100;
        let mut docs: Vec<SearchDoc> = (0..count)
            .map(|i| {
                doc(
                    &format!("/zh/p{i:04}/"),
                    &format!("第 {i} 页"),
                    "卡塔尔电话续费",
                )
            })
            .collect();
        docs[7].country = Some("卡塔尔".into());
        docs[7].channel = Some("电话".into());
        docs[8].title = "Tab\there,\nnew line".into();
        let built = |max: usize| {
            let limits = Limits {
                list_file_bytes: LIST_FILE_BYTES,
                titles_max_bytes: max,
            };
            collect(|emit| build_with_limits("zh", docs.as_slice(), emit, limits))
        };
        let files = built(TITLES_MAX_BYTES);
        let meta: serde_json::Value =
            serde_json::from_slice(&files["zh/search/meta.json"]).unwrap();
        let id = meta["id"].as_str().unwrap();
        assert_eq!(meta["titles"], true);
        let text: String =
            serde_json::from_slice(&files[&format!("search/zh/t.{id}.json")]).unwrap();
        let titles: Vec<(String, String, String)> = text
            .split('\n')
            .map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                assert_eq!(f.len(), 3, "{line}");
                (f[0].into(), f[1].into(), f[2].into())
            })
            .collect();
        let per = meta["docsPerShard"].as_u64().unwrap() as usize;
        let mut from_shards = vec![];
        for k in 0..meta["docShards"].as_u64().unwrap() {
            let entries: Vec<(String, String, String, String)> =
                serde_json::from_slice(&files[&format!("search/zh/d{k}.{id}.json")]).unwrap();
            assert!(entries.len() <= per);
            from_shards.extend(entries.into_iter().map(|e| (e.0, e.1, e.2)));
        }
        assert_eq!(titles.len(), count);
        // A tab or line break in a title is a space, in the document shard too: a result
        // shown from the titles file is the one shown from its shard.
        assert_eq!(titles[8].1, "Tab here, new line");
        assert_eq!(titles, from_shards);
        let seventh = (
            "/zh/p0007/".into(),
            "第 7 页".into(),
            "卡塔尔 · 电话".into(),
        );
        assert_eq!(titles[7], seventh);
        assert_eq!(titles[count - 1].0, format!("/zh/p{:04}/", count - 1));

        let size = files[&format!("search/zh/t.{id}.json")].len();
        let exact = built(size);
        assert!(exact.keys().any(|k| k.starts_with("search/zh/t.")));
        let over = built(size - 1);
        let meta: serde_json::Value = serde_json::from_slice(&over["zh/search/meta.json"]).unwrap();
        assert_eq!(meta["titles"], false);
        assert!(!over.keys().any(|k| k.starts_with("search/zh/t.")));
        assert_eq!(over.len() + 1, files.len(), "nothing else changes");
    }

    fn id_of(docs: &[SearchDoc]) -> String {
        let files = build("zh", docs);
        let meta: serde_json::Value =
            serde_json::from_slice(&files["zh/search/meta.json"]).unwrap();
        meta["id"].as_str().unwrap().to_string()
    }

    /// File names come from the documents' inputs, not the finished files: any change to
    /// any field a document is made from must rename the files.
    #[test]
    fn every_field_of_every_document_takes_part_in_the_file_names() {
        let base = vec![
            doc("/zh/a/", "卡塔尔", "SIM 卡"),
            doc("/zh/b/", "续费", "电话续费"),
        ];
        let id = id_of(&base);
        assert_eq!(id, id_of(&base), "stable");
        let edits: [fn(&mut SearchDoc); 9] = [
            |d| d.url.push('x'),
            |d| d.title.push('x'),
            |d| d.body.push('x'),
            |d| d.kind.push('x'),
            |d| d.headings.push("x".into()),
            |d| d.country = Some(String::new()),
            |d| d.channel = Some(String::new()),
            |d| d.plans.push(String::new()),
            // Text moving between fields is a change too.
            |d| {
                d.title = "卡塔".into();
                d.body = "尔SIM 卡".into();
            },
        ];
        for (n, edit) in edits.iter().enumerate() {
            let mut changed = base.clone();
            edit(&mut changed[0]);
            assert_ne!(id, id_of(&changed), "edit {n} kept the id");
        }
    }

    #[test]
    fn empty_language_still_has_a_meta_file() {
        let files = build("en", &[]);
        let meta: serde_json::Value =
            serde_json::from_slice(&files["en/search/meta.json"]).unwrap();
        assert_eq!(meta["docs"], 0);
        assert_eq!(meta["shards"], 1);
    }
}

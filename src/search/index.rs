//! Inverted index construction: per-document term statistics (in parallel, in chunks of
//! documents), merged per hash bucket (in parallel), then sorted into shards. Every output
//! byte depends only on the documents, never on thread timing or hash-map order.

use rayon::prelude::*;

use super::tokenize::{self, FxHashMap, Segmenter, Sink};
use super::SearchDoc;

/// Posting flag: the term occurs in the title.
pub const IN_TITLE: u8 = 0x80;
/// Posting flag: the term occurs in a heading.
pub const IN_HEADING: u8 = 0x40;
/// Posting flag: the term occurs in the country, channel or a plan name.
pub const IN_META: u8 = 0x20;
/// Posting bits holding the body weight (0–31).
pub const IMPACT_MASK: u8 = 0x1f;

/// Ratio byte for terms that are not CJK bigrams.
const NOT_A_BIGRAM: u8 = 255;
/// Documents per analysis task (rounded up to whole document shards).
pub const CHUNK_DOCS: usize = 256;
/// Hash buckets merged in parallel (a power of two).
const BUCKETS: usize = 64;
/// BM25 parameters for the body weight.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// One term of the finished index with its postings, ready to be written.
pub struct Term {
    /// The term text: a lower-cased word, a CJK bigram or a CJK character (unigram).
    pub text: String,
    /// [`tokenize::shard_hash`] of the text.
    pub hash: u32,
    /// For CJK bigrams, 0–255: how often jieba kept both characters inside one word.
    pub inside: u8,
    /// Ascending document numbers.
    pub docs: Vec<u32>,
    /// One score byte per document: field flags plus body weight.
    pub scores: Vec<u8>,
}

impl Term {
    /// Bytes the postings take in a shard (gap varints plus score bytes).
    pub fn postings_len(&self) -> usize {
        let mut prev = 0u32;
        let mut n = 0;
        for &d in &self.docs {
            n += varint_len(d.saturating_sub(prev)) + 1;
            prev = d;
        }
        n
    }
}

/// Length of `n` as an unsigned LEB128 varint.
pub fn varint_len(mut n: u32) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// The terms of one analysed chunk of documents, by hash bucket.
pub struct ChunkTerms(Vec<Bucket>);

/// One hash bucket of a chunk: its terms, whose postings are ranges of two flat arrays
/// (a few bytes per posting instead of two small vectors per term and chunk).
#[derive(Default)]
struct Bucket {
    terms: Vec<ChunkTerm>,
    docs: Vec<u32>,
    scores: Vec<u8>,
}

/// A term of one chunk and where its postings are in the bucket's arrays.
struct ChunkTerm {
    key: Key,
    inside: u64,
    seen: u64,
    start: usize,
    len: usize,
}

/// Merges the chunks (in document order) into every term's postings.
pub fn merge_chunks(chunks: Vec<ChunkTerms>) -> Vec<Term> {
    // Transpose to per-bucket lists (chunk order = document order), then merge in parallel.
    let mut per_bucket: Vec<Vec<Bucket>> = (0..BUCKETS).map(|_| Vec::new()).collect();
    for chunk in chunks {
        for (slot, bucket) in per_bucket.iter_mut().zip(chunk.0) {
            slot.push(bucket);
        }
    }
    per_bucket
        .into_par_iter()
        .flat_map_iter(|parts| merge(parts).into_iter())
        .collect()
}

/// A term while the index is built: a CJK bigram or unigram packed into a u64 (see
/// [`pack`]), or a word.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Cjk(u64),
    Word(Box<str>),
}

/// Postings of one term merged across chunks so far.
#[derive(Default)]
struct Acc {
    docs: Vec<u32>,
    scores: Vec<u8>,
    inside: u64,
    seen: u64,
}

impl Acc {
    fn append(&mut self, term: &ChunkTerm, bucket: &Bucket) {
        let range = term.start..term.start + term.len;
        self.docs
            .extend_from_slice(bucket.docs.get(range.clone()).unwrap_or(&[]));
        self.scores
            .extend_from_slice(bucket.scores.get(range).unwrap_or(&[]));
        self.inside += term.inside;
        self.seen += term.seen;
    }
}

/// One occurrence of a term (by chunk-local id) in a document, with its score byte.
#[derive(Clone, Copy)]
struct Posting {
    id: u32,
    doc: u32,
    score: u8,
}

/// One term's statistics within the current document.
#[derive(Default, Clone, Copy)]
struct Stat {
    flags: u8,
    tf: u32,
    inside: u32,
    seen: u32,
}

/// The terms of one chunk of documents: interned to dense ids, so counting an occurrence
/// is one hash lookup plus an array update, with no allocation per document.
#[derive(Default)]
struct Vocab {
    cjk: FxHashMap<u64, u32>,
    /// Ids of single common CJK ideographs (U+3400–U+9FFF), indexed by code point from
    /// U+3400 (0 = none, else id + 1): every CJK character is a unigram, so this is the
    /// hottest lookup, and an array index instead of a hash.
    ideographs: Vec<u32>,
    /// Ids of words of up to [`SHORT_WORD_BYTES`] bytes, by [`short_word_key`]: nearly every
    /// word, looked up without following a pointer or calling `memcmp`.
    short_words: FxHashMap<u128, u32>,
    /// Ids of longer words.
    words: FxHashMap<Box<str>, u32>,
    keys: Vec<Key>,
    /// Per id: bigram `inside` and `seen` counts summed over the chunk.
    totals: Vec<(u64, u64)>,
    /// Every posting of the chunk, in document order.
    postings: Vec<Posting>,
    stats: Vec<Stat>,
    /// Ids with a non-empty [`Stat`] in the current document.
    touched: Vec<u32>,
}

impl Vocab {
    /// Empties the vocabulary for the next chunk, keeping what it allocated.
    fn clear(&mut self) {
        self.cjk.clear();
        self.ideographs.fill(0);
        self.short_words.clear();
        self.words.clear();
        self.keys.clear();
        self.totals.clear();
        self.postings.clear();
        self.stats.clear();
        self.touched.clear();
    }

    fn add(&mut self, key: Key) -> u32 {
        let id = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push(key);
        self.totals.push((0, 0));
        self.stats.push(Stat::default());
        id
    }

    /// The current document's statistics of a term, by id.
    fn stat(&mut self, id: u32, flag: u8) -> Option<&mut Stat> {
        let stat = self.stats.get_mut(id as usize)?;
        if stat.flags == 0 && stat.tf == 0 && stat.seen == 0 {
            self.touched.push(id);
        }
        // Body occurrences count towards tf; other fields set their flag.
        if flag == 0 {
            stat.tf += 1;
        } else {
            stat.flags |= flag;
        }
        Some(stat)
    }

    /// The current document's statistics of a single character.
    fn unigram(&mut self, c: char, flag: u8) -> Option<&mut Stat> {
        const FIRST: usize = 0x3400;
        const END: usize = 0xA000;
        let slot = (c as usize).wrapping_sub(FIRST);
        if slot >= END - FIRST {
            return self.cjk(pack(c, None), flag);
        }
        if self.ideographs.is_empty() {
            self.ideographs = vec![0; END - FIRST];
        }
        let stored = *self.ideographs.get(slot)?;
        let id = match stored {
            0 => {
                let id = self.add(Key::Cjk(pack(c, None)));
                if let Some(entry) = self.ideographs.get_mut(slot) {
                    *entry = id.saturating_add(1);
                }
                id
            }
            stored => stored - 1,
        };
        self.stat(id, flag)
    }

    fn cjk(&mut self, key: u64, flag: u8) -> Option<&mut Stat> {
        let id = match self.cjk.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.add(Key::Cjk(key));
                self.cjk.insert(key, id);
                id
            }
        };
        self.stat(id, flag)
    }

    fn word(&mut self, word: &str, flag: u8) {
        let short = short_word_key(word);
        let found = match short {
            Some(key) => self.short_words.get(&key),
            None => self.words.get(word),
        };
        let id = match found {
            Some(&id) => id,
            None => {
                let id = self.add(Key::Word(word.into()));
                match short {
                    Some(key) => self.short_words.insert(key, id),
                    None => self.words.insert(word.into(), id),
                };
                id
            }
        };
        self.stat(id, flag);
    }

    /// Moves the current document's statistics into postings for document `doc`.
    fn finish_doc(&mut self, doc: u32, score: impl Fn(&Stat) -> u8) {
        for &id in &self.touched {
            let (Some(stat), Some(total)) = (
                self.stats.get_mut(id as usize),
                self.totals.get_mut(id as usize),
            ) else {
                continue;
            };
            self.postings.push(Posting {
                id,
                doc,
                score: score(stat),
            });
            total.0 += u64::from(stat.inside);
            total.1 += u64::from(stat.seen);
            *stat = Stat::default();
        }
        self.touched.clear();
    }
}

/// Words of at most this many bytes have a [`short_word_key`].
const SHORT_WORD_BYTES: usize = 15;

/// A short word's bytes and length packed into one integer (distinct words, distinct keys):
/// the bytes little-endian from the lowest, the length in the top byte, made with
/// [`tokenize::pack_small`] (a key copied byte by byte into an array and read back made
/// every lookup wait on the copy).
fn short_word_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > SHORT_WORD_BYTES {
        return None;
    }
    let (head, tail) = bytes.split_at(bytes.len().min(8));
    let (low, high) = (tokenize::pack_small(head), tokenize::pack_small(tail));
    Some(u128::from(low) | u128::from(high) << 64 | (bytes.len() as u128) << 120)
}

/// Packs a bigram (or, with `None`, a unigram) into a u64.
fn pack(a: char, b: Option<char>) -> u64 {
    (u64::from(a) << 32) | b.map_or(0, u64::from)
}

fn unpack(key: u64, out: &mut String) {
    out.clear();
    if let Some(a) = char::from_u32((key >> 32) as u32) {
        out.push(a);
    }
    if let Some(b) = char::from_u32((key & 0xffff_ffff) as u32).filter(|&c| c != '\0') {
        out.push(b);
    }
}

/// Feeds one field of one document into the chunk's [`Vocab`].
struct Field<'a> {
    seg: &'a mut Segmenter,
    vocab: &'a mut Vocab,
    flag: u8,
}

impl Sink for Field<'_> {
    fn word(&mut self, word: &str, _joined: bool) {
        self.vocab.word(word, self.flag);
    }

    fn cjk(&mut self, run: &[char]) {
        let Field { seg, vocab, flag } = self;
        let ids = seg.words(run);
        for (i, &c) in run.iter().enumerate() {
            let id = ids.get(i).copied();
            let prev = i.checked_sub(1).and_then(|p| ids.get(p)).copied();
            let next = ids.get(i + 1).copied();
            // A one-character word is a unigram wherever it is. Inside longer words, a
            // character is a unigram in the title, headings, country, channel and plan
            // names, so a one-character query (续, 塔) finds the pages about it; body text
            // adds none: a lone character says little about a page, and every character of
            // every body cost 6% more peak memory at 2×100,000 pages (1.85 → 1.96 GB).
            if *flag != 0 || (prev != id && next != id) {
                vocab.unigram(c, *flag);
            }
            if let Some(&d) = run.get(i + 1) {
                if let Some(stat) = vocab.cjk(pack(c, Some(d)), *flag) {
                    stat.seen += 1;
                    stat.inside += u32::from(next == id);
                }
            }
        }
    }
}

/// What a worker keeps from one chunk to the next: jieba's cuts of the CJK runs it has
/// seen (templated pages repeat them across chunks too) and its scanning buffers.
#[derive(Default)]
pub struct Worker {
    seg: Segmenter,
    scratch: tokenize::Scratch,
    /// Emptied when a chunk starts but keeping its capacity, so each chunk's tables do not
    /// grow again from nothing.
    vocab: Vocab,
}

/// Analyses the documents of one chunk, one at a time, so a worker can make each document
/// in a buffer it reuses and hold only the chunk's statistics.
pub struct ChunkIndexer<'a> {
    worker: &'a mut Worker,
    /// The language's average body length in bytes (BM25 length normalisation: within one
    /// language body bytes track the number of indexed units closely).
    avg: f64,
}

impl<'a> ChunkIndexer<'a> {
    /// An indexer for documents of a language whose bodies average `avg` bytes.
    pub fn new(avg: f64, worker: &'a mut Worker) -> Self {
        worker.vocab.clear();
        ChunkIndexer { worker, avg }
    }

    /// Adds document number `n`; documents must come in ascending order.
    pub fn add(&mut self, n: u32, doc: &SearchDoc) {
        let ChunkIndexer { worker, avg } = self;
        let Worker {
            seg,
            scratch,
            vocab,
        } = &mut **worker;
        let mut field = |text: &str, flag: u8| {
            tokenize::scan_with(text, scratch, &mut Field { seg, vocab, flag });
        };
        field(&doc.title, IN_TITLE);
        for heading in &doc.headings {
            field(heading, IN_HEADING);
        }
        for meta in doc.country.iter().chain(&doc.channel).chain(&doc.plans) {
            field(meta, IN_META);
        }
        field(&doc.body, 0);

        let norm = 1.0 - B + B * doc.body.len() as f64 / *avg;
        vocab.finish_doc(n, |stat| {
            let impact = if stat.tf == 0 {
                0
            } else {
                let tf = f64::from(stat.tf);
                // 0..1, rounded by adding a half and truncating: `f64::round` is a libm
                // call, once per posting. The two differ only when w * 31 is a hair below
                // 0.5 (1 against 0), which the clamp to 1 makes the same.
                let w = tf / (tf + K1 * norm);
                ((w * 31.0 + 0.5) as u8).clamp(1, IMPACT_MASK)
            };
            stat.flags | impact
        });
    }

    /// The chunk's terms, ready to be merged with the other chunks'.
    pub fn finish(self) -> ChunkTerms {
        ChunkTerms(into_buckets(&mut self.worker.vocab))
    }
}

/// Groups a chunk's postings by term (keeping document order) and the terms by bucket.
fn into_buckets(vocab: &mut Vocab) -> Vec<Bucket> {
    // Counting sort of the postings by term id: stable, so each term's documents ascend.
    let mut starts = vec![0usize; vocab.keys.len() + 1];
    for p in &vocab.postings {
        if let Some(s) = starts.get_mut(p.id as usize + 1) {
            *s += 1;
        }
    }
    for i in 1..starts.len() {
        let prev = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(s) = starts.get_mut(i) {
            *s += prev;
        }
    }
    let mut next = starts.clone();
    let mut sorted = vec![(0u32, 0u8); vocab.postings.len()];
    for p in &vocab.postings {
        if let Some(at) = next.get_mut(p.id as usize) {
            if let Some(slot) = sorted.get_mut(*at) {
                *slot = (p.doc, p.score);
            }
            *at += 1;
        }
    }
    vocab.postings.clear();

    let mut buckets: Vec<Bucket> = (0..BUCKETS).map(|_| Bucket::default()).collect();
    let mut text = String::new();
    let terms = vocab.keys.drain(..).zip(vocab.totals.drain(..));
    for (id, (key, (inside, seen))) in terms.enumerate() {
        let hash = match &key {
            Key::Cjk(packed) => {
                unpack(*packed, &mut text);
                tokenize::shard_hash(&text)
            }
            Key::Word(word) => tokenize::shard_hash(word),
        };
        let (Some(bucket), Some(&from), Some(&to)) = (
            buckets.get_mut(hash as usize % BUCKETS),
            starts.get(id),
            starts.get(id + 1),
        ) else {
            continue;
        };
        let postings = sorted.get(from..to).unwrap_or(&[]);
        bucket.terms.push(ChunkTerm {
            key,
            inside,
            seen,
            start: bucket.docs.len(),
            len: postings.len(),
        });
        bucket.docs.extend(postings.iter().map(|p| p.0));
        bucket.scores.extend(postings.iter().map(|p| p.1));
    }
    buckets
}

/// Merges one bucket across chunks (in document order) into finished terms.
fn merge(parts: Vec<Bucket>) -> Vec<Term> {
    let mut all: FxHashMap<Key, Acc> = FxHashMap::default();
    for mut part in parts {
        for term in std::mem::take(&mut part.terms) {
            match all.get_mut(&term.key) {
                Some(existing) => existing.append(&term, &part),
                None => {
                    let mut acc = Acc::default();
                    acc.append(&term, &part);
                    all.insert(term.key, acc);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(all.len());
    for (key, acc) in all {
        let (text, inside) = match key {
            Key::Cjk(packed) => {
                let mut text = String::new();
                unpack(packed, &mut text);
                let inside = if packed & 0xffff_ffff == 0 || acc.seen == 0 {
                    NOT_A_BIGRAM
                } else {
                    ((acc.inside * 255 + acc.seen / 2) / acc.seen).min(255) as u8
                };
                (text, inside)
            }
            Key::Word(word) => (word.into(), NOT_A_BIGRAM),
        };
        out.push(Term {
            hash: tokenize::shard_hash(&text),
            text,
            inside,
            docs: acc.docs,
            scores: acc.scores,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_word_keys_are_the_padded_bytes_and_the_length() {
        let text = "abcdefghijklmnopq\u{e9}";
        for start in 0..4 {
            for end in start..=text.len() {
                let Some(word) = text.get(start..end) else {
                    continue;
                };
                let mut padded = [0u8; 16];
                let fits = word.len() <= SHORT_WORD_BYTES;
                if fits {
                    padded[..word.len()].copy_from_slice(word.as_bytes());
                    padded[15] = word.len() as u8;
                }
                let expected = fits.then(|| u128::from_le_bytes(padded));
                assert_eq!(short_word_key(word), expected, "{word:?}");
            }
        }
    }
}

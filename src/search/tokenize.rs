//! Text analysis for the search index. The browser client (`themes/default/static/js/search.js`)
//! mirrors every rule here that a query depends on — character folding, the CJK and word
//! classes, the 2-character minimum, stop words and the shard-key hash — so a query is cut
//! exactly like the text it is looked up in. Only the index side runs jieba: it records, per
//! CJK bigram, how often jieba kept the two characters inside one word, and the client uses
//! that ratio to segment queries without a dictionary (see [`super`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use jieba_rs::Jieba;

/// Words shorter than this (in characters) are not indexed (`a`, single digits, `s` of `'s`).
pub const MIN_WORD_CHARS: usize = 2;
/// Longer "words" are noise (hashes, long numbers) and are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// English words too common to index; queries drop them too (shipped in `meta.json`).
#[rustfmt::skip]
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "if",
    "in", "into", "is", "it", "its", "my", "of", "on", "or", "that", "the", "this", "to", "was",
    "we", "were", "what", "when", "where", "which", "will", "with", "you", "your",
];

/// True for English stop words (see [`STOP_WORDS`]). Asked of every word of every page: a
/// word of up to seven bytes is packed with its length into an integer and looked up in
/// [`STOP_TABLE`], one or two comparisons instead of a string comparison per stop word.
pub fn is_stop_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() > STOP_KEY_BYTES {
        return false;
    }
    let key = stop_key(pack_small(bytes), bytes.len());
    let mut slot = stop_slot(key);
    loop {
        match STOP_TABLE.get(slot) {
            None | Some(0) => return false,
            Some(&k) if k == key => return true,
            Some(_) => slot = (slot + 1) % STOP_TABLE.len(),
        }
    }
}

/// Up to eight bytes as a little-endian integer, the rest zero. Read with at most two
/// overlapping loads, so a key made this way can be compared at once (bytes copied one by
/// one into an array and read back as one integer make the read wait for the copies).
pub fn pack_small(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let load4 = |at: usize| -> u64 {
        bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    match len {
        8 => bytes
            .get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes),
        4..=7 => load4(0) | load4(len - 4) << (8 * (len - 4)),
        _ => {
            let mut key = 0;
            for (i, &b) in bytes.iter().enumerate() {
                key |= u64::from(b) << (8 * i);
            }
            key
        }
    }
}

/// [`pack_small`] at compile time.
const fn pack_const(word: &str) -> u64 {
    let bytes = word.as_bytes();
    let mut key = 0;
    let mut i = 0;
    while i < bytes.len() && i < 8 {
        key |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// Stop words are at most this many bytes long: the key's top byte holds the length.
const STOP_KEY_BYTES: usize = 7;

/// A word's packed bytes with its length in the top byte, so `an` and `an\0` differ.
const fn stop_key(packed: u64, len: usize) -> u64 {
    packed | (len as u64) << 56
}

/// Where a stop word's key starts looking in [`STOP_TABLE`].
const fn stop_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize
}

/// The keys of [`STOP_WORDS`] in an open-addressing table of 128 slots (0: empty; every
/// key holds a length, so none is 0), filled at compile time.
const STOP_TABLE: [u64; 128] = {
    // Room for every word with slots to spare, so that probing always meets an empty one.
    assert!(
        STOP_WORDS.len() <= 64,
        "the stop-word table needs more slots"
    );
    let mut table = [0u64; 128];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        let word = STOP_WORDS[i];
        assert!(
            word.len() <= STOP_KEY_BYTES,
            "a stop word is too long for its key"
        );
        let key = stop_key(pack_const(word), word.len());
        let mut slot = stop_slot(key);
        while table[slot] != 0 {
            slot = (slot + 1) % 128;
        }
        table[slot] = key;
        i += 1;
    }
    table
};

/// Chinese question and function words (如何, 怎么, 方法, 吗 …): the client drops a
/// segment of a query made only of these when the query has other terms, as it drops the
/// English [`STOP_WORDS`], so `如何续费` finds the renewal guides and not the pages that
/// happen to say 如何. They stay in the index (a query of only these still finds them:
/// 方法 is a word too). Shipped in `meta.json` as `functionWords`.
#[rustfmt::skip]
pub const FUNCTION_WORDS_ZH: &[&str] = &[
    "为什么", "么", "了", "什么", "何", "可以", "吗", "呢", "哪", "哪个", "哪儿", "哪里", "在", "如何", "应该", "怎么",
    "怎么样", "怎样", "想", "我", "我们", "方式", "方法", "是", "是否", "的", "能", "能否", "要", "请问", "需要",
];

/// Folds a character the way queries are folded: full-width ASCII to ASCII, the ideographic
/// space to a space. (Case folding happens per word, see [`scan`].)
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// General and CJK punctuation (`“`, `—`, `…`, `。`, `、`, `《`, `」`): none is a letter or
/// a digit, and in Chinese text they are most of what is neither CJK nor ASCII, so they
/// skip the Unicode table lookup of `char::is_alphanumeric`.
fn is_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020)
}

/// Characters indexed as CJK bigrams: Han ideographs, kana and Hangul syllables.
pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    // The common ideographs first: nearly every character of a Chinese text.
    (0x4E00..=0x9FFF).contains(&c)
        || matches!(c,
        0x3005 | 0x3007
        | 0x3040..=0x309F
        | 0x30A0..=0x30FA
        | 0x30FC..=0x30FF
        | 0x3400..=0x4DBF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3134F)
}

/// What [`scan`] finds in a text, in order.
pub trait Sink {
    /// A lower-cased word worth indexing (length and stop words already filtered).
    /// `joined` is true for the concatenation of a hyphenated pair (`top-up` → `topup`) or
    /// of a word and the particle after it (`top up`, see PARTICLES), which is indexed in
    /// addition to its parts.
    fn word(&mut self, word: &str, joined: bool);
    /// A maximal run of CJK characters.
    fn cjk(&mut self, run: &[char]);
}

/// Where a word is in the text and what it takes to lower-case it.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// It holds ASCII capitals.
    upper: bool,
    /// It holds characters outside ASCII (full-width ones among them, folded when lowered).
    wide: bool,
}

impl Span {
    fn open(start: usize) -> Span {
        Span {
            start,
            end: start,
            upper: false,
            wide: false,
        }
    }
}

/// [`ASCII_WORD`] class of ASCII letters and digits that need no lower-casing.
const LOWER: u8 = 1;
/// [`ASCII_WORD`] class of ASCII capitals.
const UPPER: u8 = 2;

/// Per byte: 0 unless an ASCII letter or digit, else [`LOWER`] or [`UPPER`].
const ASCII_WORD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_alphanumeric() {
            LOWER
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Buffers [`scan_with`] works in, kept between calls so that scanning every field of
/// every page does not grow new ones each time.
#[derive(Default)]
pub struct Scratch {
    run: Vec<char>,
    buf: String,
    joined: String,
}

/// Splits folded text into words and CJK runs. Everything else separates.
pub fn scan(text: &str, sink: &mut impl Sink) {
    scan_with(text, &mut Scratch::default(), sink);
}

/// [`scan`] in the given buffers.
pub fn scan_with(text: &str, scratch: &mut Scratch, sink: &mut impl Sink) {
    let bytes = text.as_bytes();
    let Scratch { run, buf, joined } = scratch;
    run.clear();
    // The word being read.
    let mut word: Option<Span> = None;
    // The previous word, while it may still be joined: `top` then `-` then `up`.
    let mut last: Option<Span> = None;
    // What came since `last`: a hyphen, or a single space (`top up` joins like `top-up`
    // when its second word is a particle, see PARTICLES).
    let mut gap = Gap::None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII letters and digits first: most characters of an English text, and no
        // character to decode.
        if ASCII_WORD[usize::from(b)] != 0 {
            flush_run(run, sink);
            let span = word.get_or_insert_with(|| Span::open(i));
            let mut class = 0;
            while let Some(&k) = bytes.get(i).map(|&b| &ASCII_WORD[usize::from(b)]) {
                if k == 0 {
                    break;
                }
                class |= k;
                i += 1;
            }
            span.upper |= class & UPPER != 0;
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ')
        };
        let next = i + c.len_utf8();
        // CJK next: most characters of a Chinese text (never changed by folding).
        if !c.is_ascii() && is_cjk(c) {
            if let Some(mut span) = word.take() {
                span.end = i;
                emit_word(text, span, joinable(last, gap), buf, joined, sink);
                gap = Gap::None;
            }
            last = None;
            // The rest of the run at once.
            let rest = text.get(i..).unwrap_or("");
            let mut end = rest.len();
            for (at, c) in rest.char_indices() {
                if !is_cjk(c) {
                    end = at;
                    break;
                }
                run.push(c);
            }
            i += end;
            continue;
        }
        let f = if c.is_ascii() { c } else { fold(c) };
        // Words: letters and digits of any script other than CJK.
        if f.is_ascii_alphanumeric() || (!f.is_ascii() && !is_punctuation(f) && f.is_alphanumeric())
        {
            flush_run(run, sink);
            let span = word.get_or_insert_with(|| Span::open(i));
            span.wide |= !c.is_ascii();
            i = next;
            continue;
        }
        if let Some(mut span) = word.take() {
            span.end = i;
            emit_word(text, span, joinable(last, gap), buf, joined, sink);
            last = Some(span);
            gap = Gap::None;
        }
        flush_run(run, sink);
        gap = match (f, gap) {
            ('-', Gap::None) if last.is_some() => Gap::Hyphen,
            (' ', Gap::None) if last.is_some() => Gap::Space,
            _ => {
                last = None;
                Gap::None
            }
        };
        i = next;
    }
    if let Some(mut span) = word {
        span.end = text.len();
        emit_word(text, span, joinable(last, gap), buf, joined, sink);
    }
    flush_run(run, sink);
}

/// Hands a finished CJK run, if any, to the sink and empties it.
fn flush_run(run: &mut Vec<char>, sink: &mut impl Sink) {
    if !run.is_empty() {
        sink.cjk(run);
        run.clear();
    }
}

/// The folded, lower-cased form of a word: the text itself when it already is, else
/// written into `buf`.
fn lower<'a>(text: &'a str, span: Span, buf: &'a mut String) -> &'a str {
    if !span.upper && !span.wide {
        return text.get(span.start..span.end).unwrap_or("");
    }
    lower_into(text, span, buf);
    buf
}

/// The folded, lower-cased form of a word, written into `out`.
fn lower_into(text: &str, span: Span, out: &mut String) {
    let raw = text.get(span.start..span.end).unwrap_or("");
    out.clear();
    if !span.wide {
        out.push_str(raw);
        out.make_ascii_lowercase();
        return;
    }
    out.extend(raw.chars().map(fold));
    if out.is_ascii() {
        out.make_ascii_lowercase();
    } else {
        *out = out.to_lowercase();
    }
}

/// English particles that make a compound with the word before them, written as one word,
/// hyphenated or apart alike: `top up`, `top-up` and `topup`; `lay over`; `back up`. After
/// a single space the pair is indexed joined only when its second word is one of these
/// (after a hyphen, always), so a page that says `top up` is found as `topup` is, without
/// indexing every pair of neighbouring words. Stop words (`in`, `on`) never reach the
/// query side, so they are not here.
const PARTICLES: &[&str] = &["up", "out", "off", "over", "down", "back"];

/// What separates a word from the one before it, as far as joining them goes.
#[derive(Clone, Copy)]
enum Gap {
    /// Nothing that joins: no previous word, or anything but one hyphen or one space.
    None,
    /// One hyphen: `top-up`.
    Hyphen,
    /// One space: `top up`.
    Space,
}

/// Which previous word the next may join: after a hyphen any word, after a single space
/// only a particle (the bool).
type Join = Option<(Span, bool)>;

fn joinable(last: Option<Span>, gap: Gap) -> Join {
    match gap {
        Gap::Hyphen => last.map(|prev| (prev, false)),
        Gap::Space => last.map(|prev| (prev, true)),
        Gap::None => None,
    }
}

/// Reports one word (and, after `prev-` or `prev ` + particle, the joined pair) to the sink.
fn emit_word(
    text: &str,
    span: Span,
    join: Join,
    buf: &mut String,
    joined: &mut String,
    sink: &mut impl Sink,
) {
    // Lower-cased once: nearly every word of a text follows a single space and is asked
    // whether it is a particle.
    let word = lower(text, span, buf);
    if let Some((prev, only_particle)) = join {
        if !only_particle || PARTICLES.contains(&word) {
            lower_into(text, prev, joined);
            // A stop word before a particle (`set it up`) makes no compound a query could
            // ask for.
            if !(only_particle && is_stop_word(joined)) {
                joined.push_str(word);
                if indexable(joined) {
                    sink.word(joined, true);
                }
            }
        }
    }
    if indexable(word) && !is_stop_word(word) {
        sink.word(word, false);
    }
}

fn indexable(word: &str) -> bool {
    let n = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    (MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&n)
}

/// The shard-key hash of a term: FNV-1a over the UTF-8 bytes of its first three characters,
/// then a murmur3 finaliser so the low bits (the shard number) are well mixed. Terms that
/// share their first three characters land in the same shard, which is what lets the client
/// match an English prefix (`renew` → `renewal`) by fetching a single file.
pub fn shard_hash(term: &str) -> u32 {
    let end = term.char_indices().nth(3).map_or(term.len(), |(i, _)| i);
    let mut h: u32 = 0x811c_9dc5;
    for &b in term.as_bytes().iter().take(end) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// The process-wide jieba instance, loaded once per indexing run.
pub fn jieba() -> std::sync::Arc<Jieba> {
    let mut slot = JIEBA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    slot.get_or_insert_with(|| std::sync::Arc::new(load_dictionary()))
        .clone()
}

/// jieba's dictionary trimmed to its common words plus the travel-SIM vocabulary
/// (`scripts/trim-jieba-dict.sh`): about a fifth of the words and of the memory of the full
/// one; rarer words are still segmented by jieba's HMM. A broken embedded file (it is
/// generated, never edited) falls back to HMM-only segmentation.
fn load_dictionary() -> Jieba {
    static DICTIONARY: &[u8] = include_bytes!("data/dict-zh.txt.gz");
    let mut reader = std::io::BufReader::new(flate2::read::GzDecoder::new(DICTIONARY));
    Jieba::with_dict(&mut reader).unwrap_or_else(|_| Jieba::empty())
}

/// The dictionary (~75 MB in memory), loaded once per indexing run and shared by workers.
/// A static rather than a parameter so `warm_up` can start loading it early; `release`
/// frees it once the index is written, before pages render.
static JIEBA: std::sync::Mutex<Option<std::sync::Arc<Jieba>>> = std::sync::Mutex::new(None);

/// Drops the shared dictionary (segmenters still holding it keep it alive until they end).
pub fn release() {
    let mut slot = JIEBA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = None;
}

/// Cuts CJK runs into words with jieba, remembering runs already seen (templated pages
/// repeat the same clauses). One per worker; the cache never outlives a build. The
/// dictionary is loaded on the first CJK run, so text without any costs nothing.
pub struct Segmenter {
    jieba: Option<std::sync::Arc<Jieba>>,
    /// Run → its place in `cuts`.
    cache: FxHashMap<Box<[char]>, usize>,
    cuts: Vec<Box<[u32]>>,
    text: String,
}

impl Segmenter {
    /// A segmenter over the shared jieba instance.
    pub fn new() -> Self {
        Segmenter {
            jieba: None,
            cache: FxHashMap::default(),
            cuts: Vec::new(),
            text: String::new(),
        }
    }

    /// Word ids per character of `run`: characters of the same jieba word share an id,
    /// ids increase along the run.
    pub fn words(&mut self, run: &[char]) -> &[u32] {
        // Runs seen before (most of them) take one lookup.
        let index = match self.cache.get(run) {
            Some(&index) => index,
            None => {
                if self.cache.len() > 200_000 {
                    self.cache.clear();
                    self.cuts.clear();
                }
                let ids = self.cut(run);
                self.cuts.push(ids);
                let index = self.cuts.len() - 1;
                self.cache.insert(run.into(), index);
                index
            }
        };
        self.cuts.get(index).map_or(&[], |ids| ids)
    }

    fn cut(&mut self, run: &[char]) -> Box<[u32]> {
        if run.len() == 1 {
            return Box::new([0]);
        }
        let jieba = self.jieba.get_or_insert_with(jieba).clone();
        self.text.clear();
        self.text.extend(run);
        let mut ids = Vec::with_capacity(run.len());
        for (id, token) in (0u32..).zip(jieba.cut(&self.text, true)) {
            ids.extend(std::iter::repeat_n(id, token.word.chars().count()));
        }
        if ids.len() != run.len() {
            // Never expected; fall back to one word per character rather than misalign.
            ids = (0u32..).take(run.len()).collect();
        }
        ids.into_boxed_slice()
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

/// A small, fast, non-cryptographic hasher (the `FxHash` mix used by rustc) for the
/// index's internal maps. Output order never depends on it: everything is sorted before
/// it is written.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
        // The last 1–7 bytes as one word (most words fit in it whole).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(pack_small(rest));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` using [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_found_and_nothing_else() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        // Every prefix, extension and one-letter change of a stop word, and long words.
        let mut others = Vec::new();
        for word in STOP_WORDS {
            for end in 0..word.len() {
                others.push(word[..end].to_string());
            }
            for extra in ["s", "e", "x", "ing", "\u{e9}"] {
                others.push(format!("{word}{extra}"));
            }
            for (i, _) in word.char_indices() {
                let mut changed = word.to_string();
                changed.replace_range(i..i + 1, "z");
                others.push(changed);
            }
        }
        others.extend(
            [
                "wherever",
                "withdrawal",
                "renewal",
                "top",
                "up",
                "\u{4e2d}",
                "an\0",
                "the\0\0",
                "",
            ]
            .map(String::from),
        );
        for word in others.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())) {
            assert!(!is_stop_word(word), "{word:?}");
        }
    }

    #[test]
    fn small_words_pack_like_their_padded_bytes() {
        let text = "abcdefghi";
        for end in 0..=8 {
            let mut padded = [0u8; 8];
            padded[..end].copy_from_slice(&text.as_bytes()[..end]);
            assert_eq!(
                pack_small(&text.as_bytes()[..end]),
                u64::from_le_bytes(padded)
            );
            assert_eq!(pack_const(&text[..end]), u64::from_le_bytes(padded));
        }
    }

    #[test]
    fn punctuation_shortcut_holds_no_letter_or_digit() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_punctuation(c))
        {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        assert!(is_punctuation('“') && is_punctuation('。') && is_punctuation('」'));
    }

    #[derive(Default)]
    struct Collect {
        words: Vec<String>,
        joined: Vec<String>,
        runs: Vec<String>,
    }

    impl Sink for Collect {
        fn word(&mut self, word: &str, joined: bool) {
            if joined {
                self.joined.push(word.into());
            } else {
                self.words.push(word.into());
            }
        }
        fn cjk(&mut self, run: &[char]) {
            self.runs.push(run.iter().collect());
        }
    }

    fn scanned(text: &str) -> Collect {
        let mut c = Collect::default();
        scan(text, &mut c);
        c
    }

    #[test]
    fn function_words_are_short_cjk_and_sorted() {
        let mut sorted = FUNCTION_WORDS_ZH.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, FUNCTION_WORDS_ZH);
        for w in FUNCTION_WORDS_ZH {
            let n = w.chars().count();
            assert!((1..=3).contains(&n) && w.chars().all(is_cjk), "{w}");
        }
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(!is_stop_word("renew") && !is_stop_word("up") && !is_stop_word("The"));
    }

    #[test]
    fn english_is_case_folded_split_on_punctuation_and_filtered() {
        let c = scanned("Renew by Phone: top-up the e-SIM's balance, 2 times!");
        assert_eq!(
            c.words,
            ["renew", "phone", "top", "up", "sim", "balance", "times"]
        );
        assert_eq!(c.joined, ["topup", "esim"]);
        assert!(c.runs.is_empty());
    }

    #[test]
    fn chinese_runs_are_split_from_latin_and_punctuation() {
        let c = scanned("在卡塔尔通过电话续费，余额不足请先充值。USSD续费");
        assert_eq!(c.runs, ["在卡塔尔通过电话续费", "余额不足请先充值", "续费"]);
        assert_eq!(c.words, ["ussd"]);
    }

    #[test]
    fn mixed_text_and_full_width_forms_fold() {
        let c = scanned("ｅＳＩＭ　续费 eSIM续费　Qatar");
        assert_eq!(c.words, ["esim", "esim", "qatar"]);
        assert_eq!(c.runs, ["续费", "续费"]);
    }

    #[test]
    fn hyphen_joins_only_directly_adjacent_words() {
        let c = scanned("top - up, top-up-now, x-ray");
        assert_eq!(c.joined, ["topup", "upnow", "xray"]);
    }

    /// Apart, a pair is joined only before a particle and across one space: `top up` is
    /// found as `topup`, `renew by phone` adds no pair.
    #[test]
    fn a_space_joins_only_a_particle_to_the_word_before() {
        let c = scanned(
            "Top Up first, renew by phone, lay over in Doha, top  up, top, up, topping up, \
             top -up, top\tup, set it up, back　up, speed\nup",
        );
        assert_eq!(c.joined, ["topup", "layover", "toppingup", "backup"]);
        assert!(c.words.iter().any(|w| w == "top") && c.words.iter().any(|w| w == "up"));
    }

    #[test]
    fn jieba_groups_characters_into_words() {
        let mut seg = Segmenter::new();
        let run: Vec<char> = "在卡塔尔通过电话续费".chars().collect();
        let ids = seg.words(&run).to_vec();
        assert_eq!(ids.len(), run.len());
        // 在 / 卡塔尔 / 通过 / 电话 / 续费
        assert_eq!(ids, [0, 1, 1, 1, 2, 2, 3, 3, 4, 4]);
        // Cached result is identical.
        assert_eq!(seg.words(&run), ids.as_slice());
    }

    #[test]
    fn odd_text_never_panics_and_stays_consistent() {
        let long = "x".repeat(100);
        let texts = [
            "",
            "-",
            "--a-b--",
            "é-É ÉCOLE straße İstanbul",
            "emoji 🙂🙂 續費 𠀀𠀁 ｶﾀｶﾅ かたかな 한국어",
            "\u{0}\u{301}a\u{301} \u{200b}续\u{200b}费",
            long.as_str(),
            "ＵＳＳＤ－ＣＯＤＥ　１２３",
        ];
        let mut seg = Segmenter::new();
        for text in texts {
            let c = scanned(text);
            for w in c.words.iter().chain(&c.joined) {
                let n = w.chars().count();
                assert!((MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&n), "{w:?}");
                assert_eq!(w, &w.to_lowercase());
            }
            for run in &c.runs {
                let chars: Vec<char> = run.chars().collect();
                assert!(chars.iter().all(|&ch| is_cjk(ch)));
                assert_eq!(seg.words(&chars).len(), chars.len());
            }
        }
        assert_eq!(scanned("ＵＳＳＤ－ＣＯＤＥ").joined, ["ussdcode"]);
        assert!(scanned(&long).words.is_empty());
    }

    #[test]
    fn shard_hash_uses_only_the_first_three_characters() {
        assert_eq!(shard_hash("renew"), shard_hash("renewal"));
        assert_eq!(shard_hash("ren"), shard_hash("rent"));
        assert_ne!(shard_hash("re"), shard_hash("ren"));
        assert_eq!(shard_hash("续费"), shard_hash("续费"));
        // Pinned so the JavaScript client can be checked against the same values
        // (tests/search/run-relevance.js).
        assert_eq!(shard_hash("renew"), 0x7b19_d6fb);
        assert_eq!(shard_hash("续费"), 0x2457_e7b9);
    }
}

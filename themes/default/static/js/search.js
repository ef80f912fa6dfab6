// planguide site search: a dependency-free client for the index that src/search/ writes
// (/<lang>/search/meta.json, which names the folder of the other files: /search/<lang>/). Nothing is downloaded until the reader focuses the search field. The same
// file runs in Node (module.exports below), so the tests use exactly this matching code.
// Text rules mirror src/search/tokenize.rs; keep the two in step.
(function () {
  'use strict';

  // ---------------------------------------------------------------- text analysis

  const WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;

  function fold(ch) {
    const c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) return String.fromCodePoint(c - 0xfee0);
    if (c === 0x3000) return ' ';
    return ch;
  }

  function isCjk(c) {
    return c === 0x3005 || c === 0x3007 ||
      (c >= 0x3040 && c <= 0x309f) || (c >= 0x30a0 && c <= 0x30fa) ||
      (c >= 0x30fc && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
  }

  // Splits a query into lower-cased words and CJK runs (arrays of characters), in order.
  function scan(text) {
    const out = [];
    let word = '';
    let run = [];
    const endWord = () => { if (word) { out.push({ word: word.toLowerCase() }); word = ''; } };
    const endRun = () => { if (run.length) { out.push({ run: run }); run = []; } };
    for (const raw of text) {
      const ch = fold(raw);
      if (isCjk(ch.codePointAt(0))) { endWord(); run.push(ch); }
      else if (WORD_CHAR.test(ch)) { endRun(); word += ch; }
      else { endWord(); endRun(); }
    }
    endWord();
    endRun();
    return out;
  }

  // FNV-1a over the UTF-8 bytes of the first three characters, then the murmur3 finaliser:
  // tokenize::shard_hash.
  const encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
  function shardHash(term) {
    const key = Array.from(term).slice(0, 3).join('');
    const bytes = encoder.encode(key);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  // A stem-like prefix for English words: the client matches every indexed word that starts
  // with it (renewal, renewing, renews → renew…; countries → countr…).
  const SUFFIXES = [['ies', 3], ['ied', 3], ['ing', 3], ['ed', 3], ['es', 3], ['s', 3],
    ['al', 4], ['ly', 3], ['ment', 3], ['y', 3], ['e', 3]];
  function stemRoot(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    let w = word;
    for (let pass = 0; pass < 2; pass++) {
      let changed = false;
      for (const [suffix, min] of SUFFIXES) {
        if (!w.endsWith(suffix) || w.length - suffix.length < min) continue;
        if (suffix === 's' && /(ss|us|is)$/.test(w)) continue;
        let r = w.slice(0, w.length - suffix.length);
        if (suffix === 'y' && /[aeiou]$/.test(r)) continue;
        if (/([^aeiou])\1$/.test(r) && r.length > 3) r = r.slice(0, -1);
        w = r;
        changed = true;
        break;
      }
      if (!changed) break;
    }
    return w;
  }

  // ---------------------------------------------------------------- index files

  function readVarint(bytes, state) {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[state.pos++];
      if (b === undefined) throw new Error('truncated shard');
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  }

  const decoder = typeof TextDecoder !== 'undefined' ? new TextDecoder() : null;

  // Parses postings shard `shard` into term → { inside, df, ... }. Postings are decoded on
  // use; very long lists (large sites only) live in files of their own (`list` is their
  // number in the shard) and are fetched only for terms a query requires.
  function parseShard(bytes, shard) {
    const terms = new Map();
    const st = { pos: 0 };
    const count = readVarint(bytes, st);
    let prev = new Uint8Array(0);
    let lists = 0;
    for (let i = 0; i < count; i++) {
      const shared = readVarint(bytes, st);
      const len = readVarint(bytes, st);
      const term = new Uint8Array(shared + len);
      term.set(prev.subarray(0, shared));
      term.set(bytes.subarray(st.pos, st.pos + len), shared);
      st.pos += len;
      const inside = bytes[st.pos++];
      const df = readVarint(bytes, st);
      const n = readVarint(bytes, st);
      const size = Math.floor(n / 2);
      const entry = { inside: inside, df: df, shard: shard, size: size, list: -1, bytes: null, offset: 0, postings: null };
      if (n % 2) entry.list = lists++;
      else {
        entry.bytes = bytes;
        entry.offset = st.pos;
        st.pos += size;
      }
      terms.set(decoder.decode(term), entry);
      prev = term;
    }
    return terms;
  }

  // The titles file: one string, a line per document, `url \t title \t context`. Kept
  // whole, with where each line starts, and split for the few documents a query shows.
  // Throws unless it has a line for each of the index's `docs` documents.
  function titleLines(text, docs) {
    if (typeof text !== 'string') throw new Error('unsupported titles file');
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    if (starts.length !== docs) throw new Error('titles file does not match the index');
    return { text: text, starts: starts };
  }

  // Document `d`'s [url, title, context] from titleLines, or null.
  function titleCard(cards, d) {
    if (!(d < cards.starts.length)) return null;
    const end = d + 1 < cards.starts.length ? cards.starts[d + 1] - 1 : cards.text.length;
    const fields = cards.text.slice(cards.starts[d], end).split('\t');
    return fields.length === 3 ? fields : null;
  }

  const EMPTY = { docs: new Uint32Array(0), scores: new Uint8Array(0) };

  // Decodes a term's postings once. The first query runs this on lists of thousands of
  // entries before the JIT has warmed up, so the loop is kept flat (no call per varint).
  function postings(entry) {
    if (!entry.bytes) return EMPTY; // a long list that was not fetched (optional term)
    if (!entry.postings) {
      const bytes = entry.bytes;
      const df = entry.df;
      const docs = new Uint32Array(df);
      const scores = new Uint8Array(df);
      let pos = entry.offset;
      let doc = 0;
      for (let j = 0; j < df; j++) {
        let b = bytes[pos++];
        let gap = b & 0x7f;
        for (let mul = 128; b >= 0x80; mul *= 128) {
          b = bytes[pos++];
          gap += (b & 0x7f) * mul;
        }
        doc += gap;
        docs[j] = doc;
        scores[j] = bytes[pos++];
      }
      if (pos > bytes.length) throw new Error('truncated shard');
      entry.postings = { docs: docs, scores: scores };
    }
    return entry.postings;
  }

  // ---------------------------------------------------------------- ranking

  const INSIDE_WORD = 128; // bigram ratio byte from which jieba keeps the pair in one word
  const OPTIONAL_WEIGHT = 0.3;
  const PHRASE_BONUS = 0.3;
  const RERANK_EXTRA = 2;
  const MAX_QUERY_CHARS = 200;

  // A posting's weight: the strongest field it occurs in (title, country/channel/plan,
  // heading) plus its BM25 body weight.
  function fieldWeight(score) {
    const field = (score & 0x80) ? 2.5 : (score & 0x20) ? 1.2 : (score & 0x40) ? 1 : 0;
    return field + (score & 0x1f) / 31;
  }

  // fieldWeight of every score byte, looked up in the ranking loops.
  const WEIGHT = new Float64Array(256);
  for (let s = 0; s < 256; s++) WEIGHT[s] = fieldWeight(s);

  function idf(df, n) {
    return Math.log(1 + n / Math.max(df, 1));
  }

  // The ranking loops run over thousands of postings on a reader's first query: they are
  // indexed loops over typed arrays, without iterators, callbacks or a call per document
  // (which cost several times more in cold code). They live outside createSearch so that
  // what V8 compiled while warm() ran serves the reader's searcher too: functions made per
  // searcher are different call targets, and code compiled for one is thrown away when
  // called with the other.

  // Scores one unit into `out` (by document) and returns the number of matching
  // documents, listed at the start of `docs`. `hit` is scratch space and is left zeroed.
  function unitScores(m, unit, out, hit, docs) {
    let found = 0;
    if (unit.any) {
      // The best variant per document; rarity is that of the word with all its variants.
      for (let v = 0; v < unit.any.length; v++) {
        const t = unit.any[v];
        const p = postings(t.entry);
        for (let j = 0; j < p.docs.length; j++) {
          const d = p.docs[j];
          const s = t.weight * WEIGHT[p.scores[j]];
          if (out[d] === 0) docs[found++] = d;
          if (s > out[d]) out[d] = s;
        }
      }
      const w = idf(found, m.docs);
      for (let i = 0; i < found; i++) out[docs[i]] *= w;
      return found;
    }
    for (let k = 0; k < unit.all.length; k++) if (!unit.all[k]) return 0;
    // Every bigram of the word: count hits per document, keep those that have them all.
    const n = unit.all.length;
    let seen = 0;
    for (let k = 0; k < n; k++) {
      const e = unit.all[k];
      const p = postings(e);
      const w = idf(e.df, m.docs) / Math.sqrt(n);
      for (let j = 0; j < p.docs.length; j++) {
        const d = p.docs[j];
        if (hit[d] !== k) continue;
        hit[d] = k + 1;
        out[d] += w * WEIGHT[p.scores[j]];
        if (k === 0) docs[seen++] = d;
      }
    }
    for (let i = 0; i < seen; i++) {
      const d = docs[i];
      if (hit[d] === n) docs[found++] = d;
      else out[d] = 0;
      hit[d] = 0;
    }
    return found;
  }

  // Ranks documents: every required unit, else (no page has them all) as many as
  // possible. Returns the best `keep` documents, their scores, and the number matched.
  function rank(m, units, keep) {
    const n = m.docs;
    const score = new Float64Array(n);
    const count = new Uint16Array(n);
    const out = new Float64Array(n);
    const hit = new Uint16Array(n);
    const docs = new Uint32Array(n);
    const candidates = new Uint32Array(n);
    let candidateCount = 0;
    let required = 0;
    for (let u = 0; u < units.length; u++) {
      if (!units[u].required) continue;
      required++;
      const found = unitScores(m, units[u], out, hit, docs);
      for (let i = 0; i < found; i++) {
        const d = docs[i];
        if (count[d] === 0) candidates[candidateCount++] = d;
        count[d]++;
        score[d] += out[d];
        out[d] = 0;
      }
    }
    for (let u = 0; u < units.length; u++) {
      if (units[u].required) continue;
      const found = unitScores(m, units[u], out, hit, docs);
      for (let i = 0; i < found; i++) {
        const d = docs[i];
        if (count[d] > 0) score[d] += OPTIONAL_WEIGHT * out[d];
        out[d] = 0;
      }
    }
    // Documents with every required unit; if there are none, all candidates.
    let total = 0;
    for (let i = 0; i < candidateCount; i++) {
      if (count[candidates[i]] === required) total++;
    }
    const partial = total === 0 && candidateCount > 0;
    if (partial) total = candidateCount;
    // Top `keep` by insertion, ordered by units matched, then score, then document
    // number: linear in the number of candidates.
    const top = [];
    for (let i = 0; i < candidateCount; i++) {
      const d = candidates[i];
      if (!partial && count[d] !== required) continue;
      if (top.length === keep) {
        const w = top[keep - 1];
        if (count[d] < count[w] || (count[d] === count[w] &&
          (score[d] < score[w] || (score[d] === score[w] && d > w)))) continue;
      }
      let at = Math.min(top.length, keep - 1);
      top[at] = d;
      while (at > 0) {
        const a = top[at];
        const b = top[at - 1];
        const better = count[a] > count[b] || (count[a] === count[b] &&
          (score[a] > score[b] || (score[a] === score[b] && a < b)));
        if (!better) break;
        top[at - 1] = a;
        top[at] = b;
        at--;
      }
    }
    return { docs: top, score: score, total: total, partial: partial };
  }

  // A result's score with what its title says: each phrase of the query found there,
  // and the title having every word. (A phrase in the body counts through the index: see
  // joinPairs and splitWord.)
  function titleScore(score, title, pairs, required) {
    for (const p of pairs) if (p.test(title)) score *= 1 + PHRASE_BONUS * 2;
    if (pairs.length && required.every((u) => u.titleRe.test(title))) score *= 1 + PHRASE_BONUS;
    return score;
  }

  // The first `limit` results from the titles file alone (snippets null), in the order
  // query keeps when their shards arrive (it scores the same titles again): a result's
  // score depends on its title and the index, not on its text. Returns { docs, results },
  // or null when a card is missing. `r` is rank's result; `ask` holds the query's phrases
  // (`pairs`), `required` units, highlight regex `re` and `limit`.
  function earlyResults(cards, r, ask) {
    const { pairs, required, re, limit } = ask;
    const cands = [];
    for (let i = 0; i < r.docs.length; i++) {
      const c = titleCard(cards, r.docs[i]);
      if (!c) return null;
      cands.push({ card: c, score: titleScore(r.score[r.docs[i]], c[1], pairs, required), rank: i });
    }
    if (pairs.length) cands.sort((a, b) => (b.score - a.score) || (a.rank - b.rank));
    const shown = cands.slice(0, limit);
    return {
      docs: shown.map((x) => r.docs[x.rank]),
      results: shown.map((x) => ({
        url: x.card[0], title: x.card[1], context: x.card[2], titleParts: marks(x.card[1], re), snippet: null
      }))
    };
  }

  // A letter or digit in the patterns made for each query (a word goes on while one
  // follows), written as none of the separators a guide's titles and text use: white
  // space, and the punctuation and symbols of ASCII, Latin-1, General and Supplemental
  // Punctuation, super- and subscripts, currency, arrows to dingbats, CJK punctuation,
  // katakana punctuation, vertical, small and full-width forms, and emoji. Anything else
  // continues a word, as a letter does: also combining marks, which [\p{Alphabetic}\p{N}]
  // left out. Not [\p{Alphabetic}\p{N}]: V8 takes a millisecond or more to compile each new regex with
  // a Unicode property class and the i flag (it closes the class over case), a query
  // makes several, and that was most of a first query's own work (dual-SIM in Node,
  // after warm(): 9 ms, 2 ms without). No character here has another case, so the i
  // flag cannot turn a letter into a separator (as the Kelvin sign would, for k); the
  // relevance runner checks both against the Unicode tables.
  const B = '[^\\s!-\\/:-@\\[-`{-~\\u00a1-\\u00a9\\u00ab-\\u00b1\\u00b4\\u00b6-\\u00b8\\u00bb\\u00bf\\u00d7\\u00f7' +
    '\\u2000-\\u206f\\u207a-\\u207e\\u208a-\\u208e\\u20a0-\\u20cf\\u2103\\u2116\\u2122\\u2190-\\u245f\\u2500-\\u2775\\u2794-\\u2bff\\u3000-\\u3004\\u3008-\\u3020' +
    '\\u2e00-\\u2e2e\\u2e30-\\u2e7f\\u3030\\u3036\\u3037\\u303d-\\u303f\\u30a0\\u30fb\\ufe10-\\ufe1f\\ufe30-\\ufe6f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\u{1f000}-\\u{1f0ff}\\u{1f1e6}-\\u{1f1ff}\\u{1f200}-\\u{1faff}]';

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  // The folder `rel` (`../../search/zh/`) names, relative to the folder URL `base`.
  function resolve(base, rel) {
    if (rel.charAt(0) === '/') return rel;
    const out = base.split('/');
    out.pop();
    // A root-relative or absolute base keeps its leading empty part (or origin).
    const keep = out[0] === '' ? 1 : 0;
    for (const part of rel.split('/')) {
      if (part === '..') { if (out.length > keep) out.pop(); } else if (part !== '.') out.push(part);
    }
    return out.join('/');
  }

  // ---------------------------------------------------------------- warm-up index

  const WARM_DOCS = 2048;
  const WARM_PER_SHARD = 16;
  // Between them: a CJK run cut into words, boundary pairs, an external postings list,
  // English prefixes, a stop word, a word split in two (topup) and a mixed query.
  const WARM_QUERIES = ['卡塔尔电话续费', 'renew by phone', 'topup 续费', 'phones'];
  const WARM_ROUNDS = 3;

  function putVarint(out, n) {
    while (n >= 0x80) {
      out.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
  }

  // Encodes terms ([text, inside byte, [[doc, score byte], ...], in a file of its own])
  // as one postings shard, as src/search/mod.rs does: { main, lists }.
  function encodeShard(terms) {
    const main = [];
    const lists = [];
    putVarint(main, terms.length);
    let prev = new Uint8Array(0);
    for (const [text, inside, posts, own] of terms) {
      const bytes = encoder.encode(text);
      let shared = 0;
      while (shared < prev.length && shared < bytes.length && prev[shared] === bytes[shared]) shared++;
      putVarint(main, shared);
      putVarint(main, bytes.length - shared);
      for (let i = shared; i < bytes.length; i++) main.push(bytes[i]);
      main.push(inside);
      putVarint(main, posts.length);
      const list = [];
      let last = 0;
      for (const [doc, score] of posts) {
        putVarint(list, doc - last);
        list.push(score);
        last = doc;
      }
      putVarint(main, list.length * 2 + (own ? 1 : 0));
      if (own) lists.push(Uint8Array.from(list));
      else for (const b of list) main.push(b);
      prev = bytes;
    }
    return { main: Uint8Array.from(main), lists: lists };
  }

  // A loader over a made-up index of WARM_DOCS documents in the real file formats, for
  // warm(): postings of thousands of documents per term, like a common word's on a large
  // site, and documents whose text has every warm-up word for the snippets.
  function warmIndex() {
    const words = [['卡塔', 255], ['塔尔', 255], ['尔电', 8], ['电话', 255], ['话续', 16], ['续费', 255],
      ['phone', 255], ['phones', 255], ['renew', 255], ['renewal', 255], ['renewed', 255],
      ['top', 255], ['topup', 255], ['up', 255]];
    const terms = words.map(([text, inside], k) => {
      const posts = [];
      // Mostly close together, with a jump now and then: gaps of two varint bytes, as a
      // rarer word's on a real site, take the decoder's other path.
      for (let d = k % 3; d < WARM_DOCS; d += d % 61 === 5 ? 200 + k : 1 + (k % 4)) posts.push([d, (d * 37 + k * 11) & 0xff]);
      return [text, inside, posts, text === '续费'];
    });
    const shard = encodeShard(terms);
    const text = 'Renewal by phone takes two minutes; top up first if the balance is low. ' +
      '在卡塔尔通过电话续费：先查询余额，再拨打续费代码。Phones without a SIM tool can top-up online. ';
    const docs = (k) => JSON.stringify(Array.from({ length: WARM_PER_SHARD }, (_, i) => {
      const d = k * WARM_PER_SHARD + i;
      return ['/warm/' + d + '/', 'Renew the phone plan ' + d + ' 电话续费', 'Warm · up', text.repeat(1 + (d % 3))];
    }));
    // Parsed from JSON in the key order the build writes, as the real files are, so the
    // compiled code sees objects of the same shape.
    const titles = JSON.stringify(Array.from({ length: WARM_DOCS }, (_, d) =>
      '/warm/' + d + '/\tRenew the phone plan ' + d + ' 电话续费\tWarm · up').join('\n'));
    const meta = JSON.stringify({ version: 2, lang: 'warm', id: 'w', files: './', docs: WARM_DOCS,
      shards: 1, docShards: WARM_DOCS / WARM_PER_SHARD, docsPerShard: WARM_PER_SHARD, titles: true,
      minWordChars: 2, maxWordChars: 40, stopWords: ['by'], functionWords: ['怎么'] });
    return (url) => {
      const name = url.slice(url.lastIndexOf('/') + 1);
      const file = /^([pd])(\d+)(?:-(\d+))?\.w\./.exec(name);
      if (name === 'meta.json') return Promise.resolve(JSON.parse(meta));
      if (name === 't.w.json') return Promise.resolve(JSON.parse(titles));
      if (file && file[1] === 'd') return Promise.resolve(JSON.parse(docs(Number(file[2]))));
      if (file && file[3] !== undefined) return Promise.resolve(shard.lists[Number(file[3])]);
      return Promise.resolve(shard.main);
    };
  }

  // A searcher over one language's index. `base` is the folder URL of meta.json
  // (`/zh/search/`), `load` fetches a URL as parsed JSON (`kind` "json") or bytes ("bin").
  function createSearch(base, load) {
    let metaPromise = null;
    const shardCache = new Map();
    const listCache = new Map();
    const docCache = new Map();
    let asked = false; // a query has run: warm() stops

    function meta() {
      if (!metaPromise) {
        metaPromise = load(base + 'meta.json', 'json').then((m) => {
          if (!m || m.version !== 2) throw new Error('unsupported search index');
          m.base = resolve(base, m.files);
          m.stop = new Set(m.stopWords || []);
          m.func = new Set(m.functionWords || []);
          // Every result's URL, title and context (see query): loaded now, while the reader
          // types; a query that comes first, or a failed load, does without.
          m.cards = null;
          m.cardsLoaded = !m.titles ? Promise.resolve() : load(m.base + 't.' + m.id + '.json', 'json')
            .then((t) => titleLines(t, m.docs)).then((cards) => { m.cards = cards; }).catch(() => {});
          return m;
        });
        metaPromise.catch(() => { metaPromise = null; });
      }
      return metaPromise;
    }

    function shard(m, i) {
      if (!shardCache.has(i)) {
        const p = load(m.base + 'p' + i + '.' + m.id + '.bin', 'bin').then((b) => parseShard(b, i));
        shardCache.set(i, p);
        p.catch(() => shardCache.delete(i));
      }
      return shardCache.get(i);
    }

    function docShard(m, k) {
      if (!docCache.has(k)) {
        const p = load(m.base + 'd' + k + '.' + m.id + '.json', 'json');
        docCache.set(k, p);
        p.catch(() => docCache.delete(k));
      }
      return docCache.get(k);
    }

    // Fetches the long postings lists of the required units' terms.
    function fetchLists(m, units) {
      const wanted = [];
      for (const u of units) {
        if (!u.required) continue;
        for (const e of u.all || u.any.map((t) => t.entry)) {
          if (e && !e.bytes && e.list >= 0) wanted.push(e);
        }
      }
      return Promise.all(wanted.map((e) => {
        const key = e.shard + '-' + e.list;
        if (!listCache.has(key)) {
          const p = load(m.base + 'p' + key + '.' + m.id + '.bin', 'bin');
          listCache.set(key, p);
          p.catch(() => listCache.delete(key));
        }
        return listCache.get(key).then((b) => { e.bytes = b; e.offset = 0; });
      }));
    }

    // Fetches the shards of `terms` and returns term → entry (missing terms absent).
    async function lookup(m, terms) {
      const byShard = new Map();
      for (const t of terms) {
        const i = shardHash(t) & (m.shards - 1);
        if (!byShard.has(i)) byShard.set(i, []);
        byShard.get(i).push(t);
      }
      const found = new Map();
      await Promise.all(Array.from(byShard.keys(), (i) => shard(m, i).then((s) => {
        for (const t of byShard.get(i)) {
          if (s.has(t)) found.set(t, s.get(t));
        }
        found.set('\u0000shard' + i, s);
      })));
      return found;
    }

    // Turns the query into units, in query order. A unit is required (every result matches
    // it) or optional (only adds score); required units carry the regex that highlights them.
    async function analyse(m, query) {
      const pieces = [];
      const want = new Set();
      for (const p of scan(query)) {
        if (p.word) {
          const n = Array.from(p.word).length;
          if (n < m.minWordChars || n > m.maxWordChars || m.stop.has(p.word)) continue;
          const w = wordPiece(p.word);
          pieces.push(w);
          want.add(w.prefix ? w.root : w.word);
        } else {
          const run = p.run;
          pieces.push({ run: run });
          if (run.length === 1) want.add(run[0]);
          for (let i = 0; i + 1 < run.length; i++) want.add(run[i] + run[i + 1]);
        }
      }
      // A pair of neighbouring words may be written as one: "top up" also finds topup.
      for (let i = 0; i + 1 < pieces.length; i++) {
        if (pieces[i].word && pieces[i + 1].word) want.add(pieces[i].word + pieces[i + 1].word);
      }
      const found = await lookup(m, want);
      const units = [];
      const lone = [];
      const lastWord = pieces.length ? pieces[pieces.length - 1] : null;
      for (const p of pieces) {
        if (p.word) {
          p.unit = wordUnit(m, found, p, p === lastWord)[0];
          if (p.unit) units.push(p.unit);
          continue;
        }
        const run = p.run;
        if (run.length === 1) { lone.push(run[0]); continue; }
        if (run.length === 2) {
          units.push(makeUnit({ all: [found.get(run[0] + run[1])], required: true, text: run.join(''), pattern: escapeRe(run.join('')) }));
          continue;
        }
        // Cut the run where jieba (as recorded in the index) rarely keeps the pair together:
        // 卡塔尔电话续费 → 卡塔尔 | 电话 | 续费, with 尔电 and 话续 as optional extras.
        let start = 0;
        let loneEnd = -1;
        const close = (end) => {
          if (end - start === 1) {
            // Neighbouring single characters stay together (怎么 when the index lacks it).
            if (loneEnd === start) lone[lone.length - 1] += run[start];
            else lone.push(run[start]);
            loneEnd = end;
          } else {
            const all = [];
            for (let i = start; i + 1 < end; i++) all.push(found.get(run[i] + run[i + 1]));
            const text = run.slice(start, end).join('');
            units.push(makeUnit({ all: all, required: true, text: text, pattern: escapeRe(text) }));
          }
          start = end;
        };
        for (let i = 0; i + 1 < run.length; i++) {
          const e = found.get(run[i] + run[i + 1]);
          if (!e || e.inside < INSIDE_WORD) {
            // A boundary pair only adds score, from its inline postings: a very long list
            // kept in a file of its own is not fetched for it (and not used if an earlier
            // query fetched it, so the ranking does not depend on what was asked before).
            if (e && e.list < 0) units.push(makeUnit({ all: [e], required: false }));
            close(i + 1);
          }
        }
        close(run.length);
      }
      joinPairs(found, pieces, units);
      for (const p of pieces) if (p.unit) await splitWord(m, found, p, p === lastWord);
      return withoutFunctionWords(m, units, lone);
    }

    // A unit of a query: the postings of `all` its terms (a Chinese word's bigrams) or of
    // `any` of them (an English word's variants), `required` or only adding score, with
    // the `text` of a Chinese word, the `pattern` that highlights it, and what is added
    // later (`joined` by splitWord, `titleRe` by query). Every unit has the same fields in
    // the same order: the ranking code V8 compiled during warm() then fits the reader's
    // units, where an object of a new shape would make it drop that code in the middle of
    // the first query.
    function makeUnit(u) {
      return { all: u.all || null, any: u.any || null, required: u.required, text: u.text,
        pattern: u.pattern || null, joined: null, titleRe: null };
    }

    // A query word, matched by its stem-like prefix when that has three or more characters.
    function wordPiece(word) {
      const root = stemRoot(word);
      return { word: word, root: root, prefix: Array.from(root).length >= 3 };
    }

    // Neighbouring query words also match their joined form (top up → topup).
    function joinPairs(found, pieces, units) {
      for (let i = 0; i + 1 < pieces.length; i++) {
        const a = pieces[i];
        const b = pieces[i + 1];
        const joined = a.word && b.word && found.get(a.word + b.word);
        if (!joined || !a.unit || !b.unit) continue;
        a.unit.any.push({ entry: joined, weight: 1 });
        b.unit.any.push({ entry: joined, weight: 1 });
        // The pair written together (or, before a particle, apart: see tokenize.rs) is
        // also a phrase match, from the index; once, however often the query repeats it.
        if (!units.some((u) => !u.required && u.any && u.any[0].entry === joined)) {
          units.push(makeUnit({ any: [{ entry: joined, weight: 1 }], required: false }));
        }
      }
    }

    // A word (topup) also matches the pages that have it as two words (top up, top-up):
    // split after its longest indexed first part of three or more characters (in the shard
    // already fetched) that its stem does not cover, if the rest is an indexed word too.
    // This adds pages, never removes any: airport also finds a page with both "air" and
    // "port", ranked by its score.
    async function splitWord(m, found, w, last) {
      const chars = Array.from(w.word);
      if (chars.length < 5 || !/^[\p{L}\p{N}]+$/u.test(w.word)) return;
      const s = found.get('\u0000shard' + (shardHash(w.prefix ? w.root : w.word) & (m.shards - 1)));
      for (let i = chars.length - 2; i >= 3; i--) {
        const head = chars.slice(0, i).join('');
        const tail = chars.slice(i).join('');
        // A head the word's own stem already covers (renew+al for renewal: every page with
        // renew matches it by prefix) adds no page, only a request for the tail's shard.
        if (w.prefix && head.startsWith(w.root)) continue;
        if (!s || !s.has(head) || m.stop.has(tail)) continue;
        const a = wordPiece(head);
        const b = wordPiece(tail);
        const more = await lookup(m, new Set([b.prefix ? b.root : b.word]));
        more.set('\u0000shard' + (shardHash(head) & (m.shards - 1)), s);
        const ua = wordUnit(m, more, a, false)[0];
        const ub = wordUnit(m, more, b, last)[0];
        if (!ua || !ub || !ua.any.length || !ub.any.length) continue;
        await fetchLists(m, [ua, ub]);
        // Both words anywhere count less than the word itself, which the index also
        // has where the two are written together or, after a particle, side by side.
        w.unit.any.push({ entry: both(ua, ub), weight: 0.8 });
        const pair = '(?:' + ua.pattern + ')[\\s\\-]*(?:' + ub.pattern + ')';
        // Highlighted like the two words would be, and rewarded when they are neighbours.
        w.unit.pattern = [w.unit.pattern, pair, ua.pattern, ub.pattern].map((x) => '(?:' + x + ')').join('|');
        w.unit.joined = new RegExp(pair, 'iu');
        return;
      }
    }

    // A made-up term entry: the documents in both word units, each with the best score
    // byte of either side (field flags they share, the lower body weight).
    function both(ua, ub) {
      const best = (unit) => {
        const out = new Map();
        for (const t of unit.any) {
          const p = postings(t.entry);
          for (let j = 0; j < p.docs.length; j++) {
            const old = out.get(p.docs[j]);
            if (old === undefined || WEIGHT[p.scores[j]] > WEIGHT[old]) out.set(p.docs[j], p.scores[j]);
          }
        }
        return out;
      };
      const a = best(ua);
      const b = best(ub);
      const docs = Array.from(a.keys()).filter((d) => b.has(d)).sort((x, y) => x - y);
      const scores = docs.map((d) => (a.get(d) & b.get(d) & 0xe0) | Math.min(a.get(d) & 0x1f, b.get(d) & 0x1f));
      const list = { docs: Uint32Array.from(docs), scores: Uint8Array.from(scores) };
      // Same fields, in the same order, as parseShard's entries: one shape for the compiled code.
      return { inside: 255, df: docs.length, shard: -1, size: 0, list: -1, bytes: new Uint8Array(0), offset: 0, postings: list };
    }

    // Question and function words (如何, 怎么, 方法, 吗: meta.functionWords, from
    // tokenize::FUNCTION_WORDS_ZH) are left out of a query that has other terms, as English
    // stop words are: 如何续费 asks for 续费. Single characters count only when nothing
    // longer was asked for (like 卡 alone); next to longer words they are mostly particles
    // (在, 的) and are left out too.
    async function withoutFunctionWords(m, units, lone) {
      const isFunction = (u) => u.required && u.text !== undefined && functionText(m, u.text);
      const content = units.filter((u) => u.required && !isFunction(u));
      const chars = [];
      for (const group of lone) chars.push(...contentChars(m, group));
      let kept = units;
      if (content.length || chars.length) kept = units.filter((u) => !isFunction(u));
      if (kept.some((u) => u.required)) return kept;
      const single = chars.length ? chars : lone.flatMap((g) => Array.from(g));
      const more = await lookup(m, new Set(single));
      for (const c of single) kept.push(makeUnit({ all: [more.get(c)], required: true, pattern: escapeRe(c) }));
      return kept;
    }

    // The characters of a group of single characters (怎么续) outside the function words
    // found in it, longest first from the left: [续].
    function contentChars(m, group) {
      const chars = Array.from(group);
      const out = [];
      for (let i = 0; i < chars.length;) {
        let len = Math.min(3, chars.length - i);
        while (len > 0 && !m.func.has(chars.slice(i, i + len).join(''))) len--;
        if (len === 0) out.push(chars[i++]);
        else i += len;
      }
      return out;
    }

    // True when `text` is made only of function words (怎么样, 我要, 如何).
    function functionText(m, text) {
      const chars = Array.from(text);
      const ok = [true];
      for (let end = 1; end <= chars.length; end++) {
        ok[end] = false;
        for (let len = 1; len <= 3 && len <= end && !ok[end]; len++) {
          ok[end] = ok[end - len] && m.func.has(chars.slice(end - len, end).join(''));
        }
      }
      return ok[chars.length];
    }

    // An English word: every indexed word sharing its stem-like prefix, weighted by closeness.
    function wordUnit(m, found, w, last) {
      const s = found.get('\u0000shard' + (shardHash(w.prefix ? w.root : w.word) & (m.shards - 1)));
      const terms = [];
      for (const [t, e] of s || []) {
        let c = 0;
        if (t === w.word) c = 1;
        else if (!w.prefix) continue;
        else if (t.startsWith(w.word) && (last || t.length - w.word.length <= 3)) c = last ? 0.9 : 0.8;
        else if (t.startsWith(w.root)) c = t.length - w.root.length <= 4 ? 0.8 : 0.5;
        if (c > 0) terms.push({ entry: e, weight: c });
      }
      // A short last word still being typed does not wipe out the results.
      if (!terms.length && last && !w.prefix) return [];
      const pattern = w.prefix
        ? escapeRe(w.root) + B + '*'
        : escapeRe(w.word) + '(?!' + B + ')';
      return [makeUnit({ any: terms, required: true, pattern: pattern })];
    }

    // Pairs of consecutive query words that appear next to each other in a document's title:
    // "top up", 电话续费 (the index has no positions, so this runs on the candidates' titles;
    // in the text, neighbours count through the index: boundary bigrams like 话续, and words
    // joined after a hyphen or before a particle, see joinPairs). Two English words may
    // have one short word of up to four letters or digits between them (renew by phone,
    // top 5 up).
    function phrases(units) {
      const req = units.filter((u) => u.required);
      const out = [];
      for (let i = 0; i + 1 < req.length; i++) {
        const a = req[i].pattern;
        const b = req[i + 1].pattern;
        const gap = req[i].any && req[i + 1].any
          ? '[\\s\\-]+(?:' + B + '{1,4}[\\s\\-]+)?'
          : '[\\s\\-]*[^。！？；，.!?;,]{0,4}?[\\s\\-]*';
        out.push(new RegExp('(?:' + a + ')' + gap + '(?:' + b + ')', 'iu'));
      }
      return out;
    }

    // Runs a query: { results: [{ url, title, context, titleParts, snippet }], total, partial }.
    // `titleParts` and `snippet` are arrays of { text, mark }. With `options.early`, also
    // calls it with the same results before their snippets are in (snippet null), when the
    // titles file has them: a reader sees the answer after one round of requests instead
    // of two. `options.warming` (the warm-up's own queries) skips the wait for a paint.
    async function query(q, options) {
      asked = true;
      const limit = (options && options.limit) || 8;
      const m = await meta();
      if (!q.trim() || !m.docs) return { results: [], total: 0, partial: false };
      const units = await analyse(m, Array.from(q).slice(0, MAX_QUERY_CHARS).join(''));
      if (!units.some((u) => u.required)) return { results: [], total: 0, partial: false };
      await fetchLists(m, units);
      const pairs = phrases(units).concat(units.filter((u) => u.joined).map((u) => u.joined));
      const required = units.filter((u) => u.required);
      for (const u of required) u.titleRe = new RegExp(u.pattern, 'iu');
      // With several words, a few more candidates are re-ranked by their titles.
      const r = rank(m, units, pairs.length ? limit + RERANK_EXTRA : limit);
      const per = m.docsPerShard;
      const patterns = units.filter((u) => u.pattern).map((u) => u.pattern);
      const re = patterns.length ? new RegExp(patterns.join('|'), 'giu') : null;
      // With the titles file the order is known now: the results can be shown before
      // the document shards are requested (each request costs the page some milliseconds
      // of its own), and only the shards of the results shown are needed.
      const early = m.cards ? earlyResults(m.cards, r, { pairs: pairs, required: required, re: re, limit: limit }) : null;
      if (early && options && options.early) {
        options.early({ results: early.results, total: r.total, partial: r.partial });
        // The snippets' requests wait for the next task, so the browser can paint the list
        // first: in Chromium each fetch() call takes the page a millisecond or more.
        if (!options.warming) await new Promise((done) => setTimeout(done, 0));
      }
      const top = early ? early.docs : r.docs;
      const shards = await Promise.all(top.map((d) => docShard(m, Math.floor(d / per))));
      const results = top.map((d, i) => {
        const e = shards[i][d % per] || ['', '', '', ''];
        const score = titleScore(r.score[d], e[1], pairs, required);
        return {
          url: e[0],
          title: e[1],
          context: e[2],
          titleParts: marks(e[1], re),
          snippet: snippet(e[3], re),
          score: score,
          rank: i
        };
      });
      if (pairs.length) results.sort((a, b) => (b.score - a.score) || (a.rank - b.rank));
      return { results: results.slice(0, limit), total: r.total, partial: r.partial };
    }

    // Runs whole queries on a made-up index held in memory (warmIndex), so that V8 has
    // compiled the client before the reader's first query: cold, the first query spent
    // several times longer in script than a repeated one. Called between focus and typing;
    // it stops once the reader's own query starts, downloads nothing and touches none of
    // this searcher's caches. Resolves with each warm-up query's result count.
    let warming = null;
    function warm() {
      if (!warming) {
        const fake = createSearch('/', warmIndex());
        warming = (async () => {
          const counts = [];
          for (let round = 0; round < WARM_ROUNDS && !asked; round++) {
            for (const q of WARM_QUERIES) {
              if (asked) break;
              const r = await fake.query(q, { limit: 8, early: () => {}, warming: true });
              if (round === 0) counts.push(r.results.length);
              await new Promise((done) => setTimeout(done, 0)); // keeps typing responsive
            }
          }
          return counts;
        })();
      }
      return warming;
    }

    return { meta: meta, query: query, warm: warm };
  }

  // ---------------------------------------------------------------- snippets

  function isLatinWordChar(ch) {
    return !!ch && !isCjk(ch.codePointAt(0)) && WORD_CHAR.test(ch);
  }

  function isWordStart(match) {
    return isLatinWordChar(Array.from(match)[0]);
  }

  // True when the character before `index` continues a word.
  function isWordEnd(text, index) {
    if (index === 0) return false;
    const c = text.charCodeAt(index - 1);
    const ch = c >= 0xdc00 && c <= 0xdfff && index >= 2 ? text.slice(index - 2, index) : text[index - 1];
    return isLatinWordChar(fold(ch));
  }

  function hitsOf(text, re) {
    const hits = [];
    if (!re) return hits;
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text)) && hits.length < 500) {
      if (!m[0]) { re.lastIndex++; continue; }
      // Words match at word starts only (checked here rather than with a lookbehind,
      // which older browsers lack): "top" in "top-up", not in "stop".
      if (isWordStart(m[0]) && isWordEnd(text, m.index)) { re.lastIndex = m.index + 1; continue; }
      hits.push({ start: m.index, end: m.index + m[0].length, key: m[0].toLowerCase() });
    }
    return hits;
  }

  function parts(text, hits, from, to) {
    const out = [];
    let pos = from;
    for (const h of hits) {
      if (h.start < from || h.end > to) continue;
      if (h.start > pos) out.push({ text: text.slice(pos, h.start), mark: false });
      out.push({ text: text.slice(h.start, h.end), mark: true });
      pos = h.end;
    }
    if (pos < to) out.push({ text: text.slice(pos, to), mark: false });
    return out;
  }

  function marks(text, re) {
    return parts(text, hitsOf(text, re), 0, text.length);
  }

  const BREAK = /[。！？；，、.!?;,:：\s]/;

  // The window of the text with the most distinct matched words, cut near clause breaks.
  function snippet(text, re) {
    // Block ends are line breaks in the indexed text; some browsers drop a line break
    // between two Chinese characters, so a snippet shows them as spaces (same length).
    text = text.replace(/\n/g, ' ');
    const dense = /[\u3040-\u9fff\uac00-\ud7af]/.test(text.slice(0, 80));
    const size = dense ? 72 : 160;
    const hits = hitsOf(text, re);
    let start = 0;
    if (hits.length) {
      let best = -1;
      for (let i = 0; i < hits.length; i++) {
        const keys = new Set();
        let n = 0;
        for (let j = i; j < hits.length && hits[j].end <= hits[i].start + size; j++) {
          keys.add(hits[j].key);
          n++;
        }
        const s = keys.size * 100 + n;
        if (s > best) { best = s; start = hits[i].start; }
      }
      // Some context before the first match, starting after a break if there is one near.
      const back = Math.max(0, start - Math.round(size / 4));
      let cut = back;
      for (let k = start - 1; k >= back; k--) {
        if (BREAK.test(text[k])) { cut = k + 1; break; }
      }
      start = cut;
      while (start < text.length && /\s/.test(text[start])) start++;
    }
    if (start > 0 && /[\udc00-\udfff]/.test(text[start] || '')) start++;
    let end = Math.min(text.length, start + size);
    // Do not cut a match in half.
    for (const h of hits) if (h.start < end && h.end > end) end = h.end;
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end++;
    const out = parts(text, hits, start, end);
    if (start > 0) out.unshift({ text: '…', mark: false });
    if (end < text.length) out.push({ text: '…', mark: false });
    return out;
  }

  // ---------------------------------------------------------------- browser UI

  // Results shown at first: about a phone screen's worth, so a first query fetches the
  // document shards of these only; "more results" adds as many again, up to MAX_RESULTS.
  const FIRST_RESULTS = 5;
  const MAX_RESULTS = 50;

  function attach(box) {
    const d = document;
    const input = box.querySelector('input');
    const list = box.querySelector('.search-results');
    const status = box.querySelector('.search-status');
    if (!input || !list || !status) return;
    const base = box.getAttribute('data-search');
    const text = (name) => box.getAttribute('data-' + name) || '';
    const load = (url, kind) => fetch(url, { cache: /meta\.json$/.test(url) ? 'no-cache' : 'default' })
      .then((r) => {
        if (!r.ok) throw new Error(r.status + ' ' + url);
        return kind === 'bin' ? r.arrayBuffer().then((b) => new Uint8Array(b)) : r.json();
      });
    const search = createSearch(base, load);
    let timer = 0;
    let seq = 0;
    let previous = ''; // the field's value at the last input event
    box.hidden = false;

    // What is on screen: the query, its results' URLs, and how many were asked for.
    let current = { q: '', urls: new Set(), limit: FIRST_RESULTS };

    const say = (msg) => { status.textContent = msg; };
    const links = () => Array.from(list.querySelectorAll('a, button'));
    const show = (on) => { list.hidden = !on || !list.firstChild; };
    const clear = () => {
      seq++;
      clearTimeout(timer);
      input.value = '';
      previous = '';
      list.textContent = '';
      current = { q: '', urls: new Set(), limit: FIRST_RESULTS };
      show(false);
      say('');
    };
    const fill = (el, items) => {
      for (const p of items) {
        if (p.mark) {
          const mk = d.createElement('mark');
          mk.textContent = p.text;
          el.appendChild(mk);
        } else el.appendChild(d.createTextNode(p.text));
      }
    };
    const item = (r) => {
      const li = d.createElement('li');
      const a = d.createElement('a');
      a.href = r.url;
      fill(a, r.titleParts);
      li.appendChild(a);
      if (r.context) {
        const c = d.createElement('span');
        c.className = 'search-context';
        c.textContent = r.context;
        li.appendChild(d.createTextNode(' '));
        li.appendChild(c);
      }
      const p = d.createElement('p');
      p.className = 'search-snippet';
      // Shown early: the snippet comes later (data-pending until then).
      if (r.snippet) fill(p, r.snippet);
      else li.setAttribute('data-pending', '');
      li.appendChild(p);
      return li;
    };
    // Fills in the snippets of the items still waiting for theirs, by URL, from `res`.
    const fillSnippets = (res) => {
      const byUrl = new Map(res.results.map((r) => [r.url, r]));
      for (const li of list.querySelectorAll('li[data-pending]')) {
        const a = li.querySelector('a');
        const r = a && byUrl.get(a.getAttribute('href'));
        if (!r) continue;
        fill(li.querySelector('.search-snippet'), r.snippet);
        li.removeAttribute('data-pending');
      }
    };
    // Adds the results not on screen yet, before the "more results" button (a longer list
    // never reshuffles what the reader is looking at); returns the first new link.
    const append = (res) => {
      const button = list.querySelector('.search-more');
      let first = null;
      for (const r of res.results) {
        if (current.urls.has(r.url)) continue;
        current.urls.add(r.url);
        const li = item(r);
        list.insertBefore(li, button);
        first = first || li.querySelector('a');
      }
      return first;
    };
    // Offers "more results" while the query has more (called after focus has left the
    // old button, so removing it does not close the list).
    const offerMore = (res) => {
      const old = list.querySelector('.search-more');
      if (old) old.remove();
      if (current.urls.size >= res.total || current.urls.size >= MAX_RESULTS) return;
      const li = d.createElement('li');
      li.className = 'search-more';
      const b = d.createElement('button');
      b.type = 'button';
      b.textContent = text('more');
      b.addEventListener('click', more);
      li.appendChild(b);
      list.appendChild(li);
    };
    const render = (q, res) => {
      list.textContent = '';
      current = { q: q, urls: new Set(), limit: FIRST_RESULTS };
      append(res);
      offerMore(res);
      show(true);
      const n = res.total;
      say(n === 0 ? text('none') : n === 1 ? text('one') : text('other').replace('{n}', String(n)));
    };
    const failed = () => { list.textContent = ''; show(false); say(text('failed')); };
    const run = () => {
      const q = input.value;
      const mine = ++seq;
      if (!q.trim()) { clear(); return; }
      let early = false;
      const first = (res) => {
        if (mine !== seq) return;
        early = true;
        render(q, res);
      };
      // Results shown early are the final ones (query fetches exactly their shards), so
      // only their snippets are left to fill; they stay if the snippets fail to load.
      search.query(q, { limit: FIRST_RESULTS, early: first }).then((res) => {
        if (mine !== seq) return;
        if (early) fillSnippets(res);
        else render(q, res);
      }, () => { if (mine === seq && !early) failed(); });
    };
    // The next few results of the query on screen; focus moves to the first of them.
    function more() {
      const mine = seq;
      current.limit += FIRST_RESULTS;
      search.query(current.q, { limit: current.limit }).then((res) => {
        if (mine !== seq) return;
        fillSnippets(res);
        const first = append(res);
        (first || input).focus();
        offerMore(res);
      }, () => { if (mine === seq) say(text('failed')); }); // what is on screen stays
    }

    input.addEventListener('focus', () => {
      // A failed warm-up only leaves the first query slower.
      search.meta().then(() => setTimeout(() => search.warm().catch(() => {}), 0), () => say(text('failed')));
      show(true);
    });
    // Text that arrives at once (pasted, or committed by an IME: how most Chinese is
    // typed) runs at once; keys typed one by one wait until typing pauses for 150 ms, so
    // the index is not fetched for every half-typed word.
    const later = (now) => {
      clearTimeout(timer);
      if (now) run();
      else timer = setTimeout(run, 150);
    };
    const changed = () => {
      const jump = Math.abs(input.value.length - previous.length) > 1;
      previous = input.value;
      return jump;
    };
    // While an IME composes (pinyin → 汉字), wait for the characters it commits.
    // (WebKit also fires input after compositionend: the same text is not searched twice.)
    input.addEventListener('input', (e) => {
      if (!e.isComposing && input.value !== previous) later(changed());
    });
    input.addEventListener('compositionend', () => { changed(); later(true); });
    box.addEventListener('keydown', (e) => {
      if (e.isComposing || e.keyCode === 229) return;
      const all = links();
      const at = all.indexOf(d.activeElement);
      if (e.key === 'Escape') {
        if (input.value || !list.hidden) { e.preventDefault(); clear(); input.focus(); }
      } else if (e.key === 'ArrowDown' && all.length) {
        e.preventDefault();
        show(true);
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (e.key === 'ArrowUp' && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus(); else all[at - 1].focus();
      } else if (e.key === 'Enter' && d.activeElement === input) {
        e.preventDefault();
        clearTimeout(timer);
        if (all.length) all[0].click(); else run();
      }
    });
    // Clicking in the list must not blur the field first (Safari does not focus links and
    // buttons on click, so the list would close under the pointer).
    list.addEventListener('mousedown', (e) => e.preventDefault());
    box.addEventListener('focusout', (e) => {
      if (!box.contains(e.relatedTarget)) show(false);
    });
  }

  if (typeof document !== 'undefined') {
    const start = () => document.querySelectorAll('[data-search]').forEach(attach);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = {
      createSearch: createSearch,
      scan: scan,
      shardHash: shardHash,
      resolve: resolve,
      stemRoot: stemRoot,
      parseShard: parseShard,
      encodeShard: encodeShard,
      warmIndex: warmIndex,
      letterPattern: B,
      snippet: snippet
    };
  }
})();

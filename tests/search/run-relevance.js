#!/usr/bin/env node
// Runs the relevance set (tests/search/relevance.json) against a built site, with the
// search client the build shipped (public/js/search.<hash>.js) and the index files read
// from disk, so it exercises exactly the browser's matching code. Also checks budgets:
//
//   node tests/search/run-relevance.js <public dir> [cases.json]
//        [--max-gzip-kb N]      compressed index size per language (default 50)
//        [--max-query-kb N]     KB one fresh query may download, gzip-compressed as every
//                               CDN serves JSON (default 300; meta.json and the titles
//                               file included)
//        [--max-query-ms N]     fail a query slower than N ms once files are loaded (off by
//                               default: times are printed, but a test run on a busy machine
//                               must not fail on them; benchmarks may pass it)
//
// Prints one line per case and a JSON summary as the last line; exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const args = process.argv.slice(2);
const flags = {};
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) flags[args[i].slice(2)] = Number(args[++i]);
  else positional.push(args[i]);
}
const pub = positional[0];
if (!pub) {
  console.error('usage: run-relevance.js <public dir> [cases.json] [--max-gzip-kb N] ...');
  process.exit(2);
}
const casesFile = positional[1] || path.join(__dirname, 'relevance.json');
const maxGzip = (flags['max-gzip-kb'] || 50) * 1024;
const maxQuery = (flags['max-query-kb'] || 300) * 1024;
const maxMs = flags['max-query-ms'];

// The shipped client: js/search.js, or its fingerprinted copy.
const jsDir = path.join(pub, 'js');
const shipped = fs.readdirSync(jsDir).filter((f) => /^search(\.[0-9a-f]+)?\.js$/.test(f));
if (shipped.length !== 1) {
  console.error('expected exactly one search client in ' + jsDir + ', found: ' + shipped.join(', '));
  process.exit(1);
}
const client = require(path.resolve(jsDir, shipped[0]));

// Reads a root-relative URL from disk, counting bytes (meta.json and the titles file
// included: a first query downloads them too).
function loader(counter) {
  return (url, kind) => new Promise((resolve, reject) => {
    counter.requested.push(url);
    const file = path.join(pub, decodeURIComponent(url.replace(/^\//, '')));
    fs.readFile(file, (err, buf) => {
      if (err) return reject(err);
      counter.bytes += buf.length;
      counter.gzip += zlib.gzipSync(buf).length;
      counter.files++;
      resolve(kind === 'bin' ? new Uint8Array(buf.buffer, buf.byteOffset, buf.length) : JSON.parse(buf.toString('utf8')));
    });
  });
}

// Same files, already in memory: what a query costs once downloaded.
function memoryLoader(cache) {
  return (url, kind) => {
    if (!cache.has(url)) {
      const buf = fs.readFileSync(path.join(pub, url.replace(/^\//, '')));
      cache.set(url, kind === 'bin' ? new Uint8Array(buf) : buf.toString('utf8'));
    }
    const v = cache.get(url);
    return Promise.resolve(kind === 'bin' ? v : JSON.parse(v));
  };
}

const failures = [];
const summary = { cases: 0, early: 0, failed: 0, languages: {}, maxQueryBytes: 0, maxQueryGzip: 0, maxQueryMs: 0 };

// Every file of a language's index: meta.json under /<lang>/search/, the rest under
// /search/<lang>/.
function indexSize(lang) {
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const dir of [path.join(pub, lang, 'search'), path.join(pub, 'search', lang)]) {
    for (const f of fs.readdirSync(dir)) {
      const buf = fs.readFileSync(path.join(dir, f));
      raw += buf.length;
      gzip += zlib.gzipSync(buf, { level: 9 }).length;
      files++;
    }
  }
  return { raw, gzip, files };
}

// The client's text rules against the values pinned in src/search/tokenize.rs tests.
function clientChecks() {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const checks = [
    ['shardHash("renew")', client.shardHash('renew'), 0x7b19d6fb],
    ['shardHash("续费")', client.shardHash('续费'), 0x2457e7b9],
    ['shardHash("renewal") = shardHash("renew")', client.shardHash('renewal'), 0x7b19d6fb],
    ['scan(mixed)', client.scan('ｅＳＩＭ　续费 USSD续费, top-up'),
      [{ word: 'esim' }, { run: ['续', '费'] }, { word: 'ussd' }, { run: ['续', '费'] }, { word: 'top' }, { word: 'up' }]],
    ['resolve(meta folder, files)', client.resolve('/zh/search/', '../../search/zh/'), '/search/zh/'],
    ['resolve under a base path', client.resolve('/guides/en/search/', '../../search/en/'), '/guides/search/en/'],
    ['resolve from a relative base', client.resolve('zh/search/', '../../search/zh/'), 'search/zh/'],
    ['resolve an absolute URL', client.resolve('https://x.test/zh/search/', '../../search/zh/'), 'https://x.test/search/zh/'],
    ['stemRoot("renewals")', client.stemRoot('renewals'), 'renew'],
    ['stemRoot("topping")', client.stemRoot('topping'), 'top'],
    ['stemRoot("countries")', client.stemRoot('countries'), 'countr'],
  ];
  for (const [name, got, want] of checks) {
    const ok = same(got, want);
    console.log(`${ok ? 'ok  ' : 'FAIL'} client ${name}` + (ok ? '' : `: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`));
    if (!ok) failures.push(`client ${name}`);
  }
}

// A made-up index: term → [[doc, score byte], ...], documents as [url, title, context,
// text], in one postings shard or, with `shards`, in the shards the build would put each
// term in; `loads` collects the URLs the searcher fetches. For client behaviour the
// example site has no page for.
function tinyIndex(terms, docs, shards = 1, loads = []) {
  const meta = { version: 2, lang: 'x', id: 't', files: '../../search/x/', docs: docs.length, shards: shards,
    docShards: 1, docsPerShard: docs.length, minWordChars: 2, maxWordChars: 40, stopWords: ['to'], functionWords: [] };
  const files = { '/x/search/meta.json': meta, '/search/x/d0.t.json': docs };
  for (let i = 0; i < shards; i++) {
    const mine = Object.keys(terms).sort().filter((t) => (client.shardHash(t) & (shards - 1)) === i);
    files['/search/x/p' + i + '.t.bin'] = client.encodeShard(mine.map((t) => [t, 255, terms[t], false])).main;
  }
  return client.createSearch('/x/search/', (url) => {
    loads.push(url);
    return url in files ? Promise.resolve(files[url]) : Promise.reject(new Error(url));
  });
}

// A word is split in two (topup → top up) only where its own stem does not already cover
// the first part: renewal is not tried as renew + al, which would only fetch al's shard.
async function splitChecks() {
  const terms = { renewal: [[0, 0x81]], renew: [[1, 0x81]], al: [[1, 0x01]], topup: [[0, 0x81]], top: [[1, 0x81]], up: [[1, 0x81]] };
  const docs = [['/a/', 'Renewal topup', '', ''], ['/b/', 'Renew, top up', '', 'al']];
  const shards = 8;
  const shardOf = (t) => '/search/x/p' + (client.shardHash(t) & (shards - 1)) + '.t.bin';
  for (const [q, tail, split] of [['renewal', 'al', false], ['topup', 'up', true]]) {
    const loads = [];
    const res = await tinyIndex(terms, docs, shards, loads).query(q, { limit: 8 });
    const urls = res.results.map((r) => r.url).join(' ');
    const fetched = loads.includes(shardOf(tail));
    const ok = urls === '/a/ /b/' && fetched === split && shardOf(tail) !== shardOf(q);
    console.log(`${ok ? 'ok  ' : 'FAIL'} client ${JSON.stringify(q)} ${split ? 'is' : 'is not'} split: ${urls}; ${tail}'s shard ${fetched ? '' : 'not '}fetched`);
    if (!ok) failures.push(`client split ${q}`);
  }
}

// Written as one word or two: "topup" and "top up" find the same pages.
async function joinedWordChecks() {
  const search = tinyIndex(
    { topup: [[0, 0x81]], top: [[1, 0x81], [2, 0x01]], up: [[1, 0x81], [2, 0x01]], now: [[1, 0x81]] },
    [['/a/', 'Topup your SIM', '', ''], ['/b/', 'Top up now', '', ''], ['/c/', '', '', 'the top of the hill, up there']]);
  for (const q of ['topup', 'top up', 'top-up']) {
    const res = await search.query(q, { limit: 8 });
    const urls = res.results.map((r) => r.url).sort().join(' ');
    const ok = urls === '/a/ /b/ /c/' && res.results[2].url === '/c/';
    console.log(`${ok ? 'ok  ' : 'FAIL'} client joined words ${JSON.stringify(q)}` + (ok ? '' : `: got ${res.results.map((r) => r.url).join(' ')}`));
    if (!ok) failures.push(`client joined words ${q}`);
  }
}

// The client's word character (a hand-written class, fast for V8 to compile): every
// letter and digit in Unicode is one, with the i flag the client's patterns use too; and
// no white space, punctuation or symbol of the blocks a guide's text uses is one.
function letterChecks() {
  const plain = new RegExp('^' + client.letterPattern + '$', 'u');
  const caseless = new RegExp('^' + client.letterPattern + '$', 'iu');
  const letter = /^[\p{Alphabetic}\p{N}]$/u;
  const separator = /^[\s\p{P}\p{S}]$/u;
  // Basic Latin and Latin-1, General and Supplemental Punctuation, currency, arrows to
  // dingbats and beyond, CJK punctuation, katakana, vertical, small and full-width forms.
  const blocks = [[0, 0xff], [0x2000, 0x20cf], [0x2190, 0x245f], [0x2500, 0x2bff], [0x2e00, 0x2e7f],
    [0x3000, 0x303f], [0x30a0, 0x30ff], [0xfe10, 0xfe1f], [0xfe30, 0xfe6f], [0xff00, 0xff65]];
  const missed = [];
  const joined = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const name = 'U+' + cp.toString(16).toUpperCase();
    if (letter.test(ch) && !(plain.test(ch) && caseless.test(ch))) missed.push(name);
    const listed = blocks.some(([from, to]) => cp >= from && cp <= to);
    if (listed && separator.test(ch) && !letter.test(ch) && (plain.test(ch) || caseless.test(ch))) joined.push(name);
  }
  for (const [name, list] of [['every letter and digit is a word character', missed],
    ['no separator of those blocks is one', joined]]) {
    const ok = list.length === 0;
    console.log(`${ok ? 'ok  ' : 'FAIL'} client ${name}` + (ok ? '' : ': ' + list.slice(0, 20).join(' ')));
    if (!ok) failures.push('client ' + name);
  }
}

// A highlight ends where its word does: at white space, punctuation or a symbol, not
// inside a word, Latin or CJK; a short word (no prefix matching) only where it is whole.
async function highlightChecks() {
  const search = tinyIndex({ renewals: [[0, 0x81]], up: [[0, 0x81]] },
    [['/a/', 'Renewals, renew-online, renewing™ and renew续费: top up, upgrade, setup, UP™ or up续 (€5)', '', '']]);
  const cases = [['renewals', ['Renewals', 'renew', 'renewing', 'renew续费']], ['up', ['up', 'UP']]];
  for (const [q, want] of cases) {
    const res = await search.query(q, { limit: 8 });
    const got = res.results.length ? res.results[0].titleParts.filter((p) => p.mark).map((p) => p.text) : [];
    const ok = JSON.stringify(got) === JSON.stringify(want);
    console.log(`${ok ? 'ok  ' : 'FAIL'} client highlights ${JSON.stringify(q)}: ${JSON.stringify(got)}`);
    if (!ok) failures.push(`client highlights ${q}`);
  }
}

// warm() runs whole queries on a made-up index of its own, between focus and typing: each
// finds pages (so the code it compiles is the code a query runs), nothing goes through the
// searcher's loader, and it does nothing once the reader's own query has started.
async function warmChecks() {
  const loads = [];
  const loader = (url) => { loads.push(url); return Promise.reject(new Error(url)); };
  const counts = await client.createSearch('/x/search/', loader).warm();
  const late = client.createSearch('/x/search/', loader);
  await late.query('renew').catch(() => {});
  const afterQuery = await late.warm();
  // Real postings of a rarer word have gaps of two varint bytes or more; code V8 compiled
  // without seeing one is thrown away on the reader's first query.
  const warmShard = await client.warmIndex()('/p0.w.bin');
  let widest = 0;
  for (const e of client.parseShard(warmShard, 0).values()) {
    const bytes = e.bytes || new Uint8Array(0);
    let pos = e.offset;
    for (let j = 0; e.bytes && j < e.df; j++) {
      let width = 1;
      while (bytes[pos++] >= 0x80) width++;
      widest = Math.max(widest, width);
      pos++; // score byte
    }
  }
  for (const [name, ok] of [
    [`warm-up queries all find pages (${counts.join(', ')})`, counts.length >= 4 && counts.every((n) => n > 0)],
    ['warm-up loads nothing through the searcher', loads.length === 1 && loads[0] === '/x/search/meta.json'],
    ['warm-up does nothing after a query', afterQuery.length === 0],
    [`warm-up postings have gaps of two varint bytes (widest: ${widest})`, widest >= 2],
  ]) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} client ${name}`);
    if (!ok) failures.push(`client ${name}`);
  }
}

async function main() {
  clientChecks();
  await joinedWordChecks();
  await highlightChecks();
  await splitChecks();
  letterChecks();
  await warmChecks();
  const spec = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const langs = new Set(spec.cases.map((c) => c.lang));
  for (const lang of langs) {
    const size = indexSize(lang);
    summary.languages[lang] = size;
    const line = `index ${lang}: ${size.files} files, ${size.raw} bytes, ${size.gzip} bytes gzip`;
    if (spec.checkSize !== false && size.gzip > maxGzip) failures.push(`${line} exceeds ${maxGzip}`);
    console.log(line);
  }
  const warm = new Map();
  for (const c of spec.cases) {
    summary.cases++;
    const base = '/' + c.lang + '/search/';
    const counter = { bytes: 0, gzip: 0, files: 0, requested: [] };
    const fresh = client.createSearch(base, loader(counter));
    // As in the browser: meta.json and the titles file load when the field is focused.
    await (await fresh.meta()).cardsLoaded;
    let early = null;
    let heldBack = null; // document shards requested before the browser could paint the early list
    const res = await fresh.query(c.query, {
      limit: c.limit || 8,
      early: (r) => {
        early = r;
        const before = counter.requested.length;
        // A timer set now runs before any the client sets after this call: the snippets'
        // requests must wait for a task of their own, not only for a microtask.
        setTimeout(() => { heldBack = counter.requested.slice(before).filter((u) => /\/d\d+\.[^/]*\.json$/.test(u)); }, 0);
      },
    });
    if (early) summary.early++;
    // Timing: a second searcher over in-memory files (parse + rank + snippets, no I/O).
    const timed = client.createSearch(base, memoryLoader(warm));
    const t0 = process.hrtime.bigint();
    await timed.query(c.query, { limit: c.limit || 8 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    summary.maxQueryBytes = Math.max(summary.maxQueryBytes, counter.bytes);
    summary.maxQueryGzip = Math.max(summary.maxQueryGzip, counter.gzip);
    summary.maxQueryMs = Math.max(summary.maxQueryMs, ms);

    const urls = res.results.map((r) => r.url);
    const top3 = urls.slice(0, 3);
    const problems = [];
    for (const u of c.top3 || []) if (!top3.includes(u)) problems.push(`${u} not in top 3`);
    if (c.first && urls[0] !== c.first) problems.push(`first is ${urls[0]}, expected ${c.first}`);
    if (c.onlyFrom) {
      for (const u of top3) if (!c.onlyFrom.includes(u)) problems.push(`${u} in top 3 is not one of onlyFrom`);
      if (top3.length < Math.min(3, c.onlyFrom.length)) problems.push(`only ${top3.length} results`);
    }
    if (c.minResults && res.total < c.minResults) problems.push(`${res.total} results, expected at least ${c.minResults}`);
    if (c.none && res.total !== 0) problems.push(`expected no results, got ${res.total}`);
    if (c.marked) {
      const marked = new Set();
      for (const r of res.results.slice(0, 3)) {
        for (const p of r.snippet.concat(r.titleParts)) if (p.mark) marked.add(p.text.toLowerCase());
      }
      for (const m of c.marked) if (!marked.has(m.toLowerCase())) problems.push(`"${m}" not highlighted in the top 3`);
    }
    // Results shown before their snippets are the results: same pages, order and titles.
    const card = (r) => JSON.stringify([r.url, r.title, r.context, r.titleParts]);
    if (early && (early.total !== res.total || early.results.map(card).join() !== res.results.map(card).join())) {
      problems.push(`shown early as ${early.results.map((r) => r.url).join(' ')}, then ${urls.join(' ')}`);
    }
    if (heldBack && heldBack.length) problems.push(`snippet shards requested in the early list's task: ${heldBack.join(' ')}`);
    if (counter.gzip > maxQuery) problems.push(`downloaded ${counter.gzip} bytes gzip (> ${maxQuery})`);
    if (maxMs !== undefined && ms > maxMs) problems.push(`took ${ms.toFixed(1)} ms (> ${maxMs})`);
    const tag = problems.length ? 'FAIL' : 'ok  ';
    console.log(`${tag} [${c.lang}] ${JSON.stringify(c.query)} → ${top3.join(' ')} ` +
      `(${res.total} results, ${counter.files} files, ${counter.bytes} B / ${counter.gzip} B gzip, ${ms.toFixed(1)} ms)`);
    for (const p of problems) {
      console.log('       ' + p);
      failures.push(`[${c.lang}] ${c.query}: ${p}`);
    }
  }
  summary.failed = failures.length;
  console.log(JSON.stringify(summary));
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});

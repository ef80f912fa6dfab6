#!/usr/bin/env node
// First-query cost of site search in a real browser: what a traveller's phone downloads and
// how long it waits, on a built site (meant for the 2 x 10,000-page benchmark corpus).
//
//   cargo run --release --example gen-corpus -- --pages 10000 --out /dev/shm/c10k
//   target/release/planguide build --root /dev/shm/c10k --output /dev/shm/o10k
//   node scripts/bench-search-browser.js /dev/shm/o10k [chromium path]
//
// A benchmark, not a test: it prints figures and asserts nothing. For every query it opens
// a fresh browser context (empty cache, no service worker), loads the language's home
// page, focuses the search field (which fetches meta.json, as for a reader), then sets the
// query and records:
//   - index bytes: every /search/ file fetched for the query, meta.json included, as gzip
//     (what a CDN serving gzip transfers; the local server sends them uncompressed);
//   - answer: from the input event to the results on screen, minus the client's 150 ms
//     typing debounce (so: fetching the shards over loopback, decoding, ranking, rendering);
//   - loading: of the answer, the span from the query's first index request to its last
//     response (2-3 rounds of requests: postings shards, long postings lists, documents);
//   - compute: answer minus loading (segmenting, decoding, ranking, rendering);
//   - shown: the answer without subtracting the debounce.
// Every query runs twice: over HTTP/1.1 (Chromium opens at most 6 connections per host, so
// 10-20 shard requests queue in waves) and over HTTP/2 with TLS (a throwaway self-signed
// certificate from `openssl`; requests multiplexed as on a CDN). Both over loopback.
// Debian's Chromium through playwright-core from tests/tools (scripts/install-test-deps.sh).
'use strict';
const fs = require('fs');
const http = require('http');
const http2 = require('http2');
const os = require('os');
const { execFileSync } = require('child_process');
const path = require('path');
const zlib = require('zlib');

const DEBOUNCE_MS = 150;
const QUERIES = {
  zh: ['续费', '电话续费', '充值', '机场', '卡塔尔电话续费', '塔尔萨', 'USSD 续费', '双卡手机'],
  en: ['renew', 'renew by phone', 'top up', 'airport', 'Tarsa', 'dual-SIM', 'ussd renewal', 'layovers'],
};

const pub = path.resolve(process.argv[2] || '');
const chromiumPath = process.argv[3] || '/usr/bin/chromium';
if (!process.argv[2] || !fs.existsSync(path.join(pub, 'index.html'))) {
  console.error('usage: node scripts/bench-search-browser.js <built public dir> [chromium path]');
  process.exit(2);
}
const tools = path.join(__dirname, '..', 'tests', 'tools', 'node_modules');
const { chromium } = require(path.join(tools, 'playwright-core'));

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.bin': 'application/octet-stream',
};

/** A throwaway self-signed certificate for 127.0.0.1, for the HTTP/2 server. */
function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planguide-bench-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** A static server that records every /search/ file it sends (gzip sizes are computed
 *  afterwards, so they add nothing to the response time). `tls` makes it HTTP/2. */
function serve(tls) {
  const fetched = [];
  const handler = (req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    let file = path.join(pub, url);
    if (!file.startsWith(pub)) { res.writeHead(403); res.end(); return; }
    if (url.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      if (url.includes('/search/')) fetched.push({ url, data });
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  };
  const server = tls
    ? http2.createSecureServer({ ...tls, allowHTTP1: true }, handler)
    : http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, fetched, port: server.address().port })));
}

/** Sets the query and resolves with the milliseconds until results (or "no results") show. */
function timeQuery(q) {
  return new Promise((resolve) => {
    const box = document.querySelector('.search');
    const input = box.querySelector('input');
    const status = box.querySelector('.search-status');
    const start = performance.now();
    const done = () => {
      const shown = box.querySelector('.search-results li') || /\d|无|no /i.test(status.textContent);
      if (!shown) return;
      observer.disconnect();
      const end = performance.now();
      // Loading: from the first index request of this query to the last response.
      const loads = performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/search/') && e.startTime >= start);
      const loading = loads.length
        ? Math.max(...loads.map((e) => e.responseEnd)) - Math.min(...loads.map((e) => e.startTime))
        : 0;
      resolve({ ms: end - start, loading, results: box.querySelectorAll('.search-results li').length });
    };
    const observer = new MutationObserver(done);
    observer.observe(box, { subtree: true, childList: true, characterData: true, attributes: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : 0; };

/** Runs every query against one server; returns a row per query. */
async function measure(browser, origin, fetched) {
  const rows = [];
  for (const [lang, queries] of Object.entries(QUERIES)) {
    if (!fs.existsSync(path.join(pub, lang, 'search', 'meta.json'))) continue;
    const metaGzip = zlib.gzipSync(fs.readFileSync(path.join(pub, lang, 'search', 'meta.json'))).length;
    for (const q of queries) {
      const context = await browser.newContext({ serviceWorkers: 'block', ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(origin + '/' + lang + '/');
      await page.waitForLoadState('load');
      const meta = page.waitForResponse((r) => r.url().endsWith('/search/meta.json'));
      await page.locator('.search input').focus();
      await meta;
      fetched.length = 0;
      const { ms, loading, results } = await page.evaluate(timeQuery, q);
      const bytes = fetched.reduce((n, f) => n + zlib.gzipSync(f.data).length, 0);
      rows.push({ lang, q, files: fetched.length + 1, kb: (bytes + metaGzip) / 1024, answer: Math.max(0, ms - DEBOUNCE_MS), loading, shown: ms, results });
      await context.close();
    }
  }
  return rows;
}

function report(title, rows) {
  console.log(`\n${title}`);
  console.log('lang  query                      files  index gzip   answer  loading  compute  shown  results');
  for (const r of rows) {
    const compute = Math.max(0, r.answer - r.loading);
    console.log(`${r.lang.padEnd(5)} ${r.q.padEnd(26)} ${String(r.files).padStart(5)} ${r.kb.toFixed(1).padStart(8)} KB ${r.answer.toFixed(1).padStart(6)} ms ${r.loading.toFixed(1).padStart(6)} ms ${compute.toFixed(1).padStart(6)} ms ${r.shown.toFixed(0).padStart(4)} ms ${String(r.results).padStart(6)}`);
  }
  const stat = (xs) => `median ${median(xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`;
  console.log(`${title}, first query, ${rows.length} queries: index download (KB gzip) ${stat(rows.map((r) => r.kb))}; ` +
    `answer (ms, after the ${DEBOUNCE_MS} ms debounce) ${stat(rows.map((r) => r.answer))}, ` +
    `of which compute ${stat(rows.map((r) => Math.max(0, r.answer - r.loading)))}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--ignore-certificate-errors'],
  });
  try {
    for (const [title, tls] of [['HTTP/1.1', null], ['HTTP/2 (TLS)', certificate()]]) {
      const { server, fetched, port } = await serve(tls);
      const origin = (tls ? 'https' : 'http') + '://127.0.0.1:' + port;
      try {
        report(title, await measure(browser, origin, fetched));
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});

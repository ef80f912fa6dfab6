#!/usr/bin/env node
// First-query cost of site search in a real browser: what a traveller's phone downloads and
// how long it waits, on a built site (meant for the 2 x 10,000-page benchmark corpus).
//
//   cargo run --release --example gen-corpus -- --pages 10000 --out /dev/shm/c10k
//   target/release/planguide build --root /dev/shm/c10k --output /dev/shm/o10k
//   node scripts/bench-search-browser.js /dev/shm/o10k [chromium path]
//
// A benchmark, not a test: it prints figures and asserts nothing. The site is served by
// nginx with the configuration documented in README (as the nginx test runs it), plus gzip
// for JSON and the binary shards, as a CDN compressing them would. For every query it opens
// a fresh browser context (empty cache, no service worker), loads the language's home page,
// focuses the search field (which fetches meta.json, as for a reader), waits 300 ms (the
// environment variable PAUSE_MS changes it; a reader's pause between tapping the field and the first character: the client uses it to
// warm up its ranking code), then sets the whole query at once (as a paste or an IME commit
// does; the client runs such a query at once, while keys typed one by one wait for a 150 ms
// pause in typing) and records:
//   - files and index bytes: every /search/ file the page fetched, meta.json included, as
//     nginx sends it (gzip level 1, its default, computed from the file) and as stored
//     (what a server without compression would send). The requests are read from the
//     resource timing of the page and of any worker it starts;
//   - shown: from the input event to the results on screen (fetching, decoding, ranking,
//     rendering); nothing is subtracted. When the titles file has the results and their
//     text cannot change them, they show before their snippets (see search.js, query);
//   - complete: from the input event to every result's snippet on screen (the same as
//     shown when the results came with their snippets);
//   - loading: of shown, the span from the query's first index request to the last
//     response it waited for;
//   - compute: shown minus loading;
//   - round trip: after the query, the median of five sequential fetches of robots.txt on
//     the same page, the browser's and server's own cost of one request on this machine;
//   - focus busy: how long the page's main thread ran tasks from the focus to the end of
//     the pause (loading meta.json and the titles file, the warm-up), time in which the
//     reader's typing waits (Chromium's TaskDuration; a worker's tasks are not counted).
// Every query runs RUNS times (default 3, each in a fresh context) over HTTP/1.1
// (Chromium opens at most 6 connections per host, so shard requests queue in waves) and again over HTTP/2 with TLS (a throwaway self-signed
// certificate from `openssl`; requests multiplexed as on a CDN). Both over loopback.
// Debian's Chromium and nginx (scripts/install-test-deps.sh installs both) through
// playwright-core from tests/tools.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const { execFileSync, spawn } = require('child_process');
const path = require('path');
const zlib = require('zlib');

const READER_PAUSE_MS = Number(process.env.PAUSE_MS || 300);
const RUNS = Number(process.env.RUNS || 3);
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
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'planguide-bench-search-'));

/** A throwaway self-signed certificate for 127.0.0.1, for the HTTP/2 server. */
function certificate() {
  const key = path.join(work, 'key.pem');
  const cert = path.join(work, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key, cert };
}

/** The nginx server block documented in README, between the nginx-config markers. */
function readmeServerBlock() {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const block = readme.split('<!-- nginx-config:start -->')[1].split('<!-- nginx-config:end -->')[0];
  return block.split('```nginx\n')[1].split('```')[0];
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts nginx on a free port (HTTP/2 over TLS when `tls` is given); resolves once it listens. */
async function serve(tls) {
  const port = await freePort();
  const listen = tls
    ? `listen 127.0.0.1:${port} ssl http2;\n    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};`
    : `listen 127.0.0.1:${port};`;
  const server = readmeServerBlock().split('/srv/site/public').join(pub).replace('listen 127.0.0.1:8080;', listen);
  const dir = fs.mkdtempSync(path.join(work, 'nginx-'));
  const user = process.getuid && process.getuid() === 0 ? 'user root;\n' : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => ` ${t}_temp_path ${dir}/${t};`).join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `${user}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
 include /etc/nginx/mime.types;
 default_type application/octet-stream;
 access_log off;
 gzip on;
 gzip_types application/json application/octet-stream text/css application/javascript;
${temp}
${server}
}
`);
  const child = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (up) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('nginx did not start: ' + fs.readFileSync(path.join(dir, 'error.log'), 'utf8'));
}

/**
 * Sets the query and resolves with what it cost: when results (or "no results") show, and
 * when every result's snippet is in.
 */
function timeQuery(q) {
  return new Promise((resolve) => {
    const box = document.querySelector('.search');
    const input = box.querySelector('input');
    const status = box.querySelector('.search-status');
    const start = performance.now();
    let shownAt = 0;
    const done = () => {
      const shown = box.querySelector('.search-results li') || /\d|无|no /i.test(status.textContent);
      if (!shown) return;
      if (!shownAt) shownAt = performance.now();
      if (box.querySelector('.search-results li[data-pending]')) return; // snippets to come
      observer.disconnect();
      const end = performance.now();
      resolve({
        ms: shownAt - start,
        complete: end - start,
        // As wall-clock times, to set against the requests' (see downloads).
        startedAt: performance.timeOrigin + start,
        shownAt: performance.timeOrigin + shownAt,
        results: box.querySelectorAll('.search-results li').length,
      });
    };
    const observer = new MutationObserver(done);
    observer.observe(box, { subtree: true, childList: true, characterData: true, attributes: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/**
 * The browser's own cost of one request on this machine and server: the median of five
 * sequential fetches of robots.txt (a few bytes, not cached), made after the query on the
 * same page. A first query needs two or three dependent rounds of requests, so this sets
 * a floor under "shown" that no index layout or client code can remove, and lets figures
 * from machines of different speed be compared.
 */
async function fetchRoundTrip() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const response = await fetch('/robots.txt?round-trip=' + i, { cache: 'no-store' });
    await response.arrayBuffer();
    if (!response.ok) throw new Error('robots.txt answered ' + response.status);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[2];
}

/**
 * Every index file the page and its workers fetched, from their resource timing, with
 * start and end as wall-clock times (each context's timeOrigin plus its own clock).
 */
async function indexRequests(page) {
  const read = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/search/'))
    .map((e) => ({ url: e.name, start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd }));
  const all = await page.evaluate(read);
  for (const worker of page.workers()) all.push(...await worker.evaluate(read));
  return all;
}

/**
 * What those requests cost: how many, their bytes as nginx sends them and as stored, and
 * `loading`, the span from the query's first index request to the last response it waited
 * for before the results showed.
 */
function downloads(requests, row) {
  let sent = 0;
  let raw = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const r of requests) {
    const file = fs.readFileSync(path.join(pub, decodeURIComponent(new URL(r.url).pathname)));
    raw += file.length;
    sent += zlib.gzipSync(file, { level: 1 }).length;
    if (r.start >= row.startedAt && r.end <= row.shownAt) {
      first = Math.min(first, r.start);
      last = Math.max(last, r.end);
    }
  }
  return { files: requests.length, sent, raw, loading: last > first ? last - first : 0 };
}

/** Milliseconds the page's main thread has spent running tasks so far (Chromium's count). */
async function mainThreadBusy(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * metrics.find((m) => m.name === 'TaskDuration').value;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : 0; };

/** Runs every query against one server; returns a row per query. */
async function measure(browser, origin) {
  const rows = [];
  for (const [lang, queries] of Object.entries(QUERIES)) {
    if (!fs.existsSync(path.join(pub, lang, 'search', 'meta.json'))) continue;
    for (let run = 0; run < RUNS; run++) for (const q of queries) {
      const context = await browser.newContext({ serviceWorkers: 'block', ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(origin + '/' + lang + '/');
      await page.waitForLoadState('load');
      const meta = page.waitForResponse((r) => r.url().endsWith('/search/meta.json'));
      const busyBefore = await mainThreadBusy(cdp);
      await page.evaluate(() => document.querySelector('.search input').focus());
      await meta;
      await page.waitForTimeout(READER_PAUSE_MS);
      const focusBusy = (await mainThreadBusy(cdp)) - busyBefore;
      const row = { lang, q, focusBusy, ...(await page.evaluate(timeQuery, q)) };
      Object.assign(row, downloads(await indexRequests(page), row));
      row.roundTrip = await page.evaluate(fetchRoundTrip);
      rows.push(row);
      await context.close();
    }
  }
  return rows;
}

function report(title, rows) {
  console.log(`\n${title}`);
  console.log('lang  query                      files   gzip KB    raw KB    shown  complete  loading  compute  results  round trip  focus busy');
  const kb = (n) => (n / 1024).toFixed(1).padStart(8);
  const ms = (n) => n.toFixed(1).padStart(6);
  for (const r of rows) {
    console.log(`${r.lang.padEnd(5)} ${r.q.padEnd(26)} ${String(r.files).padStart(5)} ${kb(r.sent)}  ${kb(r.raw)} ` +
      `${ms(r.ms)} ms ${ms(r.complete)} ms  ${ms(r.loading)} ms ${ms(r.ms - r.loading)} ms ${String(r.results).padStart(6)} ` +
      `${ms(r.roundTrip)} ms ${ms(r.focusBusy)} ms`);
  }
  const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
  const stat = (xs) => `median ${median(xs).toFixed(1)}, p90 ${p90(xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`;
  console.log(`${title}, first query, ${rows.length} runs: index download KB gzip ${stat(rows.map((r) => r.sent / 1024))}, ` +
    `raw ${stat(rows.map((r) => r.raw / 1024))}; shown after ms ${stat(rows.map((r) => r.ms))}, ` +
    `complete after ms ${stat(rows.map((r) => r.complete))}, ` +
    `of which compute ${stat(rows.map((r) => r.ms - r.loading))}; ` +
    `a bare fetch round trip (robots.txt) ${stat(rows.map((r) => r.roundTrip))}; ` +
    `main thread busy after focus ms ${stat(rows.map((r) => r.focusBusy))}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--ignore-certificate-errors'],
  });
  try {
    for (const [title, tls] of [['HTTP/1.1', null], ['HTTP/2 (TLS)', certificate()]]) {
      const { child, port } = await serve(tls);
      const origin = (tls ? 'https' : 'http') + '://127.0.0.1:' + port;
      try {
        report(title, await measure(browser, origin));
      } finally {
        child.kill('SIGTERM');
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});

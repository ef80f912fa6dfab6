#!/usr/bin/env node
// Drives the search box in a real browser (Debian's Chromium through playwright-core from
// tests/tools): nothing is fetched before the field is focused, results appear as you type
// with highlights, the arrow keys and Esc work, every request stays on the site, and axe
// finds no accessibility violations in the search region.
//
//   node tests/search/browser-check.js <public dir> [chromium path]
//
// The public dir must come from a build whose pages include partials/search.html.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const pub = path.resolve(process.argv[2] || '');
const chromiumPath = process.argv[3] || '/usr/bin/chromium';
const tools = path.join(__dirname, '..', 'tools', 'node_modules');
const { chromium } = require(path.join(tools, 'playwright-core'));
const axeSource = fs.readFileSync(path.join(tools, 'axe-core', 'axe.min.js'), 'utf8');

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.bin': 'application/octet-stream' };

function serve() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    requests.push(url);
    let file = path.join(pub, url);
    if (!file.startsWith(pub)) { res.writeHead(403); res.end(); return; }
    if (url.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })));
}

const failures = [];
function check(ok, message) {
  console.log((ok ? 'ok   ' : 'FAIL ') + message);
  if (!ok) failures.push(message);
}

// Results appear as you type, so a slow machine may show those of the first words before
// the whole query's: wait (at most 15 s) for the first result the whole query should give.
// The checks that follow report what was there if it never came.
async function firstResultMatching(page, pattern) {
  await page.waitForFunction((source) => {
    const a = document.querySelector('.search-results li a');
    return !!a && new RegExp(source).test(a.getAttribute('href') || '');
  }, pattern.source, { timeout: 15000 }).catch(() => {});
}

async function main() {
  const { server, requests, port } = await serve();
  const origin = 'http://127.0.0.1:' + port;
  // The flags of tests/browser/e2e.js; Playwright gives every launch a fresh profile
  // (--user-data-dir in a new temporary folder).
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const external = [];
  try {
    const page = await browser.newPage();
    page.on('request', (r) => { if (!r.url().startsWith(origin)) external.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(origin + '/en/qatar/renew-phone/');
    await page.waitForLoadState('load');
    const box = page.locator('.search');
    check(await box.isVisible(), 'search box is shown once the script runs');
    check(!requests.some((u) => u.includes('/search/')), 'no index request before focus');

    const input = page.locator('.search input[type=search]');
    await input.focus();
    await page.waitForTimeout(300);
    check(requests.includes('/en/search/meta.json'), 'focusing the field loads meta.json');
    check(requests.some((u) => /^\/search\/en\/t\.[0-9a-f]+\.json$/.test(u)), 'and the titles file');
    check(!requests.some((u) => /^\/search\/[^/]+\/[pd]\d/.test(u)), 'focus alone loads no shards');

    await input.pressSequentially('renew by phone', { delay: 20 });
    await firstResultMatching(page, /\/en\/\w+\/renew-phone\/$/);
    const hrefs = await page.locator('.search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(/\/en\/\w+\/renew-phone\/$/.test(hrefs[0] || ''), 'first result is a renew-by-phone guide: ' + hrefs[0]);
    check(await page.locator('.search-results mark').count() > 0, 'matched words are highlighted');
    await page.waitForFunction(() => !document.querySelector('.search-results li[data-pending]'), null, { timeout: 15000 }).catch(() => {});
    check(await page.locator('.search-results .search-snippet mark').count() > 0, 'snippets show, with the matched words highlighted');
    check(requests.some((u) => /^\/search\/en\/p\d+\.[0-9a-f]+\.bin$/.test(u)) && requests.some((u) => /^\/search\/en\/d\d+\./.test(u)),
      'the query read postings and document shards from /search/en/');
    const status = await page.locator('.search-status').textContent();
    check(/\d+ results?/.test(status || ''), 'status announces the count: ' + status);
    const a11y = await page.evaluate(() => {
      const i = document.querySelector('.search input');
      const label = document.querySelector('label[for="' + i.id + '"]');
      const live = document.querySelector('.search [aria-live]');
      return { label: label && label.textContent.trim(), live: !!live };
    });
    check(!!a11y.label && a11y.live, 'input is labelled and results are announced');

    await page.keyboard.press('ArrowDown');
    check(await page.evaluate(() => document.activeElement && document.activeElement.matches('.search-results a')),
      'ArrowDown moves to the first result');
    await page.keyboard.press('ArrowDown');
    check(await page.evaluate(() => document.activeElement === document.querySelectorAll('.search-results a')[1]),
      'ArrowDown again moves to the second result');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    check(await page.evaluate(() => document.activeElement && document.activeElement.matches('.search input')),
      'ArrowUp from the first result returns to the field');

    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run({ include: [['.search']] });
      return r.violations.map((v) => v.id + ': ' + v.help);
    });
    check(violations.length === 0, 'axe finds no violations in the search region' + (violations.length ? ': ' + violations.join('; ') : ''));

    await page.keyboard.press('Escape');
    check(await input.inputValue() === '', 'Esc clears the field');
    check(await page.locator('.search-results').isHidden(), 'Esc hides the results');

    await page.goto(origin + '/zh/');
    await page.locator('.search input').focus();
    await page.locator('.search input').pressSequentially('卡塔尔电话续费', { delay: 20 });
    await firstResultMatching(page, /^\/zh\/qatar\/renew-phone\/$/);
    const zh = await page.locator('.search-results li a').first().getAttribute('href');
    check(zh === '/zh/qatar/renew-phone/', '卡塔尔电话续费 finds /zh/qatar/renew-phone/ first: ' + zh);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/zh/qatar/renew-phone/', { timeout: 15000 }).catch(() => {});
    check(page.url().endsWith('/zh/qatar/renew-phone/'), 'Enter opens the first result');

    await page.locator('.search input').focus();
    await page.locator('.search input').pressSequentially('火星', { delay: 20 });
    await page.waitForFunction(() => (document.querySelector('.search-status') || {}).textContent, null, { timeout: 15000 });
    check(await page.locator('.search-results li').count() === 0, 'a query with no match shows no results');

    // With its document shards held back, a one-word query still shows its ranked results
    // (from the titles file, after one round of requests); the snippets follow, in place.
    // A context of its own (nothing cached yet), without the service worker, whose own
    // requests the route below would not see.
    const late = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    late.on('pageerror', (e) => errors.push(String(e)));
    // Every document shard waits for `release` (also those requested after it is called).
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    let held = 0;
    // The page may paint its results before this process hears of the first held request.
    let heldOnce;
    const heldSeen = new Promise((resolve) => { heldOnce = resolve; });
    await late.route(/\/search\/en\/d\d+\.[0-9a-f]+\.json$/, async (route) => { held++; heldOnce(); await gate; await route.continue(); });
    await late.goto(origin + '/en/');
    await late.locator('.search input').focus();
    await late.waitForResponse((r) => /\/search\/en\/t\./.test(r.url()), { timeout: 15000 }).catch(() => {});
    await late.locator('.search input').fill('airport');
    await late.waitForFunction(() => document.querySelectorAll('.search-results li a').length > 0, null, { timeout: 15000 }).catch(() => {});
    const early = await late.evaluate(() => Array.from(document.querySelectorAll('.search-results li:not(.search-more)'), (li) =>
      [li.querySelector('a').getAttribute('href'), li.querySelector('.search-snippet').textContent]));
    // (A timer of this process: the page's own would reject when the page closes.)
    await Promise.race([heldSeen, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    check(early.length > 0 && held > 0 && early.every(([, snippet]) => snippet === ''),
      'results show before their document shards arrive: ' + JSON.stringify(early));
    // Marks the first item, to tell whether filling in rebuilt the list (which would move
    // a reader's focus away from the result they had reached).
    await late.evaluate(() => { const li = document.querySelector('.search-results li'); if (li) li.dataset.probe = 'kept'; });
    // A reader may ask for more results before the snippets come.
    await late.locator('.search-more button').click();
    release();
    await late.waitForFunction((n) => document.querySelectorAll('.search-results li:not(.search-more)').length > n &&
      !document.querySelector('.search-results li[data-pending]'), early.length, { timeout: 15000 }).catch(() => {});
    const later = await late.evaluate(() => Array.from(document.querySelectorAll('.search-results li:not(.search-more)'), (li) =>
      [li.querySelector('a').getAttribute('href'), li.querySelector('.search-snippet').textContent]));
    check(later.length > early.length && early.every(([href], i) => later[i][0] === href) && later.every(([, snippet]) => snippet !== ''),
      'then their snippets fill in, same results in the same order, followed by the ones asked for meanwhile: ' + JSON.stringify(later.map((x) => x[0])));
    check(await late.locator('.search-results li[data-probe="kept"]').count() === 1, 'the snippets fill the items already shown');

    // If the document shards then fail to load, the results shown stay, without snippets.
    const broken = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    broken.on('pageerror', (e) => errors.push(String(e)));
    await broken.route(/\/search\/en\/d\d+\.[0-9a-f]+\.json$/, (route) => route.abort());
    await broken.goto(origin + '/en/');
    await broken.locator('.search input').focus();
    await broken.waitForResponse((r) => /\/search\/en\/t\./.test(r.url()), { timeout: 15000 }).catch(() => {});
    await broken.locator('.search input').fill('airport');
    await broken.waitForFunction(() => document.querySelectorAll('.search-results li a').length > 0, null, { timeout: 15000 }).catch(() => {});
    await broken.waitForTimeout(500);
    const kept = await broken.locator('.search-results li a').count();
    const brokenStatus = await broken.locator('.search-status').textContent();
    check(kept > 0 && /\d+ results?/.test(brokenStatus || ''),
      `results shown stay when their snippets fail to load (${kept}, "${brokenStatus}")`);

    check(external.length === 0, 'no requests leave the site' + (external.length ? ': ' + external.join(', ') : ''));
    check(errors.length === 0, 'no script errors' + (errors.length ? ': ' + errors.join('; ') : ''));
  } finally {
    await browser.close();
    server.close();
  }
  console.log(JSON.stringify({ failed: failures.length }));
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});

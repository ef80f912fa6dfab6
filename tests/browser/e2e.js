#!/usr/bin/env node
// End-to-end checks of the default theme in a real browser (Debian's Chromium driven by
// playwright-core from tests/tools): the moment a traveller's data runs out.
//
//   node tests/browser/e2e.js <public dir> [chromium path]
//
// Serves the built site itself (a small static server on 127.0.0.1 that can be stopped to
// go offline) and checks: the language switcher round trip, checklists and the current step
// surviving a reload, the service worker (pages open offline, renewal walkthroughs of the
// country cached without a visit, network first when online, a new deploy replacing old
// caches, /__planguide/ never cached), no horizontal scroll at 360 px, axe-core in light
// and dark mode, one A4 page per printed renewal walkthrough, the 30 KB gzip weight budget,
// no web fonts, no third-party requests, and Chinese search. Screenshots go to
// tests/artifacts/; docs/renewal-phone-zh.png (the README's) is written when missing or with
// PLANGUIDE_UPDATE_SCREENSHOT=1. Exits 1 with a list of failures.
//
// While working on the theme: E2E_ONLY=offline,print runs some checks only; E2E_DEBUG=1
// prints the service worker's console.
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const repo = path.resolve(__dirname, '..', '..');
const pub = path.resolve(process.argv[2] || '');
const chromiumPath = process.argv[3] || '/usr/bin/chromium';
const tools = path.join(repo, 'tests', 'tools', 'node_modules');
const artifacts = path.join(repo, 'tests', 'artifacts');
const docsShot = path.join(repo, 'docs', 'renewal-phone-zh.png');
const BUDGET = 30 * 1024;

if (!process.argv[2] || !fs.existsSync(path.join(pub, 'index.html'))) {
  console.error('usage: node tests/browser/e2e.js <built public dir> [chromium path]');
  process.exit(2);
}
const { chromium } = require(path.join(tools, 'playwright-core'));
const axePath = path.join(tools, 'axe-core', 'axe.min.js');

// ------------------------------------------------------------------ reporting

const failures = [];
function check(ok, message, detail) {
  console.log((ok ? 'ok   ' : 'FAIL ') + message);
  if (!ok) {
    if (detail) console.log(String(detail).replace(/^/gm, '       '));
    failures.push(message);
  }
  return ok;
}
const info = (message) => console.log('info ' + message);
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

// ------------------------------------------------------------------ the site

const languages = fs.readdirSync(pub).filter((d) => fs.existsSync(path.join(pub, d, '404.html'))).sort();

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name === 'index.html') out.push(full);
  }
  return out;
}
// Every page URL, without alias redirect stubs and search files.
const pages = walk(pub)
  .filter((f) => !fs.readFileSync(f, 'utf8').includes('http-equiv="refresh"'))
  .map((f) => '/' + path.relative(pub, path.dirname(f)).split(path.sep).join('/') + '/')
  .map((u) => u.replace(/^\/\/$/, '/'))
  .sort();
const kindOf = (url) => {
  const m = /<body class="kind-([a-z-]+)/.exec(fs.readFileSync(path.join(pub, url, 'index.html'), 'utf8'));
  return m ? m[1] : '?';
};
const renewals = pages.filter((u) => kindOf(u) === 'renewal');

// One page of each type per language, plus the language picker and the root 404.
function representative() {
  const list = [{ name: 'language picker', url: '/' }, { name: '404 (root)', url: '/no-such-page', status: 404 }];
  for (const lang of languages) {
    const mine = pages.filter((u) => u.startsWith('/' + lang + '/'));
    const first = (kind) => mine.find((u) => kindOf(u) === kind);
    for (const kind of ['home', 'section', 'purchase', 'renewal', 'page']) {
      const url = kind === 'renewal' ? (mine.find((u) => u.endsWith('/renew-phone/')) || first(kind)) : first(kind);
      if (url) list.push({ name: kind + ' ' + lang, url });
      else check(false, 'the example site has a ' + kind + ' page in ' + lang);
    }
    list.push({ name: '404 ' + lang, url: '/' + lang + '/no-such-page/', status: 404 });
  }
  return list;
}

// ------------------------------------------------------------------ static server

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.xml': 'application/xml',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};
const gzipSize = (bytes) => zlib.gzipSync(bytes).length;

// A static server for `pub` that logs every response with its gzip size. `overrides`
// replaces the body of a path (to simulate a content change or a new deploy).
function createServer() {
  const log = [];
  const overrides = new Map();
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    let url;
    try { url = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch (e) { url = '/'; }
    const send = (status, file, body) => {
      const type = types[path.extname(file)] || 'application/octet-stream';
      const immutable = /\.[0-9a-f]{8}\.(css|js)$/.test(file);
      res.writeHead(status, {
        'content-type': type,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      log.push({ url, status, bytes: body.length, gzip: gzipSize(body), worker: req.headers['service-worker'] || '' });
    };
    if (url.startsWith('/__planguide/')) { send(200, 'x.txt', Buffer.from('dev server only')); return; }
    if (overrides.has(url)) { const [file, body] = overrides.get(url); send(200, file, body); return; }
    let file = path.join(pub, url);
    if (!file.startsWith(pub)) { send(403, 'x.txt', Buffer.from('forbidden')); return; }
    if (url.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (!err) { send(200, file, data); return; }
      const lang = url.split('/')[1];
      const notFound = languages.includes(lang) ? path.join(pub, lang, '404.html') : path.join(pub, '404.html');
      send(404, notFound, fs.readFileSync(notFound));
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const api = {
    log, overrides,
    start: (port) => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port || 0, '127.0.0.1', () => { api.port = server.address().port; resolve(api); });
    }),
    // Stops accepting and drops open keep-alive connections: the site is unreachable.
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
  return api;
}

// ------------------------------------------------------------------ browser helpers

const external = [];
const scriptErrors = [];
let origin;

async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  context.setDefaultTimeout(15000);
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !/^(data|blob|about):/.test(u)) external.push(u);
  });
  context.on('page', (p) => p.on('pageerror', (e) => scriptErrors.push(p.url() + ': ' + e)));
  return context;
}

// Polls `fn` (evaluated in the page, may be async) until it returns something truthy.
async function until(page, fn, arg, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg).catch(() => null);
    if (value || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function open(context, url, expectStatus = 200) {
  const page = context.pages()[0] || await context.newPage();
  const res = await page.goto(origin + url, { waitUntil: 'load' });
  check(res && res.status() === expectStatus, `${url} answers ${expectStatus}`, res ? 'got ' + res.status() : 'no response');
  return page;
}

async function runAxe(page) {
  if (!await page.evaluate(() => !!window.axe)) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
    }));
  });
}
const describeViolations = (vs) => vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.url}\n` +
  v.nodes.map((n) => `  - ${n.target}\n    ${n.html}\n    ${(n.summary || '').replace(/\n/g, '\n    ')}`).join('\n')).join('\n');

// Counts page objects in a PDF (`/Type /Page`, not `/Pages`).
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;

// ------------------------------------------------------------------ checks

async function languageSwitcher(browser) {
  const context = await newContext(browser);
  const zhUrl = renewals.find((u) => u === '/zh/qatar/renew-phone/') || renewals.find((u) => u.startsWith('/zh/'));
  const enUrl = zhUrl.replace(/^\/zh\//, '/en/');
  const page = await open(context, zhUrl);
  // A link to a missing translation tags only its name (its title is in the page's language).
  const langs = await page.locator('.langs a').evaluateAll((as) => as.map((a) =>
    a.getAttribute('lang') || (a.querySelector('[lang]') || a).getAttribute('lang')));
  check(langs.length > 0 && langs.every(Boolean), 'every language switcher link has lang: ' + langs.join(', '));
  await Promise.all([page.waitForURL(origin + enUrl), page.locator('.langs a[hreflang="en"]').click()]);
  check(page.url() === origin + enUrl, 'switcher: zh → en lands on ' + enUrl, page.url());
  check(await page.getAttribute('html', 'lang') === 'en', 'the English page has <html lang="en">');
  await Promise.all([page.waitForURL(origin + zhUrl), page.locator('.langs a[hreflang="zh-CN"]').click()]);
  check(page.url() === origin + zhUrl, 'switcher: en → zh lands back on ' + zhUrl, page.url());
  check(await page.getAttribute('html', 'lang') === 'zh-CN', 'the Chinese page has <html lang="zh-CN">');
  await context.close();
}

async function checklistAndSteps(browser) {
  const context = await newContext(browser, { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const url = '/en/qatar/renew-phone/';
  const page = await open(context, url);
  const boxes = page.locator('input.task-check');
  check(await boxes.count() >= 2, 'the renewal page has a checklist');
  // Ids come from the item's text (so a tick stays on its item when the list changes).
  const ids = await boxes.evaluateAll((bs) => bs.map((b) => b.id));
  check(ids.every((id) => /^check-[0-9a-f]{8}(-\d+)?$/.test(id)) && new Set(ids).size === ids.length,
    'checklist ids are unique hashes of the item text', ids.join(' '));
  const box = (i) => page.locator('#' + ids[i]);
  const label = (i) => page.locator(`label[for="${ids[i]}"]`);
  const first = page.getByRole('checkbox', { name: await label(0).textContent() });
  check(await first.count() === 1, 'checklist items are checkboxes named by their label');
  // Keyboard: Tab reaches the box, Space ticks it. Mouse: a tap on the label ticks the second.
  await box(0).focus();
  await page.keyboard.press('Space');
  await label(1).click();
  check(await box(0).isChecked() && await box(1).isChecked(), 'Space and a tap on the label tick items');
  await label(1).click();
  // Keyboard focus (Shift+Tab, Tab) lands back on the second box and shows an outline.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const focusStyle = await page.evaluate(() => {
    const box = document.activeElement;
    const s = getComputedStyle(box);
    return { id: box.id, visible: box.matches(':focus-visible'), outline: s.outlineStyle, width: s.outlineWidth };
  });
  check(focusStyle.id === ids[1] && focusStyle.visible && focusStyle.outline !== 'none' && parseFloat(focusStyle.width) >= 2,
    'a checkbox reached by keyboard shows a visible focus outline', JSON.stringify(focusStyle));
  await page.reload({ waitUntil: 'load' });
  check(await box(0).isChecked(), 'a ticked item is still ticked after a reload');
  check(!await box(1).isChecked(), 'an unticked item stays unticked after a reload');
  const stored = await page.evaluate(([p, id]) => localStorage.getItem('planguide:check:' + p + ':' + id), [url, ids[0]]);
  check(stored === '1', 'the tick is stored under the item\'s text-derived id', String(stored));
  // A tick saved by an older build under its position (check-3) moves to the third item's id once.
  await page.evaluate((p) => localStorage.setItem('planguide:check:' + p + ':check-3', '1'), url);
  await page.reload({ waitUntil: 'load' });
  const moved = await page.evaluate(([p, id]) => ({
    old: localStorage.getItem('planguide:check:' + p + ':check-3'), now: localStorage.getItem('planguide:check:' + p + ':' + id),
  }), [url, ids[2]]);
  check(await box(2).isChecked() && moved.old === null && moved.now === '1', 'a tick saved under an old position id is moved to the item once', JSON.stringify(moved));
  await box(2).uncheck();

  // The current step: a tap marks it, it survives a reload and stays on screen while the
  // reader scrolls through the other steps.
  const steps = page.locator('.prose.steps > ol > li');
  const n = await steps.count();
  check(n >= 3, `the walkthrough has numbered steps (${n})`);
  await steps.nth(0).click({ position: { x: 100, y: 10 } });
  check(await steps.nth(0).getAttribute('aria-current') === 'step', 'tapping a step marks it aria-current="step"');
  await page.reload({ waitUntil: 'load' });
  check(await steps.nth(0).getAttribute('aria-current') === 'step', 'the current step survives a reload');
  const pinned = await page.evaluate(() => {
    const list = Array.from(document.querySelectorAll('.prose.steps > ol > li'));
    const last = list[list.length - 1];
    scrollTo(0, last.getBoundingClientRect().top + scrollY - 40);
    const r = list[0].getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, h: innerHeight };
  });
  check(pinned.top >= 0 && pinned.bottom <= pinned.h, 'the current step stays visible while scrolling past it', JSON.stringify(pinned));
  await context.close();
}

// One tap copies a plan's USSD code and, in a guide's text, inline code such as the
// reference number on /en/qatar/renew-online/; the button says so, in the page's language.
async function copyButtons(browser) {
  const context = await newContext(browser, { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  for (const [url, copied] of [['/en/qatar/renew-online/', 'Copied'], ['/zh/qatar/renew-online/', '已复制']]) {
    const page = await open(context, url);
    const button = page.locator('.prose code + button.copy').first();
    check(await button.isVisible(), url + ': inline code in the steps has a visible copy button');
    const code = await page.locator('.prose :not(pre) > code').first().textContent();
    // Emptied first, so what is read back is this click's copy, not the previous page's.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await button.click();
    const clip = await until(page, () => navigator.clipboard.readText());
    check(clip === code, url + ': the button copies the code', JSON.stringify({ clip, code }));
    const said = await until(page, (expected) => {
      const b = document.querySelector('.prose code + button.copy');
      return b && b.textContent.trim() === expected;
    }, copied);
    check(said, url + ': the button says it copied, in the page\'s language', await button.textContent());
  }
  const page = await open(context, '/en/qatar/renew-phone/');
  const ussd = page.locator('.facts button.copy').first();
  check(await ussd.isVisible(), 'the plan facts have a visible copy button');
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await ussd.click();
  const clip = await until(page, () => navigator.clipboard.readText());
  check(/^\*\d+[*#]/.test(clip || ''), 'the plan facts button copies the USSD code', clip);
  await context.close();
}

// The root page lets the reader pick a language: it proposes the browser's language first
// (never redirecting), and without JavaScript it is a plain list of every language.
async function languagePicker(browser) {
  for (const [locale, code] of [['en-US', 'en'], ['zh-CN', 'zh']]) {
    const context = await newContext(browser, { locale, serviceWorkers: 'block' });
    const page = await open(context, '/');
    const first = await until(page, () => {
      const li = document.querySelector('.picker-list li');
      return li && li.classList.contains('is-suggested') && li.dataset.code;
    });
    check(first === code, `a ${locale} browser gets ${code} proposed first`, String(first));
    check(page.url() === origin + '/', 'the picker does not redirect', page.url());
    await context.close();
  }
  const plain = await newContext(browser, { javaScriptEnabled: false, serviceWorkers: 'block' });
  const page = await open(plain, '/');
  const links = await page.locator('.picker-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(languages.every((l) => links.some((h) => h.endsWith('/' + l + '/'))), 'without JavaScript every language is a link', links.join(' '));
  check(await page.locator('.suggested:visible').count() === 0, 'without JavaScript nothing is marked as proposed');
  await plain.close();
}

async function offline(browser) {
  const context = await newContext(browser);
  if (process.env.E2E_DEBUG) context.on('serviceworker', (w) => w.on('console', (m) => console.log('debug sw: ' + m.text())));
  const lang = 'zh';
  const visited = renewals.find((u) => u === `/${lang}/qatar/renew-phone/`) ||
    renewals.find((u) => u.startsWith(`/${lang}/`) && u.endsWith('/renew-phone/'));
  const country = visited.split('/')[2];
  const siblings = renewals.filter((u) => u.startsWith(`/${lang}/${country}/`) && u !== visited);
  const elsewhere = renewals.find((u) => u.startsWith(`/${lang}/`) && !u.startsWith(`/${lang}/${country}/`));
  check(siblings.length >= 1, `${country} has other renewal walkthroughs (${siblings.join(' ')})`);
  const page = await open(context, visited);
  const declared = (await page.getAttribute('body', 'data-renewals') || '').split(/\s+/).filter(Boolean);
  check(siblings.every((u) => declared.includes(u)), 'the page lists its country\'s renewal walkthroughs in data-renewals', declared.join(' '));
  await page.evaluate(() => navigator.serviceWorker.ready);
  check(await until(page, () => !!navigator.serviceWorker.controller), 'the service worker controls the page after one visit');
  const cached = (urls) => page.evaluate(async (us) => {
    const out = [];
    for (const u of us) if (await caches.match(new URL(u, location.href).href)) out.push(u);
    return out;
  }, urls);
  const want = [visited].concat(siblings);
  await until(page, async (us) => {
    for (const u of us) if (!await caches.match(new URL(u, location.href).href)) return false;
    return true;
  }, want);
  const have = await cached(want);
  check(have.length === want.length, 'the visited page and its country\'s renewal walkthroughs are cached', 'cached: ' + have.join(' '));
  check((await cached([elsewhere])).length === 0, 'walkthroughs of other countries are not fetched (' + elsewhere + ')');
  const shell = await page.evaluate(() => Array.from(document.querySelectorAll('link[rel=stylesheet],script[src]'))
    .map((e) => e.getAttribute('href') || e.getAttribute('src')));
  const shellCached = await cached(shell);
  check(shellCached.length === shell.length, 'the page\'s CSS and JS are cached', shell.filter((u) => !shellCached.includes(u)).join(' '));

  // Never cache the dev server's URLs.
  await page.evaluate(() => fetch('/__planguide/events-test').then((r) => r.text()));
  await page.waitForTimeout(300);
  check(await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) if (req.url.includes('/__planguide/')) return false;
    }
    return true;
  }), 'nothing under /__planguide/ is cached');

  // Network first: online, a changed page is shown at once, not the cached copy.
  const file = path.join(pub, visited, 'index.html');
  const changed = fs.readFileSync(file, 'utf8').replace(/<h1>([^<]*)<\/h1>/, '<h1>$1 (v2)</h1>');
  server.overrides.set(visited, [file, Buffer.from(changed)]);
  await page.reload({ waitUntil: 'load' });
  check((await page.locator('h1').textContent()).endsWith('(v2)'), 'online, a changed page is served fresh (network first)');
  server.overrides.delete(visited);
  await page.reload({ waitUntil: 'load' });

  // A new deploy (new asset version) replaces the old caches; the pages are cached again.
  const before = await page.evaluate(() => caches.keys());
  const swFile = path.join(pub, 'sw.js');
  const swText = fs.readFileSync(swFile, 'utf8');
  const version = (/VERSION\s*=\s*'([^']+)'/.exec(swText) || [])[1];
  check(!!version && !version.includes('PLANGUIDE'), 'the build filled in the service worker version: ' + version);
  check(before.length > 0 && before.every((n) => n.includes(version)), 'cache names carry the version: ' + before.join(', '));
  const next = 'e2e' + Date.now().toString(16).slice(-7);
  server.overrides.set('/sw.js', [swFile, Buffer.from(swText.split(version).join(next))]);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg.update();
  });
  // Installed caches carry the new version; activation deletes the others.
  const activated = await until(page, async (v) => {
    const reg = await navigator.serviceWorker.getRegistration();
    const names = await caches.keys();
    return !reg.installing && !reg.waiting && reg.active && reg.active.state === 'activated' &&
      !!navigator.serviceWorker.controller && names.length > 0 && names.every((n) => n.includes(v));
  }, next);
  check(!!activated, 'the new service worker activates and takes control');
  const after = await page.evaluate(() => caches.keys());
  check(after.length > 0 && after.every((n) => n.includes(next)), 'a new deploy deletes the old caches: ' + after.join(', '));
  const carried = await page.evaluate(async ([us, v]) => {
    const name = (await caches.keys()).find((n) => n.includes('pages') && n.includes(v));
    if (!name) return [];
    const cache = await caches.open(name);
    const out = [];
    for (const u of us) if (await cache.match(new URL(u, location.href).href)) out.push(u);
    return out;
  }, [want, next]);
  check(carried.length === want.length, 'the new version keeps the pages the old one had', 'kept: ' + carried.join(' '));
  // The background refresh of those pages ends with only the current CSS/JS kept.
  const pruned = await until(page, async (v) => {
    const name = (await caches.keys()).find((n) => n.includes('assets') && n.includes(v));
    const keys = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    const current = Array.from(document.querySelectorAll('link[rel=stylesheet],script[src]')).map((e) => e.getAttribute('href') || e.getAttribute('src'));
    return current.every((u) => keys.includes(u)) && keys;
  }, next);
  check(!!pruned, 'the current CSS and JS are in the new cache', JSON.stringify(pruned));
  server.overrides.delete('/sw.js');

  // Search once online: the index files it reads are kept for offline use.
  const searchFor = async (q) => {
    await page.locator('.search input').focus();
    await page.locator('.search input').fill(q);
    return until(page, () => {
      const a = document.querySelector('.search-results li a');
      return a && a.querySelector('mark') ? a.getAttribute('href') : null;
    });
  };
  const onlineHit = await searchFor('电话续费');
  check(!!onlineHit, 'online, searching 电话续费 finds a page', String(onlineHit));
  await page.waitForTimeout(300);
  // Index files of an earlier build (another id) go once a fresh meta.json names the
  // current one; the current files stay.
  const stale = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
      if (!keys.some((k) => k.indexOf('/search/zh/') === 0)) continue;
      await cache.put('/search/zh/p0.0000000000.bin', new Response('old'));
      await fetch('/zh/search/meta.json', { cache: 'no-cache' });
      return name;
    }
    return null;
  });
  const afterPrune = await until(page, async (name) => {
    const keys = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    const search = keys.filter((k) => k.indexOf('/search/zh/') === 0);
    return !search.includes('/search/zh/p0.0000000000.bin') && search.length > 0 && search;
  }, stale);
  check(!!stale && !!afterPrune, 'a fresh meta.json removes the cached index files of another build, keeps the current ones',
    JSON.stringify(afterPrune));

  // Tick an item, then lose the network.
  await page.locator('input.task-check + label').nth(1).click();
  await server.stop();
  info('server stopped: the site is unreachable');
  const reloaded = await page.reload({ waitUntil: 'load' }).catch((e) => e);
  check(!(reloaded instanceof Error), 'offline, the visited renewal page reloads', reloaded instanceof Error ? reloaded.message : '');
  const view = async () => page.evaluate(() => {
    const steps = Array.from(document.querySelectorAll('.prose.steps > ol > li'));
    return {
      title: document.title,
      steps: steps.length,
      visible: steps.length > 0 && steps.every((li) => li.getBoundingClientRect().height > 0),
      styled: getComputedStyle(document.body).maxWidth !== 'none',
      checks: document.querySelectorAll('input.task-check').length,
      ticked: !!(document.querySelectorAll('input.task-check')[1] || {}).checked,
    };
  });
  const v1 = await view();
  check(v1.steps >= 3 && v1.visible && v1.styled, `offline: ${visited} shows its ${v1.steps} steps, styled`, JSON.stringify(v1));
  check(v1.checks > 0 && v1.ticked, 'offline: the checklist is there and remembers the ticked item', JSON.stringify(v1));
  const offlineHit = await searchFor('电话续费');
  check(offlineHit === onlineHit, 'offline, the same search still answers from the files it used online', String(offlineHit));
  for (const sibling of siblings) {
    const res = await page.goto(origin + sibling, { waitUntil: 'load' }).catch((e) => e);
    const v = res instanceof Error ? { error: res.message } : await view();
    check(!(res instanceof Error) && v.steps >= 1 && v.visible && v.styled, `offline: ${sibling} (never visited) opens with its steps`, JSON.stringify(v));
  }
  // A page never saved: the service worker answers with the language's offline page (the
  // 404 page turned into a list of what is saved), which also shows the server is gone.
  const miss = await page.goto(origin + elsewhere, { waitUntil: 'load' }).catch((e) => e);
  check(!(miss instanceof Error) && miss && miss.status() === 503,
    `offline: ${elsewhere} (never saved) gets the offline page from the service worker, status 503`,
    miss instanceof Error ? miss.message : String(miss && miss.status()));
  const note = miss instanceof Error ? null : await until(page, () => {
    const n = document.querySelector('.offline-note');
    const links = n && !n.hidden ? Array.from(n.querySelectorAll('.offline-pages a')).map((a) => a.getAttribute('href')) : [];
    return links.length ? { links, notFoundHidden: document.querySelector('.not-found').hidden, lang: document.documentElement.lang } : null;
  });
  check(!!note && note.notFoundHidden && note.lang === 'zh-CN' && [visited].concat(siblings).every((u) => note.links.includes(u)),
    'offline: that page says so in the reader\'s language and links every saved page', JSON.stringify(note));
  if (note) {
    await page.click(`.offline-pages a[href="${visited}"]`);
    await page.waitForLoadState('load');
    check((await view()).steps >= 3, `offline: following its link to ${visited} opens the saved steps`);
  }
  // Another language (whose offline page this device never saved) and the root: the service
  // worker falls back to the saved language's offline page, listing the saved pages.
  const otherLang = visited.replace(/^\/[^/]+\//, `/${languages.find((l) => l !== lang)}/`);
  for (const url of [otherLang, '/']) {
    const res = await page.goto(origin + url, { waitUntil: 'load' }).catch((e) => e);
    const saved = res instanceof Error ? null : await until(page, () => {
      const n = document.querySelector('.offline-note');
      const links = n && !n.hidden ? Array.from(n.querySelectorAll('.offline-pages a')).map((a) => a.getAttribute('href')) : [];
      return links.length ? links : null;
    });
    check(!(res instanceof Error) && res.status() === 503 && !!saved && saved.includes(visited),
      `offline: ${url} (no offline page of its own saved) gets the offline page listing ${visited}`,
      res instanceof Error ? res.message : JSON.stringify({ status: res.status(), saved }));
  }
  await context.close();
  await server.start(server.port);
  info('server restarted on the same port');
}

async function layout(browser) {
  const context = await newContext(browser, { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const wide = [];
  const list = pages.map((url) => ({ url, status: 200 })).concat(
    languages.map((l) => ({ url: `/${l}/no-such-page/`, status: 404 }), [{ url: '/no-such-page', status: 404 }]));
  for (const { url, status } of list) {
    const res = await page.goto(origin + url, { waitUntil: 'load' });
    if (res.status() !== status) check(false, `${url} answers ${status}`, 'got ' + res.status());
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: innerWidth }));
    if (m.sw > m.w) {
      const culprits = await page.evaluate(() => Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
        .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' → ' + Math.round(e.getBoundingClientRect().right)));
      wide.push(`${url}: ${m.sw}px > ${m.w}px (${culprits.join('; ')})`);
    }
  }
  check(wide.length === 0, `no horizontal scroll at 360 px on ${list.length} pages (every type, every language)`, wide.join('\n'));
  await context.close();
}

async function screenshots(browser) {
  fs.mkdirSync(artifacts, { recursive: true });
  for (const [name, viewport] of [['phone', { width: 360, height: 740 }], ['desktop', { width: 1280, height: 900 }]]) {
    for (const scheme of ['light', 'dark']) {
      const context = await newContext(browser, { viewport, colorScheme: scheme, serviceWorkers: 'block' });
      for (const lang of languages) {
        const url = renewals.find((u) => u === `/${lang}/qatar/renew-phone/`) || renewals.find((u) => u.startsWith(`/${lang}/`));
        const page = await open(context, url);
        const file = path.join(artifacts, `renewal-${lang}-${name}${scheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file });
        info('screenshot ' + path.relative(repo, file));
        if (lang === 'zh' && name === 'phone' && scheme === 'light') {
          const bytes = fs.statSync(file).size;
          check(bytes < 120 * 1024, `the phone screenshot is small (${kb(bytes)})`);
          if (!fs.existsSync(docsShot) || process.env.PLANGUIDE_UPDATE_SCREENSHOT === '1') {
            fs.mkdirSync(path.dirname(docsShot), { recursive: true });
            fs.copyFileSync(file, docsShot);
            info('wrote ' + path.relative(repo, docsShot));
          }
        }
      }
      await context.close();
    }
  }
}

// Viewports axe runs at: tables and code blocks only scroll sideways (and only then need to
// be reachable by keyboard) on a phone.
const VIEWPORTS = [['desktop', { width: 1280, height: 720 }], ['phone', { width: 360, height: 740 }]];
// Pages a reviewer found with scrolling regions axe did not see at desktop width.
const SCROLLING = ['/en/japan/', '/en/qatar/buy-airport/', '/zh/qatar/renew-phone/'];

async function accessibility(browser) {
  const list = representative();
  for (const url of SCROLLING) if (pages.includes(url) && !list.some((p) => p.url === url)) list.push({ name: 'scrolling regions', url });
  for (const [size, viewport] of VIEWPORTS) {
    for (const scheme of ['light', 'dark']) {
      const context = await newContext(browser, { viewport, colorScheme: scheme, serviceWorkers: 'block' });
      for (const { name, url, status } of list) {
        const page = await open(context, url, status || 200);
        const violations = await runAxe(page);
        check(violations.length === 0, `axe (${size}, ${scheme}): no violations on ${name} ${url}`, describeViolations(violations));
      }
      await context.close();
    }
  }
  await scrollingRegions(browser);
  // Every other renewal walkthrough too (the pages this issue is about), at both widths.
  for (const [size, viewport] of VIEWPORTS) {
    const each = await newContext(browser, { viewport, serviceWorkers: 'block' });
    const bad = [];
    for (const url of renewals) {
      const page = await open(each, url);
      const violations = await runAxe(page);
      if (violations.length) bad.push(url + '\n' + describeViolations(violations));
    }
    check(bad.length === 0, `axe (${size}): no violations on all ${renewals.length} renewal walkthroughs`, bad.join('\n'));
    await each.close();
  }
  const context = await newContext(browser, { serviceWorkers: 'block' });
  // Keyboard: the first Tab reaches the skip link, which is then visible.
  const page = await open(context, renewals[0]);
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { skip: a.matches('a.skip') && a.getAttribute('href') === '#main', w: r.width, h: r.height, outline: getComputedStyle(a).outlineStyle };
  });
  check(skip.skip && skip.w > 10 && skip.h > 10 && skip.outline !== 'none', 'the first Tab shows the skip link with a focus outline', JSON.stringify(skip));
  await context.close();
}

// Tables and code blocks: every one sits in a wrapper the keyboard reaches (none scrolls on
// its own), and on a phone Tab reaches one that overflows, shows the focus outline, and the
// arrow keys scroll it.
async function scrollingRegions(browser) {
  const loose = [];
  for (const url of pages) {
    const html = fs.readFileSync(path.join(pub, url, 'index.html'), 'utf8');
    const wrapped = /<div class="(table|code)-wrap" role="region" tabindex="0" aria-label="[^"]+">$/;
    for (const m of html.matchAll(/<(table|pre)\b/g)) {
      if (!wrapped.test(html.slice(Math.max(0, m.index - 300), m.index))) loose.push(`${url}: <${m[1]}> at ${m.index}`);
    }
  }
  check(loose.length === 0, 'every table and code block is in a named, focusable region', loose.slice(0, 10).join('\n'));
  const context = await newContext(browser, { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  for (const url of SCROLLING.filter((u) => pages.includes(u))) {
    const page = await open(context, url);
    const regions = page.locator('[role=region][tabindex="0"]');
    const n = await regions.count();
    let tried = 0;
    for (let i = 0; i < n; i++) {
      const region = regions.nth(i);
      if (!await region.evaluate((e) => e.scrollWidth > e.clientWidth)) continue;
      tried++;
      // Reached by keyboard (Shift+Tab, Tab), as a reader would.
      await region.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const focused = await region.evaluate((e) => {
        const s = getComputedStyle(e);
        return { active: document.activeElement === e, visible: e.matches(':focus-visible'), outline: s.outlineStyle, width: s.outlineWidth, name: e.getAttribute('aria-label') };
      });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const scrolled = await until(page, (e) => e.scrollLeft > 0, await region.elementHandle());
      check(focused.active && focused.visible && focused.outline !== 'none' && parseFloat(focused.width) >= 2 && !!scrolled,
        `${url}: Tab reaches the sideways-scrolling region "${focused.name}", shows the focus outline, arrows scroll it`, JSON.stringify(focused));
    }
    check(tried > 0, `${url} has a region that scrolls sideways at 360 px (${n} regions)`);
  }
  await context.close();
}

async function print(browser) {
  const context = await newContext(browser, { serviceWorkers: 'block' });
  const page = await context.newPage();
  const counts = [];
  for (const url of renewals) {
    await page.goto(origin + url, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4' });
    const n = pdfPages(pdf);
    counts.push(`${url} ${n}`);
    if (url.endsWith('/renew-phone/')) {
      fs.mkdirSync(artifacts, { recursive: true });
      fs.writeFileSync(path.join(artifacts, 'print-' + url.split('/').filter(Boolean).join('-') + '.pdf'), pdf);
    }
    check(n === 1, `print: ${url} fits on one A4 page (${n})`);
  }
  info('PDF pages: ' + counts.join(', '));
  // What the printout holds: steps, checklist and facts, no navigation.
  await page.goto(origin + renewals[0], { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => {
    const visible = (sel) => Array.from(document.querySelectorAll(sel)).some((e) => e.getClientRects().length > 0);
    return {
      steps: visible('.prose.steps > ol > li'), checklist: visible('input.task-check'), facts: visible('.facts dl'),
      nav: visible('.top') || visible('.langs') || visible('.crumbs') || visible('.foot') || visible('.search'),
    };
  });
  check(shown.steps && shown.checklist && shown.facts && !shown.nav, 'print shows steps, checklist and facts, without navigation', JSON.stringify(shown));
  await page.emulateMedia({ media: 'screen' });
  // The counter itself: a long page on small paper must count more than one page.
  await page.goto(origin + renewals[0], { waitUntil: 'load' });
  const tiny = pdfPages(await page.pdf({ width: '100mm', height: '60mm' }));
  check(tiny > 1, `the PDF page counter works (small paper: ${tiny} pages)`);
  await context.close();
}

async function weight(browser) {
  const swGzip = gzipSize(fs.readFileSync(path.join(pub, 'sw.js')));
  const results = [];
  for (const url of renewals) {
    // A first visit with an empty cache; the service worker is counted separately below.
    const context = await newContext(browser, { serviceWorkers: 'block' });
    const page = await context.newPage();
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const start = server.log.length;
    await page.goto(origin + url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    const served = server.log.slice(start);
    const fonts = await page.evaluate(() => {
      let n = 0;
      for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) if (rule instanceof CSSFontFaceRule) n++;
      return n + performance.getEntriesByType('resource').filter((e) => /\.(woff2?|ttf|otf|eot)(\?|$)/.test(e.name)).length;
    });
    const searchDeferred = await page.evaluate(() => Array.from(document.querySelectorAll('script[src*="/search."]')).every((s) => s.defer));
    const gz = served.reduce((sum, r) => sum + r.gzip, 0) + swGzip;
    results.push({ url, gz, files: served.map((r) => r.url) });
    check(gz <= BUDGET, `weight: ${url} is ${kb(gz)} gzip with all it loads (budget ${kb(BUDGET)})`,
      served.map((r) => `${r.url} ${r.gzip} B`).join('\n'));
    if (url === renewals[0] || url.endsWith('/qatar/renew-phone/')) {
      info(`${url} loads: ` + served.map((r) => `${r.url} ${r.gzip} B`).join(', ') + `, /sw.js ${swGzip} B`);
    }
    check(fonts === 0, `${url} uses no web fonts`);
    check(searchDeferred, `${url} loads search.js with defer`);
    check(!requested.some((p) => p.includes('/search/')), `${url} fetches no search index before the field is focused`);
    check(requested.length === served.length, `${url}: every request reached the site (${requested.length})`);
    await context.close();
  }
  for (const lang of languages) {
    const mine = results.filter((r) => r.url.startsWith(`/${lang}/`));
    const max = mine.reduce((a, b) => (b.gz > a.gz ? b : a));
    info(`renewal page weight (${lang}): max ${kb(max.gz)} (${max.url}), qatar/renew-phone ${kb((mine.find((r) => r.url.endsWith('/qatar/renew-phone/')) || max).gz)}`);
  }
}

async function search(browser) {
  const context = await newContext(browser, { serviceWorkers: 'block' });
  const page = await open(context, '/zh/');
  const input = page.locator('.search input[type=search]');
  await input.focus();
  await input.pressSequentially('卡塔尔电话续费', { delay: 20 });
  // The first key runs a query (for 卡) at once; the rest wait for the typing to pause,
  // so the answer to the whole query is the one whose first title has 续费 highlighted.
  const href = await until(page, () => {
    const a = document.querySelector('.search-results li a');
    const marked = a && Array.from(a.querySelectorAll('mark')).some((m) => m.textContent.includes('续费'));
    return marked ? a.getAttribute('href') : null;
  });
  check(href === '/zh/qatar/renew-phone/', '搜索 卡塔尔电话续费 finds /zh/qatar/renew-phone/ first', 'first result: ' + href);

  // A query with many matches shows a screenful, then "more results" adds the next ones,
  // keeps the first ones where they were and moves the focus to the first new result.
  await input.fill('续费');
  const before = await until(page, () => {
    const links = Array.from(document.querySelectorAll('.search-results li a'));
    return document.querySelector('.search-more button') && links.length ? links.map((a) => a.getAttribute('href')) : null;
  });
  check(before && before.length === 5, '续费 shows 5 results and a "more results" button', JSON.stringify(before));
  await page.locator('.search-more button').focus();
  await page.keyboard.press('Enter');
  const after = await until(page, (n) => {
    const links = Array.from(document.querySelectorAll('.search-results li a'));
    return links.length > n ? { hrefs: links.map((a) => a.getAttribute('href')), focused: document.activeElement === links[n] } : null;
  }, before ? before.length : 5);
  check(after && after.hrefs.length === 10 && before && before.every((h, i) => after.hrefs[i] === h) && after.focused,
    '"more results" appends the next 5, keeps the first 5 in place and focuses the first new one', JSON.stringify(after));
  const status = await page.locator('.search-status').textContent();
  check(/找到 \d+ 个结果/.test(status) && Number(status.match(/\d+/)[0]) > 10, 'the status counts every matching page', status);
  await context.close();
}

// ------------------------------------------------------------------ main

let server;

async function main() {
  server = await createServer().start();
  origin = 'http://127.0.0.1:' + server.port;
  info(`serving ${pub} at ${origin}: ${pages.length} pages, ${renewals.length} renewal walkthroughs, languages ${languages.join(' ')}`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'planguide-e2e-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run', '--disk-cache-dir=' + path.join(userDataDir, 'cache')],
  });
  // E2E_ONLY=offline,print runs some of them (while working on the theme).
  const only = (process.env.E2E_ONLY || '').split(',').filter(Boolean);
  const steps = [languageSwitcher, languagePicker, checklistAndSteps, copyButtons, offline, layout, screenshots, accessibility, print, weight, search]
    .filter((step) => !only.length || only.includes(step.name));
  try {
    for (const step of steps) {
      console.log('== ' + step.name);
      const started = Date.now();
      try { await step(browser); } catch (e) { check(false, step.name + ' threw', e && e.stack || e); }
      info(`${step.name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    check(external.length === 0, 'no request leaves 127.0.0.1', [...new Set(external)].join('\n'));
    check(scriptErrors.length === 0, 'no script errors', scriptErrors.join('\n'));
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.log(`\n${failures.length} failure(s):\n- ` + failures.join('\n- '));
    process.exit(1);
  }
  console.log('\nall browser checks passed');
}

main().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});

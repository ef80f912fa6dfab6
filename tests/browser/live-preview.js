#!/usr/bin/env node
// `planguide serve` in a real browser (Debian's Chromium through playwright-core from
// tests/tools): a Chinese and an English tab of the same guide are open while the English
// file is edited, broken and fixed. An edit reloads the tabs with the new text; a broken
// front matter shows the error overlay (file, line, message; title in each tab's language)
// while the last good page stays underneath; fixing the file clears it and reloads.
//
//   node tests/browser/live-preview.js <origin> <site root> [chromium path]
//
// The server must be serving <site root>; this script edits its files the way editors save
// (a temporary file beside the site, renamed into place).
'use strict';
const fs = require('fs');
const path = require('path');

const origin = process.argv[2];
const root = path.resolve(process.argv[3] || '');
const chromiumPath = process.argv[4] || '/usr/bin/chromium';
const tools = path.join(__dirname, '..', 'tools', 'node_modules');
const { chromium } = require(path.join(tools, 'playwright-core'));

const failures = [];
function check(ok, message, detail) {
  console.log((ok ? 'ok   ' : 'FAIL ') + message + (ok || detail === undefined ? '' : '\n     ' + detail));
  if (!ok) failures.push(message);
}

const FILE = 'content/qatar/renew-phone.en.md';
let saves = 0;
function save(text) {
  const temporary = path.join(path.dirname(root), `.live-preview-${process.pid}-${saves++}`);
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, path.join(root, FILE));
}

// Polls `fn` in the page until it returns something truthy (at most 20 s); the page may
// be reloading meanwhile.
async function until(page, fn, arg) {
  const end = Date.now() + 20000;
  for (;;) {
    const value = await page.evaluate(fn, arg).catch(() => null);
    if (value || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A mark that a reload wipes out.
const mark = (page) => page.evaluate(() => { window.__planguideMark = true; });
const reloaded = (page) => until(page, () => document.readyState === 'complete' && !window.__planguideMark);

const overlayOf = (page) => until(page, () => {
  const o = document.getElementById('planguide-overlay');
  return o && { title: o.querySelector('h2').textContent, text: o.textContent, role: o.getAttribute('role') };
});

async function main() {
  const original = fs.readFileSync(path.join(root, FILE), 'utf8');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const context = await browser.newContext();
    const errors = [];
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
    const zh = await context.newPage();
    const en = await context.newPage();
    await zh.goto(origin + '/zh/qatar/renew-phone/', { waitUntil: 'load' });
    await en.goto(origin + '/en/qatar/renew-phone/', { waitUntil: 'load' });
    const listening = (page) => until(page, () => document.documentElement.hasAttribute('data-planguide-live'));
    check(await listening(zh) && await listening(en), 'both tabs listen for rebuilds');

    await mark(en);
    await mark(zh);
    save(original.replace('Renewing by phone needs', 'Renewing by phone (live edit) needs'));
    check(await reloaded(en), 'an edit reloads the open English tab');
    check(await until(en, () => document.body.textContent.includes('(live edit)')), 'the reloaded tab shows the edit');
    check(await reloaded(zh), 'the Chinese tab of the same guide reloads too');

    check(await listening(zh) && await listening(en), 'the reloaded tabs listen again');
    await mark(en);
    await mark(zh);
    save(original.replace('kind: renewal', 'kind: renewal\nauthor: nobody'));
    const enOverlay = await overlayOf(en);
    check(!!enOverlay, 'a broken front matter shows the overlay in the English tab');
    check(enOverlay && enOverlay.role === 'alert', 'the overlay is announced (role=alert)');
    check(enOverlay && /content\/qatar\/renew-phone\.en\.md:\d+:\d+/.test(enOverlay.text) && enOverlay.text.includes('author'),
      'the overlay names the file, line and the unknown key', enOverlay && enOverlay.text);
    check(enOverlay && /^Build error/.test(enOverlay.title), 'the English tab titles it in English', enOverlay && enOverlay.title);
    const zhOverlay = await overlayOf(zh);
    check(zhOverlay && zhOverlay.title.startsWith('构建出错'), 'the Chinese tab titles it in Chinese', zhOverlay && zhOverlay.title);
    check(await en.evaluate(() => !!window.__planguideMark), 'the overlay does not reload the page');
    const under = await en.evaluate(() => document.querySelector('main') && document.querySelector('main').textContent);
    check((under || '').includes('(live edit)'), 'the last good page stays underneath');
    // A tab opened while the site is broken shows the overlay at once.
    const late = await context.newPage();
    await late.goto(origin + '/en/', { waitUntil: 'load' });
    check(!!await overlayOf(late), 'a page opened while the site is broken shows the overlay');

    save(original);
    check(await reloaded(en), 'fixing the file reloads the tab');
    check(await until(en, () => !document.getElementById('planguide-overlay') && document.body.textContent.includes('Renewing by phone needs')),
      'the overlay is gone and the fixed page is shown');
    check(await until(zh, () => !document.getElementById('planguide-overlay')), 'the Chinese tab is cleared too');
    check(errors.length === 0, 'no script errors', errors.join('\n'));
  } finally {
    fs.writeFileSync(path.join(root, FILE), original);
    await browser.close();
  }
  console.log(failures.length ? `\n${failures.length} live preview check(s) failed` : '\nall live preview checks passed');
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });

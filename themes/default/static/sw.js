// planguide default theme: the service worker that keeps renewal steps readable offline.
//
// - Pages (HTML): network first, so a reader online never sees a stale page; every page
//   fetched is kept, and served from the cache only when the network fails.
// - Fingerprinted CSS/JS (name.0123abcd.css): cache first; the build lists them in SHELL and
//   they are cached on install.
// - Search index: meta.json network first; the hashed shards cache first.
// - app.js posts the URLs of the current country's renewal walkthroughs (<body
//   data-renewals>) and the current page; they are cached in the background.
// - Offline, a page never saved opens as the language's 404 page (or another language's,
//   when that one was never saved) turned into a list of the saved pages (see offlinePage).
// - The build fills in VERSION (a hash of the CSS/JS) and SHELL; caches of other versions
//   are deleted on activate, so a deploy replaces them. The dev server's /__planguide/ URLs
//   are never touched.
'use strict';

const VERSION = '__PLANGUIDE_VERSION__';
const SHELL = __PLANGUIDE_SHELL__;
const PREFIX = 'planguide-';
const PAGES = PREFIX + 'pages-' + VERSION;
const ASSETS = PREFIX + 'assets-' + VERSION;
const MAX_POSTED = 24;

const scope = new URL(self.registration.scope);

const isHex = (s) => s.length === 8 && s.split('').every((c) => '0123456789abcdef'.indexOf(c) >= 0);
// name.0123abcd.css / name.0123abcd.js
const isFingerprinted = (path) => {
  const name = path.slice(path.lastIndexOf('/') + 1).split('.');
  const ext = name[name.length - 1];
  return name.length >= 3 && (ext === 'css' || ext === 'js') && isHex(name[name.length - 2]);
};
const isDevServer = (url) => url.pathname.indexOf('/__planguide/') >= 0;
const inScope = (url) => url.origin === scope.origin && url.pathname.indexOf(scope.pathname) === 0;
const isSearchFile = (path) => path.indexOf('/search/') >= 0 && (path.slice(-4) === '.bin' || path.slice(-5) === '.json');

// Pages are stored under one key per URL: no query, no fragment, /x/index.html as /x/.
const pageKey = (url) => {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  if (u.pathname.slice(-11) === '/index.html') u.pathname = u.pathname.slice(0, -10);
  return u.href;
};

const storable = (res) => res && res.ok && res.type === 'basic' && !res.redirected;

async function put(cacheName, key, res) {
  if (!storable(res)) return;
  try {
    const cache = await caches.open(cacheName);
    await cache.put(key, res);
  } catch (e) { /* quota or private mode: serving still works */ }
}

// `fresh`, if given, also gets a copy of a response the network gave.
async function networkFirst(event, cacheName, key, fresh) {
  try {
    const preload = event.request.mode === 'navigate' ? await event.preloadResponse : null;
    const res = preload || await fetch(event.request);
    if (storable(res)) event.waitUntil(put(cacheName, key, res.clone()));
    if (fresh && storable(res)) event.waitUntil(fresh(res.clone()).catch(() => {}));
    return res;
  } catch (e) {
    const hit = await caches.match(key, { ignoreSearch: true });
    if (hit) return hit;
    const fallback = event.request.mode === 'navigate' ? await offlinePage(new URL(event.request.url)) : null;
    if (fallback) return fallback;
    throw e;
  }
}

// Every file of a language's index but meta.json carries the index's id (p3.<id>.bin),
// and a new build of the site gives it a new id. Once a fresh meta.json names its id, the
// files of any other are never asked for again: they are deleted, so each deploy does not
// leave a copy behind on the reader's device (the titles file alone is up to 2 MB).
async function pruneSearch(metaUrl, res) {
  const meta = await res.json();
  if (!meta || typeof meta.id !== 'string' || typeof meta.files !== 'string' || !meta.id) return;
  const folder = new URL(meta.files, metaUrl).href;
  const cache = await caches.open(ASSETS);
  for (const req of await cache.keys()) {
    if (req.url.indexOf(folder) === 0 && req.url.indexOf('.' + meta.id + '.') < 0) await cache.delete(req);
  }
}

// Offline, a page that was never saved gets its language's 404 page (app.js has it cached)
// marked <body data-offline>, which app.js turns into "you are offline" and a list of the
// pages saved on this device: better than the browser's error page. A URL whose language
// has no saved offline page (another language, or the root) gets any saved one: the reader
// still finds the pages they kept.
async function offlinePage(url) {
  const cache = await caches.open(PAGES);
  let best = null;
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.slice(-9) !== '/404.html') continue;
    const dir = path.slice(0, -8);
    const mine = url.pathname.indexOf(dir) === 0;
    if (!best || (mine && (!best.mine || dir.length > best.dir.length))) best = { req: req, dir: dir, mine: mine };
  }
  const res = best && await cache.match(best.req);
  if (!res) return null;
  const html = (await res.text()).replace('<body', '<body data-offline');
  return new Response(html, { status: 503, statusText: 'Offline', headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

async function cacheFirst(event, cacheName) {
  const hit = await caches.match(event.request, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(event.request);
  if (storable(res)) event.waitUntil(put(cacheName, event.request.url, res.clone()));
  return res;
}

// Caches pages that are not cached yet (visited ones are refreshed by every visit anyway),
// or all of them with `refresh`. Resolves to whether every fetch succeeded.
async function cachePages(urls, refresh) {
  const cache = await caches.open(PAGES);
  const done = await Promise.all(urls.map(async (url) => {
    const key = pageKey(url);
    if (!refresh && await cache.match(key)) return true;
    try {
      const res = await fetch(key, { credentials: 'same-origin', cache: 'no-cache' });
      if (storable(res)) await cache.put(key, res);
      else if (res.status === 404 || res.status === 410) await cache.delete(key);
      return res.ok || res.status === 404 || res.status === 410;
    } catch (e) { return false; /* offline: try again on the next visit */ }
  }));
  return done.every(Boolean);
}

// A new version takes over the pages an older one kept, and the fingerprinted files they
// name, so they still open offline; then it fetches those pages again in the background and
// drops the old files once every page is current. No network while activating, so pages
// are never held up by a deploy.
async function takeOver(old) {
  const pages = await caches.open(PAGES), assets = await caches.open(ASSETS);
  const keys = [];
  for (const name of old) {
    const from = await caches.open(name);
    const isPages = name.indexOf(PREFIX + 'pages-') === 0;
    for (const req of await from.keys()) {
      if (!isPages && !isFingerprinted(new URL(req.url).pathname)) continue;
      const to = isPages ? pages : assets;
      if (await to.match(req)) continue;
      const res = await from.match(req);
      if (res) await to.put(req, res);
      if (isPages) keys.push(req.url);
    }
  }
  return keys;
}

async function refreshAndPrune(keys) {
  if (!await cachePages(keys.slice(0, 200), true)) return;
  const assets = await caches.open(ASSETS);
  const current = SHELL.map((u) => new URL(u, scope).href);
  for (const req of await assets.keys()) {
    if (isFingerprinted(new URL(req.url).pathname) && current.indexOf(req.url) < 0) await assets.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(ASSETS);
    // One by one, so a missing file does not stop the worker from installing.
    await Promise.all(SHELL.map((url) => cache.add(new URL(url, scope).href).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    if (self.registration.navigationPreload) {
      try { await self.registration.navigationPreload.enable(); } catch (e) { /* unsupported */ }
    }
    const names = await caches.keys();
    const old = names.filter((n) => n.indexOf(PREFIX) === 0 && n.indexOf(VERSION) < 0);
    let keys = [];
    try { keys = await takeOver(old); } catch (e) { /* start afresh */ }
    await Promise.all(old.map((n) => caches.delete(n)));
    await self.clients.claim();
    // Not awaited: fetch events wait for activation, readers should not.
    if (keys.length) refreshAndPrune(keys).catch(() => {});
  })());
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'planguide:cache' || !Array.isArray(data.urls)) return;
  const urls = [];
  for (const raw of data.urls.slice(0, MAX_POSTED)) {
    let url;
    try { url = new URL(String(raw), scope); } catch (e) { continue; }
    if (inScope(url) && !isDevServer(url) && urls.indexOf(pageKey(url)) < 0) urls.push(pageKey(url));
  }
  if (urls.length) event.waitUntil(cachePages(urls));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin || isDevServer(url)) return;
  const path = url.pathname;
  if (isFingerprinted(path)) {
    event.respondWith(cacheFirst(event, ASSETS));
  } else if (isSearchFile(path)) {
    if (path.slice(-10) === '/meta.json') {
      event.respondWith(networkFirst(event, ASSETS, url.href, (res) => pruneSearch(url.href, res)));
    }
    else event.respondWith(cacheFirst(event, ASSETS));
  } else if (req.mode === 'navigate' || (req.headers.get('accept') || '').indexOf('text/html') >= 0) {
    event.respondWith(networkFirst(event, PAGES, pageKey(req.url)));
  } else if (inScope(url) && path !== scope.pathname + 'sw.js') {
    // Images and other files next to the content: kept like pages.
    event.respondWith(networkFirst(event, PAGES, url.href));
  }
});

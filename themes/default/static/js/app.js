// planguide default theme: progressive enhancement; every page works without it.
(() => {
  'use strict';
  const d = document, nav = navigator, path = location.pathname;
  const all = (sel) => Array.from(d.querySelectorAll(sel));
  // Storage may be missing or throw (private mode, blocked cookies).
  const store = (kind) => { try { return window[kind]; } catch (e) { return null; } };
  const get = (s, k) => { try { return s.getItem(k); } catch (e) { return null; } };
  const put = (s, k, v) => {
    try {
      if (v === null) s.removeItem(k);
      else s.setItem(k, v);
    } catch (e) { /* denied or full */ }
  };

  // 1. Checklist ticks persist per page, under the box's id, which the build makes from the
  //    item's text: a tick stays on its item when the list changes. Ticks saved under the
  //    old position ids (check-1, check-2, …) are moved to the new ids once.
  const local = store('localStorage');
  const checkKey = (id) => 'planguide:check:' + path + ':' + id;
  all('input.task-check').forEach((box, i) => {
    const key = checkKey(box.id), old = checkKey('check-' + (i + 1));
    let saved = get(local, key);
    if (saved === null && old !== key && (saved = get(local, old)) !== null) {
      put(local, key, saved);
      put(local, old, null);
    }
    if (saved !== null) box.checked = saved === '1';
    box.addEventListener('change', () => put(local, key, box.checked ? '1' : '0'));
  });

  // 2. Copy buttons, shown only when the clipboard API exists: the plan's codes and
  //    numbers, and every inline code in a guide's text (`*555*1#`, a reference number:
  //    in a guide, inline code is what the reader types or reads out). Not inside a link,
  //    where a button cannot go.
  if (nav.clipboard) all('.prose[data-copy-label] :not(pre) > code').filter((code) => !code.closest('a')).forEach((code) => {
    const box = code.closest('.prose'), b = d.createElement('button');
    b.type = 'button';
    b.className = 'copy';
    b.hidden = true;
    b.dataset.copy = code.textContent;
    b.dataset.copied = box.dataset.copied || '';
    b.textContent = box.dataset.copyLabel;
    code.after(' ', b);
  });
  const buttons = all('button.copy[data-copy]');
  if (buttons.length && nav.clipboard) {
    const live = d.createElement('div');
    live.className = 'vh';
    live.setAttribute('aria-live', 'polite');
    d.body.appendChild(live);
    buttons.forEach((b) => {
      const label = b.textContent;
      let timer;
      b.hidden = false;
      b.addEventListener('click', () => {
        const text = b.dataset.copy, done = b.dataset.copied;
        nav.clipboard.writeText(text).then(() => {
          if (done) {
            b.textContent = done;
            clearTimeout(timer);
            timer = setTimeout(() => { b.textContent = label; }, 2000);
          }
          live.textContent = '';
          setTimeout(() => { live.textContent = (done || '✓') + ' ' + text; }, 50);
        }, () => {});
      });
    });
  }

  // 3. Current step marker on the top-level numbered steps, kept for this tab.
  const session = store('sessionStorage'), stepKey = 'planguide:step:' + path;
  all('.prose.steps > ol[start]').forEach((ol) => { ol.style.counterReset = 's ' + (ol.start - 1); });
  const steps = all('.prose.steps > ol > li');
  const mark = (n) => {
    steps.forEach((li, i) => {
      li.classList.toggle('current', i === n);
      if (i === n) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    put(session, stepKey, n < 0 ? null : String(n));
    // The current step sticks to the edge of the screen while you scroll through the
    // others (CSS), unless it is too tall to leave room for them.
    if (n >= 0) steps[n].classList.toggle('tall', steps[n].offsetHeight > innerHeight / 3);
  };
  steps.forEach((li, i) => li.addEventListener('click', (e) => {
    // Links and controls keep their own job; selecting text is not a tap.
    if (e.target.closest('a,button,input,label,summary') || String(getSelection())) return;
    mark(li.classList.contains('current') ? -1 : i);
  }));
  const savedStep = parseInt(get(session, stepKey), 10);
  if (savedStep >= 0 && savedStep < steps.length) {
    mark(savedStep);
    // Coming back to the page: show the step you were on (unless a link named a place).
    if (!location.hash && !scrollY) steps[savedStep].scrollIntoView({ block: 'center' });
  }

  // 4. Language picker: suggest the best match for the browser languages; never redirect.
  if (d.body.classList.contains('kind-picker')) {
    const items = all('li[data-locale]');
    const tag = (li) => li.dataset.locale.toLowerCase();
    const main = (t) => t.split('-')[0];
    let best;
    for (const l of nav.languages || [nav.language || '']) {
      const want = String(l).toLowerCase();
      best = items.find((li) => tag(li) === want) || items.find((li) => main(tag(li)) === main(want));
      if (best) break;
    }
    if (best) {
      best.classList.add('is-suggested');
      const badge = best.querySelector('.suggested');
      if (badge) badge.hidden = false;
      best.parentNode.prepend(best);
    }
  }

  // 5. Offline support, only when the page names a service worker. Once it runs, it keeps
  //    this page and the renewal walkthroughs of this page's country (<body data-renewals>),
  //    so they open when the data runs out.
  const sw = d.documentElement.dataset.sw;
  if (sw && 'serviceWorker' in nav && /^https?:$/.test(location.protocol)) {
    addEventListener('load', () => {
      nav.serviceWorker.register(sw)
        .then(() => nav.serviceWorker.ready)
        .then((reg) => {
          const urls = (d.body.dataset.renewals || '').split(/\s+/).filter(Boolean);
          // The language's 404 page doubles as the offline page (see sw.js).
          if (d.documentElement.dataset.offlinePage) urls.unshift(d.documentElement.dataset.offlinePage);
          if (!d.body.classList.contains('kind-not-found')) urls.unshift(path);
          if (reg.active && urls.length) reg.active.postMessage({ type: 'planguide:cache', urls });
        })
        .catch(() => {});
    });
  }

  // 6. Offline fallback: the service worker serves the language's 404 page, marked
  //    <body data-offline>, for a page this device never saved. Say so, and list what is
  //    saved (titles from the cached pages), so a traveller without data finds their steps.
  if (d.body.hasAttribute('data-offline')) listSavedPages().catch(() => {});

  async function listSavedPages() {
    const note = d.querySelector('.offline-note');
    if (!note || typeof caches === 'undefined') return;
    d.querySelectorAll('.not-found').forEach((e) => { e.hidden = true; });
    note.hidden = false;
    d.title = note.querySelector('h1').textContent;
    // This language's saved pages; every language's when this page stands in for another
    // language (or the root) that has no offline page saved.
    let home = new URL(d.documentElement.dataset.offlinePage || '/', location.href).pathname.replace(/404\.html$/, '');
    if (path.indexOf(home) !== 0) home = '/';
    const decode = d.createElement('textarea');
    const saved = new Map();
    for (const name of await caches.keys()) {
      if (name.indexOf('planguide-pages-') !== 0) continue;
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const url = new URL(req.url).pathname;
        if (url.indexOf(home) !== 0 || url.slice(-1) !== '/' || saved.has(url)) continue;
        const res = await cache.match(req);
        const text = res ? await res.text() : '';
        const m = /<title>([^<]*)<\/title>/.exec(text), lang = /<html lang="([^"]+)"/.exec(text);
        decode.innerHTML = m ? m[1] : url;
        saved.set(url, [decode.value.replace(/ · [^·]*$/, ''), lang ? lang[1] : '']);
      }
    }
    const list = note.querySelector('.offline-pages');
    const entries = Array.from(saved).sort((a, b) => a[1][0].localeCompare(b[1][0]));
    for (const [url, [title, lang]] of entries) {
      const li = d.createElement('li');
      const a = d.createElement('a');
      a.href = url;
      a.textContent = title;
      if (lang && lang !== d.documentElement.lang) a.lang = lang;
      li.appendChild(a);
      list.appendChild(li);
    }
    note.querySelector('.offline-none').hidden = entries.length > 0;
  }
})();

// planguide serve: live reload and the build-error overlay. Injected only while serving.
(function () {
  'use strict';
  var TITLES = { zh: '构建出错：修复后页面会自动刷新', en: 'Build error: the page reloads when it is fixed' };
  function lang() { return (document.documentElement.lang || 'en').split('-')[0]; }
  function clear() { var o = document.getElementById('planguide-overlay'); if (o) o.remove(); }
  function show(overlay) {
    clear();
    var box = document.createElement('div');
    box.id = 'planguide-overlay';
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1.5rem';
    var h = document.createElement('h2');
    h.textContent = TITLES[lang()] || TITLES.en;
    h.style.cssText = 'margin:0 0 1rem;font:bold 16px system-ui,sans-serif;color:#ff8a80';
    box.appendChild(h);
    (overlay.errors || []).forEach(function (e) {
      var p = document.createElement('pre');
      p.style.cssText = 'white-space:pre-wrap;margin:0 0 1rem';
      var where = e.file ? e.file + (e.line ? ':' + e.line + ':' + (e.column || 1) : '') + '\n' : '';
      p.textContent = where + e.message + (e.hint ? '\nhint: ' + e.hint : '');
      box.appendChild(p);
    });
    document.body.appendChild(box);
  }
  fetch('/__planguide/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (s) {
    if (s.overlay) show(s.overlay);
  }).catch(function () {});
  var source = new EventSource('/__planguide/events');
  // Tells tests (and the curious) that this tab now hears about rebuilds.
  source.addEventListener('open', function () { document.documentElement.setAttribute('data-planguide-live', ''); });
  source.addEventListener('reload', function () { location.reload(); });
  source.addEventListener('failed', function (m) { try { show(JSON.parse(m.data)); } catch (e) {} });
})();

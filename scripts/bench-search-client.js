#!/usr/bin/env node
// The search client's own work on a first query, without the network: what a slow phone's
// script engine adds to the requests. For each query, fresh Node processes (V8, as in
// Chromium) load the shipped client, read every index file of the language into memory,
// fetch meta.json, optionally run the client's warm-up (as focusing the field does), wait
// 300 ms (a reader's pause) and time one query from start to results. Prints the median
// per query, warmed and cold. A benchmark: it asserts nothing.
//
//   node scripts/bench-search-client.js <built public dir> [runs per query, default 5]
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const QUERIES = {
  zh: ['续费', '电话续费', '卡塔尔电话续费', '双卡手机', 'USSD 续费'],
  en: ['renew', 'renew by phone', 'top up', 'dual-SIM', 'ussd renewal'],
};

/** One first query in this process: prints its milliseconds. */
async function child(pub, lang, query, warm) {
  const js = fs.readdirSync(path.join(pub, 'js')).find((f) => /^search(\.[0-9a-f]+)?\.js$/.test(f));
  const client = require(path.resolve(pub, 'js', js));
  const files = new Map();
  for (const dir of ['/search/' + lang + '/', '/' + lang + '/search/']) {
    for (const f of fs.readdirSync(path.join(pub, dir))) files.set(dir + f, fs.readFileSync(path.join(pub, dir, f)));
  }
  const load = (url, kind) => {
    const bytes = files.get(url);
    if (!bytes) return Promise.reject(new Error('no file ' + url));
    return Promise.resolve(kind === 'bin' ? new Uint8Array(bytes) : JSON.parse(bytes));
  };
  const search = client.createSearch('/' + lang + '/search/', load);
  await search.meta();
  if (warm) await search.warm();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = performance.now();
  const res = await search.query(query, { limit: 5 });
  if (!res.results.length) throw new Error('no results for ' + query);
  process.stdout.write((performance.now() - start).toFixed(2));
}

function main() {
  const [pub, runsArg] = process.argv.slice(2);
  if (!pub || !fs.existsSync(path.join(pub, 'index.html'))) {
    console.error('usage: node scripts/bench-search-client.js <built public dir> [runs per query]');
    process.exit(2);
  }
  const runs = Number(runsArg || 5);
  const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
  console.log('lang  query                    warmed (median ms)   cold (median ms)');
  for (const [lang, queries] of Object.entries(QUERIES)) {
    if (!fs.existsSync(path.join(pub, lang, 'search', 'meta.json'))) continue;
    for (const q of queries) {
      const time = (mode) => median(Array.from({ length: runs }, () =>
        Number(execFileSync(process.execPath, [__filename, '--child', pub, lang, q, mode]))));
      console.log(`${lang.padEnd(5)} ${q.padEnd(24)} ${time('warm').toFixed(1).padStart(12)} ${time('cold').toFixed(1).padStart(18)}`);
    }
  }
}

if (process.argv[2] === '--child') {
  const [pub, lang, query, mode] = process.argv.slice(3);
  child(pub, lang, query, mode === 'warm').catch((e) => { console.error(e); process.exit(1); });
} else {
  main();
}

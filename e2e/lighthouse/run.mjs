// Lighthouse 12 on the release build (a benchmark: figures, not a test). Serves the built site on
// loopback (compressed, as a static host serves it), runs Lighthouse's desktop and mobile presets with Debian's Chromium, and prints each
// category's score and the performance metrics. Usage: node run.mjs --dist ../../dist
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dist = resolve(args[args.indexOf('--dist') + 1] ?? join(here, '..', '..', 'dist'));
// Served as a static host would serve it: brotli-compressed, cached for a year (trunk's file
// names carry a content hash), the page itself revalidated.
const server = await serveDir(dist, { brotli: true });
// Warm the compressed copies first, as a host has them ready.
for (const f of ['', ...readdirSync(dist)]) await fetch(server.url + f, { headers: { 'accept-encoding': 'br' } }).then((r) => r.arrayBuffer());
const out = mkdtempSync(join(tmpdir(), 'eda-lab-lh-'));
try {
  for (const preset of ['desktop', 'mobile']) {
    const file = join(out, `${preset}.json`);
    const flags = [server.url, '--quiet', '--output=json', `--output-path=${file}`,
      '--only-categories=performance,accessibility,best-practices,seo',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu'];
    if (preset === 'desktop') flags.push('--preset=desktop');
    // Asynchronously: the site is served from this very process.
    await promisify(execFile)(join(here, 'node_modules', '.bin', 'lighthouse'), flags, {
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' },
    });
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
    const ms = (a) => r.audits[a]?.displayValue ?? '?';
    console.log(`[lighthouse ${r.lighthouseVersion} ${preset}] performance ${score('performance')}, accessibility ${score('accessibility')}, ` +
      `best practices ${score('best-practices')}, SEO ${score('seo')}; FCP ${ms('first-contentful-paint')}, LCP ${ms('largest-contentful-paint')}, ` +
      `TBT ${ms('total-blocking-time')}, CLS ${ms('cumulative-layout-shift')}, SI ${ms('speed-index')}`);
    // Which element was the largest contentful paint, and what its time was made of.
    const lcp = r.audits['largest-contentful-paint-element']?.details?.items ?? [];
    const node = lcp[0]?.items?.[0]?.node;
    if (node) console.log(`    LCP element: ${node.snippet} (${node.nodeLabel?.slice(0, 60)})`);
    for (const phase of lcp[1]?.items ?? []) console.log(`    LCP ${phase.phase}: ${Math.round(phase.timing)} ms`);
    const tasks = r.audits['long-tasks']?.details?.items ?? [];
    if (tasks.length) console.log(`    long tasks: ${tasks.slice(0, 5).map((t) => `${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ms`).join(', ')}`);
    for (const c of ['accessibility', 'best-practices', 'seo']) {
      const failed = r.categories[c].auditRefs.filter((a) => a.weight > 0 && r.audits[a.id].score !== null && r.audits[a.id].score < 1);
      for (const a of failed) console.log(`    ${c}: ${a.id}: ${r.audits[a.id].title}`);
    }
  }
} finally {
  await server.close();
  rmSync(out, { recursive: true, force: true });
}

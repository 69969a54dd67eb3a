// Browser soak (a measurement, never a pass/fail test):
//
//   node e2e/soak.mjs [--dist dist] [--minutes 10] [--every 30] [--scenario acks-all-min-isr] [--rate N]
//
// The release site in headless Chromium plays a run at Fast-forward (as many events as each frame
// allows) for --minutes of wall time, as a learner who leaves the tab running would. Every --every seconds, after a forced garbage collection (the DevTools
// protocol's HeapProfiler.collectGarbage), it samples the JS heap in use (Runtime.getHeapUsage),
// the wasm linear memory (which never shrinks: its size is the run's peak), the time-travel
// snapshots held, the simulated time and the messages produced. Memory is flat when the last
// samples are no higher than the ones after the warm-up (the first two minutes).
// Prints a table and, last, one JSON line with every sample.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir, launch, waitFor } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(here, '..', arg('--dist', 'dist'));
const minutes = Number(arg('--minutes', '10'));
const every = Number(arg('--every', '30'));
// A scenario whose consumers keep up at its own rate (at-least-once's crashes leave a backlog
// that grows about 15% of what is produced, and the page stops such a run at its bound).
const scenario = arg('--scenario', 'acks-all-min-isr');
// The scenario's own rate unless --rate is given (the consumers must keep up, or the page stops
// the run at its bound on messages in flight: src/ui/backlog.rs).
const rate = arg('--rate', '');

const server = await serveDir(dist);
const browser = await launch();
const { page, context } = browser;
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
const cdp = await context.newCDPSession(page);

await page.goto(server.url, { waitUntil: 'load' });
await page.waitForSelector('[data-testid=count-produced]', { timeout: 30_000 });
await page.selectOption('#scenario-select', scenario);
if (rate) {
  await page.fill('#set-producer-rate-per-sec', rate);
  await page.press('#set-producer-rate-per-sec', 'Enter');
  await page.dispatchEvent('#set-producer-rate-per-sec', 'change');
}
await page.selectOption('#speed', 'max');
await page.waitForTimeout(200);
if ((await page.getAttribute('#btn-play', 'aria-pressed')) !== 'true') await page.click('#btn-play');
await waitFor(async () => (await page.getAttribute('#btn-play', 'aria-pressed')) === 'true', { timeout_ms: 5_000, what: 'play' });

const sample = async (t0) => {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const page_side = await page.evaluate(() => {
    const int = (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent.replace(/[^0-9]/g, '') ?? NaN);
    return {
      ...window.__edaLab.memory(),
      produced: int('count-produced'),
      in_flight: int('count-in-flight'),
      sim_time: document.querySelector('[data-testid="sim-time"]')?.textContent,
    };
  });
  return { wall_s: Math.round((Date.now() - t0) / 1000), js_heap_used: heap.usedSize, js_heap_total: heap.totalSize, ...page_side };
};

const samples = [];
const t0 = Date.now();
for (;;) {
  samples.push(await sample(t0));
  const s = samples[samples.length - 1];
  const mb = (b) => (b / 1e6).toFixed(1).padStart(7);
  console.log(
    `${String(s.wall_s).padStart(5)} s  sim ${String(s.sim_time).padStart(12)}  produced ${String(s.produced).padStart(11)}  in flight ${String(s.in_flight).padStart(7)}  ` +
      `JS heap ${mb(s.js_heap_used)} MB  wasm ${mb(s.wasm_bytes)} MB  snapshots ${s.snapshots} (${s.snapshot_messages} msgs)`,
  );
  if (Date.now() - t0 >= minutes * 60_000) break;
  await page.waitForTimeout(Math.min(every * 1000, minutes * 60_000 - (Date.now() - t0)));
}
const frames = await page.evaluate(() => window.__edaLab.frameStats());
await page.click('#btn-play');
await browser.close();
await server.close();

const warm = samples.filter((s) => s.wall_s >= 120);
const after = warm.length ? warm[0] : samples[0];
const last = samples[samples.length - 1];
const peak = (k) => Math.max(...samples.map((s) => s[k]));
console.log(
  `JS heap after warm-up ${(after.js_heap_used / 1e6).toFixed(1)} MB, at the end ${(last.js_heap_used / 1e6).toFixed(1)} MB (peak ${(peak('js_heap_used') / 1e6).toFixed(1)} MB); ` +
    `wasm memory after warm-up ${(after.wasm_bytes / 1e6).toFixed(1)} MB, at the end ${(last.wasm_bytes / 1e6).toFixed(1)} MB; ` +
    `frames p50 ${frames.p50_ms?.toFixed(1)} ms p95 ${frames.p95_ms?.toFixed(1)} ms over ${frames.count}`,
);
if (errors.length) console.log(`page errors during the soak: ${errors.join(' | ')}`);
console.log(JSON.stringify({ scenario, rate, minutes, samples, frames }));

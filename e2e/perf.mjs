// Browser benchmarks of the built site (a measurement, never a pass/fail test):
//
//   node e2e/perf.mjs [--dist dist] [--seconds 10] [--loads 3]
//
// 1. first interactive render: navigation start -> the counters are in the DOM (performance.now()
//    when a MutationObserver first sees [data-testid=count-produced]), median of --loads fresh loads;
// 2. per-frame work while a busy run plays: the "hot-key" scenario with the producer at --rate msg/s
//    (default 15: the hot partition's consumer falls behind, so the messages in flight pile up) at
//    --speed (default 20); once about --in-flight/2 messages are in flight the frame statistics are
//    reset and --seconds wall seconds measured (window.__edaLab.frameStats()), so the window is
//    centred near --in-flight (default 1000) messages in flight, sampled meanwhile;
//    With --compare PRESET the compare view's lanes follow the run meanwhile.
// 3. fast-forward of 10^6 messages: window.__edaLab.fastForward(1000000).
// Prints a table and, last, one JSON line with every figure.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir, launch, waitFor } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(here, '..', arg('--dist', 'dist'));
const seconds = Number(arg('--seconds', '10'));
const loads = Number(arg('--loads', '3'));
const scenario = arg('--scenario', 'hot-key');
const speed = arg('--speed', '20');
const rate = arg('--rate', '15');
const targetInFlight = Number(arg('--in-flight', '1000'));
// --compare PRESET: the compare view's lanes follow the run meanwhile (three-guarantees on a log of
// one broker is 4 lanes).
const compare = arg('--compare', '');

const server = await serveDir(dist);
const browser = await launch();
const { page, context } = browser;
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

await context.addInitScript(() => {
  const seen = () => {
    if (window.__firstRenderMs === undefined && document.querySelector('[data-testid=count-produced]')) {
      window.__firstRenderMs = performance.now();
      return true;
    }
    return false;
  };
  const obs = new MutationObserver(() => seen() && obs.disconnect());
  obs.observe(document, { childList: true, subtree: true });
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = {};

// 1. First interactive render.
const renders = [];
for (let i = 0; i < loads; i += 1) {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=count-produced]', { timeout: 30_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    return {
      first_render_ms: window.__firstRenderMs,
      dom_content_loaded_ms: nav?.domContentLoadedEventEnd,
      wasm_fetched_ms: wasm?.responseEnd,
    };
  });
  renders.push(t);
}
figures.first_render_ms = median(renders.map((r) => r.first_render_ms));
figures.first_render_ms_all = renders.map((r) => Math.round(r.first_render_ms));
figures.dom_content_loaded_ms = median(renders.map((r) => r.dom_content_loaded_ms));
figures.wasm_fetched_ms = median(renders.map((r) => r.wasm_fetched_ms ?? NaN));

// 2. Frame work under load.
const snapshot = () =>
  page.evaluate(() => {
    const int = (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent.replace(/[^0-9]/g, '') ?? NaN);
    return { in_flight: int('count-in-flight'), produced: int('count-produced'), sim_time: document.querySelector('[data-testid="sim-time"]')?.textContent };
  });
await page.selectOption('#scenario-select', scenario);
await page.selectOption('#speed', speed);
if (rate) await page.fill('#set-producer-rate-per-sec', rate).then(() => page.press('#set-producer-rate-per-sec', 'Enter')).then(() => page.dispatchEvent('#set-producer-rate-per-sec', 'change'));
await page.waitForTimeout(200);
let lanes = 0;
if (compare) {
  await page.selectOption('#cmp-preset', compare);
  await page.click('#cmp-run');
  await page.waitForSelector('[data-testid="cmp-row"]');
  lanes = await page.locator('[data-testid="cmp-row"]').count();
}
if ((await page.getAttribute('#btn-play', 'aria-pressed')) !== 'true') await page.click('#btn-play');
await waitFor(async () => (await page.getAttribute('#btn-play', 'aria-pressed')) === 'true', { timeout_ms: 5_000, what: 'play' });
// Warm up until half the target is in flight, then measure only the window of interest.
const warm0 = Date.now();
await waitFor(async () => (await snapshot()).in_flight >= targetInFlight / 2, {
  timeout_ms: 120_000,
  every_ms: 250,
  what: `${targetInFlight / 2} messages in flight`,
});
const warmup_s = (Date.now() - warm0) / 1000;
const canReset = await page.evaluate(() => typeof window.__edaLab.resetFrameStats === 'function');
if (canReset) await page.evaluate(() => window.__edaLab.resetFrameStats());
const inFlight = [];
const t0 = Date.now();
while (Date.now() - t0 < seconds * 1000) {
  inFlight.push((await snapshot()).in_flight);
  await page.waitForTimeout(500);
}
const frames = await page.evaluate(() => window.__edaLab.frameStats());
const end = await snapshot();
await page.click('#btn-play');
figures.frame = { scenario, speed, rate, compare_lanes: lanes, wall_s: seconds, warmup_s, since: canReset ? 'reset after the warm-up' : 'page load', ...frames };
figures.in_flight = { min: Math.min(...inFlight), median: median(inFlight), max: Math.max(...inFlight), end: end.in_flight };
figures.run_end = end;

// 3. Fast-forward 10^6 messages (a fresh page, so nothing else runs).
await page.goto(server.url, { waitUntil: 'load' });
await page.waitForSelector('[data-testid=count-produced]', { timeout: 30_000 });
const wall0 = Date.now();
figures.fast_forward = await page.evaluate(() => window.__edaLab.fastForward(1_000_000));
figures.fast_forward.outer_wall_ms = Date.now() - wall0;

await browser.close();
await server.close();

const f = figures;
const ms = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${Number(x).toFixed(1)} ms`);
console.log(`first interactive render   ${ms(f.first_render_ms)} median of ${loads} (${f.first_render_ms_all.join(', ')} ms); DOMContentLoaded ${ms(f.dom_content_loaded_ms)}, wasm fetched ${ms(f.wasm_fetched_ms)}`);
console.log(`frame work (${scenario}, ${rate} msg/s, x${speed}, ${seconds}s, ${f.frame.compare_lanes} compare lanes)  p50 ${ms(f.frame.p50_ms)}  p95 ${ms(f.frame.p95_ms)}  max ${ms(f.frame.max_ms)}  over ${f.frame.count} frames (since ${f.frame.since})`);
console.log(`messages in flight meanwhile  min ${f.in_flight.min}  median ${f.in_flight.median}  max ${f.in_flight.max}  (run reached ${f.run_end.sim_time}, produced ${f.run_end.produced})`);
console.log(`fast-forward 10^6 messages    ${ms(f.fast_forward.wall_ms)} in the page (${f.fast_forward.events} events, ${Math.round(f.fast_forward.messages / (f.fast_forward.wall_ms / 1000)).toLocaleString('en-US')} msgs/s, trace ${f.fast_forward.trace_hash})`);
if (errors.length) console.log(`page errors during the benchmark: ${errors.join(' | ')}`);
console.log(JSON.stringify(figures));

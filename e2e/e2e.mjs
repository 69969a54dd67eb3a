// End-to-end test of the built site in headless Chromium.
//
//   node e2e/e2e.mjs [--dist dist] [--cli target/release/eda-lab]
//
// Serves dist/ on 127.0.0.1, opens it, and walks a learner's path: play, watch the ledger balance,
// crash a consumer after its effect under at-least-once (duplicates appear), then switch to an atomic
// dedup store, reset and crash again (no duplicates). Finally the page's run is replayed by the native
// CLI from the page's own command log: both must print the same trace hash (replay.mjs). The settings
// steps (settings.mjs), the partition steps (partitions.mjs), the dead-letter queue steps (dlq.mjs),
// the breaker steps (breaker.mjs), the monitoring steps (monitoring.mjs), the queue broker's steps
// (queue.mjs), publish-subscribe on the log (groups.mjs), the event-sourced bank (sourcing.mjs), schema evolution (schema.mjs), CQRS for the shop (shop.mjs), the lessons (lessons.mjs: the map, a lesson's locks, challenge and progress, and the "modified" badge), the glossary and "Try this next" (guide.mjs), share links and scenario JSON (share.mjs), code export (export.mjs), time travel and the page's bound on a backlog without end (timetravel.mjs), a whole lesson by keyboard (keyboard.mjs) and the message-journey steps (journey.mjs) live in their own files. Any console error, page
// error or failed request fails the test. axe-core (injected from node_modules) audits every built-in
// scenario in the light and the dark theme, at time 0 and after a few seconds of play: any violation of
// impact serious or critical fails. Screenshots go to e2e/artifacts/. The last line is
// "N passed, M failed".

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir, launch, waitFor, parseSimTimeUs } from './lib.mjs';
import { audit, describe } from './a11y.mjs';
import { settingsSteps } from './settings.mjs';
import { journeySteps } from './journey.mjs';
import { partitionSteps } from './partitions.mjs';
import { dlqSteps } from './dlq.mjs';
import { breakerSteps } from './breaker.mjs';
import { monitoringSteps } from './monitoring.mjs';
import { routingSteps } from './routing.mjs';
import { queueSteps } from './queue.mjs';
import { groupSteps, streamVsQueueStep } from './groups.mjs';
import { schemaSteps } from './schema.mjs';
import { sourcingSteps } from './sourcing.mjs';
import { shopSteps } from './shop.mjs';
import { lessonsSteps } from './lessons.mjs';
import { guideSteps } from './guide.mjs';
import { shareSteps } from './share.mjs';
import { exportSteps } from './export.mjs';
import { timeTravelSteps, backlogSteps } from './timetravel.mjs';
import { keyboardSteps } from './keyboard.mjs';
import { replayer } from './replay.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(root, arg('--dist', 'dist'));
const cli = resolve(root, arg('--cli', 'target/release/eda-lab'));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
// Screenshots of an earlier run would be mistaken for this one's.
for (const f of readdirSync(artifacts)) if (f.endsWith('.png')) rmSync(join(artifacts, f));

// The interface contract this test relies on (ids and data-testid names).
const CONTRACT_IDS = [
  'scenario-select', 'btn-play', 'btn-step', 'btn-reset', 'speed', 'seed', 'commit-strategy',
  'idempotency', 'crash-consumer', 'crash-at', 'btn-crash', 'theme-toggle',
];
const CONTRACT_TESTIDS = [
  'count-produced', 'count-in-flight', 'count-exactly-once', 'count-duplicated', 'count-dead-lettered',
  'count-lost', 'trace-hash', 'sim-time', 'events-processed', 'ledger-equation',
];
const CONTRACT_OPTIONS = {
  speed: ['0.1', '0.25', '0.5', '1', '2', '5', '20', '100', 'max'],
  'commit-strategy': ['before_processing', 'after_processing', 'auto'],
  idempotency: ['none', 'dedup_check_then_act', 'dedup_atomic', 'natural'],
  'crash-consumer': ['0'],
  'crash-at': ['now', 'after_receive', 'after_commit', 'after_effect', 'after_dedup_mark'],
};
const CONTRACT_HOOKS = ['frameStats', 'fastForward', 'traceHash', 'commands', 'commandLog', 'scenarioJson', 'simTimeUs', 'settings', 'journey', 'bench'];
// The producer rate's control (generated from the settings' description: `set-` + its path).
const RATE = '#set-producer-rate-per-sec';

const results = [];
const problems = []; // console errors, page errors, failed requests: each fails the run
let shot = 0;

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`e2e: ${dist}/index.html not found (run trunk build --release first)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const server = await serveDir(dist);
const browser = await launch();
const { page } = browser;

page.on('console', (msg) => {
  if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
});
page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
page.on('response', (res) => {
  if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
});
page.on('request', (req) => {
  if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) {
    problems.push(`external request: ${req.url()} (the site must make none)`);
  }
});

async function screenshot(name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  // Clicks scroll the page; a sticky top bar would then be drawn mid-page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  return file;
}

/** Runs one named step; a failure is recorded (with a screenshot) and the walk goes on. */
async function step(name, fn) {
  // E2E_ONLY=regex runs only the matching steps (a quick loop while working on some; CI runs all).
  if (process.env.E2E_ONLY && !new RegExp(process.env.E2E_ONLY).test(name)) return;
  const t0 = Date.now();
  const before = problems.length;
  try {
    const note = await fn();
    if (problems.length > before) throw new Error(problems.slice(before).join('\n      '));
    results.push({ name, ok: true });
    console.log(`ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)${note ? `: ${note}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false });
    const file = await screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    console.log(`FAIL  ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s): ${err.message}\n      screenshot: ${file}`);
  }
}

/** Everything the counters and the clock show, read in one go (one consistent DOM state). */
const snapshot = () =>
  page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const int = (id) => {
      const text = q(id)?.textContent.replace(/[^0-9]/g, '') ?? '';
      return text === '' ? null : Number(text);
    };
    return {
      produced: int('count-produced'),
      in_flight: int('count-in-flight'),
      exactly_once: int('count-exactly-once'),
      duplicated: int('count-duplicated'),
      dead_lettered: int('count-dead-lettered'),
      lost: int('count-lost'),
      events: int('events-processed'),
      sim_time: q('sim-time')?.textContent.trim() ?? null,
      trace_hash: q('trace-hash')?.textContent.trim() ?? null,
      balanced: q('ledger-equation')?.getAttribute('data-balanced') ?? null,
      playing: document.querySelector('#btn-play')?.getAttribute('aria-pressed') ?? null,
    };
  });
const simUs = async () => parseSimTimeUs((await snapshot()).sim_time);

function checkLedger(s) {
  const parts = ['in_flight', 'exactly_once', 'duplicated', 'dead_lettered', 'lost'];
  for (const k of ['produced', ...parts]) {
    if (s[k] === null) throw new Error(`counter ${k} is missing or not an integer`);
  }
  const sum = parts.reduce((t, k) => t + s[k], 0);
  if (sum !== s.produced) {
    throw new Error(`ledger does not balance: produced ${s.produced} != ${parts.map((k) => `${k} ${s[k]}`).join(' + ')} = ${sum}`);
  }
  if (s.balanced !== 'true') throw new Error(`[data-testid=ledger-equation] has data-balanced="${s.balanced}"`);
  return `produced ${s.produced} = ${parts.map((k) => s[k]).join(' + ')}`;
}

/** Clicks like a user would; when something covers the element, says what instead of a 30 s call log. */
async function click(selector) {
  try {
    await page.click(selector, { timeout: 5_000 });
  } catch (err) {
    const covered = /(<[^>]+>(?:…<\/[a-z]+>)?)(?: from (<[^>]+>…<\/[a-z]+>))? subtree intercepts pointer events/.exec(err.message);
    if (covered) {
      throw new Error(`${selector} cannot be clicked: ${covered[1]}${covered[2] ? ` (in ${covered[2]})` : ''} lies on top of it, so a user cannot click it either (layout overflow?)`);
    }
    throw new Error(`${selector} cannot be clicked: ${err.message.split('\n')[0]}`);
  }
}

async function select(id, value) {
  await page.selectOption(`#${id}`, value, { timeout: 5_000 });
  const now = await page.inputValue(`#${id}`);
  if (now !== value) throw new Error(`#${id} shows "${now}" after selecting "${value}"`);
}

async function setPlaying(on) {
  const state = await page.getAttribute('#btn-play', 'aria-pressed');
  if ((state === 'true') !== on) await click('#btn-play');
  await waitFor(async () => (await page.getAttribute('#btn-play', 'aria-pressed')) === String(on), {
    timeout_ms: 5_000,
    what: `#btn-play aria-pressed="${on}"`,
  });
}

async function armCrash(consumer, at) {
  await select('crash-consumer', consumer);
  await select('crash-at', at);
  await click('#btn-crash');
}

/** Waits (bounded in wall time) until the page's sim time reaches `seconds`. */
const waitSim = (seconds, timeout_ms) =>
  waitFor(async () => (await simUs()) >= seconds * 1e6, { timeout_ms, what: `sim-time >= ${seconds}s` });

// ---------------------------------------------------------------------------------------------

await step('load: while the wasm loads the page says what it is; then it renders its counters and the loading text goes', async () => {
  // In a page of its own (its held request is no error of the walk's page): the wasm held back,
  // as on a slow connection, leaves the static text of index.html, all there is.
  const slow = await browser.context.newPage();
  await slow.route('**/*.wasm', () => {});
  await slow.goto(server.url, { waitUntil: 'domcontentloaded' });
  const boot = await slow.textContent('#boot');
  await slow.close();
  if (!boot.includes('Loading the simulator') || !boot.includes('event-driven architecture')) throw new Error(`while loading: "${boot}"`);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=count-produced]', { timeout: 20_000 });
  if (await page.$('#boot')) throw new Error('the loading text is still there after the app rendered');
  const title = await page.title();
  if (title !== 'EDA Lab') throw new Error(`title is "${title}"`);
  await screenshot('loaded');
  return `title "${title}"`;
});

await step('contract: every id, option, counter and hook the tests use exists', async () => {
  const missing = await page.evaluate(
    ({ ids, testids, options, hooks }) => {
      const out = [];
      for (const id of ids) if (!document.getElementById(id)) out.push(`#${id}`);
      for (const t of testids) if (!document.querySelector(`[data-testid="${t}"]`)) out.push(`[data-testid=${t}]`);
      for (const [id, values] of Object.entries(options)) {
        const el = document.getElementById(id);
        if (!el) continue;
        const have = [...(el.options ?? [])].map((o) => o.value);
        for (const v of values) if (!have.includes(v)) out.push(`#${id} option "${v}"`);
      }
      const hook = window.__edaLab;
      if (!hook) out.push('window.__edaLab');
      else for (const h of hooks) if (typeof hook[h] !== 'function') out.push(`window.__edaLab.${h}()`);
      const hash = document.querySelector('[data-testid="trace-hash"]')?.textContent.trim();
      if (hash !== undefined && !/^[0-9a-f]{16}$/.test(hash)) out.push(`trace-hash as 16 hex digits (shows "${hash}")`);
      const time = document.querySelector('[data-testid="sim-time"]')?.textContent.trim();
      if (time !== undefined && !/^\d+\.\d{3}s$/.test(time)) out.push(`sim-time like "12.345s" (shows "${time}")`);
      if (!document.querySelector('[data-testid="ledger-equation"]')?.hasAttribute('data-balanced')) {
        out.push('ledger-equation[data-balanced]');
      }
      const play = document.getElementById('btn-play');
      if (play && !play.hasAttribute('aria-pressed')) out.push('#btn-play[aria-pressed]');
      return out;
    },
    { ids: CONTRACT_IDS, testids: CONTRACT_TESTIDS, options: CONTRACT_OPTIONS, hooks: CONTRACT_HOOKS },
  );
  if (missing.length) throw new Error(`missing from the page: ${missing.join(', ')}`);
});

await step('play: counters and clock move', async () => {
  await setPlaying(true);
  const first = await waitFor(async () => {
    const s = await snapshot();
    return s.produced > 0 && s;
  }, { timeout_ms: 15_000, what: 'count-produced > 0' });
  await waitFor(async () => {
    const s = await snapshot();
    return s.produced > first.produced && s.sim_time !== first.sim_time && s.events > first.events;
  }, { timeout_ms: 15_000, what: 'produced, sim-time and events-processed to move on' });
  await screenshot('playing');
  const s = await snapshot();
  return `produced ${s.produced} at ${s.sim_time}`;
});

await step('ledger: produced = in flight + applied once + duplicated + dead-lettered + lost', async () => {
  const notes = [];
  for (let i = 0; i < 3; i += 1) {
    notes.push(checkLedger(await snapshot()));
    await page.waitForTimeout(400);
  }
  return notes.at(-1);
});

await step('at-least-once: a crash after the effect duplicates', async () => {
  await select('speed', '5');
  await select('commit-strategy', 'after_processing');
  await select('idempotency', 'none');
  await armCrash('0', 'after_effect');
  const s = await waitFor(async () => {
    const s = await snapshot();
    return s.duplicated > 0 && s;
  }, { timeout_ms: 30_000, what: 'count-duplicated > 0' });
  checkLedger(await snapshot());
  await screenshot('duplicates');
  // The Payments API's figures agree with the counters: every charge is on a message applied
  // once, on one charged more than once, or on one still in flight.
  await setPlaying(false);
  const label = await page.getAttribute('g.node.sink:not(.dlq)', 'aria-label');
  const m = label.match(/: (\d+) charges = (\d+) on messages applied once \+ (\d+) on (\d+) messages charged more than once \((\d+) extra\)(?: \+ (\d+) on messages still in flight)?/);
  if (!m) throw new Error(`payments label: ${label}`);
  const [charges, once, dupCharges, dupMsgs, extra, pending] = m.slice(1).map((v) => Number(v ?? 0));
  const now = await snapshot();
  if (charges !== once + dupCharges + pending || dupCharges !== dupMsgs + extra || once !== now.exactly_once || dupMsgs !== now.duplicated) {
    throw new Error(`payments "${label}" disagrees with the counters ${JSON.stringify(now)}`);
  }
  const box = (await page.textContent('g.node.sink:not(.dlq)')).replace(/\s+/g, ' ');
  if (!box.includes(`${extra} extra charge`)) throw new Error(`payments box says "${box}", not ${extra} extra charges`);
  await setPlaying(true);
  return `duplicated ${s.duplicated} of ${s.produced} by ${s.sim_time}; ${charges} charges = ${once} + ${dupCharges} + ${pending}`;
});

let atomicRun = null;
await step('dedup_atomic: reset, crash twice, no duplicates', async () => {
  await select('idempotency', 'dedup_atomic');
  await click('#btn-reset');
  await waitFor(async () => {
    const s = await snapshot();
    return s.produced === 0 && s.duplicated === 0 && s;
  }, { timeout_ms: 5_000, what: 'the counters to return to 0 after #btn-reset' });
  // Reset keeps the configuration (the lesson is the comparison); re-assert it in case it did not.
  if ((await page.inputValue('#idempotency')) !== 'dedup_atomic') await select('idempotency', 'dedup_atomic');
  if ((await page.inputValue('#speed')) !== '5') await select('speed', '5');
  await setPlaying(true);
  await armCrash('0', 'after_effect');
  await waitSim(8, 30_000);
  const second = (await page.$$eval('#crash-consumer option', (os) => os.map((o) => o.value))).includes('1') ? '1' : '0';
  await armCrash(second, 'after_effect');
  await waitSim(20, 45_000);
  const s = await snapshot();
  checkLedger(s);
  await screenshot('dedup-atomic');
  if (s.duplicated !== 0) throw new Error(`count-duplicated is ${s.duplicated} with an atomic dedup store`);
  atomicRun = s;
  return `duplicated 0 of ${s.produced} at ${s.sim_time}`;
});

const replayOnCli = replayer({ page, cli, artifacts, snapshot, setPlaying });

await step('replay: the native CLI prints the page\'s trace hash for the page\'s command log', async () => {
  const { report, commands } = await replayOnCli('dedup-atomic');
  if (atomicRun && report.stats.crashes < 1) throw new Error('the dedup_atomic run had no crash (stats.crashes = 0)');
  await screenshot('paused-replayed');
  return `trace ${report.trace_hash}, ${report.events_processed} events, ${report.stats.crashes} crashes, ${commands} commands from commandLog()`;
});

await step('bad input: an out-of-range rate is refused with a message and changes nothing', async () => {
  const commandsBefore = await page.evaluate(() => JSON.parse(window.__edaLab.commands()).length);
  await page.fill(RATE, '-5');
  await page.press(RATE, 'Tab');
  const error = page.locator('[data-testid=input-error]');
  await error.waitFor({ timeout: 5_000 });
  const text = (await error.textContent()).trim();
  if (!/rate/i.test(text) || !text.includes('-5')) throw new Error(`the message does not name the field and the value: "${text}"`);
  const commandsAfter = await page.evaluate(() => JSON.parse(window.__edaLab.commands()).length);
  if (commandsAfter !== commandsBefore) throw new Error(`a rejected value issued ${commandsAfter - commandsBefore} command(s)`);
  checkLedger(await snapshot());
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, with the error message shown:\n      ${describe(blocking).join('\n      ')}`);
  await screenshot('bad-input');
  await page.fill(RATE, '6');
  await page.press(RATE, 'Tab');
  await error.waitFor({ state: 'detached', timeout: 5_000 });
  const rate = await page.evaluate(() => JSON.parse(window.__edaLab.commands()).at(-1).command);
  if (rate.type !== 'set' || rate.setting !== 'producer.rate_per_sec' || rate.value !== 6) throw new Error(`a valid rate issued ${JSON.stringify(rate)}`);
  return text;
});

await step('theme: the toggle switches without errors', async () => {
  const before = await page.evaluate(() => document.documentElement.outerHTML.length);
  await click('#theme-toggle');
  await page.waitForTimeout(300);
  await screenshot('theme-toggled');
  await click('#theme-toggle');
  await page.waitForTimeout(100);
  return `document ${before} chars`;
});

await step('pickers show the run\'s settings after a scenario switch, even ones the user changed', async () => {
  const shown = async () => ({ commit: await page.inputValue('#commit-strategy'), idem: await page.inputValue('#idempotency') });
  await select('commit-strategy', 'auto');
  await select('idempotency', 'natural');
  const want = {
    'at-most-once': { commit: 'before_processing', idem: 'none' },
    'dedup-atomic': { commit: 'after_processing', idem: 'dedup_atomic' },
    'at-least-once': { commit: 'after_processing', idem: 'none' },
  };
  for (const [name, expected] of Object.entries(want)) {
    await select('scenario-select', name);
    const got = await waitFor(async () => {
      const g = await shown();
      return g.commit === expected.commit && g.idem === expected.idem && g;
    }, { timeout_ms: 3_000, what: `${name}: #commit-strategy "${expected.commit}" and #idempotency "${expected.idem}"` }).catch(async (e) => {
      throw new Error(`${e.message}; they show ${JSON.stringify(await shown())}`);
    });
    if (!got) throw new Error(name);
  }
  return 'commit strategy and idempotency follow at-most-once, dedup-atomic, at-least-once';
});

/** The newest recorded command. */
const lastCommand = () => page.evaluate(() => JSON.parse(window.__edaLab.commandLog()).commands.at(-1)?.command ?? null);

/** Loads a scenario and waits for its run to stand at 0. */
async function load(name) {
  await select('scenario-select', name);
  await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: `${name} to restart at 0` });
}

/** Plays at `speed` until sim time `seconds`, then pauses. */
async function playTo(seconds, speed = '20') {
  await select('speed', speed);
  await setPlaying(true);
  await waitSim(seconds, 30_000);
  await setPlaying(false);
}

/** What the steps kept in their own files use. */
const kit = () => ({
  page, step, cli, artifacts, snapshot, select, setPlaying, armCrash, waitSim, load, playTo, lastCommand, replayOnCli,
  screenshot, viewportShot, assertInViewport, noHorizontalOverflow,
});

await settingsSteps(kit());
await partitionSteps(kit());
await dlqSteps(kit());
await breakerSteps(kit());
await monitoringSteps(kit());
await routingSteps(kit());
await queueSteps(kit());
await groupSteps(kit());
await streamVsQueueStep(kit());

await step('causes that show: a scheduled crash is on its consumer; a crashed owner keeps its partition, unread', async () => {
  await load('auto-commit');
  const consumer = (c) => page.getAttribute(`g.node.consumer[aria-label^="C${c} "]`, 'aria-label');
  const before = await consumer(0);
  if (!before.includes('scheduled: crash at 1.3 s')) throw new Error(`consumer 0 before its scheduled crash: "${before}"`);
  await playTo(2, '1');
  const after = await consumer(0);
  if (!/still owns P\d.* until its session times out/.test(after)) throw new Error(`crashed consumer 0: "${after}"`);
  const parts = await page.$$eval('g.node.partition', (gs) => gs.map((g) => g.getAttribute('aria-label')));
  const unread = parts.filter((l) => l.includes('owned by consumer 0, which has crashed: unread until its session times out'));
  if (unread.length < 1 || parts.some((l) => l.includes('read by consumer 0'))) throw new Error(`partitions: ${parts.join(' | ')}`);
  const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
  if (!log.some((l) => /auto-committed its position|auto-commit timer fired/.test(l))) throw new Error('no auto-commit tick in the event log');
  await screenshot('causes-auto-commit');
  return `${after}; ${unread[0]}`;
});

await step('cluster: a crashed leader is replaced once the controller notices; the page starts it again', async () => {
  await select('scenario-select', 'acks-1-failover');
  await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: 'acks-1-failover to restart at 0' });
  const rows = () => page.$$eval('[data-testid=replica-table] tbody tr', (rs) => rs.map((r) => r.textContent));
  const before = await rows();
  if (!/^P0.*0 \(leader\)/.test(before[0])) throw new Error(`P0 at 0 s: ${before[0]}`);
  // The schedule crashes broker 0 at 10 s; the controller notices 2 s later.
  await select('speed', '2');
  await setPlaying(true);
  await waitSim(13, 40_000);
  await setPlaying(false);
  const after = await rows();
  if (!/^P0\s*1\s*1/.test(after[0]) || !after[0].includes('0 (out of sync, down')) throw new Error(`P0 after the crash: ${after[0]}`);
  const broker0 = await page.textContent('[data-testid=broker-0]');
  if (!broker0.includes('down')) throw new Error(`broker 0: ${broker0}`);
  await screenshot('cluster-failover');
  await click('button[aria-label="Start broker 0"]');
  await waitFor(async () => (await page.textContent('[data-testid=broker-0]')).includes('up'), { timeout_ms: 5_000, what: 'broker 0 up' });
  return `${after[0]} | ${broker0.trim()}`;
});

await step('faults: the editor adds a fault window to the schedule and the timeline, the run meets it, remove takes it out; chaos mode draws more', async () => {
  await load('at-least-once');
  const items = () => page.$$eval('[data-testid="fault-list"] li', (ls) => ls.map((l) => l.textContent.trim()));
  const before = await items();
  await page.selectOption('#fault-kind', 'outage');
  await page.fill('#fault-at', '2');
  await page.fill('#fault-for', '3');
  await page.click('#fault-add');
  await waitFor(async () => (await items()).length === before.length + 2, { timeout_ms: 5_000, what: 'two more scheduled commands' });
  const after = await items();
  if (!after.some((t) => /^2\.000 s API outage on/.test(t)) || !after.some((t) => /^5\.000 s API outage off/.test(t))) throw new Error(`schedule: ${JSON.stringify(after)}`);
  const marks = await page.locator('.fault-timeline .fault-mark').count();
  if (marks !== after.length) throw new Error(`${marks} markers for ${after.length} faults`);
  await playTo(6, '5');
  const log = await page.textContent('section.log');
  if (!/API outage on/.test(log)) throw new Error('the event log does not show the outage starting');
  await page.locator('[data-testid="fault-list"]').scrollIntoViewIfNeeded();
  const shot = await screenshot('fault-schedule');
  await page.click(`button[aria-label="Remove fault ${before.length + 2}"]`);
  await waitFor(async () => (await items()).length === before.length + 1, { timeout_ms: 5_000, what: 'one fault removed' });
  // Chaos mode: more faults, drawn from the seed, marked as such.
  await page.check('#set-chaos-enabled');
  await waitFor(async () => (await items()).filter((t) => t.endsWith('(chaos mode)')).length > 3, { timeout_ms: 5_000, what: 'chaos faults' });
  const chaos = (await items()).filter((t) => t.endsWith('(chaos mode)')).length;
  await page.uncheck('#set-chaos-enabled');
  return `${after.length} scheduled, ${marks} markers; chaos drew ${chaos}; ${shot}`;
});

await step('transactions: crashes abort open transactions, and the read_committed reader sees no duplicate', async () => {
  await select('scenario-select', 'exactly-once-pipeline');
  await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: 'exactly-once-pipeline to restart at 0' });
  await select('speed', '5');
  await setPlaying(true);
  await waitSim(30, 40_000);
  await setPlaying(false);
  const stats = await page.textContent('[data-testid=txn-stats]');
  const num = (label) => Number((stats.match(new RegExp(`${label}(\\d+)`)) ?? [])[1]);
  if (!(num('committed') > 0) || !(num('aborted') > 0)) throw new Error(`transactions: ${stats}`);
  const snap = await snapshot();
  if (snap.duplicated !== 0 || snap.lost !== 0) throw new Error(`outcomes: ${JSON.stringify(snap)}`);
  await screenshot('transactions');
  return stats.replace(/\s+/g, ' ').trim();
});

await sourcingSteps(kit());
await schemaSteps(kit());
await shopSteps(kit());
await lessonsSteps(kit());
await guideSteps(kit());
await shareSteps(kit());
await exportSteps(kit());
await timeTravelSteps(kit());
await backlogSteps(kit());
await keyboardSteps(kit());

await step('accessibility: axe finds nothing serious or critical in any built-in scenario, light and dark, at 0 s and playing', async () => {
  const scenarios = await page.$$eval('#scenario-select option', (os) => os.map((o) => o.value));
  if (scenarios.length < 2) throw new Error(`#scenario-select offers ${scenarios.length} scenario(s)`);
  const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const byRule = new Map(); // every violation, any impact: rule -> nodes, for the summary
  const failures = [];
  let views = 0;
  const check = async (label) => {
    const { all, blocking } = await audit(page);
    views += 1;
    for (const v of all) {
      const key = `${v.id} (${v.impact})`;
      byRule.set(key, (byRule.get(key) ?? 0) + v.targets.length);
    }
    if (blocking.length) failures.push(`${label}:\n        ${describe(blocking).join('\n        ')}`);
  };
  const startTheme = await theme();
  for (const wanted of ['light', 'dark']) {
    if ((await theme()) !== wanted) await click('#theme-toggle');
    await waitFor(async () => (await theme()) === wanted, { timeout_ms: 5_000, what: `data-theme="${wanted}"` });
    for (const name of scenarios) {
      await select('scenario-select', name);
      await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: `${name} to restart at 0` });
      await check(`${name}, ${wanted}, at 0 s`);
      // A couple of seconds of play, so tokens, log rows, crashed consumers and the callouts exist.
      await select('speed', '2');
      await setPlaying(true);
      await waitSim(2.5, 20_000);
      await setPlaying(false);
      await check(`${name}, ${wanted}, paused after ${(await snapshot()).sim_time}`);
    }
  }
  if ((await theme()) !== startTheme) await click('#theme-toggle');
  await select('scenario-select', scenarios[0]);
  const summary = [...byRule].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  if (failures.length) throw new Error(`${failures.length} of ${views} views have serious or critical violations:\n      ${failures.join('\n      ')}\n      all violations (nodes, summed over views): ${summary}`);
  return `${views} views (${scenarios.length} scenarios x light/dark x at 0 s/playing); violations of any impact: ${summary}`;
});

/** Where an element is on screen (null when it is not rendered). */
const rectOf = (selector) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
  }, selector);

/** Throws unless every named element lies entirely inside the viewport. */
async function assertInViewport(what, selectors) {
  const { w, h } = await page.evaluate(() => ({ w: innerWidth, h: innerHeight }));
  const out = [];
  for (const sel of selectors) {
    const r = await rectOf(sel);
    if (!r || r.width === 0 || r.height === 0) out.push(`${sel} is not shown`);
    else if (r.top < -0.5 || r.left < -0.5 || r.bottom > h + 0.5 || r.right > w + 0.5) {
      out.push(`${sel} at [${Math.round(r.left)},${Math.round(r.top)} – ${Math.round(r.right)},${Math.round(r.bottom)}] is outside the ${w}x${h} viewport`);
    }
  }
  if (out.length) throw new Error(`${what}: ${out.join('; ')}`);
}

/** The smallest text in the diagram, in screen pixels. */
const smallestDiagramTextPx = () =>
  page.evaluate(() => {
    const svg = document.querySelector('svg.topology');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    let min = Infinity;
    for (const t of svg.querySelectorAll('text, tspan')) {
      if (!t.textContent.trim()) continue;
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
    return min;
  });

async function noHorizontalOverflow(what) {
  const o = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth }));
  if (o.scroll > o.inner) throw new Error(`${what}: the page is ${o.scroll}px wide in a ${o.inner}px viewport`);
};

async function viewportShot(name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const DIAGRAM_MIN_TEXT_PX = 10.95; // "about 11 px": the diagram never shrinks its 11-unit text

await step('layout 1440x900: the diagram and the counters stay in view while any setting is used', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await select('scenario-select', 'at-least-once');
  await select('speed', '2');
  await setPlaying(true);
  await waitSim(3, 15_000);
  await setPlaying(false);
  await page.evaluate(() => window.scrollTo(0, 0));
  const keep = ['svg.topology', '.counters', '[data-testid=count-duplicated]', '[data-testid=ledger-equation]'];
  // Every control of the settings panel, brought into view as a user would (keyboard focus or scroll).
  const controls = await page.$$eval('#settings-panel :is(select, input, button)', (els) =>
    els.filter((e) => e.offsetParent !== null && e.id).map((e) => `#${e.id}`));
  if (!controls.includes('#btn-crash')) throw new Error(`#btn-crash is not among the settings' controls (${controls.join(' ')})`);
  for (const sel of [...controls, '#btn-crash']) {
    await page.locator(sel).scrollIntoViewIfNeeded();
    await assertInViewport(`after scrolling ${sel} into view`, [sel, ...keep]);
  }
  const px = await smallestDiagramTextPx();
  if (px < DIAGRAM_MIN_TEXT_PX) throw new Error(`the diagram's smallest text is ${px.toFixed(1)}px`);
  await select('crash-at', 'after_effect');
  await click('#btn-crash');
  await assertInViewport('after pressing #btn-crash', ['#btn-crash', ...keep]);
  await noHorizontalOverflow('1440x900');
  const file = await viewportShot('desktop-1440x900-crash-controls');
  return `${controls.length} controls checked; smallest diagram text ${px.toFixed(1)}px; ${file}`;
});

/** The drawer at a narrow width: closed, opened by its button, usable, closed by Escape. */
async function checkDrawer(label, width, height) {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => window.scrollTo(0, 0));
  await noHorizontalOverflow(`${label}, drawer closed`);
  const toggle = '#btn-settings';
  if ((await page.getAttribute(toggle, 'aria-expanded')) !== 'false') throw new Error(`${toggle} is not aria-expanded="false" at first`);
  await page.locator('#btn-crash').waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {
    throw new Error('the settings are shown with the drawer closed');
  });
  const px = await smallestDiagramTextPx();
  if (px < DIAGRAM_MIN_TEXT_PX) throw new Error(`the diagram's smallest text is ${px.toFixed(1)}px`);
  const region = await page.evaluate(() => {
    const el = document.querySelector('.topology-scroll');
    return { focusable: el.tabIndex >= 0, scrolls: el.scrollWidth > el.clientWidth };
  });
  if (!region.focusable) throw new Error('the diagram region is not focusable');
  await assertInViewport(`${label}: the top bar`, ['#btn-play', '#btn-step', '#speed', '#scenario-select', toggle, '#theme-toggle']);
  await viewportShot(`${label}-closed`);
  // Open with the keyboard.
  await page.focus(toggle);
  await page.keyboard.press('Enter');
  await waitFor(async () => (await page.getAttribute(toggle, 'aria-expanded')) === 'true', { timeout_ms: 3_000, what: 'aria-expanded="true"' });
  await page.locator('#btn-crash').waitFor({ state: 'visible', timeout: 3_000 });
  const focusInside = await page.evaluate(() => document.getElementById('settings-panel').contains(document.activeElement));
  if (!focusInside) throw new Error('opening the drawer did not move focus into it');
  await page.waitForTimeout(300); // the slide-in
  await viewportShot(`${label}-drawer-open`);
  // Its controls work: arm a crash and see the command recorded.
  const before = await page.evaluate(() => JSON.parse(window.__edaLab.commands()).length);
  await select('crash-at', 'after_commit');
  await page.locator('#btn-crash').scrollIntoViewIfNeeded();
  await assertInViewport(`${label}: the drawer's crash button`, ['#btn-crash']);
  await click('#btn-crash');
  const after = await page.evaluate(() => JSON.parse(window.__edaLab.commands()));
  if (after.length !== before + 1 || after.at(-1).command.type !== 'crash_consumer') {
    throw new Error(`#btn-crash in the drawer recorded ${JSON.stringify(after.slice(before))}`);
  }
  // The answer shows in the drawer too (the page's notice may be covered or scrolled away).
  const said = await page.locator('#settings-panel .drawer-notice').textContent({ timeout: 3_000 }).catch(() => null);
  if (!said || !said.startsWith('Applied: ')) throw new Error(`the drawer does not say the crash was applied (shows ${JSON.stringify(said)})`);
  await assertInViewport(`${label}: the drawer's notice`, ['#settings-panel .drawer-notice']);
  await viewportShot(`${label}-drawer-crash-applied`);
  await noHorizontalOverflow(`${label}, drawer open`);
  // Escape closes it and gives focus back to its button.
  await page.focus('#crash-at');
  await page.keyboard.press('Escape');
  await waitFor(async () => (await page.getAttribute(toggle, 'aria-expanded')) === 'false', { timeout_ms: 3_000, what: 'Escape to close the drawer' });
  await page.locator('#btn-crash').waitFor({ state: 'hidden', timeout: 3_000 });
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (focused !== 'btn-settings') throw new Error(`after Escape the focus is on "${focused}", not #btn-settings`);
  return `diagram text >= ${px.toFixed(1)}px${region.scrolls ? ', diagram scrolls sideways in its focusable region' : ''}`;
}

await step('layout 820x1180 (tablet): settings in a drawer, diagram readable, nothing overflows', () => checkDrawer('tablet-820x1180', 820, 1180));
await step('layout 390x844 (phone): settings in a drawer, diagram readable, nothing overflows', async () => {
  const note = await checkDrawer('phone-390x844', 390, 844);
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe at 390x844:\n      ${describe(blocking).join('\n      ')}`);
  await page.click('#btn-settings');
  await page.locator('#btn-crash').waitFor({ state: 'visible', timeout: 3_000 });
  const open = await audit(page);
  if (open.blocking.length) throw new Error(`axe at 390x844 with the drawer open:\n      ${describe(open.blocking).join('\n      ')}`);
  await page.keyboard.press('Escape');
  // Reduced motion: the drawer does not slide.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const transition = await page.evaluate(() => getComputedStyle(document.getElementById('settings-panel')).transitionDuration);
  await page.emulateMedia({ reducedMotion: null });
  if (transition.split(',').some((d) => parseFloat(d) !== 0)) throw new Error(`with reduced motion the drawer still moves (transition-duration ${transition})`);
  await page.setViewportSize({ width: 1440, height: 900 });
  return note;
});

await journeySteps(kit());

await step('bench: __edaLab.bench(100000) runs the engine benchmark in the page with the CLI\'s trace hash', async () => {
  if (!existsSync(cli)) throw new Error(`${cli} not found (cargo build --release)`);
  const n = 100_000;
  const out = execFileSync(cli, ['bench', '--messages', String(n), '--repeats', '1'], { encoding: 'utf8' });
  const trace = /\btrace=([0-9a-f]{16})\b/.exec(out)?.[1];
  const events = Number(/\bevents=(\d+)\b/.exec(out)?.[1]);
  if (!trace || !Number.isFinite(events)) throw new Error(`could not read trace= and events= from eda-lab bench:\n${out}`);
  const page_ = await page.evaluate((m) => window.__edaLab.bench(m), n);
  if (page_.error) throw new Error(`__edaLab.bench(${n}): ${page_.error}`);
  if (page_.messages !== n) throw new Error(`__edaLab.bench(${n}) produced ${page_.messages} messages`);
  if (page_.events !== events) throw new Error(`__edaLab.bench(${n}): ${page_.events} events, the CLI ${events}`);
  if (page_.trace_hash !== trace) throw new Error(`__edaLab.bench(${n}): trace ${page_.trace_hash}, the CLI ${trace}`);
  const cliRate = /\bmsgs_per_s=(\d+)/.exec(out)?.[1];
  return `trace ${trace}, ${events} events; in the page ${Math.round(page_.msgs_per_sec).toLocaleString('en-US')} msgs/s (${page_.ms.toFixed(0)} ms)` +
    (cliRate ? `, native CLI ${Number(cliRate).toLocaleString('en-US')} msgs/s (a figure, not a test)` : '');
});

await step('bench: __edaLab.seekBench(200) seeks a 10-minute run in the page, each seek equal to a straight replay', async () => {
  const line = await page.evaluate(() => window.__edaLab.seekBench(200));
  if (!line.startsWith('[eda-lab seek]')) throw new Error(line);
  return `${line.trim()} (figures, not a test)`;
});

await step('clean: no console error, page error, failed or external request in the whole session', async () => {
  if (problems.length) throw new Error(`${problems.length} problem(s):\n      ${problems.join('\n      ')}`);
  return `requested ${[...new Set(server.requests)].join(' ')}`;
});

await browser.close();
await server.close();

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`screenshots: ${artifacts}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// Time travel, end to end (e2e.mjs runs this with its helpers). at-least-once played to 8 s with
// consumer 0 armed to crash after the effect at about 3 s: the scrubber goes back to 2 s (the
// crash becomes a kept later command, a hollow marker), forward again to 8 s (the same trace hash
// as before), and Play from 2 s replays the crash exactly where it was recorded (the same command
// log; the native CLI replays the page to its trace hash). A crash armed in the past starts a new
// future: the kept command goes. axe finds nothing serious in the bar.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

async function axe(page, what) {
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, ${what}:\n      ${describe(blocking).join('\n      ')}`);
}

const state = (page) =>
  page.evaluate(() => ({ hash: window.__edaLab.traceHash(), us: window.__edaLab.simTimeUs(), log: JSON.parse(window.__edaLab.commands()) }));

/** Moves the scrubber to `ms` (the range input's own input event, as a drag makes). */
async function scrub(page, ms) {
  await page.locator('#timeline').fill(String(ms));
  await waitFor(async () => (await state(page)).us === ms * 1000, { timeout_ms: 5_000, what: `the run at ${ms} ms` });
  return state(page);
}

export async function timeTravelSteps({ page, step, load, playTo, armCrash, replayOnCli, artifacts }) {
  await step('time travel: back to 2 s and forward again to the same trace hash; Play replays the kept crash where it was made; acting in the past starts a new future', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    await playTo(3, '5');
    await armCrash('0', 'after_effect');
    await playTo(8.5, '5');
    const original = await state(page);
    if (original.log.length !== 1) throw new Error(`expected the armed crash, got ${JSON.stringify(original.log)}`);
    const at8 = await scrub(page, 8000);
    const back = await scrub(page, 2000);
    if (back.log.length !== 0) throw new Error(`at 2 s the run already has ${JSON.stringify(back.log)}`);
    if ((await page.locator('.tl-marks .tl-future').count()) !== 1) throw new Error('no hollow marker for the kept crash');
    const said = (await page.textContent('#tl-said')).trim();
    if (!said.includes('1 later command(s) kept')) throw new Error(`the bar says "${said}"`);
    await axe(page, 'the time-travel bar');
    const shot = await shootPanel(page, 'section.timeline', join(artifacts, 'time-travel.png'));
    const again = await scrub(page, 8000);
    if (again.hash !== at8.hash) throw new Error(`back at 8 s the trace hash is ${again.hash}, was ${at8.hash}`);
    await scrub(page, 2000);
    await playTo(8.5, '5');
    const replayed = await state(page);
    if (JSON.stringify(replayed.log) !== JSON.stringify(original.log)) throw new Error(`Play from 2 s recorded ${JSON.stringify(replayed.log)}, not ${JSON.stringify(original.log)}`);
    await replayOnCli('time-travel');
    await scrub(page, 2000);
    await armCrash('1', 'after_effect');
    if ((await page.locator('.tl-marks .tl-future').count()) !== 0) throw new Error('the old future is still kept');
    const branched = await state(page);
    if (branched.log.length !== 1 || branched.log[0].command.consumer !== 1) throw new Error(`the new future: ${JSON.stringify(branched.log)}`);
    return `8 s: ${at8.hash} again after 2 s; Play replayed the crash at ${(original.log[0].at_us / 1e6).toFixed(3)} s; the CLI replays it to its hash; ${shot}`;
  });
}

/** A backlog without end (the producer far above what the consumers process) at Fast-forward:
 * the page stops the run at 100,000 messages in flight with a notice that says why, instead of
 * filling the tab's memory until it dies; Play does not go on, Reset still works. */
export async function backlogSteps({ page, step, load, select, snapshot }) {
  await step('a backlog without end stops at 100,000 messages in flight with a notice; Play does not go on; Reset works', async () => {
    await load('at-least-once');
    await page.fill('#set-producer-rate-per-sec', '50000');
    await page.press('#set-producer-rate-per-sec', 'Enter');
    await page.dispatchEvent('#set-producer-rate-per-sec', 'change');
    await select('speed', 'max');
    // Play (not `setPlaying`, which waits to see it playing: the run may stop before that is seen).
    await page.click('#btn-play');
    const stoppedHere = async () =>
      (await snapshot()).in_flight >= 100_000 && (await page.getAttribute('#btn-play', 'aria-pressed')) === 'false';
    await waitFor(stoppedHere, { timeout_ms: 120_000, every_ms: 250, what: 'the run to stop' });
    const notice = (await page.textContent('.intro .notice')).trim();
    const stopped = await snapshot();
    if (!notice.startsWith('Stopped: ') || !notice.includes('the most this page holds')) throw new Error(`the notice says "${notice}"`);
    if (stopped.in_flight < 100_000) throw new Error(`stopped with ${stopped.in_flight} in flight`);
    const { wasm_bytes } = await page.evaluate(() => window.__edaLab.memory());
    await page.click('#btn-play');
    await page.waitForTimeout(500);
    const after = await snapshot();
    if (after.produced !== stopped.produced) throw new Error(`Play went on: ${stopped.produced} then ${after.produced} produced`);
    if ((await page.getAttribute('#btn-play', 'aria-pressed')) !== 'false') throw new Error('still playing');
    await page.click('#btn-reset');
    await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: 'the run to restart' });
    await select('speed', '5');
    return `${notice.slice(0, 60)}…; ${stopped.in_flight} in flight, wasm memory ${(wasm_bytes / 1e6).toFixed(0)} MB`;
  });
}

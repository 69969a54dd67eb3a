// Lessons, end to end (e2e.mjs runs this with its helpers). The lesson map opens from the keyboard
// (13 tracks, focus on its heading) with garbage in the progress key tolerated; "duplicate-charge"
// opens at its intro and starts: the scenario picker and the settings are locked, the goal reads ✗.
// A control the lesson locks (Add partition) is refused with a notice naming it and records
// nothing. Arming consumer 0 to crash after the effect at about 2 s of sim time makes the live goal
// ✓; Run challenge replays it and passes (every check ✓, the success text), and the progress is in
// local storage; after a reload the map shows the lesson ✓. Show solution plays the solution's
// crash at 2 s and passes too; Undo takes the crash back (replayed to the same instant without
// it); Leave unlocks the controls. Every lesson of the map starts with a
// control for each setting and action it unlocks, and its reference solution, entered with those
// controls (settings only) or played by Show solution, passes the challenge on the page, and its
// share link opens the same lesson run (same trace hash). Outside
// lessons a changed setting marks the scenario "modified", and Restore defaults reloads it as it
// ships (the run is left so). axe finds nothing serious on the map, the intro, each lesson panel
// or the badge.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const KEY = 'eda-lab.lessons.v1';
const LESSON = 'duplicate-charge';

async function axe(page, what) {
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, ${what}:\n      ${describe(blocking).join('\n      ')}`);
}

/** The live checklist: each item's testid and whether it holds. */
const checks = (page, testid) =>
  page.$$eval(`[data-testid=${testid}]`, (els) => els.map((e) => ({ holds: e.dataset.holds === 'true', text: e.textContent.trim() })));

const notice = (page) => page.textContent('.intro .notice').then((t) => t.trim());
const commandCount = (page) => page.evaluate(() => JSON.parse(window.__edaLab.commands()).length);
const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Opens the lesson's intro from the map with the keyboard (opening the map first if need be). */
async function openIntro(page) {
  if (!(await page.locator('#lesson-map').count())) {
    await page.focus('#btn-lessons');
    await page.keyboard.press('Enter');
  }
  await page.focus(`[data-lesson="${LESSON}"]`);
  await page.keyboard.press('Enter');
  await waitFor(async () => (await focusedId(page)) === 'lesson-map-h' && (await page.locator('#btn-lesson-start').count()) === 1, {
    timeout_ms: 5_000, what: 'the intro, focus on its heading',
  });
}

/** Presses the intro's Start with the keyboard and waits for the lesson panel. */
async function start(page) {
  await page.focus('#btn-lesson-start');
  await page.keyboard.press('Enter');
  await page.locator('#lesson-panel').waitFor({ timeout: 5_000 });
  await page.locator('#lesson-map').waitFor({ state: 'detached', timeout: 5_000 });
}

/** Runs the challenge and returns its judged checklist, once shown. */
async function runChallenge(page) {
  await page.click('#btn-challenge');
  await page.locator('[data-testid=judged-check]').first().waitFor({ timeout: 15_000 });
  return checks(page, 'judged-check');
}

export async function lessonsSteps({ page, step, select, setPlaying, armCrash, waitSim, load, snapshot, artifacts }) {
  await step('lessons: the map opens from the keyboard; duplicate-charge starts locked, its goal ✗', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    await page.evaluate((k) => localStorage.setItem(k, '{"not": a list'), KEY);
    await page.focus('#btn-lessons');
    await page.keyboard.press('Enter');
    await page.locator('#lesson-map').waitFor({ timeout: 5_000 });
    if ((await focusedId(page)) !== 'lesson-map-h') throw new Error(`focus is on "${await focusedId(page)}", not the map's heading`);
    if ((await page.getAttribute('#btn-lessons', 'aria-expanded')) !== 'true') throw new Error('#btn-lessons is not aria-expanded');
    const tracks = await page.$$eval('#lesson-map .track h3', (hs) => hs.map((h) => h.textContent));
    if (tracks.length !== 13 || !tracks[0].startsWith('1. ') || !tracks[12].startsWith('13. ')) throw new Error(`tracks: ${tracks.join(' | ')}`);
    const item = (await page.textContent(`[data-lesson="${LESSON}"]`)).trim();
    if (!/break/.test(item) || item.includes('✓')) throw new Error(`the map's item: "${item}"`);
    await axe(page, 'the lesson map');
    const map = await shootPanel(page, '#lesson-map', join(artifacts, 'lessons-map.png'));
    await openIntro(page);
    const paragraphs = await page.locator('.lesson-intro p').count();
    if (paragraphs < 1) throw new Error('the intro has no paragraph');
    await axe(page, 'a lesson intro');
    const intro = await shootPanel(page, '#lesson-map', join(artifacts, 'lessons-intro.png'));
    await start(page);
    if ((await focusedId(page)) !== 'lesson-h') throw new Error(`after Start the focus is on "${await focusedId(page)}"`);
    const goal = await checks(page, 'lesson-goal');
    if (goal.length !== 1 || goal[0].holds) throw new Error(`goal at the start: ${JSON.stringify(goal)}`);
    if (!(await page.isDisabled('#scenario-select'))) throw new Error('the scenario picker is not disabled in the lesson');
    if (!(await page.locator('[data-testid=settings-locked]').count())) throw new Error('the settings panel does not say it is locked');
    if ((await page.locator('#settings-panel [data-setting]').count()) !== 0) throw new Error('the settings panel still has setting controls');
    await axe(page, 'the lesson panel');
    const panel = await shootPanel(page, '#lesson-panel', join(artifacts, 'lessons-panel-start.png'));
    return `${tracks.length} tracks, intro ${paragraphs} paragraph(s), goal ✗ "${goal[0].text}"; ${map}, ${intro}, ${panel}`;
  });

  await step('lessons: a control the lesson locks is refused with a notice naming it', async () => {
    const before = await commandCount(page);
    await page.click('#btn-add-partition');
    const said = await waitFor(async () => {
      const t = await notice(page);
      return t.startsWith('Locked in this lesson') && t;
    }, { timeout_ms: 5_000, what: 'a "Locked in this lesson" notice' });
    if (!said.includes('add_partitions')) throw new Error(`the notice does not name the control: "${said}"`);
    if ((await commandCount(page)) !== before) throw new Error('a refused command was recorded');
    return said;
  });

  await step('lessons: arm consumer 0 to crash after the effect at about 2 s, the challenge passes, progress saved', async () => {
    await select('speed', '1');
    await setPlaying(true);
    await waitSim(1.9, 15_000);
    await setPlaying(false);
    await armCrash('0', 'after_effect');
    const armed = await page.evaluate(() => JSON.parse(window.__edaLab.commands()).at(-1));
    if (armed?.command?.type !== 'crash_consumer' || armed.at_us < 1.8e6 || armed.at_us > 3e6) throw new Error(`armed: ${JSON.stringify(armed)}`);
    await select('speed', '5');
    await setPlaying(true);
    await waitFor(async () => (await checks(page, 'lesson-goal'))[0]?.holds, { timeout_ms: 30_000, what: 'the live goal to read ✓' });
    await setPlaying(false);
    const judged = await runChallenge(page);
    if (judged.length !== 2 || judged.some((c) => !c.holds)) throw new Error(`challenge: ${JSON.stringify(judged)}`);
    const success = (await page.textContent('[data-testid=lesson-success]')).trim();
    if (!success.startsWith('The charge and the commit')) throw new Error(`success text: "${success}"`);
    const stored = await page.evaluate((k) => localStorage.getItem(k), KEY);
    if (!JSON.parse(stored).includes(LESSON)) throw new Error(`${KEY} holds ${stored}`);
    await axe(page, 'the lesson panel with a passed challenge');
    const shot = await shootPanel(page, '#lesson-panel', join(artifacts, 'lessons-panel-passed.png'));
    return `armed at ${(armed.at_us / 1e6).toFixed(3)} s; ${judged.map((c) => c.text).join(' | ')}; ${KEY}=${stored}; ${shot}`;
  });

  await step('lessons: Undo takes the crash back, the run replayed without it to where it stood; then nothing is left to undo', async () => {
    const before = await page.evaluate(() => ({ us: window.__edaLab.simTimeUs(), n: JSON.parse(window.__edaLab.commands()).length }));
    if (before.n !== 1) throw new Error(`expected the armed crash alone, got ${before.n} command(s)`);
    await page.click('#btn-lesson-undo');
    const said = await waitFor(async () => { const t = await notice(page); return t.startsWith('Undone') && t; }, { timeout_ms: 5_000, what: 'an "Undone" notice' });
    const after = await page.evaluate(() => ({ us: window.__edaLab.simTimeUs(), n: JSON.parse(window.__edaLab.commands()).length }));
    if (after.n !== 0 || after.us !== before.us) throw new Error(`after Undo: ${JSON.stringify(after)} (before ${JSON.stringify(before)})`);
    if ((await checks(page, 'lesson-goal'))[0]?.holds) throw new Error('the goal still holds without the crash');
    await page.click('#btn-lesson-undo');
    await waitFor(async () => (await notice(page)).startsWith('Nothing to undo'), { timeout_ms: 5_000, what: '"Nothing to undo"' });
    return `${said}; at ${(after.us / 1e6).toFixed(3)} s, the goal ✗ again`;
  });

  await step('lessons: after a reload the map shows ✓; Show solution plays the crash at 2 s and passes; Leave unlocks', async () => {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('[data-testid=count-produced]', { timeout: 20_000 });
    await page.click('#btn-lessons');
    const item = page.locator(`[data-lesson="${LESSON}"]`);
    await item.waitFor({ timeout: 5_000 });
    const text = (await item.textContent()).trim();
    if (!text.includes('✓') || !(await item.getAttribute('class')).includes('is-done')) throw new Error(`after a reload the item reads "${text}"`);
    const progress = (await page.textContent('[data-testid=lesson-progress]')).trim();
    if (!/^1 of \d+ passed/.test(progress)) throw new Error(`progress: "${progress}"`);
    await page.focus(`[data-lesson="${LESSON}"]`);
    await page.keyboard.press('Escape');
    await page.locator('#lesson-map').waitFor({ state: 'detached', timeout: 5_000 });
    if ((await focusedId(page)) !== 'btn-lessons') throw new Error(`after Escape the focus is on "${await focusedId(page)}"`);
    await openIntro(page);
    await start(page);
    await select('speed', '5');
    await page.click('#btn-solution');
    await waitFor(async () => (await page.getAttribute('#btn-play', 'aria-pressed')) === 'true', { timeout_ms: 5_000, what: 'Show solution to play' });
    await waitFor(async () => (await checks(page, 'lesson-goal'))[0]?.holds, { timeout_ms: 30_000, what: 'the solution to meet the goal' });
    await setPlaying(false);
    const log = await page.evaluate(() => JSON.parse(window.__edaLab.commands()));
    if (log.length !== 1 || log[0].at_us !== 2_000_000 || log[0].command.at !== 'after_effect') throw new Error(`the solution's run recorded ${JSON.stringify(log)}`);
    const judged = await runChallenge(page);
    if (judged.some((c) => !c.holds)) throw new Error(`challenge after the solution: ${JSON.stringify(judged)}`);
    await page.click('#btn-lesson-leave');
    await page.locator('#lesson-panel').waitFor({ state: 'detached', timeout: 5_000 });
    if (await page.isDisabled('#scenario-select')) throw new Error('the scenario picker is still disabled after leaving');
    await page.locator('#settings-panel [data-setting]').first().waitFor({ timeout: 5_000 });
    return `${text} · ${progress}; solution at ${log[0].at_us / 1e6} s passes`;
  });

  await step('lessons: every lesson starts with its controls; its solution, entered with them or shown, passes the challenge', async () => {
    const ids = await lessonIds(page);
    const failures = [];
    let controls = 0;
    for (const id of ids) {
      try {
        if (await checkLesson(page, id, select)) controls += 1;
      } catch (err) {
        failures.push(`${id}: ${err.message}`);
        if (await page.locator('#btn-lesson-leave').count()) await page.click('#btn-lesson-leave');
      }
    }
    if (failures.length) throw new Error(`${failures.length} of ${ids.length} lessons:\n      ${failures.join('\n      ')}`);
    return `${ids.length} lessons pass: ${controls} solutions entered with the panel's controls, ${ids.length - controls} shown`;
  });

  await step('lessons: outside a lesson, a changed setting marks the scenario modified; Restore defaults reloads it as it ships', async () => {
    await load('at-least-once');
    const badge = page.locator('[data-testid=scenario-modified]');
    // The scenario picker keeps the run's seed (here the last lesson's): that alone is a change.
    if (await badge.count()) await page.click('#btn-restore');
    await badge.waitFor({ state: 'detached', timeout: 5_000 });
    await select('idempotency', 'dedup_atomic');
    await badge.waitFor({ timeout: 5_000 });
    await axe(page, 'the modified badge');
    const shot = await shootPanel(page, '.topbar', join(artifacts, 'lessons-modified-badge.png'));
    await page.click('#btn-restore');
    await badge.waitFor({ state: 'detached', timeout: 5_000 });
    const idem = await page.inputValue('#idempotency');
    if (idem !== 'none') throw new Error(`after Restore defaults idempotency is "${idem}"`);
    if ((await snapshot()).produced !== 0) throw new Error('Restore defaults did not restart the run');
    return `${await notice(page)}; ${shot}`;
  });
}

/** Sets a setting with its control in the lesson panel: a picker, a box or a number field. */
async function applySetting(page, path, value) {
  const el = page.locator(`#lesson-panel [data-setting="${path}"]`);
  const kind = await el.evaluate((e) => `${e.tagName}:${e.type ?? ''}`);
  if (kind.startsWith('SELECT')) await el.selectOption(typeof value === 'object' ? value.mode : String(value));
  else if (kind === 'INPUT:checkbox') await (value ? el.check() : el.uncheck());
  else {
    await el.fill(String(value));
    await el.press('Tab');
  }
  const error = await page.locator('#lesson-panel [data-testid=input-error]').count();
  if (error) throw new Error(`${path} = ${JSON.stringify(value)}: ${await page.textContent('#lesson-panel [data-testid=input-error]')}`);
}

/** The ids the map lists. */
async function lessonIds(page) {
  if (!(await page.locator('#lesson-map').count())) await page.click('#btn-lessons');
  await page.locator('#lesson-map .lesson-item').first().waitFor({ timeout: 5_000 });
  return page.$$eval('#lesson-map [data-lesson]', (els) => els.map((e) => e.dataset.lesson));
}

/** Starts lesson `id`, checks its panel (a control per unlocked setting and action, axe), enters
 * or plays its solution and runs the challenge, which must pass; then leaves. Returns whether the
 * solution was entered with the controls. */
async function checkLesson(page, id, select) {
  if (!(await page.locator('#lesson-map').count())) await page.click('#btn-lessons');
  await page.click(`[data-lesson="${id}"]`);
  await page.click('#btn-lesson-start');
  await page.locator('#lesson-panel').waitFor({ timeout: 5_000 });
  const file = JSON.parse(readFileSync(join(here, '..', 'lessons', `${id}.json`), 'utf8'));
  for (const path of file.allowed ?? []) {
    if (!(await page.locator(`#lesson-panel [data-setting="${path}"]`).count())) throw new Error(`no control for the setting ${path}`);
  }
  for (const kind of file.actions ?? []) {
    const sel = kind === 'crash_consumer' ? '#lesson-panel #btn-crash' : `#lesson-panel #btn-lesson-${kind.replaceAll('_', '-')}`;
    if (!(await page.locator(sel).count())) throw new Error(`no button for the action ${kind}`);
  }
  if (!(await page.locator('[data-testid=lesson-goal]').count())) throw new Error('no goal item');
  await axe(page, `the panel of ${id}`);
  // A solution made only of settings is entered with the panel's controls, as a learner would;
  // any other is shown (Show solution) and played through its last command.
  const bySettings = file.solution.every((c) => c.at_ms === 0 && c.command.type === 'set' && c.command.value !== null);
  if (bySettings) {
    for (const c of file.solution) await applySetting(page, c.command.setting, c.command.value);
  } else {
    await select('speed', 'max');
    await page.click('#btn-solution');
    await page.locator('[data-testid=solution-playing]').waitFor({ state: 'detached', timeout: 30_000 });
    if ((await page.getAttribute('#btn-play', 'aria-pressed')) === 'true') await page.click('#btn-play');
  }
  const judged = await runChallenge(page);
  const how = bySettings ? 'entered with the controls' : 'shown';
  if (judged.length === 0 || judged.some((c) => !c.holds)) throw new Error(`the solution ${how} fails: ${judged.filter((c) => !c.holds).map((c) => c.text).join(' | ')}`);
  // The run's share link, put in the address, opens the same lesson run in place, to the bit.
  const shared = await page.evaluate(() => ({ link: window.__edaLab.shareLink(), hash: window.__edaLab.traceHash() }));
  await page.evaluate((link) => { location.hash = link.split('#')[1]; }, shared.link);
  await waitFor(async () => (await notice(page)).startsWith('Opened a shared run of the lesson'), { timeout_ms: 10_000, what: `${id}'s link to open (${await notice(page)})` });
  await page.evaluate(() => history.replaceState(null, '', location.pathname));
  const reopened = await page.evaluate(() => window.__edaLab.traceHash());
  if (reopened !== shared.hash) throw new Error(`its share link opens at trace hash ${reopened}, not ${shared.hash}`);
  if (!(await page.locator('#lesson-panel').count())) throw new Error('its share link opens without the lesson');
  await page.click('#btn-lesson-leave');
  await page.locator('#lesson-panel').waitFor({ state: 'detached', timeout: 5_000 });
  return bySettings;
}

// The message-journey steps of the end-to-end test (e2e.mjs runs them with its helpers): open the
// journey of a duplicated message from the event log, check it against the engine's own report,
// look at it at three sizes (screenshots, axe), and open journeys by keyboard, by a click on a
// moving token and by typing ids.

import { waitFor } from './lib.mjs';
import { audit, describe } from './a11y.mjs';

/** What the journey panel shows. */
const journeyShown = (page) => () =>
  page.evaluate(() => {
    const panel = document.getElementById('journey-panel');
    if (!panel) return null;
    const q = (sel) => panel.querySelector(sel)?.textContent.trim() ?? null;
    return {
      heading: q('#journey-h'),
      outcome: q('[data-testid=journey-outcome]'),
      effects: q('[data-testid=journey-effects]'),
      deliveries: q('[data-testid=journey-deliveries]'),
      note: q('[data-testid=journey-note]'),
      why: q('[data-testid=journey-why-duplicated]'),
      steps: [...panel.querySelectorAll('.journey-steps li')].map((li) => li.textContent.trim()),
      focused: document.activeElement?.id ?? null,
    };
  });

/** The engine's own report of a message (`eda-lab run --journey`), read through the page's hook. */
const journeyReport = (page, id) => page.evaluate((m) => JSON.parse(window.__edaLab.journey(m)), id);

async function closeJourneyWithEscape(page) {
  await page.keyboard.press('Escape');
  await page.locator('#journey-panel').waitFor({ state: 'detached', timeout: 3_000 }).catch(() => {
    throw new Error('Escape did not close the journey');
  });
}

/** Runs the journey steps. */
export async function journeySteps({ page, step, snapshot, select, setPlaying, armCrash, load, assertInViewport, noHorizontalOverflow, viewportShot }) {
  await step('journey: a duplicated message shows its two charges and the crash, at 1440x900, 820x1180 and 390x844', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    await select('speed', '5');
    await armCrash('0', 'after_effect');
    await setPlaying(true);
    await waitFor(async () => (await snapshot()).duplicated > 0, { timeout_ms: 30_000, what: 'count-duplicated > 0' });
    await setPlaying(false);
    const line = page.locator('.log-line .log-open', { hasText: 'duplicate charge for' }).first();
    const id = /evt_\d+/.exec(await line.textContent())?.[0];
    if (!id) throw new Error('no log line names the duplicated message');
    await line.click();
    const shown = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: '#journey-panel' });
    if (!shown.heading.includes(id)) throw new Error(`the panel is about "${shown.heading}", not ${id}`);
    if (shown.focused !== 'journey-h') throw new Error(`opening it left the focus on "${shown.focused}", not its heading`);
    if (!/duplicated/.test(shown.outcome ?? '')) throw new Error(`outcome "${shown.outcome}"`);
    const charges = shown.steps.filter((t) => /charged the card|duplicate charge/.test(t));
    const crashes = shown.steps.filter((t) => /crashed/.test(t));
    if (charges.length !== 2 || crashes.length < 1) throw new Error(`${charges.length} charges and ${crashes.length} crashes in: ${shown.steps.join(' | ')}`);
    if (shown.effects !== '2') throw new Error(`the panel counts ${shown.effects} charges`);
    const report = await journeyReport(page, id);
    // Why it was charged again, beside the outcome, as the engine explains it.
    if (!report.duplicate_cause || shown.why !== `Charged again because ${report.duplicate_cause}.` || !/crashed before a commit covered it/.test(shown.why)) {
      throw new Error(`why duplicated: panel "${shown.why}", engine "${report.duplicate_cause}"`);
    }
    const engine = report.steps.map((s) => s.text);
    if (shown.steps.length !== engine.length || shown.steps.some((t, i) => !t.endsWith(engine[i]))) {
      throw new Error(`the panel's steps differ from the engine's report:\n      ${shown.steps.join('\n      ')}\n      vs\n      ${engine.join('\n      ')}`);
    }
    const sizes = [[1440, 900], [820, 1180], [390, 844]];
    const notes = [];
    for (const [w, h] of sizes) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(150);
      await assertInViewport(`journey at ${w}x${h}`, ['#journey-panel', '#journey-h', '#btn-journey-close']);
      await noHorizontalOverflow(`journey at ${w}x${h}`);
      const { blocking } = await audit(page);
      if (blocking.length) throw new Error(`axe with the journey open at ${w}x${h}:\n      ${describe(blocking).join('\n      ')}`);
      notes.push(await viewportShot(`journey-${w}x${h}`));
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await closeJourneyWithEscape(page);
    const back = await page.evaluate(() => document.activeElement?.closest('.log-lines') !== null && document.activeElement?.classList.contains('log-open'));
    if (!back) throw new Error('closing the journey did not return the focus to the log line that opened it');
    return `${id}: ${charges.length} charges, ${crashes.length} crash(es), ${shown.steps.length} steps as the engine reports them; axe clean at 3 sizes`;
  });

  await step('journey: keyboard on a partition cell and a log line, a click on a moving token, and ids typed into the finder', async () => {
    // A partition cell: Tab reaches it, Enter opens its message's journey, Escape returns to it.
    const cell = page.locator('.cell[role=button]').first();
    await cell.focus();
    const cellId = /evt_\d+/.exec(await cell.getAttribute('aria-label'))?.[0];
    await page.keyboard.press('Enter');
    const viaCell = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: 'the journey of a partition cell' });
    if (!viaCell.heading.includes(cellId)) throw new Error(`Enter on ${cellId}'s cell opened "${viaCell.heading}"`);
    await closeJourneyWithEscape(page);
    const onCell = await page.evaluate(() => document.activeElement?.classList.contains('cell'));
    if (!onCell) throw new Error('Escape did not return the focus to the partition cell');
    // An event-log line: Space opens its message's journey.
    const row = page.locator('.log-line .log-open').first();
    await row.focus();
    const rowId = /evt_\d+/.exec(await row.textContent())?.[0];
    await page.keyboard.press(' ');
    const viaRow = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: 'the journey of a log line' });
    if (!viaRow.heading.includes(rowId)) throw new Error(`Space on a line about ${rowId} opened "${viaRow.heading}"`);
    await closeJourneyWithEscape(page);
    // A moving token: clicked as it passes.
    await select('speed', '0.5');
    await setPlaying(true);
    const tokenId = await waitFor(() => page.evaluate(() => {
      const t = document.querySelector('.tokens path[data-msg]');
      if (!t) return null;
      t.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      return `evt_${t.dataset.msg.padStart(6, '0')}`;
    }), { timeout_ms: 10_000, what: 'a moving token' });
    const viaToken = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: 'the journey of a token' });
    await setPlaying(false);
    if (!viaToken.heading.includes(tokenId)) throw new Error(`a click on ${tokenId}'s token opened "${viaToken.heading}"`);
    await closeJourneyWithEscape(page);
    // Typed ids: a number, an unknown id (never produced, said as the engine says it), a malformed one.
    await page.fill('#journey-search', '3');
    await page.press('#journey-search', 'Enter');
    const three = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: 'the journey of 3' });
    if (!three.heading.includes('evt_000003')) throw new Error(`"3" opened "${three.heading}"`);
    await closeJourneyWithEscape(page);
    await page.fill('#journey-search', 'evt_999999');
    await page.press('#journey-search', 'Enter');
    const unknown = await waitFor(journeyShown(page), { timeout_ms: 3_000, what: 'the journey of evt_999999' });
    const note = (await journeyReport(page, 'evt_999999')).note;
    if (!note || !unknown.note?.includes(note) || unknown.steps.length) throw new Error(`evt_999999 shows ${JSON.stringify(unknown)}; the engine says "${note}"`);
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe with the not-produced note:\n      ${describe(blocking).join('\n      ')}`);
    await closeJourneyWithEscape(page);
    await page.fill('#journey-search', 'abc');
    await page.press('#journey-search', 'Enter');
    const said = await page.locator('#journey-search-error').textContent({ timeout: 3_000 });
    if (!said.includes('abc')) throw new Error(`a malformed id says "${said}"`);
    return `cell ${cellId} by Enter, log line ${rowId} by Space, token ${tokenId} by click; evt_999999: "${unknown.note}"`;
  });
}

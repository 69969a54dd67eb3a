// The dead-letter queue steps of the end-to-end test (e2e.mjs runs them with its helpers): the
// "retries-dlq" lesson parks messages; the table lists them newest first (its count is the diagram's
// and the outcome counter's), each row agrees with the engine's own entry; "Inspect" opens the
// message's journey; after the fix (failure probability 0) "Redrive" takes one out, a refused one
// says why, "Redrive all" empties the queue; the commands replay on the CLI; axe finds nothing
// serious, light and dark, wide and on a phone.

import { audit, describe } from './a11y.mjs';
import { waitFor } from './lib.mjs';

/** What the panel shows. */
const shown = (page) =>
  page.evaluate(() => {
    const panel = document.querySelector('section.dlq');
    if (!panel) return null;
    const t = (el) => el?.textContent.trim() ?? null;
    return {
      count: Number(t(panel.querySelector('[data-testid=dlq-count]'))),
      note: t(panel.querySelector('.panel-note')),
      more: t(panel.querySelector('[data-testid=dlq-more]')),
      answer: t(panel.querySelector('.dlq-answer')),
      redriveAll: !!panel.querySelector('#btn-redrive-all'),
      headers: [...panel.querySelectorAll('thead th')].map((th) => `${th.getAttribute('scope')}:${t(th)}`),
      rows: [...panel.querySelectorAll('tbody tr')].map((tr) => ({
        cells: [...tr.children].map((c) => `${c.tagName === 'TH' ? `${c.getAttribute('scope')}:` : ''}${t(c)}`),
        buttons: [...tr.querySelectorAll('button')].map((b) => b.getAttribute('aria-label')),
      })),
      // The same queue elsewhere on the page: the diagram's box and the outcome counter.
      diagram: document.querySelector('g.node.sink.dlq')?.getAttribute('aria-label') ?? null,
      newest: t(document.querySelector('g.node.sink.dlq .node-sub')),
      deadLettered: Number(t(document.querySelector('[data-testid=count-dead-lettered]'))),
      notice: t(document.querySelector('.intro .notice')),
    };
  });

/** "12.345s", as the page writes a sim time in microseconds. */
const simTime = (us) => `${Math.floor(us / 1e6)}.${String(Math.floor(us / 1e3) % 1000).padStart(3, '0')}s`;

/** Runs the dead-letter queue steps. */
export async function dlqSteps({ page, step, snapshot, select, load, playTo, lastCommand, replayOnCli, screenshot, viewportShot }) {
  await step('dlq: the table lists the dead-letter queue; inspect, redrive one (and a refused one), redrive all', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('retries-dlq');
    const empty = await shown(page);
    if (empty.count !== 0 || empty.rows.length !== 0 || empty.redriveAll) throw new Error(`at 0 s: ${JSON.stringify(empty)}`);
    if (!/^Empty\. A message lands here when .*redrive publishes it again/.test(empty.note)) throw new Error(`the empty queue says "${empty.note}"`);
    // Long enough to park more messages than the table shows.
    await playTo(240, '100');
    const s = await waitFor(async () => {
      const v = await shown(page);
      return v.count > 20 && v;
    }, { timeout_ms: 5_000, what: 'more than 20 dead letters' });
    // One count everywhere: the panel, the diagram's box, the outcome counter (no crashes here, so
    // every parked message is dead-lettered).
    if (s.diagram !== `Dead-letter queue: ${s.count} messages` || s.deadLettered !== s.count) {
      throw new Error(`the panel counts ${s.count}, the diagram "${s.diagram}", the counter ${s.deadLettered}`);
    }
    const want = ['col:Message', 'col:Partition', 'col:Reason', 'col:Attempts', 'col:First failure', 'col:Last failure', 'col:Actions'];
    if (JSON.stringify(s.headers) !== JSON.stringify(want)) throw new Error(`headers ${JSON.stringify(s.headers)}`);
    if (s.rows.length !== 20 || s.more !== `The newest 20 are listed; ${s.count - 20} older ones are not (Redrive all takes them too).`) {
      throw new Error(`${s.rows.length} rows and "${s.more}" for ${s.count} entries`);
    }
    const ids = s.rows.map((r) => r.cells[0].replace('row:', ''));
    if (`newest ${ids[0]}` !== s.newest) throw new Error(`the first row is ${ids[0]}, the diagram says "${s.newest}"`);
    // Every row is the engine's own entry (the journey report carries it).
    for (const [i, r] of s.rows.entries()) {
      const id = ids[i];
      const d = (await page.evaluate((m) => JSON.parse(window.__edaLab.journey(m)), id)).dead_letter;
      const expected = [`row:${id}`, `P${d.lane}`, 'retries exhausted', String(d.attempts), simTime(d.first_failed_at), simTime(d.last_failed_at), 'InspectRedrive'];
      if (JSON.stringify(r.cells) !== JSON.stringify(expected)) throw new Error(`row ${i}: ${JSON.stringify(r.cells)}, the engine: ${JSON.stringify(expected)}`);
      if (d.attempts !== 3) throw new Error(`${id}: ${d.attempts} attempts, not 1 + 2 retries`);
      if (JSON.stringify(r.buttons) !== JSON.stringify([`Inspect ${id}`, `Redrive ${id}`])) throw new Error(`row ${i} buttons: ${r.buttons}`);
    }
    const listShot = await screenshot('dlq-list');

    // Inspect: the journey of that message opens.
    const inspected = ids[2];
    await page.getByRole('button', { name: `Inspect ${inspected}`, exact: true }).click();
    const heading = await page.locator('#journey-h').textContent({ timeout: 3_000 });
    if (!heading.includes(inspected)) throw new Error(`Inspect ${inspected} opened "${heading}"`);
    const outcome = (await page.locator('[data-testid=journey-outcome]').textContent()).trim();
    if (!/dead-lettered/.test(outcome)) throw new Error(`${inspected}'s journey says "${outcome}"`);
    const journeyShot = await viewportShot('dlq-inspect');
    await page.keyboard.press('Escape');
    await page.locator('#journey-panel').waitFor({ state: 'detached', timeout: 3_000 });

    // The fix, then a redrive of one message.
    await page.fill('#set-processing-failure-probability', '0');
    await page.press('#set-processing-failure-probability', 'Tab');
    const target = ids[1];
    await page.getByRole('button', { name: `Redrive ${target}`, exact: true }).click();
    const c = await lastCommand();
    if (c?.type !== 'redrive' || c.msg !== target) throw new Error(`Redrive ${target} recorded ${JSON.stringify(c)}`);
    const one = await shown(page);
    const said = `Applied: redrive ${target} from the dead-letter queue.`;
    if (one.notice !== said || one.answer !== said) throw new Error(`the notice says "${one.notice}", the panel "${one.answer}"`);
    if (one.count !== s.count - 1 || one.rows.some((r) => r.cells[0] === `row:${target}`)) {
      throw new Error(`after the redrive the panel counts ${one.count} (was ${s.count}) and lists ${target}: ${one.rows.some((r) => r.cells[0] === `row:${target}`)}`);
    }
    const line = await page.locator('.log-line', { hasText: `${target} taken out of the dead-letter queue` }).count();
    if (line < 1) throw new Error(`the event log does not say ${target} was taken out`);
    const oneShot = await screenshot('dlq-redrive-one');

    // A stale row (as one drawn before another redrive took its message would be): refused, and
    // the panel says why. The row's button is pointed at the message just redriven.
    const stale = page.getByRole('button', { name: `Redrive ${ids[3]}`, exact: true });
    await stale.evaluate((b, raw) => b.setAttribute('data-msg', raw), String(Number(target.slice(4))));
    await stale.click();
    const refused = await shown(page);
    if (!refused.answer?.startsWith(`Not applied (redrive ${target} from the dead-letter queue): `) || !refused.answer.includes(`${target} is not in the dead-letter queue`)) {
      throw new Error(`a refused redrive shows "${refused.answer}"`);
    }
    if (refused.notice !== refused.answer || refused.count !== one.count) throw new Error(`refused: notice "${refused.notice}", count ${refused.count}`);
    const refusedShot = await viewportShot('dlq-redrive-refused');

    // Redrive all (paused: nothing fails meanwhile): the queue empties, nothing is dead-lettered.
    await page.click('#btn-redrive-all');
    const all = await lastCommand();
    if (all?.type !== 'redrive' || (all.msg ?? null) !== null) throw new Error(`Redrive all recorded ${JSON.stringify(all)}`);
    const after = await shown(page);
    if (after.count !== 0 || after.rows.length !== 0 || after.deadLettered !== 0 || after.redriveAll || !after.note.startsWith('Empty.')) {
      throw new Error(`after Redrive all: ${JSON.stringify({ ...after, rows: after.rows.length })}`);
    }
    if (after.answer !== 'Applied: redrive every message in the dead-letter queue.') throw new Error(`the panel says "${after.answer}"`);
    // With the fix in, the redriven messages are applied and none is parked again.
    await playTo(260, '20');
    const healed = await shown(page);
    const snap = await snapshot();
    if (healed.count !== 0 || snap.dead_lettered !== 0) throw new Error(`after the fix and more play: ${healed.count} parked, ${snap.dead_lettered} dead-lettered`);
    const emptyShot = await screenshot('dlq-redriven-all');
    const { commands } = await replayOnCli('dlq');
    return `${s.count} parked (20 shown); inspected ${inspected}; redrove ${target}, then all; ${commands} command(s) replayed on the CLI; ${listShot} ${journeyShot} ${oneShot} ${refusedShot} ${emptyShot}`;
  });

  await step('dlq: axe finds nothing serious in the table, light and dark, at 1440x900 and 390x844', async () => {
    await load('retries-dlq');
    await playTo(120, '100');
    if ((await shown(page)).rows.length === 0) throw new Error('no dead letters to audit');
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    const start = await theme();
    const notes = [];
    for (const [w, h] of [[1440, 900], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      for (let i = 0; i < 2; i += 1) {
        const { blocking, all } = await audit(page);
        if (blocking.length) throw new Error(`axe at ${w}x${h}, ${await theme()}:\n      ${describe(blocking).join('\n      ')}`);
        await page.locator('section.dlq').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300); // let the scroll and the repaint settle before the screenshot
        notes.push(`${w}x${h} ${await theme()}: ${all.length} minor`);
        await viewportShot(`dlq-${w}x${h}-${await theme()}`);
        await page.click('#theme-toggle');
        await page.waitForTimeout(300);
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    if ((await theme()) !== start) await page.click('#theme-toggle');
    await select('speed', '1');
    return notes.join('; ');
  });
}

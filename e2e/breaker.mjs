// The payments API's outage and the circuit breaker, end to end (e2e.mjs runs these with its
// helpers): in "circuit-breaker" the API goes down at 5 s; the breaker opens, the consumers pause
// (lag grows, nothing is dead-lettered or lost), test calls in half-open find the API back after
// 15 s and it closes. In "dlq-redrive" poison messages are parked at their first 400, the fix is
// deployed at 20 s and the redrive at 22 s empties the queue: every message applied once. axe
// finds nothing serious on the view.

import { audit, describe } from './a11y.mjs';

/** What the breaker panel and the counters show. */
const shown = (page) =>
  page.evaluate(() => {
    const t = (sel) => document.querySelector(sel)?.textContent.trim() ?? null;
    return {
      api: t('[data-testid=api-state]'),
      breaker: document.querySelector('[data-testid=breaker-state]')?.dataset.state ?? null,
      breakerText: t('[data-testid=breaker-state]'),
      current: document.querySelector('.bk-node.bk-on')?.dataset.node ?? null,
      deadLettered: Number(t('[data-testid=count-dead-lettered]')),
      lost: Number(t('[data-testid=count-lost]')),
      inFlight: Number(t('[data-testid=count-in-flight]')),
      produced: Number(t('[data-testid=count-produced]')),
      dlq: Number(t('[data-testid=dlq-count]')),
      log: [...document.querySelectorAll('.event-log li')].map((li) => li.textContent),
    };
  });

export async function breakerSteps({ page, step, load, playTo, screenshot }) {
  await step('breaker: an API outage opens the circuit breaker, the consumers pause, and it closes after', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('circuit-breaker');
    const before = await shown(page);
    if (before.breaker !== 'closed' || before.api !== 'up') throw new Error(`at 0 s: ${JSON.stringify(before)}`);
    await playTo(7, '5');
    const open = await shown(page);
    if (open.api !== 'down (outage: 503)' || open.breaker !== 'open' || open.current !== 'open') {
      throw new Error(`during the outage: ${JSON.stringify({ ...open, log: undefined })}`);
    }
    const openShot = await screenshot('breaker-open');
    await playTo(20, '20');
    const closed = await shown(page);
    if (closed.api !== 'up' || closed.breaker !== 'closed' || closed.current !== 'closed') {
      throw new Error(`after the outage: ${JSON.stringify({ ...closed, log: undefined })}`);
    }
    // Pausing is back-pressure: nothing parked, nothing lost.
    if (closed.deadLettered !== 0 || closed.lost !== 0) throw new Error(`paused consumers lost or parked: ${JSON.stringify(closed)}`);
    // The monitoring panel draws the breaker's states as a band under each chart.
    const bands = await page.evaluate(() => ({
      open: document.querySelectorAll('[data-testid=monitoring] .mon-band.open').length,
      half: document.querySelectorAll('[data-testid=monitoring] .mon-band.half-open').length,
      charts: document.querySelectorAll('[data-testid=monitoring] .mon-grid-charts > *').length,
    }));
    if (bands.open < bands.charts || bands.half < bands.charts) throw new Error(`breaker bands: ${JSON.stringify(bands)}`);
    const closedShot = await screenshot('breaker-closed');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    return `open at 7 s (${openShot}), closed at 20 s (${closedShot}), ${closed.produced} produced, none lost or parked`;
  });

  await step('breaker: poison messages parked at their first 400; after the fix the redrive empties the queue', async () => {
    await load('dlq-redrive');
    await playTo(15, '5');
    const parked = await shown(page);
    if (!(parked.dlq > 0) || parked.deadLettered !== parked.dlq) throw new Error(`before the fix: ${JSON.stringify({ ...parked, log: undefined })}`);
    const parkedShot = await screenshot('dlq-redrive-parked');
    await playTo(26, '20');
    const after = await shown(page);
    if (after.dlq !== 0 || after.deadLettered !== 0 || after.lost !== 0) throw new Error(`after the redrive: ${JSON.stringify({ ...after, log: undefined })}`);
    const afterShot = await screenshot('dlq-redrive-emptied');
    return `${parked.dlq} parked at 15 s (${parkedShot}); none at 26 s (${afterShot})`;
  });
}

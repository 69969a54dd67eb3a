// The monitoring steps of the end-to-end test (e2e.mjs runs them with its helpers): the alert
// rules' controls render in the settings' "Alerts" group; on the retries-dlq lesson a lag alert set
// through them (above 5 messages for 1 s) fires while the lag grows, and its badge appears
// (role=status); the four charts have points, axis labels, the dashed threshold and a tick for the
// command; the event log says the alert fired; axe finds nothing serious; screenshots at two sizes.

import { audit, describe } from './a11y.mjs';
import { waitFor } from './lib.mjs';

/** Runs the monitoring steps. */
export async function monitoringSteps({ page, step, load, playTo, lastCommand, screenshot, viewportShot, replayOnCli }) {
  await step('monitoring: a lag alert set in the settings fires, with its badge, threshold line and charts', async () => {
    await load('retries-dlq');
    const panel = page.locator('[data-testid=monitoring]');
    if ((await panel.count()) !== 1) throw new Error('no monitoring panel');
    const quiet = (await panel.locator('.mon-quiet').first().textContent()).trim();
    if (!quiet.startsWith('No alert rules set')) throw new Error(`before any rule the panel says "${quiet}"`);
    for (const id of ['alerts-lag-above', 'alerts-lag-for-ms', 'alerts-error-rate-above', 'alerts-p99-above-ms', 'alerts-dlq-growing']) {
      if ((await page.locator(`#set-${id}`).count()) !== 1) throw new Error(`no control #set-${id}`);
    }
    // Lag above 5 messages for 1 s: typing the threshold unticks "off".
    if (!(await page.isChecked('#set-alerts-lag-above-none'))) throw new Error('the lag rule is not "off" at first');
    await page.fill('#set-alerts-lag-above', '5');
    await page.press('#set-alerts-lag-above', 'Enter');
    let c = await lastCommand();
    if (c?.type !== 'set' || c.setting !== 'alerts.lag_above' || c.value !== 5) throw new Error(`the lag threshold recorded ${JSON.stringify(c)}`);
    if (await page.isChecked('#set-alerts-lag-above-none')) throw new Error('"off" is still ticked after a threshold was set');
    await page.fill('#set-alerts-lag-for-ms', '1000');
    await page.press('#set-alerts-lag-for-ms', 'Enter');
    c = await lastCommand();
    if (c?.setting !== 'alerts.lag_for_ms' || c.value !== 1000) throw new Error(`the lag time recorded ${JSON.stringify(c)}`);
    await playTo(40);
    const badge = page.locator('[data-testid=alert-badge]');
    const text = await waitFor(async () => (await badge.count()) > 0 && (await badge.first().textContent()).trim(), {
      timeout_ms: 10_000, what: 'an alert badge',
    });
    if (text !== 'ALERT: lag above 5 messages for 1 s') throw new Error(`the badge says "${text}"`);
    if ((await badge.first().getAttribute('role')) !== 'status') throw new Error('the badge has no role=status');
    const charts = await panel.locator('figure.mon-chart').evaluateAll((fs) => fs.map((f) => ({
      title: f.querySelector('.mon-title').textContent,
      points: [...f.querySelectorAll('path.mon-line')].map((p) => (p.getAttribute('d').match(/[ML]/g) ?? []).length),
      ticks: [...f.querySelectorAll('text.mon-tick')].map((t) => t.textContent),
      threshold: f.querySelector('.mon-threshold text')?.textContent ?? null,
      marks: f.querySelectorAll('.mon-mark.command').length,
    })));
    const titles = ['Consumer lag', 'Error rate', 'Payments API load', 'DLQ size', 'Time in system'];
    if (JSON.stringify(charts.map((c) => c.title.split(/ (messages|%|calls|ms)/)[0])) !== JSON.stringify(titles)) throw new Error(`charts ${JSON.stringify(charts.map((c) => c.title))}`);
    for (const ch of charts) {
      if (ch.points.some((n) => n > 120)) throw new Error(`${ch.title}: a line has more than 120 points (${ch.points})`);
      if (ch.ticks.length !== 4 || !ch.ticks[3].endsWith(' s')) throw new Error(`${ch.title}: axis labels ${JSON.stringify(ch.ticks)}`);
      if (ch.marks < 2) throw new Error(`${ch.title}: ${ch.marks} command ticks, not 2`);
    }
    const lag = charts[0];
    if (lag.points[0] < 20) throw new Error(`the lag line has ${lag.points[0]} points`);
    if (lag.threshold !== 'alert 5') throw new Error(`the lag chart's threshold says ${lag.threshold}`);
    if (charts[4].points.filter((n) => n > 5).length !== 3) throw new Error(`latency lines: ${charts[4].points}`);
    if (!(charts[2].points[0] > 20)) throw new Error(`the API load line has ${charts[2].points[0]} points`);
    // The alert's line among the notable events (the log keeps only its newest lines).
    await page.check('#log-notable');
    const fired = await page.locator('.log-line', { hasText: 'ALERT consumer lag' }).count();
    await page.uncheck('#log-notable');
    if (fired < 1) throw new Error('the notable events have no "ALERT consumer lag" line');
    const { blocking, all } = await audit(page);
    if (blocking.length) throw new Error(`axe: ${describe(blocking)}`);
    await panel.scrollIntoViewIfNeeded();
    const wide = await viewportShot('monitoring-wide');
    // Focus leaves the settings used above (a drawer at 390 px shows while it holds focus).
    await page.evaluate(() => document.activeElement?.blur());
    await page.setViewportSize({ width: 390, height: 844 });
    // If the drawer is open, close it to see the panel.
    if ((await page.getAttribute('#btn-settings', 'aria-expanded')) === 'true') {
      await page.focus('#set-alerts-lag-for-ms');
      await page.keyboard.press('Escape');
      await waitFor(async () => (await page.getAttribute('#btn-settings', 'aria-expanded')) === 'false', { timeout_ms: 3_000, what: 'Escape to close the drawer' });
      await page.locator('#set-alerts-lag-for-ms').waitFor({ state: 'hidden', timeout: 3_000 });
    }
    // The drawer slides away when the page narrows: wait until it is out of sight.
    await waitFor(() => page.evaluate(() => {
      const r = document.querySelector('#settings-panel')?.getBoundingClientRect();
      return !r || r.height === 0 || r.top >= innerHeight || getComputedStyle(document.querySelector('#settings-panel')).visibility === 'hidden';
    }), { timeout_ms: 3_000, what: 'the settings drawer to close' });
    await panel.scrollIntoViewIfNeeded();
    const phone = await viewportShot('monitoring-phone');
    const narrow = await audit(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    if (narrow.blocking.length) throw new Error(`axe at 390 px: ${describe(narrow.blocking)}`);
    const { commands } = await replayOnCli('monitoring');
    return `"${text}"; lines ${charts.map((ch) => `${ch.title} ${ch.points.join('/')}`).join(', ')}; axe: ${all.length} minor; ${commands} command(s) replayed; ${wide}, ${phone}`;
  });

  await step('monitoring: a scheduled fault is a tick on every chart, named in its tooltip', async () => {
    await load('auto-commit');
    await playTo(4);
    const marks = await page.locator('[data-testid=monitoring] figure.mon-chart').evaluateAll((fs) =>
      fs.map((f) => [...f.querySelectorAll('.mon-mark.fault title')].map((t) => t.textContent)));
    if (marks.length !== 5 || marks.some((m) => m.length < 1)) throw new Error(`fault ticks per chart: ${JSON.stringify(marks)}`);
    if (!/^fault at 1\.3 s: crash consumer 0/.test(marks[0][0])) throw new Error(`the tick says "${marks[0][0]}"`);
    await page.locator('[data-testid=monitoring]').scrollIntoViewIfNeeded();
    const shot = await viewportShot('monitoring-fault-tick');
    return `"${marks[0][0]}"; ${shot}`;
  });
}

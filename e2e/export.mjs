// "Export as code", end to end (e2e.mjs runs this with its helpers). The panel shows the run's
// scenario as confluent-kafka code by default, committing after the handler for at-least-once;
// picking pika on a queue scenario shows its basic_qos, which follows a prefetch changed in the
// settings panel; each setting in the list focuses its control (on a narrow screen, after opening
// the settings drawer). axe finds nothing serious in the panel.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

async function axe(page, what) {
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, ${what}:\n      ${describe(blocking).join('\n      ')}`);
}

const code = (page) => page.textContent('[data-testid=export-code]');
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-setting') ?? document.activeElement?.id ?? '');

/** Clicks the list's button for `path` and waits until its control has the focus. */
async function goTo(page, path) {
  await page.click(`.export-setting[data-path="${path}"]`);
  await waitFor(async () => (await focused(page)) === path, { timeout_ms: 5_000, what: `the control of ${path} to have the focus` });
}

export async function exportSteps({ page, step, load, artifacts }) {
  await step('export: confluent-kafka code for at-least-once commits after the handler; a setting in the list focuses its control', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    const target = await page.getAttribute('[data-testid=export-code]', 'data-target');
    if (target !== 'confluent-kafka') throw new Error(`the panel shows ${target} code first`);
    const c = await code(page);
    const handled = c.indexOf('outcome = handle(');
    const committed = c.indexOf('consumer.commit(message=msg, asynchronous=False)');
    if (handled < 0 || committed < handled) throw new Error(`the commit is not after the handler (handle at ${handled}, commit at ${committed})`);
    if (!c.includes('"enable.auto.commit": False,') || !c.includes('"acks": "all",')) throw new Error('the consumer or producer configuration is not the scenario\'s');
    const listed = await page.$$eval('.export-setting', (bs) => bs.map((b) => b.getAttribute('data-path')));
    for (const path of ['producer.acks', 'consumers.commit', 'processing.retry.max_retries']) {
      if (!listed.includes(path)) throw new Error(`the list lacks ${path}: ${listed.join(', ')}`);
    }
    await goTo(page, 'consumers.commit');
    await goTo(page, 'processing.retry.max_retries');
    await axe(page, 'the export panel');
    const shot = await shootPanel(page, 'section.export', join(artifacts, 'export-panel.png'));
    return `${c.split('\n').length} lines, ${listed.length} settings listed; ${shot}`;
  });

  await step('export: pika on a queue scenario declares basic_qos, which follows the prefetch set in the settings panel', async () => {
    await load('work-queue');
    await page.selectOption('#export-target', 'pika');
    await waitFor(async () => (await code(page)).includes('channel.basic_qos(prefetch_count=1)'), { timeout_ms: 5_000, what: 'pika code with basic_qos(prefetch_count=1)' });
    await page.fill('[data-setting="queue.prefetch"]', '4');
    await page.press('[data-setting="queue.prefetch"]', 'Enter');
    await waitFor(async () => (await code(page)).includes('channel.basic_qos(prefetch_count=4)'), { timeout_ms: 5_000, what: 'basic_qos to follow the prefetch' });
    await goTo(page, 'queue.prefetch');
    await page.click('#export-copy');
    await waitFor(async () => (await page.textContent('[data-testid=export-said]')).trim() !== '', { timeout_ms: 5_000, what: 'the copy to say how it went' });
    const said = (await page.textContent('[data-testid=export-said]')).trim();
    await axe(page, 'the export panel with pika code');
    const shot = await shootPanel(page, 'section.export', join(artifacts, 'export-panel-pika.png'));
    return `${said} ${shot}`;
  });

  await step('export: on a narrow screen a setting in the list opens the settings drawer and focuses its control', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    try {
      await load('at-least-once');
      const open = await page.$('#settings-panel.is-open');
      if (open) throw new Error('the settings drawer is open before the click');
      await goTo(page, 'producer.acks');
      if (!(await page.$('#settings-panel.is-open'))) throw new Error('the drawer did not open');
      await page.keyboard.press('Escape');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
}

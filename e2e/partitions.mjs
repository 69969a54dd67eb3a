// The partition steps of the end-to-end test (e2e.mjs runs them with its helpers): "Add partition"
// grows the running topic as Kafka's `kafka-topics.sh --alter --partitions N` does, by keyboard;
// the new partition is drawn, gets an owner after the rebalance and is read; the event log says how
// many keys moved; the command is recorded and replays on the CLI; axe finds nothing serious; at the
// most partitions the button is disabled and says why.

import { audit, describe } from './a11y.mjs';
import { waitFor } from './lib.mjs';

/** The partitions the diagram draws: each one's accessible name. */
const partitionLabels = (page) =>
  page.evaluate(() => [...document.querySelectorAll('.topology g.partition')].map((g) => g.getAttribute('aria-label')));

/** Runs the partition steps. */
export async function partitionSteps({ page, step, snapshot, load, playTo, lastCommand, replayOnCli, screenshot }) {
  await step('partitions: "Add partition" (by keyboard) grows the live topic, keys remap, the new partition is read', async () => {
    await load('at-least-once');
    await playTo(3);
    const before = await partitionLabels(page);
    if (before.length !== 3) throw new Error(`the diagram draws ${before.length} partitions, not 3`);
    const button = page.getByRole('button', { name: 'Add partition' });
    if ((await button.count()) !== 1) throw new Error('no button named "Add partition"');
    // Keyboard: the button takes focus and Enter presses it.
    await button.focus();
    const focused = await page.evaluate(() => document.activeElement?.id);
    if (focused !== 'btn-add-partition') throw new Error(`focus is on #${focused}, not the button`);
    await page.keyboard.press('Enter');
    const c = await lastCommand();
    if (c?.type !== 'add_partitions' || c.count !== 4) throw new Error(`the button recorded ${JSON.stringify(c)}`);
    const said = (await page.locator('.notice').textContent()).trim();
    if (said !== 'Applied: grow the topic to 4 partitions.') throw new Error(`the notice says "${said}"`);
    const count = (await page.locator('[data-testid=partition-count]').textContent()).trim();
    if (count !== 'Topic “orders”: 4 partitions') throw new Error(`the topic says "${count}"`);
    const after = await partitionLabels(page);
    if (after.length !== 4 || !after[3].startsWith('Partition 3: log end offset 0')) throw new Error(`after the click: ${JSON.stringify(after)}`);
    const line = page.locator('.log-line', { hasText: 'topic grew from 3 to 4 partitions' });
    const text = (await line.first().textContent({ timeout: 5_000 })).trim();
    if (!/\d+ of \d+ keys now go to another partition; records already written stay where they are, so a moved key's order is not kept across the change/.test(text)) {
      throw new Error(`the event log says "${text}"`);
    }
    // Records already written stayed: the old partitions' log end offsets did not move back.
    const ends = (labels) => labels.map((l) => Number(/log end offset (\d+)/.exec(l)[1]));
    if (ends(after).slice(0, 3).some((e, i) => e < ends(before)[i])) throw new Error(`log ends went back: ${ends(before)} -> ${ends(after)}`);
    await playTo(12);
    const read = await waitFor(async () => {
      const p3 = (await partitionLabels(page))[3];
      const committed = Number(/committed offset (\d+)/.exec(p3)?.[1]);
      return /read by consumer \d+/.test(p3) && committed > 0 && p3;
    }, { timeout_ms: 5_000, what: 'partition 3 to have an owner and a committed offset' });
    const { blocking, all } = await audit(page);
    if (blocking.length) throw new Error(`axe: ${describe(blocking)}`);
    // The remapping line among the notable events, for the screenshot.
    await page.check('#log-notable');
    const notable = await page.locator('.log-line', { hasText: 'topic grew from 3 to 4 partitions' }).count();
    if (notable !== 1) throw new Error(`"Notable only" shows the remapping line ${notable} times`);
    const shot = await screenshot('add-partition');
    await page.uncheck('#log-notable');
    const { commands } = await replayOnCli('add-partition');
    const s = await snapshot();
    return `${read}; "${text.slice(0, 90)}…"; axe: ${all.length} minor; ${commands} command(s) replayed on the CLI, trace ${s.trace_hash}; ${shot}`;
  });

  await step('partitions: at 64 partitions "Add partition" is disabled and says why', async () => {
    await load('at-least-once');
    const button = page.locator('#btn-add-partition');
    for (let n = 4; n <= 64; n += 1) {
      await button.click();
    }
    const count = (await page.locator('[data-testid=partition-count]').textContent()).trim();
    if (count !== 'Topic “orders”: 64 partitions') throw new Error(`the topic says "${count}"`);
    if (!(await button.isDisabled())) throw new Error('the button is still enabled at 64 partitions');
    const why = (await page.locator('#add-partition-help').textContent()).trim();
    if (why !== 'The topic has 64 partitions, the most this simulator allows.') throw new Error(`the help says "${why}"`);
    const labels = await partitionLabels(page);
    if (labels.length !== 64) throw new Error(`the diagram draws ${labels.length} partitions`);
    await load('at-least-once');
    return 'disabled, with its reason';
  });
}

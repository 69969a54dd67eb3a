// Publish-subscribe on the log broker (e2e.mjs runs these steps with its helpers): the
// "consumer-groups" lesson draws one topic read by three consumer groups, each group's consumers
// named by it; a shipping consumer that crashes after its effect, before its commit, makes shipping
// (and only shipping) apply a message twice; the lag panel shows each group; the run replays on the
// CLI. "stream-replay" starts a group at 20 s that reads the topic from its first record. axe finds
// nothing serious on either.

import { audit, describe } from './a11y.mjs';

const diagram = (page) =>
  page.evaluate(() => ({
    heads: [...document.querySelectorAll('.col-heads text')].map((t) => t.textContent),
    consumers: [...document.querySelectorAll('g.node.consumer')].map((g) => g.getAttribute('aria-label')),
    partitions: [...document.querySelectorAll('g.node.partition')].map((g) => g.getAttribute('aria-label')),
    lags: [...document.querySelectorAll('.lag-list.by-group .lag-row')].map((r) => r.getAttribute('aria-label')),
  }));

export async function groupSteps({ page, step, snapshot, load, playTo, replayOnCli, screenshot }) {
  await step('consumer groups: three groups read one topic at their own pace; a crash duplicates in one group only', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('consumer-groups');
    const d = await diagram(page);
    if (JSON.stringify(d.heads) !== JSON.stringify(['Topic “orders” · partitions (newest →)', 'A consumer group per subscriber'])) {
      throw new Error(`headings ${JSON.stringify(d.heads)}`);
    }
    const leads = d.consumers.map((c) => c.split(' · ')[0]);
    const want = ['billing C0', 'billing C1', 'shipping C0', 'analytics C0'];
    if (JSON.stringify(leads) !== JSON.stringify(want)) throw new Error(`consumers: ${JSON.stringify(leads)}`);
    if (d.partitions.length !== 4 || !d.partitions[0].includes('group billing committed 0') || !d.partitions[0].includes('group analytics committed 0')) {
      throw new Error(`partition label: ${d.partitions[0]}`);
    }
    // The fault schedule crashes shipping C0 at 10 s, after its effect and before its commit; the
    // group rebalances when the old member's session (6 s) has timed out.
    await playTo(20, '5');
    const s = await snapshot();
    if (s.duplicated < 1 || s.balanced !== 'true') throw new Error(`after 20 s: ${JSON.stringify(s)}`);
    await page.check('#log-notable');
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    await page.uncheck('#log-notable');
    const again = log.find((l) => /shipping: duplicate: consumer 0 applied evt_\d+ again, though this subscriber had already/.test(l));
    if (!again) throw new Error(`the event log does not tell whose duplicate it was:\n      ${log.slice(-12).join('\n      ')}`);
    if (log.some((l) => /(billing|analytics): duplicate/.test(l))) throw new Error('another group duplicated');
    const lags = (await diagram(page)).lags;
    if (lags.length !== 3 || !lags[1].startsWith('Group shipping lag')) throw new Error(`lag per group: ${JSON.stringify(lags)}`);
    const shot = await screenshot('consumer-groups');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('consumer-groups');
    const subs = (report.subscribers ?? []).map((x) => `${x.name}:${x.crashes}:${x.extra_effects_from_duplicates}:${x.group ? 'group' : 'queue'}`);
    const wantSubs = ['billing:0:0:group', 'shipping:1:1:group', 'analytics:0:0:group'];
    if (JSON.stringify(subs) !== JSON.stringify(wantSubs)) throw new Error(`the CLI's subscribers: ${JSON.stringify(subs)}`);
    return `${s.duplicated} duplicated; "${again.trim()}"; ${lags.join(', ')}; ${shot}`;
  });

  await step('stream replay: a group started at 20 s reads the topic from its first record', async () => {
    await load('stream-replay');
    const before = (await diagram(page)).consumers.find((c) => c.startsWith('analytics C0'));
    if (!before || !before.includes('scheduled: starts at 20.0 s')) throw new Error(`analytics before its start: ${before}`);
    // Just past the start, slowly: the replay's first reads are still in the event log.
    await playTo(19.9, '5');
    // Slow motion, so the pause lands within a few ms of 20.05 s even on a busy machine (the
    // replay fills the log quickly).
    await playTo(20.05, '0.25');
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    const started = log.find((l) => /analytics: the subscriber starts: a new consumer group, with no committed offsets, so each partition starts where auto\.offset\.reset says \(earliest/.test(l));
    if (!started) throw new Error(`the event log does not tell the start:\n      ${log.slice(-12).join('\n      ')}`);
    const replayed = log.find((l) => /analytics: consumer 0 received evt_\d+ from partition \d @ offset 0/.test(l));
    if (!replayed) throw new Error(`analytics did not read from offset 0:\n      ${log.slice(-12).join('\n      ')}`);
    await playTo(30, '5');
    const s = await snapshot();
    if (s.lost !== 0 || s.balanced !== 'true') throw new Error(`after 30 s: ${JSON.stringify(s)}`);
    const shot = await screenshot('stream-replay');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    await replayOnCli('stream-replay');
    return `"${started.trim().slice(0, 90)}…"; ${s.exactly_once} applied once by both; ${shot}`;
  });
}

// "stream-vs-queue": both brokers in one scenario. Billing reads the topic as a consumer group and
// its own queue behind a fanout exchange; at 20 s an analytics service starts on each side. The
// group replays the topic; the queue, declared at 20 s, gets only what comes after.
export async function streamVsQueueStep({ page, step, snapshot, load, playTo, replayOnCli, screenshot }) {
  await step('stream vs queue: a late group replays the topic, a late queue gets only what comes after', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('stream-vs-queue');
    const d = await diagram(page);
    if (JSON.stringify(d.heads) !== JSON.stringify(['Topic “orders” · queues (fanout)', 'Consumer groups · queue consumers'])) {
      throw new Error(`headings ${JSON.stringify(d.heads)}`);
    }
    const leads = d.consumers.map((c) => c.split(' · ')[0]);
    const want = ['stream-billing C0', 'stream-billing C1', 'stream-analytics C0', 'queue-billing C0', 'queue-billing C1', 'queue-analytics C0'];
    if (JSON.stringify(leads) !== JSON.stringify(want)) throw new Error(`consumers: ${JSON.stringify(leads)}`);
    const queues = await page.$$eval('g.node.queue', (gs) => gs.map((g) => g.getAttribute('aria-label')));
    if (queues.length !== 2 || d.partitions.length !== 5) throw new Error(`${d.partitions.length} rows, queues ${JSON.stringify(queues)}`);
    await playTo(40, '5');
    const s = await snapshot();
    if (s.lost !== 0 || s.balanced !== 'true') throw new Error(`after 40 s: ${JSON.stringify(s)}`);
    const lags = (await diagram(page)).lags;
    if (lags.length !== 2 || !lags[1].startsWith('Group stream-analytics lag')) throw new Error(`lag per group: ${JSON.stringify(lags)}`);
    const depth = await page.$$eval('.lag-list.by-group ~ p.help', (ps) => ps.map((p) => p.textContent));
    if (!depth.some((p) => p.startsWith('queue-analytics: '))) throw new Error(`queue depths: ${JSON.stringify(depth)}`);
    const shot = await screenshot('stream-vs-queue');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('stream-vs-queue');
    const effects = Object.fromEntries((report.subscribers ?? []).map((x) => [x.name, [x.effects_applied, x.group ? 'group' : 'queue']]));
    const [billing, analytics, late] = [effects['stream-billing'], effects['stream-analytics'], effects['queue-analytics']];
    if (analytics?.[1] !== 'group' || late?.[1] !== 'queue' || effects['queue-billing']?.[1] !== 'queue') throw new Error(`the CLI's subscribers: ${JSON.stringify(effects)}`);
    if (analytics[0] < billing[0] - 5) throw new Error(`the late group did not replay: ${JSON.stringify(effects)}`);
    if (late[0] * 10 > report.produced * 6) throw new Error(`the late queue got what came before it: ${JSON.stringify(effects)} of ${report.produced}`);
    return `effects ${JSON.stringify(effects)} of ${report.produced}; ${shot}`;
  });
}

import { execFileSync } from 'node:child_process';
// The queue broker's steps of the end-to-end test (e2e.mjs runs them with its helpers): the
// "work-queue" lesson draws one queue and three competing consumers; a consumer that crashes after
// the charge, before its ack, returns the delivery to the queue flagged redelivered, another
// consumer charges again (a duplicate), and the event log says so in RabbitMQ's words; the run
// replays on the CLI to the same trace hash. "queue-dlx" dead-letters what expires, what a full
// queue drops and what consumers give up on, each with its reason. "auto-ack-loss" loses instead.
// axe finds nothing serious on any.

import { audit, describe } from './a11y.mjs';

const diagram = (page) =>
  page.evaluate(() => ({
    queue: document.querySelector('g.node.queue')?.getAttribute('aria-label') ?? null,
    partitions: document.querySelectorAll('g.node.partition:not(.queue)').length,
    heads: [...document.querySelectorAll('.col-heads text')].map((t) => t.textContent),
    consumers: [...document.querySelectorAll('g.node.consumer')].map((g) => g.getAttribute('aria-label')),
    producer: document.querySelector('g.node.producer')?.getAttribute('aria-label') ?? null,
  }));

export async function queueSteps({ page, step, cli, snapshot, load, playTo, replayOnCli, screenshot }) {
  await step('queue: competing consumers, a crash before the ack redelivers and duplicates; replays on the CLI', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('work-queue');
    const d = await diagram(page);
    if (!d.queue || !d.queue.startsWith('Queue orders: 0 ready')) throw new Error(`queue box: ${d.queue}`);
    if (d.partitions !== 0) throw new Error(`${d.partitions} partition rows drawn on the queue broker`);
    if (JSON.stringify(d.heads) !== JSON.stringify(['Queue “orders” (next out →)', 'Competing consumers'])) throw new Error(`headings ${JSON.stringify(d.heads)}`);
    if (d.consumers.length !== 3 || !d.consumers.every((c) => c.includes('competes for the queue, 0 unacknowledged of at most 1'))) {
      throw new Error(`consumers: ${d.consumers.join(' | ')}`);
    }
    if (!d.producer.includes('publisher') || !d.producer.includes('waits for publisher confirms')) throw new Error(`producer: ${d.producer}`);
    // The settings panel shows the queue's settings, not the ones only a log reads.
    const controls = await page.evaluate(() => ['queue-prefetch', 'queue-message-ttl-ms', 'consumers-session-timeout-ms', 'topic-partitions', 'producer-idempotent']
      .map((id) => Boolean(document.querySelector(`#set-${id}`))));
    if (JSON.stringify(controls) !== JSON.stringify([true, true, false, false, false])) throw new Error(`settings shown on the queue broker: ${JSON.stringify(controls)}`);
    await playTo(12, '5');
    const s = await snapshot();
    if (s.duplicated < 1) throw new Error(`no duplicate after 12 s: ${JSON.stringify(s)}`);
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    const redelivered = log.find((l) => /flagged redelivered/.test(l));
    const requeued = log.find((l) => /connection closed with \d+ unacknowledged deliver/.test(l));
    if (!redelivered || !requeued) throw new Error(`the event log does not tell the redelivery:\n      ${log.slice(-12).join('\n      ')}`);
    if (log.some((l) => /partition|offset/.test(l))) throw new Error(`a queue run speaks of partitions: ${log.find((l) => /partition|offset/.test(l))}`);
    // A broker restart (durable queue, persistent messages): the connections close, the
    // deliveries in hand go back to the queue, nothing is lost; the CLI replays it too.
    await page.click('#btn-restart-broker');
    const restarted = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent).find((l) => /the broker restarted: every connection closed, \d+ unacknowledged deliveries went back to the queue, 0 messages were lost/.test(l)));
    if (!restarted) throw new Error('the event log does not tell the broker restart');
    if ((await snapshot()).lost !== 0) throw new Error('a restart of a durable queue with persistent messages lost messages');
    const shot = await screenshot('queue-work-queue');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('work-queue');
    if (!report.queue || report.queue.redelivered < 1) throw new Error(`the CLI's report has no queue with a redelivery: ${JSON.stringify(report.queue)}`);
    return `${s.duplicated} duplicated; "${requeued.trim()}"; ${shot}`;
  });

  await step('queue: TTL, max length and rejects feed the dead-letter queue, each with its reason', async () => {
    await load('queue-dlx');
    await playTo(20, '5');
    const s = await snapshot();
    if (s.dead_lettered < 10 || s.lost !== 0) throw new Error(`after 20 s: ${JSON.stringify(s)}`);
    const reasons = await page.$$eval('section.dlq tbody tr', (rows) => rows.map((r) => r.children[2]?.textContent ?? ''));
    const has = (re) => reasons.some((r) => re.test(r));
    if (!has(/expired in the queue \(x-death reason expired\)/) || !has(/dropped from the head of the full queue \(x-death reason maxlen\)/)) {
      throw new Error(`dead-letter reasons: ${JSON.stringify(reasons)}`);
    }
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    if (!log.some((l) => /expired at the head of the queue \(message TTL\): dead-lettered, x-death reason expired/.test(l))
      && !log.some((l) => /dropped from the head of the full queue \(x-max-length\): dead-lettered, x-death reason maxlen/.test(l))) {
      throw new Error(`the event log does not tell the drops:\n      ${log.slice(-12).join('\n      ')}`);
    }
    const shot = await screenshot('queue-dlx');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    await replayOnCli('queue-dlx');
    return `${s.dead_lettered} dead-lettered; ${shot}`;
  });

  await step('queue: auto-ack loses what a crash drops', async () => {
    await load('auto-ack-loss');
    await playTo(12, '5');
    const s = await snapshot();
    if (s.lost < 1 || s.duplicated !== 0) throw new Error(`after 12 s: ${JSON.stringify(s)}`);
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    const lost = log.find((l) => /lost: acknowledged to the queue on delivery/.test(l));
    if (!lost) throw new Error(`no loss told in the event log:\n      ${log.slice(-12).join('\n      ')}`);
    const shot = await screenshot('queue-auto-ack-loss');
    return `${s.lost} lost; ${shot}`;
  });

  await step('pub/sub: a fanout exchange feeds a queue per subscriber; a crash duplicates for one subscriber only', async () => {
    await load('pubsub-fanout');
    const d = await diagram(page);
    const queues = await page.$$eval('g.node.queue', (gs) => gs.map((g) => g.getAttribute('aria-label')));
    const names = queues.map((q) => q.split(':')[0]);
    if (JSON.stringify(names) !== JSON.stringify(['Queue email', 'Queue sms', 'Queue push'])) throw new Error(`queues: ${JSON.stringify(queues)}`);
    if (JSON.stringify(d.heads) !== JSON.stringify(['Fanout → a queue per subscriber', "Subscribers' consumers"])) throw new Error(`headings ${JSON.stringify(d.heads)}`);
    const leads = d.consumers.map((c) => c.split(' · ')[0]);
    const want = ['email C0', 'sms C0', 'sms C1', 'push C0', 'push C1', 'push C2'];
    if (JSON.stringify(leads) !== JSON.stringify(want)) throw new Error(`consumers: ${JSON.stringify(leads)}`);
    if (!d.consumers[1].includes('of subscriber sms, competes for queue sms')) throw new Error(`consumer label: ${d.consumers[1]}`);
    const services = await page.$eval('g.node.sink:not(.dlq)', (g) => g.getAttribute('aria-label'));
    if (!services.startsWith("The subscribers' services: 0 effects")) throw new Error(`services: ${services}`);
    // The fault schedule crashes sms C0 at 10 s, after its effect and before its ack.
    await playTo(16, '5');
    const s = await snapshot();
    if (s.duplicated < 1) throw new Error(`no duplicate after 16 s: ${JSON.stringify(s)}`);
    // The duplicate among the notable events (the log keeps only its newest lines).
    await page.check('#log-notable');
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    await page.uncheck('#log-notable');
    const again = log.find((l) => /sms: duplicate: consumer \d applied evt_\d+ again, though this subscriber had already/.test(l));
    if (!again) throw new Error(`the event log does not tell whose duplicate it was:\n      ${log.slice(-12).join('\n      ')}`);
    if (log.some((l) => /(email|push): duplicate/.test(l))) throw new Error('another subscriber duplicated');
    // Push fails 30% of its attempts: what it gives up on is parked, in its own dead-letter queue.
    const places = await page.$$eval('section.dlq tbody tr', (rows) => rows.map((r) => r.children[1]?.textContent ?? ''));
    if (!places.length || !places.every((p) => p === 'push')) throw new Error(`dead letters' queues: ${JSON.stringify(places)}`);
    // A consumer of another subscriber crashes from its box: it is that subscriber's consumer.
    await page.click('g.node.consumer[aria-label^="push C1"]');
    const crashed = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent).find((l) => /push: consumer 1 crashed/.test(l)));
    if (!crashed) throw new Error('clicking push C1 did not crash it');
    const shot = await screenshot('pubsub-fanout');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('pubsub-fanout');
    const subs = (report.subscribers ?? []).map((x) => `${x.name}:${x.crashes}`);
    if (JSON.stringify(subs) !== JSON.stringify(['email:0', 'sms:1', 'push:1'])) throw new Error(`the CLI's subscribers: ${JSON.stringify(subs)}`);
    return `${s.duplicated} duplicated, ${places.length} parked by push; "${again.trim()}"; ${shot}`;
  });

  await step('topic routing: each queue gets what its pattern matches; a message no binding matches is lost as unroutable', async () => {
    await load('topic-routing');
    const d = await diagram(page);
    if (d.heads[0] !== 'Topic exchange → queues by pattern') throw new Error(`headings ${JSON.stringify(d.heads)}`);
    const queues = await page.$$eval('g.node.queue', (gs) => gs.map((g) => g.getAttribute('aria-label').split(':')[0]));
    const want = ['Queue email, bound with order.*', 'Queue shipping, bound with order.placed', 'Queue refunds, bound with payment.#'];
    if (JSON.stringify(queues) !== JSON.stringify(want)) throw new Error(`queues: ${JSON.stringify(queues)}`);
    await playTo(10, '5');
    const s = await snapshot();
    if (s.lost < 1 || s.duplicated !== 0 || s.balanced !== 'true') throw new Error(`after 10 s: ${JSON.stringify(s)}`);
    await page.check('#log-notable');
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    await page.uncheck('#log-notable');
    const dropped = log.find((l) => /evt_\d+ customer\.updated is unroutable: no queue's binding matches its routing key, so the topic exchange drops it/.test(l));
    if (!dropped) throw new Error(`the event log does not tell the unroutable message:\n      ${log.slice(-12).join('\n      ')}`);
    if (log.some((l) => /(order|payment)\.\w+ is unroutable/.test(l))) throw new Error('a routable event type was dropped');
    const reasons = await page.$$eval('.reasons li', (ls) => ls.map((l) => l.textContent));
    if (!reasons.some((r) => /unroutable/.test(r))) throw new Error(`loss reasons: ${JSON.stringify(reasons)}`);
    const shot = await screenshot('topic-routing');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('topic-routing');
    if (report.exchange !== 'topic' || !(report.lost_by_reason?.unroutable > 0)) throw new Error(`the CLI's report: exchange ${report.exchange}, lost ${JSON.stringify(report.lost_by_reason)}`);
    return `${s.lost} lost as unroutable; "${dropped.trim().slice(0, 80)}…"; ${shot}`;
  });

  await step('headers routing: each queue gets what its binding arguments match; the alternate exchange takes the rest', async () => {
    await load('headers-routing');
    const d = await diagram(page);
    if (d.heads[0] !== 'Headers exchange → queues') throw new Error(`headings ${JSON.stringify(d.heads)}`);
    const queues = await page.$$eval('g.node.queue', (gs) => gs.map((g) => g.getAttribute('aria-label').split(':')[0]));
    const want = [
      'Queue eu-office, bound with region=eu, x-match=all',
      'Queue eu-urgent, bound with priority=high, region=eu, x-match=all',
      'Queue pdf-or-urgent, bound with format=pdf, priority=high, x-match=any',
      'Queue audit, bound to the alternate exchange',
    ];
    if (JSON.stringify(queues) !== JSON.stringify(want)) throw new Error(`queues: ${JSON.stringify(queues)}`);
    await playTo(10, '5');
    const s = await snapshot();
    if (s.lost !== 0 || s.duplicated !== 0 || s.balanced !== 'true') throw new Error(`after 10 s: ${JSON.stringify(s)}`);
    const log = await page.$$eval('.log-line', (ls) => ls.map((l) => l.textContent));
    const toAudit = log.find((l) => /OrderShipped/.test(l) && /alternate/.test(l));
    if (!toAudit) throw new Error(`the event log does not tell the alternate exchange's catch:\n      ${log.slice(-12).join('\n      ')}`);
    const shot = await screenshot('headers-routing');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const { report } = await replayOnCli('headers-routing');
    const effects = (report.subscribers ?? []).map((x) => x.effects_applied);
    if (report.exchange !== 'headers' || !(effects[2] > effects[0] && effects[0] > effects[1] && effects[3] > 0)) {
      throw new Error(`the CLI's report: exchange ${report.exchange}, effects ${JSON.stringify(effects)}`);
    }
    return `effects ${JSON.stringify(effects)}; "${toAudit.trim().slice(0, 80)}…"; ${shot}`;
  });

  await step('compare: the lanes play in step with the run; on the same crashes at-most-once loses, at-least-once duplicates, atomic dedup does neither; the page and the CLI agree; one lane changes alone', async () => {
    await load('work-queue');
    await page.selectOption('#cmp-preset', 'three-guarantees');
    await page.click('#cmp-run');
    await page.waitForSelector('[data-testid="cmp-row"]');
    await playTo(60);
    // Every lane at the run's own sim time: none catching up.
    await page.waitForFunction(() => !document.querySelector('.cmp-behind'));
    const us = await page.evaluate(() => window.__edaLab.simTimeUs());
    const caption = await page.textContent('[data-testid="cmp-table"] caption');
    // Lane (its select's value), produced, in flight, applied once, duplicated, dead-lettered, lost, why, p99, msgs/s.
    const read = () => page.$$eval('[data-testid="cmp-row"]', (trs) => trs.map((tr) => [tr.querySelector('select').value, ...[...tr.children].slice(1).map((td) => td.textContent.trim())]));
    const rows = await read();
    const lanes = rows.map((r) => r[0]);
    if (JSON.stringify(lanes) !== JSON.stringify(['at-most-once', 'at-least-once', 'at-least-once + atomic dedup'])) throw new Error(`lanes ${JSON.stringify(lanes)}`);
    const [most, least, dedup] = rows.map((r) => ({ produced: +r[1], dup: +r[4], lost: +r[6], why: r[7] }));
    if (!(most.lost > 0 && most.dup === 0 && /acked_before_processing/.test(most.why))) throw new Error(`at-most-once ${JSON.stringify(most)}`);
    if (!(least.dup > 0 && least.lost === 0)) throw new Error(`at-least-once ${JSON.stringify(least)}`);
    if (dedup.dup !== 0 || dedup.lost !== 0) throw new Error(`atomic dedup ${JSON.stringify(dedup)}`);
    if (new Set([most.produced, least.produced, dedup.produced]).size !== 1) throw new Error('the lanes produced different counts');
    const bars = await page.$$eval('.cmp-bar', (bs) => bs.map((b) => b.getAttribute('aria-label')));
    if (bars.length !== 3 || !/^at-most-once: \d+ applied once/.test(bars[0])) throw new Error(`bars ${JSON.stringify(bars)}`);
    // The same lanes natively, to the run's microsecond: the same counts, to the message.
    const out = execFileSync(cli, ['compare', 'work-queue', '--preset', 'three-guarantees', '--until', `${us}us`], { encoding: 'utf8' });
    for (const r of rows) {
      const line = out.split('\n').find((l) => l.startsWith(r[0] + ' '));
      const cols = line?.slice(30).trim().split(/\s+/).slice(0, 6);
      if (JSON.stringify(cols) !== JSON.stringify(r.slice(1, 7))) throw new Error(`${r[0]}: page ${JSON.stringify(r.slice(1, 7))}, CLI ${JSON.stringify(cols)}`);
    }
    await page.locator('[data-testid="cmp-table"]').scrollIntoViewIfNeeded();
    const shot = await screenshot('compare');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    // Lane 1 becomes check-then-act dedup: it runs again from 0 up to the others; they stay.
    await page.selectOption('[aria-label="Lane 1 configuration"]', 'dedup, check then act');
    await page.waitForFunction(() => !document.querySelector('.cmp-behind'));
    const after = await read();
    if (after[0][0] !== 'dedup, check then act' || after[0][1] !== rows[0][1]) throw new Error(`lane 1 after the change: ${JSON.stringify(after[0])}`);
    if (JSON.stringify(after.slice(1)) !== JSON.stringify(rows.slice(1))) throw new Error(`the other lanes moved: ${JSON.stringify(after.slice(1))}`);
    // And they keep playing in step.
    await playTo(70);
    await page.waitForFunction(() => !document.querySelector('.cmp-behind'));
    const later = await read();
    if (!(+later[1][1] > +rows[1][1])) throw new Error(`the lanes did not follow the run: ${JSON.stringify(later)}`);
    await page.click('#cmp-run'); // stop comparing
    return `${caption.trim()}: lost ${most.lost} / duplicated ${least.dup} / atomic 0, page = CLI; lane 1 changed alone (${after[0].slice(1, 7).join(' ')}); ${shot}`;
  });
}

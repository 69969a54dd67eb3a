// CQRS for the shop, end to end (e2e.mjs runs this with its helpers): "cqrs-shop" played to 20 s.
// The write side shows commands, events published, orders and orders refused out of stock; the
// shoppers' reads far outnumber the events and some are stale; the crash at 10 s made the
// catalogue view apply an event twice, so it is wrong on a product (marked ✗ in the products
// table, one row per product: 8), while the orders view is right. Switched to idempotency
// dedup_atomic in the settings and reset, the same 20 s leave every view right. axe finds nothing
// serious on the view.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

/** The write side's and the read load's counters, as integers. */
const counters = (page) =>
  page.evaluate(() => {
    const int = (id) => {
      const text = document.querySelector(`[data-testid=${id}]`)?.textContent.replace(/[^0-9]/g, '') ?? '';
      return text === '' ? null : Number(text);
    };
    const ids = ['commands', 'published', 'orders', 'out-of-stock', 'reads', 'stale', 'phantom', 'old-price'];
    return Object.fromEntries(ids.map((id) => [id, int(`shop-${id}`)]));
  });

/** Each read model's row: products or customers wrong, events behind, applied twice. */
const views = (page) =>
  page.$$eval('[data-testid=shop-views] tbody tr', (rows) =>
    rows.map((r) => ({
      id: r.dataset.testid,
      wrong: Number(r.dataset.wrong),
      behind: Number(r.dataset.behind),
      twice: Number(r.dataset.twice),
      text: r.textContent.replace(/\s+/g, ' ').trim(),
    })),
  );

/** The products table: each row's product and text. */
const products = (page) =>
  page.$$eval('[data-testid=shop-products] tbody tr', (rows) =>
    rows.map((r) => ({ product: r.dataset.product, text: r.textContent.replace(/\s+/g, ' ').trim() })),
  );

const shoot = (page, path) => shootPanel(page, 'section.shop', path);

export async function shopSteps({ page, step, load, playTo, select, snapshot, artifacts }) {
  await step('shop: CQRS, reads far above writes, a catalogue view wrong after a crash, right under dedup_atomic', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('cqrs-shop');
    await playTo(20, '5');
    await page.waitForSelector('section.shop', { timeout: 5_000 });
    const c = await counters(page);
    for (const id of ['commands', 'published', 'orders', 'out-of-stock']) {
      if (!Number.isInteger(c[id]) || !(c[id] > 0)) throw new Error(`write side: ${id} is ${c[id]} (${JSON.stringify(c)})`);
    }
    if (!(c.reads > c.published)) throw new Error(`reads ${c.reads} not above the events published ${c.published}`);
    if (!(c.stale > 0)) throw new Error(`no stale read: ${JSON.stringify(c)}`);

    const [catalogue, orders] = await views(page);
    if (catalogue?.id !== 'shop-view-0' || orders?.id !== 'shop-view-1') throw new Error(`read models: ${JSON.stringify(await views(page))}`);
    if (!(catalogue.wrong >= 1) || !(catalogue.twice >= 1)) throw new Error(`catalogue view after the crash at 10 s: ${JSON.stringify(catalogue)}`);
    if (orders.wrong !== 0) throw new Error(`orders view: ${JSON.stringify(orders)}`);
    const rows = await products(page);
    if (rows.length !== 8) throw new Error(`the products table has ${rows.length} rows, not 8`);
    if (rows.filter((r) => r.text.includes('✗ wrong')).length < 1) throw new Error(`no product marked ✗ wrong: ${rows.map((r) => r.text).join(' | ')}`);

    await page.locator('section.shop').scrollIntoViewIfNeeded();
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const shot = await shoot(page, join(artifacts, 'shop.png'));

    // The same run with an idempotent consumer: the setting, then Reset, as a user would.
    await select('idempotency', 'dedup_atomic');
    await page.click('#btn-reset');
    await waitFor(async () => (await snapshot()).produced === 0, { timeout_ms: 5_000, what: 'the run to restart at 0 after #btn-reset' });
    if ((await page.inputValue('#idempotency')) !== 'dedup_atomic') throw new Error('Reset did not keep idempotency dedup_atomic');
    await playTo(20, '5');
    const after = await views(page);
    const bad = after.filter((v) => v.wrong !== 0 || v.twice !== 0);
    if (after.length !== 2 || bad.length) throw new Error(`under dedup_atomic: ${JSON.stringify(after)}`);
    const atomic = await shoot(page, join(artifacts, 'shop-atomic.png'));
    return `${c.commands} commands, ${c.published} events, ${c.orders} orders, ${c['out-of-stock']} out of stock; ${c.reads} reads, ${c.stale} stale, ${c.phantom} phantom stock, ${c['old-price']} old price; catalogue wrong ${catalogue.wrong} (twice ${catalogue.twice}) → 0 under dedup_atomic; ${shot}, ${atomic}`;
  });
}

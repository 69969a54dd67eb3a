// The routing explainer, end to end (e2e.mjs runs these with its helpers): a learner types a
// routing key and binding keys and reads, binding by binding, whether a RabbitMQ topic exchange
// routes there and why; then switches to a headers exchange with x-match any. The page's verdicts
// must be the command line's (`eda-lab route`, the same engine code the differential test checks
// against a real RabbitMQ). axe finds nothing serious on the view.

import { execFileSync } from 'node:child_process';
import { audit, describe } from './a11y.mjs';

const verdicts = (page) => page.$$eval('[data-testid=rx-verdict]', (els) => els.map((e) => e.textContent.includes('✓')));
const whys = (page) => page.$$eval('[data-testid=rx-row] td:last-child', (els) => els.map((e) => e.textContent));

export async function routingSteps({ page, step, cli, screenshot }) {
  await step('routing explainer: topic and headers verdicts with reasons, as the CLI routes', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const panel = page.locator('.routing-explainer');
    await panel.scrollIntoViewIfNeeded();
    const bindings = ['orders.*.eu', 'orders.#', '*.paid.*', '#.us', 'orders..eu', ''];
    // The empty binding key is written "" on the page.
    await page.fill('#rx-bindings', bindings.map((b) => (b === '' ? '""' : b)).join('\n'));
    for (const key of ['orders.paid.eu', 'orders', 'orders..eu', '']) {
      await page.fill('#rx-key', key);
      const got = await verdicts(page);
      const args = ['route', '--type', 'topic', '--json', ...bindings.flatMap((b) => ['--binding', b]), '--', key];
      const [row] = JSON.parse(execFileSync(cli, args, { encoding: 'utf8' }));
      const want = bindings.map((_, i) => row.bindings.includes(i + 1));
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`key "${key}": page ${JSON.stringify(got)}, CLI ${JSON.stringify(want)}`);
    }
    await page.fill('#rx-key', 'orders.paid.us');
    const why = await whys(page);
    if (!why[0].includes('Binding word 3, "eu", meets key word 3, "us": they differ.')) throw new Error(`why 1: ${why[0]}`);
    if (!why[1].includes('"#" took "paid" "us"')) throw new Error(`why 2: ${why[1]}`);
    const topicShot = await screenshot('routing-topic');
    await page.selectOption('#rx-type', 'headers');
    await page.selectOption('#rx-xmatch', 'any');
    await page.fill('#rx-bindings', 'format=pdf, region=us\nx-tenant=a\nsize=1.0');
    await page.fill('#rx-headers', 'format=doc, region=us, x-tenant=a, size=1');
    const h = await verdicts(page);
    // any: region matches; x- arguments are not compared under any; 1 == 1.0 as RabbitMQ compares.
    if (JSON.stringify(h) !== JSON.stringify([true, false, true])) throw new Error(`headers verdicts ${JSON.stringify(h)}`);
    const hw = await whys(page);
    if (!hw[1].includes('not compared (an x- argument)') || !hw[1].includes('any matches no message')) throw new Error(`headers why 2: ${hw[1]}`);
    const headersShot = await screenshot('routing-headers');
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    // On a phone the rows stack, nothing scrolls sideways, and axe still finds nothing serious.
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.scrollIntoViewIfNeeded();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    if (wide) throw new Error('the page scrolls sideways on a phone');
    const phoneShot = await screenshot('routing-phone');
    const phone = await audit(page);
    if (phone.blocking.length) throw new Error(`axe (phone):\n      ${describe(phone.blocking).join('\n      ')}`);
    await page.setViewportSize({ width: 1440, height: 900 });
    return `topic and headers verdicts match the CLI; ${topicShot}, ${headersShot}, ${phoneShot}`;
  });
}

// Schema evolution, end to end (e2e.mjs runs this with its helpers): "schema-evolution" under
// mode NONE deploys the breaking v2 at 10 s; played to 20 s, the producer writes v2, both versions
// are registered, the consumers (v1) fail to decode what v2 writes and the dead-letter queue grows,
// and the panel explains the break field by field. Restarted with the mode set to BACKWARD before
// the deploy, the registry refuses v2 and says why, nothing is dead-lettered; deploying v3 by hand
// is accepted. The encodings table shows one event in Avro, Avro with Confluent's framing,
// Protobuf and JSON, Avro the smallest. axe finds nothing serious on the view.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

const text = (page, id) => page.textContent(`[data-testid=${id}]`).then((t) => t.replace(/\s+/g, ' ').trim());

const shoot = (page, path) => shootPanel(page, 'section.schema', path);

export async function schemaSteps({ page, step, load, playTo, snapshot, select, artifacts }) {
  await step('schema: a breaking version under NONE poisons the consumers; BACKWARD refuses it; a compatible one deploys', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('schema-evolution');
    await playTo(20, '5');
    await page.waitForSelector('section.schema', { timeout: 5_000 });
    const writer = await text(page, 'schema-writer');
    const registered = await text(page, 'schema-registered');
    const undecodable = Number(await text(page, 'schema-undecodable'));
    const snap = await snapshot();
    if (writer !== 'v2' || registered !== 'v1, v2') throw new Error(`under NONE: writer ${writer}, registered ${registered}`);
    if (!(undecodable > 0) || !(snap.dead_lettered > 0)) throw new Error(`no poison: ${undecodable} undecodable, ${JSON.stringify(snap)}`);
    const why = await text(page, 'schema-why');
    if (!why.includes('needs field amount') || !why.includes('READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2')) throw new Error(`why: ${why}`);
    const size = async (f) => Number(await text(page, `size-${f}`));
    const [avro, framed, proto, json] = [await size('avro'), await size('avro-confluent'), await size('protobuf'), await size('json')];
    if (framed !== avro + 5 || !(avro < json) || !(proto < json)) throw new Error(`sizes: avro ${avro}, framed ${framed}, protobuf ${proto}, json ${json}`);
    await page.locator('section.schema').scrollIntoViewIfNeeded();
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const broken = await shoot(page, join(artifacts, 'schema-broken.png'));

    // Again, with the subject in BACKWARD before the deploy at 10 s.
    await load('schema-evolution');
    await select('schema-mode', 'BACKWARD');
    await playTo(15, '5');
    const deploys = await text(page, 'schema-deploys');
    if (!deploys.includes('v2 refused under BACKWARD') || !deploys.includes('BACKWARD against v1: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: amount_cents')) {
      throw new Error(`deploys: ${deploys}`);
    }
    if ((await text(page, 'schema-writer')) !== 'v1' || (await snapshot()).dead_lettered !== 0) throw new Error('the producer should keep v1, nothing dead-lettered');
    await page.click('button[aria-label="Deploy a producer writing v3"]');
    await waitFor(async () => (await text(page, 'schema-writer')) === 'v3', { timeout_ms: 3_000, what: 'v3 deployed' });
    if ((await text(page, 'schema-registered')) !== 'v1, v3') throw new Error(`registered: ${await text(page, 'schema-registered')}`);
    const refused = await shoot(page, join(artifacts, 'schema-refused.png'));
    return `NONE: ${undecodable} undecodable, ${snap.dead_lettered} dead-lettered; sizes avro ${avro}, protobuf ${proto}, json ${json}; ${broken}, ${refused}`;
  });
}

// Share links and scenario JSON, end to end (e2e.mjs runs this with its helpers). A run with a
// crash and a setting changed, shared from the Share panel, opens in a new tab at the same instant
// with the same trace hash and command log; a comparison's link opens with its lanes; a broken
// link shows the default scenario and says which part is wrong, and one pasted into the address
// bar of an open page leaves its run alone. The scenario downloads and copies as JSON; pasted or
// chosen as a file it becomes the run, and a wrong field is named. axe finds nothing serious.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

async function axe(page, what) {
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, ${what}:\n      ${describe(blocking).join('\n      ')}`);
}

const notice = (page) => page.textContent('.intro .notice').then((t) => t.trim());
const run = (page) =>
  page.evaluate(() => ({
    hash: window.__edaLab.traceHash(),
    us: window.__edaLab.simTimeUs(),
    log: window.__edaLab.commandLog(),
    scenario: window.__edaLab.scenarioJson(),
  }));

/** A new tab on `url`, ready when its counters show; page errors fail the step. */
async function openTab(page, url) {
  const tab = await page.context().newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await tab.goto(url, { waitUntil: 'load' });
  await tab.waitForSelector('[data-testid=count-produced]', { timeout: 20_000 });
  return { tab, errors };
}

export async function shareSteps({ page, step, load, playTo, select, armCrash, snapshot, artifacts }) {
  await step('share: a link to a run with a crash and a changed setting opens it in a new tab, same instant, same trace hash', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    await select('idempotency', 'dedup_check_then_act');
    await playTo(2, '5');
    await armCrash('0', 'after_effect');
    await playTo(4, '5');
    await page.click('#btn-play');
    await page.click('#btn-share');
    if ((await page.getAttribute('#btn-play', 'aria-pressed')) !== 'false') throw new Error('Share did not pause the run');
    const link = await page.inputValue('#share-link');
    if (!/#run=1\.[A-Za-z0-9_-]+$/.test(link)) throw new Error(`link: ${link}`);
    if (link !== (await page.evaluate(() => window.__edaLab.shareLink()))) throw new Error('the panel and the hook disagree');
    const here = await run(page);
    await axe(page, 'the share panel');
    const shot = await shootPanel(page, 'section.share', join(artifacts, 'share-panel.png'));
    const { tab, errors } = await openTab(page, link);
    const there = await run(tab);
    const said = await notice(tab);
    await tab.close();
    if (errors.length) throw new Error(`the new tab: ${errors.join(' | ')}`);
    for (const k of ['hash', 'us', 'log', 'scenario']) {
      if (there[k] !== here[k]) throw new Error(`${k} differs: shared ${JSON.stringify(here[k]).slice(0, 200)}, opened ${JSON.stringify(there[k]).slice(0, 200)}`);
    }
    if (!said.startsWith('Opened a shared run')) throw new Error(`the new tab says "${said}"`);
    await page.click('#share-close');
    return `${link.length} characters; ${said}; ${shot}`;
  });

  await step('share: a comparison travels with its lanes', async () => {
    await load('at-least-once');
    await page.click('#cmp-run');
    await playTo(2, '5');
    const link = await page.evaluate(() => window.__edaLab.shareLink());
    const lanes = await page.$$eval('section.compare tbody tr', (rows) => rows.map((r) => r.textContent.replace(/\s+/g, ' ').trim()));
    await page.click('#cmp-run');
    const { tab, errors } = await openTab(page, link);
    await tab.waitForSelector('section.compare tbody tr', { timeout: 10_000 });
    const opened = await tab.$$eval('section.compare tbody tr', (rows) => rows.map((r) => r.textContent.replace(/\s+/g, ' ').trim()));
    const pressed = await tab.getAttribute('#cmp-run', 'aria-pressed');
    await tab.close();
    if (errors.length) throw new Error(`the new tab: ${errors.join(' | ')}`);
    if (pressed !== 'true') throw new Error('the comparison is not on in the new tab');
    if (JSON.stringify(opened) !== JSON.stringify(lanes)) throw new Error(`lanes differ:\n      ${lanes.join('\n      ')}\n      vs\n      ${opened.join('\n      ')}`);
    return `${lanes.length} lanes, the same rows`;
  });

  await step('share: a broken link shows the clean default page and names the part; pasted into an open page it changes nothing', async () => {
    const base = page.url().split('#')[0];
    const { tab, errors } = await openTab(page, `${base}#run=1.eyJiIjoibm9wZSJ9`);
    const said = await notice(tab);
    const hash = await tab.evaluate(() => location.hash);
    const scenario = await tab.inputValue('#scenario-select');
    const produced = await tab.textContent('[data-testid=count-produced]');
    await axe(tab, 'a broken link');
    await tab.close();
    if (errors.length) throw new Error(`the new tab: ${errors.join(' | ')}`);
    if (!said.includes('This link cannot be opened: link b: no built-in scenario `nope`') || !said.includes('default scenario')) throw new Error(`says "${said}"`);
    if (hash !== '' || scenario !== 'at-least-once' || produced.replace(/\D/g, '') !== '0') throw new Error(`not the clean default page: hash "${hash}", ${scenario}, produced ${produced}`);
    await load('at-least-once');
    await playTo(1, '5');
    const before = await run(page);
    await page.evaluate(() => { location.hash = 'run=1.%%%'; });
    await waitFor(async () => (await notice(page)).includes('cannot be opened'), { timeout_ms: 5_000, what: 'the notice' });
    const after = await run(page);
    const pasted = await notice(page);
    await page.evaluate(() => history.replaceState(null, '', location.pathname));
    if (after.hash !== before.hash) throw new Error('a broken link changed the run');
    return `"${said}"; pasted: "${pasted}"`;
  });

  await step('share: the scenario exports as JSON and imports back from text or a file; a wrong field is named', async () => {
    await load('at-least-once');
    await select('idempotency', 'dedup_atomic');
    await page.click('#btn-share');
    const href = await page.getAttribute('#export-download', 'href');
    const json = decodeURIComponent(href.replace(/^data:application\/json;charset=utf-8,/, ''));
    const exported = JSON.parse(json);
    if (exported.name !== 'at-least-once' || exported.idempotency?.mode !== 'dedup_atomic') throw new Error(`exported ${json.slice(0, 300)}`);
    const download = await page.getAttribute('#export-download', 'download');
    if (download !== 'at-least-once.json') throw new Error(`download name ${download}`);
    await page.fill('#import-json', '{"topic": {"partitions": 0}}');
    await page.click('#import-load');
    const error = await page.textContent('#import-said');
    if (!error.includes('topic.partitions') || (await page.getAttribute('#import-said', 'role')) !== 'alert') throw new Error(`bad JSON: "${error}"`);
    if ((await page.getAttribute('#import-json', 'aria-invalid')) !== 'true') throw new Error('the text area is not marked invalid');
    await axe(page, 'an import error');
    const shot = await shootPanel(page, 'section.share', join(artifacts, 'share-import-error.png'));
    await page.fill('#import-json', JSON.stringify({ ...exported, name: 'my-at-least-once', seed: 7 }));
    await page.click('#import-load');
    await waitFor(async () => (await notice(page)).includes('Imported the scenario “my-at-least-once”'), { timeout_ms: 5_000, what: 'the import' });
    const seed = JSON.parse(await page.evaluate(() => window.__edaLab.scenarioJson())).seed;
    if (seed !== 7) throw new Error(`imported seed ${seed}`);
    await page.setInputFiles('#import-file', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, name: 'from-a-file' })) });
    await waitFor(async () => (await notice(page)).includes('“from-a-file”'), { timeout_ms: 5_000, what: 'the file import' });
    await page.click('#export-copy');
    await waitFor(async () => (await page.textContent('#share-said')).trim() !== '', { timeout_ms: 5_000, what: 'the copy to say something' });
    const copied = await page.textContent('#share-said');
    await page.click('#share-close');
    await load('at-least-once');
    return `"${error.trim()}"; copy: "${copied.trim()}"; ${shot}`;
  });
}

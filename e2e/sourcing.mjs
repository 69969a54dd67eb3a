// The event-sourced bank, end to end (e2e.mjs runs this with its helpers): "event-sourced-bank"
// played to 20 s. The write side shows events appended and commands refused; the version slider
// (moved with the keyboard, then set) shows the account's state at that version beside an audit
// trail of exactly that many events whose amounts add up to the balance shown; deposits written
// before 5 s carry the old schema's badge (units upcast to cents); the crash at 10 s made the
// balance view apply an event twice, so it is wrong on an account, and Rebuild makes it right
// (0 wrong, 1 rebuild). axe finds nothing serious on the view.

import { join } from 'node:path';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

/** What the panel shows of the account picked: slider, state, trail. */
const account = (page) =>
  page.evaluate(() => {
    const q = (sel) => document.querySelector(sel);
    const slider = q('#es-version');
    const rows = [...document.querySelectorAll('[data-testid=es-trail] tbody tr')];
    return {
      account: q('#es-account')?.value ?? null,
      value: Number(slider?.value),
      max: Number(slider?.max),
      output: q('[data-testid=es-version-shown]')?.textContent.trim() ?? null,
      cents: Number(q('[data-testid=es-balance]')?.dataset.cents),
      loaded: q('[data-testid=es-loaded]')?.textContent.trim() ?? null,
      rows: rows.length,
      sum: rows.reduce((t, r) => t + Number(r.dataset.delta), 0),
      versions: rows.map((r) => Number(r.cells[0].textContent)),
      badges: [...document.querySelectorAll('.es-v1')].map((b) => b.textContent.trim()),
    };
  });

/** A projection's row: accounts wrong and rebuilds. */
const view = (page, k) =>
  page.evaluate((k) => {
    const row = document.querySelector(`[data-testid=es-view-${k}]`);
    return row && { wrong: Number(row.dataset.wrong), rebuilds: Number(row.dataset.rebuilds), text: row.textContent.replace(/\s+/g, ' ').trim() };
  }, k);

/** Sets the slider as a user's drag would (an input event). */
const slideTo = (page, v) =>
  page.$eval('#es-version', (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, v);

const shoot = (page, path) => shootPanel(page, 'section.sourcing', path);

export async function sourcingSteps({ page, step, load, playTo, screenshot, artifacts }) {
  await step('sourcing: the bank\'s write side, an account at any version with its audit trail, a wrong balance view rebuilt', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('event-sourced-bank');
    await playTo(20, '5');
    await page.waitForSelector('section.sourcing', { timeout: 5_000 });
    const int = async (id) => Number((await page.textContent(`[data-testid=${id}]`)).replace(/[^0-9]/g, ''));
    const [appended, refused, head] = [await int('es-appended'), await int('es-refused'), await int('es-head')];
    if (!(appended > 0) || !Number.isInteger(refused) || head < appended) throw new Error(`write side: appended ${appended}, refused ${refused}, head ${head}`);

    // The slider: the keyboard moves it one version back; then a lower version, within the listed rows.
    const top = await account(page);
    if (top.value !== top.max || top.rows !== Math.min(top.max, 40)) throw new Error(`at the latest: ${JSON.stringify(top)}`);
    await page.focus('#es-version');
    await page.keyboard.press('ArrowLeft');
    const back = await waitFor(async () => {
      const a = await account(page);
      return a.value === top.max - 1 && a;
    }, { timeout_ms: 3_000, what: 'ArrowLeft to move the slider one version back' });
    if (back.output !== `${top.max - 1} of ${top.max}`) throw new Error(`after ArrowLeft: ${JSON.stringify(back)}`);
    const v = Math.max(1, Math.min(Math.floor(top.max / 2), 40));
    await slideTo(page, v);
    const at = await waitFor(async () => {
      const a = await account(page);
      return a.value === v && a.rows === v && a;
    }, { timeout_ms: 3_000, what: `the trail to list ${v} events` });
    const want = Array.from({ length: v }, (_, i) => v - i).join(',');
    if (at.versions.join(',') !== want) throw new Error(`trail versions ${at.versions.join(',')}, not ${want}`);
    if (at.sum !== at.cents) throw new Error(`the trail's amounts add up to ${at.sum} cents, the state at version ${v} says ${at.cents}`);
    const snap = /snapshot at version (\d+) \(position \d+\) plus (\d+) event/.exec(at.loaded);
    if (snap ? Number(snap[1]) + Number(snap[2]) !== v : !at.loaded.includes(`folded from its ${v} event`)) throw new Error(`loaded: ${at.loaded}`);

    // A v1 badge: a deposit of whole units written before 5 s, upcast to cents.
    const accounts = await page.$$eval('#es-account option', (os) => os.map((o) => o.value));
    let badge = at.badges[0];
    for (const a of accounts) {
      if (badge) break;
      await page.selectOption('#es-account', a);
      await waitFor(async () => (await account(page)).account === a, { timeout_ms: 3_000, what: `account ${a}` });
      await slideTo(page, 40);
      badge = await waitFor(async () => (await account(page)).badges[0] ?? false, { timeout_ms: 1_000, what: 'a v1 badge' }).catch(() => null);
    }
    const m = /stored v1: (\d+) units → (\d+) cents/.exec(badge ?? '');
    if (!m || Number(m[1]) * 100 !== Number(m[2])) throw new Error(`no v1 badge that upcasts units to cents (${badge})`);

    // The read side: the crash at 10 s applied an event twice in the balance view.
    const before = await view(page, 0);
    if (!(before?.wrong > 0) || before.rebuilds !== 0) throw new Error(`balance view at 20 s: ${JSON.stringify(before)}`);
    const statement = await view(page, 1);
    await page.locator('section.sourcing').scrollIntoViewIfNeeded();
    const { blocking } = await audit(page);
    if (blocking.length) throw new Error(`axe:\n      ${describe(blocking).join('\n      ')}`);
    const panelShot = await shoot(page, join(artifacts, 'sourcing-panel.png'));
    await screenshot('sourcing');
    await page.click('button[data-rebuild="0"]');
    const after = await waitFor(async () => {
      const r = await view(page, 0);
      return r.rebuilds === 1 && r;
    }, { timeout_ms: 3_000, what: 'the balance view rebuilt once' });
    if (after.wrong !== 0) throw new Error(`after Rebuild: ${after.text}`);
    const cmd = await page.evaluate(() => JSON.parse(window.__edaLab.commandLog()).commands.at(-1)?.command);
    if (cmd?.type !== 'rebuild_projection' || cmd.subscriber !== 0) throw new Error(`the last command is ${JSON.stringify(cmd)}`);
    await shoot(page, join(artifacts, 'sourcing-rebuilt.png'));
    return `appended ${appended}, refused ${refused}, head ${head}; version ${v} of ${top.max}: ${at.rows} rows, ${at.cents} cents; ${m[0]}; balance view wrong on ${before.wrong} → 0 after Rebuild; statement view wrong on ${statement?.wrong}; ${panelShot}`;
  });
}

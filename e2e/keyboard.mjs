// A whole lesson with the keyboard alone (e2e.mjs runs this with its helpers): from the top of the
// page, Tab reaches the Lessons button; Enter opens the map; Tab reaches "Mark it with the charge"
// and Enter opens its intro; Tab and Enter start it; a hint is revealed with Enter; the
// idempotency strategy is changed with the arrow keys on its picker; Run challenge is pressed with
// Enter and passes, with the success text; Leave lesson with Enter unlocks the page. No mouse
// event is sent; the focus is only moved by Tab.

import { waitFor } from './lib.mjs';

const LESSON = 'mark-with-the-charge';

const focused = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    return { id: e?.id ?? '', lesson: e?.dataset?.lesson ?? '', setting: e?.dataset?.setting ?? '', tag: e?.tagName ?? '' };
  });

/** Presses Tab until `want(focused)` holds (at most `max` presses). */
async function tabTo(page, want, what, max = 400) {
  for (let i = 0; i < max; i += 1) {
    if (want(await focused(page))) return i;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what} (${max} presses)`);
}

export async function keyboardSteps({ page, step, load }) {
  await step('keyboard: a whole lesson, from the top of the page to a passed challenge, with the keyboard alone', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load('at-least-once');
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    let presses = await tabTo(page, (f) => f.id === 'btn-lessons', 'the Lessons button');
    await page.keyboard.press('Enter');
    presses += await tabTo(page, (f) => f.lesson === LESSON, `the lesson ${LESSON} in the map`);
    await page.keyboard.press('Enter');
    presses += await tabTo(page, (f) => f.id === 'btn-lesson-start', 'Start');
    await page.keyboard.press('Enter');
    await page.locator('#lesson-panel').waitFor({ timeout: 5_000 });
    presses += await tabTo(page, (f) => f.id === 'btn-hint', 'Show a hint');
    await page.keyboard.press('Enter');
    await page.locator('#lesson-panel .lesson-hints li, #lesson-panel [data-testid=hint]').first().waitFor({ timeout: 5_000 }).catch(() => {});
    presses += await tabTo(page, (f) => f.setting === 'idempotency.mode', 'the idempotency picker');
    const picker = page.locator('#lesson-panel [data-setting="idempotency.mode"]');
    for (let i = 0; i < 10 && (await picker.inputValue()) !== 'dedup_atomic'; i += 1) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(50);
    }
    if ((await picker.inputValue()) !== 'dedup_atomic') throw new Error(`the arrow keys left the picker at ${await picker.inputValue()}`);
    presses += await tabTo(page, (f) => f.id === 'btn-challenge', 'Run challenge');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=judged-check]').first().waitFor({ timeout: 15_000 });
    const judged = await page.$$eval('[data-testid=judged-check]', (els) => els.map((e) => e.dataset.holds === 'true'));
    if (judged.length === 0 || judged.some((h) => !h)) throw new Error(`the challenge: ${JSON.stringify(judged)}`);
    const success = (await page.textContent('[data-testid=lesson-success]')).trim();
    presses += await tabTo(page, (f) => f.id === 'btn-lesson-leave', 'Leave lesson');
    await page.keyboard.press('Enter');
    await page.locator('#lesson-panel').waitFor({ state: 'detached', timeout: 5_000 });
    await waitFor(async () => !(await page.isDisabled('#scenario-select')), { timeout_ms: 5_000, what: 'the scenario picker unlocked' });
    return `${presses} Tab presses; passed: "${success.slice(0, 90)}…"`;
  });
}

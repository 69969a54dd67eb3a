// The guide under the intro, for learners outside lessons (e2e.mjs runs this with its helpers). The
// glossary opens from the keyboard and defines offset, consumer group and rebalance, each term
// with an id to link to. On the default scenario, at-least-once, "Try this next" offers only
// lessons built on it (lessons/*.json says which) and the next scenario; a lesson button starts
// that lesson (its panel appears) and the suggestions go while it is on. The next-scenario button
// loads its scenario, and following it walks every built-in scenario once and comes back. axe
// finds nothing serious on the row or the open glossary, in the light and the dark theme.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit, describe } from './a11y.mjs';
import { shootPanel, waitFor } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT = 'at-least-once';
const TERMS = { 'gloss-offset': 'Offset', 'gloss-consumer-group': 'Consumer group', 'gloss-rebalance': 'Rebalance' };

/** The ids of the lessons built on `scenario`, from the lesson files themselves. */
function lessonsOn(scenario) {
  const dir = join(here, '..', 'lessons');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((l) => l.scenario === scenario)
    .map((l) => l.id);
}

async function axe(page, what) {
  const { blocking } = await audit(page);
  if (blocking.length) throw new Error(`axe, ${what}:\n      ${describe(blocking).join('\n      ')}`);
}

const theme = (page) => page.evaluate(() => document.documentElement.dataset.theme ?? 'light');

/** Runs `fn(themeName)` in the light theme and then in the dark one, leaving the page light. */
async function inBothThemes(page, fn) {
  const out = [];
  for (const want of ['light', 'dark']) {
    if ((await theme(page)) !== want) await page.click('#theme-toggle');
    await waitFor(async () => (await theme(page)) === want, { timeout_ms: 3_000, what: `the ${want} theme` });
    out.push(await fn(want));
  }
  await page.click('#theme-toggle');
  await waitFor(async () => (await theme(page)) === 'light', { timeout_ms: 3_000, what: 'the light theme again' });
  return out;
}

/** What "Try this next" offers: lesson ids and the next scenario's name (null when none). */
const offers = (page) =>
  page.evaluate(() => {
    const row = document.querySelector('[data-testid=try-next]');
    if (!row) return null;
    return {
      lessons: [...row.querySelectorAll('[data-try-lesson]')].map((b) => b.dataset.tryLesson),
      next: row.querySelector('[data-try-scenario]')?.dataset.tryScenario ?? null,
      why: row.querySelector('.try-next-why')?.textContent.trim() ?? '',
    };
  });

/** Presses the next-scenario button and waits until the picker and the run show that scenario. */
async function followNext(page, snapshot) {
  const name = (await offers(page))?.next;
  if (!name) throw new Error('no next-scenario button');
  await page.click('[data-try-scenario]');
  await waitFor(async () => (await page.inputValue('#scenario-select')) === name && (await snapshot()).produced === 0, {
    timeout_ms: 5_000, what: `${name} to load at 0`,
  });
  return name;
}

export async function guideSteps({ page, step, load, snapshot, artifacts }) {
  await step('glossary: opens by keyboard and defines offset, consumer group and rebalance; axe clean light and dark', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load(DEFAULT);
    const details = page.locator('[data-testid=glossary]');
    if (await details.evaluate((d) => d.open)) throw new Error('the glossary is open on load');
    await page.focus('[data-testid=glossary] summary');
    await page.keyboard.press('Enter');
    await waitFor(() => details.evaluate((d) => d.open), { timeout_ms: 3_000, what: 'Enter on its summary to open the glossary' });
    for (const [id, term] of Object.entries(TERMS)) {
      const dt = page.locator(`[data-testid=glossary] dt#${id}`);
      if (!(await dt.isVisible())) throw new Error(`#${id} is not shown`);
      const text = (await dt.textContent()).trim();
      const dd = (await dt.evaluate((e) => e.nextElementSibling?.textContent ?? '')).trim();
      if (text !== term || dd.length < 40) throw new Error(`#${id}: "${text}" — "${dd}"`);
    }
    const count = await page.locator('[data-testid=glossary] dt').count();
    const shots = await inBothThemes(page, async (t) => {
      await axe(page, `the open glossary, ${t}`);
      return shootPanel(page, '.guide-row', join(artifacts, `guide-glossary-${t}.png`));
    });
    await page.focus('[data-testid=glossary] summary');
    await page.keyboard.press('Enter');
    await waitFor(async () => !(await details.evaluate((d) => d.open)), { timeout_ms: 3_000, what: 'Enter again to close it' });
    return `${count} terms; ${shots.join(', ')}`;
  });

  await step(`try next: on ${DEFAULT} it offers its lessons; one starts the lesson and the suggestions go`, async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await load(DEFAULT);
    const expected = lessonsOn(DEFAULT);
    const got = await offers(page);
    if (!got) throw new Error('no [data-testid=try-next] outside a lesson');
    if (got.lessons.length < 1 || got.lessons.some((id) => !expected.includes(id))) {
      throw new Error(`offers lessons ${JSON.stringify(got.lessons)}; the lessons on ${DEFAULT} are ${JSON.stringify(expected)}`);
    }
    if (got.lessons.length + (got.next ? 1 : 0) > 3) throw new Error(`more than three suggestions: ${JSON.stringify(got)}`);
    if (!got.next || got.why.length < 20) throw new Error(`next scenario: ${JSON.stringify(got)}`);
    const shots = await inBothThemes(page, async (t) => {
      await axe(page, `the suggestions, ${t}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = join(artifacts, `guide-top-${t}.png`);
      await page.screenshot({ path: file });
      return file;
    });
    const [first] = got.lessons;
    const title = (await page.textContent(`[data-try-lesson="${first}"]`)).replace(/^Lesson: /, '').replace(/ \(passed\)$/, '').trim();
    await page.focus(`[data-try-lesson="${first}"]`);
    await page.keyboard.press('Enter');
    await page.locator('#lesson-panel').waitFor({ timeout: 5_000 });
    const heading = (await page.textContent('#lesson-h')).trim();
    if (heading !== `Lesson: ${title}`) throw new Error(`the lesson panel reads "${heading}", not "Lesson: ${title}"`);
    const focused = await page.evaluate(() => document.activeElement?.id ?? '');
    if (focused !== 'lesson-h') throw new Error(`after starting the lesson the focus is on "${focused}", not its heading`);
    await page.locator('[data-testid=try-next]').waitFor({ state: 'detached', timeout: 5_000 });
    if (!(await page.locator('[data-testid=glossary]').isVisible())) throw new Error('the glossary went with the suggestions');
    await axe(page, 'the page in a lesson started from the suggestions');
    await page.click('#btn-lesson-leave');
    await page.locator('#lesson-panel').waitFor({ state: 'detached', timeout: 5_000 });
    await page.locator('[data-testid=try-next]').waitFor({ timeout: 5_000 });
    return `offers ${got.lessons.join(', ')} and ${got.next} ("${got.why}"); "${heading}" started, suggestions gone, back after Leave; ${shots.join(', ')}`;
  });

  await step('try next: the next-scenario button loads it; following it walks every built-in once and comes back', async () => {
    await load(DEFAULT);
    const all = await page.$$eval('#scenario-select option', (os) => os.map((o) => o.value).filter(Boolean));
    const first = await followNext(page, snapshot);
    const walked = [first];
    while (walked.at(-1) !== DEFAULT && walked.length <= all.length) walked.push(await followNext(page, snapshot));
    const missing = all.filter((n) => !walked.includes(n));
    const twice = walked.filter((n, i) => walked.indexOf(n) !== i);
    if (walked.at(-1) !== DEFAULT || walked.length !== all.length || missing.length || twice.length) {
      throw new Error(`walked ${walked.length} of ${all.length}: missing ${JSON.stringify(missing)}, twice ${JSON.stringify(twice)}`);
    }
    return `${DEFAULT} → ${first} → … → ${DEFAULT}: ${walked.length} scenarios`;
  });
}

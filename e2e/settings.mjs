// The settings steps of the end-to-end test (e2e.mjs runs them with its helpers): one control per
// setting, as `eda-lab run --help` describes it, and live changes that fix the retention and
// producer-retries lessons, recorded, logged and replayed on the CLI.

import { execFileSync } from 'node:child_process';
import { waitFor } from './lib.mjs';

/** The settings' one description as the CLI prints it (`eda-lab run --help`): path -> {min, max, none, newRun, help}. */
function describedSettings(cli) {
  const out = execFileSync(cli, ['run', '--help'], { encoding: 'utf8' }).split('\n');
  const table = new Map();
  for (let i = 0; i < out.length - 1; i += 1) {
    const m = /^ {2}([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*) +(.*?)( \[new run\])?$/.exec(out[i]);
    // A setting's line is followed by its help, indented; other scenario fields (lists, the seed) are not.
    if (!m || !/^ {20,}\S/.test(out[i + 1])) continue;
    const range = /(?:null \(([^)]+)\) or )?(-?[\d.e+]+)\.\.(-?[\d.e+]+)/.exec(m[2]);
    table.set(m[1], { min: range?.[2] ?? null, max: range?.[3] ?? null, none: range?.[1] ?? null, newRun: Boolean(m[3]), help: out[i + 1].trim() });
  }
  return table;
}

/** Runs the settings steps. */
export async function settingsSteps({ page, step, cli, snapshot, select, load, playTo, lastCommand, replayOnCli }) {
  await step('settings: one control per setting, with the description\'s label, help, limits and "new run" mark', async () => {
    await select('scenario-select', 'at-least-once');
    const r = await page.evaluate(() => {
      const paths = window.__edaLab.settings();
      const controls = [...document.querySelectorAll('#settings-panel [data-setting]')].map((c) => {
        const field = c.closest('.field');
        const described = (c.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent.trim() ?? '');
        return {
          path: c.dataset.setting,
          label: document.querySelector(`label[for="${c.id}"]`)?.textContent.trim() ?? '',
          help: described.join(' '),
          min: c.getAttribute('min'),
          max: c.getAttribute('max'),
          none: document.getElementById(`${c.id}-none`)?.getAttribute('aria-label') ?? null,
          newRun: Boolean(field?.querySelector('.tag-new-run')),
        };
      });
      return { paths, controls };
    });
    const described = describedSettings(cli);
    const found = r.controls.map((c) => c.path);
    if (r.paths.length !== described.size) throw new Error(`__edaLab.settings() lists ${r.paths.length} settings, eda-lab run --help ${described.size}`);
    if (found.length !== r.paths.length) throw new Error(`${found.length} controls for ${r.paths.length} settings`);
    const twice = found.filter((p, i) => found.indexOf(p) !== i);
    const missing = r.paths.filter((p) => !found.includes(p));
    if (twice.length || missing.length) throw new Error(`settings with two controls: ${twice.join(', ') || 'none'}; without one: ${missing.join(', ') || 'none'}`);
    const wrong = [];
    for (const c of r.controls) {
      const d = described.get(c.path);
      if (!d) { wrong.push(`${c.path}: not in eda-lab run --help`); continue; }
      if (!c.label) wrong.push(`${c.path}: no label`);
      if (!c.help.includes(d.help)) wrong.push(`${c.path}: help "${c.help}" lacks "${d.help}"`);
      if (d.min !== null && (c.min !== d.min || c.max !== d.max)) wrong.push(`${c.path}: min/max ${c.min}/${c.max}, described ${d.min}/${d.max}`);
      if (d.none !== null && !(c.none ?? '').endsWith(d.none)) wrong.push(`${c.path}: no "${d.none}" box (has ${c.none})`);
      if (c.newRun !== d.newRun) wrong.push(`${c.path}: ${c.newRun ? 'marked' : 'not marked'} "new run", described ${d.newRun ? 'new run' : 'live'}`);
    }
    if (wrong.length) throw new Error(wrong.join('; '));
    return `${found.length} controls for ${r.paths.length} settings, each as eda-lab run --help describes it`;
  });

  await step('live settings: retention "forever" on the retention scenario is recorded, replayable and loses nothing', async () => {
    await load('retention');
    const box = '#set-topic-retention-ms-none';
    if (await page.isChecked(box)) throw new Error(`${box} is ticked, but the scenario keeps records 5000 ms`);
    if ((await page.inputValue('#set-topic-retention-ms')) !== '5000') throw new Error(`#set-topic-retention-ms shows "${await page.inputValue('#set-topic-retention-ms')}", not 5000`);
    await page.check(box);
    const c = await lastCommand();
    if (c?.type !== 'set' || c.setting !== 'topic.retention_ms' || c.value !== null) throw new Error(`ticking "forever" recorded ${JSON.stringify(c)}`);
    const said = (await page.locator('.notice').textContent()).trim();
    if (said !== 'Applied: Retention forever.') throw new Error(`the notice says "${said}"`);
    const logged = await page.locator('.log-line', { hasText: 'you: Retention forever' }).count();
    if (logged !== 1) throw new Error(`the event log shows "you: Retention forever" ${logged} times`);
    await playTo(20);
    const s = await snapshot();
    // The same run without the change loses 17 of its first 89 messages to retention by 20 s.
    if (s.lost !== 0) throw new Error(`${s.lost} messages lost with retention forever`);
    await replayOnCli('retention');
    return `lost 0 of ${s.produced} by ${s.sim_time}; logged and replayed`;
  });

  await step('live settings: acks=all and the idempotent producer on producer-retries stop the duplicates', async () => {
    await load('producer-retries');
    // producer-retries turns idempotence off explicitly (the Java client's default is on).
    const shown = await page.inputValue('#set-producer-idempotent');
    if (shown !== 'false') throw new Error(`#set-producer-idempotent shows ${shown} in producer-retries, not false (off)`);
    await select('set-producer-idempotent', 'true');
    let c = await lastCommand();
    if (c?.type !== 'set' || c.setting !== 'producer.idempotent' || c.value !== true) throw new Error(`turning it on recorded ${JSON.stringify(c)}`);
    await select('set-producer-acks', 'all');
    c = await lastCommand();
    if (c?.type !== 'set' || c.setting !== 'producer.acks' || c.value !== 'all') throw new Error(`acks=all recorded ${JSON.stringify(c)}`);
    await playTo(20);
    const s = await snapshot();
    // Without the change the same run duplicates 16 of its first 106 messages by 20 s.
    if (s.duplicated !== 0) throw new Error(`${s.duplicated} duplicated with the idempotent producer`);
    const { commands } = await replayOnCli('producer-retries');
    if (commands !== 2) throw new Error(`the command log holds ${commands} commands, not 2`);
    // A setting that takes a new run: the partition count restarts the run with it.
    await page.fill('#set-topic-partitions', '5');
    await page.press('#set-topic-partitions', 'Enter');
    await waitFor(async () => JSON.parse(await page.evaluate(() => window.__edaLab.scenarioJson())).topic.partitions === 5, { timeout_ms: 3_000, what: 'scenarioJson().topic.partitions to be 5' });
    const after = await snapshot();
    if (after.produced !== 0) throw new Error(`changing the partitions did not restart the run (produced ${after.produced})`);
    const kept = JSON.parse(await page.evaluate(() => window.__edaLab.scenarioJson())).producer.idempotent;
    if (kept !== true) throw new Error('the new run dropped the live change (idempotent producer)');
    return `duplicated 0 of ${s.produced} by ${s.sim_time}; replayed; partitions 5 restarted the run keeping the live changes`;
  });
}

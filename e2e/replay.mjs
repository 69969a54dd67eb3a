// The replay check of the end-to-end test: the page's paused run, replayed by the native CLI from
// the page's own files, must print the same trace hash.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './lib.mjs';

/**
 * Replays the page's paused run on the native CLI from the page's own files: the scenario it started
 * from (`scenarioJson()`) and its versioned command log (`commandLog()`, the `{"v":1,...}` file
 * `eda-lab run --commands` reads), up to the page's exact sim time. Both must print the same trace
 * hash, event count and outcomes. Returns the CLI's report.
 */
export function replayer({ page, cli, artifacts, snapshot, setPlaying }) {
  return async function replayOnCli(label) {
    if (!existsSync(cli)) throw new Error(`${cli} not found (cargo build --release)`);
    await setPlaying(false);
    // Let the last frame land, then read a state that no longer changes.
    const s = await waitFor(async () => {
      const a = await snapshot();
      await page.waitForTimeout(250);
      const b = await snapshot();
      return a.events === b.events && a.sim_time === b.sim_time && b;
    }, { timeout_ms: 5_000, what: 'the paused page to stand still' });
    const hook = await page.evaluate(() => ({
      hash: window.__edaLab.traceHash(),
      log: window.__edaLab.commandLog(),
      commands: window.__edaLab.commands(),
      now_us: window.__edaLab.simTimeUs(),
      scenario_json: window.__edaLab.scenarioJson(),
    }));
    if (hook.hash !== s.trace_hash) throw new Error(`__edaLab.traceHash() ${hook.hash} != displayed ${s.trace_hash}`);
    const log = JSON.parse(hook.log);
    if (log.v !== 1 || !Array.isArray(log.commands)) throw new Error(`commandLog() is not a versioned log: ${hook.log.slice(0, 80)}`);
    // commands() still answers: the same commands, unversioned.
    if (JSON.stringify(JSON.parse(hook.commands)) !== JSON.stringify(log.commands)) throw new Error('commands() and commandLog().commands differ');
    const seed = (await page.inputValue('#seed')).trim();
    const dir = mkdtempSync(join(tmpdir(), 'eda-lab-e2e-'));
    try {
      const commandsFile = join(dir, 'commands.json');
      writeFileSync(commandsFile, hook.log);
      writeFileSync(join(artifacts, `commands-${label}.json`), hook.log);
      const scenarioFile = join(dir, 'scenario.json');
      writeFileSync(scenarioFile, hook.scenario_json);
      const until = Number(hook.now_us);
      const report = JSON.parse(execFileSync(cli, ['run', scenarioFile, '--seed', seed, '--until', `${until}us`, '--commands', commandsFile, '--json'], { encoding: 'utf8' }));
      const cmd = `eda-lab run <page scenario> --seed ${seed} --until ${until}us --commands <commandLog()>`;
      if (report.events_processed !== s.events) throw new Error(`${cmd}: ${report.events_processed} events, the page ${s.events}`);
      if (report.trace_hash !== s.trace_hash) throw new Error(`${cmd}: trace ${report.trace_hash}, the page ${s.trace_hash}`);
      const mismatched = ['in_flight', 'exactly_once', 'duplicated', 'dead_lettered', 'lost'].filter((k) => report.outcomes[k] !== s[k]);
      if (report.produced !== s.produced || mismatched.length) {
        throw new Error(`${cmd}: outcomes ${JSON.stringify({ produced: report.produced, ...report.outcomes })} differ from the page's ${JSON.stringify(s)}`);
      }
      return { report, commands: log.commands.length };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

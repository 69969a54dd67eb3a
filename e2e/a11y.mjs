// Accessibility audit with axe-core (npm axe-core, injected from node_modules: no network).
//
//   import { audit } from './a11y.mjs';
//   const { blocking, all } = await audit(page, 'at-least-once, dark, playing');
//
// `all` is every violation axe reports; `blocking` the ones of impact "serious" or "critical", which
// the e2e fails on. Each is { id, impact, help, targets: [css selector, …] }.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe on the whole document (injecting it first when the page has none). */
export async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  // Colours caught mid-transition (a theme switch fades backgrounds) would be judged wrongly.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5_000 })
    .catch(() => {});
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summaries: v.nodes.map((n) => n.failureSummary ?? ''),
    }));
  });
  return { all: violations, blocking: violations.filter((v) => BLOCKING.has(v.impact)) };
}

/** One line per violation: rule id, impact, node count and the first few targets. */
export function describe(violations, { maxTargets = 6 } = {}) {
  return violations.map((v) => {
    const more = v.targets.length > maxTargets ? ` … and ${v.targets.length - maxTargets} more` : '';
    return `${v.id} (${v.impact}, ${v.targets.length} node${v.targets.length === 1 ? '' : 's'}): ${v.targets.slice(0, maxTargets).join(' | ')}${more}`;
  });
}

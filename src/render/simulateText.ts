/**
 * `kmc simulate` as plain text, in the style of `kmc check`: a status per property, each counterexample as
 * numbered steps showing only what changed, then the summary. Nothing here ever says a property holds:
 * what no walk violated is `unknown`, and the last line says that a simulation is not a proof.
 */
import type { SimulationProperty, SimulationResult, Witness } from '../engine/simulation.js';
import { findingLine } from './dot.js';
import { DEADLOCK_CLAIM, type TracedFinding } from './finding.js';
import { constantsLine, renderTrace } from './text.js';

export interface SimulationTextOptions {
  /**
   * The command line that makes one walk again, without `--seed` and `--runs`, which each finding adds:
   * `kmc simulate checks/fixtures/cli/mutex.ts --proposal racy --depth 100`.
   */
  readonly reproduce: string;
}

const KIND_TEXT = { invariant: 'invariant', action: 'action property', reachable: 'reachability property' } as const;

/** The header line: model, proposal and constants, as `kmc check` prints them. */
export function simulationTitle(r: Pick<SimulationResult, 'model' | 'proposal' | 'constants'>): string {
  return `kmc simulate ${r.model} --proposal ${r.proposal}  (${constantsLine(r)})`;
}

/** The whole report of one simulation. */
export function renderSimulation(r: SimulationResult, opts: SimulationTextOptions): string {
  const { runs, depth, seed } = r.simulation;
  const lines = [simulationTitle(r), `${plural(runs, 'run')} of at most ${plural(depth, 'step')} from seed ${seed}`, ''];
  const width = Math.max(8, ...r.properties.map((p) => p.name.length)) + 2;
  for (const p of r.properties) lines.push(`  ${p.name.padEnd(width)}${KIND_TEXT[p.kind].padEnd(23)}${statusCell(p, r.stats.runs)}`);
  if (r.properties.length === 0) lines.push('  (no properties)');
  lines.push(`  ${'deadlock'.padEnd(width)}${''.padEnd(23)}${deadlockCell(r)}`);
  for (const f of simulationFindings(r, opts)) lines.push('', ...f.paragraph);
  if (r.error) {
    lines.push('', `Spec error at ${r.error.action}: ${r.error.message}`);
    lines.push(`  In run ${r.error.run} (seed ${r.error.seed}); make that run again with:`, `    ${again(opts, r.error.seed)}`);
    if (r.error.trace.length) lines.push('  The state where it threw is the last one of:', ...renderTrace(r.error.trace));
  }
  if (r.incomplete === 'timeout') lines.push('', `Incomplete: the timeout stopped the simulation after ${r.stats.runs} of ${plural(runs, 'run')}.`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  lines.push('', `Verdict: ${r.verdict}`, summaryLine(r), lastLine(r));
  return lines.join('\n') + '\n';
}

/** A property's cell: `violated (4 steps, seed 1)`, `reached (2 steps)`, `unknown (not violated in 1000 runs)`. */
function statusCell(p: SimulationProperty, runs: number): string {
  if (p.witness) return p.status === 'violated' ? `violated (${stepsAndSeed(p.witness)})` : `reached (${plural(steps(p.witness), 'step')})`;
  return `unknown (not ${p.kind === 'reachable' ? 'reached' : 'violated'} in ${plural(runs, 'run')})`;
}

function deadlockCell(r: SimulationResult): string {
  if (r.deadlock) return `found (${stepsAndSeed(r.deadlock)})`;
  return `none found in ${plural(r.stats.runs, 'run')}`;
}

function stepsAndSeed(w: Witness): string {
  return `${plural(steps(w), 'step')}, seed ${w.seed}`;
}

/** A failure with its trace, the paragraph the report prints for it, and the text file `--out` writes. */
export interface SimulationFinding extends TracedFinding {
  readonly paragraph: readonly string[];
  readonly text: string;
}

/** The violated properties in declaration order, then the deadlock: what the report prints traces for. */
export function simulationFindings(r: SimulationResult, opts: SimulationTextOptions): SimulationFinding[] {
  const found: [TracedFinding, Witness][] = [];
  for (const p of r.properties) {
    if (p.status === 'violated' && p.witness) found.push([{ name: p.name, kind: p.kind, claim: p.claim, trace: p.witness.trace }, p.witness]);
  }
  if (r.deadlock) found.push([{ name: 'deadlock', kind: 'deadlock', claim: DEADLOCK_CLAIM, trace: r.deadlock.trace }, r.deadlock]);
  return found.map(([f, w]) => {
    const paragraph = [findingLine(f), ...howFound(w, opts), ...renderTrace(f.trace)];
    return { ...f, paragraph, text: [simulationTitle(r), '', ...paragraph].join('\n') + '\n' };
  });
}

/** Which walk found it, how much shortening took off, and the command that makes that walk again. */
function howFound(w: Witness, opts: SimulationTextOptions): string[] {
  const shortened = steps(w) < w.walkSteps ? `, shortened to ${plural(steps(w), 'step')}` : '';
  return [`  Found by run ${w.run} (seed ${w.seed}) at step ${w.walkSteps}${shortened}; make that run again with:`, `    ${again(opts, w.seed)}`];
}

function again(opts: SimulationTextOptions, seed: number): string {
  return `${opts.reproduce} --seed ${seed} --runs 1`;
}

/** The walks made, the steps taken, the states generated and (estimated) distinct, and the time. */
export function summaryLine(r: Pick<SimulationResult, 'stats' | 'simulation'>): string {
  const { runs, steps: taken, generated, distinct, longestWalk, seconds } = r.stats;
  const walks = runs < r.simulation.runs ? `${runs} of ${plural(r.simulation.runs, 'run')}` : plural(runs, 'run');
  return (
    `${walks}, ${plural(taken, 'step')}, ${plural(generated, 'state')} generated, about ${distinct} distinct ` +
    `(estimated), longest walk ${plural(longestWalk, 'step')}, ${seconds.toFixed(2)} s`
  );
}

/** What the verdict does not mean: a simulation never shows that a property holds. */
function lastLine(r: SimulationResult): string {
  if (r.verdict === 'incomplete') {
    return (
      `No violation found in ${plural(r.stats.runs, 'run')} of at most ${plural(r.simulation.depth, 'step')}: ` +
      'a simulation is never a proof that a property holds (kmc check explores every state).'
    );
  }
  return 'Properties not violated are unknown: a simulation is never a proof (kmc check explores every state).';
}

function steps(w: Witness): number {
  return w.trace.length - 1;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

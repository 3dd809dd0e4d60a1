/**
 * `kmc replay` as text: which model and proposal the trace was replayed on, the steps that were possible
 * (with what they changed, as in `kmc check`), then either the first step that was not possible and what
 * was enabled instead, or whether the trace's finding is reproduced at its end. Pure.
 */
import type { ReplayOutcome } from '../engine/replay.js';
import type { Constants } from '../model.js';
import { findingLine, type DotFinding } from './dot.js';
import { constantsLine, renderTrace } from './text.js';

/** Everything the replay report says. */
export interface ReplayReport {
  readonly file: string;
  readonly model: string;
  readonly proposal: string;
  readonly constants: Constants;
  /** The proposal the trace was recorded on, when the file says. */
  readonly recordedProposal?: string;
  readonly finding: DotFinding;
  /** The trace's labels, `Init` first. */
  readonly labels: readonly string[];
  readonly outcome: ReplayOutcome;
  /** The first step (index, `Init` is 0) whose rebuilt state differs from the recorded one, if any. */
  readonly firstDifferent: number | null;
}

/** How a replay ended: 0 for `reproduced`, 1 for the other two (a finding about the design, not an error). */
export type ReplayVerdict = 'reproduced' | 'not reproduced' | 'does not replay';

export function replayVerdict(o: ReplayOutcome): ReplayVerdict {
  if (o.stuck) return 'does not replay';
  return o.reproduced ? 'reproduced' : 'not reproduced';
}

/** The whole report. */
export function renderReplay(r: ReplayReport): string {
  const steps = r.labels.length - 1;
  const recorded = r.recordedProposal !== undefined ? `, recorded on proposal ${r.recordedProposal}` : '';
  const lines = [
    `kmc replay ${r.file} on ${r.model} --proposal ${r.proposal}  (${constantsLine(r)})`,
    `The trace (${steps} steps${recorded}): ${findingLine(r.finding)}`,
    '',
    ...renderTrace(r.outcome.steps),
  ];
  const stuck = r.outcome.stuck;
  if (stuck) {
    lines.push(`  ${stuck.index + 1}. ${stuck.label}   ✗ not possible here`, '');
    lines.push(`Step ${stuck.index + 1}, ${stuck.label}, is not possible under proposal ${r.proposal}.`);
    lines.push(stuck.enabled.length > 0 ? `Enabled there: ${stuck.enabled.join(', ')}` : 'Nothing is enabled there.');
  } else {
    lines.push('', `All ${steps} steps replay. ${endLine(r.finding, r.outcome.reproduced)}`);
  }
  if (r.firstDifferent !== null) {
    const where = r.firstDifferent === 0 ? 'the initial state on' : `step ${r.firstDifferent + 1} on`;
    lines.push(`Note: the states differ from the recorded ones from ${where}.`);
  }
  lines.push('', `Verdict: ${replayVerdict(r.outcome)}`);
  return `${lines.join('\n')}\n`;
}

/** Whether the end of the replayed trace shows the finding, in one sentence. */
function endLine(f: DotFinding, reproduced: boolean): string {
  switch (f.kind) {
    case 'deadlock':
      return reproduced
        ? 'The last state has no enabled action and is not terminal: the deadlock is reproduced.'
        : 'The last state is not a deadlock: the deadlock is not reproduced.';
    case 'reachable':
      return reproduced
        ? `The last state reaches ${f.name}: the example is reproduced.`
        : `The last state does not reach ${f.name}: the example is not reproduced.`;
    case 'invariant':
      return reproduced
        ? `Invariant ${f.name} is violated in the last state: ${f.claim}`
        : `Invariant ${f.name} holds in the last state: the violation is not reproduced.`;
    case 'action':
      return reproduced
        ? `Action property ${f.name} is violated by the last step: ${f.claim}`
        : `Action property ${f.name} holds on the last step: the violation is not reproduced.`;
  }
}

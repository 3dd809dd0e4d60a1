/**
 * The failures of one check, one at a time: each violated property and the deadlock, with its trace.
 * `kmc check --out` writes every one of them as text, DOT, SVG and ITF; this file gives the list and the
 * text, worded exactly as the full `kmc check` report words that part, so a reviewer can paste either.
 */
import type { CheckResult, Trace } from '../engine/types.js';
import type { DotFinding } from './dot.js';
import { findingLine } from './dot.js';
import { constantsLine, renderTrace } from './text.js';

/** A failure with its counterexample. */
export interface TracedFinding extends DotFinding {
  readonly trace: Trace;
}

/** What deadlock freedom claims, worded like a property's claim (the ITF trace, diagram and matrix use it). */
export const DEADLOCK_CLAIM = 'every reachable state that is not terminal has an enabled action';

/** The violated properties in declaration order, then the deadlock: what the report prints traces for. */
export function findingsOf(r: CheckResult): TracedFinding[] {
  const out: TracedFinding[] = [];
  for (const p of r.properties) {
    if (p.status === 'violated' && p.trace) out.push({ name: p.name, kind: p.kind, claim: p.claim, trace: p.trace });
  }
  if (r.deadlock) out.push({ name: 'deadlock', kind: 'deadlock', claim: DEADLOCK_CLAIM, trace: r.deadlock.trace });
  return out;
}

/** The check's header line, as `kmc check` prints it: model, proposal and constants. */
export function checkTitle(r: Pick<CheckResult, 'model' | 'proposal' | 'constants'>): string {
  return `kmc check ${r.model} --proposal ${r.proposal}  (${constantsLine(r)})`;
}

/** One failure as text: the check's header line, then the report's paragraph for it. */
export function renderFindingText(r: CheckResult, f: TracedFinding): string {
  return [checkTitle(r), '', findingLine(f), ...renderTrace(f.trace)].join('\n') + '\n';
}

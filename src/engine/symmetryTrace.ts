/**
 * Counterexamples found under symmetry, made concrete. The search judged representatives; trace.ts
 * rebuilds the path on concrete states, and this file finishes it: the violating step of an action
 * property is looked for again among the concrete state's own transitions, and every trace is replayed
 * by the replay engine with symmetry out of the picture, so that what is reported is a real
 * counterexample of the model. One that does not reproduce means the declared symmetry is not one (an
 * asymmetry the sampling check did not meet), and the run stops with a `SpecError` naming the sets.
 */
import { SpecError } from '../errors.js';
import type { ActionProperty, StepInfo } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import { type Finding, replay } from './replay.js';
import { guarded, successors, type Successor } from './successors.js';
import type { BoundSymmetry } from './symmetry.js';
import type { Trace } from './types.js';

/** The first transition out of `s`, in the explorer's order, that violates `p`. */
export function violatingStep(model: ResolvedModel, s: unknown, p: ActionProperty<unknown>): Successor | undefined {
  return successors(model, s).find((t) => {
    const step: StepInfo = { action: model.actions[t.action]!.name, label: t.label, params: t.params };
    return !guarded(() => p.holds(s, t.next, step, model.constants), `action property ${p.name}`);
  });
}

/** Replays `trace` on `model` without symmetry; throws `SpecError` unless it shows `finding`. */
export function confirmConcrete(model: ResolvedModel, sym: BoundSymmetry, trace: Trace, finding: Finding): void {
  const init = model.init.indexOf(trace[0]?.state);
  const out = init < 0 ? null : replay(model, { init, labels: trace.slice(1).map((s) => s.action), finding });
  if (out && out.stuck === null && out.reproduced) return;
  throw notSymmetric(model, sym, `${describe(finding)} found on the representatives does not reproduce on the concrete trace`);
}

/** No concrete transition out of the trace's last state violates the action property `p`. */
export function noConcreteViolation(model: ResolvedModel, sym: BoundSymmetry, p: ActionProperty<unknown>): SpecError {
  return notSymmetric(model, sym, `no step out of the concrete state violates action property ${p.name}, as one out of its representative does`);
}

function describe(finding: Finding): string {
  switch (finding.kind) {
    case 'deadlock':
      return 'the deadlock';
    case 'reachable':
      return `the example of reachability property ${finding.name}`;
    default:
      return `the counterexample of ${finding.kind === 'action' ? 'action property' : 'invariant'} ${finding.name}`;
  }
}

function notSymmetric(model: ResolvedModel, sym: BoundSymmetry, what: string): SpecError {
  const names = sym.sets.filter((set) => set.size >= 2).map((set) => set.name).join(', ');
  return new SpecError(
    `symmetry ${names} is not a symmetry of ${model.model}/${model.proposal}: ${what} ` +
      '(a property or an action treats the ids differently somewhere the check of the first states did not reach)',
  );
}

/**
 * Replaying a recorded trace's step labels on a model, possibly another proposal than the one that
 * produced it: "does proposal B block proposal A's counterexample, and where?". Each step is found again
 * by its label among the transitions enabled in the current state (labels are unique per state), so the
 * states are rebuilt by the model's own code, never taken from the file. At the end the trace's finding
 * is judged again on the rebuilt states.
 */
import type { Property, StepInfo } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import { INIT_LABEL } from './label.js';
import { guarded, successors, type Successor } from './successors.js';
import type { Step } from './types.js';

/** What the trace claims: a property's violation (or, for a reachability property, an example), or a deadlock. */
export type Finding = Property<unknown> | { readonly kind: 'deadlock'; readonly name: 'deadlock' };

export interface ReplayRequest {
  /** Which of the model's initial states the trace starts from. */
  readonly init: number;
  /** The labels of the steps after `Init`, in order. */
  readonly labels: readonly string[];
  readonly finding: Finding;
}

/** The first step that is not possible: its position, its label, and what was possible instead. */
export interface Stuck {
  /** The step's index in the trace (`Init` is 0). */
  readonly index: number;
  readonly label: string;
  /** Labels of the transitions enabled in the state before it, in the explorer's order. */
  readonly enabled: readonly string[];
}

export interface ReplayOutcome {
  /** The steps that were possible, `Init` first, with the states the model built. */
  readonly steps: readonly Step[];
  readonly stuck: Stuck | null;
  /** Whether the finding holds at the end (a violation, a deadlock, a reached situation); false when stuck. */
  readonly reproduced: boolean;
}

/** Replays `req.labels` from initial state `req.init`; throws `SpecError` when the spec's code throws. */
export function replay(model: ResolvedModel, req: ReplayRequest): ReplayOutcome {
  if (model.init[req.init] === undefined) throw new RangeError(`the model has no initial state ${req.init}`);
  let s: unknown = model.init[req.init];
  const steps: Step[] = [{ action: INIT_LABEL, state: s }];
  let last: { readonly prev: unknown; readonly taken: Successor } | null = null;
  for (const [i, label] of req.labels.entries()) {
    const enabled = successors(model, s);
    const taken = enabled.find((t) => t.label === label);
    if (!taken) return { steps, stuck: { index: i + 1, label, enabled: enabled.map((t) => t.label) }, reproduced: false };
    last = { prev: s, taken };
    s = taken.next;
    steps.push({ action: label, state: s });
  }
  return { steps, stuck: null, reproduced: judge(model, req.finding, s, last) };
}

/** Whether `finding` holds of the end of a replayed trace: its last state, or its last step. */
function judge(
  model: ResolvedModel,
  finding: Finding,
  s: unknown,
  last: { readonly prev: unknown; readonly taken: Successor } | null,
): boolean {
  const k = model.constants;
  switch (finding.kind) {
    case 'invariant':
      return !guarded(() => finding.holds(s, k), `invariant ${finding.name}`);
    case 'reachable':
      return guarded(() => finding.reached(s, k), `reachability property ${finding.name}`);
    case 'action': {
      if (last === null) return false;
      const { prev, taken } = last;
      const step: StepInfo = { action: model.actions[taken.action]!.name, label: taken.label, params: taken.params };
      return !guarded(() => finding.holds(prev, taken.next, step, k), `action property ${finding.name}`);
    }
    case 'deadlock':
      if (successors(model, s).length > 0) return false;
      return !(model.terminal !== undefined && guarded(() => model.terminal!(s, k), 'the terminal predicate'));
  }
}

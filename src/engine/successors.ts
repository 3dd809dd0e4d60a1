/**
 * Every enabled transition out of one state, in the explorer's order (actions in declaration order, each
 * action's parameters in the order `params` yields them), for the tools that need them as a list: the
 * state graph and trace replay. The explorer keeps its own inlined loop, which is on the hot path.
 *
 * Unlike the explorer, which records a throwing spec as data in its result, these tools have no result to
 * put it in, so a guard, effect or property that throws becomes a `SpecError` naming the step.
 */
import { messageOf, SpecError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import { labelOf } from './label.js';

/** One enabled instance of an action: which one, its label and parameter, and the state it leads to. */
export interface Successor {
  /** The action's index in the model's declaration order. */
  readonly action: number;
  /** The parameter's position in what `params` yielded (what the store records). */
  readonly ordinal: number;
  readonly label: string;
  readonly params: unknown;
  readonly next: unknown;
}

const NO_PARAMS: readonly unknown[] = [undefined];

/** The enabled transitions out of `s`; throws `SpecError` when the spec's code throws. */
export function successors(model: ResolvedModel, s: unknown): Successor[] {
  const out: Successor[] = [];
  const k = model.constants;
  model.actions.forEach((a, action) => {
    const params = guarded(() => [...(a.params ? a.params(s, k) : NO_PARAMS)], `the params of ${a.name}`);
    params.forEach((p, ordinal) => {
      const label = labelOf(a, p);
      if (a.guard && !guarded(() => a.guard!(s, p as never, k), `the guard of ${label}`)) return;
      const next = guarded(() => a.effect(s, p as never, k), `the effect of ${label}`);
      if (next !== undefined) out.push({ action, ordinal, label, params: p, next });
    });
  });
  return out;
}

/** Runs a piece of the spec's own code, turning anything it throws into a `SpecError` saying where. */
export function guarded<T>(f: () => T, where: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw new SpecError(`in ${where}: ${messageOf(e)}`);
  }
}

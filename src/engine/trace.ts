/**
 * Rebuilding counterexamples. The store keeps, per state, only its parent (and, in the exact store, the
 * transition that first reached it). A trace walks the parents back to an initial state and then replays
 * the path forward on the spec itself (TLC's and stateright's method), so every state in a trace is a real
 * successor of the one before, built by the spec's own code.
 *
 * Each step is found again in one of two ways:
 * - the exact store kept the edge: take that transition, and check that it rebuilds the stored bytes;
 * - the fingerprint store kept no edge: take the first transition, in the explorer's order, whose state
 *   has the stored fingerprint (TLC's method). That is the transition the search first reached the state
 *   by, so both stores give the same trace; and since the search went through the same transitions in
 *   the same order up to that one, replay runs no spec code the search did not run.
 * Either way, a step that cannot be found means the spec's steps depend on something outside the state,
 * and we say so.
 *
 * Under symmetry the store holds one representative per orbit and keeps no edges (an edge leaves a
 * representative, not the concrete state being replayed), so every step is found the second way, with
 * the encoder giving canonical bytes: the first successor of the concrete state whose orbit is the one
 * stored. Renumbering commutes with the steps, so there always is one, and the trace is concrete: each
 * state a real successor of the one before, as if symmetry were off.
 */
import { NondeterminismError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import type { StateEncoder } from './codec.js';
import { INIT_LABEL, labelOf } from './label.js';
import { NO_EDGE, type SeenStore } from './store.js';
import { takeTransition, type Taken, unpackEdge } from './transition.js';
import type { Step } from './types.js';

const NO_PARAMS: readonly unknown[] = [undefined];

/** The shortest path the search found from an initial state to state `id`, with full states. */
export function traceTo(model: ResolvedModel, store: SeenStore, codec: StateEncoder, id: number): Step[] {
  const chain: number[] = [];
  for (let cur = id; ; cur = store.parent(cur)) {
    chain.push(cur);
    if (store.isRoot(cur)) break;
  }
  chain.reverse();
  let s: unknown = initialState(model, store, codec, chain[0]!);
  const steps: Step[] = [{ action: INIT_LABEL, state: s }];
  for (let i = 1; i < chain.length; i++) {
    const target = chain[i]!;
    const edge = store.edge(target);
    let taken: Taken | undefined;
    if (edge === NO_EDGE) {
      taken = firstMatching(model, store, codec, s, target);
      if (!taken) throw nondeterministic(model, steps, `no step ${i} leads to a state with the fingerprint the search stored`);
    } else {
      const { action, ordinal } = unpackEdge(edge);
      taken = takeTransition(model, s, action, ordinal);
      if (!taken) throw nondeterministic(model, steps, `step ${i} (${model.actions[action]?.name}) is no longer enabled`);
      const len = codec.encode(taken.next);
      if (!store.matches(target, codec.buf, len)) {
        throw nondeterministic(model, steps, `step ${i} (${taken.label}) produced a different state than during the search`);
      }
    }
    s = taken.next;
    steps.push({ action: taken.label, state: s });
  }
  return steps;
}

/** The initial state `root` is: by its recorded index, or the first whose encoding it matches. */
function initialState(model: ResolvedModel, store: SeenStore, codec: StateEncoder, root: number): unknown {
  const edge = store.edge(root);
  if (edge !== NO_EDGE) return model.init[edge];
  const s = model.init.find((init) => matches(store, root, codec, init));
  if (s === undefined) throw nondeterministic(model, [], 'no initial state has the fingerprint the search stored');
  return s;
}

/** The first transition out of `s`, in the explorer's order, to a state that matches `target`. */
function firstMatching(model: ResolvedModel, store: SeenStore, codec: StateEncoder, s: unknown, target: number): Taken | undefined {
  const k = model.constants;
  for (const a of model.actions) {
    for (const p of a.params ? a.params(s, k) : NO_PARAMS) {
      if (a.guard && !a.guard(s, p as never, k)) continue;
      const next = a.effect(s, p as never, k);
      if (next !== undefined && matches(store, target, codec, next)) return { label: labelOf(a, p), params: p, next };
    }
  }
  return undefined;
}

/** Whether `s` is state `id` of the store (encoded first: the encoder may grow its buffer). */
function matches(store: SeenStore, id: number, codec: StateEncoder, s: unknown): boolean {
  const len = codec.encode(s);
  return store.matches(id, codec.buf, len);
}

function nondeterministic(model: ResolvedModel, steps: readonly Step[], what: string): NondeterminismError {
  const path = steps.length > 0 ? `along ${steps.map((s) => s.action).join(' → ')}` : 'from the initial states';
  return new NondeterminismError(
    `the spec is nondeterministic: replaying ${model.model}/${model.proposal} ${path}, ${what}. ` +
      'Guards and effects must depend only on the state, the parameter and the constants ' +
      '(no randomness, clocks, globals or mutation of shared objects).',
  );
}

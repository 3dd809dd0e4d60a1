/**
 * Rebuilding counterexamples. The store keeps, per state, only its parent and the transition that first
 * reached it. A trace walks those edges back to an initial state and then replays them forward on the
 * spec itself (TLC's and stateright's method), so every state in a trace is a real successor of the one
 * before, built by the spec's own code. Replay also checks that each rebuilt state encodes to the stored
 * bytes: if not, the spec's steps depend on something outside the state, and we say so.
 */
import { NondeterminismError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import type { Codec } from './codec.js';
import { INIT_LABEL } from './label.js';
import type { StateStore } from './stateStore.js';
import { takeTransition, unpackEdge } from './transition.js';
import type { Step } from './types.js';

/** The shortest path the search found from an initial state to state `id`, with full states. */
export function traceTo(model: ResolvedModel, store: StateStore, codec: Codec, id: number): Step[] {
  const chain: number[] = [];
  for (let cur = id; ; cur = store.parent(cur)) {
    chain.push(cur);
    if (store.isRoot(cur)) break;
  }
  chain.reverse();
  const root = chain[0]!;
  let s: unknown = model.init[store.edge(root)];
  const steps: Step[] = [{ action: INIT_LABEL, state: s }];
  for (let i = 1; i < chain.length; i++) {
    const target = chain[i]!;
    const { action, ordinal } = unpackEdge(store.edge(target));
    const taken = takeTransition(model, s, action, ordinal);
    if (!taken) throw nondeterministic(model, steps, `step ${i} (${model.actions[action]?.name}) is no longer enabled`);
    if (!sameBytes(store, codec, target, taken.next)) {
      throw nondeterministic(model, steps, `step ${i} (${taken.label}) produced a different state than during the search`);
    }
    s = taken.next;
    steps.push({ action: taken.label, state: s });
  }
  return steps;
}

function sameBytes(store: StateStore, codec: Codec, id: number, state: unknown): boolean {
  const len = codec.encode(state);
  const { buf, start, end } = store.bytesOf(id);
  if (end - start !== len) return false;
  for (let i = 0; i < len; i++) if (buf[start + i] !== codec.buf[i]) return false;
  return true;
}

function nondeterministic(model: ResolvedModel, steps: readonly Step[], what: string): NondeterminismError {
  const path = steps.map((s) => s.action).join(' → ');
  return new NondeterminismError(
    `the spec is nondeterministic: replaying ${model.model}/${model.proposal} along ${path}, ${what}. ` +
      'Guards and effects must depend only on the state, the parameter and the constants ' +
      '(no randomness, clocks, globals or mutation of shared objects).',
  );
}

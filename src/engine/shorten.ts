/**
 * Shortening a random walk's counterexample. A walk wanders: it revisits states and takes detours that a
 * reviewer should not have to read. Two passes, both only ever choosing among transitions the model
 * itself offers:
 *
 * 1. cycles: when a state comes back later in the walk, everything between its first and last visit is
 *    cut (states compared by their canonical bytes from codec.ts, never by Immutable's hashCode, which
 *    tells neither Record types apart nor is free of collisions);
 * 2. shortcuts: a breadth-first search over the walk's own states, following every enabled transition
 *    between them, from the walk's first state (or any of its states that is an initial state) to its
 *    last, so a later state reachable in one step from an earlier one is reached in that one step.
 *
 * Each result is replayed on the model by its step labels (replay.ts, what `kmc replay` does) and kept
 * only if it still shows the finding; otherwise the next longer candidate is tried, and the walk itself
 * is the last resort. For an action property the violating step is the point: the passes shorten the
 * walk up to that step's source state and keep the step.
 */
import { SpecError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import type { Codec } from './codec.js';
import { INIT_LABEL } from './label.js';
import { replay, type Finding } from './replay.js';
import { successors } from './successors.js';
import type { Step, Trace } from './types.js';

/** A state's canonical bytes as a string key (copied out of the codec's scratch buffer). */
export type KeyOf = (state: unknown) => string;

export function keyFunction(codec: Codec): KeyOf {
  return (state) => {
    const n = codec.encode(state);
    return codec.buf.toString('latin1', 0, n);
  };
}

/**
 * The walk without its cycles: from each state, continue from the last visit of the same state. No state
 * appears twice in the result, and each step is one the walk took (from an equal state).
 */
export function removeCycles(trace: Trace, keyOf: KeyOf): Trace {
  if (trace.length === 0) return trace;
  const keys = trace.map((s) => keyOf(s.state));
  const lastVisit = new Map<string, number>();
  keys.forEach((k, i) => lastVisit.set(k, i));
  let i = lastVisit.get(keys[0]!)!;
  const out: Step[] = [{ action: trace[0]!.action, state: trace[i]!.state }];
  while (i < trace.length - 1) {
    const action = trace[i + 1]!.action;
    i = lastVisit.get(keys[i + 1]!)!;
    out.push({ action, state: trace[i]!.state });
  }
  return out;
}

/**
 * The shortest path, over the transitions the model enables between the trace's own states, from one of
 * them that is an initial state to the last one. Throws `SpecError` if the spec throws.
 */
export function shortcut(model: ResolvedModel, trace: Trace, keyOf: KeyOf): Trace {
  const keys = trace.map((s) => keyOf(s.state));
  const onPath = new Set(keys);
  const target = keys[keys.length - 1]!;
  const initKeys = new Set(model.init.map(keyOf));
  const reachedBy = new Map<string, { readonly from: string | null; readonly step: Step }>();
  const queue: string[] = [];
  trace.forEach((s, i) => {
    const k = keys[i]!;
    if (!initKeys.has(k) || reachedBy.has(k)) return;
    reachedBy.set(k, { from: null, step: { action: INIT_LABEL, state: s.state } });
    queue.push(k);
  });
  for (let q = 0; q < queue.length && !reachedBy.has(target); q++) {
    const from = queue[q]!;
    for (const t of successors(model, reachedBy.get(from)!.step.state)) {
      const k = keyOf(t.next);
      if (!onPath.has(k) || reachedBy.has(k)) continue;
      reachedBy.set(k, { from, step: { action: t.label, state: t.next } });
      queue.push(k);
      if (k === target) break;
    }
  }
  const out: Step[] = [];
  for (let k: string | null = target; k !== null; ) {
    const entry = reachedBy.get(k);
    if (!entry) return trace; // unreachable for a deterministic spec: the walk itself is such a path
    out.push(entry.step);
    k = entry.from;
  }
  return out.reverse();
}

/**
 * The shortest of (shortcuts, cycle-free walk) that still shows `finding` when replayed on `model`, as
 * the replay rebuilt it; the walk itself when neither is shorter or neither replays. Never longer.
 */
export function shorten(model: ResolvedModel, codec: Codec, walk: Trace, finding: Finding): Trace {
  const keyOf = keyFunction(codec);
  const isStep = finding.kind === 'action';
  const prefix = isStep ? walk.slice(0, -1) : walk;
  const tail = isStep ? walk.slice(-1) : [];
  const noCycles = attempt(() => removeCycles(prefix, keyOf));
  const shortest = noCycles && attempt(() => shortcut(model, noCycles, keyOf));
  for (const candidate of [shortest, noCycles]) {
    if (!candidate || candidate.length >= prefix.length) continue;
    const confirmed = confirm(model, [...candidate, ...tail], finding, keyOf);
    if (confirmed) return confirmed;
  }
  return walk;
}

/** The trace as replay rebuilds it, if it replays step by step and shows the finding at its end. */
function confirm(model: ResolvedModel, trace: Trace, finding: Finding, keyOf: KeyOf): Trace | undefined {
  const first = keyOf(trace[0]!.state);
  const init = model.init.findIndex((s) => keyOf(s) === first);
  if (init < 0) return undefined;
  const outcome = attempt(() => replay(model, { init, labels: trace.slice(1).map((s) => s.action), finding }));
  return outcome && outcome.stuck === null && outcome.reproduced ? outcome.steps : undefined;
}

/** The spec's code runs again while shortening; if it throws now, that candidate is simply not used. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) return undefined;
    throw e;
  }
}

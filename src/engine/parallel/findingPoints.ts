/**
 * What a parallel run's findings (events.ts, settled by findingsLog.ts) become in the result: the points
 * result.ts builds traces to, with the ids of the gathered chains (chainStore.ts), exactly as the
 * sequential explorer records them.
 */
import type { ResolvedModel } from '../../resolve.js';
import type { Codec } from '../codec.js';
import type { FailurePoint, Findings, ThrowPoint } from '../result.js';
import { traceTo } from '../trace.js';
import type { ChainStore } from './chainStore.js';
import type { FoundEvent } from './events.js';
import type { FindingsLog } from './findingsLog.js';

/** The references of the states the result reports (violations, reached situations, a deadlock, a throw): their chains are gathered. */
export function reportedRefs(log: FindingsLog): number[] {
  const events = [...log.violated.values(), ...log.reached.values(), log.deadlock, log.error];
  return events.filter((e): e is FoundEvent => e !== null && e.ref >= 0).map((e) => e.ref);
}

/** The settled log's findings, with the ids of the gathered chains, as the sequential explorer records them. */
export function findingsOf(log: FindingsLog, model: ResolvedModel, store: ChainStore, codec: Codec): Pick<Findings, 'violated' | 'reached' | 'deadlock' | 'error'> {
  return {
    violated: new Map([...log.violated].map(([i, e]) => [i, failurePoint(store, e)])),
    reached: new Map([...log.reached].map(([i, e]) => [i, store.idOf(e.ref)])),
    deadlock: log.deadlock ? store.idOf(log.deadlock.ref) : -1,
    error: log.error ? throwPoint(model, store, codec, log.error) : null,
  };
}

/** A violation: the state, and for an action property the step out of it that broke the property. */
function failurePoint(store: ChainStore, e: FoundEvent): FailurePoint {
  const id = store.idOf(e.ref);
  return e.action >= 0 ? { id, action: e.action, ordinal: e.ordinal } : { id };
}

/** A throw in the spec: where it happened, and the step it happened in, named as the sequential explorer names it. */
function throwPoint(model: ResolvedModel, store: ChainStore, codec: Codec, e: FoundEvent): ThrowPoint {
  const t = e.thrown!;
  const base = { phase: t.phase, action: t.action, params: undefined, init: t.init, message: t.message };
  if (e.ref < 0) return { ...base, id: -1, subject: -1 };
  const id = store.idOf(e.ref);
  if (!t.judging) return { ...base, id, subject: -1, ...(t.label !== null ? { label: t.label } : {}) };
  if (t.action < 0) return { ...base, id: -1, subject: id };
  // A new state's judge threw: the sequential explorer names the step that first reached it.
  let label: string | undefined;
  try {
    label = traceTo(model, store, codec, id).at(-1)?.action;
  } catch {
    label = undefined;
  }
  return { ...base, id, subject: id, ...(label !== undefined ? { label } : {}) };
}

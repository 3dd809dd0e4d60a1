/**
 * What a parallel run's findings (events.ts, settled by findingsLog.ts) become in the result: the points
 * result.ts builds traces to, with the ids of the gathered chains (chainStore.ts), exactly as the
 * sequential explorer records them.
 */
import type { ResolvedModel } from '../../resolve.js';
import type { Codec } from '../codec.js';
import type { FailurePoint, ThrowPoint } from '../result.js';
import { traceTo } from '../trace.js';
import type { ChainStore } from './chainStore.js';
import type { FoundEvent } from './events.js';

/** A violation: the state, and for an action property the step out of it that broke the property. */
export function failurePoint(store: ChainStore, e: FoundEvent): FailurePoint {
  const id = store.idOf(e.ref);
  return e.action >= 0 ? { id, action: e.action, ordinal: e.ordinal } : { id };
}

/** A throw in the spec: where it happened, and the step it happened in, named as the sequential explorer names it. */
export function throwPoint(model: ResolvedModel, store: ChainStore, codec: Codec, e: FoundEvent): ThrowPoint {
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

/**
 * One transition of a resolved model, found again by its position: the action's index and the ordinal of
 * its parameter. The store records only these two numbers per state; traces are rebuilt from them.
 */
import type { ResolvedModel } from '../resolve.js';
import { labelOf } from './label.js';

/** Packs (action index, parameter ordinal) into the int32 the store keeps per state. */
export const ORDINAL_BITS = 20;
export const MAX_ACTIONS = 1 << (31 - ORDINAL_BITS);
export const MAX_ORDINAL = (1 << ORDINAL_BITS) - 1;

export function packEdge(action: number, ordinal: number): number {
  return action * (1 << ORDINAL_BITS) + ordinal;
}

export function unpackEdge(edge: number): { readonly action: number; readonly ordinal: number } {
  const ordinal = edge & MAX_ORDINAL;
  return { action: (edge - ordinal) / (1 << ORDINAL_BITS), ordinal };
}

export interface Taken {
  readonly label: string;
  readonly params: unknown;
  readonly next: unknown;
}

/** Takes transition (action, ordinal) from `s`, or returns undefined when it is not enabled there. */
export function takeTransition(model: ResolvedModel, s: unknown, action: number, ordinal: number): Taken | undefined {
  const a = model.actions[action];
  if (!a) return undefined;
  const k = model.constants;
  let i = 0;
  for (const p of a.params ? a.params(s, k) : [undefined]) {
    if (i++ !== ordinal) continue;
    if (a.guard && !a.guard(s, p as never, k)) return undefined;
    const next = a.effect(s, p as never, k);
    return next === undefined ? undefined : { label: labelOf(a, p), params: p, next };
  }
  return undefined;
}

/**
 * Q1 of MODELS.md §4.5 and the reachability check that the window between the two asi_intr_exit steps
 * is really hit by a nested interrupt.
 */
import { forState } from '../../src/index.js';
import type { Asi, K } from './state.js';

const { invariant, reachable } = forState<Asi, K>();

/** Q1. */
export const asiRestrictedOnReturn = invariant(
  'asi-restricted-on-return',
  'when every interrupt has returned to a critical section (target set, intr_nest_depth 0), CR3 is the restricted address space',
  (s) => !(s.irqs.isEmpty() && s.ph === 'critical' && s.target && s.depth === 0) || s.curAsi === 'restricted',
);

export const nestedIrqInExitWindowReached = reachable(
  'nested-irq-in-exit-window-reached',
  'an interrupt nests between the two steps (decrement, __asi_enter) of an outer asi_intr_exit in a critical section',
  (s) => s.target && s.irqs.size >= 2 && s.irqs.get(s.irqs.size - 2)?.pc === 'exit2',
);

export const properties = [asiRestrictedOnReturn, nestedIrqInExitWindowReached];

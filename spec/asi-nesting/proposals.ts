/**
 * The two orders of asi_intr_exit (MODELS.md §4.4): the RFC's, and the reordering its comment warns of.
 */
import type { Proposal } from '../../src/index.js';
import { intrExitDecSecond, intrExitEnterFirst } from './actions.js';
import type { Asi, K } from './state.js';

const ASI_2024 = 'Msg 20240712-asi-rfc-24-v1-6-144b319a40d8@google.com';

export const proposals: readonly Proposal<Asi, K>[] = [
  {
    id: 'asi-nest-pertask',
    summary: 'the RFC: per-task intr_nest_depth; asi_intr_exit decrements, then calls __asi_enter when it reached 0',
    source: `${ASI_2024} ("mm: asi: ASI support in interrupts/exceptions")`,
  },
  {
    id: 'asi-nest-reordered',
    summary: 'the reordering the RFC comment warns of: __asi_enter when the depth is about to reach 0, then the decrement',
    source: `${ASI_2024}, the comment in asi_intr_exit(): "If the decrement got reordered after __asi_enter…"`,
    replace: [intrExitEnterFirst, intrExitDecSecond],
  },
];

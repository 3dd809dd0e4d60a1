/**
 * pkrs-nesting: where the PKS protection-key register (PKRS) is saved when kernel entries nest
 * (syscall → #PF → IRQ → NMI), across sleeps in #PF handlers and context switches. MODELS.md §2.
 */
import { defineModel } from '../../src/index.js';
import { commonProperties } from './properties.js';
import { threadOnly } from './designs.js';
import { actionsFor, baseline, proposals } from './proposals.js';
import { constants, initial } from './state.js';
import { symmetry } from './symmetry.js';
import { pkrsNestingView, pkrsThreadStackView } from './view.js';

export const pkrsNesting = defineModel({
  name: 'pkrs-nesting',
  summary: 'Where to keep PKRS across nested kernel entries: thread_struct, a stack, idtentry_state, pt_regs aux',
  constants,
  presets: {
    large: {
      summary: 'two CPUs and three tasks: sleeping and preempted tasks migrate, and two of the three never call pks_set',
      constants: { nCpus: 2, nTasks: 3 },
    },
  },
  build: (k) => ({
    init: [initial(k)],
    actions: actionsFor(threadOnly, k),
    properties: commonProperties,
    view: pkrsNestingView,
    symmetry,
  }),
  baseline,
  // pks-thread-stack draws its per-thread save stack too.
  proposals: proposals.map((p) => (p.id === 'pks-thread-stack' ? { ...p, view: pkrsThreadStackView } : p)),
});

export default pkrsNesting;

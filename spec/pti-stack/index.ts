/**
 * pti-stack: where the PTI entry frame lives when the CR3 switch moves into C and the handler can sleep
 * (MODELS.md §4, seed 004). The baseline is mainline's asm entry on the per-CPU trampoline stack.
 */
import { defineModel } from '../../src/index.js';
import {
  handlerSleep,
  iretToUser,
  irqExitKernel,
  makeDispatch,
  makeDoExit,
  makeHandlerIrqOn,
  makeHwEntryFromUser,
  makeIrqEntryKernel,
  preemptIrq,
  wakeUp,
} from './actions.js';
import { asmSwitchCr3Kernel, makeAsmExitCopyIret } from './paths.js';
import { properties } from './properties.js';
import { proposals } from './proposals.js';
import { constants, initial, tramp, type Pti } from './state.js';
import { symmetry } from './symmetry.js';
import { ptiStackView } from './view.js';

export const ptiStack = defineModel<Pti, typeof constants>({
  name: 'pti-stack',
  summary: 'PTI trampoline stacks with the CR3 switch in C: per-CPU vs per-task entry stacks when the handler sleeps',
  constants,
  presets: {
    large: {
      summary: 'three tasks on two CPUs: a third task reuses a sleeper\'s CPU and stacks while it is away',
      constants: { nCpus: 2, nTasks: 3 },
    },
  },
  build: (k) => ({
    init: [initial(k, { sp0: tramp, mapPtiStacks: false })],
    actions: [
      makeDispatch('percpu'),
      makeHwEntryFromUser({ vcpuMutex: false }),
      asmSwitchCr3Kernel,
      makeHandlerIrqOn(['body']),
      handlerSleep,
      wakeUp,
      makeIrqEntryKernel('by-cs'),
      irqExitKernel,
      preemptIrq,
      makeAsmExitCopyIret('switch-cr3'),
      iretToUser,
      makeDoExit({ freePtiStack: false, unmap: false }),
    ],
    properties,
    terminal: (s) => s.tasks.every((x) => x.ph === 'dead'),
    view: ptiStackView,
    symmetry,
  }),
  baseline: 'pti-asm-percpu',
  proposals,
});

export default ptiStack;

/**
 * The designs of MODELS.md §4.4, each a patch on mainline (`pti-asm-percpu`) or on another design.
 */
import type { ModelParts, Proposal } from '../../src/index.js';
import { makeDispatch, makeDoExit, makeHandlerIrqOn, makeHwEntryFromUser, makeIrqEntryKernel } from './actions.js';
import { asmReturnThenSwitch, cPagetableEscape, makeAsmExitCopyIret, makeCPagetableReturn, runIdt } from './paths.js';
import { irqInUserCr3WindowReached } from './properties.js';
import { idleStack, initial, VCPU_STACK, type InitOptions, type K, type Pti } from './state.js';

const SEED4 = 'CALCETrV9ckeSwyjLn4hxuJeakxnkRQ71RAVf44nTWOFva9EJFA@mail.gmail.com (seed 004)';
const RFC_COVER = '20201116144757.1920077-1-alexandre.chartre@oracle.com';
const RFC_14 = '20201109112319.264511-15-alexandre.chartre@oracle.com';

/** A patch that only changes the initial state. */
const withInit =
  (opts: InitOptions) =>
  (parts: ModelParts<Pti, K>, k: K): ModelParts<Pti, K> => ({ ...parts, init: [initial(k, opts)] });

/** Chartre's C steps (1) and (2) on the saved entry stack, shared by the per-CPU and per-task designs. */
const cSteps = {
  remove: ['asm_switch_cr3_kernel', 'asm_exit_copy_iret'],
  add: [cPagetableEscape, runIdt, makeCPagetableReturn('body', 'off')],
};

export const proposals: readonly Proposal<Pti, K>[] = [
  {
    id: 'pti-asm-percpu',
    summary: 'mainline v5.10: CR3 switch in asm, sync_regs to the thread stack, exit copies the IRET frame to this CPU\'s trampoline',
    source: `Msg ${RFC_14} (the mainline lines it removes); sync_regs() in arch/x86/kernel/traps.c`,
  },
  {
    id: 'pti-c-percpu-sleepy',
    summary: 'CR3 switch in C steps (1)/(2) on the per-CPU trampoline stack, which the handler may sleep across',
    source: `Msg ${SEED4}, Chartre's DEFINE_IDTENTRY sketch`,
    ...cSteps,
  },
  {
    id: 'pti-c-percpu-asm-return',
    summary: 'C step (1) on the trampoline, back to asm to copy pt_regs to the kernel stack; asm copies back to this CPU\'s trampoline before (2)',
    source: `Msg ${SEED4}, Andy Lutomirski: "call from asm to C on the entry stack, return back to asm, and then switch stacks"`,
    remove: ['asm_switch_cr3_kernel', 'asm_exit_copy_iret'],
    add: [cPagetableEscape, asmReturnThenSwitch, makeAsmExitCopyIret('call-c'), makeCPagetableReturn('ret', 'off')],
  },
  {
    id: 'pti-c-pertask',
    summary: 'per-task PTI stack at TSS.sp0 (update_task_stack on every switch), mapped in the mm at fork and unmapped at exit',
    source: `Msg ${RFC_COVER}; Msg ${RFC_14}`,
    ...cSteps,
    replace: [makeDispatch('pertask'), makeDoExit({ freePtiStack: true, unmap: true })],
    patch: withInit({ sp0: idleStack, mapPtiStacks: true }),
  },
  {
    id: 'pti-c-pertask-nounmap',
    summary: 'per-task PTI stack as posted: do_exit frees the stack but leaves it mapped in the user page table',
    source: `Msg ${RFC_COVER}; Msg ${SEED4}, Andy: "doesn't even handle the unmap part yet"`,
    extends: 'pti-c-pertask',
    replace: [makeDoExit({ freePtiStack: true, unmap: false })],
  },
  {
    id: 'pti-c-pertask-lazy-sp0',
    summary: 'negative control: per-task PTI stack, but some context switches skip update_task_stack',
    source: 'MODELS.md §4.4 [J] negative control',
    extends: 'pti-c-pertask',
    replace: [makeDispatch('lazy')],
  },
  {
    id: 'pti-cr3-deferred-irqs-on',
    summary: 'per-task PTI stack, CR3 switch deferred into C code that runs with IRQs on; nested IRQs decide by CS',
    source: `Msg ${RFC_COVER}: "the CR3 switch can only be pushed as far as interrupts remain disabled"`,
    extends: 'pti-c-pertask',
    replace: [makeHandlerIrqOn(['hw', 'body', 'iret']), makeCPagetableReturn('body', 'kept')],
    addProperties: [irqInUserCr3WindowReached],
  },
  {
    id: 'pti-cr3-deferred-read-cr3',
    summary: 'as pti-cr3-deferred-irqs-on, but nested entries read CR3, switch if user, and restore the stashed value on exit',
    source: '[J] paranoid_entry style ("Always restore stashed CR3 value"), Msg 20220310172019.850939-24-ira.weiny@intel.com',
    extends: 'pti-cr3-deferred-irqs-on',
    replace: [makeIrqEntryKernel('by-cr3')],
  },
  {
    id: 'pti-pervcpu-stack',
    summary: 'C steps (1)/(2) on a per-vCPU entry stack, owned through vcpu->mutex across the handler\'s sleep',
    source: `Msg ${SEED4}, Andy: "If you used a per-vcpu stack, though, you could even sleep with some care"`,
    extends: 'pti-c-percpu-sleepy',
    replace: [makeHwEntryFromUser({ vcpuMutex: true })],
    patch: withInit({ sp0: () => VCPU_STACK, mapPtiStacks: false }),
  },
];

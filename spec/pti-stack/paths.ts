/**
 * The entry and exit paths of the designs (MODELS.md §4.3–4.4): where the CR3 switch happens and which
 * stack the frame is read from on the way out. Every step that reads the entry frame reads it at the
 * task's `retStk`; the property entry-frame-intact judges exactly those reads.
 */
import type { Action } from '../../src/index.js';
import { loadCr3, taskStep, withTask } from './steps.js';
import { frameAt, kernelStack, putFrame, releaseFrame, task, tramp, type K, type Phase, type Pti } from './state.js';

/** Copies t's frame from its current `retStk` to `to` (whatever is there: a clobbered frame is copied too). */
function moveFrame(s: Pti, t: number, to: string): Pti {
  const from = task(s, t).retStk;
  const frame = frameAt(s, from);
  return withTask(putFrame(releaseFrame(s, from, t), to, frame), t, { retStk: to });
}

/**
 * Mainline v5.10 `error_entry`: `SWITCH_TO_KERNEL_CR3`, then `sync_regs()` copies pt_regs from the
 * trampoline stack to the task stack ("Put us onto the real thread stack") [PTI-RFC-14][SYNC-REGS].
 * IRQs are off throughout, so this is one step.
 */
export const asmSwitchCr3Kernel = taskStep({
  name: 'asm_switch_cr3_kernel',
  doc: 'error_entry: SWITCH_TO_KERNEL_CR3; sync_regs() moves pt_regs to the thread stack; the handler runs there',
  phases: ['hw'],
  effect: (s, p) => withTask(moveFrame(loadCr3(s, p.cpu, 'kern'), p.t, kernelStack(p.t)), p.t, { ph: 'body' }),
});

/**
 * Mainline `swapgs_restore_regs_and_return_to_usermode`: IRQs off, switch to the **current** CPU's
 * trampoline (`cpu_tss_rw + TSS_sp0`), "Copy the IRET frame to the trampoline stack". `then` says what
 * follows: mainline switches to the user CR3 here (`SWITCH_TO_USER_CR3_STACK`); Andy's asm-return design
 * calls C step (2) next, which does the switch.
 */
export function makeAsmExitCopyIret(then: 'switch-cr3' | 'call-c'): Action<Pti, K> {
  return taskStep({
    name: 'asm_exit_copy_iret',
    doc: 'swapgs_restore_regs_and_return_to_usermode: copy the IRET frame to this CPU\'s trampoline stack',
    phases: ['body'],
    effect: (s, p) => {
      const s1 = moveFrame(s, p.t, tramp(p.cpu));
      if (then === 'call-c') return withTask(s1, p.t, { ph: 'ret', irqOn: false });
      return withTask(loadCr3(s1, p.cpu, 'user'), p.t, { ph: 'iret', irqOn: false });
    },
  });
}

/**
 * Chartre's step (1): `user_pagetable_escape(regs); state = irqentry_enter(regs);` in C, still on the
 * stack the hardware used [SEED4]. It does not change IF: in the deferred designs IRQs may already be on.
 */
export const cPagetableEscape = taskStep({
  name: 'c_pagetable_escape',
  doc: 'DEFINE_IDTENTRY (1): user_pagetable_escape() + irqentry_enter() on the entry stack',
  phases: ['hw'],
  effect: (s, p) => withTask(loadCr3(s, p.cpu, 'kern'), p.t, { ph: 'esc' }),
});

/**
 * `run_idt(__func, regs)`: switch to the task's kernel stack and run the handler, "this can sleep".
 * The frame stays where it is: step (2) will read it there [SEED4].
 */
export const runIdt = taskStep({
  name: 'run_idt',
  doc: 'DEFINE_IDTENTRY: run_idt(__func, regs) on the kernel stack; the entry frame stays on the entry stack',
  phases: ['esc'],
  effect: (s, p) => withTask(s, p.t, { ph: 'body' }),
});

/**
 * Andy's alternative: "call from asm to C on the entry stack, return back to asm, and then switch
 * stacks": asm copies pt_regs to the kernel stack after step (1), with IRQs still off [SEED4].
 */
export const asmReturnThenSwitch = taskStep({
  name: 'asm_return_then_switch',
  doc: 'back in asm after (1): copy pt_regs from the entry stack to the kernel stack and switch to it',
  phases: ['esc'],
  effect: (s, p) => withTask(moveFrame(s, p.t, kernelStack(p.t)), p.t, { ph: 'body' }),
});

/**
 * Chartre's step (2): `irqentry_exit(regs, state); user_pagetable_return(regs);` on the entry stack
 * saved at (1), whatever CPU the task is on now; reads the frame there and loads the user CR3.
 * `from` is `body` when it follows the handler directly, `ret` after asm copied the frame (asm-return).
 * `irqs`: `off` disables IRQs first (the RFC); `kept` leaves them as the handler had them (the deferred
 * designs, where the switch moved into code that runs with IRQs on).
 */
export function makeCPagetableReturn(from: Phase, irqs: 'off' | 'kept'): Action<Pti, K> {
  return taskStep({
    name: 'c_pagetable_return',
    doc: 'DEFINE_IDTENTRY (2): irqentry_exit() + user_pagetable_return() on the saved entry stack',
    phases: [from],
    effect: (s, p) => {
      const irqOn = irqs === 'kept' && task(s, p.t).irqOn;
      return withTask(loadCr3(s, p.cpu, 'user'), p.t, { ph: 'iret', irqOn });
    },
  });
}

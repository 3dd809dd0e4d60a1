/**
 * How the PASID reaches the IA32_PASID MSR in each design (MODELS.md §5.4): the merged #GP fix-up with
 * IRQs still off, Fenghua's v1 fix-up after cond_local_irq_enable(), and the removed update_pasid()
 * sent by IPI and run at every switch_to().
 */
import { forState } from '../../src/index.js';
import { byCpu, byTask, canSwitchTo, cpus, goTo, runs, taskCpuPairs, tasks } from './actions.js';
import { cpu, curOf, irqsOn, mmHasPasid, setCpu, setTask, task, valid } from './fpu.js';
import { NONE, type K, type Machine, type Pc } from './state.js';

const { action } = forState<Machine, K>();

/** Whether the fix-up would write the PASID: the mm has one and this task has not activated it yet. */
export const fixupApplies = (s: Machine, t: number): boolean => mmHasPasid(s, t) && !task(s, t).pasidActivated;

/** wrmsrl(MSR_IA32_PASID, pasid | MSR_IA32_PASID_VALID) on t's CPU. */
export const wrmsrlPasid = (s: Machine, t: number): Machine =>
  setCpu(s, task(s, t).cpu, (x) => x.set('reg', x.reg.set('P', 1)));

/** The logical PASID state of t becomes valid: the ghost L[t][P] := 1, set when an update starts. */
export const intendPasid = (s: Machine, t: number): Machine => setTask(s, t, (x) => x.set('log', x.log.set('P', 1)));

/** The fix-up is done: current->pasid_activated = 1, back out through the exit work. */
export const fixupDone = (s: Machine, t: number): Machine =>
  setTask(s, t, (x) => x.merge({ pasidActivated: true, gpWithPasid: false, pc: 'exit_work' }));

/** Merged fa6af69f38d3: try_fixup_enqcmd_gp() before cond_local_irq_enable(), so the registers are live. */
export const tryFixupEnqcmdGp = action({
  name: 'try_fixup_enqcmd_gp',
  doc: 'arch/x86/kernel/traps.c try_fixup_enqcmd_gp(): IRQs off; wrmsrl() and pasid_activated = 1, or refuse (then cond_local_irq_enable).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_entry'),
  effect: (s, t) => (fixupApplies(s, t) ? fixupDone(intendPasid(wrmsrlPasid(s, t), t), t) : goTo(s, t, 'gp_irqs_on')),
  label: byTask('try_fixup_enqcmd_gp'),
});

/** exc_general_protection() re-enables IRQs: from here the handler can be interrupted and preempted. */
export function condLocalIrqEnable(next: Pc) {
  return action({
    name: 'cond_local_irq_enable',
    doc: 'exc_general_protection(): cond_local_irq_enable(regs) (the #GP came from user mode, so IF was set).',
    params: tasks,
    guard: (s, t) => runs(s, t, 'gp_entry'),
    effect: (s, t) => goTo(s, t, next),
    label: byTask('cond_local_irq_enable'),
  });
}

/** v1's fpu__pasid_write() under fpregs_lock(): the register if "live or valid", else only the buffer. */
function fpuPasidWrite(s: Machine, t: number): Machine {
  const x = task(s, t);
  if (!x.tif || valid(s, t, x.cpu)) return wrmsrlPasid(s, t);
  return setTask(s, t, (y) => y.merge({ bv: y.bv.set('P', true), data: y.data.set('P', 1) }));
}

/** Fenghua v1 (20210920192349.2602141-5): fix-up after cond_local_irq_enable(), fpu__pasid_write() atomic under fpregs_lock(). */
export const fixupPasidExceptionV1 = action({
  name: 'fixup_pasid_exception',
  doc: 'v1 __fixup_pasid_exception(): no PASID or has_valid_pasid → refuse; else fpu__pasid_write(), has_valid_pasid = 1.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_fixup'),
  effect: (s, t) => (fixupApplies(s, t) ? fixupDone(intendPasid(fpuPasidWrite(s, t), t), t) : goTo(s, t, 'gp_irqs_on')),
  label: byTask('fixup_pasid_exception'),
});

/** The v1 fix-up with fpu__pasid_write() replaced by a per-feature update API (the xsave-update-* designs). */
export const fixupPasidExceptionViaApi = action({
  name: 'fixup_pasid_exception',
  doc: 'v1 __fixup_pasid_exception() deciding to update P through begin/finish_update_one_xsave_feature() (SEED2).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_fixup'),
  effect: (s, t) => goTo(s, t, fixupApplies(s, t) ? 'gp_update' : 'gp_irqs_on'),
  label: byTask('fixup_pasid_exception'),
});

/** The #GP was not fixed up: SIGSEGV. */
export const gpUserForceSigSegv = action({
  name: 'gp_user_force_sig_segv',
  doc: 'exc_general_protection() → gp_user_force_sig_segv(): the task gets SIGSEGV (delivery is a later exit-work step).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_irqs_on'),
  effect: (s, t) => setTask(s, t, (x) => x.merge({ pc: 'exit_work', gpWithPasid: false })),
  label: byTask('gp_user_force_sig_segv'),
});

/**
 * The removed update_pasid() body for current = t on c (no fpregs_lock): with TIF clear, wrmsrl the
 * mm's PASID state; else set XFEATURE_PASID and, if the area differs, invalidate and write it.
 */
export function updatePasid(s: Machine, t: number, c: number): Machine {
  const v = mmHasPasid(s, t) ? 1 : 0;
  const x = task(s, t);
  let n = setTask(s, t, (y) => y.set('log', y.log.set('P', v)));
  if (!x.tif) return setCpu(n, c, (y) => y.set('reg', y.reg.set('P', v)));
  n = setTask(n, t, (y) => y.set('bv', y.bv.set('P', true)));
  if (x.data.P === v) return n;
  return setTask(n, t, (y) => y.merge({ data: y.data.set('P', v), lastCpu: NONE }));
}

/** The update_pasid() IPI arrives on c, in hardirq context, whatever c is running. */
export const updatePasidIpi = action({
  name: 'update_pasid',
  doc: 'intel/svm.c _load_pasid() IPI → xstate.c update_pasid(); "if (!current->mm) return" covers idle.',
  params: cpus,
  guard: (s, c) => cpu(s, c).ipiPending && irqsOn(s, c),
  effect: (s, c) => {
    const n = setCpu(s, c, (x) => x.set('ipiPending', false));
    const t = curOf(n, c);
    return t === NONE ? n : updatePasid(n, t, c);
  },
  label: byCpu('update_pasid'),
});

/** switch_fpu_finish() of the IPI era: TIF set, then update_pasid() for the incoming task. */
export const switchToUpdatePasid = action({
  name: 'switch_to',
  doc: 'switch_fpu_finish(): set TIF_NEED_FPU_LOAD; update_pasid() ("Expensive PASID MSR write will be avoided").',
  params: taskCpuPairs,
  guard: (s, p) => canSwitchTo(s, p),
  effect: (s, p) => updatePasid(setTask(s, p.t, (x) => x.merge({ cpu: p.cpu, tif: true })), p.t, p.cpu),
});

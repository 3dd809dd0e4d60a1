/**
 * Signal delivery's copy_fpstate_to_sigframe(): take fpregs_lock(), load the registers if
 * TIF_NEED_FPU_LOAD is set, copy them to the user signal frame, unlock. The load is
 * fpregs_restore_userregs() split into its three stores, because IRQs stay on under fpregs_lock()
 * (it is only local_bh_disable()) and a hardirq may come between them (MODELS.md §5.7).
 */
import { forState } from '../../src/index.js';
import { cpu, setCpu, setTask, task, valid, xrstor } from './fpu.js';
import { byTask, goTo, runs, tasks } from './actions.js';
import type { K, Machine } from './state.js';

const { action } = forState<Machine, K>();

const here = (s: Machine, t: number): number => task(s, t).cpu;
const lock = (s: Machine, t: number, bh: number): Machine => setCpu(s, here(s, t), (x) => x.set('bh', bh));

export const sigFpregsLock = action({
  name: 'copy_fpstate_to_sigframe:fpregs_lock',
  doc: 'arch/x86/kernel/fpu/signal.c copy_fpstate_to_sigframe(): fpregs_lock(); if (TIF_NEED_FPU_LOAD) fpregs_restore_userregs().',
  params: tasks,
  guard: (s, t) => runs(s, t, 'exit_work'),
  effect: (s, t) => goTo(lock(s, t, 1), t, task(s, t).tif ? 'sig_load' : 'sig_copy'),
  label: byTask('copy_fpstate_to_sigframe:fpregs_lock'),
});

export const restoreXrstor = action({
  name: 'fpregs_restore_userregs:xrstor',
  doc: 'fpregs_restore_userregs(): !fpregs_state_valid() → restore_fpregs_from_fpstate().',
  params: tasks,
  guard: (s, t) => runs(s, t, 'sig_load') && !valid(s, t, here(s, t)),
  effect: (s, t) => goTo(setCpu(s, here(s, t), (x) => x.set('reg', xrstor(task(s, t)))), t, 'sig_activate'),
  label: byTask('fpregs_restore_userregs:xrstor'),
});

export const restoreActivate = action({
  name: 'fpregs_restore_userregs:activate',
  doc: 'fpregs_restore_userregs(): fpregs_activate(fpu); fpu->last_cpu = cpu.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'sig_activate'),
  effect: (s, t) => {
    const c = here(s, t);
    const n = setCpu(s, c, (x) => x.set('owner', t));
    return goTo(setTask(n, t, (x) => x.set('lastCpu', c)), t, 'sig_clear_tif');
  },
  label: byTask('fpregs_restore_userregs:activate'),
});

export const restoreClearTif = action({
  name: 'fpregs_restore_userregs:clear_tif',
  doc: 'fpregs_restore_userregs(): clear_thread_flag(TIF_NEED_FPU_LOAD) (directly, when the registers were valid).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'sig_clear_tif') || (runs(s, t, 'sig_load') && valid(s, t, here(s, t))),
  effect: (s, t) => goTo(setTask(s, t, (x) => x.set('tif', false)), t, 'sig_copy'),
  label: byTask('fpregs_restore_userregs:clear_tif'),
});

export const sigFpregsUnlock = action({
  name: 'copy_fpstate_to_sigframe:fpregs_unlock',
  doc: 'copy_fpstate_to_sigframe(): copy_fpregs_to_sigframe() from the registers, then fpregs_unlock().',
  params: tasks,
  guard: (s, t) => runs(s, t, 'sig_copy') && cpu(s, here(s, t)).bh === 1,
  effect: (s, t) => goTo(lock(s, t, 0), t, 'exit_work'),
  label: byTask('copy_fpstate_to_sigframe:fpregs_unlock'),
});

/** The signal-delivery steps, in order. */
export const sigframeActions = [sigFpregsLock, restoreXrstor, restoreActivate, restoreClearTif, sigFpregsUnlock];

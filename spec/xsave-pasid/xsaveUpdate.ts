/**
 * The per-feature update API of the Sep 2021 thread (SEED2), each design as a begin step (fpregs_lock()
 * and hand the caller somewhere to write) and a finish step (the caller's write, then the design's
 * ending and fpregs_unlock()). Nothing else on this CPU touches FPU state under fpregs_lock() in these
 * designs, so the caller's write can be folded into finish without losing an interleaving.
 *
 * The caller is the PASID #GP fix-up, updating P. `full`: the caller overwrites the whole area (the
 * PASID write); otherwise it reads the area and writes a value derived from it (a CET- or PKRU-style
 * setter), so garbage read comes back as garbage.
 */
import { forState } from '../../src/index.js';
import { byTask, goTo, runs, tasks } from './actions.js';
import { bufval, cpu, restoreUserregs, setCpu, setTask, task, xsaves } from './fpu.js';
import { fixupDone, intendPasid, wrmsrlPasid } from './pasid.js';
import { GARB, INIT, NONE, type K, type Machine, type Pc } from './state.js';

const { action } = forState<Machine, K>();

export interface Begin {
  readonly t: number;
  readonly full: boolean;
}
const beginMemo = new Map<number, readonly Begin[]>();
/** (task, full) pairs for begin_update_one_xsave_feature(). */
function beginParams(s: Machine): readonly Begin[] {
  let v = beginMemo.get(s.tasks.size);
  if (!v) {
    v = [...tasks(s)].flatMap((t) => [true, false].map((full) => ({ t, full })));
    beginMemo.set(s.tasks.size, v);
  }
  return v;
}

const here = (s: Machine, t: number): number => task(s, t).cpu;
const live = (s: Machine, t: number): boolean => !task(s, t).tif;
const fpregsLock = (s: Machine, t: number): Machine => setCpu(s, here(s, t), (x) => x.set('bh', 1));
/** fpregs_unlock() and the rest of the fix-up (pasid_activated = 1). */
const unlockDone = (s: Machine, t: number): Machine => fixupDone(setCpu(s, here(s, t), (x) => x.set('bh', 0)), t);
const slot = (full: boolean): Pc => (full ? 'upd_full' : 'upd_rmw');
const inUpdate = (s: Machine, t: number): boolean => runs(s, t, 'upd_full') || runs(s, t, 'upd_rmw');

/** The caller's write into the handed-out area: 1, or garbage if it read garbage and kept the rest. */
function callerWrites(s: Machine, t: number): Machine {
  const x = task(s, t);
  const v = x.pc === 'upd_rmw' && x.data.P === GARB ? GARB : 1;
  return setTask(s, t, (y) => y.set('data', y.data.set('P', v)));
}

/** Tony: lock; `if (full) return addr;` `if (registers live) xsaves(xstate, 1 << xfeature)`. */
export const beginTony = action({
  name: 'begin_update_one_xsave_feature',
  doc: "Tony Luck's pseudo-code (SEED2): fpregs_lock(); hand out the area, after an XSAVES of only f if the registers are live.",
  params: beginParams,
  guard: (s, p) => runs(s, p.t, 'gp_update'),
  effect: (s, { t, full }) => {
    let n = intendPasid(fpregsLock(s, t), t);
    if (!full && live(n, t)) n = setTask(n, t, (x) => xsaves(x, cpu(n, here(n, t)).reg, ['P']));
    return goTo(n, t, slot(full));
  },
});

/** Tony: "mark feature modified", "set TIF bit", fpregs_unlock(). */
export const finishTony = action({
  name: 'finish_update_one_xsave_feature',
  doc: "Tony Luck's pseudo-code (SEED2): XSTATE_BV[f] = 1; set TIF_NEED_FPU_LOAD; fpregs_unlock(). No last_cpu invalidation.",
  params: tasks,
  guard: (s, t) => inUpdate(s, t),
  effect: (s, t) => {
    const n = setTask(callerWrites(s, t), t, (x) => x.merge({ bv: x.bv.set('P', true), tif: true }));
    return unlockDone(n, t);
  },
  label: byTask('finish_update_one_xsave_feature'),
});

/** Dave: mark modified at begin time, init-fill an XSTATE_BV=0 area, read the live value if not full. */
export const beginDave = action({
  name: 'begin_update_one_xsave_feature',
  doc: 'Dave Hansen on SEED2: XSTATE_BV[f] = 1 at begin, "populate the init state" first; rdmsr-style read if live and !full.',
  params: beginParams,
  guard: (s, p) => runs(s, p.t, 'gp_update'),
  effect: (s, { t, full }) => {
    const n = intendPasid(fpregsLock(s, t), t);
    const reg = cpu(n, here(n, t)).reg;
    const filled = setTask(n, t, (x) => (x.bv.P ? x : x.merge({ bv: x.bv.set('P', true), data: x.data.set('P', INIT) })));
    const read = !full && live(n, t) ? setTask(filled, t, (x) => x.set('data', x.data.set('P', reg.P))) : filled;
    return goTo(read, t, slot(full));
  },
});

/** Dave: "set TIF_NEED_FPU_LOAD" since the buffer "now contains the canonical FPU state". */
export const finishDave = action({
  name: 'finish_update_one_xsave_feature',
  doc: 'Dave Hansen on SEED2: the buffer is canonical now, so set TIF_NEED_FPU_LOAD; fpregs_unlock(). No last_cpu invalidation.',
  params: tasks,
  guard: (s, t) => inUpdate(s, t),
  effect: (s, t) => unlockDone(setTask(callerWrites(s, t), t, (x) => x.set('tif', true)), t),
  label: byTask('finish_update_one_xsave_feature'),
});

/** Dave's alternative: XRSTORS f if the registers were live, keeping TIF clear; else leave the buffer. */
export const finishDaveXrstors = action({
  name: 'finish_update_one_xsave_feature',
  doc: 'Dave Hansen on SEED2: "we *could* xrstors(xstate, 1<<xfeature) … and keep TIF_NEED_FPU_LOAD==0".',
  params: tasks,
  guard: (s, t) => inUpdate(s, t),
  effect: (s, t) => {
    const n = callerWrites(s, t);
    const v = bufval(task(n, t), 'P');
    const loaded = live(n, t) ? setCpu(n, here(n, t), (x) => x.set('reg', x.reg.set('P', v))) : n;
    return unlockDone(loaded, t);
  },
  label: byTask('finish_update_one_xsave_feature'),
});

/** Andy: registers when they are the one source of truth, else the buffer (init-filled) and invalidate. */
export const beginAndy = action({
  name: 'begin_update_one_xsave_feature',
  doc: 'Andy Lutomirski (LUTO-PASID): TIF clear → write the register; else init-fill if XSTATE_BV=0 and write the buffer.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_update'),
  effect: (s, t) => {
    const n = intendPasid(fpregsLock(s, t), t);
    if (live(n, t)) return goTo(n, t, 'upd_regs');
    const filled = setTask(n, t, (x) => (x.bv.P ? x : x.merge({ bv: x.bv.set('P', true), data: x.data.set('P', INIT) })));
    return goTo(filled, t, 'upd_full');
  },
  label: byTask('begin_update_one_xsave_feature'),
});

/** Andy: "modify it in memory and invalidate any preserved copies (by zapping last_cpu)". */
export const finishAndy = action({
  name: 'finish_update_one_xsave_feature',
  doc: 'Andy Lutomirski (LUTO-PASID): wrmsrl, or the buffer write plus last_cpu = -1 (__fpu_invalidate_fpregs_state).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'upd_regs') || runs(s, t, 'upd_full'),
  effect: (s, t) => {
    if (runs(s, t, 'upd_regs')) return unlockDone(wrmsrlPasid(s, t), t);
    const n = setTask(s, t, (x) => x.merge({ data: x.data.set('P', 1), lastCpu: NONE }));
    return unlockDone(n, t);
  },
  label: byTask('finish_update_one_xsave_feature'),
});

/** fpregs_lock_and_load(): lock, and load the registers if TIF_NEED_FPU_LOAD (atomic under bh-off). */
export const fpregsLockAndLoad = action({
  name: 'fpregs_lock_and_load',
  doc: 'arch/x86/kernel/fpu/core.c fpregs_lock_and_load() (LOCK-AND-LOAD): fpregs_lock(); if TIF, fpregs_restore_userregs().',
  params: tasks,
  guard: (s, t) => runs(s, t, 'gp_update'),
  effect: (s, t) => goTo(restoreUserregs(intendPasid(fpregsLock(s, t), t), t, here(s, t)), t, 'upd_regs'),
  label: byTask('fpregs_lock_and_load'),
});

/** The caller of fpregs_lock_and_load() "then writes the MSR and calls fpregs_unlock()". */
export const wrmsrlUnlock = action({
  name: 'wrmsrl:fpregs_unlock',
  doc: 'After fpregs_lock_and_load(): wrmsrl(MSR_IA32_PASID, …); fpregs_unlock().',
  params: tasks,
  guard: (s, t) => runs(s, t, 'upd_regs'),
  effect: (s, t) => unlockDone(wrmsrlPasid(s, t), t),
  label: byTask('wrmsrl:fpregs_unlock'),
});

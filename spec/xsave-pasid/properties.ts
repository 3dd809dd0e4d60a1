/**
 * The properties of MODELS.md §5.5, in kernel terms. Statements about a step are action properties
 * (checked on every transition); the rest are invariants; the `*-reached` ones guard against vacuity.
 */
import { is } from 'immutable';
import { forState } from '../../src/index.js';
import { bufval, canon, cpu, curOf, mmHasPasid, task, valid } from './fpu.js';
import { FEATURES, GARB, INIT, NONE, type K, type Machine, type Pc, type Task } from './state.js';

const { invariant, actionProperty, reachable } = forState<Machine, K>();

const born = (x: Task): boolean => x.pc !== 'unborn';
const HANDED_OUT: ReadonlySet<Pc> = new Set<Pc>(['upd_full', 'upd_rmw']);
/** The steps that update PASID state: a fix-up, an update-API step, or update_pasid() (IPI or switch_to). */
const UPDATE_STEPS: ReadonlySet<string> = new Set([
  'try_fixup_enqcmd_gp',
  'fixup_pasid_exception',
  'begin_update_one_xsave_feature',
  'finish_update_one_xsave_feature',
  'fpregs_lock_and_load',
  'wrmsrl:fpregs_unlock',
  'update_pasid',
  'switch_to',
]);
/** The steps that run in hardirq context. */
const HARDIRQ_STEPS: ReadonlySet<string> = new Set(['update_pasid']);

/** D0: fpregs_assert_state_consistent(). */
export const fpregsStateConsistent = invariant(
  'fpregs-state-consistent',
  'A task running with TIF_NEED_FPU_LOAD clear owns its CPU\'s registers (fpregs_assert_state_consistent() never warns).',
  (s) => s.tasks.every((x, t) => x.cpu === NONE || x.tif || valid(s, t, x.cpu)),
);

/**
 * Between the XRSTOR and fpregs_activate() of fpregs_restore_userregs() the registers already hold the
 * new task's state while fpu_fpregs_owner_ctx still names the previous owner: a window under
 * fpregs_lock() that nothing reads, so D1 does not judge that CPU there.
 */
function midRestore(s: Machine, c: number): boolean {
  const t = curOf(s, c);
  return t !== NONE && task(s, t).pc === 'sig_activate';
}

/** D1: Andy's coherence rule. */
export const regsMatchBufferWhenValid = invariant(
  'regs-match-buffer-when-valid',
  'While TIF_NEED_FPU_LOAD is set and fpregs_state_valid() holds, the registers equal what XRSTOR would load from the buffer.',
  (s) =>
    s.tasks.every(
      (x, t) =>
        !born(x) ||
        !x.tif ||
        s.cpus.every(
          (c, i) => !valid(s, t, i) || midRestore(s, i) || FEATURES.every((f) => c.reg[f] === bufval(x, f)),
        ),
    ),
);

/** D2: the brief's property, at the step that returns to user mode. */
export const canonicalStateAtUserReturn = actionProperty(
  'canonical-state-at-user-return',
  'When a task returns to user mode its registers hold its logical FPU state: no PASID or G update is lost.',
  (s, n) =>
    n.tasks.every((x, t) => {
      if (x.pc !== 'user' || task(s, t).pc === 'user') return true;
      const reg = cpu(n, x.cpu).reg;
      return FEATURES.every((f) => reg[f] === x.log[f]);
    }),
);

/** D3: Dave's XSTATE_BV remark, and its consequence in the registers. */
export const noGarbageHandedOut = actionProperty(
  'no-garbage-handed-out',
  'begin_update_one_xsave_feature() never hands out an XSTATE_BV=0 area not filled with the init value, and buffer garbage never reaches the registers.',
  (s, n) =>
    n.cpus.every((c) => c.reg.P !== GARB && c.reg.G !== GARB) &&
    n.tasks.every((x, t) => !HANDED_OUT.has(x.pc) || HANDED_OUT.has(task(s, t).pc) || x.bv.P || x.data.P === INIT),
);

/** D4: an update of P leaves G alone. */
export const updateTouchesOnlyItsFeature = actionProperty(
  'update-touches-only-its-feature',
  "A PASID update step never changes a task's authoritative G state (registers if live, else the buffer).",
  (s, n, step) =>
    !UPDATE_STEPS.has(step.action) || s.tasks.every((x, t) => !born(x) || canon(s, t, 'G') === canon(n, t, 'G')),
);

/** The FPU state of c and of the task running there, for D5. */
function fpuOn(s: Machine, c: number): unknown[] {
  const k = cpu(s, c);
  const t = curOf(s, c);
  const x = t === NONE ? undefined : task(s, t);
  return [k.reg, k.owner, x?.tif, x?.lastCpu, x?.bv, x?.data];
}

/** D5: tglx's reason for removing update_pasid(). */
export const noFpuStateChangeInHardirqUnderLock = actionProperty(
  'no-fpu-state-change-in-hardirq-under-lock',
  'No hardirq changes the interrupted task\'s FPU state (registers, owner, TIF, last_cpu, buffer) inside fpregs_lock() or kernel_fpu_begin().',
  (s, n, step) => {
    if (!HARDIRQ_STEPS.has(step.action)) return true;
    const c = step.params as number;
    if (cpu(s, c).bh === 0 && !cpu(s, c).inKfpu) return true;
    const after = fpuOn(n, c);
    return fpuOn(s, c).every((v, i) => is(v, after[i]));
  },
);

/** D6: the PASID stays once activated; a task whose mm has none never runs with one (fork clears it). */
export const pasidSticks = invariant(
  'pasid-sticks',
  'In user mode, a task with pasid_activated has its PASID in IA32_PASID, and a task whose mm has no PASID (the forked child) has none.',
  (s) =>
    s.tasks.every((x, t) => {
      if (x.pc !== 'user') return true;
      const p = cpu(s, x.cpu).reg.P;
      return (!x.pasidActivated || p === 1) && (mmHasPasid(s, t) || p !== 1);
    }),
);

/** D7: Peter's and Andy's worry, from the user's side. */
export const enqcmdNoSpuriousSigsegv = actionProperty(
  'enqcmd-no-spurious-sigsegv',
  "An ENQCMD issued after the mm's PASID bind completed is never answered with SIGSEGV.",
  (s, _n, step) => step.action !== 'gp_user_force_sig_segv' || !task(s, step.params as number).gpWithPasid,
);

export const pasidFixupReached = reachable(
  'pasid-fixup-reached',
  "Task 0 runs user code with its mm's PASID in IA32_PASID.",
  (s) => task(s, 0).pc === 'user' && cpu(s, task(s, 0).cpu).reg.P === 1,
);

export const validButTifReached = reachable(
  'valid-but-tif-reached',
  'A task runs with TIF_NEED_FPU_LOAD set while fpregs_state_valid() still holds (Andy\'s case).',
  (s) => s.tasks.some((x, t) => x.cpu !== NONE && x.tif && valid(s, t, x.cpu)),
);

export const switchedOutInGpReached = reachable(
  'switched-out-in-gp-reached',
  'A task is switched out inside the #GP handler after cond_local_irq_enable().',
  (s) => s.tasks.some((x) => x.cpu === NONE && (x.pc === 'gp_fixup' || x.pc === 'gp_irqs_on' || x.pc === 'gp_update')),
);

export const sigframeXrstorReached = reachable(
  'sigframe-xrstor-reached',
  'copy_fpstate_to_sigframe() reloads the registers from the buffer with IRQs on, under fpregs_lock().',
  (s) => s.tasks.some((x) => x.pc === 'sig_activate'),
);

export const childInUserReached = reachable(
  'child-in-user-reached',
  'The forked child runs user code.',
  (s) => s.tasks.size > 1 && task(s, 1).pc === 'user',
);

export const taskMigratedReached = reachable(
  'task-migrated-reached',
  'A task runs on one CPU while its last_cpu names the other (its registers were left behind there).',
  (s) => s.tasks.some((x) => x.cpu !== NONE && x.lastCpu !== NONE && x.lastCpu !== x.cpu),
);

/** The properties every proposal is checked against, at these constants. */
export function properties(k: K) {
  return [
    fpregsStateConsistent,
    regsMatchBufferWhenValid,
    canonicalStateAtUserReturn,
    noGarbageHandedOut,
    updateTouchesOnlyItsFeature,
    noFpuStateChangeInHardirqUnderLock,
    pasidSticks,
    enqcmdNoSpuriousSigsegv,
    pasidFixupReached,
    validButTifReached,
    switchedOutInGpReached,
    sigframeXrstorReached,
    ...(k.nTasks > 1 ? [childInUserReached] : []),
    ...(k.nCpus > 1 ? [taskMigratedReached] : []),
  ];
}

/**
 * The safety properties of MODELS.md §4.5 (P1–P8) and the reachability checks that keep them honest.
 */
import { range } from '../../src/index.js';
import { actionProperty, invariant, reachable, type OnCpu } from './steps.js';
import {
  cpu,
  frameAt,
  isIdleStack,
  inKernel,
  liveOn,
  mappedInUser,
  mmOf,
  ptiOwner,
  task,
  taskName,
  trampCpu,
  waitsForVcpu,
  type Pti,
} from './state.js';

/** The steps that read the task's entry frame at its `retStk` (to copy it, or to return with it). */
const FRAME_READS = new Set([
  'asm_switch_cr3_kernel',
  'asm_return_then_switch',
  'asm_exit_copy_iret',
  'c_pagetable_return',
  'iret_to_user',
]);

/** Phases in which the task's code runs on its entry stack (its `retStk`), not on its kernel stack. */
const ON_ENTRY_STACK = new Set(['hw', 'esc', 'ret', 'iret']);

/** The (task, CPU) pairs of tasks running right now. */
const runningPairs = (s: Pti): OnCpu[] =>
  range(s.cpus.size).flatMap((c) => (cpu(s, c).cur >= 0 ? [{ t: cpu(s, c).cur, cpu: c }] : []));

/** P1. */
export const entryFrameIntact = actionProperty(
  'entry-frame-intact',
  'every read of a task\'s entry frame (sync_regs, the exit copy, C step (2), IRET) finds the frame that task pushed',
  (s, _next, step) => {
    if (!FRAME_READS.has(step.action)) return true;
    const { t } = step.params as OnCpu;
    return frameAt(s, task(s, t).retStk) === taskName(t);
  },
);

/** P2. */
export const percpuStackOwnedByCpu = invariant(
  'percpu-stack-owned-by-cpu',
  'TRAMP(c) is used only by code running on CPU c, and holds the live frame of at most one context',
  (s) => {
    const offCpu = runningPairs(s).some(({ t, cpu: c }) => {
      const x = task(s, t);
      const owner = trampCpu(x.retStk);
      return ON_ENTRY_STACK.has(x.ph) && owner >= 0 && owner !== c;
    });
    return !offCpu && range(s.cpus.size).every((c) => liveOn(s, `tramp(${c})`).length <= 1);
  },
);

/** P3. */
export const noSleepOnPercpuStack = invariant(
  'no-sleep-on-percpu-stack',
  'a task that is scheduled out inside the kernel (asleep or preempted) has no live frame on a per-CPU trampoline stack',
  (s) => s.tasks.every((x) => !(inKernel(x) && x.sched !== 'running' && trampCpu(x.retStk) >= 0)),
);

/** P4. */
export const sp0PointsToFreeStack = invariant(
  'sp0-points-to-free-stack',
  'a CPU running a user task has TSS.sp0 on a live stack free of other contexts\' frames (not freed, not the idle stack)',
  (s) =>
    runningPairs(s).every(({ t, cpu: c }) => {
      if (task(s, t).ph !== 'user' || waitsForVcpu(s, t)) return true;
      const stk = cpu(s, c).sp0;
      const owner = ptiOwner(stk);
      const freed = owner >= 0 && task(s, owner).ph === 'dead';
      return !isIdleStack(stk) && !freed && liveOn(s, stk).length === 0;
    }),
);

/** P5. */
export const stackMappedWhileUserCr3 = invariant(
  'stack-mapped-while-user-cr3',
  'whenever a CPU runs on an entry stack with the user CR3, that stack is mapped in the task\'s user page table',
  (s, k) =>
    runningPairs(s).every(({ t, cpu: c }) => {
      const x = task(s, t);
      if (!ON_ENTRY_STACK.has(x.ph) || cpu(s, c).cr3 !== 'user') return true;
      return mappedInUser(s, x.retStk, mmOf(t, k));
    }),
);

/** P6. */
export const noStaleUserMapping = invariant(
  'no-stale-user-mapping',
  'a user page table maps a PTI stack only while its task is alive and belongs to that mm',
  (s, k) => s.mapped.every((set, m) => set.every((t) => task(s, t).ph !== 'dead' && mmOf(t, k) === m)),
);

/** P7. */
export const handlerBodyKernelCr3 = invariant(
  'handler-body-kernel-cr3',
  'handler bodies and nested IRQ handlers (code not mapped in the user page table) run only with the kernel CR3',
  (s) =>
    runningPairs(s).every(({ t, cpu: c }) => {
      const x = task(s, t);
      return !(x.ph === 'body' || x.irq) || cpu(s, c).cr3 === 'kern';
    }),
);

/** P8. */
export const iretWithUserCr3 = actionProperty(
  'iret-with-user-cr3',
  'IRET to user mode happens only with the user CR3 loaded (otherwise user code runs without PTI)',
  (s, _next, step) => step.action !== 'iret_to_user' || cpu(s, (step.params as OnCpu).cpu).cr3 === 'user',
);

export const sleepInHandlerReached = reachable(
  'sleep-in-handler-reached',
  'a task sleeps inside an exception handler',
  (s) => s.tasks.some((x) => inKernel(x) && x.sched === 'blocked'),
);

export const migratedWhileSleepingReached = reachable(
  'migrated-while-sleeping-reached',
  'a task scheduled out inside its handler resumes on a CPU other than the one it entered on',
  (s) => s.tasks.some((x) => inKernel(x) && x.sched === 'running' && x.entryCpu >= 0 && x.cpu !== x.entryCpu),
);

/** Only for the deferred-CR3 designs: the window they open is really hit by an IRQ. */
export const irqInUserCr3WindowReached = reachable(
  'irq-in-user-cr3-window-reached',
  'an IRQ arrives while a task runs kernel code that has IRQs on but has not yet (or already) switched CR3',
  (s) => s.tasks.some((x) => x.irq && (x.ph === 'hw' || x.ph === 'iret')),
);

export const properties = [
  entryFrameIntact,
  percpuStackOwnedByCpu,
  noSleepOnPercpuStack,
  sp0PointsToFreeStack,
  stackMappedWhileUserCr3,
  noStaleUserMapping,
  handlerBodyKernelCr3,
  iretWithUserCr3,
  sleepInHandlerReached,
  migratedWhileSleepingReached,
];

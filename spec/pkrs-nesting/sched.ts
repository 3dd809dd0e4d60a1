/**
 * The scheduler: a task calls schedule() (from syscall or #PF-handler code, IRQs on) and is later switched
 * in on an idle CPU (any CPU: that choice is migration). Switch-out and switch-in run the design's hooks.
 * Between the two the CPU is idle, which stands for running the idle task or an unrelated one.
 */
import { forState, range } from '../../src/index.js';
import type { Design } from './designs.js';
import { NONE, cpuOf, curOf, setCpu, top, type K, type Machine } from './state.js';

const { action } = forState<Machine, K>();

const running = (s: Machine): number[] => range(s.tasks.size).filter((t) => cpuOf(s, t) >= 0);

/**
 * The task may call schedule(): it runs syscall or #PF-handler code with IRQs on and nothing in flight,
 * or it sits between the two stores of a thread-first pks_update_protection(), where V8-V10 (and the older
 * RFCs) still allow preemption: only the pks_write_pkrs() itself runs with preemption disabled.
 */
function mayPreempt(s: Machine, t: number): boolean {
  const f = top(s, t);
  if (f === undefined || !(f.kind === 'SYS' || f.kind === 'PF') || !f.irqs || f.wp !== 'none') return false;
  return f.pc === 'body' || f.pc === 'set_wr';
}

/**
 * A wait (e.g. a .fault handler sleeping on I/O) or a preemption (preempt_enable(), cond_resched(),
 * irqentry_exit_cond_resched() after the restore hook). PKRS sees no difference between the two, and the
 * wake-up is folded in: the switched-out task is runnable at once, so it may be picked again at any time.
 */
export const schedule = (d: Design) =>
  action({
    name: 'schedule',
    doc: 'kernel/sched/core.c schedule(): the PKRS switch-out hook, then the CPU goes idle until __switch_to',
    params: running,
    guard: mayPreempt,
    effect: (s, t) => {
      const c = cpuOf(s, t);
      return setCpu(d.switchOut(s, c), c, (x) => x.set('cur', NONE));
    },
    label: (t) => `schedule(t=${t})`,
  });

interface SwitchParam {
  readonly c: number;
  readonly t: number;
  readonly n: number;
}

export const switchTo = (d: Design) =>
  action({
    name: '__switch_to',
    doc: 'arch/x86/kernel/process_64.c __switch_to() → the PKRS switch-in hook (x86_pkrs_load / pks_sched_in)',
    params: (s) =>
      range(s.cpus.size).flatMap((c) => range(s.tasks.size).map((t): SwitchParam => ({ c, t, n: s.cpus.size }))),
    guard: (s, p) => curOf(s, p.c) === NONE && cpuOf(s, p.t) === NONE,
    effect: (s, p) => d.switchIn(setCpu(s, p.c, (x) => x.set('cur', p.t)), p.c),
    label: (p) => `__switch_to(t=${p.t}${p.n > 1 ? `, cpu=${p.c}` : ''})`,
  });

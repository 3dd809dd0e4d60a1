/**
 * The steps every proposal shares (MODELS.md §5.3): user code, syscalls and the exit to user mode, the
 * context switch, kernel FPU use, signal delivery under fpregs_lock(), fork, and the PASID bind.
 *
 * A task's own steps need its CPU to be free of a kernel_fpu_begin() section: such a section is a
 * softirq (or the task's own kernel code) that runs to kernel_fpu_end() with preemption disabled.
 */
import { forState } from '../../src/index.js';
import {
  canon,
  clobber,
  cpu,
  curOf,
  kernelFpuSave,
  mmHasPasid,
  pasidBound,
  preemptible,
  restoreUserregs,
  setCpu,
  setTask,
  switchFpuSave,
  task,
  xsaves,
} from './fpu.js';
import { FEATURES, NONE, XState, type K, type Machine, type Pc } from './state.js';

const { action } = forState<Machine, K>();

/** Task ids: the params of per-task steps. */
export const tasks = (s: Machine): Iterable<number> => s.tasks.keys();
/** CPU ids: the params of per-CPU steps. */
export const cpus = (s: Machine): Iterable<number> => s.cpus.keys();
/** `name(t=0)`. */
export const byTask = (name: string) => (t: number) => `${name}(t=${t})`;
/** `name(cpu=0)`. */
export const byCpu = (name: string) => (c: number) => `${name}(cpu=${c})`;

/** Task t is running at `pc`, and no kernel_fpu section has its CPU. */
export function runs(s: Machine, t: number, pc: Pc): boolean {
  const x = task(s, t);
  return x.pc === pc && x.cpu !== NONE && !cpu(s, x.cpu).inKfpu;
}

/** Moves task t to `pc`. */
export const goTo = (s: Machine, t: number, pc: Pc): Machine => setTask(s, t, (x) => x.set('pc', pc));

/** User code changes G (an AVX-style register): the registers and the logical state change together. */
export const userWriteG = action({
  name: 'user_write_g',
  doc: 'User code writing a vector register: no kernel code, the reason G exists in the model.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'user'),
  effect: (s, t) => {
    const c = task(s, t).cpu;
    const v = cpu(s, c).reg.G === 1 ? 0 : 1;
    const n = setCpu(s, c, (x) => x.set('reg', x.reg.set('G', v)));
    return setTask(n, t, (x) => x.set('log', x.log.set('G', v)));
  },
  label: byTask('user_write_g'),
});

/** ENQCMD without a valid PASID in the MSR raises #GP (IRQs off); with one it just works (no step). */
export const enqcmd = action({
  name: 'enqcmd',
  doc: 'ENQCMD in user mode; #GP when IA32_PASID has no valid PASID (arch/x86/kernel/traps.c: exc_general_protection).',
  params: tasks,
  guard: (s, t) => runs(s, t, 'user') && cpu(s, task(s, t).cpu).reg.P !== 1,
  effect: (s, t) =>
    setTask(s, t, (x) => x.merge({ pc: 'gp_entry', gpWithPasid: mmHasPasid(s, t) && pasidBound(s) })),
  label: byTask('enqcmd'),
});

/** A syscall: the body touches no FPU state, the way out is where signals, fork and preemption happen. */
export const entrySyscall = action({
  name: 'entry_syscall',
  doc: 'entry_SYSCALL_64 → do_syscall_64; the syscall body itself is not modelled.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'user'),
  effect: (s, t) => goTo(s, t, 'exit_work'),
  label: byTask('entry_syscall'),
});

/** The last step to user mode: fpregs_restore_userregs() with IRQs off, atomic. */
export const exitToUserMode = action({
  name: 'exit_to_user_mode',
  doc: 'arch_exit_to_user_mode_prepare → switch_fpu_return → fpregs_restore_userregs (IRQs off), then sysret/iret.',
  params: tasks,
  guard: (s, t) => runs(s, t, 'exit_work'),
  effect: (s, t) => goTo(restoreUserregs(s, t, task(s, t).cpu), t, 'user'),
  label: byTask('exit_to_user_mode'),
});

/** Context switch away from t: switch_fpu() saves live registers; the CPU then runs idle. */
export const switchFpu = action({
  name: 'switch_fpu',
  doc: 'arch/x86/include/asm/fpu/sched.h switch_fpu(): set TIF_NEED_FPU_LOAD, save, last_cpu = cpu; owner kept.',
  params: tasks,
  guard: (s, t) => preemptible(s, t),
  effect: (s, t) => {
    const x = task(s, t);
    const n = switchFpuSave(s, t, x.cpu);
    return setTask(n, t, (y) => y.merge({ cpu: NONE, pc: y.pc === 'user' ? 'exit_work' : y.pc }));
  },
  label: byTask('switch_fpu'),
});

/** A CPU whose own code is idle (no task, no kernel_fpu section): where switch_to may put a task. */
export function idleCpu(s: Machine, c: number): boolean {
  return curOf(s, c) === NONE && !cpu(s, c).inKfpu;
}

export interface TaskCpu {
  readonly t: number;
  readonly cpu: number;
}
const pairsMemo = new Map<string, readonly TaskCpu[]>();
/** Every (task, CPU) pair, built once per size. */
export function taskCpuPairs(s: Machine): readonly TaskCpu[] {
  const key = `${s.tasks.size}x${s.cpus.size}`;
  let v = pairsMemo.get(key);
  if (!v) {
    v = [...tasks(s)].flatMap((t) => [...cpus(s)].map((c) => ({ t, cpu: c })));
    pairsMemo.set(key, v);
  }
  return v;
}

/** Whether switch_to may run t on c: t is forked, switched out, and c is idle. */
export function canSwitchTo(s: Machine, p: TaskCpu): boolean {
  const x = task(s, p.t);
  return x.pc !== 'unborn' && x.cpu === NONE && idleCpu(s, p.cpu);
}

/** switch_fpu_finish(): TIF_NEED_FPU_LOAD is set; the restore waits for the return to user. */
export const switchTo = action({
  name: 'switch_to',
  doc: 'The scheduler runs t on c (any CPU: that is migration); fpu/sched.h switch_fpu_finish sets TIF_NEED_FPU_LOAD.',
  params: taskCpuPairs,
  guard: (s, p) => canSwitchTo(s, p),
  effect: (s, p) => setTask(s, p.t, (x) => x.merge({ cpu: p.cpu, tif: true })),
});

/** A softirq (or kernel code) takes the FPU: the user registers are saved and the CPU's are clobbered. */
export const kernelFpuBegin = action({
  name: 'kernel_fpu_begin',
  doc: 'kernel_fpu_begin_mask(): save if !TIF_NEED_FPU_LOAD, then __cpu_invalidate_fpregs_state(); irq_fpu_usable() ≈ bh == 0.',
  params: cpus,
  guard: (s, c) => {
    const t = curOf(s, c);
    return cpu(s, c).bh === 0 && !cpu(s, c).inKfpu && (t === NONE || preemptible(s, t));
  },
  effect: (s, c) => {
    const t = curOf(s, c);
    let n = s;
    if (t !== NONE) {
      n = kernelFpuSave(n, t, c);
      if (task(n, t).pc === 'user') n = goTo(n, t, 'exit_work');
    }
    return setCpu(clobber(n, c), c, (x) => x.set('inKfpu', true));
  },
  label: byCpu('kernel_fpu_begin'),
});

export const kernelFpuEnd = action({
  name: 'kernel_fpu_end',
  doc: 'kernel_fpu_end(): the registers stay clobbered; the owner stays NULL.',
  params: cpus,
  guard: (s, c) => cpu(s, c).inKfpu,
  effect: (s, c) => setCpu(s, c, (x) => x.set('inKfpu', false)),
  label: byCpu('kernel_fpu_end'),
});

/**
 * fork() of task 0 (a new mm): fpu_clone() copies the parent's buffer, or saves the parent's live
 * registers over that copy (arch_dup_task_struct() copied the buffer first); the child gets TIF set and
 * last_cpu = -1. `clear`: "Children never inherit PASID state" (fa6af69f38d3 series); `inherit`: before.
 */
export function copyProcess(opts: { readonly pasid: 'clear' | 'inherit' }) {
  return action({
    name: 'copy_process',
    doc: 'kernel/fork.c copy_process → arch/x86/kernel/fpu/core.c fpu_clone(), under fpregs_lock.',
    params: (s: Machine) => (s.tasks.size > 1 ? [0] : []),
    guard: (s, t) => runs(s, t, 'exit_work') && task(s, 1).pc === 'unborn',
    effect: (s, t) => {
      const p = task(s, t);
      const src = p.tif ? p : xsaves(p, cpu(s, p.cpu).reg, FEATURES);
      const bv = opts.pasid === 'clear' ? src.bv.set('P', false) : src.bv;
      const log = XState({ P: 0, G: canon(s, t, 'G') });
      return setTask(s, 1, (x) => x.merge({ pc: 'exit_work', tif: true, lastCpu: NONE, bv, data: src.data, log }));
    },
    label: byTask('copy_process'),
  });
}

/** The bind of task 0's mm to a device: mm->pasid becomes valid. */
export function iommuSvaBindDevice(opts: { readonly ipi: boolean }) {
  return action({
    name: 'iommu_sva_bind_device',
    doc: opts.ipi
      ? 'intel_svm_bind_mm → load_pasid(): mm->pasid, then on_each_cpu_mask(mm_cpumask(mm), _load_pasid) (any CPU may be in it).'
      : 'iommu_sva_bind_device(): mm->pasid is allocated; tasks pick it up on their next ENQCMD #GP.',
    guard: (s) => !s.mmPasid,
    effect: (s) => {
      const n = s.set('mmPasid', true);
      return opts.ipi ? n.set('cpus', n.cpus.map((c) => c.set('ipiPending', true))) : n;
    },
  });
}

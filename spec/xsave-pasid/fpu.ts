/**
 * Typed accessors and the FPU primitives every proposal shares: fpregs_state_valid(), XSAVES with the
 * init optimisation, XRSTOR from the buffer, and the derived "canonical state" of MODELS.md §5.2.
 */
import { FEATURES, INIT, KJ, NONE, type Cpu, type Feature, type Machine, type Pc, type Task, type Val, XState } from './state.js';

export function task(s: Machine, t: number): Task {
  const v = s.tasks.get(t);
  if (!v) throw new RangeError(`no task ${t}`);
  return v;
}

export function cpu(s: Machine, c: number): Cpu {
  const v = s.cpus.get(c);
  if (!v) throw new RangeError(`no CPU ${c}`);
  return v;
}

export function setTask(s: Machine, t: number, f: (x: Task) => Task): Machine {
  return s.set('tasks', s.tasks.set(t, f(task(s, t))));
}

export function setCpu(s: Machine, c: number, f: (x: Cpu) => Cpu): Machine {
  return s.set('cpus', s.cpus.set(c, f(cpu(s, c))));
}

/** The task running on CPU c, NONE when it runs idle (or a kernel thread that leaves the FPU alone). */
export function curOf(s: Machine, c: number): number {
  return s.tasks.findIndex((x) => x.cpu === c);
}

/** fpregs_state_valid(): c's registers are t's, "if fpu->last_cpu matches the CPU, and the owner matches". */
export function valid(s: Machine, t: number, c: number): boolean {
  return c !== NONE && cpu(s, c).owner === t && task(s, t).lastCpu === c;
}

/** What XRSTOR loads for f: the area when its XSTATE_BV bit is set, else the init value. */
export function bufval(x: Task, f: Feature): Val {
  return x.bv[f] ? x.data[f] : INIT;
}

/** The task's authoritative value of f: the registers while it runs with TIF clear, else the buffer. */
export function canon(s: Machine, t: number, f: Feature): Val {
  const x = task(s, t);
  return x.cpu !== NONE && !x.tif ? cpu(s, x.cpu).reg[f] : bufval(x, f);
}

/**
 * XSAVES of the features in `mask` from `reg` into x's buffer. Init optimisation: a feature in its init
 * state gets XSTATE_BV=0 and its area is not written. And (SDM vol. 1 §13.11) "If RFBM[i] = 0,
 * XSTATE_BV[i] is written as 0": saving one feature clears the bits of all the others.
 */
export function xsaves(x: Task, reg: XState, mask: readonly Feature[]): Task {
  let bv = x.bv;
  let data = x.data;
  for (const f of FEATURES) {
    const live = mask.includes(f) && reg[f] !== INIT;
    bv = bv.set(f, live);
    if (live) data = data.set(f, reg[f]);
  }
  return x.merge({ bv, data });
}

/** XRSTOR(S) of every feature from x's buffer. */
export function xrstor(x: Task): XState {
  return XState({ P: bufval(x, 'P'), G: bufval(x, 'G') });
}

/**
 * switch_fpu(): if TIF_NEED_FPU_LOAD is clear, set it, save every feature (save_fpregs_to_fpstate())
 * and record last_cpu = cpu. The owner stays, "so the next return to user space can avoid the FPU
 * register restore".
 */
export function switchFpuSave(s: Machine, t: number, c: number): Machine {
  if (task(s, t).tif) return s;
  const reg = cpu(s, c).reg;
  return setTask(s, t, (x) => xsaves(x, reg, FEATURES).merge({ tif: true, lastCpu: c }));
}

/** kernel_fpu_begin_mask(): "if !TIF_NEED_FPU_LOAD, set it and save" (last_cpu is left alone). */
export function kernelFpuSave(s: Machine, t: number, c: number): Machine {
  if (task(s, t).tif) return s;
  const reg = cpu(s, c).reg;
  return setTask(s, t, (x) => xsaves(x, reg, FEATURES).set('tif', true));
}

/**
 * fpregs_restore_userregs() in one step (IRQs off on the exit to user mode): reload the registers
 * unless they are still valid, take ownership, clear TIF_NEED_FPU_LOAD.
 */
export function restoreUserregs(s: Machine, t: number, c: number): Machine {
  if (!task(s, t).tif) return s;
  let n = s;
  if (!valid(s, t, c)) {
    const regs = xrstor(task(s, t));
    n = setCpu(n, c, (x) => x.merge({ reg: regs, owner: t }));
    n = setTask(n, t, (x) => x.set('lastCpu', c));
  }
  return setTask(n, t, (x) => x.set('tif', false));
}

/** Clobbers c's vector registers, as kernel_fpu_begin()'s __cpu_invalidate_fpregs_state() announces. */
export function clobber(s: Machine, c: number): Machine {
  return setCpu(s, c, (x) => x.merge({ owner: NONE, reg: x.reg.set('G', KJ) }));
}

/** Steps after which the task can be preempted: IRQs on, no fpregs_lock(), no kernel_fpu section. */
const PREEMPTIBLE: ReadonlySet<Pc> = new Set<Pc>(['user', 'exit_work', 'gp_fixup', 'gp_update', 'gp_irqs_on']);

/** Whether the code running on c can take an interrupt (the idle loop can). */
export function irqsOn(s: Machine, c: number): boolean {
  const t = curOf(s, c);
  return t === NONE || task(s, t).pc !== 'gp_entry';
}

/** Whether task t, running, may be switched out or interrupted by a softirq using the FPU. */
export function preemptible(s: Machine, t: number): boolean {
  const x = task(s, t);
  if (x.cpu === NONE || !PREEMPTIBLE.has(x.pc)) return false;
  const c = cpu(s, x.cpu);
  return c.bh === 0 && !c.inKfpu;
}

/** Task t's mm has a PASID (only task 0's mm is ever bound). */
export function mmHasPasid(s: Machine, t: number): boolean {
  return t === 0 && s.mmPasid;
}

/** The bind has returned: the mm has its PASID and no update_pasid() IPI is still on its way. */
export function pasidBound(s: Machine): boolean {
  return s.mmPasid && !s.cpus.some((c) => c.ipiPending);
}

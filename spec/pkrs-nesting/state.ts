/**
 * State of the pkrs-nesting model: per CPU the PKRS MSR and its per-CPU cache, per task the thread value,
 * the entry frames on its kernel stack and (pks-thread-stack only) the per-thread save stack.
 *
 * A PKRS value is the set of *enabled* keys, kept as a bitmask (bit i = key i+1): INIT is the empty set,
 * PKS_INIT_VALUE ("all keys access-disabled"). A bitmask is a set; using a number keeps states small.
 */
import { List, Record, type RecordOf } from 'immutable';
import { flag, int, oneOf, range, type ConstantsOf } from '../../src/index.js';

/** The bounds of §1.1 of MODELS.md. */
export const constants = {
  nCpus: int(1, 1, 2, 'CPUs; 2 adds migration of a sleeping or preempted task'),
  nTasks: int(2, 1, 3, 'tasks; all start in user mode, task i on CPU i when there is one'),
  maxDepth: int(3, 2, 3, 'entry frames stacked on one task (syscall, #PF, IRQ, NMI)'),
  keys: int(2, 1, 2, 'protection keys; a PKRS value is a subset of them'),
  granularity: oneOf(
    ['coarse', 'nmi'],
    'coarse',
    'coarse: pks_write_pkrs is one step; nmi: compare / cache store / wrmsr, interruptible in between',
  ),
  stackSlots: int(2, 1, 3, 'pks-thread-stack: slots of the per-thread save stack (7 in the mail)'),
  pksTasks: int(1, 1, 3, 'tasks that call pks_set (tasks 0..pksTasks-1); the others only enter, nest and sleep'),
  pfInIrq: flag(false, 'also let a #PF hit inside IRQ and NMI handlers (more states, no new verdict at default bounds)'),
} as const;
export type K = ConstantsOf<typeof constants>;

/** PKS_INIT_VALUE: no key enabled. */
export const INIT = 0;
/** Marks an empty save slot (⊥). */
export const NONE = -1;

export type FrameKind = 'SYS' | 'PF' | 'IRQ' | 'NMI';
/**
 * What the code at this frame level is doing. `enter`/`exit`: the entry or exit hook, whose
 * pks_write_pkrs is in flight; `set_wr`: pks_set has stored the thread value and is about to write (or is
 * writing) the MSR; `set_msr`: MSR-first pks_set is writing the MSR; `set_store`: it is about to store the
 * thread value.
 */
export type FramePc = 'enter' | 'body' | 'exit' | 'set_wr' | 'set_msr' | 'set_store';
/** Progress of a split pks_write_pkrs (granularity nmi): next is the cache store, or the wrmsr. */
export type WriteStep = 'none' | 'cache' | 'msr';

interface FrameProps {
  readonly kind: FrameKind;
  /** EFLAGS.IF while this level's code runs. */
  readonly irqs: boolean;
  readonly pc: FramePc;
  readonly wp: WriteStep;
  /** The value the in-flight pks_write_pkrs writes. */
  readonly wv: number;
  /** aux.pkrs / state->pkrs / idtentry_state slot. */
  readonly s1: number;
  /** RFC V3's state->thread_pkrs. */
  readonly s2: number;
  /** Ghost: the PKRS this level's code intends (INIT plus what its own pks_set calls enabled). */
  readonly g: number;
  /** Ghost: the MSR when this frame was entered. */
  readonly m0: number;
  /** MSR-first pks_set: the value still to be stored in thread.pkrs. */
  readonly nv: number;
}
export const Frame = Record<FrameProps>(
  { kind: 'SYS', irqs: true, pc: 'body', wp: 'none', wv: 0, s1: NONE, s2: NONE, g: INIT, m0: INIT, nv: 0 },
  'Frame',
);
export type Frame = RecordOf<FrameProps>;

interface TaskProps {
  /** Entry frames, bottom first; empty means the task is (or returns) in user mode. */
  readonly frames: List<Frame>;
  /** thread.saved_pkrs / thread.pkrs. */
  readonly thr: number;
  /** pks-thread-stack: the per-thread stack of saved values. */
  readonly stk: List<number>;
}
export const Task = Record<TaskProps>({ frames: List(), thr: INIT, stk: List() }, 'Task');
export type Task = RecordOf<TaskProps>;

interface CpuProps {
  /** The running task, or NONE for idle. */
  readonly cur: number;
  readonly msr: number;
  /** The per-CPU pkrs_cache. */
  readonly cache: number;
}
export const Cpu = Record<CpuProps>({ cur: NONE, msr: INIT, cache: INIT }, 'Cpu');
export type Cpu = RecordOf<CpuProps>;

interface MachineProps {
  readonly cpus: List<Cpu>;
  readonly tasks: List<Task>;
}
export const Machine = Record<MachineProps>({ cpus: List(), tasks: List() }, 'Machine');
export type Machine = RecordOf<MachineProps>;

/** Every task in user mode with INIT, task i running on CPU i. */
export function initial(k: K): Machine {
  return Machine({
    cpus: List(range(k.nCpus).map((c) => Cpu({ cur: c < k.nTasks ? c : NONE }))),
    tasks: List(range(k.nTasks).map(() => Task())),
  });
}

export function cpu(s: Machine, c: number): Cpu {
  const v = s.cpus.get(c);
  if (!v) throw new RangeError(`no CPU ${c}`);
  return v;
}

export function task(s: Machine, t: number): Task {
  const v = s.tasks.get(t);
  if (!v) throw new RangeError(`no task ${t}`);
  return v;
}

export function setCpu(s: Machine, c: number, f: (x: Cpu) => Cpu): Machine {
  return s.set('cpus', s.cpus.set(c, f(cpu(s, c))));
}

export function setTask(s: Machine, t: number, f: (x: Task) => Task): Machine {
  return s.set('tasks', s.tasks.set(t, f(task(s, t))));
}

/** The CPU task t runs on, or NONE. */
export function cpuOf(s: Machine, t: number): number {
  for (let c = 0; c < s.cpus.size; c++) if (s.cpus.get(c)?.cur === t) return c;
  return NONE;
}

/** The task running on CPU c (NONE when idle). */
export function curOf(s: Machine, c: number): number {
  return cpu(s, c).cur;
}

/** The top frame of task t, or undefined in user mode. */
export function top(s: Machine, t: number): Frame | undefined {
  return task(s, t).frames.last();
}

/** Replaces the top frame of task t (which must exist). */
export function setTop(s: Machine, t: number, f: (x: Frame) => Frame): Machine {
  return setTask(s, t, (x) => {
    const i = x.frames.size - 1;
    const fr = x.frames.get(i);
    if (!fr) throw new RangeError(`task ${t} has no frame`);
    return x.set('frames', x.frames.set(i, f(fr)));
  });
}

/** Whether the code running on CPU c may take an IRQ: user mode, or a frame running with IF=1. */
export function irqsOn(s: Machine, t: number): boolean {
  return top(s, t)?.irqs ?? true;
}

/** Value helpers: a PKRS value as a set of enabled keys. */
export const subset = (a: number, b: number): boolean => (a & ~b) === 0;
export const hasKey = (v: number, key: number): boolean => (v & (1 << key)) !== 0;
export const toggle = (v: number, key: number): number => v ^ (1 << key);

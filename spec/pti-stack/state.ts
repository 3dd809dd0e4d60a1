/**
 * State of the PTI entry-stack model (MODELS.md §4.2): CPUs with their CR3 and TSS.sp0, tasks with the
 * phase of their entry path, and one frame slot per stack.
 *
 * A stack is named by a string (`tramp(0)`, `pti(A)`, `kstk(A)`, `vcpu(0)`, `idle(0)`) and holds at most one
 * entry frame, identified by the letter of the task that pushed it. One slot is enough because a user
 * entry always starts at the top of its stack (§4.7). A frame is a ghost identity, not bytes: any
 * overwrite counts, even one with equal contents.
 */
import { List, Map as IMap, Record, Set as ISet, type RecordOf } from 'immutable';
import { flag, int, range, type ConstantsOf } from '../../src/index.js';

export const constants = {
  nCpus: int(2, 1, 2, 'CPUs; migration of a sleeping task needs 2'),
  nTasks: int(2, 1, 3, 'tasks; a second one makes trampoline reuse visible'),
  nMms: int(2, 1, 2, 'address spaces; task t belongs to mm t % nMms (2: every task its own process)'),
  vcpuMutex: flag(true, 'pti-pervcpu-stack only: vcpu->mutex is held while the per-vCPU stack holds a frame'),
};
export type K = ConstantsOf<typeof constants>;

/**
 * Where a task's entry path is. `hw`: on the entry stack before the CR3 switch (the hardware frame is
 * there); `esc`: C step (1) done, still on the entry stack; `body`: the handler on the kernel stack;
 * `ret`: back on an entry stack with the kernel CR3 (asm-return only); `iret`: user CR3 loaded, about to
 * IRET; `dead`: after do_exit.
 */
export type Phase = 'user' | 'hw' | 'esc' | 'body' | 'ret' | 'iret' | 'dead';
export type Sched = 'running' | 'runnable' | 'blocked' | 'dead';
export type Cr3 = 'user' | 'kern';
/** A stack by name; '' is none. */
export type StackId = string;

export const taskName = (t: number): string => 'ABCDEFGH'.charAt(t);
export const tramp = (c: number): StackId => `tramp(${c})`;
export const ptiStack = (t: number): StackId => `pti(${taskName(t)})`;
export const kernelStack = (t: number): StackId => `kstk(${taskName(t)})`;
/** Andy's per-vCPU entry stack; both tasks run the one vCPU (two threads doing KVM_RUN on one fd). */
export const VCPU_STACK: StackId = 'vcpu(0)';
/** CPU c's idle-task stack: what TSS.sp0 holds before the first update_task_stack on that CPU. */
export const idleStack = (c: number): StackId => `idle(${c})`;
export const isIdleStack = (stk: StackId): boolean => stk.startsWith('idle(');

interface CpuProps {
  readonly kind: 'cpu';
  /** The task running on this CPU, -1 when idle. */
  readonly cur: number;
  /**
   * The mm whose page tables are loaded (cpu_tlbstate.loaded_mm), -1 for init_mm at boot. CR3 holds the
   * kernel or the user PGD of this mm: switch_mm_irqs_off() writes CR3 only when the mm changes.
   */
  readonly mm: number;
  readonly cr3: Cr3;
  /** TSS.sp0: the stack the hardware pushes the frame on when this CPU enters from user mode. */
  readonly sp0: StackId;
}
export const Cpu = Record<CpuProps>({ kind: 'cpu', cur: -1, mm: -1, cr3: 'kern', sp0: '' }, 'Cpu');
export type Cpu = RecordOf<CpuProps>;

export interface TaskProps {
  readonly kind: 'task';
  readonly ph: Phase;
  readonly sched: Sched;
  /** The CPU it runs on, -1 when not running. */
  readonly cpu: number;
  /** Ghost: the CPU it entered the kernel on, -1 in user mode (for migrated-while-sleeping-reached). */
  readonly entryCpu: number;
  /** Where its live entry frame is, and where the exit path will read it from. */
  readonly retStk: StackId;
  /** EFLAGS.IF of the task's kernel code; saved and restored across schedule(). */
  readonly irqOn: boolean;
  /** An interrupt handler is running on top of this task (entered from kernel mode). */
  readonly irq: boolean;
  /** The CR3 that interrupt stashed and will restore on exit (paranoid style), or none. */
  readonly stash: Cr3 | 'none';
}
export const Task = Record<TaskProps>(
  { kind: 'task', ph: 'user', sched: 'runnable', cpu: -1, entryCpu: -1, retStk: '', irqOn: false, irq: false, stash: 'none' },
  'Task',
);
export type Task = RecordOf<TaskProps>;

interface PtiProps {
  readonly kind: 'pti';
  readonly cpus: List<Cpu>;
  readonly tasks: List<Task>;
  /** Stack → the letter of the task whose frame is in its slot; absent means empty. */
  readonly stacks: IMap<StackId, string>;
  /** Per mm: the tasks whose PTI stack the mm's user page table maps. */
  readonly mapped: List<ISet<number>>;
  /** Who holds vcpu->mutex (pti-pervcpu-stack), -1 for nobody. */
  readonly vcpuOwner: number;
}
export const Pti = Record<PtiProps>(
  { kind: 'pti', cpus: List(), tasks: List(), stacks: IMap(), mapped: List(), vcpuOwner: -1 },
  'Pti',
);
export type Pti = RecordOf<PtiProps>;

/** What differs between the designs' initial states. */
export interface InitOptions {
  /** TSS.sp0 of CPU c at boot. */
  readonly sp0: (c: number) => StackId;
  /** Whether fork mapped each task's PTI stack into its mm's user page table. */
  readonly mapPtiStacks: boolean;
}

/**
 * Every CPU idle with the kernel CR3; every task runnable and about to return to user mode for the
 * first time (its ret_from_fork exit is not modelled: its first dispatch puts it in user mode).
 */
export function initial(k: K, opts: InitOptions): Pti {
  const mapped = range(k.nMms).map((m) =>
    ISet(opts.mapPtiStacks ? range(k.nTasks).filter((t) => mmOf(t, k) === m) : []),
  );
  return Pti({
    cpus: List(range(k.nCpus).map((c) => Cpu({ sp0: opts.sp0(c) }))),
    tasks: List(range(k.nTasks).map(() => Task())),
    mapped: List(mapped),
  });
}

export const mmOf = (t: number, k: K): number => t % k.nMms;

export function task(s: Pti, t: number): Task {
  const x = s.tasks.get(t);
  if (!x) throw new RangeError(`no task ${t}`);
  return x;
}

export function cpu(s: Pti, c: number): Cpu {
  const x = s.cpus.get(c);
  if (!x) throw new RangeError(`no CPU ${c}`);
  return x;
}

export const setTask = (s: Pti, t: number, f: (x: Task) => Task): Pti => s.set('tasks', s.tasks.set(t, f(task(s, t))));
export const setCpu = (s: Pti, c: number, f: (x: Cpu) => Cpu): Pti => s.set('cpus', s.cpus.set(c, f(cpu(s, c))));

/** The frame in `stk`'s slot: a task letter, or '' when empty. */
export const frameAt = (s: Pti, stk: StackId): string => s.stacks.get(stk) ?? '';

/** Writes `frame` into `stk`'s slot, overwriting whatever was there ('' empties it). */
export const putFrame = (s: Pti, stk: StackId, frame: string): Pti =>
  s.set('stacks', frame === '' ? s.stacks.delete(stk) : s.stacks.set(stk, frame));

/** Task t is done with its frame on `stk`: the slot no longer holds a live frame of t's (others' stay). */
export const releaseFrame = (s: Pti, stk: StackId, t: number): Pti =>
  frameAt(s, stk) === taskName(t) ? putFrame(s, stk, '') : s;

/** Whether t is inside the kernel with a live entry frame (on retStk). */
export const inKernel = (x: Task): boolean => x.ph !== 'user' && x.ph !== 'dead';

/** The tasks whose live entry frame is on `stk`. */
export const liveOn = (s: Pti, stk: StackId): number[] =>
  range(s.tasks.size).filter((t) => inKernel(task(s, t)) && task(s, t).retStk === stk);

/** The trampoline stack's CPU, or -1 when `stk` is not a per-CPU trampoline stack. */
export function trampCpu(stk: StackId): number {
  const m = /^tramp\((\d+)\)$/.exec(stk);
  return m ? Number(m[1]) : -1;
}

/** The task whose PTI stack `stk` is, or -1. */
export function ptiOwner(stk: StackId): number {
  const m = /^pti\(([A-Z])\)$/.exec(stk);
  return m?.[1] ? 'ABCDEFGH'.indexOf(m[1]) : -1;
}

/** Whether the user page table of `mm` maps `stk` (the cpu_entry_area and vCPU stacks are in every mm). */
export function mappedInUser(s: Pti, stk: StackId, mm: number): boolean {
  if (trampCpu(stk) >= 0 || stk === VCPU_STACK) return true;
  const owner = ptiOwner(stk);
  return owner >= 0 && (s.mapped.get(mm)?.has(owner) ?? false);
}

/** A user-mode task that would block on vcpu->mutex before entering, so its sp0 is not about to be used. */
export const waitsForVcpu = (s: Pti, t: number): boolean => s.vcpuOwner >= 0 && s.vcpuOwner !== t;

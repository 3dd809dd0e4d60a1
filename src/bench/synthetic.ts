/**
 * The benchmark's synthetic model: kernel-shaped, not a kernel mechanism.
 *
 * Three CPUs, each with a stack of nested entry frames (a syscall at the bottom, then #PF, IRQ and NMI as
 * the x86 nesting rules allow), a preempt count, a cached register (an MSR-like value that each entry
 * saves in its frame and each exit restores) and the task it runs; plus one global spinlock. Tasks move
 * only by a context switch that exchanges the tasks of two CPUs. Every value is an Immutable Record or
 * List, so the benchmark measures the pipeline a real model goes through: decode, guards and effects on
 * Records, encode, intern.
 *
 * The defaults give 2,360,118 distinct states and 17,516,863 generated ones (BFS depth 27), with both
 * invariants holding, the reachability property reached and no deadlock. `nCpus=2` gives 11,210 states
 * (a quick smoke run); `maxDepth=2` gives 249,318.
 *
 * It is written the way the models under spec/ are (Record `merge`, `List` push and pop, helper reads
 * through `cpu(s, c)`), so that its cost per transition is representative; do not hand-optimise it.
 */
import { List, Record, type RecordOf } from 'immutable';
import { defineModel, forState, int, range, type ConstantsOf } from '../index.js';

export const constants = {
  nCpus: int(3, 2, 4, 'CPUs (the reachability property needs two)'),
  maxDepth: int(3, 1, 4, 'entry frames stacked on one CPU'),
  regs: int(2, 1, 8, 'values of the cached per-CPU register (0 is the kernel default)'),
} as const;
export type K = ConstantsOf<typeof constants>;

export type Kind = 'SYS' | 'PF' | 'IRQ' | 'NMI';
const KINDS: readonly Kind[] = ['SYS', 'PF', 'IRQ', 'NMI'];

const NONE = -1;

interface FrameProps {
  readonly kind: Kind;
  /** The register value the entry saved, restored on exit. */
  readonly saved: number;
}
export const Frame = Record<FrameProps>({ kind: 'SYS', saved: 0 }, 'Frame');
export type Frame = RecordOf<FrameProps>;

interface CpuProps {
  /** Entry frames, bottom first; empty is user mode. */
  readonly frames: List<Frame>;
  /** preempt_count(): one per IRQ or NMI frame plus one while holding the lock. */
  readonly preempt: number;
  /** The cached register (think PKRS or a per-CPU MSR cache). */
  readonly reg: number;
  /** The running task. */
  readonly task: number;
}
export const Cpu = Record<CpuProps>({ frames: List(), preempt: 0, reg: 0, task: 0 }, 'Cpu');
export type Cpu = RecordOf<CpuProps>;

interface MachineProps {
  readonly cpus: List<Cpu>;
  /** The CPU holding the spinlock, or NONE. */
  readonly lock: number;
}
export const Machine = Record<MachineProps>({ cpus: List(), lock: NONE }, 'Machine');
export type Machine = RecordOf<MachineProps>;

function cpu(s: Machine, c: number): Cpu {
  const v = s.cpus.get(c);
  if (v === undefined) throw new RangeError(`no CPU ${c}`);
  return v;
}

function top(x: Cpu): Frame | undefined {
  return x.frames.last();
}

/** Whether an entry of `kind` may nest on top of the CPU's current frames. */
function mayEnter(x: Cpu, kind: Kind, k: K): boolean {
  const n = x.frames.size;
  if (n >= k.maxDepth) return false;
  const t = top(x);
  switch (kind) {
    case 'SYS':
      return n === 0;
    case 'PF':
      // A fault in kernel code: from a syscall or an IRQ handler, never from NMI or another #PF.
      return t !== undefined && (t.kind === 'SYS' || t.kind === 'IRQ');
    case 'IRQ':
      // Interrupts are off in IRQ, NMI and #PF handlers (this model never re-enables them in a #PF) and
      // while the lock is held.
      return (t === undefined || t.kind === 'SYS') && x.preempt === 0;
    case 'NMI':
      return t === undefined || t.kind !== 'NMI';
  }
}

const { action, invariant, reachable } = forState<Machine, K>();

interface EntryParam {
  readonly cpu: number;
  readonly kind: Kind;
}

function build(k: K) {
  const cpus = range(k.nCpus);
  const entryParams: readonly EntryParam[] = cpus.flatMap((c) => KINDS.map((kind) => ({ cpu: c, kind })));
  const writeParams = cpus.flatMap((c) => range(k.regs).map((v) => ({ cpu: c, v })));

  const entry = action({
    name: 'entry',
    doc: 'an exception, interrupt or syscall entry: saves the register in the new frame and sets the kernel value',
    params: () => entryParams,
    guard: (s, p) => mayEnter(cpu(s, p.cpu), p.kind, k),
    effect: (s, p) => {
      const x = cpu(s, p.cpu);
      const nmiLike = p.kind === 'IRQ' || p.kind === 'NMI';
      const next = x.merge({
        frames: x.frames.push(Frame({ kind: p.kind, saved: x.reg })),
        preempt: nmiLike ? x.preempt + 1 : x.preempt,
        reg: 0,
      });
      return s.set('cpus', s.cpus.set(p.cpu, next));
    },
  });

  const exit = action({
    name: 'exit',
    doc: 'the matching exit: restores the saved register and pops the frame',
    params: () => cpus,
    guard: (s, c) => {
      const t = top(cpu(s, c));
      // A syscall does not return to user mode holding the lock.
      return t !== undefined && !(t.kind === 'SYS' && s.lock === c);
    },
    effect: (s, c) => {
      const x = cpu(s, c);
      const t = top(x)!;
      const nmiLike = t.kind === 'IRQ' || t.kind === 'NMI';
      const next = x.merge({
        frames: x.frames.pop(),
        preempt: nmiLike ? x.preempt - 1 : x.preempt,
        reg: t.saved,
      });
      return s.set('cpus', s.cpus.set(c, next));
    },
  });

  const write = action({
    name: 'write_reg',
    doc: 'the handler writes the cached register (a no-op write is not a step)',
    params: () => writeParams,
    guard: (s, p) => {
      const x = cpu(s, p.cpu);
      return x.frames.size > 0 && x.reg !== p.v;
    },
    effect: (s, p) => s.set('cpus', s.cpus.set(p.cpu, cpu(s, p.cpu).set('reg', p.v))),
  });

  const lock = action({
    name: 'spin_lock',
    doc: 'a syscall takes the global lock (preempt_disable included)',
    params: () => cpus,
    guard: (s, c) => s.lock === NONE && top(cpu(s, c))?.kind === 'SYS',
    effect: (s, c) => {
      const x = cpu(s, c);
      return s.merge({ lock: c, cpus: s.cpus.set(c, x.set('preempt', x.preempt + 1)) });
    },
  });

  const unlock = action({
    name: 'spin_unlock',
    doc: 'the holder releases the lock at syscall level',
    params: () => cpus,
    guard: (s, c) => s.lock === c && top(cpu(s, c))?.kind === 'SYS',
    effect: (s, c) => {
      const x = cpu(s, c);
      return s.merge({ lock: NONE, cpus: s.cpus.set(c, x.set('preempt', x.preempt - 1)) });
    },
  });

  const pairs = cpus.flatMap((c) => cpus.filter((d) => d > c).map((d) => ({ cpu: c, other: d })));
  const switchable = (x: Cpu) => x.preempt === 0 && x.frames.size === 1;
  const contextSwitch = action({
    name: 'context_switch',
    doc: 'schedule() on two CPUs in syscalls with preemption on: they exchange their tasks (a migration each way)',
    params: () => pairs,
    guard: (s, p) => switchable(cpu(s, p.cpu)) && switchable(cpu(s, p.other)),
    effect: (s, p) => {
      const x = cpu(s, p.cpu);
      const y = cpu(s, p.other);
      return s.set('cpus', s.cpus.set(p.cpu, x.set('task', y.task)).set(p.other, y.set('task', x.task)));
    },
  });

  const init = Machine({ cpus: List(cpus.map((c) => Cpu({ task: c }))) });

  const preemptCount = invariant(
    'preempt-count',
    'each CPU\'s preempt count is its IRQ and NMI frames plus one if it holds the lock',
    (s) =>
      s.cpus.every(
        (x, c) =>
          x.preempt ===
          x.frames.count((f) => f.kind === 'IRQ' || f.kind === 'NMI') + (s.lock === c ? 1 : 0),
      ),
  );
  const lockInKernel = invariant(
    'lock-in-kernel',
    'the lock is only ever held by a CPU inside a syscall',
    (s) => s.lock === NONE || cpu(s, s.lock).frames.first()?.kind === 'SYS',
  );
  const deepNmi = reachable(
    'nmi-at-max-depth',
    'an NMI lands on a CPU whose stack is otherwise full, while another CPU holds the lock',
    (s) =>
      s.cpus.some((x, c) => x.frames.size === k.maxDepth && top(x)?.kind === 'NMI' && s.lock !== NONE && s.lock !== c),
  );

  return {
    init: [init],
    actions: [entry, exit, write, lock, unlock, contextSwitch],
    properties: [preemptCount, lockInKernel, deepNmi],
  };
}

export default defineModel({
  name: 'bench-synthetic',
  summary: 'A kernel-shaped synthetic model for `npm run bench`: nested entry frames on three CPUs, a lock',
  constants,
  build,
  baseline: 'baseline',
  proposals: [{ id: 'baseline', summary: 'the model as defined', source: 'src/bench/synthetic.ts' }],
});

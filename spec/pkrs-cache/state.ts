/**
 * State of the `pkrs-cache` model: per CPU the PKRS MSR and its `pkrs_cache` shadow, the running
 * procedure's program counter and locals, and the global `pkrs_global_cache` with its spinlock.
 *
 * A PKRS value is the set of ENABLED keys, as a bit mask over `keys` (bit i = key i may be accessed).
 * 0 stands for `INIT_PKRS_VALUE` (every key access-disabled). Sets as bit masks keep states small and
 * comparisons cheap; the kernel's AD/WD bit pairs collapse to one bit because the RFC forces
 * "no access" to 11b and only ever ANDs values (RFC PKS/PMEM 01/58, arch/x86/kernel/process.c comment).
 */
import { List, Record, type RecordOf } from 'immutable';
import { flag, int, range, type ConstantsOf } from '../../src/index.js';

/** The model's constants; small defaults so every proposal explores in seconds. */
export const constants = {
  nCpus: int(2, 1, 3, 'online CPUs; 2 are needed for a remote update of another CPU\'s pkrs_cache'),
  keys: int(1, 1, 2, 'protection keys; a PKRS value is a subset of them (1 key: 2 values, 2 keys: 4)'),
  irqSavePkrs: flag(
    false,
    'interrupt and exception entry save pkrs_cache and write INIT, exit writes the saved value back ' +
      '(RFC irq_save_pkrs/irq_restore_pkrs); the update_global_pkrs IPI then runs inside that save/restore too',
  ),
};
export type K = ConstantsOf<typeof constants>;

/**
 * Where the procedure running on a CPU is (MODELS.md §3.3 names, for cross-reference):
 * - `idle`: nothing in progress; the environment may act.
 * - `W0`: a caller has computed the value and is about to call write_pkrs.
 * - `W1`..`W4`: inside write_pkrs: W1 before the `*pkrs != new` read, W2 before the cache store,
 *   W3 before the wrmsr, W4 before the return (put_cpu_ptr in the get_cpu_ptr version).
 * - `G1`: pks_update_protection(global) has disabled preemption and spins for pkrs_global_cache_lock.
 * - `G3a`/`G3c`/`G3d`/`G3w`: update_global_pkrs's loop for target `gj`: before the `*ptr` read, before
 *   the `*ptr` store, before `wrmsrl_on_cpu` (which re-reads `*ptr`), waiting for the IPI to complete.
 * - `G4`: loop finished, before spin_unlock. `G5`: before the thread update and its write_pkrs.
 */
export type Pc = 'idle' | 'W0' | 'W1' | 'W2' | 'W3' | 'W4' | 'G1' | 'G3a' | 'G3c' | 'G3d' | 'G3w' | 'G4' | 'G5';

/** What write_pkrs's caller still has to do when write_pkrs returns. */
export type WriteReturn = 'none' | 'preempt_enable';

interface CpuProps {
  readonly kind: 'cpu';
  /** MSR_IA32_PKRS as the hardware holds it. */
  readonly msr: number;
  /** this CPU's `pkrs_cache`, which write_pkrs compares against to skip the wrmsr. */
  readonly cache: number;
  /** `current->thread.saved_pkrs` of the task on this CPU (no context switches: one task per CPU). */
  readonly thr: number;
  /** The pkrs_cache value irq_save_pkrs saved for an exception in progress, or -1 (irqSavePkrs only). */
  readonly saved: number;
  /** EFLAGS.IF of the code running on this CPU. */
  readonly ifl: boolean;
  /** preempt_count, saturated at ±3 so the state space stays finite (see README). */
  readonly preempt: number;
  /** A pending smp_call_function IPI from update_global_pkrs: its payload, or -1 when none is pending. */
  readonly ipi: number;
  readonly pc: Pc;
  /** The value the write_pkrs in progress was asked to write. */
  readonly wv: number;
  readonly wret: WriteReturn;
  /** IF to restore when write_pkrs returns (the irq-off proposal disables IRQs inside). */
  readonly wifl: boolean;
  /** update_global_pkrs locals: the key being revoked, the loop's target CPU, and the value read. */
  readonly gkey: number;
  readonly gj: number;
  readonly gtmp: number;
}
export const Cpu = Record<CpuProps>(
  {
    kind: 'cpu', msr: 0, cache: 0, thr: 0, saved: -1, ifl: true, preempt: 0, ipi: -1,
    pc: 'idle', wv: 0, wret: 'none', wifl: false, gkey: 0, gj: 0, gtmp: 0,
  },
  'Cpu',
);
export type Cpu = RecordOf<CpuProps>;

interface MachineProps {
  readonly kind: 'machine';
  readonly cpus: List<Cpu>;
  /** pkrs_global_cache_lock: the owning CPU, or -1 when free. */
  readonly lock: number;
  /** pkrs_global_cache, as the set of globally enabled keys. */
  readonly gcache: number;
  /** Ghost: keys for which a global revoke has begun (each key is revoked at most once per run). */
  readonly begun: number;
  /** Ghost: keys whose global revoke has completed (spin_unlock reached). */
  readonly revoked: number;
}
export const Machine = Record<MachineProps>(
  { kind: 'machine', cpus: List<Cpu>(), lock: -1, gcache: 0, begun: 0, revoked: 0 },
  'Machine',
);
export type Machine = RecordOf<MachineProps>;

/** Every key enabled. */
export const allKeys = (k: K): number => (1 << k.keys) - 1;

/**
 * Every key is globally enabled (pks_mkrdwr(key, true) ran earlier and its lazy enable reached every
 * CPU through pks_sched_in), no thread holds a key of its own, IRQs on, nothing in progress.
 */
export function initial(k: K): Machine {
  const full = allKeys(k);
  const cpu = Cpu({ msr: full, cache: full });
  return Machine({ cpus: List(range(k.nCpus).map(() => cpu)), gcache: full });
}

/** The CPU `c`; throws on a bad id so a spec bug cannot pass silently. */
export function cpu(s: Machine, c: number): Cpu {
  const x = s.cpus.get(c);
  if (x === undefined) throw new RangeError(`no CPU ${c}`);
  return x;
}

/** `s` with CPU `c` replaced by `f(cpu c)`. */
export function updateCpu(s: Machine, c: number, f: (x: Cpu) => Cpu): Machine {
  return s.set('cpus', s.cpus.set(c, f(cpu(s, c))));
}

/** CPU ids whose program counter is `pc`: the params domain of the step that continues from there. */
export function cpusAt(s: Machine, pc: Pc): number[] {
  const out: number[] = [];
  s.cpus.forEach((x, c) => {
    if (x.pc === pc) out.push(c);
  });
  return out;
}

/** Bit-mask set helpers: key `key` in `set`, added, removed. */
export const hasKey = (set: number, key: number): boolean => (set & (1 << key)) !== 0;
export const withKey = (set: number, key: number): number => set | (1 << key);
export const withoutKey = (set: number, key: number): number => set & ~(1 << key);

/** preempt_count changes, saturated at ±3: an underflow is already a violation when it saturates. */
export const preemptInc = (x: Cpu): Cpu => x.set('preempt', Math.min(3, x.preempt + 1));
export const preemptDec = (x: Cpu): Cpu => x.set('preempt', Math.max(-3, x.preempt - 1));

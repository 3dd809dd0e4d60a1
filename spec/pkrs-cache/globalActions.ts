/**
 * pks_update_protection(pkey, PKEY_DISABLE_ACCESS, global=true) and its update_global_pkrs(), from
 * RFC PKS/PMEM 01/58 (Message-Id 20201009195033.3208459-2-ira.weiny@intel.com), as quoted by Thomas
 * Gleixner in seed 003, plus the two [J] repairs of MODELS.md §3.4.
 *
 * The loop is cut at each access to the target CPU's pkrs_cache and at the IPI, since the target
 * CPU runs write_pkrs on the same variable meanwhile. Only revokes are modelled: global enables are
 * lazy (no IPI) and reach a CPU through pks_sched_in, which `local_activity` already covers.
 */
import { forState } from '../../src/index.js';
import {
  cpu, cpusAt, hasKey, preemptDec, preemptInc, updateCpu, withKey, withoutKey,
  type Cpu, type K, type Machine, type Pc,
} from './state.js';

const { action } = forState<Machine, K>();

/** One iteration of the for_each_online_cpu loop: the CPU running it and its target. */
interface LoopStep {
  readonly cpu: number;
  readonly j: number;
}
const loopAt = (pc: Pc) => (s: Machine): LoopStep[] => cpusAt(s, pc).map((c) => ({ cpu: c, j: cpu(s, c).gj }));
const arrow = (p: LoopStep) => `cpu=${p.cpu}→${p.j}`;

/** Next loop iteration, or the spin_unlock once every online CPU has been done. */
function nextTarget(x: Cpu, k: K): Cpu {
  return x.gj + 1 < k.nCpus ? x.merge({ gj: x.gj + 1, gtmp: 0, pc: 'G3a' }) : x.merge({ gj: 0, gtmp: 0, pc: 'G4' });
}

/**
 * pks_update_protection(key, ..., true): `preempt_disable();` before update_global_pkrs. It needs IRQs
 * on (smp_call_function_single warns otherwise) and task context; each key is revoked once per run.
 */
export const globalBegin = action({
  name: 'global_begin',
  params: (s: Machine, k: K) => cpusAt(s, 'idle').flatMap((c) => Array.from({ length: k.keys }, (_, key) => ({ cpu: c, key }))),
  guard: (s, p) => cpu(s, p.cpu).ifl && cpu(s, p.cpu).saved < 0 && !hasKey(s.begun, p.key),
  effect: (s, p) =>
    updateCpu(s.set('begun', withKey(s.begun, p.key)), p.cpu, (x) => preemptInc(x).merge({ pc: 'G1', gkey: p.key })),
  label: (p) => `pks_mknoaccess(cpu=${p.cpu}, key=${p.key}, global)`,
});

/** `spin_lock(&pkrs_global_cache_lock); pkrs_global_cache &= ~mask (| AD|WD)`: the key is no longer global. */
export const globalLock = action({
  name: 'global_lock',
  params: (s: Machine) => cpusAt(s, 'G1'),
  guard: (s) => s.lock < 0,
  effect: (s, c) => {
    const key = cpu(s, c).gkey;
    const t = s.merge({ lock: c, gcache: withoutKey(s.gcache, key) });
    return updateCpu(t, c, (x) => preemptInc(x).merge({ pc: 'G3a', gj: 0 }));
  },
  label: (c) => `spin_lock(pkrs_global_cache_lock, cpu=${c})`,
});

/** `ptr = per_cpu_ptr(&pkrs_cache, cpu); ... = update_pkey_val(*ptr, ...)`: the read (no preempt change). */
export const globalLoopRead = action({
  name: 'global_loop_read',
  params: loopAt('G3a'),
  effect: (s, p) => updateCpu(s, p.cpu, (x) => x.merge({ gtmp: cpu(s, p.j).cache, pc: 'G3c' })),
  label: (p) => `per_cpu_ptr(pkrs_cache):read(${arrow(p)})`,
});

/** `*ptr = update_pkey_val(...)`: the store into the remote CPU's pkrs_cache. */
export const globalLoopWrite = action({
  name: 'global_loop_write',
  params: loopAt('G3c'),
  effect: (s, p) => {
    const x = cpu(s, p.cpu);
    const t = updateCpu(s, p.j, (y) => y.set('cache', withoutKey(x.gtmp, x.gkey)));
    return updateCpu(t, p.cpu, (y) => y.set('pc', 'G3d'));
  },
  label: (p) => `per_cpu_ptr(pkrs_cache):write(${arrow(p)})`,
});

/**
 * `wrmsrl_on_cpu(cpu, MSR_IA32_PKRS, *ptr)`: re-reads `*ptr` for the argument. For the own CPU the
 * function runs locally with IRQs off (an immediate wrmsr); otherwise an IPI carries the value.
 */
export const globalLoopSend = action({
  name: 'global_loop_send',
  params: loopAt('G3d'),
  effect: (s, p) => {
    const arg = cpu(s, p.j).cache;
    const t = updateCpu(s, p.j, (y) => (p.j === p.cpu ? y.set('msr', arg) : y.set('ipi', arg)));
    return updateCpu(t, p.cpu, (y) => y.set('pc', 'G3w'));
  },
  label: (p) => `wrmsrl_on_cpu(${arrow(p)})`,
});

/** [J] pkrs-global-ipi-rmw: the sender only sends the key; the target does the read-modify-write. */
export const globalLoopSendRmw = action({
  name: 'global_loop_send',
  params: loopAt('G3a'),
  effect: (s, p) => {
    const key = cpu(s, p.cpu).gkey;
    const t = updateCpu(s, p.j, (y) => (p.j === p.cpu ? revokeLocally(y, key) : y.set('ipi', key)));
    return updateCpu(t, p.cpu, (y) => y.set('pc', 'G3w'));
  },
  label: (p) => `smp_call_function_single(pks_revoke, ${arrow(p)})`,
});

/** wrmsrl_on_cpu has returned (the IPI ran); then the stray `put_cpu_ptr(ptr)` that seed 003 points 1 at. */
export const globalLoopDone = action({
  name: 'global_loop_done',
  params: loopAt('G3w'),
  guard: (s, p) => cpu(s, p.j).ipi < 0,
  effect: (s, p, k) => updateCpu(s, p.cpu, (x) => nextTarget(preemptDec(x), k)),
  label: (p) => `put_cpu_ptr(${arrow(p)})`,
});

/** [J] The repaired loop has no put_cpu_ptr: only wait for the IPI and move on. */
export const globalLoopDoneRmw = action({
  name: 'global_loop_done',
  params: loopAt('G3w'),
  guard: (s, p) => cpu(s, p.j).ipi < 0,
  effect: (s, p, k) => updateCpu(s, p.cpu, (x) => nextTarget(x, k)),
  label: (p) => `smp_call_function_single:done(${arrow(p)})`,
});

/** `spin_unlock(&pkrs_global_cache_lock)`: the revoke is complete as far as update_global_pkrs knows. */
export const globalUnlock = action({
  name: 'global_unlock',
  params: (s: Machine) => cpusAt(s, 'G4'),
  effect: (s, c) => {
    const t = s.merge({ lock: -1, revoked: withKey(s.revoked, cpu(s, c).gkey) });
    return updateCpu(t, c, (x) => preemptDec(x).set('pc', 'G5'));
  },
  label: (c) => `spin_unlock(pkrs_global_cache_lock, cpu=${c})`,
});

/**
 * Back in pks_update_protection: `thread.saved_pkrs = update_pkey_val(...); write_pkrs(thread.saved_pkrs);`
 * and, when that write_pkrs returns, `preempt_enable()`.
 */
export const globalEnd = action({
  name: 'global_end',
  params: (s: Machine) => cpusAt(s, 'G5'),
  effect: (s, c) =>
    updateCpu(s, c, (x) => {
      const thr = withoutKey(x.thr, x.gkey);
      return x.merge({ pc: 'W0', thr, wv: thr, wret: 'preempt_enable', gkey: 0 });
    }),
  label: (c) => `pks_update_protection:thread_update(cpu=${c})`,
});

/** The pending IPI's function on its own, without any interrupt-entry PKRS handling. */
type IpiFunction = (x: Cpu, payload: number) => Cpu;

/** RFC: `__wrmsr_on_cpu`: the MSR gets the value the sender read; pkrs_cache is not touched. */
const wrmsrPayload: IpiFunction = (x, v) => x.set('msr', v);

/** [J] repair: `*this_cpu_ptr(&pkrs_cache) = update_pkey_val(...); wrmsrl(..., that value)`. */
function revokeLocally(x: Cpu, key: number): Cpu {
  const v = withoutKey(x.cache, key);
  return x.merge({ cache: v, msr: v });
}

/** write_pkrs in one step, for code running with IRQs off on its own CPU (the IPI's irqentry). */
function writePkrsAtomic(x: Cpu, v: number): Cpu {
  return x.cache === v ? x : x.merge({ cache: v, msr: v });
}

/** The IPI as taken on `j`: with irqSavePkrs, irqentry's irq_save_pkrs/irq_restore_pkrs wrap it. */
function takeIpi(x: Cpu, fn: IpiFunction, k: K): Cpu {
  const payload = x.ipi;
  const y = x.set('ipi', -1);
  if (!k.irqSavePkrs) return fn(y, payload);
  const saved = y.cache;
  return writePkrsAtomic(fn(writePkrsAtomic(y, 0), payload), saved);
}

const ipiTargets = (s: Machine) => {
  const out: number[] = [];
  s.cpus.forEach((x, j) => {
    if (x.ipi >= 0 && x.ifl) out.push(j);
  });
  return out;
};

/** The smp_call_function IPI on `j`, once IRQs are on there: the RFC's `__wrmsr_on_cpu`. */
export const ipiHandle = action({
  name: 'ipi_handle',
  params: ipiTargets,
  effect: (s, j, k) => updateCpu(s, j, (x) => takeIpi(x, wrmsrPayload, k)),
  label: (j) => `ipi:wrmsr(cpu=${j})`,
});

/** [J] The IPI on `j` does the read-modify-write of its own pkrs_cache and writes the MSR from it. */
export const ipiHandleRmw = action({
  name: 'ipi_handle',
  params: ipiTargets,
  effect: (s, j, k) => updateCpu(s, j, (x) => takeIpi(x, revokeLocally, k)),
  label: (j) => `ipi:update_pkey_val+wrmsr(cpu=${j})`,
});

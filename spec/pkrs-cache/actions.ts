/**
 * write_pkrs() and the local code that calls it, one atomic step per action.
 *
 * write_pkrs is cut at each access to `pkrs_cache` and at the wrmsr, because another CPU's
 * update_global_pkrs reads and writes this CPU's `pkrs_cache` and its IPI writes the MSR
 * (MODELS.md §3.3). Sources: V3 04/10 `write_pkrs()` as quoted in seed 003
 * (intel/mainline-tracking arch/x86/mm/pkeys.c@1843e775), V8-V10 `pks_write_pkrs()` (weiny2/linux-kernel
 * arch/x86/include/asm/pks.h@02f1931b), RFC PKS/PMEM 01/58 for the callers.
 */
import { forState, range } from '../../src/index.js';
import {
  cpu, cpusAt, preemptDec, preemptInc, updateCpu, withKey, withoutKey,
  type Cpu, type K, type Machine, type Pc,
} from './state.js';

const { action } = forState<Machine, K>();

const at = (pc: Pc) => (s: Machine) => cpusAt(s, pc);
const setPc = (s: Machine, c: number, pc: Pc) => updateCpu(s, c, (x) => x.set('pc', pc));

/** The procedure's locals back to their defaults, so finished calls leave no trace in the state. */
const idle = (x: Cpu): Cpu => x.merge({ pc: 'idle', wv: 0, wret: 'none', wifl: false, gkey: 0, gj: 0, gtmp: 0 });

/**
 * V3 `write_pkrs()`: `pkrs = get_cpu_ptr(&pkrs_cache);`, i.e. preempt_disable() and this_cpu_ptr.
 * Cut here because everything after it must run on one CPU.
 */
export const writePkrsEnterGetCpu = action({
  name: 'write_pkrs_enter',
  params: at('W0'),
  effect: (s, c) => updateCpu(s, c, (x) => preemptInc(x).merge({ pc: 'W1', wifl: x.ifl })),
  label: (c) => `write_pkrs:get_cpu_ptr(cpu=${c})`,
});

/**
 * V8-V10 `pks_write_pkrs()`: no preemption handling, only `lockdep_assert_preemption_disabled()`;
 * the `write-pkrs-precondition` property plays the lockdep assertion.
 */
export const writePkrsEnterNoinstr = action({
  name: 'write_pkrs_enter',
  params: at('W0'),
  effect: (s, c) => updateCpu(s, c, (x) => x.merge({ pc: 'W1', wifl: x.ifl })),
  label: (c) => `pks_write_pkrs:lockdep_assert_preemption_disabled(cpu=${c})`,
});

/** [J] `get_cpu_ptr()` plus `local_irq_save()`: the IPI cannot land before the matching restore. */
export const writePkrsEnterIrqOff = action({
  name: 'write_pkrs_enter',
  params: at('W0'),
  effect: (s, c) => updateCpu(s, c, (x) => preemptInc(x).merge({ pc: 'W1', wifl: x.ifl, ifl: false })),
  label: (c) => `write_pkrs:get_cpu_ptr+local_irq_save(cpu=${c})`,
});

/** `if (*pkrs != new_pkrs)`: the read of this CPU's pkrs_cache, which a remote CPU may be rewriting. */
export const writePkrsRead = action({
  name: 'write_pkrs_read',
  params: at('W1'),
  effect: (s, c) => setPc(s, c, cpu(s, c).cache === cpu(s, c).wv ? 'W4' : 'W2'),
  label: (c) => `write_pkrs:read_cache(cpu=${c})`,
});

/** `*pkrs = new_pkrs;`: the store to pkrs_cache, separate from the wrmsr that follows it. */
export const writePkrsCache = action({
  name: 'write_pkrs_cache',
  params: at('W2'),
  effect: (s, c) => updateCpu(s, c, (x) => x.merge({ cache: x.wv, pc: 'W3' })),
  label: (c) => `write_pkrs:store_cache(cpu=${c})`,
});

/** `wrmsrl(MSR_IA32_PKRS, new_pkrs);` */
export const writePkrsMsr = action({
  name: 'write_pkrs_msr',
  params: at('W3'),
  effect: (s, c) => updateCpu(s, c, (x) => x.merge({ msr: x.wv, pc: 'W4' })),
  label: (c) => `write_pkrs:wrmsr(cpu=${c})`,
});

/** The caller's own tail after write_pkrs returns: pks_update_protection's preempt_enable(). */
function returnToCaller(x: Cpu): Cpu {
  const y = x.wret === 'preempt_enable' ? preemptDec(x) : x;
  return idle(y.set('ifl', x.wifl));
}

/** V3 `put_cpu_ptr(pkrs)` (preempt_enable), then back in the caller. */
export const writePkrsExitGetCpu = action({
  name: 'write_pkrs_exit',
  params: at('W4'),
  effect: (s, c) => updateCpu(s, c, (x) => returnToCaller(preemptDec(x))),
  label: (c) => `write_pkrs:put_cpu_ptr(cpu=${c})`,
});

/** V8-V10 `pks_write_pkrs()` returns without touching preempt_count. */
export const writePkrsExitNoinstr = action({
  name: 'write_pkrs_exit',
  params: at('W4'),
  effect: (s, c) => updateCpu(s, c, returnToCaller),
  label: (c) => `pks_write_pkrs:return(cpu=${c})`,
});

/** The local callers of write_pkrs (MODELS.md §3.3 `local_activity`), each a kernel function. */
export type LocalCall =
  | { readonly cpu: number; readonly fn: 'pks_sched_in' | 'irq_save_pkrs' | 'irq_restore_pkrs' }
  | { readonly cpu: number; readonly fn: 'pks_mkrdwr' | 'pks_mknoaccess'; readonly key: number };

function localCalls(k: K): LocalCall[] {
  const out: LocalCall[] = [];
  for (const c of range(k.nCpus)) {
    out.push({ cpu: c, fn: 'pks_sched_in' });
    for (const key of range(k.keys)) {
      out.push({ cpu: c, fn: 'pks_mkrdwr', key }, { cpu: c, fn: 'pks_mknoaccess', key });
    }
    if (k.irqSavePkrs) out.push({ cpu: c, fn: 'irq_save_pkrs' }, { cpu: c, fn: 'irq_restore_pkrs' });
  }
  return out;
}

/** Whether `p`'s kernel function may run now: IRQs-off callers need IF clear, task-context ones no exception. */
function localCallEnabled(s: Machine, p: LocalCall): boolean {
  const x = cpu(s, p.cpu);
  if (x.pc !== 'idle') return false;
  switch (p.fn) {
    case 'pks_sched_in':
      return !x.ifl;
    case 'irq_save_pkrs':
      return !x.ifl && x.saved < 0;
    case 'irq_restore_pkrs':
      return !x.ifl && x.saved >= 0;
    case 'pks_mkrdwr':
    case 'pks_mknoaccess':
      return x.saved < 0;
  }
}

/** The caller's part up to the call: it computes write_pkrs's argument (and reads pkrs_global_cache). */
function localCallEffect(s: Machine, p: LocalCall): Machine {
  return updateCpu(s, p.cpu, (x) => {
    switch (p.fn) {
      case 'pks_sched_in':
        return x.merge({ pc: 'W0', wv: x.thr | s.gcache });
      case 'irq_save_pkrs':
        return x.merge({ pc: 'W0', wv: 0, saved: x.cache });
      case 'irq_restore_pkrs':
        return x.merge({ pc: 'W0', wv: x.saved, saved: -1 });
      case 'pks_mkrdwr':
      case 'pks_mknoaccess': {
        const thr = p.fn === 'pks_mkrdwr' ? withKey(x.thr, p.key) : withoutKey(x.thr, p.key);
        return preemptInc(x).merge({ pc: 'W0', thr, wv: thr, wret: 'preempt_enable' });
      }
    }
  });
}

/**
 * The environment's calls of write_pkrs on one CPU:
 * - `pks_sched_in()` in __switch_to (IRQs off): `write_pkrs(thread.saved_pkrs & pkrs_global_cache)`,
 *   i.e. the thread's keys plus the globally enabled ones (RFC 01/58, arch/x86/kernel/process.c);
 * - `pks_mkrdwr(key, false)` / `pks_mknoaccess(key, false)`: pks_update_protection without `global`:
 *   preempt_disable(), update thread.saved_pkrs, write_pkrs(thread.saved_pkrs), preempt_enable()
 *   (IRQs on or off); only from task context, so irq_restore_pkrs cannot undo the thread update;
 * - with `irqSavePkrs`: `irq_save_pkrs()` (irqentry_enter: save this_cpu_read(pkrs_cache), write
 *   INIT) and `irq_restore_pkrs()` (irqentry_exit: write the saved value), one exception deep.
 */
export const localActivity = action({
  name: 'local_activity',
  params: (_s: Machine, k: K) => localCalls(k),
  guard: localCallEnabled,
  effect: localCallEffect,
  label: (p) => (p.fn === 'pks_mkrdwr' || p.fn === 'pks_mknoaccess' ? `${p.fn}(cpu=${p.cpu}, key=${p.key})` : `${p.fn}(cpu=${p.cpu})`),
});

/**
 * The environment turns IRQs on or off between procedures (local_irq_disable/enable, an interrupt
 * gate, a context switch): enough to let both IRQ-off and IRQ-on callers run and IPIs be taken.
 */
export const irqToggle = action({
  name: 'irq_toggle',
  params: (s: Machine) => cpusAt(s, 'idle').map((c) => ({ cpu: c, enable: !cpu(s, c).ifl })),
  effect: (s, p) => updateCpu(s, p.cpu, (x) => x.set('ifl', p.enable)),
  label: (p) => `${p.enable ? 'local_irq_enable' : 'local_irq_disable'}(cpu=${p.cpu})`,
});

/**
 * The five designs of MODELS.md §3.4. `pkrs-write-getcpu` is the baseline (V3 write_pkrs); the global
 * designs build on it one repair at a time.
 */
import type { ModelParts, Property, Proposal } from '../../src/index.js';
import * as w from './actions.js';
import * as g from './globalActions.js';
import * as p from './properties.js';
import type { K, Machine } from './state.js';

/** `parts` with the property named like `prop` replaced by `prop`. */
function replaceProperty(parts: ModelParts<Machine, K>, prop: Property<Machine, K>): ModelParts<Machine, K> {
  return { ...parts, properties: parts.properties.map((q) => (q.name === prop.name ? prop : q)) };
}

/** Reachability checks that need a second CPU. */
const remoteOnly = [p.ipiDuringWritePkrsReached, p.localGrantStrippedReached];

export const proposals: readonly Proposal<Machine, K>[] = [
  {
    id: 'pkrs-write-getcpu',
    summary: 'V3 write_pkrs(): get_cpu_ptr(&pkrs_cache), compare, store, wrmsr, put_cpu_ptr; no global updates',
    source: 'Message-Id 87mtycqcjf.fsf@nanos.tec.linutronix.de (seed 003, quoting [PATCH V3 04/10]); intel/mainline-tracking:arch/x86/mm/pkeys.c@1843e77535dacf5c986f5fcd0e1b2bfc2f5c7f0d',
  },
  {
    id: 'pkrs-write-noinstr',
    summary: 'V8-V10 pks_write_pkrs(): no preemption handling inside, lockdep_assert_preemption_disabled() instead',
    source: 'weiny2/linux-kernel:arch/x86/include/asm/pks.h@02f1931b1c142d1a9024e6497ece44a9e6ca7278; cc-api/linux:arch/x86/mm/pkeys.c@062d86668ae05170e837207263d48ba5e89eea97',
    replace: [w.writePkrsEnterNoinstr, w.writePkrsExitNoinstr],
  },
  {
    id: 'pkrs-global-rfc',
    summary: 'RFC update_global_pkrs(): per_cpu_ptr RMW of every CPU\'s pkrs_cache, wrmsrl_on_cpu, stray put_cpu_ptr',
    source: 'Message-Id 20201009195033.3208459-2-ira.weiny@intel.com ([PATCH RFC PKS/PMEM 01/58]), as quoted in seed 003',
    add: [g.globalBegin, g.globalLock, g.globalLoopRead, g.globalLoopWrite, g.globalLoopSend, g.globalLoopDone, g.ipiHandle, g.globalUnlock, g.globalEnd],
    addProperties: [p.globalRevokeEffective, p.atomicWhileSpinlocked, p.globalRevokeReached],
    // The loop visits CPUs in id order (from CPU 0, in global_lock), so CPUs are no longer interchangeable.
    symmetry: [],
    // Both situations need a CPU other than the revoking one: with nCpus=1 they cannot occur.
    patch: (parts, k) => (k.nCpus >= 2 ? { ...parts, properties: [...parts.properties, ...remoteOnly] } : parts),
  },
  {
    id: 'pkrs-global-ipi-rmw',
    summary: '[J] the IPI handler does the pkrs_cache read-modify-write and wrmsr itself; no stray put_cpu_ptr',
    source: 'MODELS.md §3.4 [J], repairing seed 003 points 1 and 2',
    extends: 'pkrs-global-rfc',
    remove: ['global_loop_read', 'global_loop_write'],
    replace: [g.globalLoopSendRmw, g.globalLoopDoneRmw, g.ipiHandleRmw],
    patch: (parts) => replaceProperty(parts, p.pkrsRmwExclusiveIpi),
  },
  {
    id: 'pkrs-global-ipi-rmw-irqoff',
    summary: '[J] as pkrs-global-ipi-rmw, and write_pkrs runs with IRQs off so the IPI cannot land inside it',
    source: 'MODELS.md §3.4 [J]',
    extends: 'pkrs-global-ipi-rmw',
    replace: [w.writePkrsEnterIrqOff],
  },
];

/**
 * Pinned results of the pkrs-cache model (MODELS.md topic B): state counts, every property's verdict
 * and the shortest counterexamples, read in kernel terms in spec/pkrs-cache/README.md.
 */
import { describe, expect, it } from 'vitest';
import model from '../../spec/pkrs-cache/index.js';
import { checkModel, statuses, traceLabels } from '../helpers.js';
import type { PropertyStatus } from '../../src/engine/types.js';

interface Expected {
  readonly distinct: number;
  readonly generated: number;
  readonly statuses: Record<string, PropertyStatus>;
  /** The shortest counterexample of each violated property, as action labels. */
  readonly traces: Record<string, string[]>;
}

/** Checks one proposal and compares everything pinned; no deadlock is expected anywhere. */
function expectRun(proposal: string, constants: Record<string, string>, want: Expected): void {
  const r = checkModel(model, { proposal, constants });
  expect(r.error).toBeNull();
  expect(r.incomplete).toBeNull();
  expect(r.deadlock).toBeNull();
  expect(statuses(r)).toEqual(want.statuses);
  for (const [name, labels] of Object.entries(want.traces)) expect(traceLabels(r, name)).toEqual(labels);
  const violated = Object.entries(want.statuses).filter(([, s]) => s === 'violated').map(([n]) => n);
  expect(Object.keys(want.traces).sort()).toEqual(violated.sort());
  expect([r.stats.distinct, r.stats.generated]).toEqual([want.distinct, want.generated]);
}

describe('pkrs-cache at default constants (nCpus=2, keys=1, irqSavePkrs=false)', { timeout: 60_000 }, () => {
  it("pkrs-write-getcpu keeps pkrs_cache equal to the MSR with get_cpu_ptr/put_cpu_ptr (V3 write_pkrs)", () => {
    expectRun('pkrs-write-getcpu', {}, {
      distinct: 1936,
      generated: 5193,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'holds',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
      },
      traces: {},
    });
  });

  it("pkrs-write-noinstr gives the same verdicts without the extra preempt_disable that Thomas questioned", () => {
    expectRun('pkrs-write-noinstr', {}, {
      distinct: 1936,
      generated: 5193,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'holds',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
      },
      traces: {},
    });
  });

  it("pkrs-global-rfc unbalances preempt_count and races with the remote CPU's write_pkrs (seed 003 points 1 and 2)", () => {
    expectRun('pkrs-global-rfc', {}, {
      distinct: 16746,
      generated: 41682,
      statuses: {
        'pkrs-cache-matches-msr': 'violated',
        'pkrs-rmw-exclusive': 'violated',
        'preempt-count-nonnegative': 'violated',
        'write-pkrs-precondition': 'violated',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'violated',
        'atomic-while-spinlocked': 'violated',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {
        'pkrs-cache-matches-msr': [
          'Init',
          'pks_mkrdwr(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→0)',
          'write_pkrs:read_cache(cpu=0)',
          'wrmsrl_on_cpu(cpu=1→0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'ipi:wrmsr(cpu=0)',
          'put_cpu_ptr(cpu=1→0)',
        ],
        'pkrs-rmw-exclusive': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
        ],
        'preempt-count-nonnegative': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
        ],
        'write-pkrs-precondition': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
          'pks_update_protection:thread_update(cpu=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
        ],
        'global-revoke-effective': [
          'Init',
          'local_irq_disable(cpu=0)',
          'pks_sched_in(cpu=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'local_irq_enable(cpu=0)',
          'wrmsrl_on_cpu(cpu=1→0)',
          'ipi:wrmsr(cpu=0)',
          'put_cpu_ptr(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→1)',
          'wrmsrl_on_cpu(cpu=1→1)',
          'put_cpu_ptr(cpu=1→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=1)',
        ],
        'atomic-while-spinlocked': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
        ],
      },
    });
  });

  it("pkrs-global-ipi-rmw still lets the IPI land between write_pkrs's cache store and its wrmsr", () => {
    expectRun('pkrs-global-ipi-rmw', {}, {
      distinct: 8477,
      generated: 21754,
      statuses: {
        'pkrs-cache-matches-msr': 'violated',
        'pkrs-rmw-exclusive': 'violated',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'violated',
        'atomic-while-spinlocked': 'holds',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {
        'pkrs-cache-matches-msr': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'pks_mkrdwr(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'smp_call_function_single(pks_revoke, cpu=1→0)',
          'ipi:update_pkey_val+wrmsr(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'smp_call_function_single:done(cpu=1→0)',
        ],
        'pkrs-rmw-exclusive': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'smp_call_function_single(pks_revoke, cpu=1→0)',
          'ipi:update_pkey_val+wrmsr(cpu=0)',
        ],
        'global-revoke-effective': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'pks_mkrdwr(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'smp_call_function_single(pks_revoke, cpu=1→0)',
          'ipi:update_pkey_val+wrmsr(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'smp_call_function_single:done(cpu=1→0)',
          'smp_call_function_single(pks_revoke, cpu=1→1)',
          'smp_call_function_single:done(cpu=1→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=1)',
        ],
      },
    });
  });

  it("pkrs-global-ipi-rmw-irqoff holds every property when write_pkrs runs with IRQs off", () => {
    expectRun('pkrs-global-ipi-rmw-irqoff', {}, {
      distinct: 5657,
      generated: 14524,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'holds',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'holds',
        'atomic-while-spinlocked': 'holds',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {},
    });
  });
});

describe('pkrs-cache with interrupt entry saving and restoring PKRS (irqSavePkrs=true)', { timeout: 60_000 }, () => {
  it("pkrs-global-rfc breaks the same properties when interrupts save and restore PKRS", () => {
    expectRun('pkrs-global-rfc', { irqSavePkrs: 'true' }, {
      distinct: 46794,
      generated: 115983,
      statuses: {
        'pkrs-cache-matches-msr': 'violated',
        'pkrs-rmw-exclusive': 'violated',
        'preempt-count-nonnegative': 'violated',
        'write-pkrs-precondition': 'violated',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'violated',
        'atomic-while-spinlocked': 'violated',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {
        'pkrs-cache-matches-msr': [
          'Init',
          'pks_mkrdwr(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'wrmsrl_on_cpu(cpu=1→0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'ipi:wrmsr(cpu=0)',
          'put_cpu_ptr(cpu=1→0)',
        ],
        'pkrs-rmw-exclusive': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
        ],
        'preempt-count-nonnegative': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
        ],
        'write-pkrs-precondition': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
          'pks_update_protection:thread_update(cpu=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
        ],
        'global-revoke-effective': [
          'Init',
          'local_irq_disable(cpu=0)',
          'pks_sched_in(cpu=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:store_cache(cpu=0)',
          'write_pkrs:wrmsr(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
          'local_irq_enable(cpu=0)',
          'wrmsrl_on_cpu(cpu=1→0)',
          'ipi:wrmsr(cpu=0)',
          'put_cpu_ptr(cpu=1→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=1→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=1→1)',
          'wrmsrl_on_cpu(cpu=1→1)',
          'put_cpu_ptr(cpu=1→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=1)',
        ],
        'atomic-while-spinlocked': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→1)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→1)',
          'wrmsrl_on_cpu(cpu=0→1)',
          'ipi:wrmsr(cpu=1)',
          'put_cpu_ptr(cpu=0→1)',
        ],
      },
    });
  });

  it("pkrs-global-ipi-rmw has its revoke undone by the IPI's own irq_restore_pkrs", () => {
    expectRun('pkrs-global-ipi-rmw', { irqSavePkrs: 'true' }, {
      distinct: 22123,
      generated: 56595,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'violated',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'violated',
        'atomic-while-spinlocked': 'holds',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {
        'pkrs-rmw-exclusive': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'pks_mknoaccess(cpu=1, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=1)',
          'smp_call_function_single(pks_revoke, cpu=1→0)',
          'ipi:update_pkey_val+wrmsr(cpu=0)',
        ],
        'global-revoke-effective': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'smp_call_function_single(pks_revoke, cpu=0→0)',
          'smp_call_function_single:done(cpu=0→0)',
          'smp_call_function_single(pks_revoke, cpu=0→1)',
          'ipi:update_pkey_val+wrmsr(cpu=1)',
          'smp_call_function_single:done(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
        ],
      },
    });
  });

  it("pkrs-global-ipi-rmw-irqoff has its revoke undone by the IPI's own irq_restore_pkrs even with IRQs off", () => {
    expectRun('pkrs-global-ipi-rmw-irqoff', { irqSavePkrs: 'true' }, {
      distinct: 21835,
      generated: 55897,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'holds',
        'preempt-count-nonnegative': 'holds',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'violated',
        'atomic-while-spinlocked': 'holds',
        'global-revoke-reached': 'holds',
        'ipi-during-write-pkrs-reached': 'holds',
        'local-grant-stripped-reached': 'holds',
      },
      traces: {
        'global-revoke-effective': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'smp_call_function_single(pks_revoke, cpu=0→0)',
          'smp_call_function_single:done(cpu=0→0)',
          'smp_call_function_single(pks_revoke, cpu=0→1)',
          'ipi:update_pkey_val+wrmsr(cpu=1)',
          'smp_call_function_single:done(cpu=0→1)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
        ],
      },
    });
  });
});

describe('pkrs-cache on one CPU (nCpus=1)', { timeout: 60_000 }, () => {
  it("pkrs-global-rfc underflows preempt_count even on a single CPU", () => {
    expectRun('pkrs-global-rfc', { nCpus: '1' }, {
      distinct: 101,
      generated: 130,
      statuses: {
        'pkrs-cache-matches-msr': 'holds',
        'pkrs-rmw-exclusive': 'holds',
        'preempt-count-nonnegative': 'violated',
        'write-pkrs-precondition': 'holds',
        'write-pkrs-irqs-on-reached': 'holds',
        'global-revoke-effective': 'holds',
        'atomic-while-spinlocked': 'holds',
        'global-revoke-reached': 'holds',
      },
      traces: {
        'preempt-count-nonnegative': [
          'Init',
          'pks_mknoaccess(cpu=0, key=0, global)',
          'spin_lock(pkrs_global_cache_lock, cpu=0)',
          'per_cpu_ptr(pkrs_cache):read(cpu=0→0)',
          'per_cpu_ptr(pkrs_cache):write(cpu=0→0)',
          'wrmsrl_on_cpu(cpu=0→0)',
          'put_cpu_ptr(cpu=0→0)',
          'spin_unlock(pkrs_global_cache_lock, cpu=0)',
          'pks_update_protection:thread_update(cpu=0)',
          'write_pkrs:get_cpu_ptr(cpu=0)',
          'write_pkrs:read_cache(cpu=0)',
          'write_pkrs:put_cpu_ptr(cpu=0)',
        ],
      },
    });
  });
});

/**
 * Properties of MODELS.md §3.5 (B1-B6) and the reachability checks that keep them from being vacuous.
 */
import { forState, range } from '../../src/index.js';
import { cpu, hasKey, type Cpu, type K, type Machine, type Pc } from './state.js';

const { invariant, actionProperty, reachable } = forState<Machine, K>();

const inWindow = (x: Cpu, pcs: readonly Pc[]) => pcs.includes(x.pc);

/** Some CPU's update_global_pkrs loop is between its `*ptr` read and its IPI's completion for target `j`. */
function remoteUpdateInFlight(s: Machine, j: number, pcs: readonly Pc[]): boolean {
  return s.cpus.some((d) => inWindow(d, pcs) && d.gj === j);
}

/**
 * B1: when nobody is half-way through updating them, a CPU's pkrs_cache equals its MSR. Exempt: the
 * CPU's own write_pkrs between the cache store and the wrmsr, a pending IPI, and a loop of
 * update_global_pkrs (on any CPU, this one included) between its store to this CPU's cache and the
 * IPI's completion.
 */
export const pkrsCacheMatchesMsr = invariant(
  'pkrs-cache-matches-msr',
  'outside an update in progress, every CPU\'s pkrs_cache equals its MSR_IA32_PKRS, so write_pkrs may skip the wrmsr',
  (s) =>
    s.cpus.every(
      (x, c) =>
        x.cache === x.msr || inWindow(x, ['W2', 'W3']) || x.ipi >= 0 || remoteUpdateInFlight(s, c, ['G3c', 'G3d', 'G3w']),
    ),
);

/** The RFC clause of B2: a remote `*ptr` read-modify-write overlaps the owner's own cache update. */
const remoteRmwOverlaps = (s: Machine) =>
  s.cpus.some((x, j) => inWindow(x, ['W2', 'W3']) && remoteUpdateInFlight(s, j, ['G3c', 'G3d']));

/**
 * B2 for the RFC loop: checked on every reached state (an invariant written as a step property so the
 * IPI-based repair can add its own clause under the same name).
 */
export const pkrsRmwExclusive = actionProperty(
  'pkrs-rmw-exclusive',
  'no CPU rewrites another CPU\'s pkrs_cache while that CPU\'s own write_pkrs is between reading and updating it',
  (_s, next) => !remoteRmwOverlaps(next),
);

/** B2 for the ipi-rmw repairs: the IPI's read-modify-write must not run inside the owner's write_pkrs. */
export const pkrsRmwExclusiveIpi = actionProperty(
  'pkrs-rmw-exclusive',
  'the IPI\'s read-modify-write of pkrs_cache never runs while the same CPU\'s write_pkrs is between reading and updating it',
  (s, next, step) =>
    !remoteRmwOverlaps(next) && !(step.action === 'ipi_handle' && inWindow(cpu(s, step.params as number), ['W2', 'W3'])),
);

/**
 * B3: once a global revoke of a key has completed, no CPU's MSR grants that key unless the task there
 * holds it itself (thread.saved_pkrs). Exempt: a task inside its own pks_update_protection, between
 * updating thread.saved_pkrs and its write_pkrs's wrmsr.
 */
export const globalRevokeEffective = invariant(
  'global-revoke-effective',
  'after update_global_pkrs revoked a key, no CPU\'s MSR grants it except to a task that holds the key itself',
  (s, k) =>
    range(k.keys).every(
      (key) =>
        !hasKey(s.revoked, key) ||
        s.cpus.every(
          (x) =>
            !hasKey(x.msr, key) || hasKey(x.thr, key) || (x.wret === 'preempt_enable' && inWindow(x, ['W0', 'W1', 'W2', 'W3'])),
        ),
    ),
);

/** B4: DEBUG_PREEMPT's "Underflow?" check in preempt_count_sub(). */
export const preemptCountNonnegative = invariant(
  'preempt-count-nonnegative',
  'preempt_count never goes below zero on any CPU (preempt_count_sub() would warn "Underflow?")',
  (s) => s.cpus.every((x) => x.preempt >= 0),
);

/** B5: spin_lock() disables preemption, so its holder must still be non-preemptible. */
export const atomicWhileSpinlocked = invariant(
  'atomic-while-spinlocked',
  'the CPU holding pkrs_global_cache_lock has preemption disabled',
  (s) => s.lock < 0 || cpu(s, s.lock).preempt >= 1,
);

/**
 * B6, as the step property MODELS.md §1.4 would have encoded with a sticky flag: when write_pkrs's body
 * starts (after get_cpu_ptr, or at pks_write_pkrs's lockdep assertion) the CPU cannot be left.
 */
export const writePkrsPrecondition = actionProperty(
  'write-pkrs-precondition',
  'write_pkrs\'s body runs with preemption or IRQs disabled (lockdep_assert_preemption_disabled() holds)',
  (_s, next, step) => {
    if (step.action !== 'write_pkrs_enter') return true;
    const x = cpu(next, step.params as number);
    return x.preempt >= 1 || !x.ifl;
  },
);

/** Non-vacuity: pks_update_protection calls write_pkrs with IRQs on and only preemption disabled. */
export const writePkrsIrqsOnReached = reachable(
  'write-pkrs-irqs-on-reached',
  'pks_update_protection reaches its write_pkrs call with IRQs enabled and only preemption disabled',
  (s) => s.cpus.some((x) => x.pc === 'W0' && x.wret === 'preempt_enable' && x.ifl),
);

/** Non-vacuity (MODELS.md §3.5): a global revoke completes. */
export const globalRevokeReached = reachable(
  'global-revoke-reached',
  'update_global_pkrs completes a revoke and drops pkrs_global_cache_lock',
  (s) => s.revoked !== 0,
);

/** Non-vacuity: the revoke's IPI is pending at a CPU that is inside write_pkrs. */
export const ipiDuringWritePkrsReached = reachable(
  'ipi-during-write-pkrs-reached',
  'an update_global_pkrs IPI is pending at a CPU that is inside write_pkrs',
  (s) => s.cpus.some((x) => x.ipi >= 0 && inWindow(x, ['W1', 'W2', 'W3'])),
);

/**
 * Non-vacuity, and a design observation: update_pkey_val() on a running CPU's pkrs_cache also strips
 * a key that the task there holds itself; it comes back at that task's next pks_sched_in.
 */
export const localGrantStrippedReached = reachable(
  'local-grant-stripped-reached',
  'after a global revoke, a task that holds the key in thread.saved_pkrs runs with it disabled in its MSR',
  (s, k) =>
    range(k.keys).some(
      (key) => hasKey(s.revoked, key) && s.cpus.some((x) => x.pc === 'idle' && hasKey(x.thr, key) && !hasKey(x.msr, key)),
    ),
);

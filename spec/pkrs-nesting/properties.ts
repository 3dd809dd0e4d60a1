/**
 * The properties of MODELS.md §2.5, each with its claim in kernel terms.
 */
import { forState, range } from '../../src/index.js';
import { INIT, cpu, cpuOf, curOf, subset, task, top, type K, type Machine } from './state.js';

const { invariant, actionProperty, reachable } = forState<Machine, K>();

/**
 * For each CPU running a task whose code is at rest (user mode, or a top frame with nothing in flight):
 * the MSR and what that code intends (INIT in user mode).
 */
function* atRest(s: Machine): Generator<{ readonly c: number; readonly msr: number; readonly g: number }> {
  for (const c of range(s.cpus.size)) {
    const t = curOf(s, c);
    if (t < 0) continue;
    const f = top(s, t);
    if (f === undefined) yield { c, msr: cpu(s, c).msr, g: INIT };
    else if (f.pc === 'body' && f.wp === 'none') yield { c, msr: cpu(s, c).msr, g: f.g };
  }
}

export const neverMorePermissive = invariant(
  'pkrs-never-more-permissive',
  'Running code never has a key enabled in PKRS that it did not enable itself (handlers and user mode run at INIT)',
  (s) => [...atRest(s)].every((x) => subset(x.msr, x.g)),
);

export const neverLessPermissive = invariant(
  'pkrs-never-less-permissive',
  'Running code always has every key it enabled with pks_set still enabled in PKRS (no spurious PKS faults)',
  (s) => [...atRest(s)].every((x) => subset(x.g, x.msr)),
);

/** Every CPU whose task is the same before and after the step, with that task's frames before and after. */
function* sameTask(s: Machine, next: Machine) {
  for (const c of range(s.cpus.size)) {
    const t = curOf(s, c);
    if (t < 0 || curOf(next, c) !== t) continue;
    yield { c, before: task(s, t).frames, after: task(next, t).frames };
  }
}

export const exitRestoresEntryPkrs = actionProperty(
  'exit-restores-entry-pkrs',
  'irqentry_exit / irqentry_nmi_exit leave the MSR as it was when that exception, IRQ or NMI came in',
  (s, next) => {
    for (const { c, before, after } of sameTask(s, next)) {
      const popped = before.last();
      if (after.size < before.size && popped && popped.kind !== 'SYS' && cpu(next, c).msr !== popped.m0) return false;
    }
    return true;
  },
);

export const freshPkrsInHandler = actionProperty(
  'fresh-pkrs-in-handler',
  'A #PF, IRQ or NMI handler starts with PKRS = INIT, once its entry code is done',
  (s, next) => {
    for (const { c, before, after } of sameTask(s, next)) {
      const f = after.last();
      if (!f || f.kind === 'SYS' || f.pc !== 'body') continue;
      const was = before.get(after.size - 1);
      const started = before.size < after.size || was?.pc === 'enter';
      if (started && cpu(next, c).msr !== INIT) return false;
    }
    return true;
  },
);

export const pkrsCacheCoherent = invariant(
  'pkrs-cache-coherent',
  'Whenever the running code has no pks_write_pkrs in flight, this_cpu(pkrs_cache) equals the PKRS MSR',
  (s) =>
    range(s.cpus.size).every((c) => {
      const t = curOf(s, c);
      const busy = t >= 0 && top(s, t)?.wp !== undefined && top(s, t)?.wp !== 'none';
      return busy || cpu(s, c).cache === cpu(s, c).msr;
    }),
);

/** The CPUs whose task runs at thread level (user mode, or syscall code) with nothing in flight. */
function* threadLevel(s: Machine): Generator<{ readonly c: number; readonly t: number }> {
  for (const c of range(s.cpus.size)) {
    const t = curOf(s, c);
    if (t < 0) continue;
    const f = top(s, t);
    if (f === undefined || (f.kind === 'SYS' && f.pc === 'body' && f.wp === 'none')) yield { c, t };
  }
}

export const pkrsThreadMatchesMsr = invariant(
  'pkrs-thread-matches-msr',
  'At thread level (user mode or syscall code, nothing in flight) thread.pkrs equals the PKRS MSR',
  (s) => [...threadLevel(s)].every(({ c, t }) => task(s, t).thr === cpu(s, c).msr),
);

/** pks-idtentry-cache keeps the running thread's value in pkrs_cache; thread.pkrs is only the switch-out copy. */
export const pkrsThreadMatchesMsrCache = invariant(
  'pkrs-thread-matches-msr',
  'At thread level the running thread\'s value (pkrs_cache, saved to the task at switch-out) equals the PKRS MSR',
  (s) => [...threadLevel(s)].every(({ c }) => cpu(s, c).cache === cpu(s, c).msr),
);

export const pkrsStackNoOverflow = invariant(
  'pkrs-stack-no-overflow',
  'The per-thread PKRS save stack never holds more entries than it has slots',
  (s, k) => s.tasks.every((t) => t.stk.size <= k.stackSlots),
);

export const nestedPfIrqReached = reachable(
  'nested-pf-irq-reached',
  'Andy\'s nesting is reachable: a syscall takes a #PF, and an IRQ arrives in the #PF handler (depth 3)',
  (s) => s.tasks.some((t) => t.frames.map((f) => f.kind).join(' ') === 'SYS PF IRQ'),
);

export const sleepInPfReached = reachable(
  'sleep-in-pf-reached',
  'A task can sleep in schedule() with a #PF frame on top (switched out from its #PF handler)',
  (s) => s.tasks.some((t, i) => cpuOf(s, i) < 0 && t.frames.last()?.kind === 'PF'),
);

export const commonProperties = [
  neverMorePermissive,
  neverLessPermissive,
  exitRestoresEntryPkrs,
  freshPkrsInHandler,
  pkrsCacheCoherent,
  pkrsThreadMatchesMsr,
  nestedPfIrqReached,
  sleepInPfReached,
];

/**
 * pkrs-nesting: pinned state counts, verdicts and shortest counterexamples of every design for where
 * PKRS is saved when kernel entries nest (MODELS.md §2), at the default bounds (1 CPU, 2 tasks, depth 3,
 * 2 keys, coarse writes), plus three other bounds: split pks_write_pkrs, a bigger save stack, 2 CPUs.
 */
import { describe, expect, it } from 'vitest';
import pkrsNesting from '../../spec/pkrs-nesting/index.js';
import { checkModel, statuses, traceLabels } from '../helpers.js';

type Status = 'holds' | 'violated';

/** Every property holds unless listed; `pkrs-stack-no-overflow` exists only for pks-thread-stack. */
function expected(violated: readonly string[], withStack = false): Record<string, Status> {
  const names = [
    'pkrs-never-more-permissive',
    'pkrs-never-less-permissive',
    'exit-restores-entry-pkrs',
    'fresh-pkrs-in-handler',
    'pkrs-cache-coherent',
    'pkrs-thread-matches-msr',
    'nested-pf-irq-reached',
    'sleep-in-pf-reached',
    ...(withStack ? ['pkrs-stack-no-overflow'] : []),
  ];
  return Object.fromEntries(names.map((n) => [n, violated.includes(n) ? 'violated' : 'holds']));
}

function check(proposal: string, counts: [number, number], constants: Record<string, string> = {}) {
  const r = checkModel(pkrsNesting, { proposal, constants });
  expect(r.error).toBeNull();
  expect(r.incomplete).toBeNull();
  expect(r.deadlock).toBeNull();
  expect([r.stats.distinct, r.stats.generated]).toEqual(counts);
  return r;
}

/** The syscall enables key 1 (thread value first, then the MSR). */
const syscallEnablesKey1 = ['Init', 'entry_syscall(t=0)', 'pks_set_readwrite(t=0, key=1)', 'pks_update_protection:write_pkrs(t=0)'];
/** An IRQ lands between the two stores of the syscall's pks_set_readwrite(1) and returns. */
const irqInsidePksSet = ['Init', 'entry_syscall(t=0)', 'pks_set_readwrite(t=0, key=1)', 'irqentry_enter(IRQ)', 'irqentry_exit(IRQ)'];

/** Each run takes well under 10 s, but the machine is shared: allow a minute. */
describe('pkrs-nesting', { timeout: 60_000 }, () => {
  it('pks-thread-only: the #PF handler runs with the syscall\'s key, and the syscall loses its key after the handler (Andy\'s scenario)', () => {
    const r = check('pks-thread-only', [5855, 12189]);
    expect(statuses(r)).toEqual(
      expected(['pkrs-never-more-permissive', 'pkrs-never-less-permissive', 'exit-restores-entry-pkrs', 'fresh-pkrs-in-handler']),
    );
    const pf = [...syscallEnablesKey1, 'irqentry_enter(PF)'];
    expect(traceLabels(r, 'fresh-pkrs-in-handler')).toEqual(pf);
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual(pf);
    const lost = [
      ...pf,
      'pks_set_readwrite(t=0, key=1)',
      'pks_update_protection:write_pkrs(t=0)',
      'pks_set_noaccess(t=0, key=1)',
      'pks_update_protection:write_pkrs(t=0)',
      'irqentry_exit(PF)',
    ];
    expect(traceLabels(r, 'pkrs-never-less-permissive')).toEqual(lost);
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual(lost);
  });

  it('pks-thread-stack: only the benign early completion of an interrupted pks_set, and an overflow of 2 slots at depth 3', () => {
    const r = check('pks-thread-stack', [2472, 5129]);
    expect(statuses(r)).toEqual(expected(['exit-restores-entry-pkrs', 'pkrs-stack-no-overflow'], true));
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual(irqInsidePksSet);
    expect(traceLabels(r, 'pkrs-stack-no-overflow')).toEqual([
      'Init',
      'irqentry_enter(PF)',
      'irqentry_enter(IRQ)',
      'irqentry_nmi_enter',
    ]);
  });

  it('pks-thread-stack: does not overflow once it has as many slots as entries can nest', () => {
    const r = check('pks-thread-stack', [2472, 5129], { stackSlots: '3' });
    expect(statuses(r)).toEqual(expected(['exit-restores-entry-pkrs'], true));
  });

  it('pks-idtentry-cache: holds everything when pks_write_pkrs is one step', () => {
    const r = check('pks-idtentry-cache', [1854, 4277]);
    expect(statuses(r)).toEqual(expected([]));
  });

  it('pks-idtentry-cache: an NMI between the cache store and the wrmsr of the #PF entry skips its own write and runs with the syscall\'s key', () => {
    const r = check('pks-idtentry-cache', [34718, 44901], { granularity: 'nmi' });
    expect(statuses(r)).toEqual(
      expected(['pkrs-never-more-permissive', 'exit-restores-entry-pkrs', 'fresh-pkrs-in-handler', 'pkrs-cache-coherent']),
    );
    const nmiInWrite = [
      'Init',
      'entry_syscall(t=0)',
      'pks_set_readwrite(t=0, key=1)',
      'pks_write_pkrs:cache(cpu=0)',
      'pks_write_pkrs:wrmsr(cpu=0)',
      'irqentry_enter(PF)',
      'pks_write_pkrs:cache(cpu=0)',
      'irqentry_nmi_enter',
    ];
    expect(traceLabels(r, 'fresh-pkrs-in-handler')).toEqual(nmiInWrite);
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual(nmiInWrite);
    expect(traceLabels(r, 'pkrs-cache-coherent')).toEqual(nmiInWrite);
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual([
      'Init',
      'entry_syscall(t=0)',
      'pks_set_readwrite(t=0, key=1)',
      'pks_write_pkrs:cache(cpu=0)',
      'irqentry_enter(IRQ)',
      'pks_write_pkrs:cache(cpu=0)',
      'pks_write_pkrs:wrmsr(cpu=0)',
      'irqentry_exit(IRQ)',
      'pks_write_pkrs:cache(cpu=0)',
      'pks_write_pkrs:wrmsr(cpu=0)',
    ]);
  });

  it('pks-irqentry-rfcv3: pks_set in a kernel-mode #PF handler builds on the syscall\'s thread value', () => {
    const r = check('pks-irqentry-rfcv3', [3269, 6820]);
    expect(statuses(r)).toEqual(expected(['pkrs-never-more-permissive']));
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual([
      ...syscallEnablesKey1,
      'irqentry_enter(PF)',
      'pks_set_readwrite(t=0, key=2)',
      'pks_update_protection:write_pkrs(t=0)',
    ]);
  });

  it('pks-ptregs-aux-v10: a nested NMI\'s exit writes the thread value into the interrupted IRQ handler', () => {
    const r = check('pks-ptregs-aux-v10', [3461, 7108]);
    expect(statuses(r)).toEqual(expected(['pkrs-never-more-permissive', 'exit-restores-entry-pkrs']));
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual([
      'Init',
      'entry_syscall(t=0)',
      'pks_set_readwrite(t=0, key=1)',
      'irqentry_enter(IRQ)',
      'irqentry_nmi_enter',
      'irqentry_nmi_exit',
    ]);
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual(irqInsidePksSet);
  });

  it('pks-ptregs-aux-msrfirst: an IRQ between the wrmsr and the thread store restores the stale thread value', () => {
    const r = check('pks-ptregs-aux-msrfirst', [10639, 21102]);
    expect(statuses(r)).toEqual(
      expected(['pkrs-never-more-permissive', 'pkrs-never-less-permissive', 'exit-restores-entry-pkrs', 'pkrs-thread-matches-msr']),
    );
    const lostEnable = [...irqInsidePksSet, 'pks_update_protection:store_thread(t=0)'];
    expect(traceLabels(r, 'pkrs-never-less-permissive')).toEqual(lostEnable);
    expect(traceLabels(r, 'pkrs-thread-matches-msr')).toEqual(lostEnable);
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual(irqInsidePksSet);
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual([
      'Init',
      'entry_syscall(t=0)',
      'pks_set_readwrite(t=0, key=1)',
      'pks_update_protection:store_thread(t=0)',
      'irqentry_enter(PF)',
      'irqentry_enter(IRQ)',
      'irqentry_exit(IRQ)',
    ]);
  });

  it('pks-ptregs-aux-reset: only the benign early completion of an interrupted pks_set', () => {
    const r = check('pks-ptregs-aux-reset', [2472, 5129]);
    expect(statuses(r)).toEqual(expected(['exit-restores-entry-pkrs']));
    expect(traceLabels(r, 'exit-restores-entry-pkrs')).toEqual(irqInsidePksSet);
  });

  it('pks-nmi-uncovered: an NMI handler runs with the interrupted syscall\'s key', () => {
    const r = check('pks-nmi-uncovered', [1854, 4277]);
    expect(statuses(r)).toEqual(expected(['pkrs-never-more-permissive', 'fresh-pkrs-in-handler']));
    const nmi = ['Init', 'entry_syscall(t=0)', 'pks_set_readwrite(t=0, key=1)', 'irqentry_nmi_enter'];
    expect(traceLabels(r, 'fresh-pkrs-in-handler')).toEqual(nmi);
    expect(traceLabels(r, 'pkrs-never-more-permissive')).toEqual(nmi);
  });

  it('pks-nmi-uncovered: gives the same verdicts with 2 CPUs (migration adds nothing)', () => {
    const r = check('pks-nmi-uncovered', [21798, 84457], { nCpus: '2' });
    expect(statuses(r)).toEqual(expected(['pkrs-never-more-permissive', 'fresh-pkrs-in-handler']));
    expect(traceLabels(r, 'fresh-pkrs-in-handler')).toEqual([
      'Init',
      'entry_syscall(t=0)',
      'pks_set_readwrite(t=0, key=1)',
      'irqentry_nmi_enter(cpu=0)',
    ]);
  });

  it('reaches Andy\'s syscall → #PF → IRQ nesting and a sleep in a #PF handler', () => {
    const r = check('pks-ptregs-aux-reset', [2472, 5129]);
    expect(traceLabels(r, 'nested-pf-irq-reached')).toEqual([
      'Init',
      'entry_syscall(t=0)',
      'irqentry_enter(PF)',
      'irqentry_enter(IRQ)',
    ]);
    expect(traceLabels(r, 'sleep-in-pf-reached')).toEqual(['Init', 'irqentry_enter(PF)', 'schedule(t=0)']);
  });
});

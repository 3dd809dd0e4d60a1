/**
 * pti-stack: pinned state counts, verdicts and shortest counterexamples for every design at the
 * default constants (2 CPUs, 2 tasks, 2 mms). Each trace was read in kernel terms before being pinned;
 * spec/pti-stack/README.md explains them.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/types.js';
import ptiStack from '../../spec/pti-stack/index.js';
import { checkModel, statuses, traceLabels, type RunOptions } from '../helpers.js';

const cache = new Map<string, CheckResult>();
function run(proposal: string, constants?: Record<string, string>): CheckResult {
  const key = `${proposal} ${JSON.stringify(constants ?? {})}`;
  let r = cache.get(key);
  if (!r) {
    const opts: RunOptions = constants ? { proposal, constants } : { proposal };
    r = checkModel(ptiStack, opts);
    cache.set(key, r);
  }
  return r;
}

const ALL_HOLD = {
  'entry-frame-intact': 'holds',
  'percpu-stack-owned-by-cpu': 'holds',
  'no-sleep-on-percpu-stack': 'holds',
  'sp0-points-to-free-stack': 'holds',
  'stack-mapped-while-user-cr3': 'holds',
  'no-stale-user-mapping': 'holds',
  'handler-body-kernel-cr3': 'holds',
  'iret-with-user-cr3': 'holds',
  'sleep-in-handler-reached': 'holds',
  'migrated-while-sleeping-reached': 'holds',
} as const;

/** A enters on CPU 0, runs C step (1) and the handler, enables IRQs and sleeps there. */
const A_SLEEPS_IN_HANDLER = [
  'Init',
  'dispatch(A, cpu=0)',
  'hw_entry_from_user(A, cpu=0)',
  'c_pagetable_escape(A, cpu=0)',
  'run_idt(A, cpu=0)',
  'handler_irq_on(A, cpu=0)',
  'handler_sleep(A, cpu=0)',
];

/** A enters on CPU 0 and dies in its handler (do_exit), leaving CPU 0's sp0 on its freed PTI stack. */
const A_EXITS_IN_HANDLER = [
  'Init',
  'dispatch(A, cpu=0)',
  'hw_entry_from_user(A, cpu=0)',
  'c_pagetable_escape(A, cpu=0)',
  'run_idt(A, cpu=0)',
  'do_exit(A, cpu=0)',
];

function expectCounts(r: CheckResult, distinct: number, generated: number): void {
  expect(r.error).toBeNull();
  expect(r.incomplete).toBeNull();
  expect(r.deadlock).toBeNull();
  expect([r.stats.distinct, r.stats.generated]).toEqual([distinct, generated]);
}

describe('pti-stack', { timeout: 60_000 }, () => {
  it('keeps mainline pti-asm-percpu safe: the frame leaves the trampoline before the handler can sleep', () => {
    const r = run('pti-asm-percpu');
    expectCounts(r, 1113, 3453);
    expect(statuses(r)).toEqual(ALL_HOLD);
  });

  it('breaks pti-c-percpu-sleepy when another task enters on the trampoline the sleeper left its frame on', () => {
    const r = run('pti-c-percpu-sleepy');
    expectCounts(r, 2383, 7417);
    expect(statuses(r)).toEqual({
      ...ALL_HOLD,
      'entry-frame-intact': 'violated',
      'percpu-stack-owned-by-cpu': 'violated',
      'no-sleep-on-percpu-stack': 'violated',
      'sp0-points-to-free-stack': 'violated',
    });
    expect(traceLabels(r, 'no-sleep-on-percpu-stack')).toEqual(A_SLEEPS_IN_HANDLER);
    expect(traceLabels(r, 'sp0-points-to-free-stack')).toEqual([...A_SLEEPS_IN_HANDLER, 'dispatch(B, cpu=0)']);
    expect(traceLabels(r, 'percpu-stack-owned-by-cpu')).toEqual([
      ...A_SLEEPS_IN_HANDLER,
      'dispatch(B, cpu=0)',
      'hw_entry_from_user(B, cpu=0)',
    ]);
    expect(traceLabels(r, 'entry-frame-intact')).toEqual([
      ...A_SLEEPS_IN_HANDLER,
      'dispatch(B, cpu=0)',
      'hw_entry_from_user(B, cpu=0)',
      'wake_up(A)',
      'dispatch(A, cpu=1)',
      'c_pagetable_return(A, cpu=1)',
    ]);
  });

  it('keeps pti-c-percpu-asm-return safe: asm moves the frame off the trampoline on both sides of the handler', () => {
    const r = run('pti-c-percpu-asm-return');
    expectCounts(r, 1459, 4233);
    expect(statuses(r)).toEqual(ALL_HOLD);
  });

  it('keeps pti-c-pertask safe: the frame stays on the task\'s own PTI stack across sleep and migration', () => {
    const r = run('pti-c-pertask');
    expectCounts(r, 1231, 3717);
    expect(statuses(r)).toEqual(ALL_HOLD);
  });

  it('leaves a freed PTI stack mapped in the user page table in pti-c-pertask-nounmap', () => {
    const r = run('pti-c-pertask-nounmap');
    expectCounts(r, 1231, 3717);
    expect(statuses(r)).toEqual({ ...ALL_HOLD, 'no-stale-user-mapping': 'violated' });
    expect(traceLabels(r, 'no-stale-user-mapping')).toEqual(A_EXITS_IN_HANDLER);
  });

  it('catches the stale TSS.sp0 of the pti-c-pertask-lazy-sp0 negative control three ways', () => {
    const r = run('pti-c-pertask-lazy-sp0');
    expectCounts(r, 28323, 106905);
    expect(statuses(r)).toEqual({
      ...ALL_HOLD,
      'entry-frame-intact': 'violated',
      'sp0-points-to-free-stack': 'violated',
      'stack-mapped-while-user-cr3': 'violated',
    });
    expect(traceLabels(r, 'sp0-points-to-free-stack')).toEqual([...A_EXITS_IN_HANDLER, 'dispatch(B, cpu=0, sp0 not updated)']);
    expect(traceLabels(r, 'stack-mapped-while-user-cr3')).toEqual([
      ...A_EXITS_IN_HANDLER,
      'dispatch(B, cpu=0, sp0 not updated)',
      'hw_entry_from_user(B, cpu=0)',
    ]);
    expect(traceLabels(r, 'entry-frame-intact')).toEqual([
      ...A_SLEEPS_IN_HANDLER,
      'dispatch(B, cpu=0, sp0 not updated)',
      'hw_entry_from_user(B, cpu=0)',
      'wake_up(A)',
      'dispatch(A, cpu=1)',
      'c_pagetable_return(A, cpu=1)',
    ]);
  });

  it('runs an IRQ handler on the user CR3 when pti-cr3-deferred-irqs-on decides by CS, and IRETs on the kernel CR3 after a migration', () => {
    const r = run('pti-cr3-deferred-irqs-on');
    expectCounts(r, 13591, 45757);
    expect(statuses(r)).toEqual({
      ...ALL_HOLD,
      'handler-body-kernel-cr3': 'violated',
      'iret-with-user-cr3': 'violated',
      'irq-in-user-cr3-window-reached': 'holds',
    });
    const entered = ['Init', 'dispatch(A, cpu=0)', 'hw_entry_from_user(A, cpu=0)', 'handler_irq_on(A, cpu=0)'];
    expect(traceLabels(r, 'handler-body-kernel-cr3')).toEqual([...entered, 'irq_entry_kernel(A, cpu=0)']);
    expect(traceLabels(r, 'iret-with-user-cr3')).toEqual([
      ...entered,
      'c_pagetable_escape(A, cpu=0)',
      'run_idt(A, cpu=0)',
      'c_pagetable_return(A, cpu=0)',
      'irq_entry_kernel(A, cpu=0)',
      'preempt_irq(A, cpu=0)',
      'dispatch(A, cpu=1)',
      'irq_exit_kernel(A, cpu=1)',
      'iret_to_user(A, cpu=1)',
    ]);
  });

  it('keeps pti-cr3-deferred-read-cr3 safe: nested entries stash and restore the real CR3', () => {
    const r = run('pti-cr3-deferred-read-cr3');
    expectCounts(r, 4493, 15073);
    expect(statuses(r)).toEqual({ ...ALL_HOLD, 'irq-in-user-cr3-window-reached': 'holds' });
  });

  it('keeps pti-pervcpu-stack safe while vcpu->mutex covers the per-vCPU stack\'s frame', () => {
    const r = run('pti-pervcpu-stack');
    expectCounts(r, 313, 665);
    expect(statuses(r)).toEqual(ALL_HOLD);
  });

  it('breaks pti-pervcpu-stack without vcpu->mutex: two threads of one vCPU share its entry stack', () => {
    const r = run('pti-pervcpu-stack', { vcpuMutex: 'false' });
    expectCounts(r, 2137, 6545);
    expect(statuses(r)).toEqual({ ...ALL_HOLD, 'entry-frame-intact': 'violated', 'sp0-points-to-free-stack': 'violated' });
    const both = ['Init', 'dispatch(A, cpu=0)', 'dispatch(B, cpu=1)', 'hw_entry_from_user(A, cpu=0)'];
    expect(traceLabels(r, 'sp0-points-to-free-stack')).toEqual(both);
    expect(traceLabels(r, 'entry-frame-intact')).toEqual([
      ...both,
      'hw_entry_from_user(B, cpu=1)',
      'c_pagetable_escape(A, cpu=0)',
      'run_idt(A, cpu=0)',
      'c_pagetable_return(A, cpu=0)',
    ]);
  });
});

/**
 * asi-nesting: pinned state counts, verdicts and the shortest counterexample of the reordered
 * asi_intr_exit() at the default nesting bound (2), plus the bound it needs.
 */
import { describe, expect, it } from 'vitest';
import asiNesting from '../../spec/asi-nesting/index.js';
import { checkModel, statuses, traceLabels } from '../helpers.js';

describe('asi-nesting', () => {
  it('returns to the critical section in the restricted space with the RFC order (decrement, then __asi_enter)', () => {
    const r = checkModel(asiNesting, { proposal: 'asi-nest-pertask' });
    expect(r.error).toBeNull();
    expect(r.deadlock).toBeNull();
    expect([r.stats.distinct, r.stats.generated]).toEqual([29, 54]);
    expect(statuses(r)).toEqual({
      'asi-restricted-on-return': 'holds',
      'nested-irq-in-exit-window-reached': 'holds',
    });
  });

  it('returns to process context unrestricted when __asi_enter runs before the decrement and an interrupt nests between them', () => {
    const r = checkModel(asiNesting, { proposal: 'asi-nest-reordered' });
    expect(r.error).toBeNull();
    expect(r.deadlock).toBeNull();
    expect([r.stats.distinct, r.stats.generated]).toEqual([34, 60]);
    expect(statuses(r)).toEqual({
      'asi-restricted-on-return': 'violated',
      'nested-irq-in-exit-window-reached': 'holds',
    });
    expect(traceLabels(r, 'asi-restricted-on-return')).toEqual([
      'Init',
      'asi_enter',
      '__asi_enter',
      'irq_entry(level=1)',
      'asi_intr_exit_enter(level=1)',
      'irq_entry(level=2)',
      'asi_exit(irq=2)',
      'asi_intr_exit_enter(level=2)',
      'asi_intr_exit_dec(level=2)',
      'asi_intr_exit_dec(level=1)',
    ]);
  });

  it('cannot show the reorder bug without a nested interrupt (maxNest=1)', () => {
    const r = checkModel(asiNesting, { proposal: 'asi-nest-reordered', constants: { maxNest: '1' } });
    expect([r.stats.distinct, r.stats.generated]).toEqual([13, 23]);
    expect(statuses(r)).toEqual({
      'asi-restricted-on-return': 'holds',
      'nested-irq-in-exit-window-reached': 'unreached',
    });
  });
});

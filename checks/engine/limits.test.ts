/**
 * Runs that stop early (max states, max depth, timeout) and what a run reports besides verdicts:
 * per-action coverage and the "never fired" warning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counter, mutex } from '../fixtures/models.js';
import { checkFirst, checkModel, property, statuses } from '../helpers.js';

describe('explore: limits', () => {
  it('stops at maxStates with verdict incomplete and every undecided property unknown', () => {
    const r = checkFirst(counter, { proposal: 'vacuous', limits: { maxStates: 3 } });
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete).toBe('max-states');
    expect(statuses(r)).toEqual({ 'in-range': 'unknown', 'max-reached': 'unknown', 'beyond-max': 'unknown' });
    expect(r.stats).toMatchObject({ generated: 3, distinct: 3, queued: 1, depth: 3 });
  });

  it('stops at maxDepth without expanding the states at that depth', () => {
    const r = checkFirst(counter, { limits: { maxDepth: 2 } });
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete).toBe('max-depth');
    expect(statuses(r)).toEqual({ 'in-range': 'unknown', 'max-reached': 'unknown' });
    expect(r.stats).toMatchObject({ generated: 3, distinct: 3, queued: 1, depth: 3 });
  });

  it('stops at the timeout', () => {
    const r = checkFirst(counter, { proposal: 'slow', limits: { timeoutSeconds: 0.001 } });
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete).toBe('timeout');
    expect(statuses(r)).toEqual({ 'in-range': 'unknown', 'max-reached': 'unknown' });
    expect(r.stats.distinct).toBeLessThan(6);
    expect(r.stats.seconds).toBeGreaterThanOrEqual(0.02);
  });

  it('changes nothing when the limits are not reached', () => {
    const r = checkFirst(counter, { limits: { maxStates: 100, maxDepth: 100, timeoutSeconds: 600 } });
    expect(r.verdict).toBe('holds');
    expect(r.incomplete).toBeNull();
    expect(r.stats).toMatchObject({ generated: 6, distinct: 6, queued: 0 });
  });

  it('still reports a violation found before the limit stopped the run', () => {
    const r = checkModel(mutex, { limits: { maxStates: 10 } });
    expect(r.incomplete).toBe('max-states');
    expect(r.verdict).toBe('violated');
    expect(property(r, 'mutual-exclusion').status).toBe('violated');
    expect(property(r, 'mutual-exclusion').trace).toHaveLength(5);
  });

  it('never reports an invariant as holding in a run a limit stopped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 45 }),
        fc.integer({ min: 1, max: 45 }),
        fc.boolean(),
        (max, maxStates, maxDepth, keepGoing) => {
          const limits = { maxStates, maxDepth };
          const r = checkModel(counter, { constants: { max: String(max) }, limits, continueAfterViolation: keepGoing });
          // States 0..max, state i at depth i; a limit stops the run before it expands the last one.
          const complete = maxStates > max + 1 && maxDepth > max;
          expect(r.verdict).toBe(complete ? 'holds' : 'incomplete');
          expect(property(r, 'in-range').status).toBe(complete ? 'holds' : 'unknown');
          expect(r.stats.distinct).toBe(Math.min(max + 1, Math.max(maxStates, 1), maxDepth + 1));
          // A reachability property is decided the moment it is reached, complete run or not.
          expect(property(r, 'max-reached').status).toBe(r.stats.distinct === max + 1 ? 'holds' : 'unknown');
        },
      ),
    );
  });
});

describe('explore: coverage', () => {
  it('counts, per action, the instances enabled and the new states they gave', () => {
    const r = checkModel(mutex);
    expect(r.coverage).toEqual([
      { action: 'check', enabled: 6, fresh: 5 },
      { action: 'set', enabled: 8, fresh: 5 },
      { action: 'exit', enabled: 10, fresh: 2 },
    ]);
    expect(r.stats).toMatchObject({ generated: 25, distinct: 13 });
    const fresh = r.coverage.reduce((n, c) => n + c.fresh, 0);
    const enabled = r.coverage.reduce((n, c) => n + c.enabled, 0);
    expect(fresh).toBe(r.stats.distinct - 1);
    expect(enabled).toBe(r.stats.generated - 1);
    expect(r.warnings).toEqual([]);
  });

  it('warns about an action that never fired', () => {
    const r = checkFirst(counter, { proposal: 'vacuous' });
    expect(r.coverage).toEqual([
      { action: 'inc', enabled: 5, fresh: 5 },
      { action: 'overflow', enabled: 0, fresh: 0 },
    ]);
    expect(r.warnings).toEqual(['action overflow never fired']);
  });

  it('says when the action that never fired might have in a complete run', () => {
    const r = checkFirst(counter, { proposal: 'vacuous', limits: { maxStates: 2 } });
    expect(r.warnings).toEqual(['action overflow never fired (in this incomplete run)']);
  });
});

/**
 * The explorer's verdicts on the fixtures: counterexamples, stopping, reachability, deadlock,
 * constraints and action properties.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, forState } from '../../src/index.js';
import { constrained, counter, locks, mutex, seesaw } from '../fixtures/models.js';
import { checkFirst, checkModel, labels, property, statuses } from '../helpers.js';

describe('explore', () => {
  it('finds the shortest counterexample, with the states the spec built', () => {
    const r = checkFirst(mutex);
    expect(r.verdict).toBe('violated');
    const trace = property(r, 'mutual-exclusion').trace!;
    expect(labels(trace)).toEqual(['Init', 'check(0)', 'check(1)', 'set(0)', 'set(1)']);
    expect(trace.map((s) => (s.state as { toJS(): unknown }).toJS())).toEqual([
      { flag: 0, pcs: ['idle', 'idle'] },
      { flag: 0, pcs: ['set', 'idle'] },
      { flag: 0, pcs: ['set', 'set'] },
      { flag: 1, pcs: ['crit', 'set'] },
      { flag: 1, pcs: ['crit', 'crit'] },
    ]);
  });

  it('finds the same shortest counterexample when it keeps going', () => {
    const r = checkModel(mutex);
    expect(labels(property(r, 'mutual-exclusion').trace)).toEqual(['Init', 'check(0)', 'check(1)', 'set(0)', 'set(1)']);
  });

  it('holds for the atomic test-and-set', () => {
    const r = checkFirst(mutex, { proposal: 'test-and-set' });
    expect(r.verdict).toBe('holds');
    expect(statuses(r)).toEqual({ 'mutual-exclusion': 'holds', 'crit-reached': 'holds' });
    expect(property(r, 'mutual-exclusion').trace).toBeUndefined();
  });

  it('stops at the first violation by default and leaves undecided properties unknown', () => {
    const r = checkFirst(counter, { proposal: 'bounds' });
    expect(r.verdict).toBe('violated');
    expect(r.incomplete).toBeNull();
    expect(statuses(r)).toEqual({ 'in-range': 'unknown', 'max-reached': 'unknown', 'below-two': 'violated', 'below-four': 'unknown' });
    expect(labels(property(r, 'below-two').trace)).toEqual(['Init', 'inc', 'inc']);
    expect(r.deadlock).toBeNull();
    expect(r.stats).toMatchObject({ distinct: 3, generated: 3, queued: 1 });
  });

  it('reports every violated property once, each with its own shortest trace, when told to continue', () => {
    const r = checkModel(counter, { proposal: 'bounds' });
    expect(r.verdict).toBe('violated');
    expect(statuses(r)).toEqual({ 'in-range': 'holds', 'max-reached': 'holds', 'below-two': 'violated', 'below-four': 'violated' });
    expect(labels(property(r, 'below-two').trace)).toEqual(['Init', 'inc', 'inc']);
    expect(labels(property(r, 'below-four').trace)).toEqual(['Init', 'inc', 'inc', 'inc', 'inc']);
    expect(property(r, 'below-four').trace!.at(-1)!.state).toBe(4);
    expect(labels(r.deadlock?.trace)).toEqual(['Init', 'inc', 'inc', 'inc', 'inc', 'inc']);
    expect(r.stats).toMatchObject({ distinct: 6, generated: 6, queued: 0, depth: 6 });
  });

  it('gives a reached reachability property its shortest example', () => {
    const r = checkModel(mutex);
    expect(property(r, 'crit-reached').status).toBe('holds');
    expect(labels(property(r, 'crit-reached').trace)).toEqual(['Init', 'check(0)', 'set(0)']);
  });

  it('reports a reachability property never reached in a complete run as unreached, and the run as violated', () => {
    const r = checkFirst(counter, { proposal: 'vacuous' });
    expect(r.incomplete).toBeNull();
    expect(property(r, 'beyond-max')).toMatchObject({ status: 'unreached', kind: 'reachable' });
    expect(property(r, 'beyond-max').trace).toBeUndefined();
    expect(statuses(r)).toMatchObject({ 'in-range': 'holds', 'max-reached': 'holds' });
    expect(r.verdict).toBe('violated');
  });
});

describe('explore: deadlock', () => {
  it('reports a deadlock by default, with the shortest trace to it', () => {
    const r = checkFirst(locks);
    expect(r.verdict).toBe('violated');
    expect(labels(r.deadlock?.trace)).toEqual(['Init', 'lock_first(0)', 'lock_first(1)']);
    expect(statuses(r)).toEqual({ exclusive: 'unknown' });
  });

  it('holds with deadlock detection off', () => {
    const r = checkFirst(locks, { deadlock: false });
    expect(r.verdict).toBe('holds');
    expect(r.deadlock).toBeNull();
    expect(statuses(r)).toEqual({ exclusive: 'holds' });
    expect(r.stats).toMatchObject({ distinct: 6, generated: 9 });
  });

  it('does not report a state without successors that is terminal', () => {
    const r = checkFirst(counter);
    expect(r.verdict).toBe('holds');
    expect(r.deadlock).toBeNull();
  });

  it('reports the same end state as a deadlock when nothing is terminal', () => {
    const r = checkFirst(counter, { proposal: 'no-terminal' });
    expect(r.verdict).toBe('violated');
    expect(r.deadlock!.trace.map((s) => s.state)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(statuses(r)).toEqual({ 'in-range': 'unknown', 'max-reached': 'holds' });
  });
});

describe('explore: state constraint', () => {
  it('checks states outside the constraint but does not expand them', () => {
    const r = checkFirst(constrained, { proposal: 'strict' });
    expect(r.verdict).toBe('violated');
    expect(labels(property(r, 'below-limit').trace)).toEqual(['Init', 'inc', 'inc', 'inc']);
    const all = checkModel(constrained, { proposal: 'strict' });
    expect(all.stats).toMatchObject({ distinct: 4, generated: 3 + 1, queued: 0, depth: 4 });
    expect(statuses(all)).toEqual({ 'at-most-limit': 'holds', 'below-limit': 'violated' });
  });

  it('does not report an unexpanded state as a deadlock', () => {
    const r = checkFirst(constrained, { constants: { limit: '5' } });
    expect(r.verdict).toBe('holds');
    expect(r.deadlock).toBeNull();
    expect(r.stats.distinct).toBe(6);
    expect(r.coverage).toEqual([{ action: 'inc', enabled: 5, fresh: 5 }]);
  });
});

describe('explore: action properties', () => {
  it('judges every transition, including one back to a state already seen', () => {
    const r = checkFirst(seesaw);
    expect(r.verdict).toBe('violated');
    const trace = property(r, 'monotonic').trace!;
    expect(labels(trace)).toEqual(['Init', 'up', 'down(by 1)']);
    expect(trace.map((s) => s.state)).toEqual([0, 1, 0]);
    expect(r.stats.distinct).toBe(3);
  });

  it('holds when no step goes back', () => {
    const r = checkFirst(seesaw, { proposal: 'up-only' });
    expect(r.verdict).toBe('holds');
    expect(statuses(r)).toEqual({ monotonic: 'holds', bounded: 'holds' });
  });

  it("tells an action property the step's action, label and parameter", () => {
    const s = forState<number>();
    const seen: string[] = [];
    const spec = defineModel({
      name: 'steps',
      summary: 'one parameterised action',
      constants: {},
      build: () => ({
        init: [0],
        actions: [s.action({ name: 'add', params: () => [{ n: 1 }, { n: 2 }], guard: (x) => x < 2, effect: (x, p) => x + p.n })],
        properties: [
          s.actionProperty('records', 'records every step', (x, next, step) => {
            seen.push(`${x}->${next} ${step.action} ${step.label} ${JSON.stringify(step.params)}`);
            return true;
          }),
          s.actionProperty('no-double', 'never adds 2 to 1', (x, _next, step) => !(x === 1 && step.label === 'add(n=2)')),
        ],
        terminal: (x) => x >= 2,
      }),
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as built', source: 'test' }],
    });
    const r = checkModel(spec);
    expect(seen).toEqual([
      '0->1 add add(n=1) {"n":1}',
      '0->2 add add(n=2) {"n":2}',
      '1->2 add add(n=1) {"n":1}',
      '1->3 add add(n=2) {"n":2}',
    ]);
    expect(labels(property(r, 'no-double').trace)).toEqual(['Init', 'add(n=1)', 'add(n=2)']);
    expect(property(r, 'no-double').trace!.at(-1)!.state).toBe(3);
  });
});

/**
 * Specs that are wrong as code: they throw, depend on something outside the state, or build states
 * kmc cannot store. Each must end the run with verdict `error`, naming where and with a trace.
 */
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { defineModel, forState, range } from '../../src/index.js';
import { nondeterministic, plainValues, throwing } from '../fixtures/models.js';
import { checkFirst, checkModel, labels } from '../helpers.js';

describe('explore: a spec that throws', () => {
  it.each([
    ['guard-throws', 'bump(1)', 'in the guard of bump(1): boom in the guard at 2'],
    ['effect-throws', 'bump(1)', 'in the effect of bump(1): boom in the effect at 2'],
    ['params-throws', 'bump', 'in the params of bump: boom in the params at 2'],
    ['action-property-throws', 'bump(1)', 'in the action property fragile-step of bump(1): boom in the action property at 2'],
  ])('reports %s as an error at %s, with the trace to the state it was expanding', (proposal, action, message) => {
    const r = checkModel(throwing, { proposal });
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ action, message });
    expect(labels(r.error!.trace)).toEqual(['Init', 'bump(1)', 'bump(1)']);
    expect(r.error!.trace.at(-1)!.state).toBe(2);
    expect(r.properties.every((p) => p.status === 'unknown')).toBe(true);
  });

  it('reports an invariant that throws at the state it was judging, named by the step that reached it', () => {
    const r = checkModel(throwing, { proposal: 'invariant-throws' });
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ action: 'bump(1)', message: 'in the invariant fragile of bump(1): boom in the invariant at 2' });
    expect(r.error!.trace.map((s) => s.state)).toEqual([0, 1, 2]);
  });

  it('names Init when an invariant throws on an initial state', () => {
    const r = checkModel(throwing, { proposal: 'init-invariant-throws' });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toContain('in the invariant fragile');
    expect(r.error!.trace.map((s) => s.state)).toEqual([0]);
    expect(r.error!.action).toBe('Init');
  });

  it('counts as queued only the states it had not expanded when the spec threw', () => {
    const r = checkModel(throwing, { proposal: 'effect-throws' });
    // States 0 and 1 were expanded; the effect threw while expanding state 2.
    expect(r.stats).toMatchObject({ distinct: 3, generated: 3 });
    expect(r.stats.queued).toBeLessThanOrEqual(1);
  });

  it('holds when nothing throws', () => {
    expect(checkFirst(throwing).verdict).toBe('holds');
  });
});

describe('explore: a nondeterministic spec', () => {
  it('reports nondeterminism when it rebuilds a trace', () => {
    const r = checkFirst(nondeterministic);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/nondeterministic/);
    expect(r.error!.message).toContain('step 1 (tick) produced a different state than during the search');
  });

  it('still lists every property when a trace cannot be rebuilt', () => {
    const r = checkFirst(nondeterministic);
    expect(r.properties.map((p) => p.name)).toEqual(['below-three']);
  });

  it('reports nondeterminism in the step that broke an action property', () => {
    let flip = 0;
    const s = forState<number>();
    const spec = defineModel({
      name: 'flaky-guard',
      summary: 'a guard that is true on its first three calls only',
      constants: {},
      build: () => {
        flip = 0;
        return {
          init: [0],
          // Search: 0 → 1, then 1 → 0 breaks `up`. Replay: 0 → 1 again, then the violating step is off.
          actions: [s.action({ name: 'wrap', guard: () => ++flip <= 3, effect: (x) => (x + 1) % 2 })],
          properties: [s.actionProperty('up', 'never wraps to 0', (x, next) => next > x)],
        };
      },
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as built', source: 'test' }],
    });
    const r = checkFirst(spec);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/nondeterministic: the violating step is no longer enabled on replay/);
  });
});

describe('explore: a state kmc cannot store', () => {
  it.each([
    ['plain-array', 'plain array'],
    ['plain-object', 'plain object'],
  ])('refuses %s built by an action, naming the action', (proposal, what) => {
    const r = checkFirst(plainValues, { proposal });
    expect(r.verdict).toBe('error');
    expect(r.error!.action).toBe('fill');
    expect(r.error!.message).toContain(what);
    expect(r.error!.message).toMatch(/^in the store of fill: /);
    expect(labels(r.error!.trace)).toEqual(['Init']);
  });

  it('refuses a plain object as an initial state', () => {
    const r = checkFirst(plainValues, { proposal: 'plain-init' });
    expect(r.verdict).toBe('error');
    expect(r.error!.action).toBe('Init');
    expect(r.error!.message).toMatch(/^storing an initial state: .*plain object/);
    expect(r.stats.distinct).toBe(0);
  });

  it('accepts the same model with Immutable values', () => {
    const r = checkFirst(plainValues);
    expect(r.verdict).toBe('holds');
    expect(r.stats).toMatchObject({ distinct: 2, generated: 3 });
  });

  it('reports a state too large to store as a spec error, not a crash', () => {
    const s = forState<List<number>>();
    const spec = defineModel({
      name: 'huge',
      summary: 'one step builds a state of over 64 KiB',
      constants: {},
      build: () => ({
        init: [List<number>()],
        actions: [s.action({ name: 'grow', guard: (l) => l.size === 0, effect: () => List(range(40_000)) })],
        properties: [],
        terminal: () => true,
      }),
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as built', source: 'test' }],
    });
    let r;
    try {
      r = checkFirst(spec);
    } catch (e) {
      throw new Error(`explore threw instead of reporting a spec error: ${(e as Error).message}`);
    }
    expect(r.verdict).toBe('error');
    expect(r.error!.action).toBe('grow');
    expect(r.error!.message).toContain('65535 bytes');
  });
});

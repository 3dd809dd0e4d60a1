/**
 * The same check twice gives the same result (apart from the time), explored in the documented order;
 * trace labels follow the documented format.
 */
import { describe, expect, it } from 'vitest';
import { labelOf } from '../../src/engine/label.js';
import { defineModel, forState } from '../../src/index.js';
import { counter, locks, mutex, nondeterministic, seesaw, throwing, twoPhase } from '../fixtures/models.js';
import { checkFirst, checkModel, labels, property, untimed } from '../helpers.js';

describe('explore: determinism', () => {
  it.each([
    ['mutex', () => checkModel(mutex)],
    ['mutex, stopping at the first violation', () => checkFirst(mutex)],
    ['two-phase', () => checkModel(twoPhase)],
    ['locks', () => checkFirst(locks)],
    ['seesaw', () => checkModel(seesaw)],
    ['counter with a limit', () => checkFirst(counter, { proposal: 'bounds', limits: { maxStates: 4 } })],
    ['throwing', () => checkModel(throwing, { proposal: 'effect-throws' })],
    ['nondeterministic', () => checkFirst(nondeterministic)],
  ])('gives identical results for two runs of %s apart from stats.seconds', (_name, run) => {
    const a = run();
    const b = run();
    expect(untimed(b)).toBe(untimed(a));
    expect(typeof a.stats.seconds).toBe('number');
    expect(a.stats.seconds).toBeGreaterThanOrEqual(0);
  });

  it('takes actions in declaration order and parameters in the order params yields them', () => {
    const s = forState<number>();
    const build = (order: readonly number[]) => () => ({
      init: [0],
      actions: [
        s.action({ name: 'a', params: () => order, guard: (x: number) => x === 0, effect: (_x: number, p: number) => p }),
        s.action({ name: 'b', guard: (x: number) => x === 0, effect: () => 3 }),
      ],
      properties: [s.reachable('nonzero', 'leaves 0', (x: number) => x !== 0)],
      terminal: () => true,
    });
    const spec = defineModel({
      name: 'order',
      summary: 'the first successor found wins',
      constants: {},
      build: build([1, 2]),
      baseline: 'forward',
      proposals: [
        { id: 'forward', summary: 'params 1, 2', source: 'test' },
        { id: 'backward', summary: 'params 2, 1', source: 'test', patch: (p) => ({ ...p, actions: build([2, 1])().actions }) },
      ],
    });
    expect(labels(property(checkModel(spec), 'nonzero').trace)).toEqual(['Init', 'a(1)']);
    expect(labels(property(checkModel(spec, { proposal: 'backward' }), 'nonzero').trace)).toEqual(['Init', 'a(2)']);
  });

  it('visits states breadth-first, so a later action that is shorter wins', () => {
    const s = forState<number>();
    const spec = defineModel({
      name: 'detour',
      summary: 'the first action goes the long way round',
      constants: {},
      build: () => ({
        init: [0],
        actions: [
          s.action({ name: 'long', guard: (x) => x < 3, effect: (x) => x + 1 }),
          s.action({ name: 'short', guard: (x) => x === 0, effect: () => 3 }),
        ],
        properties: [s.reachable('at-3', 'reaches 3', (x) => x === 3)],
        terminal: (x) => x === 3,
      }),
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as built', source: 'test' }],
    });
    const r = checkModel(spec);
    expect(labels(property(r, 'at-3').trace)).toEqual(['Init', 'short']);
    expect(r.stats).toMatchObject({ distinct: 4, generated: 5, depth: 3 });
  });
});

describe('labelOf', () => {
  const s = forState<unknown, never>();
  const plain = s.action({ name: 'step', effect: (x) => x });

  it('labels an instance without parameters by the action name', () => {
    expect(labelOf(plain, undefined)).toBe('step');
  });

  it('labels a primitive parameter in parentheses', () => {
    expect(labelOf(plain, 0)).toBe('step(0)');
    expect(labelOf(plain, 'PF')).toBe('step(PF)');
    expect(labelOf(plain, null)).toBe('step(null)');
  });

  it('labels an object parameter as name=value pairs and an array as a list', () => {
    expect(labelOf(plain, { cpu: 0, t: 1 })).toBe('step(cpu=0, t=1)');
    expect(labelOf(plain, [1, 2])).toBe('step(1, 2)');
  });

  it("uses the action's own label when it has one", () => {
    const labelled = s.action({ name: 'irqentry_enter', params: () => ['PF'], effect: (x) => x, label: (k) => `irqentry_enter(${k}!)` });
    expect(labelOf(labelled, 'PF')).toBe('irqentry_enter(PF!)');
  });
});

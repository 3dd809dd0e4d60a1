/**
 * From a declaration to the model the explorer checks: proposals applied in order, constants bound and
 * validated, and every mistake reported as the right error naming what exists.
 */
import { describe, expect, it } from 'vitest';
import { SpecError, UsageError } from '../../src/errors.js';
import { defineModel, flag, forState, int, oneOf, type Proposal } from '../../src/index.js';
import { resolveModel } from '../../src/resolve.js';
import { counter, mutex } from '../fixtures/models.js';

const constants = {
  n: int(2, 1, 3, 'a bound'),
  mode: oneOf(['fast', 'slow'], 'fast', 'a choice'),
  extra: flag(false, 'a switch'),
} as const;
type K = { readonly n: number; readonly mode: 'fast' | 'slow'; readonly extra: boolean };
const s = forState<number, K>();
const act = (name: string) => s.action({ name, effect: (x) => x });

function spec(proposals: Proposal<number, K>[]) {
  return defineModel({
    name: 'layers',
    summary: 'actions a, b, c',
    constants,
    presets: { large: { summary: 'the most of everything', constants: { n: 3, mode: 'slow' } } },
    build: () => ({ init: [0], actions: [act('a'), act('b'), act('c')], properties: [s.invariant('p', 'true', () => true)] }),
    baseline: 'base',
    proposals: [{ id: 'base', summary: 'as built', source: 'test' }, ...proposals],
  });
}

describe('resolveModel', () => {
  it('binds the baseline and the declared defaults when nothing is asked', () => {
    const m = resolveModel(spec([]));
    expect(m).toMatchObject({ model: 'layers', proposal: 'base', constants: { n: 2, mode: 'fast', extra: false } });
    expect(m.actions.map((a) => a.name)).toEqual(['a', 'b', 'c']);
  });

  it('applies a proposal after the ones it extends: remove, then replace in place, then add', () => {
    const m = resolveModel(
      spec([
        { id: 'one', summary: '', source: '', remove: ['a'], add: [act('d')], constants: { n: 3 } },
        { id: 'two', summary: '', source: '', extends: 'one', replace: [s.action({ name: 'c', effect: (x) => x + 1 })], add: [act('e')] },
      ]),
      { proposal: 'two' },
    );
    expect(m.actions.map((a) => a.name)).toEqual(['b', 'c', 'd', 'e']);
    expect(m.actions[1]!.effect(1, undefined as never, m.constants)).toBe(2);
    expect(m.constants).toEqual({ n: 3, mode: 'fast', extra: false });
  });

  it('lets command-line constants override a proposal, parsed by their kind', () => {
    const m = resolveModel(spec([{ id: 'one', summary: '', source: '', constants: { n: 3 } }]), {
      proposal: 'one',
      constants: { n: '1', mode: 'slow', extra: 'true' },
    });
    expect(m.constants).toEqual({ n: 1, mode: 'slow', extra: true });
  });

  it("applies a preset's constants after a proposal's and before the command line's", () => {
    const layered = spec([{ id: 'one', summary: '', source: '', constants: { n: 1, extra: true } }]);
    expect(resolveModel(layered, { preset: 'large' }).constants).toEqual({ n: 3, mode: 'slow', extra: false });
    expect(resolveModel(layered, { proposal: 'one', preset: 'large' }).constants).toEqual({ n: 3, mode: 'slow', extra: true });
    expect(resolveModel(layered, { preset: 'large', constants: { n: '2' } }).constants).toEqual({ n: 2, mode: 'slow', extra: false });
  });

  it.each([
    [{ preset: 'huge' }, 'unknown preset "huge" for model layers; known: large'],
    [{ proposal: 'nope' }, 'unknown proposal "nope" for model layers; known: base'],
    [{ constants: { nope: '1' } }, 'unknown constant "nope" for model layers; known: n, mode, extra'],
    [{ constants: { n: '4' } }, 'constant n must be an integer in 1..3, got "4"'],
    [{ constants: { n: '1.5' } }, 'constant n must be an integer in 1..3, got "1.5"'],
    [{ constants: { mode: 'medium' } }, 'constant mode must be one of fast, slow, got "medium"'],
    [{ constants: { extra: 'yes' } }, 'constant extra must be true or false, got "yes"'],
    [{ properties: ['q'] }, 'unknown property "q" for model layers; known: p'],
  ])('refuses %j with a usage error', (req, message) => {
    expect(() => resolveModel(spec([]), req)).toThrow(UsageError);
    expect(() => resolveModel(spec([]), req)).toThrow(message);
  });

  it.each([
    [{ id: 'bad', summary: '', source: '', remove: ['z'] }, 'proposal "bad" removes unknown action "z"'],
    [{ id: 'bad', summary: '', source: '', replace: [act('z')] }, 'proposal "bad" replaces unknown action "z"'],
    [{ id: 'bad', summary: '', source: '', add: [act('a')] }, 'two actions are named "a"'],
    [{ id: 'bad', summary: '', source: '', addProperties: [s.invariant('p', '', () => true)] }, 'two properties are named "p"'],
    [{ id: 'bad', summary: '', source: '', patch: (p) => ({ ...p, init: [] }) }, 'no initial state'],
  ] as [Proposal<number, K>, string][])('refuses a proposal that is wrong as a declaration: %s', (p, message) => {
    expect(() => resolveModel(spec([p]), { proposal: 'bad' })).toThrow(SpecError);
    expect(() => resolveModel(spec([p]), { proposal: 'bad' })).toThrow(message);
  });

  it('refuses proposals that extend each other in a circle', () => {
    const circle = spec([
      { id: 'x', summary: '', source: '', extends: 'y' },
      { id: 'y', summary: '', source: '', extends: 'x' },
    ]);
    expect(() => resolveModel(circle, { proposal: 'x' })).toThrow(SpecError);
  });

  it('keeps only the selected properties, in declaration order', () => {
    const m = resolveModel(mutex, { properties: ['crit-reached'] });
    expect(m.properties.map((p) => p.name)).toEqual(['crit-reached']);
  });

  it("adds a reviewer's proposal, checks it by default, and refuses one that reuses an id", () => {
    const extra = { id: 'mine', summary: '', source: '', constants: { max: 2 } };
    expect(resolveModel(counter, { extraProposal: extra })).toMatchObject({ proposal: 'mine', constants: { max: 2 } });
    expect(resolveModel(counter, { extraProposal: extra, proposal: 'terminal' }).constants).toEqual({ max: 5 });
    expect(() => resolveModel(counter, { extraProposal: { ...extra, id: 'vacuous' } })).toThrow(UsageError);
  });
});

describe('defineModel', () => {
  const base = { name: 'ok', summary: '', constants: {}, build: () => ({ init: [0], actions: [], properties: [] }) };
  it.each([
    [{ ...base, name: 'Not-Kebab', baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }] }, 'lower-case kebab-case'],
    [{ ...base, baseline: 'b', proposals: [{ id: 'B', summary: '', source: '' }] }, 'proposal id "B" is not kebab-case'],
    [{ ...base, baseline: 'c', proposals: [{ id: 'b', summary: '', source: '' }] }, 'the baseline "c" is not among the proposals'],
    [{ ...base, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }, { id: 'b', summary: '', source: '' }] }, 'declared twice'],
    [{ ...base, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '', extends: 'z' }] }, 'extends unknown "z"'],
    [{ ...base, constants: { n: int(5, 1, 3, '') }, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }] }, "constant n's default is outside its range"],
    [{ ...base, constants: { n: int(1, 1, 3, '') }, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }], presets: { big: { summary: '', constants: { n: 4 } } } }, 'preset "big" sets constant n outside its range'],
    [{ ...base, constants: { n: int(1, 1, 3, '') }, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }], presets: { big: { summary: '', constants: { m: 1 } } } }, 'preset "big" sets unknown constant "m"'],
    [{ ...base, baseline: 'b', proposals: [{ id: 'b', summary: '', source: '' }], presets: { Big: { summary: '', constants: {} } } }, 'preset name "Big" is not kebab-case'],
  ])('refuses an inconsistent declaration (%#)', (def, message) => {
    expect(() => defineModel(def as never)).toThrow(message);
  });
});

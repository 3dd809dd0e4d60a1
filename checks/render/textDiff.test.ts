import { List, Map as IMap, Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import { diffLines, renderTrace } from '../../src/render/text.js';
import { flatten } from '../../src/render/value.js';

const S = Record({ m: IMap<string, string>(), l: List<Record<{ a: number }>>(), n: 0 }, 'S');
const lines = (v: unknown) => new Map(flatten(v));

describe('text diffs', () => {
  it('shows only the new entry when a map goes from empty to one entry', () => {
    const before = S();
    const after = S({ m: IMap({ x: 'A' }) });
    expect(diffLines(lines(before), lines(after))).toEqual(['m[x]: (none) → A']);
    expect(diffLines(lines(after), lines(before))).toEqual(['m[x]: A → (none)']);
  });

  it('shows the fields of a record pushed onto an empty list', () => {
    const F = Record({ a: 0 }, 'F');
    const before = S();
    const after = S({ l: List([F({ a: 2 })]) });
    expect(diffLines(lines(before), lines(after))).toEqual(['l[0].a: (none) → 2']);
  });

  it('prints the initial state in full and later steps as changes only', () => {
    const trace = [
      { action: 'Init', state: S() },
      { action: 'bump', state: S({ n: 1 }) },
      { action: 'noop', state: S({ n: 1 }) },
    ];
    expect(renderTrace(trace)).toEqual([
      '  1. Init',
      '       m = ()',
      '       l = []',
      '       n = 0',
      '  2. bump',
      '       n: 0 → 1',
      '  3. noop',
      '       (no change)',
    ]);
  });
});

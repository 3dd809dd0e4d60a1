/**
 * The verdict matrix as fixed-width text: pinned for a model with more properties than fit on one line
 * and a proposal id longer than the proposal column, and held to its width for any number of properties
 * (the rule a mailing-list reply needs: a wider line is reflowed by the mail client and the columns no
 * longer line up).
 */
import { Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { CheckResult, PropertyResult, PropertyStatus, Trace } from '../../src/engine/types.js';
import type { PropertyKind } from '../../src/model.js';
import { renderMatrix } from '../../src/render/matrix.js';
import { wrapLine } from '../../src/render/reportData.js';

const trace = (steps: number): Trace => Array.from({ length: steps + 1 }, (_, i) => ({ action: `a${i}`, state: IMap({ i }) }));

const prop = (i: number, status: PropertyStatus, steps = 0): PropertyResult => ({
  name: `property-number-${i}`,
  kind: (['invariant', 'action', 'reachable'] as const)[i % 3] as PropertyKind,
  claim: `claim ${i}: ${'a long claim in kernel terms '.repeat(1 + (i % 4)).trim()}`,
  status,
  ...(status === 'violated' ? { trace: trace(steps) } : {}),
});

function result(proposal: string, properties: PropertyResult[], extra: Partial<CheckResult> = {}): CheckResult {
  const violated = properties.some((p) => p.status === 'violated') || Boolean(extra.deadlock);
  return {
    model: 'wide',
    proposal,
    constants: { nCpus: 2, nTasks: 3 },
    verdict: violated ? 'violated' : 'holds',
    properties,
    deadlock: null,
    error: null,
    incomplete: null,
    stats: { generated: 10, distinct: 9, queued: 0, depth: 3, seconds: 0 },
    coverage: [],
    warnings: [],
    ...extra,
  };
}

/** `n` properties; proposal `k` violates property `i` when `i % (k + 3) === 0`, in `i + k` steps. */
function wide(n: number, ids: readonly string[]): CheckResult[] {
  return ids.map((id, k) =>
    result(
      id,
      Array.from({ length: n }, (_, j) => (j % (k + 3) === 0 ? prop(j + 1, 'violated', j + k + 1) : prop(j + 1, 'holds'))),
    ),
  );
}

const widest = (text: string) => Math.max(...text.trimEnd().split('\n').map((l) => [...l].length));

describe('the verdict matrix', () => {
  it('splits 24 properties and a 52-character proposal id into two groups, each repeating the ids', () => {
    const long = 'pks-ptregs-aux-v10-with-the-msr-written-before-thread';
    const text = renderMatrix([
      ...wide(24, ['pks-thread-only', long, 'pks-idtentry-cache']),
      result('pks-incomplete', [prop(1, 'unknown'), prop(2, 'unreached')], { verdict: 'incomplete', incomplete: 'max-states' }),
    ]);
    expect(widest(text)).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(text).toMatchInlineSnapshot(`
      "wide  (nCpus=2 nTasks=3)

        proposal                                  verdict       1   2   3   4   5   6   7   8   9  10  11
        pks-thread-only                           violated     X1  ok  ok  X4  ok  ok  X7  ok  ok X10  ok
        pks-ptregs-aux-v10-with-the-msr-written-before-thread
                                                  violated     X2  ok  ok  ok  X6  ok  ok  ok X10  ok  ok
        pks-idtentry-cache                        violated     X3  ok  ok  ok  ok  X8  ok  ok  ok  ok X13
        pks-incomplete                            incomplete    ? unr   -   -   -   -   -   -   -   -   -

        proposal                                   12  13  14  15  16  17  18  19  20  21  22  23  24  dl
        pks-thread-only                            ok X13  ok  ok X16  ok  ok X19  ok  ok X22  ok  ok  ok
        pks-ptregs-aux-v10-with-the-msr-written-before-thread
                                                   ok X14  ok  ok  ok X18  ok  ok  ok X22  ok  ok  ok  ok
        pks-idtentry-cache                         ok  ok  ok  ok X18  ok  ok  ok  ok X23  ok  ok  ok  ok
        pks-incomplete                              -   -   -   -   -   -   -   -   -   -   -   -   -   ?

         1  property-number-1 [action]: claim 1: a long claim in kernel terms a long claim in kernel terms
         2  property-number-2 [reachable]: claim 2: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
         3  property-number-3 [invariant]: claim 3: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms a long claim in kernel terms
         4  property-number-4 [action]: claim 4: a long claim in kernel terms
         5  property-number-5 [reachable]: claim 5: a long claim in kernel terms a long claim in kernel
            terms
         6  property-number-6 [invariant]: claim 6: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
         7  property-number-7 [action]: claim 7: a long claim in kernel terms a long claim in kernel terms
            a long claim in kernel terms a long claim in kernel terms
         8  property-number-8 [reachable]: claim 8: a long claim in kernel terms
         9  property-number-9 [invariant]: claim 9: a long claim in kernel terms a long claim in kernel
            terms
        10  property-number-10 [action]: claim 10: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
        11  property-number-11 [reachable]: claim 11: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms a long claim in kernel terms
        12  property-number-12 [invariant]: claim 12: a long claim in kernel terms
        13  property-number-13 [action]: claim 13: a long claim in kernel terms a long claim in kernel
            terms
        14  property-number-14 [reachable]: claim 14: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
        15  property-number-15 [invariant]: claim 15: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms a long claim in kernel terms
        16  property-number-16 [action]: claim 16: a long claim in kernel terms
        17  property-number-17 [reachable]: claim 17: a long claim in kernel terms a long claim in kernel
            terms
        18  property-number-18 [invariant]: claim 18: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
        19  property-number-19 [action]: claim 19: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms a long claim in kernel terms
        20  property-number-20 [reachable]: claim 20: a long claim in kernel terms
        21  property-number-21 [invariant]: claim 21: a long claim in kernel terms a long claim in kernel
            terms
        22  property-number-22 [action]: claim 22: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms
        23  property-number-23 [reachable]: claim 23: a long claim in kernel terms a long claim in kernel
            terms a long claim in kernel terms a long claim in kernel terms
        24  property-number-24 [invariant]: claim 24: a long claim in kernel terms
        dl  deadlock: every reachable state that is not terminal has an enabled action

        ok  holds (for a [reachable] property: reached; under dl: no deadlock found)
        Xn  violated: its shortest counterexample has n steps
        unr never reached in a complete run: the model is vacuous there
        ?   undecided: a limit stopped the run (incomplete), or the model threw (error)
        -   not a property of that proposal
      "
    `);
  });

  it('stays within the width for 1 to 120 properties and ids of up to 60 characters', () => {
    const ids = ['q', 'pks-ptregs-aux-msrfirst', 'x'.repeat(40), `${'y'.repeat(59)}z`];
    for (const n of [1, 5, 13, 14, 20, 33, 60, 120]) {
      const text = renderMatrix(wide(n, ids));
      expect(widest(text), `${n} properties`).toBeLessThanOrEqual(100);
      // Every proposal has a row in every group, and every number heads exactly one column.
      const groups = text.split('\n').filter((l) => l.startsWith('  proposal '));
      const heads = groups.flatMap((l) => l.split(/\s+/).slice(2));
      expect(heads, `${n} properties`).toEqual(['verdict', ...Array.from({ length: n }, (_, i) => String(i + 1)), 'dl']);
      for (const id of ids) expect(text.split('\n').filter((l) => l.trim().split(' ')[0] === id)).toHaveLength(groups.length);
    }
  });

  it('fits a narrower width too, and keeps one group when everything fits', () => {
    const results = wide(13, ['xsave-update-dave-xrstors', 'pasid-gp-v1']);
    expect(renderMatrix(results).split('\n').filter((l) => l.startsWith('  proposal '))).toHaveLength(1);
    expect(widest(renderMatrix(results, 60))).toBeLessThanOrEqual(60);
    // 60 - 3 - 25 leaves 32 columns for verdict (10), 13 properties (4 each) and dl (4): three groups.
    expect(renderMatrix(results, 60).split('\n').filter((l) => l.startsWith('  proposal '))).toHaveLength(3);
  });

  it('wraps a legend line at a space under its name, and ends even when the indentation is too wide', () => {
    expect(wrapLine('  12  name [action]: a claim in words', 24, '      ')).toEqual(['  12  name [action]: a', '      claim in words']);
    expect(wrapLine(`${' '.repeat(30)}a b c d`, 20)).toEqual(['', 'a b c d']);
  });

  it('shows a deadlock in the dl column with its length, and explains only the symbols it uses', () => {
    const text = renderMatrix([result('racy', [prop(1, 'holds')], { deadlock: { trace: trace(5) } })]);
    expect(text).toContain('  racy      violated   ok  X5\n');
    expect(text).toContain('  Xn  violated');
    expect(text).not.toContain('unr never');
    expect(text).not.toContain('  ?   undecided');
  });
});

/**
 * The memory budget: a run whose store would outgrow it stops as incomplete (limit `memory`), never
 * claims an invariant holds, keeps its store within the budget and says what it needed; a budget the run
 * fits in changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import synthetic from '../../src/bench/synthetic.js';
import { MemoryBudget } from '../../src/engine/memoryBudget.js';
import { StateStore } from '../../src/engine/stateStore.js';
import { FULL } from '../../src/engine/store.js';
import type { CheckResult, StoreKind } from '../../src/engine/types.js';
import { checkFirst, checkModel, untimed } from '../helpers.js';

const STORES: readonly StoreKind[] = ['exact', 'fingerprint'];
/** 11,210 states: big enough for small budgets to cut it short, quick to explore. */
const SMALL = { constants: { nCpus: '2' } } as const;
/** Budgets that stop SMALL partway: it needs about 0.85 MB exactly, 0.35 MB with fingerprints. */
const PARTWAY = { exact: 400_000, fingerprint: 250_000 } as const;

function expectStoppedByMemory(r: CheckResult, budget: number): void {
  expect(r.verdict).toBe('incomplete');
  expect(r.incomplete).toBe('memory');
  for (const p of r.properties) expect(p.kind === 'reachable' ? ['holds', 'unknown'] : ['unknown']).toContain(p.status);
  expect(r.store!.full?.cause).toBe('budget');
  const { table, perState, states, frontier } = r.store!.parts;
  expect(table + perState + states + frontier).toBeLessThanOrEqual(budget);
  expect(r.store!.budgetBytes).toBe(budget);
}

describe.each(STORES)('the memory budget with the %s store', (store) => {
  it('stops a run that outgrows it as incomplete, within the budget', () => {
    const budget = PARTWAY[store];
    const r = checkModel(synthetic, { ...SMALL, store, limits: { memoryBytes: budget } });
    expectStoppedByMemory(r, budget);
    expect(r.stats.distinct).toBeGreaterThan(1000);
    expect(r.stats.distinct).toBeLessThan(11_210);
    expect(r.stats.queued).toBeGreaterThan(0);
    const mb = (budget / 2 ** 20).toFixed(2);
    expect(r.store!.full!.message).toMatch(new RegExp(`^0\\.\\d\\d MB of the ${mb} MB budget is held by the ${store} store`));
  });

  it('stops at the first state when even that does not fit', () => {
    const r = checkFirst(synthetic, { ...SMALL, store, limits: { memoryBytes: 1000 } });
    expectStoppedByMemory(r, 1000);
    expect(r.stats).toMatchObject({ distinct: 0, queued: 0, generated: 1 });
  });

  it('changes nothing when the run fits', () => {
    const free = checkModel(synthetic, { ...SMALL, store });
    const bounded = checkModel(synthetic, { ...SMALL, store, limits: { memoryBytes: 8 * 2 ** 20 } });
    expect(bounded.verdict).toBe('holds');
    expect(untimed({ ...bounded, store: undefined })).toBe(untimed({ ...free, store: undefined }));
  });

  it('never reports an invariant as holding when it stopped, whatever the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 1_200_000 }), (budget) => {
        const r = checkModel(synthetic, { ...SMALL, store, limits: { memoryBytes: budget } });
        if (r.incomplete === null) expect(r.verdict).toBe('holds');
        else expectStoppedByMemory(r, budget);
      }),
      { numRuns: 6 },
    );
  });
});

describe('the exact store and its budget', () => {
  it('asks for the next table and the grown per-state arrays while the old ones still count', () => {
    // 4096 states of 4 bytes: the 4097th needs per-state arrays half as large again (13 bytes each:
    // position, parent, edge, flags) and, past half of 8192 slots, a table of 16384 slots (two words
    // each: position and hash).
    const store = new StateStore(Infinity);
    for (let i = 0; i < 4096; i++) store.intern(Buffer.from(Int32Array.of(i).buffer), 4, -1, 0);
    const held = Object.values(store.memory()).reduce((a, b) => a + b, 0);
    const needs = 6144 * 13 + 16384 * 8;
    for (const budget of [held + needs - 1, held + needs]) {
      const bounded = new StateStore(budget);
      for (let i = 0; i < 4096; i++) bounded.intern(Buffer.from(Int32Array.of(i).buffer), 4, -1, 0);
      const id = bounded.intern(Buffer.from(Int32Array.of(4096).buffer), 4, -1, 0);
      expect(id).toBe(budget < held + needs ? FULL : 4096);
    }
  });
});

describe('a budget shared between the partitions of a parallel run', () => {
  const shared = () => {
    const pool = new BigInt64Array(new SharedArrayBuffer(8));
    return { pool, a: new MemoryBudget(1000, 'the exact store', pool), b: new MemoryBudget(1000, 'the exact store', pool) };
  };

  it('counts what every store holds against the one limit', () => {
    const { pool, a, b } = shared();
    expect(a.allocate(600, () => 'chunk')).toBe('chunk');
    expect(b.fits(500)).toBe(false);
    expect(b.full!.message).toBe('0.00 MB of the 0.00 MB budget is held by the exact store of every partition, and its next growth needs 0.00 MB more');
    expect(b.fits(400)).toBe(true);
    // What fits claimed, the allocation takes: the pool does not count it twice.
    expect(b.allocate(400, () => 'table')).toBe('table');
    expect(pool[0]).toBe(1000n);
    expect(a.fits(1)).toBe(false);
    a.release(600);
    expect(pool[0]).toBe(400n);
    expect(a.fits(600)).toBe(true);
    expect([a.held, b.held]).toEqual([0, 400]);
  });

  it('gives back what a growth claimed and did not take, at its next request', () => {
    const { pool, a, b } = shared();
    expect(a.fits(700)).toBe(true);
    expect(a.allocate(200, () => 1)).toBe(1);
    // The growth stopped there: 500 bytes are still claimed, so b cannot have them yet.
    expect(pool[0]).toBe(700n);
    expect(b.fits(400)).toBe(false);
    expect(a.fits(100)).toBe(true);
    expect(pool[0]).toBe(300n);
    expect(b.fits(400)).toBe(true);
  });

  it('refuses an allocation that no request claimed (a frontier chunk) beyond the limit, and one the system refuses', () => {
    const { pool, a, b } = shared();
    b.take(300);
    expect(a.allocate(800, () => 1)).toBeUndefined();
    expect(a.full!.cause).toBe('budget');
    expect(pool[0]).toBe(300n);
    expect(
      a.allocate(100, () => {
        throw new RangeError('Array buffer allocation failed');
      }),
    ).toBeUndefined();
    expect(a.full!.cause).toBe('allocation');
    expect(pool[0]).toBe(300n);
    // The view of a level held beside the store grows and shrinks in the pool too.
    expect(a.holdBeside(500)).toBe(true);
    expect(pool[0]).toBe(800n);
    expect(a.holdBeside(800)).toBe(false);
    expect(a.holdBeside(100)).toBe(true);
    expect(pool[0]).toBe(400n);
  });
});

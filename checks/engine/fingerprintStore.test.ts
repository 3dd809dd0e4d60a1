/**
 * The fingerprint store: one id per distinct state across page and table growth, duplicates found again,
 * parents kept, the frontier handing back each new state's bytes once and in order and freeing what was
 * read, and the bytes per state it was designed for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from '../../src/engine/fingerprintStore.js';
import { FRONTIER_CHUNK } from '../../src/engine/frontier.js';
import { FULL } from '../../src/engine/store.js';

/** State i: its index in 4 bytes, then 0..59 filler bytes. */
function stateBytes(i: number): Buffer {
  const b = Buffer.alloc(4 + (i % 60), i % 251);
  b.writeUInt32LE(i, 0);
  return b;
}

const copy = (v: { buf: Buffer; start: number; end: number }) => Buffer.from(v.buf.subarray(v.start, v.end));

describe('FingerprintStore', () => {
  it('gives 100,000 distinct states dense ids across table and page growth, and finds each again', () => {
    const store = new FingerprintStore();
    const n = 100_000;
    const wrong: string[] = [];
    for (let i = 0; i < n; i++) {
      const b = stateBytes(i);
      const id = store.intern(b, b.length, i - 1, 0);
      if (id !== i || !store.lastFresh) wrong.push(`new state ${i} got id ${id}, fresh ${store.lastFresh}`);
    }
    for (let i = n - 1; i >= 0; i--) {
      const b = stateBytes(i);
      const id = store.intern(b, b.length, 12345, 0);
      if (id !== i || store.lastFresh) wrong.push(`state ${i} again got id ${id}, fresh ${store.lastFresh}`);
      if (store.parent(i) !== i - 1) wrong.push(`state ${i}'s parent changed to ${store.parent(i)}`);
      if (store.isRoot(i) !== (i === 0)) wrong.push(`state ${i} is${store.isRoot(i) ? '' : ' not'} a root`);
      if (!store.matches(i, b, b.length) || store.matches(i, stateBytes(i + 1), stateBytes(i + 1).length)) {
        wrong.push(`state ${i} does not match its own bytes only`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(store.size).toBe(n);
    // 2^17 slots hold up to 98,304 states at three-quarters full: 100,000 needed the next doubling.
    expect(store.memory().table).toBe((1 << 18) * 4);
  });

  it('hands back each new state\'s bytes once, in order, skipping the ids it is not asked for', () => {
    const store = new FingerprintStore();
    const n = 20_000;
    for (let i = 0; i < n; i++) store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
    // Duplicates are not queued again.
    for (let i = 0; i < n; i += 7) store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
    const wrong: number[] = [];
    for (let i = 0; i < n; i += i % 5 === 0 ? 2 : 1) if (!copy(store.frontierBytes(i)).equals(stateBytes(i))) wrong.push(i);
    expect(wrong).toEqual([]);
    expect(() => store.frontierBytes(3)).toThrow(/not in the frontier/);
    expect(() => store.frontierBytes(n)).toThrow(/not in the frontier/);
  });

  it('frees the frontier as it is read, keeping at most one spare chunk', () => {
    const store = new FingerprintStore();
    const n = 30_000;
    for (let i = 0; i < n; i++) store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
    const full = store.memory().frontier;
    expect(full).toBeGreaterThan(10 * FRONTIER_CHUNK);
    for (let i = 0; i < n; i++) store.frontierBytes(i);
    expect(store.memory().frontier).toBeLessThanOrEqual(2 * FRONTIER_CHUNK);
    expect(store.frontierPeakBytes()).toBe(full);
    // Interleaved, as in a search: the frontier holds the unread states only.
    const wrong: number[] = [];
    for (let i = n; i < 2 * n; i++) {
      store.intern(stateBytes(i), stateBytes(i).length, i - 1, 0);
      if (!copy(store.frontierBytes(i)).equals(stateBytes(i))) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(store.memory().frontier).toBeLessThanOrEqual(2 * FRONTIER_CHUNK);
  });

  it('marks states outside the constraint, one bit each', () => {
    const store = new FingerprintStore();
    for (let i = 0; i < 10_000; i++) store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
    for (let i = 0; i < 10_000; i += 3) store.markOutside(i);
    const wrong = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => store.isOutside(i) !== (i % 3 === 0));
    expect(wrong).toEqual([]);
  });

  it('stays under 24 bytes a state in its table and per-state arrays, whatever the load', () => {
    const store = new FingerprintStore();
    const worst: number[] = [];
    for (let i = 0; i < 400_000; i++) {
      store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
      store.frontierBytes(i);
      if (i >= 50_000 && i % 1000 === 0) {
        const m = store.memory();
        worst.push((m.table + m.perState) / store.size);
      }
    }
    expect(Math.max(...worst)).toBeLessThan(24);
    // Just above a doubling, 12.125 bytes of per-state arrays plus 4/0.375 of table.
    expect(Math.max(...worst)).toBeGreaterThan(22);
  });

  it('refuses a new state that does not fit the budget, adding nothing and saying why', () => {
    const store = new FingerprintStore(256 * 1024);
    let id = 0;
    let i = 0;
    for (; id !== FULL; i++) id = store.intern(stateBytes(i), stateBytes(i).length, -1, 0);
    const size = store.size;
    expect(size).toBe(i - 1);
    expect(store.full?.cause).toBe('budget');
    expect(store.full?.message).toMatch(/^0\.\d\d MB of the 0\.25 MB budget is held by the fingerprint store and its frontier, and its next growth needs 0\.\d\d MB more$/);
    const m = store.memory();
    expect(m.table + m.perState + m.frontier).toBeLessThanOrEqual(256 * 1024);
    // A seen state is still found; the refused one is still refused; nothing was added.
    expect(store.intern(stateBytes(0), stateBytes(0).length, -1, 0)).toBe(0);
    expect(store.intern(stateBytes(i - 1), stateBytes(i - 1).length, -1, 0)).toBe(FULL);
    expect(store.size).toBe(size);
  });

  it('agrees with a naive map from bytes to first ids', () => {
    const bytes = fc.array(fc.nat(3), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 300 }), (inputs) => {
        const store = new FingerprintStore();
        const naive = new Map<string, number>();
        for (const input of inputs) {
          const k = input.join(',');
          const expected = naive.get(k) ?? naive.size;
          const fresh = !naive.has(k);
          naive.set(k, expected);
          expect(store.intern(Buffer.from(input), input.length, -1, 0)).toBe(expected);
          expect(store.lastFresh).toBe(fresh);
        }
        expect(store.size).toBe(naive.size);
        naive.forEach((id, k) => expect(copy(store.frontierBytes(id))).toEqual(Buffer.from(k ? k.split(',').map(Number) : [])));
      }),
    );
  });
});

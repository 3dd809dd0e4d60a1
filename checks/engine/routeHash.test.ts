/**
 * What the parallel explorer relies on when it routes a state to its owner and the owner interns it where
 * it lies in a batch (exchange.ts): each store's `internAt`, given the state's bytes at an offset and the
 * store's own `routeHash` of them, finds exactly the states `intern` stored and stores new ones as
 * `intern` would; and the owners the route hashes give cover every partition about evenly.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from '../../src/engine/fingerprintStore.js';
import { ownerOf } from '../../src/engine/parallel/ownership.js';
import { hashBytes, StateStore } from '../../src/engine/stateStore.js';
import type { SeenStore } from '../../src/engine/store.js';

/** State i: its index in 4 bytes, then 0..40 filler bytes. */
function stateBytes(i: number): Buffer {
  const b = Buffer.alloc(4 + (i % 41), i % 251);
  b.writeUInt32LE(i, 0);
  return b;
}

/** States first..last-1 one after another in one buffer, after `pad` bytes, as a batch carries them. */
function batch(first: number, last: number, pad: number): { buf: Buffer; at: number[]; len: number[] } {
  const parts: Buffer[] = [Buffer.alloc(pad, 0xee)];
  const at: number[] = [];
  const len: number[] = [];
  let pos = pad;
  for (let i = first; i < last; i++) {
    const b = stateBytes(i);
    parts.push(b, Buffer.alloc(i % 3, 0xdd));
    at.push(pos);
    len.push(b.length);
    pos += b.length + (i % 3);
  }
  return { buf: Buffer.concat(parts), at, len };
}

const stores: readonly [string, () => SeenStore][] = [
  ['exact', () => new StateStore()],
  ['fingerprint', () => new FingerprintStore()],
];

describe.each(stores)('the %s store at an offset, with its route hash', (_kind, make) => {
  it('finds what intern stored, and stores new states as intern does', () => {
    const store = make();
    for (let i = 0; i < 3000; i++) {
      const b = stateBytes(i);
      expect(store.intern(b, b.length, i - 1, i)).toBe(i);
    }
    const wrong: string[] = [];
    // The first half again, then 3000 new ones, all from the middle of one buffer.
    const { buf, at, len } = batch(0, 6000, 7);
    for (let k = 0; k < at.length; k++) {
      const id = store.internAt(buf, at[k]!, len[k]!, store.routeHash(buf, at[k]!, len[k]!), 5, 9);
      const fresh = k >= 3000;
      if (id !== k || store.lastFresh !== fresh) wrong.push(`state ${k} got id ${id}, fresh ${store.lastFresh}`);
    }
    expect(wrong).toEqual([]);
    expect(store.size).toBe(6000);
    // A new state's bytes are the slice it was given: intern finds it, and the frontier hands it out.
    for (let i = 3000; i < 6000; i += 7) {
      const b = stateBytes(i);
      expect(store.intern(b, b.length, 0, 0)).toBe(i);
      expect(store.lastFresh).toBe(false);
      expect(store.parent(i)).toBe(5);
    }
    for (let i = 0; i < 6000; i++) {
      const { buf: f, start, end } = store.frontierBytes(i);
      if (!f.subarray(start, end).equals(stateBytes(i))) wrong.push(`state ${i}'s bytes differ`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the same route hash wherever the bytes lie', () => {
    const store = make();
    const { buf, at, len } = batch(0, 200, 3);
    for (let k = 0; k < at.length; k++) {
      const alone = stateBytes(k);
      expect(store.routeHash(buf, at[k]!, len[k]!)).toBe(store.routeHash(alone, 0, alone.length));
    }
  });
});

describe('routing', () => {
  it('is the hash the exact store files states under', () => {
    const store = new StateStore();
    const b = stateBytes(77);
    expect(store.routeHash(b, 0, b.length)).toBe(hashBytes(b, 0, b.length));
  });

  it.each([2, 3, 4, 8])('spreads states evenly over %i owners, each in range', (owners) => {
    for (const store of [new StateStore(), new FingerprintStore()]) {
      const counts = new Array<number>(owners).fill(0);
      const n = 40_000;
      for (let i = 0; i < n; i++) {
        const b = stateBytes(i);
        const o = ownerOf(store.routeHash(b, 0, b.length), owners);
        expect(Number.isInteger(o) && o >= 0 && o < owners).toBe(true);
        counts[o]!++;
      }
      for (const c of counts) expect(Math.abs(c - n / owners)).toBeLessThan(0.05 * (n / owners));
    }
  });
});

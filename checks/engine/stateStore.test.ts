/**
 * The exact seen-state store: a state is found again exactly when its bytes are equal, whatever the
 * 32-bit hash does, across table growth and chunk boundaries.
 */
import fc from 'fast-check';
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { Codec } from '../../src/engine/codec.js';
import { hashBytes, StateStore } from '../../src/engine/stateStore.js';
import { defineModel, forState } from '../../src/index.js';
import { checkModel, labels, property } from '../helpers.js';

/** State i: its index in 4 bytes, then 0..149 filler bytes; 60 000 of them fill more than one 4 MiB chunk. */
function stateBytes(i: number): Buffer {
  const b = Buffer.alloc(4 + (i % 150), i % 251);
  b.writeUInt32LE(i, 0);
  return b;
}

function slice(store: StateStore, id: number): Buffer {
  const { buf, start, end } = store.bytesOf(id);
  return Buffer.from(buf.subarray(start, end));
}

/** Two states found by search whose encodings have the same 32-bit hash. */
const COLLIDING: readonly [List<number>, List<number>] = [List([5, 11232]), List([6, 8818])];

describe('StateStore', () => {
  it('keeps sixty thousand distinct states apart and finds each again', () => {
    const store = new StateStore();
    const n = 60_000;
    const wrong: string[] = [];
    for (let i = 0; i < n; i++) {
      const b = stateBytes(i);
      const id = store.intern(b, b.length, i - 1, i * 3);
      if (id !== i || !store.lastFresh) wrong.push(`new state ${i} got id ${id}, fresh ${store.lastFresh}`);
    }
    expect(store.size).toBe(n);
    for (let i = n - 1; i >= 0; i--) {
      const b = stateBytes(i);
      const id = store.intern(b, b.length, 12345, 0);
      if (id !== i || store.lastFresh) wrong.push(`state ${i} again got id ${id}, fresh ${store.lastFresh}`);
      const { buf, start, end } = store.bytesOf(i);
      if (buf.compare(b, 0, b.length, start, end) !== 0) wrong.push(`state ${i}'s bytes changed`);
      if (store.parent(i) !== i - 1 || store.edge(i) !== i * 3) wrong.push(`state ${i}'s parent or edge changed`);
      if (store.isRoot(i) !== (i === 0)) wrong.push(`state ${i} is${store.isRoot(i) ? '' : ' not'} a root`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(store.size).toBe(n);
  });

  it('keeps states of the largest size, each whole, from the first chunk on', () => {
    const store = new StateStore();
    const big = (fill: number) => Buffer.alloc(0xffff, fill);
    for (let i = 0; i < 5; i++) expect(store.intern(big(i), 0xffff, i - 1, i)).toBe(i);
    for (let i = 4; i >= 0; i--) {
      expect(store.intern(big(i), 0xffff, 9, 9)).toBe(i);
      expect(store.lastFresh).toBe(false);
      expect(slice(store, i).equals(big(i))).toBe(true);
      expect(store.matches(i, big(i), 0xffff)).toBe(true);
      expect(store.matches(i, big(i + 1), 0xffff)).toBe(false);
    }
  });

  it('uses only the given length of the input buffer', () => {
    const store = new StateStore();
    const scratch = Buffer.from([1, 2, 3, 4, 5]);
    const a = store.intern(scratch, 3, -1, 0);
    scratch[4] = 9;
    expect(store.intern(scratch, 3, -1, 0)).toBe(a);
    expect(store.intern(scratch, 4, -1, 0)).toBe(a + 1);
    expect(slice(store, a)).toEqual(Buffer.from([1, 2, 3]));
    expect(store.intern(Buffer.alloc(0), 0, -1, 0)).toBe(a + 2);
    expect(store.intern(Buffer.alloc(4), 0, -1, 0)).toBe(a + 2);
  });

  it('never merges two states whose 32-bit hashes collide', () => {
    const codec = new Codec();
    const [a, b] = COLLIDING.map((s) => Buffer.from(codec.buf.subarray(0, codec.encode(s))));
    expect(a!.equals(b!)).toBe(false);
    // If the encoding or the hash changes, search for a new pair: List([a, b]) for small a, b finds one.
    expect(hashBytes(a!, 0, a!.length)).toBe(hashBytes(b!, 0, b!.length));
    const store = new StateStore();
    expect(store.intern(a!, a!.length, -1, 0)).toBe(0);
    expect(store.intern(b!, b!.length, -1, 1)).toBe(1);
    expect(store.lastFresh).toBe(true);
    expect(store.intern(b!, b!.length, -1, 1)).toBe(1);
    expect(store.intern(a!, a!.length, -1, 0)).toBe(0);
    expect(store.size).toBe(2);
  });

  it('compares with the bytes of the buffer given, when lookups alternate between buffers', () => {
    // A parallel partition looks up its own successors and a peer's batch in turn; the store keeps a view
    // of the last two buffers. Every state here is filed under one hash, so each lookup compares bytes.
    const buffers = [0, 1, 2].map((k) => Buffer.alloc(64, 0x10 * (k + 1)));
    const store = new StateStore();
    const H = 12345;
    for (const [k, b] of buffers.entries()) expect(store.internAt(b, 8, 40, H, -1, k)).toBe(k);
    for (const order of [[0, 1, 0, 1], [1, 2, 1, 0], [2, 2, 0, 2]]) {
      for (const k of order) {
        expect(store.internAt(buffers[k]!, 8, 40, H, -1, 9)).toBe(k);
        expect(store.lastFresh).toBe(false);
      }
    }
    expect(store.size).toBe(3);
  });

  it('agrees with a naive map from bytes to first ids', () => {
    const bytes = fc.array(fc.nat(3), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 300 }), (inputs) => {
        const store = new StateStore();
        const naive = new Map<string, number>();
        for (const input of inputs) {
          const key = input.join(',');
          const expected = naive.get(key) ?? naive.size;
          const fresh = !naive.has(key);
          naive.set(key, expected);
          expect(store.intern(Buffer.from(input), input.length, -1, 0)).toBe(expected);
          expect(store.lastFresh).toBe(fresh);
        }
        expect(store.size).toBe(naive.size);
      }),
    );
  });
});

describe('explore: states with colliding hashes', () => {
  it('counts both states and finds the second', () => {
    const s = forState<List<number>>();
    const spec = defineModel({
      name: 'collide',
      summary: 'a step between two states whose hashes collide',
      constants: {},
      build: () => ({
        init: [COLLIDING[0]],
        actions: [s.action({ name: 'jump', guard: (l) => l.equals(COLLIDING[0]), effect: () => COLLIDING[1] })],
        properties: [s.reachable('second', 'the second state is reached', (l) => l.equals(COLLIDING[1]))],
        terminal: () => true,
      }),
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as built', source: 'test' }],
    });
    const r = checkModel(spec);
    expect(r.verdict).toBe('holds');
    expect(r.stats).toMatchObject({ distinct: 2, generated: 2 });
    expect(labels(property(r, 'second').trace)).toEqual(['Init', 'jump']);
  });
});

/**
 * A partition's level in shared memory (levelView.ts), from which every partition claims states once
 * it has done its own: the view holds each state's bytes, gid and first discovery as the store and the
 * level gave them, for either store, and the claims hand out every state of the level exactly once,
 * whoever claims them.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from '../../src/engine/fingerprintStore.js';
import { buildView, CHUNK, claim, stateBytes, viewBytes } from '../../src/engine/parallel/levelView.js';
import { StateStore } from '../../src/engine/stateStore.js';
import type { SeenStore } from '../../src/engine/store.js';

/** State i: its index in 4 bytes, then 0..60 filler bytes. */
function bytesOf(i: number): Buffer {
  const b = Buffer.alloc(4 + (i % 61), i % 251);
  b.writeUInt32LE(i, 0);
  return b;
}

const STORES: readonly [string, () => SeenStore][] = [
  ['exact', () => new StateStore()],
  ['fingerprint', () => new FingerprintStore()],
];

describe.each(STORES)('the level view over the %s store', (kind, make) => {
  const N = 3000;
  const START = 700;

  function level() {
    const store = make();
    for (let i = 0; i < N; i++) store.intern(bytesOf(i), bytesOf(i).length, i === 0 ? -1 : i - 1, i);
    // The fingerprint store hands out bytes in id order only: pass the states before the level first.
    for (let id = 0; id < START; id++) store.frontierBytes(id);
    const count = N - START;
    const gidOf = Int32Array.from({ length: count }, (_, k) => 10_000 + 2 * k);
    const keyG = Int32Array.from({ length: count }, (_, k) => 5_000 + (k >> 2));
    const keyE = Int32Array.from({ length: count }, (_, k) => k % 4);
    return { view: buildView(store, 1, 10_000, START, gidOf, keyG, keyE), gidOf, keyG, keyE, count };
  }

  it('holds each state of the level with its gid and first discovery, in shared memory', () => {
    const { view, gidOf, keyG, keyE, count } = level();
    expect([view.part, view.tag, view.start, view.count]).toEqual([1, 10_000, START, count]);
    const buf = Buffer.from(view.bytes.buffer, view.bytes.byteOffset, view.bytes.byteLength);
    for (let k = 0; k < count; k++) {
      const b = stateBytes(view, buf, k);
      expect(buf.subarray(b.start, b.end).equals(bytesOf(START + k))).toBe(true);
    }
    expect([...view.gidOf.subarray(0, count)]).toEqual([...gidOf]);
    expect([...view.keyG.subarray(0, count)]).toEqual([...keyG]);
    expect([...view.keyE.subarray(0, count)]).toEqual([...keyE]);
    for (const a of [view.next, view.offsets, view.bytes, view.gidOf, view.keyG, view.keyE]) {
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('hands out every state exactly once, a chunk at a time, whoever claims', () => {
    const { view, count } = level();
    // Two partitions' threads see the same counter: claims through a second copy of the view's arrays
    // (as a peer holds it after postMessage) interleave with the owner's.
    const peer = { ...view, next: new Int32Array(view.next.buffer) };
    const seen = new Uint8Array(count);
    let chunks = 0;
    for (let turn = 0; ; turn++) {
      const from = claim(turn % 3 === 0 ? peer : view);
      if (from < 0) break;
      chunks++;
      for (let k = from; k < Math.min(from + CHUNK, count); k++) seen[k]!++;
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(chunks).toBe(Math.ceil(count / CHUNK));
    expect(claim(view)).toBe(-1);
    expect(claim(peer)).toBe(-1);
  });

  it('hands out its states in the order given (by gid), else in store order', () => {
    const store = make();
    for (let i = 0; i < 300; i++) store.intern(bytesOf(i), bytesOf(i).length, -1, i);
    const ids = Int32Array.from({ length: 300 }, (_, k) => k);
    const order = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 300);
    const claimed = (view: ReturnType<typeof buildView>) => {
      const out: number[] = [];
      for (let from = claim(view); from >= 0; from = claim(view)) {
        for (let i = from; i < Math.min(from + CHUNK, view.count); i++) out.push(view.order[i]!);
      }
      return out;
    };
    const first = buildView(store, 0, 0, 0, ids, ids, ids, null, order);
    expect(claimed(first)).toEqual([...order]);
    expect(first.order.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The next level reuses the memory; without an order its states go in store order.
    const fresh = make();
    for (let i = 0; i < 300; i++) fresh.intern(bytesOf(i), bytesOf(i).length, -1, i);
    const second = buildView(fresh, 0, 300, 0, ids, ids, ids, first);
    expect(claimed(second)).toEqual([...ids]);
  });

  it('fills the memory of the level before again, with its claims started afresh', () => {
    const store = make();
    for (let i = 0; i < N; i++) store.intern(bytesOf(i), bytesOf(i).length, -1, i);
    const ids = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, k) => from + k);
    const first = buildView(store, 0, 0, 0, ids(0, 2000), ids(0, 2000), ids(0, 2000));
    while (claim(first) >= 0);
    // A smaller level fits in the memory of the first.
    const second = buildView(store, 0, 2000, 2000, ids(5000, 5900), ids(7000, 7900), ids(9000, 9900), first);
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(second.next.buffer).toBe(first.next.buffer);
    expect([second.count, second.tag, second.start]).toEqual([900, 2000, 2000]);
    const buf = Buffer.from(second.bytes.buffer, second.bytes.byteOffset, second.bytes.byteLength);
    for (let k = 0; k < 900; k++) {
      const b = stateBytes(second, buf, k);
      expect(buf.subarray(b.start, b.end).equals(bytesOf(2000 + k))).toBe(true);
    }
    expect([second.gidOf[0], second.keyG[899], second.keyE[450]]).toEqual([5000, 7899, 9450]);
    const claimed: number[] = [];
    for (let from = claim(second); from >= 0; from = claim(second)) claimed.push(from);
    expect(claimed).toEqual(Array.from({ length: Math.ceil(900 / CHUNK) }, (_, i) => i * CHUNK));
    const third = buildView(store, 0, 2900, 2900, ids(0, 100), ids(0, 100), ids(0, 100), second);
    expect(third.count).toBe(100);
    expect(claim(third)).toBe(0);
  });

  it('counts in the store\'s budget, in place of the view before, and says when it does not fit', () => {
    const { view } = level();
    const size = viewBytes(view);
    expect(size).toBeGreaterThanOrEqual(view.offsets[view.count]! + 4 * (4 * view.count + 1));
    const store = make();
    store.intern(bytesOf(0), bytesOf(0).length, -1, 0);
    const before = store.memory();
    expect(store.holdBeside(size)).toBe(true);
    expect(store.holdBeside(size / 2)).toBe(true); // a smaller view gives memory back
    expect(store.full).toBeNull();
    expect(store.memory()).toEqual(before); // the store's own parts are unchanged
    const small = kind === 'exact' ? new StateStore(size) : new FingerprintStore(size);
    small.intern(bytesOf(0), bytesOf(0).length, -1, 0);
    expect(small.holdBeside(size)).toBe(false);
    expect(small.full?.cause).toBe('budget');
    expect(small.holdBeside(1000)).toBe(true);
  });

  it('grows its bytes for states longer than it planned for, and copies every length exactly', () => {
    // 48 bytes a state are planned; these have 45 to 300 (every remainder of 4), from several chunks.
    const long = (i: number) => {
      const b = Buffer.from(Array.from({ length: 45 + ((i * 37) % 256) }, (_, k) => (i * 13 + k * 7) & 0xff));
      b.writeUInt32LE(i, 0);
      return b;
    };
    const store = make();
    const n = 2000;
    for (let i = 0; i < n; i++) store.intern(long(i), long(i).length, -1, i);
    const ids = Int32Array.from({ length: n }, (_, k) => k);
    const view = buildView(store, 0, 0, 0, ids, ids, ids);
    const buf = Buffer.from(view.bytes.buffer, view.bytes.byteOffset, view.bytes.byteLength);
    expect(view.bytes.byteLength).toBeGreaterThan(n * 48);
    for (let k = 0; k < n; k++) {
      const b = stateBytes(view, buf, k);
      expect(buf.subarray(b.start, b.end).equals(long(k))).toBe(true);
    }
  });

  it('is empty for an empty level', () => {
    const store = make();
    const view = buildView(store, 0, 3, 0, new Int32Array(0), new Int32Array(0), new Int32Array(0));
    expect(view.count).toBe(0);
    expect(claim(view)).toBe(-1);
  });
});

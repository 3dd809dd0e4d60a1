/**
 * The 64-bit fingerprint: lane A is MurmurHash3 (checked against its published values), lane B a
 * different function, and together they tell apart every input of a large structured family, including
 * inputs on which one 32-bit lane alone collides.
 */
import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { Codec } from '../../src/engine/codec.js';
import { fingerprint, murmur3 } from '../../src/engine/fingerprint.js';
import { hashBytes } from '../../src/engine/stateStore.js';

function fp(bytes: Uint8Array, start = 0, end = bytes.length): [number, number] {
  const out = new Int32Array(2);
  fingerprint(bytes, start, end, out);
  return [out[0]!, out[1]!];
}

const key = (lanes: readonly number[]) => `${lanes[0]}:${lanes[1]}`;

describe('fingerprint', () => {
  it('computes lane A as MurmurHash3 x86 32-bit with seed 0', () => {
    const cases: [string, number][] = [
      ['', 0],
      ['hello', 0x248bfa47],
      ['The quick brown fox jumps over the lazy dog', 0x2e4ff723],
    ];
    for (const [text, murmur] of cases) expect(fp(Buffer.from(text))[0] >>> 0).toBe(murmur);
  });

  it('computes lane A alone as murmur3 (the exact store\'s hash), on any range of the bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => Math.imul(i, 0x9e3779b1) >>> 24));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end < 300; end += 7) expect(murmur3(bytes, start, end)).toBe(fp(bytes, start, end)[0]);
    }
    expect(hashBytes).toBe(murmur3);
    expect(murmur3(Buffer.from('hello'), 0, 5) >>> 0).toBe(0x248bfa47);
  });

  it('reads only bytes[start .. end)', () => {
    const inner = Buffer.from([7, 1, 2, 3, 4, 5, 9]);
    expect(fp(inner, 1, 6)).toEqual(fp(Buffer.from([1, 2, 3, 4, 5])));
  });

  it('tells apart inputs that differ only by trailing zero bytes', () => {
    const seen = new Set<string>();
    for (let n = 0; n <= 12; n++) seen.add(key(fp(new Uint8Array(n))));
    expect(seen.size).toBe(13);
  });

  it('gives 266,305 distinct fingerprints to every input of 0 to 3 bytes below 64, and lanes that do not agree', () => {
    const seen = new Set<string>();
    let total = 0;
    let lanesEqual = 0;
    const visit = (bytes: number[]) => {
      const lanes = fp(Uint8Array.from(bytes));
      seen.add(key(lanes));
      if (lanes[0] === lanes[1]) lanesEqual++;
      total++;
    };
    visit([]);
    for (let a = 0; a < 64; a++) {
      visit([a]);
      for (let b = 0; b < 64; b++) {
        visit([a, b]);
        for (let c = 0; c < 64; c++) visit([a, b, c]);
      }
    }
    expect(total).toBe(1 + 64 + 64 ** 2 + 64 ** 3);
    expect(seen.size).toBe(total);
    expect(lanesEqual).toBe(0);
  });

  it('keeps apart inputs on which one lane collides: the lanes are independent', () => {
    // 8-byte inputs: n = 200,000 random 32-bit values collide about n²/2^33 ≈ 4.7 times per lane.
    const n = 200_000;
    const byA = new Map<number, number>();
    const byB = new Map<number, number>();
    let pairs = 0;
    const b = Buffer.alloc(8);
    for (let i = 0; i < n; i++) {
      b.writeUInt32LE(Math.imul(i, 0x9e3779b1) >>> 0, 0);
      b.writeUInt32LE(Math.imul(i ^ 0x5bd1e995, 0x85ebca6b) >>> 0, 4);
      const [la, lb] = fp(b);
      const sameA = byA.get(la);
      const sameB = byB.get(lb);
      if (sameA !== undefined) (pairs++, expect(sameA).not.toBe(lb));
      if (sameB !== undefined) (pairs++, expect(sameB).not.toBe(la));
      byA.set(la, lb);
      byB.set(lb, la);
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('keeps apart two states whose 32-bit bucket hash collides', () => {
    const codec = new Codec();
    // If the encoding or the hash changes, search for a new pair: List([a, b]) for small a, b finds one.
    const [x, y] = [List([5, 11232]), List([6, 8818])].map((s) => Buffer.from(codec.buf.subarray(0, codec.encode(s))));
    expect(hashBytes(x!, 0, x!.length)).toBe(hashBytes(y!, 0, y!.length));
    expect(key(fp(x!))).not.toBe(key(fp(y!)));
  });
});

/**
 * 64-bit fingerprints of canonical state bytes, as two independent 32-bit lanes computed in one pass over
 * the bytes' 32-bit little-endian words: lane A is MurmurHash3 (x86, 32-bit, seed 0), lane B runs
 * xxHash32's word and byte steps and its final avalanche with another seed. Two different hash functions
 * rather than one function with two seeds, so that the inputs on which one lane collides are unrelated to
 * those on which the other does; a pair of states is merged only when both lanes agree.
 *
 * Why not BigInt (a 64-bit polynomial hash): three times slower in this engine (shared/PERFORMANCE.md §3).
 * Why not Immutable's `hashCode()`: 32 bits at most, so ~n²/2^33 merged pairs, and slow on Records.
 *
 * Lane A is also well mixed in its low bits, so the fingerprint table takes its bucket from it.
 */

const M1 = 0xcc9e2d51;
const M2 = 0x1b873593;
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;
/** Lane B's seed: any value other than lane A's 0 keeps an all-zero input from giving related lanes. */
const SEED_B = 0x2545f491;

/** Fingerprints `bytes[start .. end)` into `out[0]` (lane A) and `out[1]` (lane B). */
export function fingerprint(bytes: Uint8Array, start: number, end: number, out: Int32Array): void {
  const len = end - start;
  let a = 0;
  let b = (SEED_B + P5 + len) | 0;
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    const w = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    let k = Math.imul(w, M1);
    k = Math.imul((k << 15) | (k >>> 17), M2);
    a ^= k;
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b = (b + Math.imul(w, P3)) | 0;
    b = Math.imul((b << 17) | (b >>> 15), P4);
  }
  let tail = 0;
  for (let shift = 0; i < end; i++, shift += 8) {
    const byte = bytes[i]!;
    tail |= byte << shift;
    b = (b + Math.imul(byte, P5)) | 0;
    b = Math.imul((b << 11) | (b >>> 21), P1);
  }
  if ((len & 3) !== 0) {
    let k = Math.imul(tail, M1);
    k = Math.imul((k << 15) | (k >>> 17), M2);
    a ^= k;
  }
  a ^= len;
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 15;
  b = Math.imul(b, P2);
  b ^= b >>> 13;
  b = Math.imul(b, P3);
  b ^= b >>> 16;
  out[0] = a;
  out[1] = b;
}

/**
 * MurmurHash3 (x86, 32-bit, seed 0) of `bytes[start .. end)`: lane A of `fingerprint` alone, which the
 * exact store hashes with (stateStore.ts). `fingerprint` computes it fused with lane B, in the same pass.
 */
export function murmur3(bytes: Uint8Array, start: number, end: number): number {
  const stop = start + ((end - start) & ~3);
  return finish(blocks(0, bytes, start, stop), bytes, stop, end, end - start);
}

/**
 * `murmur3` of `bytes[start .. end)`, and in `lead[0]` `murmur3` of its first `n` bytes, in one pass
 * over them: the parallel explorer files a state under the first and routes it by the second
 * (parallel/route.ts). `n` is a multiple of 4 below `end - start`, so that the leading bytes are whole
 * blocks of the full hash.
 */
export function murmur3Lead(bytes: Uint8Array, start: number, end: number, n: number, lead: Int32Array): number {
  const h = blocks(0, bytes, start, start + n);
  lead[0] = fmix(h ^ n);
  const stop = start + ((end - start) & ~3);
  return finish(blocks(h, bytes, start + n, stop), bytes, stop, end, end - start);
}

/** murmur3's state `h` carried through the 4-byte blocks of `bytes[i .. stop)`. */
function blocks(h: number, bytes: Uint8Array, i: number, stop: number): number {
  for (; i < stop; i += 4) {
    const k = Math.imul(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24), M1);
    h ^= Math.imul((k << 15) | (k >>> 17), M2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return h;
}

/** murmur3's end: the last 1 to 3 bytes `bytes[i .. end)`, if any, then the finalizer over `len` bytes in all. */
function finish(h: number, bytes: Uint8Array, i: number, end: number, len: number): number {
  if (i < end) {
    let tail = 0;
    for (let shift = 0; i < end; i++, shift += 8) tail |= bytes[i]! << shift;
    const k = Math.imul(tail, M1);
    h ^= Math.imul((k << 15) | (k >>> 17), M2);
  }
  return fmix(h ^ len);
}

/** murmur3's finalizer. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

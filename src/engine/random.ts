/**
 * The simulator's randomness: a small seeded generator of our own, never `Math.random`, so that a seed
 * names exactly one sequence of choices on every machine and Node version.
 *
 * Each walk gets its own 32-bit seed. The generator is xoshiro128** (Blackman and Vigna), its four words
 * filled from the seed by splitmix32, so that nearby seeds (1, 2, 3) still give unrelated walks. The
 * seeds of successive walks form a chain, `seed(i + 1) = nextSeed(seed(i))` with `seed(0)` the one the
 * user gave: so `--seed <seed of walk i> --runs 1` makes walk i again as its first walk.
 */

/** splitmix32's step: the golden-ratio increment, then a bijective finaliser. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** The seed of the walk after the one seeded with `seed`: a bijection of 32-bit numbers, so chains do not merge. */
export function nextSeed(seed: number): number {
  return splitmix32(seed >>> 0);
}

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Four splitmix32 outputs from consecutive states: never all zero (splitmix32 is a bijection, and
    // consecutive inputs differ), which is the one state xoshiro cannot leave.
    let s = seed >>> 0;
    this.a = splitmix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.b = splitmix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.c = splitmix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.d = splitmix32(s);
  }

  /** The next unsigned 32-bit output (xoshiro128**). */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform integer in `0 .. n-1` (n ≥ 1); the bias of scaling a 32-bit draw is below n / 2^32. */
  below(n: number): number {
    return Math.floor((this.next() / 0x100000000) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The successors of one expanded state, held back from the store until they are all known, so that the
 * store can fetch what their lookups will read at once (`SeenStore.prefetch`) before any lookup waits
 * on it. Most lookups find a state already there, in a table and records far larger than the caches:
 * one at a time, each waits about 0.5 µs for two misses in a row on this machine; a batch's misses
 * overlap (BENCHMARKS.md, fifth session).
 *
 * The batch keeps each successor's bytes and route hash; what else a caller needs per successor it keeps
 * in its own arrays, by the index `add` or `written` returns. The bytes are either copied in (`add`) or
 * written in place by the encoder, one after another in its own buffer (`written`), which saves the copy;
 * one batch is filled one way only. A batch holds at most `CAPACITY` successors: the caller interns them
 * when it is full and goes on.
 */
import type { SeenStore } from './store.js';

export class SuccessorBatch {
  static readonly CAPACITY = 64;
  /** The successors' bytes: successor i is `bytes[at[i] .. at[i] + len[i])`. */
  bytes: Buffer = Buffer.allocUnsafe(1 << 14);
  readonly at = new Int32Array(SuccessorBatch.CAPACITY);
  readonly len = new Int32Array(SuccessorBatch.CAPACITY);
  readonly hash = new Int32Array(SuccessorBatch.CAPACITY);
  count = 0;
  private used = 0;
  /** What the prefetches read, kept so that they are not optimised away. */
  private sink = 0;

  get full(): boolean {
    return this.count === SuccessorBatch.CAPACITY;
  }

  /** Where the next successor's bytes go: the `at` of `StateEncoder.encodeAt` for `written`. */
  get end(): number {
    return this.used;
  }

  /**
   * Adds the successor an encoder has just written at `buf[at .. at + len)`, where `buf` is the
   * encoder's buffer and `at` was `end` when it began (`StateEncoder.encodeAt`), so that `buf` starts with
   * this batch's earlier successors; returns its index. `at` may be beyond `end` when the batch was
   * cleared in between. The encoder must not write below `at + len` until the batch is cleared.
   */
  written(buf: Buffer, at: number, len: number, hash: number): number {
    const i = this.count++;
    this.bytes = buf;
    this.at[i] = at;
    this.len[i] = len;
    this.hash[i] = hash;
    this.used = at + len;
    return i;
  }

  /** Adds the successor whose bytes are `src[0 .. len)`, copying them; returns its index. */
  add(src: Buffer, len: number, hash: number): number {
    if (this.used + len > this.bytes.length) this.grow(len);
    const i = this.count++;
    const bytes = this.bytes;
    const at = this.used;
    // By hand: Buffer's copy costs more than these few dozen bytes.
    for (let k = 0; k < len; k++) bytes[at + k] = src[k]!;
    this.at[i] = at;
    this.len[i] = len;
    this.hash[i] = hash;
    this.used = at + len;
    return i;
  }

  /** Asks `store` to fetch what the lookups of every successor held will read. */
  prefetch(store: SeenStore): void {
    this.sink ^= store.prefetch(this.hash, this.count);
  }

  clear(): void {
    this.count = 0;
    this.used = 0;
  }

  private grow(len: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + len));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

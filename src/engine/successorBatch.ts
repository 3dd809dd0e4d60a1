/**
 * The successors of one expanded state, held back from the store until they are all known, so that the
 * store can fetch what their lookups will read at once (`SeenStore.prefetch`) before any lookup waits
 * on it. Most lookups find a state already there, in a table and records far larger than the caches:
 * one at a time, each waits about 0.5 µs for two misses in a row on this machine; a batch's misses
 * overlap (BENCHMARKS.md, fifth session).
 *
 * The batch keeps where each successor's bytes are and its route hash; what else a caller needs per
 * successor it keeps in its own arrays, by the index `written` returns. The bytes are not copied: the
 * encoder writes each successor behind the ones held, in its own buffer (`StateEncoder.encodeAt`), and
 * the batch adopts that buffer. A batch holds at most `CAPACITY` successors: the caller interns them when
 * it is full and goes on.
 */
import type { SeenStore } from './store.js';

export class SuccessorBatch {
  static readonly CAPACITY = 64;
  /** The successors' bytes (the encoder's buffer): successor i is `bytes[at[i] .. at[i] + len[i])`. */
  bytes: Buffer = Buffer.alloc(0);
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

  /** Asks `store` to fetch what the lookups of every successor held will read. */
  prefetch(store: SeenStore): void {
    this.sink ^= store.prefetch(this.hash, this.count);
  }

  clear(): void {
    this.count = 0;
    this.used = 0;
  }
}

/**
 * The fingerprint store's breadth-first frontier: the canonical bytes of the states still to expand,
 * packed one after another (a 2-byte length, then the bytes) in a queue of fixed-size chunks. States are
 * appended in discovery order and read back in the same order, which is the order the explorer expands
 * them in; a chunk is released as soon as the reader has passed its last state. So the frontier holds
 * at most the rest of the current BFS level plus the part of the next level found so far (TLC's queue of
 * full states, packed, and freed per chunk rather than per level).
 *
 * One emptied chunk is kept for reuse, which spares an allocation per chunk in the steady state.
 */
import type { MemoryBudget } from './memoryBudget.js';
import type { StateBytes } from './store.js';

/** Bytes per chunk: small enough to free the expanded part of a level early and to fit a tiny budget. */
export const FRONTIER_CHUNK = 1 << 16;
/** The largest state a record holds: its length is 2 bytes. */
export const MAX_RECORD = 0xffff;

export class Frontier {
  private readonly chunks: Buffer[] = [];
  /** Bytes written to each chunk of `chunks`. */
  private readonly used: number[] = [];
  /** Where the next record starts in the first chunk. */
  private readPos = 0;
  private spare: Buffer | null = null;
  /** Bytes of the chunks held, the spare included. */
  bytes = 0;
  peakBytes = 0;
  /** Records appended and not yet read. */
  count = 0;

  constructor(private readonly budget: MemoryBudget) {}

  /** The bytes a new chunk would take to append a record of `len` bytes now (0 when none is needed). */
  growthFor(len: number): number {
    const last = this.chunks.length - 1;
    if (last >= 0 && this.used[last]! + 2 + len <= this.chunks[last]!.length) return 0;
    if (this.spare !== null && this.spare.length >= 2 + len) return 0;
    return Math.max(FRONTIER_CHUNK, 2 + len);
  }

  /** Appends `bytes[0 .. len)`; false when a needed chunk could not be allocated (nothing was appended). */
  push(bytes: Buffer, len: number, from = 0): boolean {
    let last = this.chunks.length - 1;
    if (last < 0 || this.used[last]! + 2 + len > this.chunks[last]!.length) {
      if (!this.addChunk(len)) return false;
      last++;
    }
    const tail = this.chunks[last]!;
    const at = this.used[last]!;
    tail[at] = len & 0xff;
    tail[at + 1] = len >>> 8;
    bytes.copy(tail, at + 2, from, from + len);
    this.used[last] = at + 2 + len;
    this.count++;
    return true;
  }

  /** Removes the oldest record and returns its bytes; the view is valid until the next `shift`. */
  shift(): StateBytes {
    if (this.count === 0) throw new Error('the frontier is empty');
    // The previous record was the last of the first chunk: the explorer has expanded it, so free it.
    while (this.readPos >= this.used[0]!) this.dropHead();
    const head = this.chunks[0]!;
    const start = this.readPos + 2;
    const end = start + (head[this.readPos]! | (head[this.readPos + 1]! << 8));
    this.readPos = end;
    this.count--;
    return { buf: head, start, end };
  }

  private addChunk(len: number): boolean {
    let chunk: Buffer | undefined;
    if (this.spare !== null && this.spare.length >= 2 + len) {
      chunk = this.spare;
      this.spare = null;
    } else {
      const size = Math.max(FRONTIER_CHUNK, 2 + len);
      chunk = this.budget.allocate(size, () => Buffer.allocUnsafe(size));
      if (chunk === undefined) return false;
      this.bytes += size;
      this.peakBytes = Math.max(this.peakBytes, this.bytes);
    }
    this.chunks.push(chunk);
    this.used.push(0);
    return true;
  }

  /** Drops the first chunk, all read: kept as the spare if there is none, else given back. */
  private dropHead(): void {
    const head = this.chunks.shift()!;
    this.used.shift();
    this.readPos = 0;
    if (this.spare === null) this.spare = head;
    else {
      this.budget.release(head.length);
      this.bytes -= head.length;
    }
  }
}

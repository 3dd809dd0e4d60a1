/**
 * The exact seen-state store: every distinct state's canonical bytes, kept once, with the edge that first
 * reached it.
 *
 * Why exact and not fingerprints: the kernel models here have at most a few million states, and an exact
 * store can never merge two different states, so no collision estimate is needed. It is still compact:
 * the bytes live in append-only chunks (no per-state object), an open-addressing `Int32Array` table indexes
 * them by a 32-bit hash that only chooses the bucket (equality is a byte comparison), and parent and edge
 * are typed arrays. Ids are dense and in discovery order, so the store is also the breadth-first queue:
 * the engine expands ids 0, 1, 2, … in turn (the "arena = queue" layout of shared/PERFORMANCE.md §2.2).
 *
 * Cost per state: its bytes, plus 4 (offset) + 2 (length) + 4 (parent) + 4 (edge) + 1 (flags)
 * bytes, grown by half when full, plus
 * 16-32 bytes of table (id and hash per slot) at a load factor between 1/4 and 1/2.
 */

import { SpecError } from '../errors.js';

const CHUNK = 1 << 22;
const NO_PARENT = -1;

export class StateStore {
  size = 0;
  private chunks: Buffer[] = [Buffer.allocUnsafe(CHUNK)];
  private chunkUsed = 0;
  /** Global byte position of state i: chunk index * CHUNK + offset; its length is in `lengths`. */
  private offsets = new Int32Array(1 << 12);
  private lengths = new Uint16Array(1 << 12);
  private parents = new Int32Array(1 << 12);
  private edges = new Int32Array(1 << 12);
  /** Per-state bits for the engine (outside the state constraint). */
  flags = new Uint8Array(1 << 12);
  /**
   * Open addressing, two words a slot: id + 1 (0 is empty) and the state's hash, side by side so that a
   * probe touches one cache line; the state's bytes are read only when the hashes agree.
   */
  private table = new Int32Array(2 << 13);
  private mask = (1 << 13) - 1;

  /**
   * Adds the state whose bytes are `bytes[0 .. len)` unless present. Returns its id; `fresh` tells which.
   * `edge` is the engine's code for the transition that reached it (the initial state's index for roots).
   */
  intern(bytes: Buffer, len: number, parent: number, edge: number): number {
    const h = hashBytes(bytes, 0, len);
    const table = this.table;
    let slot = h & this.mask;
    for (;;) {
      const entry = table[2 * slot]!;
      if (entry === 0) break;
      if (table[2 * slot + 1] === h && this.equals(entry - 1, bytes, len)) {
        this.lastFresh = false;
        return entry - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.append(bytes, len, parent, edge);
    table[2 * slot] = id + 1;
    table[2 * slot + 1] = h;
    if (this.size * 2 > this.mask + 1) this.rehash();
    this.lastFresh = true;
    return id;
  }

  /** Whether the last `intern` added a new state. */
  lastFresh = false;

  parent(id: number): number {
    return this.parents[id]!;
  }

  edge(id: number): number {
    return this.edges[id]!;
  }

  isRoot(id: number): boolean {
    return this.parents[id] === NO_PARENT;
  }

  /** The chunk and range holding state `id`'s bytes. */
  bytesOf(id: number): { readonly buf: Buffer; readonly start: number; readonly end: number } {
    const off = this.offsets[id]!;
    const start = off % CHUNK;
    return { buf: this.chunks[(off - start) / CHUNK]!, start, end: start + this.lengths[id]! };
  }

  /** Bytes held, for reports: the states' own bytes plus the per-state arrays and the table. */
  memoryBytes(): number {
    const perState = this.offsets.length * (4 + 2 + 4 + 4 + 1);
    return this.chunks.length * CHUNK + perState + this.table.byteLength;
  }

  private equals(id: number, bytes: Buffer, len: number): boolean {
    if (this.lengths[id] !== len) return false;
    const off = this.offsets[id]!;
    const start = off % CHUNK;
    const chunk = this.chunks[(off - start) / CHUNK]!;
    for (let i = 0; i < len; i++) if (chunk[start + i] !== bytes[i]) return false;
    return true;
  }

  private append(bytes: Buffer, len: number, parent: number, edge: number): number {
    if (len > 0xffff) {
      throw new SpecError(`a state encodes to ${len} bytes; kmc stores states of at most 65535 bytes (keep collections small)`);
    }
    if (this.chunkUsed + len > CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(CHUNK));
      this.chunkUsed = 0;
    }
    const c = this.chunks.length - 1;
    bytes.copy(this.chunks[c]!, this.chunkUsed, 0, len);
    const id = this.size++;
    if (id === this.offsets.length) this.growArrays();
    const global = c * CHUNK + this.chunkUsed;
    if (global > 0x7fffffff) throw new Error('the state store is full (2 GiB of state bytes)');
    this.offsets[id] = global;
    this.lengths[id] = len;
    this.parents[id] = parent;
    this.edges[id] = edge;
    this.chunkUsed += len;
    return id;
  }

  /** Grows the per-state arrays by half: doubling would leave up to half of ~15 bytes a state unused. */
  private growArrays(): void {
    const n = Math.ceil(this.offsets.length * 1.5);
    this.offsets = grown(this.offsets, new Int32Array(n));
    this.lengths = grown(this.lengths, new Uint16Array(n));
    this.parents = grown(this.parents, new Int32Array(n));
    this.edges = grown(this.edges, new Int32Array(n));
    this.flags = grown(this.flags, new Uint8Array(n));
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length / 2 - 1;
    const old = this.table;
    for (let i = 0; i < old.length; i += 2) {
      const entry = old[i]!;
      if (entry === 0) continue;
      const h = old[i + 1]!;
      let slot = h & mask;
      while (table[2 * slot] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = entry;
      table[2 * slot + 1] = h;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grown<T extends Int32Array | Uint16Array | Uint8Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** 32-bit FNV-1a over the bytes with a murmur3 finaliser: picks the bucket, never decides equality. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

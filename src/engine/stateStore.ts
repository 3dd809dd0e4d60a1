/**
 * The exact seen-state store: every distinct state's canonical bytes, kept once, with the edge that first
 * reached it.
 *
 * Why exact: the kernel models here have at most a few million states, and an exact store can never
 * merge two different states, so no collision estimate is needed (the fingerprint store,
 * `fingerprintStore.ts`, is for models too large for this one). It is still compact:
 * the bytes live in append-only chunks (no per-state object), an open-addressing `Int32Array` table indexes
 * them by a 32-bit hash that only chooses the bucket (equality is a byte comparison), and parent and edge
 * are typed arrays. Ids are dense and in discovery order, so the store is also the breadth-first queue:
 * the engine expands ids 0, 1, 2, … in turn (the "arena = queue" layout of shared/PERFORMANCE.md §2.2).
 *
 * Cost per state: its bytes, plus 4 (offset) + 2 (length) + 4 (parent) + 4 (edge) + 1 (flags) bytes,
 * grown by half when full, plus 16-32 bytes of table (id and hash per slot) at a load factor between 1/4
 * and 1/2.
 *
 * Every growth is asked of the memory budget first (`memoryBudget.ts`); when it does not fit, `intern`
 * returns `FULL` and adds nothing.
 */
import { MemoryBudget } from './memoryBudget.js';
import { FULL, MAX_STATE_BYTES, type SeenStore, type StateBytes, stateTooLarge } from './store.js';
import type { StoreFull, StoreMemory } from './types.js';

/**
 * Chunk c holds state bytes from global position c * CHUNK; the first chunks are smaller (64 KiB,
 * doubling up to CHUNK) so that a small model or a small budget does not pay for 4 MiB at once.
 */
const CHUNK = 1 << 22;
const FIRST_CHUNK = 1 << 16;
/** Global positions are int32: at most 512 chunks, 2 GiB of state bytes. */
const MAX_CHUNKS = 2 ** 31 / CHUNK;
const NO_PARENT = -1;
const OUTSIDE = 1;
/** Bytes per state in the per-state arrays: offset, length, parent, edge, flags. */
const PER_STATE = 4 + 2 + 4 + 4 + 1;
/** Capacity of the per-state arrays when the first state comes; they grow by half from there. */
const FIRST_STATES = 1 << 12;

export class StateStore implements SeenStore {
  readonly kind = 'exact';
  size = 0;
  private readonly budget: MemoryBudget;
  private chunks: Buffer[] = [];
  private chunkUsed = 0;
  // Everything is allocated through the budget as the states come, from a one-slot table on.
  /** Global byte position of state i: chunk index * CHUNK + offset; its length is in `lengths`. */
  private offsets = new Int32Array(0);
  private lengths = new Uint16Array(0);
  private parents = new Int32Array(0);
  private edges = new Int32Array(0);
  /** Per-state bits for the engine (outside the state constraint). */
  private flags = new Uint8Array(0);
  /**
   * Open addressing, two words a slot: id + 1 (0 is empty) and the state's hash, side by side so that a
   * probe touches one cache line and the state's bytes are read only when the hashes agree.
   */
  private table = new Int32Array(2);
  private mask = 0;

  /** @param budgetBytes what the store may hold at once (its chunks are also its queue) */
  constructor(budgetBytes = Infinity) {
    this.budget = new MemoryBudget(budgetBytes, 'the exact store');
    this.budget.held = this.table.byteLength;
  }

  get full(): StoreFull | null {
    return this.budget.full;
  }

  /**
   * Adds the state whose bytes are `bytes[0 .. len)` unless present. Returns its id (`fresh` tells
   * which), or `FULL` when a new state does not fit the budget. `edge` is the engine's code for the
   * transition that reached it (the initial state's index for roots).
   */
  intern(bytes: Buffer, len: number, parent: number, edge: number): number {
    return this.internAt(bytes, 0, len, hashBytes(bytes, 0, len), parent, edge);
  }

  /** The hash the table files a state under. */
  routeHash(bytes: Uint8Array, at: number, len: number): number {
    return hashBytes(bytes, at, at + len);
  }

  internAt(bytes: Buffer, at: number, len: number, h: number, parent: number, edge: number): number {
    const table = this.table;
    let slot = h & this.mask;
    for (;;) {
      const entry = table[2 * slot]!;
      if (entry === 0) break;
      if (table[2 * slot + 1] === h && this.equals(entry - 1, bytes, at, len)) {
        this.lastFresh = false;
        return entry - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    if (len > MAX_STATE_BYTES) throw stateTooLarge(len);
    const grew = this.makeRoom(len);
    if (grew === undefined) return FULL;
    if (grew) slot = this.emptySlot(h);
    const id = this.append(bytes, at, len, parent, edge);
    this.table[2 * slot] = id + 1;
    this.table[2 * slot + 1] = h;
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

  reparent(id: number, parent: number, edge: number): void {
    this.parents[id] = parent;
    this.edges[id] = edge;
  }

  isRoot(id: number): boolean {
    return this.parents[id] === NO_PARENT;
  }

  /** The chunk and range holding state `id`'s bytes. */
  bytesOf(id: number): StateBytes {
    const off = this.offsets[id]!;
    const start = off % CHUNK;
    return { buf: this.chunks[(off - start) / CHUNK]!, start, end: start + this.lengths[id]! };
  }

  /** Any state's bytes, in any order: the exact store is its own queue. */
  frontierBytes(id: number): StateBytes {
    return this.bytesOf(id);
  }

  matches(id: number, bytes: Buffer, len: number): boolean {
    return this.equals(id, bytes, 0, len);
  }

  markOutside(id: number): void {
    this.flags[id]! |= OUTSIDE;
  }

  isOutside(id: number): boolean {
    return (this.flags[id]! & OUTSIDE) !== 0;
  }

  /** Bytes held, by part: the states' own bytes, the per-state arrays and the table. */
  memory(): StoreMemory {
    let states = 0;
    for (const c of this.chunks) states += c.length;
    return { table: this.table.byteLength, perState: this.offsets.length * PER_STATE, states, frontier: 0 };
  }

  frontierPeakBytes(): number {
    return 0;
  }

  private equals(id: number, bytes: Buffer, at: number, len: number): boolean {
    if (this.lengths[id] !== len) return false;
    const off = this.offsets[id]!;
    const start = off % CHUNK;
    const chunk = this.chunks[(off - start) / CHUNK]!;
    for (let i = 0; i < len; i++) if (chunk[start + i] !== bytes[at + i]) return false;
    return true;
  }

  /**
   * Grows what one more state of `len` bytes needs (a chunk, the per-state arrays, a table kept at most
   * half full), asking the budget for all of it first. Returns whether the table was rebuilt, or
   * undefined when the growth does not fit or the system refused it; what did grow before a refusal
   * stays, consistent and unused.
   */
  private makeRoom(len: number): boolean | undefined {
    const last = this.chunks.length - 1;
    const newChunk = last < 0 || this.chunkUsed + len > this.chunks[last]!.length;
    const chunkSize = Math.min(CHUNK, FIRST_CHUNK * 2 ** this.chunks.length);
    const newArrays = this.size === this.offsets.length;
    const newTable = (this.size + 1) * 2 > this.table.length / 2;
    if (newChunk && this.chunks.length === MAX_CHUNKS) {
      this.budget.atCapacity('the exact store holds its maximum of 2 GiB of state bytes');
      return undefined;
    }
    const arraysBytes = this.grownLength() * PER_STATE;
    const extra = (newChunk ? chunkSize : 0) + (newArrays ? arraysBytes : 0) + (newTable ? this.table.byteLength * 2 : 0);
    if (!this.budget.fits(extra)) return undefined;
    if (newChunk) {
      const chunk = this.budget.allocate(chunkSize, () => Buffer.allocUnsafe(chunkSize));
      if (chunk === undefined) return undefined;
      this.chunks.push(chunk);
      this.chunkUsed = 0;
    }
    if (newArrays && !this.growArrays()) return undefined;
    if (newTable && !this.rehash()) return undefined;
    return newTable;
  }

  private append(bytes: Buffer, at: number, len: number, parent: number, edge: number): number {
    const c = this.chunks.length - 1;
    bytes.copy(this.chunks[c]!, this.chunkUsed, at, at + len);
    const id = this.size++;
    this.offsets[id] = c * CHUNK + this.chunkUsed;
    this.lengths[id] = len;
    this.parents[id] = parent;
    this.edges[id] = edge;
    this.chunkUsed += len;
    return id;
  }

  /** Grows the per-state arrays by half: doubling would leave up to half of ~15 bytes a state unused. */
  private growArrays(): boolean {
    const n = this.grownLength();
    const made = this.budget.allocate(n * PER_STATE, () => ({
      offsets: new Int32Array(n),
      lengths: new Uint16Array(n),
      parents: new Int32Array(n),
      edges: new Int32Array(n),
      flags: new Uint8Array(n),
    }));
    if (made === undefined) return false;
    this.budget.release(this.offsets.length * PER_STATE);
    this.offsets = grown(this.offsets, made.offsets);
    this.lengths = grown(this.lengths, made.lengths);
    this.parents = grown(this.parents, made.parents);
    this.edges = grown(this.edges, made.edges);
    this.flags = grown(this.flags, made.flags);
    return true;
  }

  private grownLength(): number {
    return Math.max(FIRST_STATES, Math.ceil(this.offsets.length * 1.5));
  }

  /** Doubles the table; the old one is given back to the budget once the new one holds every id. */
  private rehash(): boolean {
    const length = this.table.length * 2;
    const table = this.budget.allocate(length * 4, () => new Int32Array(length));
    if (table === undefined) return false;
    const old = this.table;
    this.table = table;
    this.mask = length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const slot = this.emptySlot(old[i + 1]!);
      table[2 * slot] = old[i]!;
      table[2 * slot + 1] = old[i + 1]!;
    }
    this.budget.release(old.byteLength);
    return true;
  }

  private emptySlot(h: number): number {
    let slot = h & this.mask;
    while (this.table[2 * slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
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

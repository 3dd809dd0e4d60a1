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
 * Most lookups find a state already there (7 in 8 on the benchmark), and at millions of states each
 * random memory access costs a cache and a TLB miss: so a table slot holds the position of the state's
 * record in the chunks, and the record starts with the state's id and length, and a lookup that finds
 * its state touches two places, the slot and the record (an id in the slot would add the per-state
 * position and length arrays: four).
 *
 *   record: id (int32) | length (uint16) | bytes
 *
 * Cost per state: its bytes and 6 bytes of record header, plus 4 (position) + 4 (parent) + 4 (edge) +
 * 1 (flags) bytes, grown by half when full, plus 16-32 bytes of table (position and hash per slot) at a
 * load factor between 1/4 and 1/2.
 *
 * Every growth is asked of the memory budget first (`memoryBudget.ts`); when it does not fit, `intern`
 * returns `FULL` and adds nothing.
 */
import { MemoryBudget } from './memoryBudget.js';
import { FULL, MAX_STATE_BYTES, type SeenStore, type StateBytes, stateTooLarge, zeroedTable } from './store.js';
import type { StoreFull, StoreMemory } from './types.js';
import { murmur3 } from './fingerprint.js';

/**
 * The exact store's hash of a state's bytes: picks the bucket and, in a parallel run, the owner; never
 * decides equality. MurmurHash3, four bytes a step: a byte-at-a-time hash (FNV-1a, before) waits on a
 * multiplication per byte, and hashing was about 1.5% of the bench's samples.
 */
export const hashBytes = murmur3;

/** States up to this many bytes are copied into the chunks byte by byte (see `append`). */
const SMALL_COPY = 256;

/**
 * Chunk c holds state bytes from global position c * CHUNK; the first chunks are smaller (64 KiB,
 * doubling up to CHUNK) so that a small model or a small budget does not pay for 4 MiB at once.
 */
const CHUNK = 1 << 22;
const FIRST_CHUNK = 1 << 16;
/** Global positions are int32, and a table slot holds one plus a position: at most 511 chunks, 2 GiB of state bytes. */
const MAX_CHUNKS = 2 ** 31 / CHUNK - 1;
/** A record's header: the state's id and length. */
const RECORD = 6;
const NO_PARENT = -1;
const OUTSIDE = 1;
/** Bytes per state in the per-state arrays: position, parent, edge, flags. */
const PER_STATE = 4 + 4 + 4 + 1;
/** Capacity of the per-state arrays when the first state comes; they grow by half from there. */
const FIRST_STATES = 1 << 12;

export class StateStore implements SeenStore {
  readonly kind = 'exact';
  size = 0;
  private readonly budget: MemoryBudget;
  private chunks: Buffer[] = [];
  /** A DataView of each chunk, to compare four bytes at a time (`recordId`). */
  private views: DataView[] = [];
  private chunkUsed = 0;
  /** The buffers the last two lookups' bytes were in, and a DataView of each (`viewOf`). */
  private looked: Uint8Array | null = null;
  private lookedView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private lookedBefore: Uint8Array | null = null;
  private lookedBeforeView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // Everything is allocated through the budget as the states come, from a one-slot table on.
  /** Global byte position of state i's record: chunk index * CHUNK + offset. */
  private offsets = new Int32Array(0);
  private parents = new Int32Array(0);
  private edges = new Int32Array(0);
  /** Per-state bits for the engine (outside the state constraint). */
  private flags = new Uint8Array(0);
  /**
   * Open addressing, two words a slot: the global position of the state's record + 1 (0 is empty) and
   * the state's hash, side by side so that a probe touches one cache line and the record is read only
   * when the hashes agree.
   */
  private table = new Int32Array(2);
  private mask = 0;

  /**
   * @param budgetBytes what the store may hold at once (its chunks are also its queue)
   * @param pool what every store sharing that budget holds (memoryBudget.ts), or null
   */
  constructor(budgetBytes = Infinity, pool: BigInt64Array | null = null) {
    this.budget = new MemoryBudget(budgetBytes, 'the exact store', pool);
    this.budget.take(this.table.byteLength);
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

  /**
   * Touches the table slot of each hash, then the record that slot points to when its hash agrees: two
   * tight loops, so that each one's misses (a cache and a TLB miss each at millions of states, about
   * 0.2 µs on this machine) are in flight together. Most lookups find their state on its first slot.
   */
  prefetch(hashes: Int32Array, n: number): number {
    const table = this.table;
    const mask = this.mask;
    let seen = 0;
    for (let i = 0; i < n; i++) seen ^= table[2 * (hashes[i]! & mask)]!;
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      const slot = h & mask;
      const entry = table[2 * slot]!;
      if (entry === 0 || table[2 * slot + 1] !== h) continue;
      const start = (entry - 1) % CHUNK;
      seen ^= this.chunks[(entry - 1 - start) / CHUNK]![start]!;
    }
    return seen;
  }

  internAt(bytes: Buffer, at: number, len: number, h: number, parent: number, edge: number): number {
    const table = this.table;
    let slot = h & this.mask;
    for (;;) {
      const entry = table[2 * slot]!;
      if (entry === 0) break;
      if (table[2 * slot + 1] === h) {
        const id = this.recordId(entry - 1, bytes, at, len);
        if (id >= 0) {
          this.lastFresh = false;
          return id;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    if (len > MAX_STATE_BYTES) throw stateTooLarge(len);
    const grew = this.makeRoom(RECORD + len);
    if (grew === undefined) return FULL;
    if (grew) slot = this.emptySlot(h);
    const id = this.append(bytes, at, len, parent, edge);
    this.table[2 * slot] = this.offsets[id]! + 1;
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
    const chunk = this.chunks[(off - start) / CHUNK]!;
    const len = chunk[start + 4]! | (chunk[start + 5]! << 8);
    return { buf: chunk, start: start + RECORD, end: start + RECORD + len };
  }

  /** Any state's bytes, in any order: the exact store is its own queue. */
  frontierBytes(id: number): StateBytes {
    return this.bytesOf(id);
  }

  matches(id: number, bytes: Buffer, len: number): boolean {
    return this.recordId(this.offsets[id]!, bytes, 0, len) === id;
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

  holdBeside(bytes: number): boolean {
    return this.budget.holdBeside(bytes);
  }

  frontierPeakBytes(): number {
    return 0;
  }

  /** The id of the record at global position `pos` if it holds `bytes[at .. at + len)`, else -1. */
  private recordId(pos: number, bytes: Buffer, at: number, len: number): number {
    const start = pos % CHUNK;
    const c = (pos - start) / CHUNK;
    const chunk = this.chunks[c]!;
    if ((chunk[start + 4]! | (chunk[start + 5]! << 8)) !== len) return -1;
    const from = start + RECORD;
    // Four bytes a step through DataViews (unaligned loads): about 2.5x as fast as byte by byte, and most
    // lookups compare a whole state that is there.
    const view = this.views[c]!;
    const other = this.viewOf(bytes);
    let i = 0;
    for (const last = len - 3; i < last; i += 4) if (view.getInt32(from + i) !== other.getInt32(at + i)) return -1;
    for (; i < len; i++) if (chunk[from + i] !== bytes[at + i]) return -1;
    return chunk[start]! | (chunk[start + 1]! << 8) | (chunk[start + 2]! << 16) | (chunk[start + 3]! << 24);
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
    // At least the record: the largest, 6 + 65535 bytes, is larger than the first chunk.
    const chunkSize = Math.max(len, Math.min(CHUNK, FIRST_CHUNK * 2 ** this.chunks.length));
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
      this.views.push(new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.chunkUsed = 0;
    }
    if (newArrays && !this.growArrays()) return undefined;
    if (newTable && !this.rehash()) return undefined;
    return newTable;
  }

  private append(bytes: Buffer, at: number, len: number, parent: number, edge: number): number {
    const c = this.chunks.length - 1;
    const chunk = this.chunks[c]!;
    const start = this.chunkUsed;
    const id = this.size++;
    chunk[start] = id;
    chunk[start + 1] = id >>> 8;
    chunk[start + 2] = id >>> 16;
    chunk[start + 3] = id >>> 24;
    chunk[start + 4] = len;
    chunk[start + 5] = len >>> 8;
    // By hand below a few hundred bytes, four at a time through the DataViews `recordId` compares with:
    // Buffer's copy costs about 0.2 µs a call.
    const to = start + RECORD;
    if (len > SMALL_COPY) bytes.copy(chunk, to, at, at + len);
    else {
      const view = this.views[c]!;
      const from = this.viewOf(bytes);
      let i = 0;
      for (const last = len - 3; i < last; i += 4) view.setInt32(to + i, from.getInt32(at + i));
      for (; i < len; i++) chunk[to + i] = bytes[at + i]!;
    }
    this.offsets[id] = c * CHUNK + start;
    this.parents[id] = parent;
    this.edges[id] = edge;
    this.chunkUsed = start + RECORD + len;
    return id;
  }

  /**
   * A DataView of `bytes`, one made before when they are one of the last two buffers seen: callers reuse
   * theirs, and a parallel partition's alternate between its own successors and a peer's batch.
   */
  private viewOf(bytes: Uint8Array): DataView<ArrayBufferLike> {
    if (bytes === this.looked) return this.lookedView;
    const before = this.looked;
    const beforeView = this.lookedView;
    if (bytes === this.lookedBefore) {
      this.lookedView = this.lookedBeforeView;
    } else {
      this.lookedView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.looked = bytes;
    this.lookedBefore = before;
    this.lookedBeforeView = beforeView;
    return this.lookedView;
  }

  /** Grows the per-state arrays by half: doubling would leave up to half of ~15 bytes a state unused. */
  private growArrays(): boolean {
    const n = this.grownLength();
    const made = this.budget.allocate(n * PER_STATE, () => ({
      offsets: new Int32Array(n),
      parents: new Int32Array(n),
      edges: new Int32Array(n),
      flags: new Uint8Array(n),
    }));
    if (made === undefined) return false;
    this.budget.release(this.offsets.length * PER_STATE);
    this.offsets = grown(this.offsets, made.offsets);
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
    const table = this.budget.allocate(length * 4, () => zeroedTable(length));
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

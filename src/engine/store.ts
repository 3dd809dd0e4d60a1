/**
 * What the explorer needs from a seen-state store, whichever it is (`stateStore.ts`: exact bytes;
 * `fingerprintStore.ts`: 64-bit fingerprints). Ids are dense and in discovery order, which for a
 * breadth-first search is also the order of expansion: the explorer expands ids 0, 1, 2, … and asks the
 * store for each one's bytes in that order (`frontierBytes`).
 *
 * A store never grows past its memory budget: when a new state would need more, `intern` returns `FULL`
 * without adding it and `full` says why, and the explorer ends the run as incomplete (limit `memory`).
 */
import { SpecError } from '../errors.js';
import type { StoreFull, StoreKind, StoreMemory } from './types.js';

/** What `intern` returns when the state is new but does not fit: nothing was added. */
export const FULL = -1;
/** What `edge` returns when the store does not keep edges (traces then match fingerprints instead). */
export const NO_EDGE = -1;
/** The largest state either store keeps: a state's length is stored in 2 bytes. */
export const MAX_STATE_BYTES = 0xffff;

/** The spec error for a state whose encoding is longer than `MAX_STATE_BYTES`. */
export function stateTooLarge(len: number): SpecError {
  return new SpecError(`a state encodes to ${len} bytes; kmc stores states of at most ${MAX_STATE_BYTES} bytes (keep collections small)`);
}

/**
 * A hash table of `length` zeroed int32s, every page of it written once before use. Fresh memory that
 * is read before it is written maps the kernel's shared zero page, and the first write to each page
 * then copies it and flushes that page from the TLB of every core running the process: with worker
 * threads, an interrupt to the other core for each 4 KiB of a rehash, which probes the new table before
 * it writes it (measured: two fifths of a second of the two workers' time on the bench).
 */
export function zeroedTable(length: number): Int32Array<ArrayBuffer> {
  return new Int32Array(length).fill(0);
}

/** A state's canonical bytes: `buf[start .. end)`. */
export interface StateBytes {
  readonly buf: Buffer;
  readonly start: number;
  readonly end: number;
}

export interface SeenStore {
  readonly kind: StoreKind;
  /** Distinct states so far; their ids are 0 .. size - 1. */
  readonly size: number;
  /** Whether the last `intern` added a new state. */
  readonly lastFresh: boolean;
  /** Why the last `intern` returned `FULL`, else null. */
  readonly full: StoreFull | null;
  /**
   * Adds the state whose canonical bytes are `bytes[0 .. len)` unless present; returns its id (`lastFresh`
   * tells whether it is new), or `FULL`. `parent` is -1 for an initial state; `edge` is the engine's code
   * for the transition that reached it (the initial state's index for roots), kept only by stores whose
   * `edge` returns it.
   */
  intern(bytes: Buffer, len: number, parent: number, edge: number): number;
  /**
   * `intern` of the state whose bytes are `bytes[at .. at + len)` and whose `routeHash` is `hash`, already
   * computed by the caller (the parallel explorer routes states by it, exchange.ts).
   */
  internAt(bytes: Buffer, at: number, len: number, hash: number, parent: number, edge: number): number;
  /**
   * The hash of `bytes[at .. at + len)` that states are routed to their partition by: for the exact store
   * the one it files them under, for the fingerprint store the fingerprint's lane B, which a state handed
   * over as its fingerprint alone still has (ownership.ts).
   */
  routeHash(bytes: Uint8Array, at: number, len: number): number;
  /**
   * Starts the memory reads that `internAt` will make for the states whose route hashes are
   * `hashes[0 .. n)`, so that the cache misses of a batch of lookups overlap instead of following one
   * another (a store that cannot tell from the route hash does nothing). Returns a value made of what
   * it read, which callers drop: it only keeps the compiler from dropping the reads.
   */
  prefetch(hashes: Int32Array, n: number): number;
  parent(id: number): number;
  /**
   * Records that `id` was first reached from `parent` by `edge` after all: the parallel explorer learns
   * a state's first discovery in the sequential order only once every thread has sent its candidates.
   */
  reparent(id: number, parent: number, edge: number): void;
  isRoot(id: number): boolean;
  /** The `edge` given when `id` was added, or `NO_EDGE` if this store does not keep edges. */
  edge(id: number): number;
  /** Whether `bytes[0 .. len)` is state `id`: equal bytes (exact) or an equal fingerprint. */
  matches(id: number, bytes: Buffer, len: number): boolean;
  /** Marks `id` as outside the state constraint: the explorer checks it but does not expand it. */
  markOutside(id: number): void;
  isOutside(id: number): boolean;
  /**
   * The bytes of state `id`, for expanding it. Ids must be asked for in increasing order; the fingerprint
   * store drops the bytes of every id below (its frontier frees them), so each id can be asked for once.
   * The view is valid until the next call.
   */
  frontierBytes(id: number): StateBytes;
  /** What the store holds now, by part. */
  memory(): StoreMemory;
  /**
   * Counts in the store's budget `bytes` the explorer holds beside it (the parallel explorer's view of
   * a level), in place of the amount given last time; false when that does not fit (`full` says why).
   */
  holdBeside(bytes: number): boolean;
  /** The most its frontier has held at once (0 when the frontier is the store itself). */
  frontierPeakBytes(): number;
}

/**
 * A partition's level as every partition can read it: the states of the level being explored (their
 * bytes, gids and first discoveries) in shared memory, and a shared counter through which the
 * partitions claim them in chunks.
 *
 * Hash ownership decides who keeps a state, not who must expand it: any partition can judge and expand
 * a state of the level, as long as it names the state by its owner's reference (refs.ts) and sends the
 * successors to their owners. So a partition that has expanded all of its own states goes on with a
 * peer's (work stealing), and a level ends when every state of every partition is done, not when the
 * slowest partition is: measured, the two halves of a level often took 10-30% apart (a worker that
 * shares its core with the garbage collector's helper threads, or whose code is still cold), and every
 * partition waited for the slowest at each level's barrier.
 *
 * The counter only ever increases, so each state is claimed exactly once; the results do not depend on
 * who took which state, because everything a partition finds carries its position in the sequential
 * order (position.ts) and its owner keeps the earliest discovery of each new state (partition.ts).
 */
import type { SeenStore, StateBytes } from '../store.js';

/** States a partition claims at a time: a millisecond or so of work, so that the counter is rarely touched. */
export const CHUNK = 64;

/** A level in shared memory (structured-cloneable: its typed arrays share their memory when posted). */
export interface LevelView {
  /** Which level: the gid of its first state (every level's differs). */
  readonly tag: number;
  /** The partition that owns these states. */
  readonly part: number;
  /** The store id of the first state; state k of the view is the owner's id `start + k`. */
  readonly start: number;
  readonly count: number;
  /** Slot 0: the next state to claim. */
  readonly next: Int32Array;
  /** State k's bytes are `bytes[offsets[k] .. offsets[k + 1])`. */
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  /** State k's gid, and the (parent gid, edge) of the transition that first reached it. */
  readonly gidOf: Int32Array;
  readonly keyG: Int32Array;
  readonly keyE: Int32Array;
}

/**
 * The view of store ids `start .. start + gidOf.length - 1` of partition `part` (level `tag`). It reads
 * each state's bytes once, in increasing order, as `frontierBytes` requires.
 */
export function buildView(
  store: SeenStore,
  part: number,
  tag: number,
  start: number,
  gidOf: Int32Array,
  keyG: Int32Array,
  keyE: Int32Array,
): LevelView {
  const count = gidOf.length;
  const offsets = shared(count + 1);
  let bytes = new Uint8Array(new SharedArrayBuffer(Math.max(64, count * 48)));
  let total = 0;
  for (let k = 0; k < count; k++) {
    const b = store.frontierBytes(start + k);
    const len = b.end - b.start;
    if (total + len > bytes.length) {
      const bigger = new Uint8Array(new SharedArrayBuffer(Math.max(2 * bytes.length, total + len)));
      bigger.set(bytes.subarray(0, total));
      bytes = bigger;
    }
    bytes.set(b.buf.subarray(b.start, b.end), total);
    offsets[k] = total;
    total += len;
  }
  offsets[count] = total;
  return { tag, part, start, count, next: shared(1), offsets, bytes, gidOf: copyShared(gidOf), keyG: copyShared(keyG), keyE: copyShared(keyE) };
}

/**
 * Claims the next chunk of `view`: returns its first state's index, or -1 when every state has been
 * claimed (by any partition).
 */
export function claim(view: LevelView): number {
  const from = Atomics.add(view.next, 0, CHUNK);
  return from < view.count ? from : -1;
}

/** State k's bytes, as a `StateBytes` over `buf` (a Buffer over the view's shared bytes). */
export function stateBytes(view: LevelView, buf: Buffer, k: number): StateBytes {
  return { buf, start: view.offsets[k]!, end: view.offsets[k + 1]! };
}

function shared(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
}

function copyShared(a: Int32Array): Int32Array {
  const s = shared(a.length);
  s.set(a);
  return s.length === a.length ? s : s.subarray(0, a.length);
}

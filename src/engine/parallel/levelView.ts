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

/**
 * A level in shared memory (structured-cloneable: its typed arrays share their memory when posted). The
 * arrays may be longer than the level (their memory is reused from level to level): only the first
 * `count` states are the level's.
 */
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
  /** The states in the order they are claimed (by gid): the i-th claimed is state `order[i]`. */
  readonly order: Int32Array;
}

/**
 * The view of store ids `start .. start + gidOf.length - 1` of partition `part` (level `tag`). It reads
 * each state's bytes once, in increasing order, as `frontierBytes` requires.
 *
 * `reuse` is this partition's view of the level before, whose memory it fills again where large enough:
 * every partition is done with that level (the coordinator starts a round only after all have ended the
 * last), and memory a thread writes for the first time costs a page fault per 4 KiB, which was a third
 * of the time a view took to build.
 */
export function buildView(
  store: SeenStore,
  part: number,
  tag: number,
  start: number,
  gidOf: Int32Array,
  keyG: Int32Array,
  keyE: Int32Array,
  reuse: LevelView | null = null,
  order: Int32Array | null = null,
): LevelView {
  const count = gidOf.length;
  const offsets = fit(reuse?.offsets, count + 1);
  let bytes = reuse ? Buffer.from(reuse.bytes.buffer) : Buffer.from(new SharedArrayBuffer(Math.max(64, count * 48)));
  let to = new DataView(bytes.buffer);
  let src: Uint8Array | null = null;
  let from = to;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const b = store.frontierBytes(start + k);
    const len = b.end - b.start;
    if (total + len > bytes.length) {
      const bigger = Buffer.from(new SharedArrayBuffer(Math.max(2 * bytes.length, total + len)));
      bytes.copy(bigger, 0, 0, total);
      bytes = bigger;
      to = new DataView(bytes.buffer);
    }
    offsets[k] = total;
    // By hand, four bytes a step through DataViews: a state is a few dozen bytes, fewer than a call to
    // Buffer's copy costs, and byte by byte took twice as long (0.1 µs a state).
    if (b.buf !== src) {
      src = b.buf;
      from = new DataView(src.buffer, src.byteOffset, src.byteLength);
    }
    let i = 0;
    for (const last = len - 3; i < last; i += 4) to.setInt32(total + i, from.getInt32(b.start + i));
    for (; i < len; i++) bytes[total + i] = src[b.start + i]!;
    total += len;
  }
  offsets[count] = total;
  const next = reuse ? reuse.next : fit(undefined, 1);
  Atomics.store(next, 0, 0);
  const copy = (from: Int32Array, into: Int32Array | undefined) => {
    const to = fit(into, from.length);
    to.set(from);
    return to;
  };
  return {
    tag,
    part,
    start,
    count,
    next,
    offsets,
    bytes: new Uint8Array(bytes.buffer, 0, bytes.length),
    gidOf: copy(gidOf, reuse?.gidOf),
    keyG: copy(keyG, reuse?.keyG),
    keyE: copy(keyE, reuse?.keyE),
    order: order ? copy(order, reuse?.order) : identity(count, reuse?.order),
  };
}

/** The memory `view` holds, which counts in its partition's budget. */
export function viewBytes(view: LevelView): number {
  const ints = view.next.length + view.order.length + view.offsets.length + view.gidOf.length + view.keyG.length + view.keyE.length;
  return view.bytes.byteLength + 4 * ints;
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

function identity(n: number, into: Int32Array | undefined): Int32Array {
  const to = fit(into, n);
  for (let i = 0; i < n; i++) to[i] = i;
  return to;
}

/** `a` if it holds at least `n` int32s, else a new shared array of them (with room to grow). */
function fit(a: Int32Array | undefined, n: number): Int32Array {
  if (a !== undefined && a.length >= n) return a;
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, Math.ceil(n * 1.25))));
}

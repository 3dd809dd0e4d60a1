/**
 * The hand-over (coordinator.ts): at the end of the sequential prefix, the coordinator's partition hands
 * every state it holds to the worker partition that owns it (ownership.ts), with what that owner needs
 * to explore the current level. One record per state:
 *
 *   record: parent (int32) | edge (int32) | gid (int32) | first discovery g (int32) | e (int32)
 *           | route hash (int32) | length (uint16)
 *           | bytes, or for length 0 the fingerprint's lanes A and B (2 × int32)
 *
 * Parent and edge are as the store has them: a parent stays a reference into the coordinator's
 * partition, which keeps its states for the traces (refs.ts). A state of the level has its gid and the
 * (g, e) of the transition that first reached it, where its judges run (position.ts); any other state
 * (gid -1) is already expanded, and goes as its fingerprint if that is all the store keeps. The level's
 * states are the store's last, so at each owner they come last too, and are again one id range.
 *
 * The hand-over runs once, so its code is cold in both threads: the records are written into one buffer
 * per owner, and carry the route hash the coordinator computed to find the owner, which the owner's
 * store files the state under instead of hashing it again in code not yet compiled.
 */
import { FingerprintStore } from '../fingerprintStore.js';
import { StateStore } from '../stateStore.js';
import { FULL, type SeenStore, type StateBytes } from '../store.js';
import { ownerOf } from './ownership.js';
import { fileAndRoute, routed } from './route.js';

/** Bytes of a record before the state's bytes or lanes. */
const HEADER = 26;

/** What a partition adopted: its level to explore first (store ids from `start` on), and whether its store filled up. */
export interface Adopted {
  readonly start: number;
  readonly gids: Int32Array;
  readonly keyG: Int32Array;
  readonly keyE: Int32Array;
  readonly full: boolean;
}

/**
 * Every state of `store`, as records for its owner among `owners` partitions, routed by their first
 * `lead` bytes (route.ts). The level is store ids `levelStart` .. `levelStart + gidOf.length - 1`, with
 * their gids and first discoveries.
 */
export function handOver(
  store: SeenStore,
  owners: number,
  levelStart: number,
  gidOf: Int32Array,
  keyG: Int32Array,
  keyE: Int32Array,
  lead: number,
): { buf: Buffer; count: number }[] {
  const levelEnd = levelStart + gidOf.length;
  const fingerprints = store instanceof FingerprintStore ? store : null;
  const lanes = new Int32Array(2);
  const out = Array.from({ length: owners }, () => Buffer.allocUnsafe(Math.ceil(store.size / owners) * (HEADER + 64) + 1024));
  const used = new Array<number>(owners).fill(0);
  const counts = new Array<number>(owners).fill(0);
  for (let id = 0; id < store.size; id++) {
    const inLevel = id >= levelStart && id < levelEnd;
    // A fingerprint store keeps the bytes of its level only, and gives each state's once (`frontierBytes`).
    let state: StateBytes | null = null;
    let hash: number;
    let len: number;
    let to: number;
    if (fingerprints !== null && !inLevel) {
      fingerprints.lanes(id, lanes);
      hash = lanes[1]!;
      len = 0;
      // A fingerprint store routes by the whole state (route.ts): lane B is its route hash.
      to = ownerOf(hash, owners);
    } else {
      state = store instanceof StateStore ? store.bytesOf(id) : store.frontierBytes(id);
      len = state.end - state.start;
      // By the route the partitions will send successors by, as the expansion computes it.
      hash = fileAndRoute(store, state.buf, state.start, len, lead);
      to = ownerOf(routed[0]!, owners);
    }
    let rec = out[to]!;
    const p = used[to]!;
    const end = p + HEADER + (state === null ? 8 : len);
    if (end > rec.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * rec.length, end));
      rec.copy(bigger, 0, 0, p);
      out[to] = rec = bigger;
    }
    const k = id - levelStart;
    rec.writeInt32LE(store.parent(id), p);
    rec.writeInt32LE(store.edge(id), p + 4);
    rec.writeInt32LE(inLevel ? gidOf[k]! : -1, p + 8);
    rec.writeInt32LE(inLevel ? keyG[k]! : 0, p + 12);
    rec.writeInt32LE(inLevel ? keyE[k]! : 0, p + 16);
    rec.writeInt32LE(hash, p + 20);
    rec.writeUInt16LE(len, p + 24);
    if (state === null) {
      rec.writeInt32LE(lanes[0]!, p + HEADER);
      rec.writeInt32LE(lanes[1]!, p + HEADER + 4);
    } else {
      state.buf.copy(rec, p + HEADER, state.start, state.end);
    }
    used[to] = end;
    counts[to]!++;
  }
  return out.map((buf, i) => ({ buf: buf.subarray(0, used[i]), count: counts[i]! }));
}

/** Stores the `count` records of `buf` (`handOver`) in `store`, up to the first it has no room for. */
export function takeOver(store: SeenStore, buf: Buffer, count: number): Adopted {
  let at = 0;
  let first = -1;
  let full = false;
  const gids: number[] = [];
  const kg: number[] = [];
  const ke: number[] = [];
  for (let n = 0; n < count; n++) {
    const parent = buf.readInt32LE(at);
    const edge = buf.readInt32LE(at + 4);
    const gid = buf.readInt32LE(at + 8);
    const len = buf.readUInt16LE(at + 24);
    const start = at + HEADER;
    let id: number;
    if (len > 0) id = store.internAt(buf, start, len, buf.readInt32LE(at + 20), parent, edge);
    else if (store instanceof FingerprintStore) id = store.adoptExpanded(buf.readInt32LE(start), buf.readInt32LE(start + 4), parent);
    else throw new Error('kmc: a fingerprint handed over to an exact store');
    if (id === FULL) {
      full = true;
      break;
    }
    if (gid >= 0) {
      if (first < 0) first = id;
      gids.push(gid);
      kg.push(buf.readInt32LE(at + 12));
      ke.push(buf.readInt32LE(at + 16));
    }
    at = start + (len > 0 ? len : 8);
  }
  return { start: first < 0 ? store.size : first, gids: Int32Array.from(gids), keyG: Int32Array.from(kg), keyE: Int32Array.from(ke), full };
}

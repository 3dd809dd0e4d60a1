/**
 * The hand-over (coordinator.ts): at the end of the sequential prefix, the coordinator's partition hands
 * every state it holds to the worker partition that owns it (ownership.ts), with what that owner needs
 * to explore the current level. One record per state:
 *
 *   record: parent (int32) | edge (int32) | gid (int32) | first discovery g (int32) | e (int32)
 *           | length (uint16) | bytes, or for length 0 the fingerprint's lanes A and B (2 × int32)
 *
 * Parent and edge are as the store has them: a parent stays a reference into the coordinator's
 * partition, which keeps its states for the traces (refs.ts). A state of the level has its gid and the
 * (g, e) of the transition that first reached it, where its judges run (position.ts); any other state
 * (gid -1) is already expanded, and goes as its fingerprint if that is all the store keeps. The level's
 * states are the store's last, so at each owner they come last too, and are again one id range.
 */
import { FingerprintStore } from '../fingerprintStore.js';
import { StateStore } from '../stateStore.js';
import { FULL, type SeenStore } from '../store.js';
import { ownerOf } from './ownership.js';

/** Bytes of a record before the state's bytes or lanes. */
const HEADER = 22;

/** What a partition adopted: its level to explore first (store ids from `start` on), and whether its store filled up. */
export interface Adopted {
  readonly start: number;
  readonly gids: Int32Array;
  readonly keyG: Int32Array;
  readonly keyE: Int32Array;
  readonly full: boolean;
}

/**
 * Every state of `store`, as records for its owner among `owners` partitions. The level is store ids
 * `levelStart` .. `levelStart + gidOf.length - 1`, with their gids and first discoveries.
 */
export function handOver(store: SeenStore, owners: number, levelStart: number, gidOf: Int32Array, keyG: Int32Array, keyE: Int32Array): { buf: Buffer; count: number }[] {
  const levelEnd = levelStart + gidOf.length;
  const parts: Buffer[][] = Array.from({ length: owners }, () => []);
  const counts = new Array<number>(owners).fill(0);
  const lanes = new Int32Array(2);
  for (let id = 0; id < store.size; id++) {
    const inLevel = id >= levelStart && id < levelEnd;
    let rec: Buffer;
    let to: number;
    if (store instanceof FingerprintStore && !inLevel) {
      store.lanes(id, lanes);
      rec = Buffer.allocUnsafe(HEADER + 8);
      rec.writeUInt16LE(0, 20);
      rec.writeInt32LE(lanes[0]!, HEADER);
      rec.writeInt32LE(lanes[1]!, HEADER + 4);
      to = ownerOf(lanes[1]!, owners);
    } else {
      const { buf, start, end } = store instanceof StateStore ? store.bytesOf(id) : store.frontierBytes(id);
      const len = end - start;
      rec = Buffer.allocUnsafe(HEADER + len);
      rec.writeUInt16LE(len, 20);
      buf.copy(rec, HEADER, start, end);
      to = ownerOf(store.routeHash(rec, HEADER, len), owners);
    }
    const k = id - levelStart;
    rec.writeInt32LE(store.parent(id), 0);
    rec.writeInt32LE(store.edge(id), 4);
    rec.writeInt32LE(inLevel ? gidOf[k]! : -1, 8);
    rec.writeInt32LE(inLevel ? keyG[k]! : 0, 12);
    rec.writeInt32LE(inLevel ? keyE[k]! : 0, 16);
    parts[to]!.push(rec);
    counts[to]!++;
  }
  return parts.map((p, i) => ({ buf: Buffer.concat(p), count: counts[i]! }));
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
    const len = buf.readUInt16LE(at + 20);
    const start = at + HEADER;
    let id: number;
    if (len > 0) id = store.intern(buf.subarray(start, start + len), len, parent, edge);
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

/**
 * Which partition owns a state: a hash of its canonical bytes, so every thread that generates the state
 * sends it to the same place, and the owner alone decides whether it is new (hash partitioning,
 * shared/PERFORMANCE.md §2.5). The hash is the state's fingerprint (fingerprint.ts), lane B, so that a
 * partition can hand over a state it keeps only as a fingerprint; its top bits pick the owner, since the
 * fingerprint store picks its buckets from lane A and the exact store from another hash altogether.
 */
import { fingerprint } from '../fingerprint.js';

const lanes = new Int32Array(2);

/** The partition, in 0 .. owners - 1, that owns the state `bytes[0 .. len)`. */
export function ownerOf(bytes: Uint8Array, len: number, owners: number): number {
  fingerprint(bytes, 0, len, lanes);
  return ownerOfLaneB(lanes[1]!, owners);
}

/** The owner of a state whose fingerprint's lane B is `b`. */
export function ownerOfLaneB(b: number, owners: number): number {
  return (((b >>> 16) * owners) >>> 16) | 0;
}

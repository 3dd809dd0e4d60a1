/**
 * Which partition owns a state: a hash of its canonical bytes, so every thread that generates the state
 * sends it to the same place, and the owner alone decides whether it is new (hash partitioning,
 * shared/PERFORMANCE.md §2.5). The owner is taken from the hash's top bits: the stores pick their buckets
 * from the low bits of the same hash, which would otherwise be constant within a partition.
 */
import { hashBytes } from '../stateStore.js';

/** The partition, in 0 .. owners - 1, that owns the state `bytes[0 .. len)`. */
export function ownerOf(bytes: Uint8Array, len: number, owners: number): number {
  return (((hashBytes(bytes, 0, len) >>> 16) * owners) >>> 16) | 0;
}

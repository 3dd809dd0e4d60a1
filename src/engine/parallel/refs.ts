/**
 * References to states across partitions. Each partition numbers its own states (its store's ids); a
 * reference packs a partition's index with such a local id into one int32, the form a store keeps as a
 * state's parent, so that a parent chain can cross threads (TLC and shared/PERFORMANCE.md §4.3 do the
 * same). With N workers the partitions are 0 .. N-1 and the coordinator's own (the sequential prefix) is
 * N, so the stride is N + 1.
 */

/** The parent of an initial state, as both stores keep it. */
export const NO_PARENT = -1;

export function packRef(stride: number, partition: number, local: number): number {
  const ref = local * stride + partition;
  if (ref > 0x7fffffff) throw new Error(`kmc: more states than parallel parent references can hold (${local} in one partition)`);
  return ref;
}

export function refPartition(stride: number, ref: number): number {
  return ref % stride;
}

export function refLocal(stride: number, ref: number): number {
  return (ref - (ref % stride)) / stride;
}

/**
 * Which partition owns a state: a hash of its canonical bytes, so every thread that generates the state
 * sends it to the same place, and the owner alone decides whether it is new (hash partitioning,
 * shared/PERFORMANCE.md §2.5). The hash is of the state's leading bytes when the hand-over picked a lead
 * (route.ts), else the store's own route hash (`SeenStore.routeHash`): for the
 * exact store the hash its table files the state under, computed once and carried with the state to its
 * owner (exchange.ts); for the fingerprint store the fingerprint's lane B, so that a partition can hand
 * over a state it keeps only as a fingerprint. Its top bits pick the owner, since both stores pick their
 * buckets by low bits.
 */

/** The partition, in 0 .. owners - 1, that owns a state whose route hash is `h`. */
export function ownerOf(h: number, owners: number): number {
  return (((h >>> 16) * owners) >>> 16) | 0;
}

/**
 * What a run's seen-state store held, for the result: its kind, its bytes by part, the frontier's peak,
 * why it stopped growing if it did, and for fingerprints TLC's collision estimate.
 */
import type { SeenStore } from './store.js';
import type { StoreReport } from './types.js';

/** Above this estimate the result warns, as shared/PERFORMANCE.md §4.2 recommends. */
export const COLLISION_WARNING = 1e-6;

export function storeReport(store: SeenStore, generated: number, budgetBytes: number | undefined): StoreReport {
  const parts = store.memory();
  const n = store.size;
  return {
    kind: store.kind,
    bytes: parts.table + parts.perState + parts.states,
    parts,
    frontierPeakBytes: store.frontierPeakBytes(),
    budgetBytes: budgetBytes ?? null,
    collisionProbability: store.kind === 'fingerprint' ? collisionProbability(n, generated) : null,
    full: store.full,
  };
}

/**
 * TLC's "calculated (optimistic)" probability that two of the n distinct states share a fingerprint,
 * n·(g−n)/2^64 with g states generated (AbstractChecker.java): each of the g − n lookups that found a
 * seen state could have found a different one with the same 64 bits.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

/** The warning for an estimate above `COLLISION_WARNING`, or null. */
export function collisionWarning(report: StoreReport): string | null {
  const p = report.collisionProbability;
  if (p === null || p <= COLLISION_WARNING) return null;
  return (
    `the fingerprint collision probability estimate ${p.toExponential(1)} is above ${COLLISION_WARNING.toExponential(0)}: ` +
    'two distinct states may have been merged; check with --store exact if it fits in memory'
  );
}

/**
 * Where something happens in the sequential explorer's order (explore.ts), so that threads which found
 * things in another order can agree on which came first.
 *
 * The sequential explorer expands states in id order and, per state, takes its transitions in edge order
 * (action, then parameter ordinal: `packEdge` keeps that order numerically); within one transition it
 * judges the action properties, stores the successor and, when the successor is new, judges it. So a
 * moment of the sequential run is four int32s:
 *
 *   g    the sequential id (gid) of the state being expanded; -1 while seeding the initial states
 *   e    the edge of the transition taken from it (the initial state's index while seeding), or
 *        `AFTER_EDGES` for what happens once all its transitions are taken (the deadlock check)
 *   sub  the phase within that transition, `SUB` below, in the order the explorer runs them
 *   i    the property's index within a property phase (0 otherwise)
 *
 * A new state is judged at the position of the transition that first reached it in that order, which the
 * parallel explorer knows once every thread has reported its candidates (see levelOrder.ts).
 */

export const SUB = {
  /** A `params` iterable threw before yielding the ordinal in `e`. */
  params: 0,
  guard: 1,
  effect: 2,
  /** Action properties, judged on every transition. */
  step: 3,
  /** Encoding and storing the successor. */
  store: 4,
  /** Invariants on a new state. */
  invariant: 5,
  /** Reachability properties on a new state. */
  reachable: 6,
  /** The state constraint on a new state. */
  constraint: 7,
} as const;

/** `e` of what happens after a state's transitions: its deadlock check (sub 0), then its symmetry check (sub 1). */
export const AFTER_EDGES = 0x7fffffff;

/** A moment of the sequential run: [g, e, sub, i]. */
export type Position = readonly [number, number, number, number];

export function comparePositions(a: Position, b: Position): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

/** Whether two positions are in the same transition (or the same deadlock check) of the same state. */
export function sameStep(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

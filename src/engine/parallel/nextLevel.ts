/**
 * The level a round discovers, in one partition: its new states are the store's ids from `start` on,
 * each kept with the earliest transition (parent gid, edge) that reached it so far. Every candidate
 * comes, from this partition's expansions and its peers', before the round ends, and in the sequential
 * order the earliest is the state's first discovery (position.ts): its parent, the action credited
 * with it, and where its judges run in the next round. `sort` puts the level in that order
 * (levelOrder.ts); the coordinator gives it its gids, with which `take` makes it the level to explore.
 */
import { unpackEdge } from '../transition.js';
import { sortLevel, type SortedLevel } from './levelOrder.js';
import type { LevelReport } from './protocol.js';

/** The level to explore: store ids from `start` on, with their gids and first discoveries. */
export interface Level {
  readonly start: number;
  readonly gidOf: Int32Array;
  readonly keyG: Int32Array;
  readonly keyE: Int32Array;
  /** The level's states (indices from `start`) in the order to explore them, by gid; null when that is store order. */
  readonly order: Int32Array | null;
}

export class NextLevel {
  /** The store id of the level's first state. */
  start = 0;
  private g = new Int32Array(1 << 10);
  private e = new Int32Array(1 << 10);
  /** The level in its sequential order, between `sort` and `take`. */
  private sorted: SortedLevel | null = null;

  /** A round begins: the states it discovers will be store ids from `start` on. */
  begin(start: number): void {
    this.start = start;
  }

  /** New state `id`, reached by (g, e). */
  add(id: number, g: number, e: number): void {
    const k = id - this.start;
    if (k >= this.g.length) this.grow();
    this.g[k] = g;
    this.e[k] = e;
  }

  /**
   * State `id`, seen before, reached again by (g, e): whether that comes before what reached it so far
   * (then it is kept). Always false for a state of an earlier level.
   */
  earlier(id: number, g: number, e: number): boolean {
    const k = id - this.start;
    if (k < 0 || g > this.g[k]! || (g === this.g[k] && e >= this.e[k]!)) return false;
    this.g[k] = g;
    this.e[k] = e;
    return true;
  }

  /**
   * Puts the `count` states in the sequential order, their parents' gids being in `gStart .. gStart +
   * gCount`; with the new states per action that first reached them (of `actions`).
   */
  sort(count: number, gStart: number, gCount: number, actions: number): LevelReport {
    const sorted = sortLevel(this.g, this.e, count, gStart, gCount);
    this.sorted = sorted;
    const fresh = new Array<number>(actions).fill(0);
    for (let k = 0; k < count; k++) fresh[unpackEdge(this.e[k]!).action]!++;
    return { count, g: sorted.g, e: sorted.e, fresh };
  }

  /** The level `sort` sorted, with `gids` its gids in that order, as the level to explore. */
  take(gids: Int32Array): Level {
    const sorted = this.sorted;
    if (sorted === null) throw new Error('kmc: gids came for a level that was not sorted');
    this.sorted = null;
    const count = sorted.order.length;
    const gidOf = new Int32Array(count);
    for (let i = 0; i < count; i++) gidOf[sorted.order[i]!] = gids[i]!;
    return { start: this.start, gidOf, keyG: this.g.slice(0, count), keyE: this.e.slice(0, count), order: sorted.order };
  }

  private grow(): void {
    const n = this.g.length * 2;
    const g = new Int32Array(n);
    const e = new Int32Array(n);
    g.set(this.g);
    e.set(this.e);
    this.g = g;
    this.e = e;
  }
}

/**
 * The fingerprint seen-state store (TLC's design, shared/PERFORMANCE.md §1.1 and §4.2): per state only a
 * 64-bit fingerprint of its canonical bytes (two 32-bit lanes, `fingerprint.ts`) and its parent's id; the
 * bytes themselves wait in the frontier (`frontier.ts`) until the state is expanded, and are then gone.
 * Two distinct states with the same fingerprint would be merged, silently: the result reports TLC's
 * optimistic estimate of that probability.
 *
 * Layout, chosen to stay under 24 bytes a state:
 * - per state, in pages of 4096 states: lane A, lane B and the parent id (12 bytes), plus one bit for
 *   "outside the state constraint". Pages are never copied, so growing costs no transient second copy.
 * - the table: an `Int32Array` of id + 1 (0 = empty) with linear probing on lane A, doubled when it is
 *   three-quarters full, so 4/0.75 to 4/0.375, 5.3 to 10.7 bytes a state. Comparing both lanes of the
 *   candidate id decides equality.
 * The edge that reached a state is not kept (4 more bytes a state): as TLC does, a trace replays each
 * step and takes the first successor whose fingerprint is the next state's (`trace.ts`).
 */
import { fingerprint } from './fingerprint.js';
import { Frontier, MAX_RECORD } from './frontier.js';
import { MemoryBudget } from './memoryBudget.js';
import { FULL, NO_EDGE, type SeenStore, type StateBytes, stateTooLarge, zeroedTable } from './store.js';
import type { StoreFull, StoreMemory } from './types.js';

const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE - 1;
/** Int32s per state in a page: lane A, lane B, parent. */
const WORDS = 3;
const PAGE_BYTES = PAGE * WORDS * 4 + PAGE / 8;
/** The largest table: 2^30 slots (4 GiB), at most 805,306,368 states. */
const MAX_TABLE = 1 << 30;
const NO_PARENT = -1;

export class FingerprintStore implements SeenStore {
  readonly kind = 'fingerprint';
  size = 0;
  lastFresh = false;
  private readonly budget: MemoryBudget;
  private readonly frontier: Frontier;
  private readonly pages: Int32Array[] = [];
  private readonly outside: Uint8Array[] = [];
  /** From one slot on, doubled as the states come, so that all but 4 bytes are asked of the budget. */
  private table = new Int32Array(1);
  private mask = 0;
  private readonly fp = new Int32Array(2);
  /** The id whose bytes the frontier holds next. */
  private nextInFrontier = 0;

  /** @param pool what every store sharing `budgetBytes` holds (memoryBudget.ts), or null */
  constructor(budgetBytes = Infinity, pool: BigInt64Array | null = null) {
    this.budget = new MemoryBudget(budgetBytes, 'the fingerprint store and its frontier', pool);
    this.frontier = new Frontier(this.budget);
    this.budget.take(this.table.byteLength);
  }

  get full(): StoreFull | null {
    return this.budget.full;
  }

  intern(bytes: Buffer, len: number, parent: number, edge: number): number {
    return this.internAt(bytes, 0, len, 0, parent, edge);
  }

  /** Lane B of the state's fingerprint. */
  routeHash(bytes: Uint8Array, at: number, len: number): number {
    fingerprint(bytes, at, at + len, this.fp);
    return this.fp[1]!;
  }

  /** Nothing to start: the table is indexed by lane A, which the route hash does not give. */
  prefetch(): number {
    return 0;
  }

  /** The fingerprint is computed again: the route hash is only half of it. */
  internAt(bytes: Buffer, from: number, len: number, _hash: number, parent: number, _edge: number): number {
    const fp = this.fp;
    fingerprint(bytes, from, from + len, fp);
    const a = fp[0]!;
    const b = fp[1]!;
    let slot = a & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      const page = this.pages[id >>> PAGE_BITS]!;
      const at = (id & PAGE_MASK) * WORDS;
      if (page[at] === a && page[at + 1] === b) {
        this.lastFresh = false;
        return id;
      }
      slot = (slot + 1) & this.mask;
    }
    if (len > MAX_RECORD) throw stateTooLarge(len);
    const grew = this.grow(len);
    if (grew === undefined) return FULL;
    if (grew) slot = this.emptySlot(a);
    if (!this.frontier.push(bytes, len, from)) return FULL;
    return this.place(slot, a, b, parent);
  }

  /** Gives the next id to the state with fingerprint (a, b), in table slot `slot`. */
  private place(slot: number, a: number, b: number, parent: number): number {
    const id = this.size++;
    const page = this.pages[id >>> PAGE_BITS]!;
    const at = (id & PAGE_MASK) * WORDS;
    page[at] = a;
    page[at + 1] = b;
    page[at + 2] = parent;
    this.table[slot] = id + 1;
    this.lastFresh = true;
    return id;
  }

  /**
   * Adds a state known only by its fingerprint and already expanded elsewhere (the parallel explorer
   * hands its sequential prefix over this way): it has no bytes in the frontier, so it must come before
   * every state that has. Returns its id, or `FULL`.
   */
  adoptExpanded(a: number, b: number, parent: number): number {
    if (this.nextInFrontier !== this.size) throw new Error('kmc: an expanded state adopted after states to expand');
    if (this.grow(-1) === undefined) return FULL;
    const id = this.place(this.emptySlot(a), a, b, parent);
    this.nextInFrontier++;
    return id;
  }

  parent(id: number): number {
    return this.pages[id >>> PAGE_BITS]![(id & PAGE_MASK) * WORDS + 2]!;
  }

  reparent(id: number, parent: number, _edge: number): void {
    this.pages[id >>> PAGE_BITS]![(id & PAGE_MASK) * WORDS + 2] = parent;
  }

  isRoot(id: number): boolean {
    return this.parent(id) === NO_PARENT;
  }

  /** State `id`'s fingerprint, lane A then lane B, into `out`: what the parallel explorer's traces match. */
  lanes(id: number, out: Int32Array): void {
    const page = this.pages[id >>> PAGE_BITS]!;
    const at = (id & PAGE_MASK) * WORDS;
    out[0] = page[at]!;
    out[1] = page[at + 1]!;
  }

  edge(_id: number): number {
    return NO_EDGE;
  }

  matches(id: number, bytes: Buffer, len: number): boolean {
    fingerprint(bytes, 0, len, this.fp);
    const page = this.pages[id >>> PAGE_BITS]!;
    const at = (id & PAGE_MASK) * WORDS;
    return page[at] === this.fp[0] && page[at + 1] === this.fp[1];
  }

  markOutside(id: number): void {
    this.outside[id >>> PAGE_BITS]![(id & PAGE_MASK) >>> 3]! |= 1 << (id & 7);
  }

  isOutside(id: number): boolean {
    return (this.outside[id >>> PAGE_BITS]![(id & PAGE_MASK) >>> 3]! & (1 << (id & 7))) !== 0;
  }

  frontierBytes(id: number): StateBytes {
    if (id < this.nextInFrontier || id >= this.size) throw new Error(`state ${id} is not in the frontier`);
    while (this.nextInFrontier < id) {
      this.frontier.shift();
      this.nextInFrontier++;
    }
    this.nextInFrontier++;
    return this.frontier.shift();
  }

  memory(): StoreMemory {
    return { table: this.table.byteLength, perState: this.pages.length * PAGE_BYTES, states: 0, frontier: this.frontier.bytes };
  }

  holdBeside(bytes: number): boolean {
    return this.budget.holdBeside(bytes);
  }

  frontierPeakBytes(): number {
    return this.frontier.peakBytes;
  }

  /**
   * Makes room for one more state of `len` bytes (-1: no bytes, see `adoptExpanded`): a page, a larger
   * table, a frontier chunk, if needed.
   * Returns whether the table was rebuilt, or undefined when the room does not fit the budget (or the
   * system refused it); what did grow before a refusal stays, consistent and unused.
   */
  private grow(len: number): boolean | undefined {
    const newPage = this.size >>> PAGE_BITS === this.pages.length;
    const newTable = (this.size + 1) * 4 > this.table.length * 3;
    const frontier = len < 0 ? 0 : this.frontier.growthFor(len);
    const extra = (newPage ? PAGE_BYTES : 0) + (newTable ? this.table.byteLength * 2 : 0) + frontier;
    if (newTable && this.table.length >= MAX_TABLE) {
      this.budget.atCapacity(`the fingerprint store holds its maximum of ${(MAX_TABLE / 4) * 3} states`);
      return undefined;
    }
    if (!this.budget.fits(extra)) return undefined;
    if (newPage && !this.addPage()) return undefined;
    if (newTable && !this.rehash()) return undefined;
    return newTable;
  }

  private addPage(): boolean {
    const made = this.budget.allocate(PAGE_BYTES, () => [new Int32Array(PAGE * WORDS), new Uint8Array(PAGE / 8)] as const);
    if (made === undefined) return false;
    this.pages.push(made[0]);
    this.outside.push(made[1]);
    return true;
  }

  /** Doubles the table; the old one is given back to the budget once the new one holds every id. */
  private rehash(): boolean {
    const length = this.table.length * 2;
    const table = this.budget.allocate(length * 4, () => zeroedTable(length));
    if (table === undefined) return false;
    const old = this.table;
    this.table = table;
    this.mask = length - 1;
    for (let id = 0; id < this.size; id++) table[this.emptySlot(this.pages[id >>> PAGE_BITS]![(id & PAGE_MASK) * WORDS]!)] = id + 1;
    this.budget.release(old.byteLength);
    return true;
  }

  private emptySlot(a: number): number {
    let slot = a & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }
}

/**
 * The memory budget a seen-state store and its frontier share. Every array or buffer they allocate is
 * asked for here first, so that a run that outgrows the budget ends cleanly as incomplete (limit
 * `memory`) instead of growing until V8 or the kernel kills the process.
 *
 * The store's arrays live outside the V8 heap (typed arrays and Buffers), so they never cause a V8 "heap
 * out of memory"; what they can cause is an allocation the system refuses (a `RangeError`) or the
 * machine running out of memory. Both are covered: the budget is checked before each growth, and a
 * refused allocation is reported like an exhausted budget. Growth by copying (a table rehash, per-state
 * arrays grown by half) holds the old and the new array at once, so the store asks for the new array's
 * full size while the old one still counts, and releases the old one after the copy.
 *
 * The partitions of a parallel run, each in its own thread, share one limit through a pool: a counter in
 * shared memory of what all their stores hold, from which every growth claims its bytes atomically
 * (`Atomics.add`, given back if the sum passes the limit), so that a partition owning more of the states
 * than another can use more of the budget (route.ts) and two growths cannot both take its last bytes.
 */
import type { StoreFull } from './types.js';

export class MemoryBudget {
  /** Bytes allocated through this budget and not released. */
  held = 0;
  /** Why the last request was refused, else null. */
  full: StoreFull | null = null;
  /** Bytes `fits` claimed in the pool for the allocations that follow it and that have not come yet. */
  private reserved = 0;

  /**
   * @param limit bytes that may be held at once (Infinity: unbounded)
   * @param holder what holds the memory, for messages: "the exact store"
   * @param pool bytes held by every store that shares `limit` (the partitions of a parallel run, each in
   *   its own thread), in shared memory; null when this store has the limit to itself
   */
  constructor(
    readonly limit: number,
    private readonly holder: string,
    private readonly pool: BigInt64Array | null = null,
  ) {}

  /**
   * Whether `extra` more bytes fit; if not, records why. With a pool the bytes are claimed there at once,
   * for the allocations that follow, so that two stores cannot both take the last of the budget.
   */
  fits(extra: number): boolean {
    if (this.pool === null) {
      if (this.held + extra <= this.limit) return true;
      this.refuse(this.held, extra);
      return false;
    }
    this.unreserve();
    if (!this.claim(extra)) return false;
    this.reserved = extra;
    return true;
  }

  /**
   * Runs `make`, which allocates `bytes`, and counts them; when the system refuses the allocation
   * (a `RangeError`), or the pool has no room for what `fits` did not claim, records why and returns
   * undefined.
   */
  allocate<T>(bytes: number, make: () => T): T | undefined {
    if (this.pool !== null) {
      const claimed = Math.min(this.reserved, bytes);
      this.reserved -= claimed;
      if (bytes > claimed && !this.claim(bytes - claimed)) {
        this.unclaim(claimed);
        return undefined;
      }
    }
    let made: T;
    try {
      made = make();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      if (this.pool !== null) this.unclaim(bytes);
      const message = `the system refused ${megabytes(bytes)} more for ${this.holder} (${megabytes(this.held)} held)`;
      this.full = { cause: 'allocation', message };
      return undefined;
    }
    this.held += bytes;
    return made;
  }

  release(bytes: number): void {
    this.held -= bytes;
    if (this.pool !== null) this.unclaim(bytes);
  }

  /** Counts `bytes` allocated without asking (a store's first, tiny table). */
  take(bytes: number): void {
    this.held += bytes;
    if (this.pool !== null) Atomics.add(this.pool, 0, BigInt(bytes));
  }

  /** Bytes counted by `holdBeside`. */
  private beside = 0;

  /**
   * Counts `bytes` that the explorer holds beside the store and its frontier (the parallel explorer's
   * view of a level, levelView.ts) in place of what was counted so for before; false, with `full` set,
   * when the growth does not fit.
   */
  holdBeside(bytes: number): boolean {
    const extra = bytes - this.beside;
    if (extra > 0) {
      if (!this.fits(extra)) return false;
      this.reserved = 0;
    } else if (this.pool !== null) this.unclaim(-extra);
    this.held += extra;
    this.beside = bytes;
    return true;
  }

  /** Records that the store reached a fixed capacity that no budget raises. */
  atCapacity(message: string): void {
    this.full = { cause: 'capacity', message };
  }

  /** Claims `n` bytes in the pool if they fit beside what every store holds; else records why. */
  private claim(n: number): boolean {
    const pool = this.pool!;
    const after = Number(Atomics.add(pool, 0, BigInt(n))) + n;
    if (after <= this.limit) return true;
    Atomics.sub(pool, 0, BigInt(n));
    this.refuse(after - n, n);
    return false;
  }

  private unclaim(n: number): void {
    if (n > 0) Atomics.sub(this.pool!, 0, BigInt(n));
  }

  /** Gives back what the last `fits` claimed and no allocation took (a growth that stopped half-way). */
  private unreserve(): void {
    this.unclaim(this.reserved);
    this.reserved = 0;
  }

  private refuse(held: number, extra: number): void {
    const who = this.pool === null ? this.holder : `${this.holder} of every partition`;
    this.full = {
      cause: 'budget',
      message: `${megabytes(held)} of the ${megabytes(this.limit)} budget is held by ${who}, and its next growth needs ${megabytes(extra)} more`,
    };
  }
}

/** Sizes in mebibytes with two decimals, for messages: `1.25 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MB`;
}

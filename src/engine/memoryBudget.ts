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
 */
import type { StoreFull } from './types.js';

export class MemoryBudget {
  /** Bytes allocated through this budget and not released. */
  held = 0;
  /** Why the last request was refused, else null. */
  full: StoreFull | null = null;

  /**
   * @param limit bytes that may be held at once (Infinity: unbounded)
   * @param holder what holds the memory, for messages: "the exact store"
   */
  constructor(
    readonly limit: number,
    private readonly holder: string,
  ) {}

  /** Whether `extra` more bytes fit; if not, records why. */
  fits(extra: number): boolean {
    if (this.held + extra <= this.limit) return true;
    this.full = {
      cause: 'budget',
      message:
        `${megabytes(this.held)} of the ${megabytes(this.limit)} budget is held by ${this.holder}, ` +
        `and its next growth needs ${megabytes(extra)} more`,
    };
    return false;
  }

  /**
   * Runs `make`, which allocates `bytes`, and counts them; when the system refuses the allocation
   * (a `RangeError`), records why and returns undefined.
   */
  allocate<T>(bytes: number, make: () => T): T | undefined {
    let made: T;
    try {
      made = make();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const message = `the system refused ${megabytes(bytes)} more for ${this.holder} (${megabytes(this.held)} held)`;
      this.full = { cause: 'allocation', message };
      return undefined;
    }
    this.held += bytes;
    return made;
  }

  release(bytes: number): void {
    this.held -= bytes;
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
    if (extra > 0 && !this.fits(extra)) return false;
    this.held += extra;
    this.beside = bytes;
    return true;
  }

  /** Records that the store reached a fixed capacity that no budget raises. */
  atCapacity(message: string): void {
    this.full = { cause: 'capacity', message };
  }
}

/** Sizes in mebibytes with two decimals, for messages: `1.25 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MB`;
}

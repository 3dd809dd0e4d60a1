/**
 * Symmetry reduction: a model's sets of interchangeable ids (model.ts `SymmetrySet`) bound to one run's
 * constants, and the canonical bytes of a state, which stand for its whole orbit in the seen-state store.
 *
 * The canonical form is TLC's: renumber the state by every permutation (the product over the sets), encode
 * each, keep the lexicographically smallest bytes. That is exact (two states get the same bytes exactly
 * when one is a renumbering of the other) whatever the state looks like, at a cost of n! encodings per
 * state, which the bounds of a model checker keep small (2 CPUs: 2; 3 CPUs and 2 tasks: 12). Sorting the
 * per-id records instead (stateright's representative) is cheaper but not exact when two ids tie.
 */
import { messageOf, SpecError, UsageError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import type { Codec, StateEncoder } from './codec.js';
import { allPermutations, factorial } from './permutations.js';
import type { SymmetryReport } from './types.js';

/** The most renumberings compared per state (7!): beyond, canonical forms would cost more than they save. */
export const MAX_PERMUTATIONS = 5040;

/** One set of interchangeable ids at the run's constants. */
export interface BoundSet {
  readonly name: string;
  readonly size: number;
  /** The spec's `permute` with the constants bound; anything it throws becomes a `SpecError` naming the set. */
  permute(s: unknown, perm: readonly number[]): unknown;
}

/** A model's symmetry at the run's constants. */
export interface BoundSymmetry {
  readonly sets: readonly BoundSet[];
  readonly report: SymmetryReport;
}

/** The model's declared symmetry at its constants, or null when it declares none. */
export function bindSymmetry(model: ResolvedModel): BoundSymmetry | null {
  const declared = model.symmetry ?? [];
  if (declared.length === 0) return null;
  const k = model.constants;
  const sets = declared.map((set): BoundSet => {
    let size: number;
    try {
      size = set.size(k);
    } catch (e) {
      throw new SpecError(`symmetry ${set.name}: its size threw: ${messageOf(e)}`);
    }
    if (!Number.isSafeInteger(size) || size < 0) throw new SpecError(`symmetry ${set.name}: its size must be a whole number, got ${String(size)}`);
    const permute = (s: unknown, perm: readonly number[]): unknown => {
      try {
        return set.permute(s, perm, k);
      } catch (e) {
        throw new SpecError(`symmetry ${set.name}: its permute threw: ${messageOf(e)}`);
      }
    };
    return { name: set.name, size, permute };
  });
  const permutations = sets.reduce((n, set) => n * factorial(set.size), 1);
  if (permutations > MAX_PERMUTATIONS) {
    const what = sets.map((set) => `${set.name} ${set.size}!`).join(' × ');
    throw new UsageError(
      `the symmetry of ${model.model}/${model.proposal} has ${permutations} permutations at these constants (${what}); ` +
        `kmc compares at most ${MAX_PERMUTATIONS} per state: lower the constants, or turn symmetry off (--no-symmetry)`,
    );
  }
  return { sets, report: { sets: sets.map(({ name, size }) => ({ name, size })), permutations } };
}

/** The model's symmetry if it reduces anything (more than one renumbering), else null. */
export function reducing(symmetry: BoundSymmetry | null): BoundSymmetry | null {
  return symmetry !== null && symmetry.report.permutations > 1 ? symmetry : null;
}

/**
 * What an explorer keys states by with `codec`: its bytes, or with a symmetry that reduces (one that
 * `reducing` returned) the canonical bytes of the state's orbit.
 */
export function keyEncoder(codec: Codec, symmetry: BoundSymmetry | null): StateEncoder {
  return symmetry === null ? codec : new Canonicalizer(codec, symmetry);
}

/**
 * Encodes states as the canonical bytes of their orbit: what the explorer stores and traces match
 * against when symmetry is on. The bytes are `buf[0 .. length)`, as with `Codec`.
 */
export class Canonicalizer implements StateEncoder {
  private best = Buffer.allocUnsafe(1 << 12);
  /** Where in `best` the state being canonicalised goes, and its length so far (-1 before the first). */
  private at = 0;
  private len = 0;
  /** The sets that have something to permute, each with its permutations (the identity first). */
  private readonly sets: readonly { readonly set: BoundSet; readonly perms: readonly number[][] }[];

  constructor(
    private readonly codec: Codec,
    sym: BoundSymmetry,
  ) {
    this.sets = sym.sets.filter((set) => set.size >= 2).map((set) => ({ set, perms: allPermutations(set.size) }));
  }

  get buf(): Buffer {
    return this.best;
  }

  /** Writes the smallest encoding of any renumbering of `s` into `buf`; returns its length. */
  encode(s: unknown): number {
    return this.encodeAt(s, 0);
  }

  /** As `encode`, into `buf` from `at` on, keeping `buf[0 .. at)`. */
  encodeAt(s: unknown, at: number): number {
    this.at = at;
    this.len = -1;
    this.visit(s, 0);
    return this.len;
  }

  /** Every renumbering of `s` as a list, the identity first (for tests and the check). */
  renumberings(s: unknown): unknown[] {
    let out = [s];
    for (const { set, perms } of this.sets) out = out.flatMap((t) => perms.map((perm, i) => (i === 0 ? t : set.permute(t, perm))));
    return out;
  }

  /**
   * Set by set, every permutation of set `i` applied to `t`, sharing each partial renumbering among the
   * permutations of the sets after it (2 CPUs × 2 tasks: 3 permute calls, not 4).
   */
  private visit(t: unknown, i: number): void {
    if (i === this.sets.length) return this.offer(t);
    const { set, perms } = this.sets[i]!;
    for (let j = 0; j < perms.length; j++) this.visit(j === 0 ? t : set.permute(t, perms[j]!), i + 1);
  }

  /** Keeps `t`'s bytes when they sort before the best so far. */
  private offer(t: unknown): void {
    const codec = this.codec;
    const n = codec.encode(t);
    const at = this.at;
    // Source codec.buf[0 .. n) against target best[at .. at + len): negative when the new bytes sort first.
    if (this.len >= 0 && codec.buf.compare(this.best, at, at + this.len, 0, n) >= 0) return;
    if (this.best.length < at + n) {
      const larger = Buffer.allocUnsafe(Math.max(at + n, this.best.length * 2));
      this.best.copy(larger, 0, 0, at);
      this.best = larger;
    }
    codec.buf.copy(this.best, at, 0, n);
    this.len = n;
  }
}

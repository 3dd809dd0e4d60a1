/**
 * Helpers for a symmetry set's `permute` (model.ts `SymmetrySet`): renumbering one id, and moving the
 * entries of a per-id List. `perm[i]` is the new id of id i throughout.
 */
import { List } from 'immutable';

/** The new id of `id`; a negative id (the models' "none": an idle CPU, a free lock) stays as it is. */
export function renumber(id: number, perm: readonly number[]): number {
  if (id < 0) return id;
  const to = perm[id];
  if (to === undefined) throw new RangeError(`id ${id} is outside a permutation of ${perm.length} ids`);
  return to;
}

/**
 * The List with entry i moved to position `perm[i]`; `f` renumbers the ids inside each entry as it moves
 * (a CPU's `cur`), or leaves it when absent. The List must have exactly one entry per id of the set.
 */
export function permuteList<T>(list: List<T>, perm: readonly number[], f?: (x: T) => T): List<T> {
  if (list.size !== perm.length) throw new RangeError(`a List of ${list.size} entries permuted as ${perm.length} ids`);
  const out = new Array<T>(list.size);
  list.forEach((x, i) => {
    out[perm[i]!] = f ? f(x) : x;
  });
  return List(out);
}

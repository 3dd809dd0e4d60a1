/**
 * The sequential ids (gids) of a new BFS level, worked out after the level has been explored in
 * parallel.
 *
 * The sequential explorer numbers the states of level L+1 in the order it first reaches them: by the gid
 * of the level-L state it expands, then by the edge it takes (position.ts). Every new state's owner
 * knows its first discovery in that order (the least (parent gid, edge) among the candidates it was
 * sent), so it sorts its new states by that key (`sortLevel`, a counting sort on the parent gid, which
 * lies in level L's range, then the few edges of one parent); the coordinator merges the owners' sorted
 * keys (`mergeLevel`) into gids, which are then exactly the sequential explorer's ids.
 */

/** A partition's new states in their sequential order: positions into its next-level arrays, and their keys. */
export interface SortedLevel {
  readonly order: Int32Array;
  readonly g: Int32Array;
  readonly e: Int32Array;
}

/**
 * Sorts the `count` keys (`keyG[k]`, `keyE[k]`) whose parent gids lie in `gStart .. gStart + gCount`.
 */
export function sortLevel(keyG: Int32Array, keyE: Int32Array, count: number, gStart: number, gCount: number): SortedLevel {
  const starts = new Int32Array(gCount + 1);
  for (let k = 0; k < count; k++) starts[keyG[k]! - gStart + 1]!++;
  for (let i = 1; i <= gCount; i++) starts[i]! += starts[i - 1]!;
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[starts[keyG[k]! - gStart]!++] = k;
  // Within one parent, by edge: a handful of successors each, so insertion sort.
  for (let i = 1; i < count; i++) {
    const k = order[i]!;
    const g = keyG[k]!;
    const e = keyE[k]!;
    let j = i - 1;
    while (j >= 0 && keyG[order[j]!] === g && keyE[order[j]!]! > e) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
  const g = new Int32Array(count);
  const e = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    g[i] = keyG[order[i]!]!;
    e[i] = keyE[order[i]!]!;
  }
  return { order, g, e };
}

/** The indices of `gids` in increasing gid order: the order to explore a level handed over (handover.ts). */
export function orderByGid(gids: Int32Array): Int32Array {
  return Int32Array.from(gids.keys()).sort((a, b) => gids[a]! - gids[b]!);
}

/**
 * Merges the partitions' sorted keys: the gid of each partition's i-th new state, the first of all
 * being `first`. Keys are distinct (one transition reaches one state), so the order is total.
 */
export function mergeLevel(lists: readonly { readonly g: Int32Array; readonly e: Int32Array }[], first: number): Int32Array[] {
  // Two partitions (the usual two cores) in a loop of their own: the coordinator merges while the
  // workers wait, and the general loop below took about three times as long.
  if (lists.length === 2) return mergeTwo(lists[0]!, lists[1]!, first);
  const out = lists.map((l) => new Int32Array(l.g.length));
  const at = lists.map(() => 0);
  let total = 0;
  for (const l of lists) total += l.g.length;
  for (let gid = first; gid < first + total; gid++) {
    let best = -1;
    for (let p = 0; p < lists.length; p++) {
      const i = at[p]!;
      const l = lists[p]!;
      if (i === l.g.length) continue;
      if (best < 0) {
        best = p;
        continue;
      }
      const b = lists[best]!;
      const j = at[best]!;
      if (l.g[i]! < b.g[j]! || (l.g[i] === b.g[j] && l.e[i]! < b.e[j]!)) best = p;
    }
    out[best]![at[best]!++] = gid;
  }
  return out;
}

function mergeTwo(a: { readonly g: Int32Array; readonly e: Int32Array }, b: { readonly g: Int32Array; readonly e: Int32Array }, first: number): Int32Array[] {
  const na = a.g.length;
  const nb = b.g.length;
  const outA = new Int32Array(na);
  const outB = new Int32Array(nb);
  let i = 0;
  let j = 0;
  let gid = first;
  while (i < na && j < nb) {
    const ga = a.g[i]!;
    const gb = b.g[j]!;
    if (ga < gb || (ga === gb && a.e[i]! < b.e[j]!)) outA[i++] = gid++;
    else outB[j++] = gid++;
  }
  while (i < na) outA[i++] = gid++;
  while (j < nb) outB[j++] = gid++;
  return [outA, outB];
}

/**
 * Permutations of 0 .. n-1 as arrays, `perm[i]` being the new id of id i: all of them for the canonical
 * form (TLC enumerates every permutation too; n! is small at model-checking bounds), and a generating
 * set for the check of a symmetry declaration.
 */

/** Every permutation of 0 .. n-1 in lexicographic order, the identity first. */
export function allPermutations(n: number): number[][] {
  const out: number[][] = [];
  const perm = Array.from({ length: n }, (_, i) => i);
  for (;;) {
    out.push([...perm]);
    // The next permutation in lexicographic order (Knuth's algorithm L).
    let i = n - 2;
    while (i >= 0 && perm[i]! > perm[i + 1]!) i--;
    if (i < 0) return out;
    let j = n - 1;
    while (perm[j]! < perm[i]!) j--;
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    perm.splice(i + 1, n - i - 1, ...perm.slice(i + 1).reverse());
  }
}

/** n! (1 for n ≤ 1). */
export function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** The identity permutation of 0 .. n-1. */
export function identity(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The permutation that undoes `perm`. */
export function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((to, from) => {
    inv[to] = from;
  });
  return inv;
}

/**
 * Two permutations that generate every permutation of 0 .. n-1 (none for n < 2): the swap of ids 0 and
 * 1, and the rotation 0 → 1 → … → n-1 → 0 (the same as the swap when n = 2). A relation kept by both is
 * kept by every renumbering.
 */
export function generators(n: number): number[][] {
  if (n < 2) return [];
  const swap = identity(n);
  [swap[0], swap[1]] = [1, 0];
  if (n === 2) return [swap];
  return [swap, Array.from({ length: n }, (_, i) => (i + 1) % n)];
}

/** Small helpers shared by specs and the engine. */

/** `0, 1, …, n-1`: the ids of `n` CPUs or tasks, as a params domain. */
export function range(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i);
  return out;
}

/**
 * The default memory budget of `--memory`: a quarter of the machine's memory (or of the container's
 * limit, when one is set and lower), at most 16 GiB.
 *
 * A quarter, because the budget covers only the seen-state store and its frontier: Node's own heap (the
 * states being expanded, the codec's caches), garbage not yet collected and other programs need the
 * rest. At most 16 GiB, because neither store can use more: the fingerprint store stops at 805 million
 * states (about 16 GiB with its frontier), the exact store at 2 GiB of state bytes.
 */
import { totalmem } from 'node:os';

export const MB = 2 ** 20;
export const MAX_DEFAULT_MB = 16384;

export function defaultMemoryMb(total = totalmem(), constrained = process.constrainedMemory?.() ?? 0): number {
  const machine = constrained > 0 && constrained < total ? constrained : total;
  return Math.max(1, Math.min(MAX_DEFAULT_MB, Math.floor(machine / 4 / MB)));
}

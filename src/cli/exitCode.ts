/** Exit codes, as documented in the README. */
import type { Verdict } from '../engine/types.js';

export const EXIT = { holds: 0, violated: 1, usage: 2, incomplete: 3, specError: 4 } as const;

/** 0 every property holds; 1 a violation or deadlock; 3 incomplete; 4 the spec threw. */
export function exitCodeOf(verdict: Verdict): number {
  switch (verdict) {
    case 'holds':
      return EXIT.holds;
    case 'violated':
      return EXIT.violated;
    case 'incomplete':
      return EXIT.incomplete;
    case 'error':
      return EXIT.specError;
  }
}

/**
 * The project's error classes. Expected outcomes of a check (violations, deadlocks, a spec that throws
 * inside an action) are data in `CheckResult`, not errors; these are for the cases that stop a run.
 */

/** A user mistake on the command line or in a file named there: exit 2, one line, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A model that is wrong as a declaration (not as a kernel design): bad state values, duplicate names. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

/** Replaying a recorded path did not reproduce it: the spec's steps depend on something outside the state. */
export class NondeterminismError extends Error {
  override readonly name = 'NondeterminismError';
}

/** The message of anything thrown, for reports: specs may throw non-Error values. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

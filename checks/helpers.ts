/**
 * Test helpers: run a model the way `kmc compare` and the spec tests do (every property, exhaustive,
 * not stopping at the first violation), and read results compactly.
 */
import { explore } from '../src/engine/explore.js';
import type { CheckOptions, CheckResult, PropertyResult, PropertyStatus, Trace } from '../src/engine/types.js';
import type { AnyModelSpec } from '../src/model.js';
import { resultToJson } from '../src/render/json.js';
import { resolveModel } from '../src/resolve.js';

export interface RunOptions extends CheckOptions {
  readonly proposal?: string;
  /** Constant overrides, as on the command line. */
  readonly constants?: Readonly<Record<string, string>>;
}

/**
 * Checks one proposal of `spec` exhaustively (`--continue`), deadlock detection on unless told, and
 * without symmetry reduction unless told (`symmetry: true`): the pinned counts of the spec tests are of
 * every state; checks/engine/symmetry.test.ts pins the reduced ones.
 */
export function checkModel(spec: AnyModelSpec, opts: RunOptions = {}): CheckResult {
  const req = { ...(opts.proposal ? { proposal: opts.proposal } : {}), ...(opts.constants ? { constants: opts.constants } : {}) };
  const model = resolveModel(spec, req);
  return explore(model, { continueAfterViolation: true, symmetry: false, ...opts });
}

/** Property name → status, for one `expect(...).toEqual({...})`. */
export function statuses(r: CheckResult): Record<string, PropertyStatus> {
  return Object.fromEntries(r.properties.map((p) => [p.name, p.status]));
}

/** The action labels of a property's trace (`['Init', 'irqentry_enter(PF)', …]`), or undefined. */
export function traceLabels(r: CheckResult, property: string): string[] | undefined {
  const p = r.properties.find((q) => q.name === property);
  if (!p) throw new Error(`no property ${property} in the result`);
  return p.trace?.map((s) => s.action);
}

/** Checks one proposal as `kmc check` does by default: stopping at the first violation or deadlock. */
export function checkFirst(spec: AnyModelSpec, opts: RunOptions = {}): CheckResult {
  return checkModel(spec, { continueAfterViolation: false, ...opts });
}

/** The action labels of a trace (`['Init', 'check(0)', …]`), or undefined when there is none. */
export function labels(trace: Trace | undefined): string[] | undefined {
  return trace?.map((s) => s.action);
}

/** A property's result by name; throws when the result has no such property. */
export function property(r: CheckResult, name: string): PropertyResult {
  const p = r.properties.find((q) => q.name === name);
  if (!p) throw new Error(`no property ${name} in the result`);
  return p;
}

/** The result as JSON text with `stats.seconds` zeroed: what two runs of the same check must agree on. */
export function untimed(r: CheckResult): string {
  return JSON.stringify(resultToJson({ ...r, stats: { ...r.stats, seconds: 0 } }));
}

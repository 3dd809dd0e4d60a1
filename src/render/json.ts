/**
 * `kmc check --json`: one JSON document per check, with states in plain JSON (see the README's schema).
 */
import type { CheckResult, Trace } from '../engine/types.js';
import { toPlain } from './value.js';

export interface JsonTraceStep {
  readonly action: string;
  readonly state: unknown;
}

export function traceToJson(trace: Trace): JsonTraceStep[] {
  return trace.map((s) => ({ action: s.action, state: toPlain(s.state) }));
}

/** A property's name, kind, claim and status: the fields `check` and `simulate` share, in that order. */
export function propertyToJson(p: { name: string; kind: string; claim: string; status: string }) {
  return { name: p.name, kind: p.kind, claim: p.claim, status: p.status };
}

/** The result as plain data, in the documented field order. */
export function resultToJson(r: CheckResult): unknown {
  return {
    model: r.model,
    proposal: r.proposal,
    constants: r.constants,
    verdict: r.verdict,
    properties: r.properties.map((p) => ({ ...propertyToJson(p), ...(p.trace ? { trace: traceToJson(p.trace) } : {}) })),
    deadlock: r.deadlock ? { trace: traceToJson(r.deadlock.trace) } : null,
    error: r.error ? { action: r.error.action, message: r.error.message, trace: traceToJson(r.error.trace) } : null,
    incomplete: r.incomplete,
    stats: { ...statsToJson(r.stats), ...(r.store ? { store: r.store } : {}), ...(r.symmetry !== undefined ? { symmetry: r.symmetry } : {}) },
    coverage: r.coverage,
    warnings: r.warnings,
  };
}

/**
 * The stats but how the workers shared the work: `taken` varies from run to run with their timing (the
 * JSON of two identical runs differs only in the seconds), and `route` is the engine's business.
 */
function statsToJson(stats: CheckResult['stats']): Omit<CheckResult['stats'], 'taken' | 'route'> {
  const { taken: _taken, route: _route, ...rest } = stats;
  return rest;
}

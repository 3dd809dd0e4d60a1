/**
 * `kmc simulate --json`: the shape of `kmc check --json` (README), with `simulation` (what was asked for)
 * and, on each violation, deadlock, reached example and spec error, the walk that showed it and its seed.
 * Statuses are only `violated`, `reached` and `unknown`.
 */
import type { SimulationResult, Witness } from '../engine/simulation.js';
import { propertyToJson, traceToJson } from './json.js';

function witnessToJson(w: Witness) {
  return { trace: traceToJson(w.trace), run: w.run, seed: w.seed, walkSteps: w.walkSteps };
}

/** The result as plain data, in the documented field order. */
export function simulationToJson(r: SimulationResult): unknown {
  return {
    model: r.model,
    proposal: r.proposal,
    constants: r.constants,
    verdict: r.verdict,
    properties: r.properties.map((p) => ({ ...propertyToJson(p), ...(p.witness ? witnessToJson(p.witness) : {}) })),
    deadlock: r.deadlock ? witnessToJson(r.deadlock) : null,
    error: r.error
      ? { action: r.error.action, message: r.error.message, trace: traceToJson(r.error.trace), run: r.error.run, seed: r.error.seed }
      : null,
    incomplete: r.incomplete,
    simulation: r.simulation,
    stats: r.stats,
    coverage: r.coverage,
    warnings: r.warnings,
  };
}

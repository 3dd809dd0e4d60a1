/**
 * A simulation's findings made into its result (simulation.ts): each finding's walk shortened to a
 * witness that replays (shorten.ts), a spec error's walk without its cycles, the counts and coverage,
 * and a verdict that never claims more than random walks show.
 */
import { SpecError } from '../errors.js';
import type { ResolvedModel } from '../resolve.js';
import type { Codec } from './codec.js';
import { keyFunction, removeCycles, shorten } from './shorten.js';
import type { SimulateOptions, SimulationProperty, SimulationResult, Witness } from './simulation.js';
import type { Trace } from './types.js';

/** A walk (up to the finding), before shortening, with the walk's number and seed. */
export interface Found {
  readonly run: number;
  readonly seed: number;
  readonly trace: Trace;
}

/** What the walks showed, and what they cost. */
export interface SimulationFindings {
  /** Each violated property's first walk, by property index; `reached` likewise for reachability properties. */
  readonly violated: ReadonlyMap<number, Found>;
  readonly reached: ReadonlyMap<number, Found>;
  readonly deadlock: Found | null;
  readonly error: (Found & { readonly action: string; readonly message: string }) | null;
  readonly timedOut: boolean;
  readonly runs: number;
  readonly steps: number;
  readonly generated: number;
  readonly distinct: number;
  readonly longestWalk: number;
  /** Per action: instances generated, and steps taken. */
  readonly enabled: readonly number[];
  readonly taken: readonly number[];
  readonly seconds: number;
}

export function simulationResult(model: ResolvedModel, codec: Codec, options: SimulateOptions, f: SimulationFindings): SimulationResult {
  const witness = (found: Found, shortened: Trace): Witness => ({
    run: found.run,
    seed: found.seed,
    walkSteps: found.trace.length - 1,
    trace: shortened,
  });
  const properties = model.properties.map((p, i): SimulationProperty => {
    const base = { name: p.name, kind: p.kind, claim: p.claim };
    const found = p.kind === 'reachable' ? f.reached.get(i) : f.violated.get(i);
    if (!found) return { ...base, status: 'unknown' };
    const status = p.kind === 'reachable' ? 'reached' : 'violated';
    return { ...base, status, witness: witness(found, shorten(model, codec, found.trace, p)) };
  });
  const dl = f.deadlock;
  const deadlock = dl ? witness(dl, shorten(model, codec, dl.trace, { kind: 'deadlock', name: 'deadlock' })) : null;
  const e = f.error;
  const error = e ? { action: e.action, message: e.message, trace: cycleFree(codec, e.trace), run: e.run, seed: e.seed } : null;
  const violated = deadlock !== null || properties.some((p) => p.status === 'violated');
  return {
    model: model.model,
    proposal: model.proposal,
    constants: model.constants,
    verdict: error ? 'error' : violated ? 'violated' : 'incomplete',
    properties,
    deadlock,
    error,
    incomplete: f.timedOut ? 'timeout' : null,
    simulation: { runs: options.runs, depth: options.depth, seed: options.seed },
    stats: {
      runs: f.runs,
      steps: f.steps,
      generated: f.generated,
      distinct: f.distinct,
      longestWalk: f.longestWalk,
      seconds: f.seconds,
    },
    coverage: model.actions.map((a, i) => ({ action: a.name, enabled: f.enabled[i]!, taken: f.taken[i]! })),
    warnings: model.actions.flatMap((a, i) =>
      f.enabled[i] === 0 ? [`action ${a.name} never fired in ${f.runs} run${f.runs === 1 ? '' : 's'}`] : [],
    ),
  };
}

/**
 * A spec error's walk without its cycles. Not replayed (the spec would throw again, which is the point):
 * cutting a cycle keeps only steps the walk took from equal states, so for a deterministic spec the
 * shorter walk reaches the same state and throws there too.
 */
function cycleFree(codec: Codec, trace: Trace): Trace {
  try {
    return removeCycles(trace, keyFunction(codec));
  } catch (e) {
    if (e instanceof SpecError) return trace;
    throw e;
  }
}

/**
 * Turns what the search recorded (state ids, counters) into a `CheckResult`: rebuilds each trace by
 * replay, decides each property's status and the verdict. Pure apart from replaying the spec. Under
 * symmetry every trace is rebuilt on concrete states and replayed once more to confirm it
 * (symmetryTrace.ts).
 */
import { messageOf, NondeterminismError } from '../errors.js';
import type { Property } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import type { Codec, StateEncoder } from './codec.js';
import { INIT_LABEL, labelOf } from './label.js';
import { NO_EDGE, type SeenStore } from './store.js';
import { collisionWarning, storeReport } from './storeReport.js';
import type { BoundSymmetry } from './symmetry.js';
import { confirmConcrete, noConcreteViolation, violatingStep } from './symmetryTrace.js';
import { traceTo } from './trace.js';
import { takeTransition, unpackEdge } from './transition.js';
import type {
  CheckOptions,
  CheckResult,
  Limit,
  PropertyResult,
  SpecFailure,
  Step,
  Trace,
  Verdict,
} from './types.js';

/** Where a property failed: a state, or (for an action property) a transition out of a state. */
export interface FailurePoint {
  readonly id: number;
  readonly action?: number;
  readonly ordinal?: number;
}

/** The spec threw: what it was doing, and where. */
export interface ThrowPoint {
  readonly phase: string;
  readonly action: number;
  readonly params: unknown;
  /** The state being expanded, or -1 while seeding the initial states. */
  readonly id: number;
  /** The state the failing code was judging (a new state for invariants), or -1 for `id`. */
  readonly subject: number;
  /** The initial state being stored, when `id` is -1. */
  readonly init: number;
  readonly message: string;
  /**
   * The action instance's label, when whoever caught the throw worked it out (the parallel explorer,
   * whose `params` stay in the thread that threw); otherwise it is the label of `action` with `params`.
   */
  readonly label?: string;
}

/** Everything the search counted and found. */
export interface Findings {
  violated: Map<number, FailurePoint>;
  reached: Map<number, number>;
  deadlock: number;
  error: ThrowPoint | null;
  limit: Limit | null;
  /** The search stopped at a violation or deadlock (the default), so not everything was explored. */
  stopped: boolean;
  generated: number;
  /** How many ids the breadth-first loop has gone past: the rest are still queued. */
  processed: number;
  maxLevel: number;
  enabled: number[];
  fresh: number[];
  seconds: number;
}

export interface ResultInput {
  readonly model: ResolvedModel;
  readonly store: SeenStore;
  readonly codec: Codec;
  /** What the store keys states by: `codec`, or a canonicalizer when symmetry reduced the search. */
  readonly encoder: StateEncoder;
  /** The symmetry the run used, or null. */
  readonly symmetry: BoundSymmetry | null;
  readonly findings: Findings;
  readonly options: CheckOptions;
}

export function buildResult(input: ResultInput): CheckResult {
  const { model, store, findings: f } = input;
  const complete = f.error === null && f.limit === null && !f.stopped;
  let error: SpecFailure | null = f.error ? specFailure(input, f.error) : null;
  // A trace that cannot be rebuilt (a nondeterministic spec) turns the run into an error, but every
  // property keeps its status; only the unbuildable traces are missing.
  const rebuild = (id: number, build: () => Trace): Trace | undefined => {
    try {
      return build();
    } catch (e) {
      if (!(e instanceof NondeterminismError)) throw e;
      // Under symmetry a step that cannot be found again may also mean ids the declaration renumbers
      // are treated differently somewhere: the run without symmetry tells the two apart.
      const hint = reduced(input) ? ' (the search ran under symmetry: if a run without it rebuilds the trace, the declared symmetry is not one)' : '';
      error ??= { action: labelAt(input, id), message: e.message + hint, trace: [] };
      return undefined;
    }
  };
  const properties = model.properties.map((p, i) => propertyResult(input, { p, i, complete, rebuild }));
  const deadlockTrace =
    f.deadlock >= 0 ? rebuild(f.deadlock, () => confirmed(input, DEADLOCK, traceTo(model, store, input.encoder, f.deadlock))) : undefined;
  const deadlock: CheckResult['deadlock'] = deadlockTrace ? { trace: deadlockTrace } : null;
  const verdict = verdictOf(error !== null, properties, deadlock !== null, complete);
  const queued = store.size - f.processed;
  const storeStats = storeReport(store, f.generated, input.options.limits?.memoryBytes);
  return {
    model: model.model,
    proposal: model.proposal,
    constants: model.constants,
    verdict,
    properties,
    deadlock,
    error,
    incomplete: f.limit,
    stats: { generated: f.generated, distinct: store.size, queued, depth: f.maxLevel + 1, seconds: f.seconds },
    store: storeStats,
    symmetry: input.symmetry?.report ?? null,
    coverage: model.actions.map((a, i) => ({ action: a.name, enabled: f.enabled[i]!, fresh: f.fresh[i]! })),
    warnings: [...warnings(input, complete), ...[collisionWarning(storeStats)].filter((w) => w !== null)],
  };
}

interface PropertyInput {
  readonly p: Property<unknown>;
  readonly i: number;
  readonly complete: boolean;
  readonly rebuild: (id: number, build: () => Trace) => Trace | undefined;
}

function propertyResult(input: ResultInput, { p, i, complete, rebuild }: PropertyInput): PropertyResult {
  const f = input.findings;
  const base = { name: p.name, kind: p.kind, claim: p.claim };
  if (p.kind === 'reachable') {
    const at = f.reached.get(i);
    if (at === undefined) return { ...base, status: complete ? 'unreached' : 'unknown' };
    const trace = rebuild(at, () => confirmed(input, p, traceTo(input.model, input.store, input.encoder, at)));
    return { ...base, status: 'holds', ...(trace ? { trace } : {}) };
  }
  const at = f.violated.get(i);
  if (at === undefined) return { ...base, status: complete ? 'holds' : 'unknown' };
  const trace = rebuild(at.id, () => confirmed(input, p, failureTrace(input, p, at)));
  return { ...base, status: 'violated', ...(trace ? { trace } : {}) };
}

/**
 * The label of the transition that first reached state `id`, for naming where replay went wrong; '-'
 * when the store does not keep edges (the message says which step failed).
 */
function labelAt(input: ResultInput, id: number): string {
  if (input.store.isRoot(id)) return INIT_LABEL;
  const edge = input.store.edge(id);
  return edge === NO_EDGE ? '-' : (input.model.actions[unpackEdge(edge).action]?.name ?? '-');
}

const DEADLOCK = { kind: 'deadlock', name: 'deadlock' } as const;

/** Whether the search ran on representatives, so that traces must be confirmed on concrete states. */
function reduced(input: ResultInput): boolean {
  return input.symmetry !== null && input.encoder !== input.codec;
}

/** `trace`, once replayed without symmetry when symmetry reduced the search (else as it is). */
function confirmed(input: ResultInput, finding: Parameters<typeof confirmConcrete>[3], trace: Trace): Trace {
  if (reduced(input)) confirmConcrete(input.model, input.symmetry!, trace, finding);
  return trace;
}

function failureTrace(input: ResultInput, p: Property<unknown>, at: FailurePoint): Trace {
  const steps: Step[] = traceTo(input.model, input.store, input.encoder, at.id);
  if (at.action === undefined || at.ordinal === undefined) return steps;
  const last = steps[steps.length - 1]!.state;
  if (reduced(input) && p.kind === 'action') {
    // The recorded transition left the representative; the concrete state has its own, renumbered.
    const step = violatingStep(input.model, last, p);
    if (!step) throw noConcreteViolation(input.model, input.symmetry!, p);
    return [...steps, { action: step.label, state: step.next }];
  }
  const taken = takeTransition(input.model, last, at.action, at.ordinal);
  if (!taken) throw new NondeterminismError(`the spec is nondeterministic: the violating step is no longer enabled on replay`);
  return [...steps, { action: taken.label, state: taken.next }];
}

function specFailure(input: ResultInput, t: ThrowPoint): SpecFailure {
  const { model, store, encoder: codec } = input;
  const a = model.actions[t.action];
  const action = t.label ?? (a ? (t.phase === 'params' ? a.name : labelOf(a, t.params)) : t.id < 0 ? INIT_LABEL : '-');
  const where = t.phase === 'init' ? 'storing an initial state' : `in the ${t.phase}${a ? ` of ${action}` : ''}`;
  let trace: Trace = [];
  try {
    if (t.id < 0) trace = [{ action: INIT_LABEL, state: model.init[t.init] }];
    else trace = traceTo(model, store, codec, t.subject >= 0 ? t.subject : t.id);
  } catch (e) {
    return { action, message: `${where}: ${t.message} (and the trace could not be rebuilt: ${messageOf(e)})`, trace };
  }
  // Under symmetry the spec threw on a representative; the concrete trace ends in a renumbering of it.
  const renumbered =
    reduced(input) && t.id >= 0 ? ' (the search ran under symmetry: the trace ends in a renumbering of the state it threw on)' : '';
  return { action, message: `${where}: ${t.message}${renumbered}`, trace };
}

function verdictOf(error: boolean, props: readonly PropertyResult[], deadlock: boolean, complete: boolean): Verdict {
  if (error) return 'error';
  if (deadlock || props.some((p) => p.status === 'violated' || p.status === 'unreached')) return 'violated';
  return complete ? 'holds' : 'incomplete';
}

function warnings(input: ResultInput, complete: boolean): string[] {
  const out: string[] = [];
  input.model.actions.forEach((a, i) => {
    if (input.findings.enabled[i] === 0) {
      out.push(`action ${a.name} never fired${complete ? '' : ' (in this incomplete run)'}`);
    }
  });
  return out;
}

/**
 * What a check produces: results as data. Renderers turn a `CheckResult` into text, JSON, DOT or ITF;
 * nothing here prints.
 */
import type { PropertyKind } from '../model.js';

/** One step of a behaviour: the action instance taken (`Init` for the first) and the state it produced. */
export interface Step<S = unknown> {
  readonly action: string;
  readonly state: S;
}
export type Trace<S = unknown> = readonly Step<S>[];

/**
 * A property's outcome. `holds` needs a complete run (for a reachability property: it was reached);
 * `unreached` is a reachability property never reached in a complete run (the model is vacuous there);
 * `unknown` is anything a run that stopped early cannot decide.
 */
export type PropertyStatus = 'holds' | 'violated' | 'unreached' | 'unknown';

export interface PropertyResult<S = unknown> {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly claim: string;
  readonly status: PropertyStatus;
  /** For a violation, the shortest counterexample; for a reached reachability property, the shortest example. */
  readonly trace?: Trace<S>;
}

/** `holds`: complete and nothing failed; `violated`: a property failed or a deadlock; `error`: the spec threw. */
export type Verdict = 'holds' | 'violated' | 'incomplete' | 'error';

/** Why a run stopped before exploring everything. */
export type Limit = 'max-states' | 'max-depth' | 'timeout';

/** TLC's progress triple plus depth and time. */
export interface Stats {
  readonly generated: number;
  readonly distinct: number;
  readonly queued: number;
  readonly depth: number;
  readonly seconds: number;
}

/** Per action: how many instances were enabled, and how many led to a state never seen before. */
export interface ActionCoverage {
  readonly action: string;
  readonly enabled: number;
  readonly fresh: number;
}

/** The spec threw: in a guard, an effect, a property, or it built a state kmc cannot store. */
export interface SpecFailure<S = unknown> {
  readonly action: string;
  readonly message: string;
  /** The trace to the state where it threw (that state is the last step). */
  readonly trace: Trace<S>;
}

export interface CheckResult<S = unknown> {
  readonly model: string;
  readonly proposal: string;
  readonly constants: Readonly<Record<string, number | string | boolean>>;
  readonly verdict: Verdict;
  readonly properties: readonly PropertyResult<S>[];
  /** The shortest path to a reachable state with no enabled action that is not terminal. */
  readonly deadlock: { readonly trace: Trace<S> } | null;
  readonly error: SpecFailure<S> | null;
  /** Which limit stopped the run, when one did. */
  readonly incomplete: Limit | null;
  readonly stats: Stats;
  readonly coverage: readonly ActionCoverage[];
  /** Things a reviewer should know that do not change the verdict (an action that never fired). */
  readonly warnings: readonly string[];
}

export interface Limits {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutSeconds?: number;
}

export interface CheckOptions {
  readonly limits?: Limits;
  /** Report reachable non-terminal states without successors (on by default, as in TLC). */
  readonly deadlock?: boolean;
  /** Keep exploring after the first violation and report every violated property once. */
  readonly continueAfterViolation?: boolean;
}

/** Callbacks: the engine never prints or reads the clock for display itself. */
export interface Observer {
  /** Called every few thousand states; the CLI throttles by time. */
  progress?(stats: Stats): void;
}

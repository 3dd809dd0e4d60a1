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

/**
 * Why a run stopped before exploring everything. `memory`: the seen-state store (or its frontier) could
 * not grow within the memory budget (`CheckResult.store.full` says what was needed).
 */
export type Limit = 'max-states' | 'max-depth' | 'timeout' | 'memory';

/** TLC's progress triple plus depth and time. */
export interface Stats {
  readonly generated: number;
  readonly distinct: number;
  readonly queued: number;
  readonly depth: number;
  readonly seconds: number;
  /** How many threads explored states: 1 unless the parallel explorer handed the run to its workers. */
  readonly workers?: number;
  /** With workers: how many states a worker took from another's share of a level, having done its own. */
  readonly taken?: number;
  /** With workers: the leading bytes of a state that picked its owner, 0 for all of them (parallel/route.ts). */
  readonly route?: number;
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
  /** The seen-state store the run used and what it held; absent from results built without a store. */
  readonly store?: StoreReport;
  /** The symmetry reduction the run used, null when none; absent from results built without a search. */
  readonly symmetry?: SymmetryReport | null;
  readonly coverage: readonly ActionCoverage[];
  /** Things a reviewer should know that do not change the verdict (an action that never fired). */
  readonly warnings: readonly string[];
}

/**
 * The symmetry reduction a run used: the model's sets of interchangeable ids with their sizes at the
 * run's constants, and how many renumberings of each state the explorer compares (the product of the
 * sizes' factorials; 1 means the sets are too small to reduce anything at these constants).
 */
export interface SymmetryReport {
  readonly sets: readonly { readonly name: string; readonly size: number }[];
  readonly permutations: number;
}

export interface Limits {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutSeconds?: number;
  /** The bytes the seen-state store and its frontier may hold (the CLI's `--memory`); unbounded if absent. */
  readonly memoryBytes?: number;
}

/**
 * Which seen-state store a run uses: `exact` keeps every state's canonical bytes (never merges two
 * states); `fingerprint` keeps a 64-bit fingerprint and a parent id per state (about 20 bytes a state,
 * with TLC's collision risk).
 */
export type StoreKind = 'exact' | 'fingerprint';

/** Bytes a store holds, by part (allocated capacity, not just what is in use). */
export interface StoreMemory {
  /** The open-addressing table from hash or fingerprint to state id. */
  readonly table: number;
  /** The per-state arrays: fingerprints or hashes, parents, edges, offsets, flags. */
  readonly perState: number;
  /** The states' own bytes: the exact store's chunks, which are also its queue; 0 for fingerprints. */
  readonly states: number;
  /** The fingerprint store's frontier (states still to expand, packed); 0 for the exact store. */
  readonly frontier: number;
}

/** Why a store stopped growing: over the budget, at a fixed capacity, or the system refused memory. */
export interface StoreFull {
  readonly cause: 'budget' | 'capacity' | 'allocation';
  /** One clause for a sentence, without command-line advice: what is held and what was needed. */
  readonly message: string;
}

/** The store a run used, as reported with its statistics. */
export interface StoreReport {
  readonly kind: StoreKind;
  /** At the end: table + per-state arrays + state bytes (the frontier is not part of the store). */
  readonly bytes: number;
  readonly parts: StoreMemory;
  /** The most the fingerprint store's frontier held at once; 0 for the exact store. */
  readonly frontierPeakBytes: number;
  /** The memory budget, or null when unbounded. */
  readonly budgetBytes: number | null;
  /**
   * TLC's optimistic estimate n·(g−n)/2^64 that two distinct states shared a fingerprint (n distinct,
   * g generated); null for the exact store, which cannot merge states.
   */
  readonly collisionProbability: number | null;
  /** Set when the memory limit stopped the run. */
  readonly full: StoreFull | null;
}

export interface CheckOptions {
  readonly limits?: Limits;
  /** The seen-state store (default `exact`). */
  readonly store?: StoreKind;
  /** Report reachable non-terminal states without successors (on by default, as in TLC). */
  readonly deadlock?: boolean;
  /** Keep exploring after the first violation and report every violated property once. */
  readonly continueAfterViolation?: boolean;
  /**
   * Use the model's declared symmetry (default true, as `kmc check` does): keep one state per orbit.
   * Verdicts and counterexample lengths are the same; distinct counts are smaller.
   */
  readonly symmetry?: boolean;
}

/** Callbacks: the engine never prints or reads the clock for display itself. */
export interface Observer {
  /** Called every few thousand states; the CLI throttles by time. */
  progress?(stats: Stats): void;
}

/**
 * The spec vocabulary: constants, actions, properties, proposals and models.
 *
 * Types only. A model is written once against these types (through the helpers in `define.ts`), and the
 * engine sees it only after `resolve.ts` has bound one proposal and one set of constants.
 */

/** A model state: an Immutable.js value (Record, List, Map, Set, Ordered*) built from primitives. */
export type State = unknown;

/** The value of one constant for one run. */
export type ConstValue = number | string | boolean;

/** An integer constant with an inclusive range (`nCpus`, `maxDepth`). */
export interface IntConstant {
  readonly kind: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}

/** A constant chosen from a fixed list of names (`granularity`: `coarse` or `nmi`). */
export interface EnumConstant<V extends string = string> {
  readonly kind: 'enum';
  readonly default: V;
  readonly values: readonly V[];
  readonly doc: string;
}

/** A true/false switch. */
export interface BoolConstant {
  readonly kind: 'bool';
  readonly default: boolean;
  readonly doc: string;
}

export type ConstantDecl = IntConstant | EnumConstant | BoolConstant;
export type ConstantDecls = Readonly<Record<string, ConstantDecl>>;

/** The values a set of declarations takes in one run, with each constant's own type. */
export type ConstantsOf<D extends ConstantDecls> = {
  readonly [N in keyof D]: D[N] extends EnumConstant<infer V> ? V : D[N] extends IntConstant ? number : boolean;
};

/** Constants as the engine and the renderers see them: name → value, in declaration order. */
export type Constants = Readonly<Record<string, ConstValue>>;

/**
 * A kernel step: a guarded transition family, TLA+'s `\E p \in params(s): guard(s, p) /\ s' = effect(s, p)`.
 *
 * `name` is the kernel function (or `function:step`) it models; the trace label of an instance is the
 * name plus its parameters, `irqentry_exit(cpu=0)`, unless `label` says otherwise.
 */
export interface Action<S, K = Constants> {
  readonly name: string;
  /** One sentence: the kernel code this step stands for, and why the step is cut where it is. */
  readonly doc?: string;
  /** The choices for the step's parameters (a CPU, a task, a value); absent means one instance. */
  readonly params?: (s: S, k: K) => Iterable<unknown>;
  /** Whether the instance is enabled; absent means always (the effect may still return undefined). */
  readonly guard?: (s: S, p: never, k: K) => boolean;
  /** The next state, or `undefined` when this instance is not enabled after all. */
  readonly effect: (s: S, p: never, k: K) => S | undefined;
  /** The label of one instance; defaults to `name(p)` for a primitive, `name(a=1, b=2)` for an object. */
  readonly label?: (p: never) => string;
}

/** What an action property sees of the step it judges. */
export interface StepInfo {
  /** The action's name, `irqentry_exit`. */
  readonly action: string;
  /** The instance's label, `irqentry_exit(cpu=0)`. */
  readonly label: string;
  /** The parameter the instance was generated with (`undefined` for a parameterless action). */
  readonly params: unknown;
}

/** A predicate on every reachable state (TLA+ `[]P`, stateright `always`). */
export interface Invariant<S, K = Constants> {
  readonly kind: 'invariant';
  readonly name: string;
  /** The claim in kernel terms, one line. */
  readonly claim: string;
  readonly holds: (s: S, k: K) => boolean;
}

/** A predicate on every step (TLA+ `[][A]_vars`): needs no ghost variable to compare before and after. */
export interface ActionProperty<S, K = Constants> {
  readonly kind: 'action';
  readonly name: string;
  readonly claim: string;
  readonly holds: (s: S, next: S, step: StepInfo, k: K) => boolean;
}

/** A situation that must be reachable, or the model is vacuous (stateright `sometimes`). */
export interface Reachable<S, K = Constants> {
  readonly kind: 'reachable';
  readonly name: string;
  readonly claim: string;
  readonly reached: (s: S, k: K) => boolean;
}

export type Property<S, K = Constants> = Invariant<S, K> | ActionProperty<S, K> | Reachable<S, K>;
export type PropertyKind = Property<unknown>['kind'];

/**
 * One set of interchangeable ids (CPUs, tasks, keys): TLC's SYMMETRY set, stateright's representative
 * states. Ids of the set are 0 .. size-1 (a set that is a slice of a larger numbering, say the tasks
 * that never call pks_set, maps them in `permute`). The explorer keeps one state per orbit: the renumbering
 * whose canonical bytes are lexicographically smallest.
 *
 * Declaring a set is a claim about the whole model: every action, property, the constraint and the
 * terminal predicate must treat the ids alike, so that renumbering a state renumbers its successors
 * and keeps every verdict. The initial states need not be symmetric. kmc checks the claim on the first
 * states it explores and refuses a declaration that fails (a spec error naming the set); it is a check,
 * not a proof.
 */
export interface SymmetrySet<S, K = Constants> {
  /** What is interchangeable, as the reports say it: `CPUs`, `tasks`. */
  readonly name: string;
  /** How many ids the set has at these constants. */
  readonly size: (k: K) => number;
  /**
   * `s` with the ids renumbered: `perm[i]` is the new id of id i (a permutation of 0 .. size-1). It must
   * renumber every field that holds such an id (`cur`, a lock owner, a Set of ids, a stack named
   * `tramp(0)`) and move every per-id entry (element i of `cpus` goes to position `perm[i]`); ids outside
   * the set and values that are not ids stay as they are. Pure, like an action's effect.
   */
  readonly permute: (s: S, perm: readonly number[], k: K) => S;
}

/** A model's symmetry: its sets of interchangeable ids; the orbits are the product of their permutations. */
export type Symmetry<S, K = Constants> = readonly SymmetrySet<S, K>[];

/**
 * An entry frame live on a timeline lane: the kernel's short name for how the code was entered
 * (`syscall`, `#PF`, `#GP`, `IRQ`, `NMI`), and what the design keeps in that frame (pt_regs aux space,
 * `irqentry_state_t`), since that storage lives and dies with the frame.
 */
export interface TimelineFrame {
  readonly name: string;
  /** Values kept in the frame, name → short value (`aux.pkrs: k1`); drawn where they change. */
  readonly saved?: Readonly<Record<string, string>>;
}

/**
 * One column of the nesting timeline at one step: a CPU, or a task while it is off every CPU (asleep,
 * runnable, exited). A task's frames are drawn in the lane it is in, so a sleep moves them from the CPU's
 * lane to the task's own, and a migration brings them back on another CPU's lane.
 */
export interface TimelineLane {
  /** The column's name, the same at every step: `CPU 0`, `task A`. */
  readonly lane: string;
  /** A CPU's lane, or a task's own lane; only a move onto a CPU lane counts as running there. */
  readonly kind: 'cpu' | 'task';
  /** Whose frames these are (`task A`; absent when a CPU is idle): lets kmc mark sleeps and migrations. */
  readonly task?: string;
  /** What runs here, in a few words: `task A`, `idle`, `asleep`, `runnable`; drawn where it changes. */
  readonly runs: string;
  /** The entry frames live here, outermost first. */
  readonly frames: readonly TimelineFrame[];
  /** This lane's key registers, name → short value (`PKRS: k1`, `CR3: user`); drawn where they change. */
  readonly regs?: Readonly<Record<string, string>>;
}

/** What the nesting timeline draws of one state: its lanes, and registers that belong to no lane. */
export interface TimelineSnapshot {
  readonly lanes: readonly TimelineLane[];
  /** Machine-wide values (`pkrs_global_cache`, a lock, `mm->pasid`), drawn in their own column. */
  readonly regs?: Readonly<Record<string, string>>;
}

/**
 * How a model's state is drawn as a whiteboard timeline (lanes, nested entry frames, registers). It
 * must be a pure function of the state, like a property; a model without one simply gets no timeline.
 */
export type TimelineView<S, K = Constants> = (s: S, k: K) => TimelineSnapshot;

/** Everything a proposal can change: the pieces of a model once its constants are known. */
export interface ModelParts<S, K = Constants> {
  readonly init: readonly S[];
  readonly actions: readonly Action<S, K>[];
  readonly properties: readonly Property<S, K>[];
  /** TLC's CONSTRAINT: states outside it are checked but not expanded. */
  readonly constraint?: (s: S, k: K) => boolean;
  /** States where having no enabled action is the intended end, not a deadlock. */
  readonly terminal?: (s: S, k: K) => boolean;
  /** Interchangeable ids, for symmetry reduction; none when absent or empty. */
  readonly symmetry?: Symmetry<S, K>;
  /** How each state is drawn on the nesting timeline of a counterexample. */
  readonly view?: TimelineView<S, K>;
}

/** A named design variant of a model: a patch series or a mailing-list proposal. */
export interface Proposal<S, K = Constants> {
  readonly id: string;
  /** One line: what the design does differently. */
  readonly summary: string;
  /** Where it comes from: a Message-Id, a commit, a file at a version. */
  readonly source: string;
  /** The proposal this one starts from; the model's baseline when absent. */
  readonly extends?: string;
  /** Changed defaults of constants. */
  readonly constants?: Partial<K>;
  /** Actions to drop, by name. */
  readonly remove?: readonly string[];
  /** Actions that take the place of the same-named action (and keep its position). */
  readonly replace?: readonly Action<S, K>[];
  /** Actions to add after the others. */
  readonly add?: readonly Action<S, K>[];
  /** Properties that only make sense for this design (a stack overflow check for a stack design). */
  readonly addProperties?: readonly Property<S, K>[];
  /** The design's own timeline view, when it keeps state the model's view does not draw. */
  readonly view?: TimelineView<S, K>;
  /**
   * The design's symmetry instead of the model's: `[]` when the design treats some id specially (CPU 0
   * does the global update, a loop visits CPUs in order), so ids are no longer interchangeable.
   */
  readonly symmetry?: Symmetry<S, K>;
  /** Anything else, applied last. */
  readonly patch?: (parts: ModelParts<S, K>, k: K) => ModelParts<S, K>;
}

/**
 * A named set of bounds, `large`: constants a reviewer raises together, documented with what the run
 * costs (BENCHMARKS.md), so that `--preset large` is a known quantity rather than a guess.
 */
export interface Preset<K> {
  /** One line: what the bounds add (`3 tasks: a second sleeper migrates while the first runs`). */
  readonly summary: string;
  readonly constants: Partial<K>;
}

/** A kernel mechanism under study: constants, the model's pieces as a function of them, and proposals. */
export interface ModelSpec<S, D extends ConstantDecls = ConstantDecls> {
  readonly kind: 'kmc-model';
  readonly name: string;
  readonly summary: string;
  readonly constants: D;
  readonly build: (k: ConstantsOf<D>) => ModelParts<S, ConstantsOf<D>>;
  /** The proposal checked when none is named; it is one of `proposals`. */
  readonly baseline: string;
  readonly proposals: readonly Proposal<S, ConstantsOf<D>>[];
  /** Named bounds, `--preset <name>`: applied after a proposal's own constants, before `--const`. */
  readonly presets?: Readonly<Record<string, Preset<ConstantsOf<D>>>>;
}

/** A reviewer's proposal kept in its own file, against a model it imports. */
export interface ProposalFile<S, D extends ConstantDecls = ConstantDecls> {
  readonly kind: 'kmc-proposal';
  readonly model: ModelSpec<S, D>;
  readonly proposal: Proposal<S, ConstantsOf<D>>;
}

/** Any model, with its state and constants types erased: what registries and the CLI hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModelSpec = ModelSpec<any, any>;

/**
 * Authoring helpers. They are identities at run time (apart from light validation): they exist so that
 * TypeScript infers a model's state, constants and action parameters once, where they are defined.
 */
import type {
  Action,
  ActionProperty,
  BoolConstant,
  ConstantDecls,
  ConstantsOf,
  EnumConstant,
  IntConstant,
  Invariant,
  ModelParts,
  ModelSpec,
  Preset,
  Proposal,
  ProposalFile,
  Reachable,
  StepInfo,
  SymmetrySet,
  TimelineSnapshot,
  TimelineView,
} from './model.js';

/** An integer constant, `int(1, 1, 2, 'CPUs')`: default, inclusive range, what it bounds. */
export function int(def: number, min: number, max: number, doc: string): IntConstant {
  return { kind: 'int', default: def, min, max, doc };
}

/** A constant chosen by name, `oneOf(['coarse', 'nmi'], 'coarse', '…')`. */
export function oneOf<const V extends string>(values: readonly V[], def: NoInfer<V>, doc: string): EnumConstant<V> {
  return { kind: 'enum', default: def, values, doc };
}

/** A boolean switch. */
export function flag(def: boolean, doc: string): BoolConstant {
  return { kind: 'bool', default: def, doc };
}

/** An action with a typed parameter `P`, inferred from `params`. */
export interface ActionDef<S, K, P> {
  readonly name: string;
  readonly doc?: string;
  readonly params?: (s: S, k: K) => Iterable<P>;
  readonly guard?: (s: S, p: P, k: K) => boolean;
  readonly effect: (s: S, p: P, k: K) => S | undefined;
  readonly label?: (p: P) => string;
}

/** The builders a spec uses, with the state type `S` and constants `K` bound once. */
export interface SpecBuilders<S, K> {
  action<P = undefined>(def: ActionDef<S, K, P>): Action<S, K>;
  invariant(name: string, claim: string, holds: (s: S, k: K) => boolean): Invariant<S, K>;
  actionProperty(
    name: string,
    claim: string,
    holds: (s: S, next: S, step: StepInfo, k: K) => boolean,
  ): ActionProperty<S, K>;
  reachable(name: string, claim: string, reached: (s: S, k: K) => boolean): Reachable<S, K>;
  /** The model's timeline view, typed against its state: `view((s) => ({ lanes: [...] }))`. */
  view(draw: (s: S, k: K) => TimelineSnapshot): TimelineView<S, K>;
  /**
   * A set of interchangeable ids: `symmetric({ name: 'CPUs', size: (k) => k.nCpus, permute: (s, perm) => … })`,
   * where `perm[i]` is the new id of id i (see `SymmetrySet`; `permuteList` and `renumber` help).
   */
  symmetric(set: SymmetrySet<S, K>): SymmetrySet<S, K>;
}

/**
 * Binds the state and constants types, so that everything defined through the result infers them:
 * `const { action, invariant } = forState<Machine, typeof constants>()`.
 */
export function forState<S, K = ConstantsOf<ConstantDecls>>(): SpecBuilders<S, K> {
  return {
    action: (def) => def as unknown as Action<S, K>,
    invariant: (name, claim, holds) => ({ kind: 'invariant', name, claim, holds }),
    actionProperty: (name, claim, holds) => ({ kind: 'action', name, claim, holds }),
    reachable: (name, claim, reached) => ({ kind: 'reachable', name, claim, reached }),
    view: (draw) => draw,
    symmetric: (set) => set,
  };
}

/** What a model file declares; `defineModel` adds the tag the CLI recognises. */
export interface ModelDef<S, D extends ConstantDecls> {
  readonly name: string;
  readonly summary: string;
  readonly constants: D;
  readonly build: (k: ConstantsOf<D>) => ModelParts<S, ConstantsOf<D>>;
  readonly baseline: string;
  readonly proposals: readonly Proposal<S, ConstantsOf<D>>[];
  readonly presets?: Readonly<Record<string, Preset<ConstantsOf<D>>>>;
}

/** Declares a model. Checks the declaration's own consistency (names, ranges, the baseline exists). */
export function defineModel<S, const D extends ConstantDecls>(def: ModelDef<S, D>): ModelSpec<S, D> {
  checkDeclaration(def as unknown as ModelDef<unknown, ConstantDecls>);
  return { kind: 'kmc-model', ...def };
}

/** Declares a proposal kept in its own file: `export default defineProposal(model, { id, … })`. */
export function defineProposal<S, D extends ConstantDecls>(
  model: ModelSpec<S, D>,
  proposal: Proposal<S, ConstantsOf<D>>,
): ProposalFile<S, D> {
  return { kind: 'kmc-proposal', model, proposal };
}

const NAME = /^[a-z][a-z0-9-]*$/;

function checkDeclaration(def: ModelDef<unknown, ConstantDecls>): void {
  const fail = (what: string): never => {
    throw new Error(`model ${def.name}: ${what}`);
  };
  if (!NAME.test(def.name)) fail('a model name is lower-case kebab-case');
  for (const [name, c] of Object.entries(def.constants)) {
    if (c.kind === 'int' && !(c.min <= c.default && c.default <= c.max)) fail(`constant ${name}'s default is outside its range`);
    if (c.kind === 'enum' && !c.values.includes(c.default)) fail(`constant ${name}'s default is not one of its values`);
  }
  const ids = new Set<string>();
  for (const p of def.proposals) {
    if (!NAME.test(p.id)) fail(`proposal id "${p.id}" is not kebab-case`);
    if (ids.has(p.id)) fail(`proposal "${p.id}" is declared twice`);
    ids.add(p.id);
  }
  if (!ids.has(def.baseline)) fail(`the baseline "${def.baseline}" is not among the proposals`);
  for (const p of def.proposals) {
    if (p.extends !== undefined && !ids.has(p.extends)) fail(`proposal "${p.id}" extends unknown "${p.extends}"`);
  }
  for (const [name, preset] of Object.entries(def.presets ?? {})) {
    if (!NAME.test(name)) fail(`preset name "${name}" is not kebab-case`);
    for (const [c, v] of Object.entries(preset.constants as Record<string, unknown>)) {
      const d = def.constants[c];
      if (!d) fail(`preset "${name}" sets unknown constant "${c}"`);
      else if (!valueFits(d, v)) fail(`preset "${name}" sets constant ${c} outside its range`);
    }
  }
}

function valueFits(d: ConstantDecls[string], v: unknown): boolean {
  if (d.kind === 'int') return typeof v === 'number' && Number.isInteger(v) && v >= d.min && v <= d.max;
  if (d.kind === 'enum') return typeof v === 'string' && d.values.includes(v);
  return typeof v === 'boolean';
}

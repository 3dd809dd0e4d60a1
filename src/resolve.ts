/**
 * From a model declaration, a proposal id and constant overrides to the one model the engine checks.
 * Every user mistake here (unknown proposal, constant out of range) is a `UsageError` naming what exists.
 */
import { SpecError, UsageError } from './errors.js';
import type {
  Action,
  AnyModelSpec,
  ConstantDecl,
  Constants,
  ConstValue,
  ModelParts,
  Property,
  Proposal,
} from './model.js';

/** A model with one proposal and all constants bound: what `explore` takes. */
export interface ResolvedModel<S = unknown> extends ModelParts<S, Constants> {
  readonly model: string;
  readonly proposal: string;
  readonly constants: Constants;
}

/** What the command line asked for. */
export interface ResolveRequest {
  readonly proposal?: string;
  /** A preset the model declares (`large`): its constants come after the proposal's, before `constants`. */
  readonly preset?: string;
  /** Constant overrides as given on the command line (`nCpus=2`), still text. */
  readonly constants?: Readonly<Record<string, string>>;
  /** Restrict the properties to these names. */
  readonly properties?: readonly string[];
  /** A reviewer's proposal from a file, added to the model's own. */
  readonly extraProposal?: Proposal<unknown, Constants>;
}

/** Resolves `req` against `spec`; throws `UsageError` for anything the user can fix. */
export function resolveModel(spec: AnyModelSpec, req: ResolveRequest = {}): ResolvedModel {
  const proposals: Proposal<unknown, Constants>[] = [...spec.proposals];
  if (req.extraProposal) {
    if (proposals.some((p) => p.id === req.extraProposal?.id)) {
      throw new UsageError(`proposal "${req.extraProposal.id}" already exists in model ${spec.name}`);
    }
    proposals.push(req.extraProposal);
  }
  const id = req.proposal ?? req.extraProposal?.id ?? spec.baseline;
  const chain = proposalChain(spec.name, proposals, id);
  const k = bindConstants(spec, chain, presetConstants(spec, req.preset), req.constants ?? {});
  let parts: ModelParts<unknown, Constants> = spec.build(k);
  for (const p of chain) parts = applyProposal(parts, p, k);
  checkUniqueNames(spec.name, parts);
  parts = selectProperties(spec.name, parts, req.properties);
  return { ...parts, model: spec.name, proposal: id, constants: k };
}

/** The proposal and its ancestors, baseline-most first. */
function proposalChain(model: string, all: readonly Proposal<unknown, Constants>[], id: string) {
  const byId = new Map(all.map((p) => [p.id, p]));
  const chain: Proposal<unknown, Constants>[] = [];
  for (let cur: string | undefined = id; cur !== undefined; cur = byId.get(cur)?.extends) {
    const p = byId.get(cur);
    if (!p) throw new UsageError(`unknown proposal "${cur}" for model ${model}; known: ${[...byId.keys()].join(', ')}`);
    if (chain.includes(p)) throw new SpecError(`proposal "${id}" extends itself`);
    chain.unshift(p);
  }
  return chain;
}

/** The constants of the preset `name`, or none; an unknown name is the user's mistake. */
function presetConstants(spec: AnyModelSpec, name: string | undefined): Constants {
  if (name === undefined) return {};
  const presets = (spec.presets ?? {}) as Readonly<Record<string, { constants: Constants }>>;
  const preset = presets[name];
  if (!preset) {
    const known = Object.keys(presets);
    throw new UsageError(`unknown preset "${name}" for model ${spec.name}; known: ${known.join(', ') || '(none)'}`);
  }
  return preset.constants;
}

function bindConstants(
  spec: AnyModelSpec,
  chain: readonly Proposal<unknown, Constants>[],
  preset: Constants,
  overrides: Readonly<Record<string, string>>,
): Constants {
  const decls = spec.constants as Readonly<Record<string, ConstantDecl>>;
  const k: Record<string, ConstValue> = {};
  for (const [name, d] of Object.entries(decls)) k[name] = d.default;
  for (const p of chain) {
    for (const [name, v] of Object.entries(p.constants ?? {})) {
      const d = decls[name];
      if (!d) throw new SpecError(`proposal "${p.id}" sets unknown constant "${name}"`);
      if (v === undefined || !inRange(d, v)) throw new SpecError(`proposal "${p.id}" sets constant ${name} outside its range`);
      k[name] = v;
    }
  }
  // A preset is the reviewer's choice of bounds, so it wins over a proposal's changed defaults; checked
  // against the declarations when the model was defined.
  Object.assign(k, preset);
  for (const [name, text] of Object.entries(overrides)) {
    const d = decls[name];
    if (!d) {
      const known = Object.keys(decls);
      throw new UsageError(`unknown constant "${name}" for model ${spec.name}; known: ${known.join(', ') || '(none)'}`);
    }
    k[name] = parseConstant(name, d, text);
  }
  return k;
}

function inRange(d: ConstantDecl, v: ConstValue): boolean {
  if (d.kind === 'int') return typeof v === 'number' && Number.isInteger(v) && v >= d.min && v <= d.max;
  if (d.kind === 'enum') return typeof v === 'string' && d.values.includes(v);
  return typeof v === 'boolean';
}

/** Parses one `--const` value against its declaration. */
export function parseConstant(name: string, d: ConstantDecl, text: string): ConstValue {
  switch (d.kind) {
    case 'int': {
      const v = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
      if (!Number.isInteger(v) || v < d.min || v > d.max) {
        throw new UsageError(`constant ${name} must be an integer in ${d.min}..${d.max}, got "${text}"`);
      }
      return v;
    }
    case 'enum':
      if (!d.values.includes(text)) throw new UsageError(`constant ${name} must be one of ${d.values.join(', ')}, got "${text}"`);
      return text;
    case 'bool':
      if (text !== 'true' && text !== 'false') throw new UsageError(`constant ${name} must be true or false, got "${text}"`);
      return text === 'true';
  }
}

function applyProposal(
  parts: ModelParts<unknown, Constants>,
  p: Proposal<unknown, Constants>,
  k: Constants,
): ModelParts<unknown, Constants> {
  let actions: Action<unknown, Constants>[] = [...parts.actions];
  const has = (name: string) => actions.some((a) => a.name === name);
  for (const name of p.remove ?? []) {
    if (!has(name)) throw new SpecError(`proposal "${p.id}" removes unknown action "${name}"`);
    actions = actions.filter((a) => a.name !== name);
  }
  for (const r of p.replace ?? []) {
    if (!has(r.name)) throw new SpecError(`proposal "${p.id}" replaces unknown action "${r.name}"`);
    actions = actions.map((a) => (a.name === r.name ? r : a));
  }
  actions.push(...(p.add ?? []));
  const properties: Property<unknown, Constants>[] = [...parts.properties, ...(p.addProperties ?? [])];
  const view = p.view ?? parts.view;
  const symmetry = p.symmetry ?? parts.symmetry;
  const next = { ...parts, actions, properties, ...(view ? { view } : {}), ...(symmetry ? { symmetry } : {}) };
  return p.patch ? p.patch(next, k) : next;
}

function checkUniqueNames(model: string, parts: ModelParts<unknown, Constants>): void {
  const seen = new Set<string>();
  for (const a of parts.actions) {
    if (seen.has(a.name)) throw new SpecError(`model ${model}: two actions are named "${a.name}"`);
    seen.add(a.name);
  }
  const props = new Set<string>();
  for (const p of parts.properties) {
    if (props.has(p.name)) throw new SpecError(`model ${model}: two properties are named "${p.name}"`);
    props.add(p.name);
  }
  const sets = new Set<string>();
  for (const set of parts.symmetry ?? []) {
    if (set.name === '') throw new SpecError(`model ${model}: a symmetry set has no name`);
    if (sets.has(set.name)) throw new SpecError(`model ${model}: two symmetry sets are named "${set.name}"`);
    sets.add(set.name);
  }
  if (parts.init.length === 0) throw new SpecError(`model ${model}: no initial state`);
}

function selectProperties(
  model: string,
  parts: ModelParts<unknown, Constants>,
  names: readonly string[] | undefined,
): ModelParts<unknown, Constants> {
  if (!names || names.length === 0) return parts;
  for (const n of names) {
    if (!parts.properties.some((p) => p.name === n)) {
      const known = parts.properties.map((p) => p.name).join(', ');
      throw new UsageError(`unknown property "${n}" for model ${model}; known: ${known}`);
    }
  }
  return { ...parts, properties: parts.properties.filter((p) => names.includes(p.name)) };
}

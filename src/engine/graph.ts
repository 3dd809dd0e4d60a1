/**
 * The whole reachable state graph of a small configuration, as data (TLC's `-dump dot`): every distinct
 * state once, in breadth-first discovery order, every transition between them, and what each state
 * violates. It reuses the explorer's canonical `Codec` and exact `StateStore` so that "the same state"
 * means exactly what it means to `kmc check`, but it keeps every state and edge in memory, which is why
 * it refuses configurations above a state limit instead of growing without bound.
 */
import type { ResolvedModel } from '../resolve.js';
import { Codec } from './codec.js';
import { StateStore } from './stateStore.js';
import { guarded, successors } from './successors.js';

/** A transition of the graph: from one state id to another, by one action instance. */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** The action's declaration index: the diagram colours edges by it. */
  readonly action: number;
  readonly label: string;
  /** The action properties this step violates. */
  readonly violates: readonly string[];
}

export interface StateGraph {
  readonly model: string;
  readonly proposal: string;
  readonly constants: ResolvedModel['constants'];
  /** Action names in declaration order. */
  readonly actions: readonly string[];
  /** States by id; ids are dense and in discovery order. */
  readonly states: readonly unknown[];
  /** Breadth-first depth per state id (0 for the initial states). */
  readonly depth: readonly number[];
  /** Per state id, the invariants it violates. */
  readonly violations: readonly (readonly string[])[];
  /** Ids of reachable states with no enabled action that are not terminal. */
  readonly deadlocks: readonly number[];
  readonly edges: readonly GraphEdge[];
}

/** The graph, or the news that it has more states than the caller is willing to draw. */
export type GraphOutcome =
  | { readonly kind: 'graph'; readonly graph: StateGraph }
  | { readonly kind: 'too-large'; readonly maxStates: number };

interface Building {
  readonly codec: Codec;
  readonly store: StateStore;
  readonly states: unknown[];
  readonly depth: number[];
}

/** Explores `model` breadth-first, keeping every state and edge; gives up above `maxStates` states. */
export function stateGraph(model: ResolvedModel, limits: { readonly maxStates: number }): GraphOutcome {
  const b: Building = { codec: new Codec(), store: new StateStore(), states: [], depth: [] };
  const edges: GraphEdge[] = [];
  const deadlocks: number[] = [];
  for (const s of model.init) intern(b, s, 0);
  for (let id = 0; id < b.states.length; id++) {
    if (b.states.length > limits.maxStates) return { kind: 'too-large', maxStates: limits.maxStates };
    const s = b.states[id];
    if (model.constraint && !guarded(() => model.constraint!(s, model.constants), 'the constraint')) continue;
    const next = successors(model, s);
    if (next.length === 0 && !isTerminal(model, s)) deadlocks.push(id);
    for (const t of next) {
      const to = intern(b, t.next, b.depth[id]! + 1);
      edges.push({ from: id, to, action: t.action, label: t.label, violates: stepViolations(model, s, t) });
    }
  }
  if (b.states.length > limits.maxStates) return { kind: 'too-large', maxStates: limits.maxStates };
  const graph: StateGraph = {
    model: model.model,
    proposal: model.proposal,
    constants: model.constants,
    actions: model.actions.map((a) => a.name),
    states: b.states,
    depth: b.depth,
    violations: b.states.map((s) => stateViolations(model, s)),
    deadlocks,
    edges,
  };
  return { kind: 'graph', graph };
}

/** The id of `s`, adding it (at `depth`) when it is new. */
function intern(b: Building, s: unknown, depth: number): number {
  const len = b.codec.encode(s);
  const id = b.store.intern(b.codec.buf, len, -1, 0);
  if (b.store.lastFresh) {
    b.states.push(s);
    b.depth.push(depth);
  }
  return id;
}

function isTerminal(model: ResolvedModel, s: unknown): boolean {
  return model.terminal !== undefined && guarded(() => model.terminal!(s, model.constants), 'the terminal predicate');
}

function stateViolations(model: ResolvedModel, s: unknown): string[] {
  const out: string[] = [];
  for (const p of model.properties) {
    if (p.kind !== 'invariant') continue;
    if (!guarded(() => p.holds(s, model.constants), `invariant ${p.name}`)) out.push(p.name);
  }
  return out;
}

function stepViolations(model: ResolvedModel, s: unknown, t: ReturnType<typeof successors>[number]): string[] {
  const out: string[] = [];
  const step = { action: model.actions[t.action]!.name, label: t.label, params: t.params };
  for (const p of model.properties) {
    if (p.kind !== 'action') continue;
    if (!guarded(() => p.holds(s, t.next, step, model.constants), `action property ${p.name}`)) out.push(p.name);
  }
  return out;
}

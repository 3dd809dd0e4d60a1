/**
 * The explorer against a naive reference: on random small directed graphs, a model that walks the edges
 * must reach exactly the nodes a textbook BFS reaches, count the same states and transitions, and find
 * counterexamples exactly as long as the shortest paths; with either seen-state store.
 */
import fc from 'fast-check';
import { Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { CheckResult, StoreKind, Trace } from '../../src/engine/types.js';
import { defineModel, forState } from '../../src/index.js';
import { checkFirst, checkModel, property } from '../helpers.js';

interface Graph {
  readonly n: number;
  /** Out-edges per node, duplicates allowed (each is one transition). */
  readonly edges: readonly (readonly number[])[];
  readonly bad: readonly boolean[];
  /** Initial nodes, duplicates allowed. */
  readonly init: readonly number[];
  /** Whether a state is `Node({ node })` or the bare number. */
  readonly asRecord: boolean;
}

const graphs: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.array(fc.nat(n - 1), { maxLength: 4 }), { minLength: n, maxLength: n }),
    bad: fc.array(fc.nat(4).map((x) => x === 0), { minLength: n, maxLength: n }),
    init: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
    asRecord: fc.boolean(),
  }),
);

const Node = Record({ node: 0 }, 'Node');

/** The graph as a model: `go(to=w)` along each edge; `good` fails on bad nodes; `reach-v` per node. */
function graphModel(g: Graph) {
  const { action, invariant, reachable } = forState<unknown>();
  const nodeOf = (s: unknown): number => (g.asRecord ? (s as ReturnType<typeof Node>).node : (s as number));
  const make = (v: number): unknown => (g.asRecord ? Node({ node: v }) : v);
  return defineModel({
    name: 'graph',
    summary: 'a random directed graph',
    constants: {},
    build: () => ({
      init: g.init.map(make),
      actions: [action({ name: 'go', params: (s) => g.edges[nodeOf(s)]!.map((to) => ({ to })), effect: (_s, p) => make(p.to) })],
      properties: [
        invariant('good', 'no bad node is reachable', (s) => !g.bad[nodeOf(s)]),
        ...g.edges.map((_, v) => reachable(`reach-${v}`, `node ${v} is reachable`, (s) => nodeOf(s) === v)),
      ],
    }),
    baseline: 'only',
    proposals: [{ id: 'only', summary: 'as generated', source: 'fast-check' }],
  });
}

interface Reference {
  /** Shortest distance from an initial node, -1 when unreachable. */
  readonly dist: number[];
  readonly reachable: number;
  readonly generated: number;
  readonly depth: number;
  /** Shortest distance to a bad node / a node without out-edges, or undefined. */
  readonly toBad?: number;
  readonly toSink?: number;
}

function bfs(g: Graph): Reference {
  const dist = new Array<number>(g.n).fill(-1);
  const queue: number[] = [];
  for (const v of g.init) if (dist[v] === -1) (dist[v] = 0), queue.push(v);
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    for (const w of g.edges[v]!) if (dist[w] === -1) (dist[w] = dist[v]! + 1), queue.push(w);
  }
  const min = (pick: (v: number) => boolean) => {
    const ds = queue.filter(pick).map((v) => dist[v]!);
    return ds.length ? Math.min(...ds) : undefined;
  };
  return {
    dist,
    reachable: queue.length,
    generated: g.init.length + queue.reduce((n, v) => n + g.edges[v]!.length, 0),
    depth: Math.max(...queue.map((v) => dist[v]!)) + 1,
    toBad: min((v) => g.bad[v]!),
    toSink: min((v) => g.edges[v]!.length === 0),
  };
}

/** A trace must start at an initial node and follow an edge at every step, labelled by its target. */
function expectPath(g: Graph, trace: Trace, length: number, last: (v: number) => boolean): void {
  const nodes = trace.map((s) => (g.asRecord ? (s.state as ReturnType<typeof Node>).node : (s.state as number)));
  expect(trace).toHaveLength(length);
  expect(trace[0]!.action).toBe('Init');
  expect(g.init).toContain(nodes[0]);
  for (let i = 1; i < nodes.length; i++) {
    expect(g.edges[nodes[i - 1]!]).toContain(nodes[i]);
    expect(trace[i]!.action).toBe(`go(to=${nodes[i]})`);
  }
  expect(last(nodes.at(-1)!)).toBe(true);
}

function expectComplete(g: Graph, ref: Reference, r: CheckResult): void {
  expect(r.incomplete).toBeNull();
  expect(r.stats).toMatchObject({ distinct: ref.reachable, generated: ref.generated, depth: ref.depth, queued: 0 });
  for (let v = 0; v < g.n; v++) {
    const p = property(r, `reach-${v}`);
    expect(p.status).toBe(ref.dist[v]! >= 0 ? 'holds' : 'unreached');
    if (ref.dist[v]! >= 0) expectPath(g, p.trace!, ref.dist[v]! + 1, (w) => w === v);
  }
}

describe.each<StoreKind>(['exact', 'fingerprint'])('explore with the %s store against a reference BFS on random graphs', (store) => {
  it('reaches the same nodes, counts the same states and finds every shortest path, with continueAfterViolation', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const ref = bfs(g);
        const r = checkModel(graphModel(g), { store });
        expectComplete(g, ref, r);
        const good = property(r, 'good');
        expect(good.status).toBe(ref.toBad === undefined ? 'holds' : 'violated');
        if (ref.toBad !== undefined) expectPath(g, good.trace!, ref.toBad + 1, (v) => g.bad[v]!);
        if (ref.toSink === undefined) expect(r.deadlock).toBeNull();
        else expectPath(g, r.deadlock!.trace, ref.toSink + 1, (v) => g.edges[v]!.length === 0);
        const clean = ref.toBad === undefined && ref.toSink === undefined && ref.reachable === g.n;
        expect(r.verdict).toBe(clean ? 'holds' : 'violated');
      }),
      { numRuns: 150 },
    );
  });

  it('stops at the first bad node with a counterexample as long as the shortest path to one', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const ref = bfs(g);
        const r = checkFirst(graphModel(g), { deadlock: false, store });
        const good = property(r, 'good');
        if (ref.toBad === undefined) {
          expect(r.verdict).toBe(ref.reachable === g.n ? 'holds' : 'violated');
          expectComplete(g, ref, r);
          expect(good.status).toBe('holds');
        } else {
          expect(r.verdict).toBe('violated');
          expect(good.status).toBe('violated');
          expectPath(g, good.trace!, ref.toBad + 1, (v) => g.bad[v]!);
          expect(r.stats.distinct).toBeLessThanOrEqual(ref.reachable);
          // Nothing unreached can be claimed in a run that stopped early.
          expect(r.properties.filter((p) => p.status === 'unreached')).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * The state graph (`kmc graph`): every reachable state once, in breadth-first discovery order, the same
 * count as an exhaustive `kmc check`; edges for every transition, self-loops and returns included;
 * invariant violations and deadlocks per state; a refusal above the state limit. Then its DOT: one node
 * per state, edges coloured by action declaration index, one rank row per depth, the same bytes twice.
 */
import { describe, expect, it } from 'vitest';
import { stateGraph, type StateGraph } from '../../src/engine/graph.js';
import { actionColor, renderGraphDot } from '../../src/render/graphDot.js';
import { resolveModel } from '../../src/resolve.js';
import type { AnyModelSpec } from '../../src/model.js';
import { counter, locks, mutex, seesaw } from '../fixtures/models.js';
import { checkModel } from '../helpers.js';

function graphOf(spec: AnyModelSpec, proposal?: string, maxStates = 500): StateGraph {
  const outcome = stateGraph(resolveModel(spec, proposal ? { proposal } : {}), { maxStates });
  if (outcome.kind !== 'graph') throw new Error(`expected a graph, got ${outcome.kind}`);
  return outcome.graph;
}

describe('stateGraph', () => {
  it('finds as many states as an exhaustive check does', () => {
    for (const [spec, proposal] of [[mutex, 'racy'], [mutex, 'test-and-set'], [locks, 'abba'], [counter, 'no-terminal']] as const) {
      expect(graphOf(spec, proposal).states.length).toBe(checkModel(spec, { proposal }).stats.distinct);
    }
  });

  it('numbers states in breadth-first discovery order, with their depths', () => {
    const g = graphOf(mutex);
    expect(g.depth).toEqual([0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 6]);
    expect(g.edges.slice(0, 3).map((e) => [e.from, e.to, e.label])).toEqual([
      [0, 1, 'check(0)'],
      [0, 2, 'check(1)'],
      [1, 3, 'check(1)'],
    ]);
  });

  it('keeps edges back to states already seen', () => {
    const g = graphOf(mutex);
    expect(g.edges).toContainEqual({ from: 4, to: 0, action: 2, label: 'exit(0)', violates: [] });
    expect(g.edges).toHaveLength(24);
  });

  it('records which invariants each state violates and which states deadlock', () => {
    const g = graphOf(mutex);
    expect(g.violations.flatMap((v, id) => v.map((name) => [id, name]))).toEqual([[8, 'mutual-exclusion']]);
    expect(graphOf(locks).deadlocks).toEqual([3]);
    expect(graphOf(counter, 'terminal').deadlocks).toEqual([]);
  });

  it('records the action properties each step violates', () => {
    const bad = graphOf(seesaw).edges.filter((e) => e.violates.length > 0);
    expect(bad.map((e) => [e.from, e.to, e.label, e.violates])).toEqual([
      [1, 0, 'down(by 1)', ['monotonic']],
      [2, 1, 'down(by 1)', ['monotonic']],
    ]);
  });

  it('refuses a model with more states than the limit', () => {
    expect(stateGraph(resolveModel(mutex, {}), { maxStates: 12 })).toEqual({ kind: 'too-large', maxStates: 12 });
    expect(stateGraph(resolveModel(mutex, {}), { maxStates: 13 }).kind).toBe('graph');
  });
});

describe('renderGraphDot', () => {
  const dot = renderGraphDot(graphOf(mutex));

  it('writes one node per state, the initial one filled and the violating one red', () => {
    expect(dot.match(/^ {2}s\d+ \[label=/gm)).toHaveLength(13);
    expect(dot).toContain('  s0 [label="flag = 0\\lpcs = [idle, idle]\\l", style=filled, fillcolor="#e8e8e8"];');
    expect(dot).toContain('  s8 [label="VIOLATED mutual-exclusion\\l\\lflag = 1\\lpcs = [crit, crit]\\l", color=red, fontcolor=red, penwidth=2];');
  });

  it('colours edges by the action\'s declaration index', () => {
    expect(dot).toContain(`  s0 -> s1 [label="check(0)", color="${actionColor(0)}", fontcolor="${actionColor(0)}"];`);
    expect(dot).toContain(`  s1 -> s4 [label="set(0)", color="${actionColor(1)}", fontcolor="${actionColor(1)}"];`);
    expect(dot).toContain(`  s4 -> s0 [label="exit(0)", color="${actionColor(2)}", fontcolor="${actionColor(2)}"];`);
    expect(dot).toContain('    legend2 [label="exit", fontcolor="#2ca02c"];');
  });

  it('puts each breadth-first depth on one rank, ids sorted', () => {
    expect(dot.match(/\{rank=same;[^}]*\}/g)).toEqual([
      '{rank=same; s0;}',
      '{rank=same; s1; s2;}',
      '{rank=same; s3; s4; s5;}',
      '{rank=same; s6; s7;}',
      '{rank=same; s8;}',
      '{rank=same; s9; s10;}',
      '{rank=same; s11; s12;}',
    ]);
  });

  it('marks steps that break an action property, and leaves out the legend for a single action', () => {
    const one = renderGraphDot(graphOf(seesaw, 'up-only'));
    expect(one).not.toContain('cluster_legend');
    const both = renderGraphDot(graphOf(seesaw));
    expect(both).toContain('s1 -> s0 [label="down(by 1)\\lVIOLATED monotonic\\l", color="#ff7f0e", fontcolor="#ff7f0e", penwidth=2, style=bold];');
  });

  it('gives the same bytes on two independent runs', () => {
    expect(renderGraphDot(graphOf(mutex))).toBe(dot);
  });
});

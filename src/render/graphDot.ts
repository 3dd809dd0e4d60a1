/**
 * The whole state graph of a small configuration as DOT (TLC's `-dump dot`), for seeing a design's
 * behaviour at a glance: one node per distinct state with its full contents, edges labelled with the
 * action instance and coloured by the action's declaration index (so the colours do not change when a
 * run discovers states in another order), one `{rank=same; …}` row per breadth-first depth, and states
 * that violate an invariant (or deadlock) in red. Pure and deterministic.
 */
import type { GraphEdge, StateGraph } from '../engine/graph.js';
import { constantsLine } from './text.js';
import { dotLines, dotPreamble, dotString, FAIL_STYLE, INIT_FILL } from './dot.js';
import { flatten } from './value.js';

/** Edge colours by action declaration index; no red, which means a violation. */
export const ACTION_PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79',
];

/** The colour of the action with declaration index `i`. */
export function actionColor(i: number): string {
  return ACTION_PALETTE[i % ACTION_PALETTE.length]!;
}

/** The state graph as DOT text. */
export function renderGraphDot(g: StateGraph): string {
  const caption = [
    `kmc graph ${g.model} --proposal ${g.proposal}  (${constantsLine(g)})`,
    `${g.states.length} states, ${g.edges.length} transitions; red: violates an invariant or deadlocks`,
  ];
  const out = dotPreamble(`${g.model}/${g.proposal}`, caption);
  const deadlocks = new Set(g.deadlocks);
  g.states.forEach((s, id) => out.push(`  ${nodeLine(g, id, s, deadlocks.has(id))}`));
  for (const e of g.edges) out.push(`  ${edgeLine(e)}`);
  for (const ids of levels(g)) out.push(`  {rank=same; ${ids.map((id) => `s${id};`).join(' ')}}`);
  if (g.actions.length > 1) out.push(...legend(g.actions));
  out.push('}');
  return `${out.join('\n')}\n`;
}

function nodeLine(g: StateGraph, id: number, s: unknown, deadlock: boolean): string {
  const failures = [...g.violations[id]!.map((name) => `VIOLATED ${name}`), ...(deadlock ? ['DEADLOCK'] : [])];
  const lines = flatten(s).map(([path, v]) => `${path} = ${v}`);
  const attrs = [`label=${dotLines(failures.length > 0 ? [...failures, '', ...lines] : lines)}`];
  if (g.depth[id] === 0) attrs.push(`style=filled, fillcolor="${INIT_FILL}"`);
  if (failures.length > 0) attrs.push(FAIL_STYLE);
  return `s${id} [${attrs.join(', ')}];`;
}

function edgeLine(e: GraphEdge): string {
  const color = actionColor(e.action);
  const label = e.violates.length > 0 ? `${e.label}\nVIOLATED ${e.violates.join(', ')}\n` : e.label;
  const style = e.violates.length > 0 ? ', penwidth=2, style=bold' : '';
  return `s${e.from} -> s${e.to} [label=${dotString(label)}, color="${color}", fontcolor="${color}"${style}];`;
}

/** State ids per breadth-first depth, each row sorted. */
function levels(g: StateGraph): number[][] {
  const rows: number[][] = [];
  g.depth.forEach((d, id) => (rows[d] ??= []).push(id));
  return rows.map((ids) => [...ids].sort((a, b) => a - b));
}

/** A key from colour to action, since the edge labels are instances and the colours are actions. */
function legend(actions: readonly string[]): string[] {
  const out = ['  subgraph cluster_legend {', '    label="actions"; color="#bbbbbb";', '    node [shape=plaintext];'];
  actions.forEach((name, i) => {
    const color = actionColor(i);
    out.push(`    legend${i} [label=${dotString(name)}, fontcolor="${color}"];`);
  });
  out.push('  }');
  return out;
}

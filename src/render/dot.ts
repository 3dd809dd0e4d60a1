/**
 * A counterexample as a Graphviz diagram for a design review: the steps top to bottom, each state showing
 * only what changed (the initial state in full, as in the text trace), edges labelled with the action
 * instance, and the state where the property fails drawn in red with the property's name and claim.
 *
 * Node ids are `s0 … sN` by step, and every attribute is written in a fixed order, so the same trace
 * always gives the same bytes (and, through the same Graphviz, the same SVG). Pure.
 */
import type { Trace } from '../engine/types.js';
import type { PropertyKind } from '../model.js';
import { diffLines } from './text.js';
import { flatten } from './value.js';

/** What the trace shows: a property's violation (or a reachability example), or a deadlock. */
export interface DotFinding {
  readonly name: string;
  readonly kind: PropertyKind | 'deadlock';
  readonly claim: string;
}

export interface TraceDotInput {
  readonly trace: Trace;
  /** The first line of the diagram's caption, e.g. `mutex --proposal racy  (procs=2)`. */
  readonly title: string;
  readonly finding: DotFinding;
}

/**
 * The one escaper for DOT strings: quotes, backslashes, and line breaks, which become `\l` (end of a
 * left-justified line) because every multi-line label here is a column of `path = value` lines.
 */
export function dotString(text: string): string {
  const body = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\l');
  return `"${body}"`;
}

/** A multi-line label: every line left-justified, the last one included. */
export function dotLines(lines: readonly string[]): string {
  return dotString(lines.map((l) => `${l}\n`).join(''));
}

/** The attributes every kmc diagram starts with: boxes of monospace text, read top to bottom. */
export function dotPreamble(name: string, caption: readonly string[]): string[] {
  return [
    `digraph ${dotString(name)} {`,
    `  graph [fontname="Courier", fontsize=11, labelloc=t, labeljust=l, label=${dotLines(caption)}];`,
    '  node [shape=box, fontname="Courier", fontsize=10];',
    '  edge [fontname="Courier", fontsize=10];',
  ];
}

/** The fill of initial states. */
export const INIT_FILL = '#e8e8e8';

/** The attributes that mark a failing state or step. */
export const FAIL_STYLE = 'color=red, fontcolor=red, penwidth=2';

const KIND_TEXT = {
  invariant: 'invariant',
  action: 'action property',
  reachable: 'reachability property',
  deadlock: 'deadlock',
} as const;

/** The caption's second line: what the trace shows, in the text report's words. */
export function findingLine(f: DotFinding): string {
  if (f.kind === 'deadlock') return 'Deadlock: a reachable state has no enabled action and is not terminal.';
  if (f.kind === 'reachable') return `Reachability property ${f.name} is reached: ${f.claim}`;
  const kind = KIND_TEXT[f.kind];
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${f.name} is violated: ${f.claim}`;
}

/** The lines the failing state carries above its changes. */
function failLines(f: DotFinding): string[] {
  if (f.kind === 'deadlock') return ['DEADLOCK: no enabled action', ''];
  if (f.kind === 'reachable') return [`REACHED ${f.name}`, f.claim, ''];
  return [`VIOLATED ${KIND_TEXT[f.kind]} ${f.name}`, f.claim, ''];
}

/** The label lines of every state: the first in full, the others as `path: old → new`. */
function stateLines(trace: Trace): string[][] {
  let prev: Map<string, string> | null = null;
  return trace.map((step) => {
    const cur = new Map(flatten(step.state));
    const lines = prev === null ? [...cur].map(([path, v]) => `${path} = ${v}`) : diffLines(prev, cur);
    prev = cur;
    return lines.length > 0 ? lines : ['(no change)'];
  });
}

/** The trace diagram as DOT text. */
export function renderTraceDot(input: TraceDotInput): string {
  const { trace, finding } = input;
  const last = trace.length - 1;
  const out = dotPreamble('trace', [input.title, findingLine(finding)]);
  stateLines(trace).forEach((lines, i) => {
    const attrs: string[] = [];
    const label = i === last ? [...failLines(finding), ...lines] : lines;
    attrs.push(`label=${dotLines(label)}`);
    if (i === 0) attrs.push(`style=filled, fillcolor="${INIT_FILL}"`);
    if (i === last) attrs.push(FAIL_STYLE);
    out.push(`  s${i} [${attrs.join(', ')}];`);
  });
  trace.forEach((step, i) => {
    if (i === 0) return;
    const failing = i === last && finding.kind === 'action';
    out.push(`  s${i - 1} -> s${i} [label=${dotString(step.action)}${failing ? `, ${FAIL_STYLE}` : ''}];`);
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}

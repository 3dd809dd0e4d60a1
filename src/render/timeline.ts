/**
 * The nesting timeline of a counterexample, as a kernel developer draws it on a whiteboard: time flows
 * down, one row per step labelled with its action, one column per CPU (and per task while it is off
 * every CPU), each entry frame a coloured box from the step that entered it to its last step, frames
 * nested inside the frames they interrupted (syscall ⊃ #PF ⊃ IRQ), an arrow where a task leaves a lane
 * (sleep, switch-in, migration), registers written where they change, and the violating step in red.
 *
 * Each cell is a node; a frame is a Graphviz cluster around its cells, so nesting is drawn by Graphviz
 * itself. `newrank` with one `rank=same` row per step keeps the rows level across clusters, invisible
 * edges down each column and along each row keep the columns in order, and every cell of a column has
 * that column's width so its text lines up. Same trace and view, same bytes. Pure, apart from calling
 * the model's view, which is pure by contract.
 */
import type { Trace } from '../engine/types.js';
import { SpecError } from '../errors.js';
import type { TimelineSnapshot } from '../model.js';
import { type DotFinding, dotLines, dotString, FAIL_STYLE, findingLine } from './dot.js';
import { wrapLine } from './reportData.js';
import { type FrameBox, layoutTimeline, type TimelineLayout, type TimelineStep } from './timelineLayout.js';
import { cellText, frameStyle, textWidth } from './timelineStyle.js';

export interface TimelineInput {
  readonly trace: Trace;
  /** The model's view, with its constants bound. */
  readonly view: (s: unknown) => TimelineSnapshot;
  /** The first line of the caption, as on the trace diagram. */
  readonly title: string;
  readonly finding: DotFinding;
}

/** The view of every state of `trace`; a view that throws is the model's fault, so a `SpecError`. */
export function timelineSteps(trace: Trace, view: (s: unknown) => TimelineSnapshot): TimelineStep[] {
  return trace.map((step, i) => {
    let snapshot: TimelineSnapshot;
    try {
      snapshot = view(step.state);
    } catch (e) {
      throw new SpecError(`the timeline view threw at step ${i + 1} (${step.action}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const names = snapshot.lanes.map((l) => l.lane);
    const twice = names.find((n, j) => names.indexOf(n) !== j);
    if (twice !== undefined) throw new SpecError(`the timeline view gives two lanes named "${twice}" at step ${i + 1}`);
    return { action: step.action, snapshot };
  });
}

/** The cells' font size, in points. */
const FONT = 10;
/** The caption's and frame labels' size: the graph's `fontsize`. */
const CAPTION_FONT = 11;
const MOVE_COLOR = '#1f5fbf';

/** The timeline as DOT text. */
export function renderTimelineDot(input: TimelineInput): string {
  const steps = timelineSteps(input.trace, input.view);
  const layout = layoutTimeline(steps);
  const g = new Grid(layout, steps, input.finding);
  const out = [
    `digraph ${dotString('timeline')} {`,
    `  graph [newrank=true, nodesep=0.12, ranksep=0.1, fontname="Courier", fontsize=${CAPTION_FONT}, labelloc=t, labeljust=l, label=${dotLines(caption(input))}];`,
    `  node [shape=plaintext, fontname="Courier", fontsize=${FONT}, height=0.2];`,
    '  edge [style=invis];',
    ...g.columns().flatMap((c) => g.column(c)),
    ...g.columns().map((c) => `  ${c.ids.join(' -> ')} [weight=100];`),
    ...g.rows().map((ids) => `  { rank=same; ${ids.join(' -> ')}; }`),
    ...layout.moves.map((m) => `  ${g.id(m.step - 1, m.from)} -> ${g.id(m.step, m.to)} [style=solid, color="${MOVE_COLOR}", constraint=false, arrowsize=0.7];`),
    '}',
    '',
  ];
  return out.join('\n');
}

/** The caption: the check's title and what is violated, wrapped so it is no wider than a timeline. */
function caption(input: TimelineInput): string[] {
  return [input.title, findingLine(input.finding)].flatMap((l) => wrapLine(l, 100));
}

/** A column of the drawing: the step labels, a lane, or the machine-wide registers. */
interface Column {
  readonly kind: 'steps' | 'lane' | 'global';
  readonly name: string;
  /** What its node ids start with: `s`, `c0_`, `g`. */
  readonly prefix: string;
  /** Node ids top to bottom: the heading, then one per step. */
  readonly ids: readonly string[];
  /** Width in inches, the same for every cell, so the text of a column lines up. */
  readonly width: string;
}

/** Node ids and texts of the table, and the DOT of each column with its frame clusters. */
class Grid {
  private readonly cols: Column[];

  constructor(
    private readonly layout: TimelineLayout,
    private readonly steps: readonly TimelineStep[],
    private readonly finding: DotFinding,
  ) {
    const ids = (prefix: string) => [`${prefix}h`, ...steps.map((_, i) => `${prefix}${i}`)];
    const labels = steps.map((s, i) => this.stepText(s, i));
    this.cols = [
      { kind: 'steps', name: 'step', prefix: 's', ids: ids('s'), width: widthOf(['step', ...labels.flat()]) },
      ...layout.lanes.map((lane, j): Column => {
        const texts = steps.flatMap((_, i) => cellText(layout.cells[i]?.get(lane) ?? []));
        const labels = layout.boxes.filter((b) => b.lane === lane).map(boxLabel);
        return { kind: 'lane', name: lane, prefix: `c${j}_`, ids: ids(`c${j}_`), width: widthOf([lane, ...texts], labels) };
      }),
    ];
    if (layout.global.some((l) => l.length > 0)) {
      this.cols.push({ kind: 'global', name: 'global', prefix: 'g', ids: ids('g'), width: widthOf(['global', ...layout.global.flatMap(cellText)]) });
    }
  }

  columns(): readonly Column[] {
    return this.cols;
  }

  /** The node id of a lane's cell at a step. */
  id(step: number, lane: string): string {
    return `c${this.layout.lanes.indexOf(lane)}_${step}`;
  }

  /** Each row's node ids, left to right: the headings, then one row per step. */
  rows(): string[][] {
    return this.cols[0]?.ids.map((_, r) => this.cols.map((c) => c.ids[r] ?? '')) ?? [];
  }

  /** The DOT of a column: its heading, its cells, and for a lane the clusters of its frames. */
  column(c: Column): string[] {
    const head = `  ${c.ids[0] ?? ''} [label=${dotString(c.name)}, width=${c.width}];`;
    if (c.kind === 'steps') return [head, ...this.steps.map((s, i) => this.stepNode(c, s, i))];
    if (c.kind === 'global') return [head, ...this.steps.map((_, i) => this.cell(c, i, cellText(this.layout.global[i] ?? [])))];
    return [head, ...this.nest(c, 0, 0, this.steps.length - 1, '  ')];
  }

  private stepText(step: TimelineStep, i: number): string[] {
    const label = `${i + 1}. ${step.action}`;
    if (i < this.steps.length - 1) return [label];
    const f = this.finding;
    return [label, f.kind === 'deadlock' ? 'DEADLOCK' : `${f.kind === 'reachable' ? 'REACHED' : 'VIOLATED'} ${f.name}`];
  }

  private stepNode(c: Column, step: TimelineStep, i: number): string {
    const failing = i === this.steps.length - 1;
    const style = failing ? `, shape=box, style=filled, fillcolor="#fde0e0", ${FAIL_STYLE}` : '';
    return `  ${c.ids[i + 1] ?? ''} [label=${dotLines(this.stepText(step, i))}, width=${c.width}${style}];`;
  }

  private cell(c: Column, i: number, lines: readonly string[], indent = '  '): string {
    const failing = i === this.steps.length - 1 && lines.length > 0 ? ', shape=box, color=red, penwidth=2' : '';
    return `${indent}${c.ids[i + 1] ?? ''} [label=${dotLines(lines)}, width=${c.width}${failing}];`;
  }

  /** The cells of lane column `c` from step `from` to `to`, each frame at `depth` a cluster around its steps. */
  private nest(c: Column, depth: number, from: number, to: number, indent: string): string[] {
    const out: string[] = [];
    for (let i = from; i <= to; i++) {
      const box = this.layout.boxes.find((b) => b.lane === c.name && b.depth === depth && b.first === i);
      if (box === undefined) {
        const lines = this.layout.cells[i]?.get(c.name);
        out.push(lines === undefined ? `${indent}${c.ids[i + 1] ?? ''} [label="", style=invis];` : this.cell(c, i, cellText(lines), indent));
        continue;
      }
      out.push(`${indent}subgraph ${dotString(`cluster_${c.prefix}${i}_${depth}`)} {`, `${indent}  graph [${clusterStyle(box)}];`);
      out.push(...this.nest(c, depth + 1, box.first, box.last, `${indent}  `), `${indent}}`);
      i = box.last;
    }
    return out;
  }
}

/** A frame box's label: its name, then what the design saved in it. */
const boxLabel = (box: FrameBox): string => ` ${[box.name, ...box.saved].join('   ')}`;

/** A frame box: its label at its top left, coloured by kind. */
function clusterStyle(box: FrameBox): string {
  const s = frameStyle(box.name);
  return `label=${dotString(boxLabel(box))}, labeljust=l, style=filled, fillcolor="${s.fill}", color="${s.color}", fontcolor="${s.color}", penwidth=1.5, margin=6`;
}

/**
 * A column's width in inches: its longest line plus the node's side margins, or its widest frame label
 * (in the caption's larger font), so that Graphviz need not widen a box around a narrower cell, which
 * would shift that cell's text out of line with the rest of the column.
 */
function widthOf(lines: readonly string[], labels: readonly string[] = []): string {
  const widest = (texts: readonly string[], size: number) => Math.max(0, ...texts.map((t) => textWidth(t, size)));
  const points = Math.max(widest(lines, FONT), widest(labels, CAPTION_FONT));
  return ((points + 16) / 72).toFixed(2);
}

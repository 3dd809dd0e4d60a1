/**
 * The nesting timeline: pinned for pkrs-nesting's shortest counterexample (the #PF handler runs with
 * the syscall's key), frames nested outermost first, registers written only where they change, sleeps
 * and migrations, the same bytes from two renders, a real SVG, and a broken view reported as the
 * model's fault.
 */
import { describe, expect, it } from 'vitest';
import pkrsNesting from '../../spec/pkrs-nesting/index.js';
import type { Trace } from '../../src/engine/types.js';
import type { TimelineLane, TimelineSnapshot } from '../../src/model.js';
import { type DotFinding } from '../../src/render/dot.js';
import { checkTitle, findingsOf } from '../../src/render/finding.js';
import { renderSvg } from '../../src/render/svg.js';
import { renderTimelineDot, timelineSteps } from '../../src/render/timeline.js';
import { layoutTimeline } from '../../src/render/timelineLayout.js';
import { cellText } from '../../src/render/timelineStyle.js';
import { resolveModel } from '../../src/resolve.js';
import { checkModel } from '../helpers.js';

/** pks-thread-only's counterexamples, with the view bound as `kmc` binds it. */
function threadOnly() {
  const r = checkModel(pkrsNesting, { proposal: 'pks-thread-only' });
  const model = resolveModel(pkrsNesting, { proposal: 'pks-thread-only' });
  const view = (s: unknown) => model.view!(s, model.constants);
  const finding = (name: string) => findingsOf(r).find((f) => f.name === name)!;
  const dot = (name: string) => renderTimelineDot({ trace: finding(name).trace, view, title: checkTitle(r), finding: finding(name) });
  const layout = (name: string) => layoutTimeline(timelineSteps(finding(name).trace, view));
  return { dot, layout };
}

/** The cluster labels of a DOT text, each with the labels of the clusters it sits in. */
function clusters(dot: string): string[][] {
  const open: string[] = [];
  const out: string[][] = [];
  for (const line of dot.split('\n')) {
    const label = /graph \[label="([^"]*)"/.exec(line)?.[1];
    if (/^\s*subgraph "cluster_/.test(line)) open.push('?');
    else if (label !== undefined && open.length > 0) {
      open[open.length - 1] = label.trim();
      out.push([...open]);
    } else if (/^\s*}$/.test(line) && open.length > 0) open.pop();
  }
  return out;
}

const INVARIANT: DotFinding = { name: 'p', kind: 'invariant', claim: 'c' };

/** A synthetic trace whose states are the snapshots themselves, drawn by the identity view. */
function synthetic(snapshots: readonly TimelineSnapshot[]): string {
  const trace: Trace = snapshots.map((state, i) => ({ action: i === 0 ? 'Init' : `step_${i}`, state }));
  return renderTimelineDot({ trace, view: (s) => s as TimelineSnapshot, title: 'synthetic', finding: INVARIANT });
}

const cpu = (n: number, task: string | undefined, frames: string[], regs: Record<string, string> = {}): TimelineLane => ({
  lane: `CPU ${n}`,
  kind: 'cpu',
  ...(task ? { task } : {}),
  runs: task ?? 'idle',
  frames: frames.map((name) => ({ name })),
  regs,
});
const asleep = (task: string, frames: string[]): TimelineLane => ({ lane: task, kind: 'task', task, runs: 'asleep', frames: frames.map((name) => ({ name })) });

describe('renderTimelineDot', { timeout: 60_000 }, () => {
  const t = threadOnly();

  it('draws pks-thread-only\'s #PF handler running with the syscall\'s key: a #PF box in the syscall box, PKRS still k1', () => {
    expect(t.dot('pkrs-never-more-permissive')).toMatchInlineSnapshot(`
      "digraph "timeline" {
        graph [newrank=true, nodesep=0.12, ranksep=0.1, fontname="Courier", fontsize=11, labelloc=t, labeljust=l, label="kmc check pkrs-nesting --proposal pks-thread-only  (nCpus=1 nTasks=2 maxDepth=3 keys=2\\l    granularity=coarse stackSlots=2 pksTasks=1 pfInIrq=false)\\lInvariant pkrs-never-more-permissive is violated: Running code never has a key enabled in PKRS that\\l    it did not enable itself (handlers and user mode run at INIT)\\l"];
        node [shape=plaintext, fontname="Courier", fontsize=10, height=0.2];
        edge [style=invis];
        sh [label="step", width=3.56];
        s0 [label="1. Init\\l", width=3.56];
        s1 [label="2. entry_syscall(t=0)\\l", width=3.56];
        s2 [label="3. pks_set_readwrite(t=0, key=1)\\l", width=3.56];
        s3 [label="4. pks_update_protection:write_pkrs(t=0)\\l", width=3.56];
        s4 [label="5. irqentry_enter(PF)\\lVIOLATED pkrs-never-more-permissive\\l", width=3.56, shape=box, style=filled, fillcolor="#fde0e0", color=red, fontcolor=red, penwidth=2];
        c0_h [label="CPU 0", width=1.72];
        c0_0 [label="task 0 (user mode)\\lPKRS = INIT\\lpkrs_cache = INIT\\lthread.pkrs = INIT\\lwants = INIT\\l", width=1.72];
        subgraph "cluster_c0_1_0" {
          graph [label=" syscall", labeljust=l, style=filled, fillcolor="#e1edf9", color="#3b6ea5", fontcolor="#3b6ea5", penwidth=1.5, margin=6];
          c0_1 [label="task 0\\l", width=1.72];
          c0_2 [label="thread.pkrs = k1\\lwants = k1\\l", width=1.72];
          c0_3 [label="PKRS = k1\\lpkrs_cache = k1\\l", width=1.72];
          subgraph "cluster_c0_4_1" {
            graph [label=" #PF", labeljust=l, style=filled, fillcolor="#fbe8d3", color="#b8651b", fontcolor="#b8651b", penwidth=1.5, margin=6];
            c0_4 [label="wants = INIT\\l(unchanged)\\l  PKRS = k1\\l  pkrs_cache = k1\\l  thread.pkrs = k1\\l", width=1.72, shape=box, color=red, penwidth=2];
          }
        }
        c1_h [label="task 1", width=1.89];
        c1_0 [label="off CPU, runnable\\lthread.pkrs = INIT\\lwants = INIT\\l", width=1.89];
        c1_1 [label="", width=1.89];
        c1_2 [label="", width=1.89];
        c1_3 [label="", width=1.89];
        c1_4 [label="(unchanged)\\l  thread.pkrs = INIT\\l  wants = INIT\\l", width=1.89, shape=box, color=red, penwidth=2];
        sh -> s0 -> s1 -> s2 -> s3 -> s4 [weight=100];
        c0_h -> c0_0 -> c0_1 -> c0_2 -> c0_3 -> c0_4 [weight=100];
        c1_h -> c1_0 -> c1_1 -> c1_2 -> c1_3 -> c1_4 [weight=100];
        { rank=same; sh -> c0_h -> c1_h; }
        { rank=same; s0 -> c0_0 -> c1_0; }
        { rank=same; s1 -> c0_1 -> c1_1; }
        { rank=same; s2 -> c0_2 -> c1_2; }
        { rank=same; s3 -> c0_3 -> c1_3; }
        { rank=same; s4 -> c0_4 -> c1_4; }
      }
      "
    `);
  });

  it('nests the frames outermost first: syscall, then the #PF inside it', () => {
    expect(clusters(t.dot('pkrs-never-less-permissive'))).toEqual([['syscall'], ['syscall', '#PF']]);
    const boxes = t.layout('pkrs-never-less-permissive').boxes.map((b) => [b.name, b.depth, b.first, b.last]);
    expect(boxes).toEqual([
      ['syscall', 0, 1, 9],
      ['#PF', 1, 4, 8],
    ]);
  });

  it('nests syscall ⊃ #PF ⊃ IRQ and closes them innermost first', () => {
    const steps = [[], ['syscall'], ['syscall', '#PF'], ['syscall', '#PF', 'IRQ'], ['syscall', '#PF'], []];
    const snapshots = steps.map((f): TimelineSnapshot => ({ lanes: [cpu(0, 'task A', f)] }));
    expect(clusters(synthetic(snapshots))).toEqual([['syscall'], ['syscall', '#PF'], ['syscall', '#PF', 'IRQ']]);
    const trace = snapshots.map((state) => ({ action: 'x', state }));
    const boxes = layoutTimeline(timelineSteps(trace, (s) => s as TimelineSnapshot)).boxes;
    expect(boxes.map((b) => [b.name, b.depth, b.first, b.last])).toEqual([
      ['syscall', 0, 1, 4],
      ['#PF', 1, 2, 4],
      ['IRQ', 2, 3, 3],
    ]);
  });

  it('writes a register only on the steps where it changes, and every register on the violating step', () => {
    const layout = t.layout('pkrs-never-less-permissive');
    const pkrs = layout.cells.flatMap((row, i) =>
      (row.get('CPU 0') ?? []).filter((l) => l.text.startsWith('PKRS = ')).map((l) => [i, l.text, l.tone]),
    );
    expect(pkrs).toEqual([
      [0, 'PKRS = INIT', 'changed'],
      [3, 'PKRS = k1', 'changed'],
      [8, 'PKRS = INIT', 'changed'],
      [9, 'PKRS = INIT', 'unchanged'],
    ]);
    expect(cellText(layout.cells[9]?.get('CPU 0') ?? [])).toEqual([
      'wants = k1',
      '(unchanged)',
      '  PKRS = INIT',
      '  pkrs_cache = INIT',
      '  thread.pkrs = INIT',
    ]);
  });

  it('moves a sleeping task\'s frames to its own lane and marks its migration to another CPU', () => {
    const frames = ['syscall', '#PF'];
    const dot = synthetic([
      { lanes: [cpu(0, 'task A', frames, { CR3: 'kernel' }), cpu(1, undefined, [])] },
      { lanes: [cpu(0, undefined, [], { CR3: 'kernel' }), cpu(1, undefined, []), asleep('task A', frames)] },
      { lanes: [cpu(0, undefined, [], { CR3: 'kernel' }), cpu(1, 'task A', frames)] },
    ]);
    expect(dot).toContain('c2_1 [label="asleep\\lleft CPU 0\\l"');
    expect(dot).toContain('c1_2 [label="task A\\lswitched in, migrated from CPU 0\\l"');
    expect(dot).toContain('c0_0 -> c2_1 [style=solid, color="#1f5fbf", constraint=false, arrowsize=0.7];');
    expect(dot).toContain('c2_1 -> c1_2 [style=solid, color="#1f5fbf", constraint=false, arrowsize=0.7];');
    // The lanes are CPU 0, CPU 1, then the task's own, although it appears only at the second step.
    expect(dot).toMatch(/c0_h \[label="CPU 0".*\n[\s\S]*c1_h \[label="CPU 1"[\s\S]*c2_h \[label="task A"/);
    expect(clusters(dot)).toEqual([['syscall'], ['syscall', '#PF'], ['syscall'], ['syscall', '#PF'], ['syscall'], ['syscall', '#PF']]);
  });

  it('writes a register that goes away as "= –" while the lane keeps its task', () => {
    const layout = layoutTimeline(
      timelineSteps(
        [
          { action: 'Init', state: { lanes: [cpu(0, 'task A', [], { IPI: 'pending' })] } },
          { action: 'ipi', state: { lanes: [cpu(0, 'task A', [])] } },
        ],
        (s) => s as TimelineSnapshot,
      ),
    );
    expect(layout.cells[1]?.get('CPU 0')).toEqual([{ text: 'IPI = –', tone: 'removed' }]);
  });

  it('gives the same bytes on every render, DOT and SVG', async () => {
    const a = t.dot('pkrs-never-less-permissive');
    expect(threadOnly().dot('pkrs-never-less-permissive')).toBe(a);
    const [svg1, svg2] = await Promise.all([renderSvg(a), renderSvg(a)]);
    expect(svg2).toBe(svg1);
  });

  it('renders to an SVG of non-zero size with the frames drawn as boxes', async () => {
    const svg = await renderSvg(t.dot('pkrs-never-more-permissive'));
    const [, w, h] = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg) ?? [];
    expect(Number(w)).toBeGreaterThan(200);
    expect(Number(h)).toBeGreaterThan(200);
    expect(svg).toContain('<title>cluster_c0_1_0</title>');
    expect(svg).toContain('<title>cluster_c0_4_1</title>');
    expect(svg).toMatch(/<polygon fill="#fbe8d3" stroke="#b8651b"/);
    expect(svg).toContain('VIOLATED pkrs&#45;never&#45;more&#45;permissive');
  });

  it('reports a view that throws, or that names two lanes alike, as the model\'s fault with the step', () => {
    const trace: Trace = [{ action: 'Init', state: 0 }, { action: 'tick', state: 1 }];
    const boom = (s: unknown): TimelineSnapshot => {
      if (s === 1) throw new Error('no CPU 7');
      return { lanes: [] };
    };
    expect(() => timelineSteps(trace, boom)).toThrow(/^the timeline view threw at step 2 \(tick\): no CPU 7$/);
    expect(() => timelineSteps(trace, boom)).toThrow(expect.objectContaining({ name: 'SpecError' }));
    const twice = () => ({ lanes: [cpu(0, undefined, []), cpu(0, undefined, [])] });
    expect(() => timelineSteps(trace, twice)).toThrow('the timeline view gives two lanes named "CPU 0" at step 1');
  });
});

/**
 * What the nesting timeline shows, worked out from a trace's snapshots before anything is drawn: the
 * columns, the entry frames as boxes with a first and a last step, and per step and lane the lines of
 * text (what runs, a sleep or migration, the registers that changed). Pure; `timeline.ts` draws it.
 */
import type { TimelineLane, TimelineSnapshot } from '../model.js';

/** One step as the timeline sees it: its action label and the view of the state it produced. */
export interface TimelineStep {
  readonly action: string;
  readonly snapshot: TimelineSnapshot;
}

/** An entry frame from the step that pushed it (or brought it onto this lane) to its last step there. */
export interface FrameBox {
  readonly lane: string;
  readonly name: string;
  /** 0 for the outermost frame of the lane. */
  readonly depth: number;
  readonly first: number;
  readonly last: number;
  /** The frame's saved values when it appears, shown with its name. */
  readonly saved: readonly string[];
}

/** A task that is in another lane than at the step before: a sleep, a switch-in or a migration. */
export interface Move {
  readonly step: number;
  readonly from: string;
  readonly to: string;
}

/**
 * A line of a cell: what runs, a move, a value this step set (or `removed`), or one it left alone
 * (`unchanged`, kept only on the violating step, for reference).
 */
export interface CellLine {
  readonly text: string;
  readonly tone: 'runs' | 'move' | 'changed' | 'removed' | 'unchanged';
}

export interface TimelineLayout {
  /** Lane names, left to right. */
  readonly lanes: readonly string[];
  readonly boxes: readonly FrameBox[];
  /** `cells[step].get(lane)`: the lines of that lane at that step; absent when the lane does not exist then. */
  readonly cells: readonly ReadonlyMap<string, readonly CellLine[]>[];
  /** Per step, the machine-wide registers' lines; all empty when the view has none. */
  readonly global: readonly (readonly CellLine[])[];
  readonly moves: readonly Move[];
}

type Regs = Readonly<Record<string, string>> | undefined;

/** Lays out `steps`; the last (the violating) step lists every register, the unchanged ones marked so. */
export function layoutTimeline(steps: readonly TimelineStep[]): TimelineLayout {
  const at = steps.map((s) => new Map(s.snapshot.lanes.map((l) => [l.lane, l])));
  const lanes = laneOrder(steps);
  // Every step shows what it changed; the violating one also what it left alone.
  const keep = (l: CellLine, i: number) => l.tone !== 'unchanged' || i === steps.length - 1;
  const moves: Move[] = [];
  const cells = at.map((now, i) => {
    const row = new Map<string, CellLine[]>();
    for (const [name, lane] of now) {
      const move = moveOf(lane, i, at);
      if (move) moves.push({ step: i, from: move.from.lane, to: name });
      row.set(name, laneLines(lane, i, at, move).filter((l) => keep(l, i)));
    }
    return row;
  });
  const global = steps.map((s, i) => regLines(s.snapshot.regs, steps[i - 1]?.snapshot.regs).filter((l) => keep(l, i)));
  const boxes = lanes.flatMap((lane) => frameBoxes(lane, at));
  return { lanes, boxes, cells, global, moves };
}

/**
 * A lane's lines at step `i`. Registers are compared with the lane's own at the step before, except
 * those the task brought along: a task that moved lanes is compared with where it was, so a sleep or a
 * switch-in shows what changed and not everything the task carries.
 */
function laneLines(lane: TimelineLane, i: number, at: readonly ReadonlyMap<string, TimelineLane>[], move: MoveOf): CellLine[] {
  const before = at[i - 1]?.get(lane.lane);
  const was = move ? { ...before?.regs, ...move.from.regs } : before?.regs;
  return [
    ...runsLines(lane, before),
    ...(move ? [{ text: move.text, tone: 'move' as const }] : []),
    ...savedLines(lane, before),
    // A register that went away with the task that left the lane is not news; the move says so.
    ...regLines(lane.regs, was).filter((l) => l.tone !== 'removed' || continues(lane, before)),
  ];
}

/**
 * Lane names in a left-to-right order every step agrees with: a lane first seen at a later step goes
 * right after the lane that precedes it in that step's own list, so a task's lane appearing mid-trace
 * lands where the view would have put it.
 */
function laneOrder(steps: readonly TimelineStep[]): string[] {
  const order: string[] = [];
  for (const s of steps) {
    let after = -1;
    for (const l of s.snapshot.lanes) {
      const i = order.indexOf(l.lane);
      if (i >= 0) after = i;
      else order.splice(++after, 0, l.lane);
    }
  }
  return order;
}

/** Whether the lane shows the same context as at the step before: it existed and holds the same task. */
const continues = (lane: TimelineLane, before: TimelineLane | undefined): before is TimelineLane =>
  before !== undefined && before.task === lane.task;

function runsLines(lane: TimelineLane, before: TimelineLane | undefined): CellLine[] {
  return continues(lane, before) && before.runs === lane.runs ? [] : [{ text: lane.runs, tone: 'runs' }];
}

/** The lane a task was in at the step before `i`, and the last CPU lane it was in before `i`. */
function whereBefore(task: string, i: number, at: readonly ReadonlyMap<string, TimelineLane>[]) {
  let lastCpu: string | undefined;
  for (let j = 0; j < i; j++) {
    for (const l of at[j]?.values() ?? []) if (l.task === task && l.kind === 'cpu') lastCpu = l.lane;
  }
  const prev = i > 0 ? [...(at[i - 1]?.values() ?? [])].find((l) => l.task === task) : undefined;
  return { prev, lastCpu };
}

/** Where a task came from, and the words for it. */
type MoveOf = { readonly from: TimelineLane; readonly text: string } | undefined;

/** A sleep, a switch-in or a migration: the task is in another lane than at the step before. */
function moveOf(lane: TimelineLane, i: number, at: readonly ReadonlyMap<string, TimelineLane>[]): MoveOf {
  if (lane.task === undefined) return undefined;
  const { prev, lastCpu } = whereBefore(lane.task, i, at);
  if (prev === undefined || prev.lane === lane.lane) return undefined;
  const move = (text: string) => ({ from: prev, text });
  if (lane.kind === 'task') return move(`left ${prev.lane}`);
  if (prev.kind === 'cpu') return move(`migrated from ${prev.lane}`);
  if (lastCpu !== undefined && lastCpu !== lane.lane) return move(`switched in, migrated from ${lastCpu}`);
  return move('switched in');
}

/**
 * The saved values of frames that were already live at the step before and changed since (a frame's
 * values when it appears are drawn with its name instead).
 */
function savedLines(lane: TimelineLane, before: TimelineLane | undefined): CellLine[] {
  if (!continues(lane, before)) return [];
  const out: CellLine[] = [];
  const same = sharedDepth(lane, before);
  for (let d = 0; d < same; d++) {
    const f = lane.frames[d];
    if (f === undefined) continue;
    for (const line of regLines(f.saved, before.frames[d]?.saved)) {
      if (line.tone !== 'unchanged') out.push({ ...line, text: `${f.name} ${line.text}` });
    }
  }
  return out;
}

/** How many outermost frames two consecutive views of a lane share (same names, same order). */
function sharedDepth(lane: TimelineLane, before: TimelineLane): number {
  let d = 0;
  while (d < lane.frames.length && d < before.frames.length && lane.frames[d]?.name === before.frames[d]?.name) d++;
  return d;
}

/**
 * Registers as `name = value` lines: each one `changed` when it is new or differs from `before`, else
 * `unchanged`, and one that went away as `name = –`.
 */
function regLines(now: Regs, before: Regs): CellLine[] {
  const out: CellLine[] = [];
  for (const [name, value] of Object.entries(now ?? {})) {
    const changed = before === undefined || before[name] !== value;
    out.push({ text: `${name} = ${value}`, tone: changed ? 'changed' : 'unchanged' });
  }
  for (const name of Object.keys(before ?? {})) {
    if (!(name in (now ?? {}))) out.push({ text: `${name} = –`, tone: 'removed' });
  }
  return out;
}

/** The frame boxes of one lane: a box opens where its frame appears and closes before it is gone. */
function frameBoxes(lane: string, at: readonly ReadonlyMap<string, TimelineLane>[]): FrameBox[] {
  const boxes: FrameBox[] = [];
  let open: { name: string; first: number; saved: string[] }[] = [];
  const close = (from: number, last: number) => {
    open.slice(from).forEach((b, k) => boxes.push({ lane, name: b.name, depth: from + k, first: b.first, last, saved: b.saved }));
    open = open.slice(0, from);
  };
  at.forEach((m, i) => {
    const now = m.get(lane);
    const before = at[i - 1]?.get(lane);
    const keep = now && before && continues(now, before) ? Math.min(sharedDepth(now, before), open.length) : 0;
    close(keep, i - 1);
    for (const f of now?.frames.slice(keep) ?? []) {
      open.push({ name: f.name, first: i, saved: Object.entries(f.saved ?? {}).map(([k, v]) => `${k} = ${v}`) });
    }
  });
  close(0, at.length - 1);
  return boxes.sort((a, b) => a.first - b.first || a.depth - b.depth);
}

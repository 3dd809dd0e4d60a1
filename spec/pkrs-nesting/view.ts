/**
 * The nesting timeline of pkrs-nesting: a lane per CPU with the PKRS MSR and pkrs_cache, the running
 * task's thread.pkrs and what its current code asked for with pks_set (the ghost the A1 properties
 * compare the MSR with); a lane per task while it is switched out; and in each entry frame the value
 * the design saved there (aux.pkrs, state->pkrs, idtentry_state).
 */
import type { TimelineFrame, TimelineLane } from '../../src/index.js';
import { forState, range } from '../../src/index.js';
import { INIT, NONE, cpuOf, top, type Frame, type K, type Machine, type Task } from './state.js';

const { view } = forState<Machine, K>();

const FRAME_NAMES = { SYS: 'syscall', PF: '#PF', IRQ: 'IRQ', NMI: 'NMI' } as const;

/** A PKRS value as its enabled keys: `INIT` (PKS_INIT_VALUE, no key), `k1`, `k1+k2`. */
export function pkrsText(v: number): string {
  if (v === INIT) return 'INIT';
  return range(8)
    .filter((key) => (v & (1 << key)) !== 0)
    .map((key) => `k${key + 1}`)
    .join('+');
}

/** A frame with the design's save slots (s2 is only RFC V3's state->thread_pkrs). */
function frame(f: Frame): TimelineFrame {
  const saved: Record<string, string> = {};
  if (f.s1 !== NONE) saved.saved = pkrsText(f.s1);
  if (f.s2 !== NONE) saved['saved thread'] = pkrsText(f.s2);
  return { name: FRAME_NAMES[f.kind], saved };
}

const taskName = (t: number): string => `task ${t}`;

/** Registers of a task's context beyond the two every design has; pks-thread-stack adds its stack. */
type TaskExtra = (x: Task) => Record<string, string>;

/** The registers of task t's context: thread.pkrs, and the PKRS its current code intends. */
function taskRegs(s: Machine, t: number, extra: TaskExtra): Record<string, string> {
  const x = s.tasks.get(t);
  return {
    'thread.pkrs': pkrsText(x?.thr ?? INIT),
    wants: pkrsText(top(s, t)?.g ?? INIT),
    ...(x ? extra(x) : {}),
  };
}

function cpuLane(s: Machine, c: number, extra: TaskExtra): TimelineLane {
  const x = s.cpus.get(c);
  const t = x?.cur ?? NONE;
  const regs = { PKRS: pkrsText(x?.msr ?? INIT), pkrs_cache: pkrsText(x?.cache ?? INIT) };
  if (t === NONE) return { lane: `CPU ${c}`, kind: 'cpu', runs: 'idle', frames: [], regs };
  const frames = s.tasks.get(t)?.frames.toArray().map(frame) ?? [];
  const runs = frames.length === 0 ? `${taskName(t)} (user mode)` : taskName(t);
  return { lane: `CPU ${c}`, kind: 'cpu', task: taskName(t), runs, frames, regs: { ...regs, ...taskRegs(s, t, extra) } };
}

/** A switched-out task: the model folds the wake-up into schedule(), so it is runnable at once. */
function taskLane(s: Machine, t: number, extra: TaskExtra): TimelineLane {
  const frames = s.tasks.get(t)?.frames.toArray().map(frame) ?? [];
  return { lane: taskName(t), kind: 'task', task: taskName(t), runs: 'off CPU, runnable', frames, regs: taskRegs(s, t, extra) };
}

const viewWith = (extra: TaskExtra) =>
  view((s) => ({
    lanes: [
      ...range(s.cpus.size).map((c) => cpuLane(s, c, extra)),
      ...range(s.tasks.size)
        .filter((t) => cpuOf(s, t) === NONE)
        .map((t) => taskLane(s, t, extra)),
    ],
  }));

export const pkrsNestingView = viewWith(() => ({}));

/** pks-thread-stack's view adds each task's per-thread save stack (bottom first), whose overflow it checks. */
export const pkrsThreadStackView = viewWith((x) => ({ 'thread stack': `[${x.stk.map(pkrsText).join(', ')}]` }));

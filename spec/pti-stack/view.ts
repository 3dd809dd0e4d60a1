/**
 * The nesting timeline of pti-stack: a lane per CPU with its CR3 (which PGD, of which mm) and TSS.sp0,
 * a lane per task while it is runnable, asleep or exited; the task's entry (drawn as the #PF whose
 * handler sleeps) with the stack its frame is on and the entry path's step, and an IRQ nested on it
 * with the CR3 it stashed; and in the global column which task's frame each stack slot holds and which
 * PTI stacks each mm's user page table maps.
 */
import type { TimelineFrame, TimelineLane } from '../../src/index.js';
import { forState, range } from '../../src/index.js';
import { inKernel, task, taskName, type Cpu, type K, type Phase, type Pti, type Task } from './state.js';

const { view } = forState<Pti, K>();

const PHASES: Readonly<Record<Phase, string>> = {
  user: 'user mode',
  hw: 'entered, still on the entry stack',
  esc: 'C step (1) done, on the entry stack',
  body: 'handler body',
  ret: 'back on an entry stack, kernel CR3',
  iret: 'user CR3 loaded, about to IRET',
  dead: 'exited',
};

const name = (t: number): string => `task ${taskName(t)}`;

/** The entry from user mode, with where its frame is, and an IRQ on top of it with its CR3 stash. */
function frames(x: Task): TimelineFrame[] {
  if (!inKernel(x)) return [];
  const entry: TimelineFrame = { name: '#PF', saved: { 'frame on': x.retStk } };
  return x.irq ? [entry, { name: 'IRQ', saved: x.stash === 'none' ? {} : { 'stashed CR3': x.stash } }] : [entry];
}

function cr3Text(c: Cpu): string {
  return `${c.cr3 === 'user' ? 'user' : 'kernel'} PGD of ${c.mm < 0 ? 'init_mm' : `mm ${c.mm}`}`;
}

function cpuLane(s: Pti, c: Cpu, i: number): TimelineLane {
  const regs = { CR3: cr3Text(c), 'TSS.sp0': c.sp0 };
  if (c.cur < 0) return { lane: `CPU ${i}`, kind: 'cpu', runs: 'idle', frames: [], regs };
  const x = task(s, c.cur);
  const runs = `${name(c.cur)}: ${PHASES[x.ph]}`;
  return { lane: `CPU ${i}`, kind: 'cpu', task: name(c.cur), runs, frames: frames(x), regs: { ...regs, IF: x.irqOn ? 'on' : 'off' } };
}

function taskLane(x: Task, t: number): TimelineLane {
  const runs = x.sched === 'blocked' ? 'asleep' : x.sched === 'dead' ? 'exited' : `runnable, ${PHASES[x.ph]}`;
  return { lane: name(t), kind: 'task', task: name(t), runs, frames: frames(x) };
}

/** Which task's frame each stack slot holds, and the PTI stacks mapped in each mm's user page table. */
function globalRegs(s: Pti): Record<string, string> {
  const regs: Record<string, string> = {};
  for (const [stk, frame] of s.stacks.sortBy((_, k) => k)) regs[stk] = `frame of ${frame}`;
  s.mapped.forEach((tasks, mm) => {
    if (!tasks.isEmpty()) regs[`mm ${mm} user PT maps`] = tasks.sort().map((t) => `pti(${taskName(t)})`).join(' ');
  });
  if (s.vcpuOwner >= 0) regs['vcpu->mutex'] = name(s.vcpuOwner);
  return regs;
}

export const ptiStackView = view((s) => ({
  lanes: [
    ...s.cpus.toArray().map((c, i) => cpuLane(s, c, i)),
    ...range(s.tasks.size)
      .filter((t) => task(s, t).cpu < 0)
      .map((t) => taskLane(task(s, t), t)),
  ],
  regs: globalRegs(s),
}));

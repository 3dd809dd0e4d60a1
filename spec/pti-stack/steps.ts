/**
 * The builders every PTI action is made with: parameters over running tasks, kernel-style labels, and
 * the scheduler moves shared by several actions.
 */
import { forState, range, type Action } from '../../src/index.js';
import { cpu, setCpu, setTask, task, taskName, type K, type Phase, type Pti, type TaskProps } from './state.js';

export const { action, invariant, actionProperty, reachable } = forState<Pti, K>();

/** A step of the task `t` running on CPU `cpu`. */
export interface OnCpu {
  readonly t: number;
  readonly cpu: number;
}

/** Every (running task, its CPU) pair, CPUs in order: the params of per-task steps. */
export function runningTasks(s: Pti): OnCpu[] {
  const out: OnCpu[] = [];
  s.cpus.forEach((c, i) => {
    if (c.cur >= 0) out.push({ t: c.cur, cpu: i });
  });
  return out;
}

/** `c_pagetable_return(A, cpu=1)`. */
export const onCpuLabel =
  (name: string) =>
  (p: OnCpu): string =>
    `${name}(${taskName(p.t)}, cpu=${p.cpu})`;

export interface TaskStepDef {
  readonly name: string;
  readonly doc: string;
  /** The entry-path phases the step starts from. */
  readonly phases: readonly Phase[];
  readonly guard?: (s: Pti, p: OnCpu, k: K) => boolean;
  readonly effect: (s: Pti, p: OnCpu, k: K) => Pti;
}

/**
 * A step of the task's own code on its CPU. It is disabled while an interrupt handler runs on top of
 * the task, because that handler has the CPU until it returns.
 */
export function taskStep(def: TaskStepDef): Action<Pti, K> {
  return action<OnCpu>({
    name: def.name,
    doc: def.doc,
    params: runningTasks,
    guard: (s, p, k) => {
      const x = task(s, p.t);
      return !x.irq && def.phases.includes(x.ph) && (def.guard ? def.guard(s, p, k) : true);
    },
    effect: def.effect,
    label: onCpuLabel(def.name),
  });
}

/** schedule() away from `p.cpu`: the CPU goes idle and the task waits in state `sched`. */
export function switchOut(s: Pti, p: OnCpu, sched: 'blocked' | 'runnable'): Pti {
  const s1 = setCpu(s, p.cpu, (c) => c.set('cur', -1));
  return setTask(s1, p.t, (x) => x.merge({ sched, cpu: -1 }));
}

/** Merges `props` into task t's record. */
export const withTask = (s: Pti, t: number, props: Partial<Omit<TaskProps, 'kind'>>): Pti => setTask(s, t, (x) => x.merge(props));

/** Sets CPU c's CR3. */
export const loadCr3 = (s: Pti, c: number, cr3: 'user' | 'kern'): Pti => setCpu(s, c, (x) => x.set('cr3', cr3));

/** The (cpu, task) pairs a dispatch could pick: an idle CPU and a runnable task. */
export function idleCpuRunnableTask(s: Pti): { cpu: number; t: number }[] {
  const out: { cpu: number; t: number }[] = [];
  for (const c of range(s.cpus.size)) {
    if (cpu(s, c).cur >= 0) continue;
    for (const t of range(s.tasks.size)) if (task(s, t).sched === 'runnable') out.push({ cpu: c, t });
  }
  return out;
}

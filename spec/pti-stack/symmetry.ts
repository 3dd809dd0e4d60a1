/**
 * Which ids of pti-stack are interchangeable.
 *
 * CPUs, in every design: dispatch picks any idle CPU, entries and exits use the running CPU's own
 * trampoline, and the properties quantify over CPUs. A CPU id appears in a task's `cpu` and `entryCpu`
 * and inside stack names (`tramp(0)`, `idle(0)`: in TSS.sp0, a task's `retStk` and the stack slots).
 *
 * Tasks, as far as their address spaces allow: task t belongs to mm t % nMms, and a task can only trade
 * places with one whose mm can trade places with its own. With one mm, or one mm per task (the default,
 * where each task is its own process), every task is interchangeable, the mms moving with their tasks;
 * with 3 tasks in 2 mms only tasks A and C (both in mm 0) are. A task id appears in a CPU's `cur`, the
 * vcpu->mutex owner, the mms' sets of mapped PTI stacks, and as a letter in stack names (`pti(A)`,
 * `kstk(A)`) and in the frames the stack slots hold.
 */
import { Map as IMap } from 'immutable';
import { forState, permuteList, range, renumber } from '../../src/index.js';
import { idleStack, kernelStack, mmOf, ptiStack, taskName, tramp, type K, type Pti } from './state.js';

const { symmetric } = forState<Pti, K>();

/** A renaming of ids inside stack names and frame letters; names it does not list stay. */
type Rename = ReadonlyMap<string, string>;
const renamed = (r: Rename, name: string): string => r.get(name) ?? name;

/** The stacks and frame letters renamed. */
function renameStacks(s: Pti, stacks: Rename, letters: Rename): Pti {
  const out = IMap<string, string>().withMutations((m) => {
    s.stacks.forEach((frame, stk) => m.set(renamed(stacks, stk), renamed(letters, frame)));
  });
  return s.set('stacks', out);
}

/** `names(i)` → `names(perm[i])` for every id of `perm`, for each kind of name (`tramp(0)`, `idle(0)`). */
function renaming(perm: readonly number[], kinds: readonly ((i: number) => string)[]): Rename {
  const out = new Map<string, string>();
  perm.forEach((to, from) => {
    if (to !== from) for (const name of kinds) out.set(name(from), name(to));
  });
  return out;
}

const NO_RENAME: Rename = new Map();

export const cpus = symmetric({
  name: 'CPUs',
  size: (k) => k.nCpus,
  permute: (s, perm) => {
    const stacks = renaming(perm, [tramp, idleStack]);
    const t = s.merge({
      cpus: permuteList(s.cpus, perm, (c) => c.set('sp0', renamed(stacks, c.sp0))),
      tasks: s.tasks.map((x) =>
        x.merge({ cpu: renumber(x.cpu, perm), entryCpu: renumber(x.entryCpu, perm), retStk: renamed(stacks, x.retStk) }),
      ),
    });
    return renameStacks(t, stacks, NO_RENAME);
  },
});

/** Whether each task has an mm of its own (mm id = task id), so that mms move with their tasks. */
const ownMm = (k: K): boolean => k.nMms >= k.nTasks;

/** The interchangeable tasks, in order: all of them, or those sharing mm 0 when some mms are shared. */
function interchangeable(k: K): number[] {
  const all = range(k.nTasks);
  return ownMm(k) || k.nMms === 1 ? all : all.filter((t) => mmOf(t, k) === 0);
}

/** Renumbers tasks by `perm` (every task id), and mms by `mms` (every mm id). */
function permuteTasks(s: Pti, perm: readonly number[], mms: readonly number[]): Pti {
  // `pti(A)` → `pti(B)` and `kstk(A)` → `kstk(B)` when task A becomes task B; frame letters alike.
  const stacks = renaming(perm, [ptiStack, kernelStack]);
  const letters = renaming(perm, [taskName]);
  const t = s.merge({
    tasks: permuteList(s.tasks, perm, (x) => x.set('retStk', renamed(stacks, x.retStk))),
    cpus: s.cpus.map((c) => c.merge({ cur: renumber(c.cur, perm), mm: renumber(c.mm, mms), sp0: renamed(stacks, c.sp0) })),
    mapped: permuteList(s.mapped, mms, (set) => set.map((x) => renumber(x, perm))),
    vcpuOwner: renumber(s.vcpuOwner, perm),
  });
  return renameStacks(t, stacks, letters);
}

export const tasks = symmetric({
  name: 'tasks',
  size: (k) => interchangeable(k).length,
  permute: (s, perm, k) => {
    const ids = interchangeable(k);
    const full = range(k.nTasks);
    ids.forEach((t, i) => {
      full[t] = ids[perm[i]!]!;
    });
    const mms = range(k.nMms).map((m) => (ownMm(k) && m < k.nTasks ? full[m]! : m));
    return permuteTasks(s, full, mms);
  },
});

export const symmetry = [cpus, tasks];

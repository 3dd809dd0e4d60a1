/**
 * Which ids of pkrs-nesting are interchangeable. CPUs: every action, hook and property treats them alike
 * (only the initial state puts task i on CPU i, and the initial state need not be symmetric). Tasks:
 * only within their role, since tasks 0 .. pksTasks-1 call pks_set and the others never do; swapping a
 * task of one kind with one of the other would merge states that behave differently.
 *
 * A CPU holds the id of the task running on it (`cur`); a task holds no CPU id and no task id (its frames
 * and saved values are its own), so renumbering CPUs moves the CPU records, and renumbering tasks moves
 * the task records and renumbers `cur`.
 */
import { forState, permuteList, range, renumber } from '../../src/index.js';
import type { K, Machine } from './state.js';

const { symmetric } = forState<Machine, K>();

/** How many tasks call pks_set (tasks 0 .. n-1). */
const pksTaskCount = (k: K): number => Math.min(k.pksTasks, k.nTasks);

/** Renumbers tasks by `perm`, a permutation of every task id. */
function permuteTasks(s: Machine, perm: readonly number[]): Machine {
  return s.merge({
    tasks: permuteList(s.tasks, perm),
    cpus: s.cpus.map((c) => c.set('cur', renumber(c.cur, perm))),
  });
}

export const cpus = symmetric({
  name: 'CPUs',
  size: (k) => k.nCpus,
  permute: (s, perm) => s.set('cpus', permuteList(s.cpus, perm)),
});

export const pksTasks = symmetric({
  name: 'pks_set tasks',
  size: pksTaskCount,
  permute: (s, perm, k) => permuteTasks(s, [...perm, ...range(k.nTasks).slice(perm.length)]),
});

export const otherTasks = symmetric({
  name: 'other tasks',
  size: (k) => k.nTasks - pksTaskCount(k),
  permute: (s, perm, k) => {
    const first = pksTaskCount(k);
    return permuteTasks(s, [...range(first), ...perm.map((t) => t + first)]);
  },
});

export const symmetry = [cpus, pksTasks, otherTasks];

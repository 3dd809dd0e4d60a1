/**
 * Which ids of xsave-pasid are interchangeable: the CPUs. Tasks are not: task 0 is the process whose mm
 * gets the PASID and task 1 the child it forks into a new mm, and the properties say so (`pasid-sticks`,
 * `pasid-fixup-reached`, `child-in-user-reached`).
 *
 * Every step runs on whatever CPU its task is on, switch_to may pick any idle CPU, the PASID IPI goes to
 * every CPU, and the properties quantify over CPUs. A CPU id appears in a task's `cpu` and `last_cpu`;
 * a CPU's `owner` is a task id and stays.
 */
import { forState, permuteList, renumber } from '../../src/index.js';
import type { K, Machine } from './state.js';

const { symmetric } = forState<Machine, K>();

export const cpus = symmetric({
  name: 'CPUs',
  size: (k) => k.nCpus,
  permute: (s, perm) =>
    s.merge({
      cpus: permuteList(s.cpus, perm),
      tasks: s.tasks.map((x) => x.merge({ cpu: renumber(x.cpu, perm), lastCpu: renumber(x.lastCpu, perm) })),
    }),
});

export const symmetry = [cpus];

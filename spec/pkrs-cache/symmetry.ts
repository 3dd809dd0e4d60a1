/**
 * Which ids of pkrs-cache are interchangeable: the CPUs, in the designs without a global revoke. Every
 * CPU runs the same local callers of write_pkrs and the same environment, and the properties quantify
 * over all CPUs. A CPU id appears in the lock owner and, during update_global_pkrs's loop, in the loop's
 * target `gj`; elsewhere `gj` is a local reset to 0 when the procedure ends, not an id, so only a loop in
 * progress has it renumbered.
 *
 * The global designs are not symmetric: update_global_pkrs visits the CPUs in id order
 * (for_each_online_cpu), so "the loop has done CPUs 0..j-1" is not preserved by renumbering CPUs. They
 * drop the symmetry (proposals.ts), and kmc's check refuses it if they keep it.
 */
import { forState, permuteList, renumber } from '../../src/index.js';
import type { Cpu, K, Machine, Pc } from './state.js';

const { symmetric } = forState<Machine, K>();

/** Program counters at which `gj` names the loop's target CPU. */
const IN_LOOP: ReadonlySet<Pc> = new Set<Pc>(['G3a', 'G3c', 'G3d', 'G3w']);

const renumberTarget = (x: Cpu, perm: readonly number[]): Cpu => (IN_LOOP.has(x.pc) ? x.set('gj', renumber(x.gj, perm)) : x);

export const cpus = symmetric({
  name: 'CPUs',
  size: (k) => k.nCpus,
  permute: (s, perm) =>
    s.merge({ cpus: permuteList(s.cpus, perm, (x) => renumberTarget(x, perm)), lock: renumber(s.lock, perm) }),
});

export const symmetry = [cpus];

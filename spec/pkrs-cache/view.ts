/**
 * The nesting timeline of pkrs-cache: a lane per CPU (one task each, no context switches) saying which
 * step of write_pkrs() or update_global_pkrs() it is at, with its PKRS MSR, pkrs_cache, thread value,
 * preempt_count, IF and a pending IPI; with irqSavePkrs, an interrupt frame holding the value
 * irq_save_pkrs() saved; and pkrs_global_cache with its lock in the global column.
 */
import type { TimelineLane } from '../../src/index.js';
import { forState, range } from '../../src/index.js';
import type { Cpu, K, Machine } from './state.js';

const { view } = forState<Machine, K>();

/** A PKRS value as its enabled keys, numbered as the trace labels number them: `INIT`, `k0`, `k0+k1`. */
export function keysText(v: number): string {
  if (v === 0) return 'INIT';
  return range(8)
    .filter((key) => (v & (1 << key)) !== 0)
    .map((key) => `k${key}`)
    .join('+');
}

/** Where the CPU's procedure is: what its next step does. */
function runsText(x: Cpu): string {
  const target = `CPU ${x.gj}'s pkrs_cache`;
  switch (x.pc) {
    case 'idle':
      return 'task code';
    case 'W0':
      return `calls write_pkrs(${keysText(x.wv)})`;
    case 'W1':
      return 'write_pkrs: reads pkrs_cache next';
    case 'W2':
      return 'write_pkrs: stores pkrs_cache next';
    case 'W3':
      return 'write_pkrs: wrmsr next';
    case 'W4':
      return 'write_pkrs: returns next';
    case 'G1':
      return 'spins on pkrs_global_cache_lock';
    case 'G3a':
      return `update_global_pkrs: reads ${target} next`;
    case 'G3c':
      return `update_global_pkrs: stores ${target} next`;
    case 'G3d':
      return `update_global_pkrs: wrmsrl_on_cpu(${x.gj}) next`;
    case 'G3w':
      return `update_global_pkrs: waits for CPU ${x.gj}`;
    case 'G4':
      return 'update_global_pkrs: spin_unlock next';
    case 'G5':
      return 'pks_update_protection: thread update next';
  }
}

function cpuLane(x: Cpu, c: number): TimelineLane {
  const regs: Record<string, string> = {
    PKRS: keysText(x.msr),
    pkrs_cache: keysText(x.cache),
    'thread.saved_pkrs': keysText(x.thr),
    preempt_count: String(x.preempt),
    IF: x.ifl ? 'on' : 'off',
  };
  if (x.ipi >= 0) regs['pending IPI'] = keysText(x.ipi);
  const frames = x.saved >= 0 ? [{ name: 'IRQ', saved: { 'saved pkrs': keysText(x.saved) } }] : [];
  return { lane: `CPU ${c}`, kind: 'cpu', task: `task on CPU ${c}`, runs: runsText(x), frames, regs };
}

export const pkrsCacheView = view((s) => ({
  lanes: s.cpus.toArray().map(cpuLane),
  regs: {
    pkrs_global_cache: keysText(s.gcache),
    pkrs_global_cache_lock: s.lock < 0 ? 'free' : `CPU ${s.lock}`,
    'revoked (done)': s.revoked === 0 ? 'none' : keysText(s.revoked),
  },
}));

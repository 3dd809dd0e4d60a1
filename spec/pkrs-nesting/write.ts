/**
 * pks_write_pkrs() and what follows it. Under `coarse` the cached write is one step; under `nmi` the
 * compare happens in the caller's step and the cache store and the wrmsr are two more steps, with any
 * entry that is enabled there (always an NMI; an IRQ too when the caller runs with IRQs on, as
 * pks_update_protection() does) able to land between them.
 *
 * When the write is done, `finish` continues the procedure recorded in the top frame's `pc`.
 */
import { forState, range } from '../../src/index.js';
import {
  INIT,
  NONE,
  cpu,
  curOf,
  setCpu,
  setTask,
  setTop,
  task,
  top,
  type K,
  type Machine,
} from './state.js';

/**
 * Starts `pks_write_pkrs(v)` on CPU c for the code at the top of the running task's stack:
 * `if (this_cpu_read(pkrs_cache) != v) { this_cpu_write(pkrs_cache, v); wrmsrl(MSR_IA32_PKRS, v); }`.
 */
export function pksWritePkrs(s: Machine, c: number, v: number, k: K): Machine {
  const cp = cpu(s, c);
  if (cp.cache === v) return finish(s, c);
  if (k.granularity === 'coarse') return finish(setCpu(s, c, (x) => x.merge({ cache: v, msr: v })), c);
  return setTop(s, curOf(s, c), (f) => f.merge({ wp: 'cache', wv: v }));
}

/** The same write where nothing can interrupt it in a way that matters (__switch_to, IRQs off): one step. */
export function writeNow(s: Machine, c: number, v: number): Machine {
  return cpu(s, c).cache === v ? s : setCpu(s, c, (x) => x.merge({ cache: v, msr: v }));
}

/** The write of the top frame is complete: continue the procedure it belongs to. */
export function finish(s: Machine, c: number): Machine {
  const t = curOf(s, c);
  const f = top(s, t);
  if (!f) throw new Error(`finish: task ${t} has no frame`);
  switch (f.pc) {
    case 'enter':
      // cond_local_irq_enable() is folded in here: a #PF handler runs with the interrupted IF.
      return setTop(s, t, (x) => x.merge({ pc: 'body', irqs: x.kind === 'PF' && interruptedIf(s, t) }));
    case 'exit':
      // RFC V3's irq_restore_pkrs() stores state->thread_pkrs after the write; the others saved no s2.
      return setTask(s, t, (x) =>
        x.merge({ frames: x.frames.pop(), thr: f.s2 === NONE ? x.thr : f.s2 }),
      );
    case 'set_wr':
      return setTop(s, t, (x) => x.set('pc', 'body'));
    case 'set_msr':
      return setTop(s, t, (x) => x.set('pc', 'set_store'));
    default:
      throw new Error(`finish: nothing to continue at pc ${f.pc}`);
  }
}

/** EFLAGS.IF of the context the top frame interrupted (user mode: on). */
function interruptedIf(s: Machine, t: number): boolean {
  const fs = task(s, t).frames;
  return fs.size < 2 ? true : (fs.get(fs.size - 2)?.irqs ?? true);
}

const { action } = forState<Machine, K>();

const inFlight = (step: 'cache' | 'msr') => (s: Machine, c: number) => {
  const t = curOf(s, c);
  return t >= 0 && top(s, t)?.wp === step;
};

/** `__this_cpu_write(pkrs_cache, new_pkrs)` of a split pks_write_pkrs (granularity nmi only). */
export const pksWritePkrsCache = action({
  name: 'pks_write_pkrs:cache',
  doc: 'arch/x86/mm/pkeys.c pks_write_pkrs(): the per-CPU cache store, before the wrmsr',
  params: (s) => range(s.cpus.size),
  guard: inFlight('cache'),
  effect: (s, c) => {
    const t = curOf(s, c);
    const v = top(s, t)?.wv ?? INIT;
    return setTop(setCpu(s, c, (x) => x.set('cache', v)), t, (f) => f.set('wp', 'msr'));
  },
  label: (c) => `pks_write_pkrs:cache(cpu=${c})`,
});

/** `wrmsrl(MSR_IA32_PKRS, new_pkrs)` of a split pks_write_pkrs; then the caller continues. */
export const pksWritePkrsWrmsr = action({
  name: 'pks_write_pkrs:wrmsr',
  doc: 'arch/x86/mm/pkeys.c pks_write_pkrs(): the wrmsrl, after the cache store',
  params: (s) => range(s.cpus.size),
  guard: inFlight('msr'),
  effect: (s, c) => {
    const t = curOf(s, c);
    const v = top(s, t)?.wv ?? INIT;
    const s1 = setTop(setCpu(s, c, (x) => x.set('msr', v)), t, (f) => f.merge({ wp: 'none', wv: INIT }));
    return finish(s1, c);
  },
  label: (c) => `pks_write_pkrs:wrmsr(cpu=${c})`,
});

/**
 * Kernel entries and exits, and pks_set. Each factory takes the design whose hooks it runs, so every
 * proposal has the same action names and its traces read alike.
 */
import { forState, range } from '../../src/index.js';
import type { Design, KeyUpdate } from './designs.js';
import {
  Frame,
  INIT,
  cpu,
  cpuOf,
  curOf,
  hasKey,
  irqsOn,
  setTask,
  setTop,
  task,
  top,
  toggle,
  type FrameKind,
  type K,
  type Machine,
} from './state.js';

const { action } = forState<Machine, K>();

/** A per-CPU instance; `n` (the CPU count) only decides whether the label names the CPU. */
interface OnCpu {
  readonly c: number;
  readonly n: number;
}
const onCpus = (s: Machine): OnCpu[] => range(s.cpus.size).map((c) => ({ c, n: s.cpus.size }));
const where = (p: OnCpu): string => (p.n > 1 ? `, cpu=${p.c}` : '');
const bare = (p: OnCpu): string => (p.n > 1 ? `(cpu=${p.c})` : '');
const runningTasks = (s: Machine): number[] => range(s.tasks.size).filter((t) => cpuOf(s, t) >= 0);

/** Top frame is at rest: its code runs, with no hook, pks_set step or write in flight. */
const atRest = (f: Frame | undefined): boolean => f !== undefined && f.pc === 'body' && f.wp === 'none';

/** Pushes a frame of `kind` on the task running on c, then runs the design's entry hook. */
function enter(d: Design, s: Machine, c: number, kind: FrameKind, k: K): Machine {
  const t = curOf(s, c);
  const f = Frame({ kind, irqs: false, pc: 'enter', m0: cpu(s, c).msr });
  return d.entry(setTask(s, t, (x) => x.set('frames', x.frames.push(f))), c, k);
}

/** SYSCALL from user mode: pt_regs on the task stack, IRQs on, no PKRS hook in any design. */
export const entrySyscall = action({
  name: 'entry_syscall',
  doc: 'arch/x86/entry/entry_64.S entry_SYSCALL_64 → do_syscall_64(); no design saves PKRS for syscalls (A6)',
  params: (s) => runningTasks(s),
  guard: (s, t) => task(s, t).frames.isEmpty(),
  effect: (s, t) => setTask(s, t, (x) => x.set('frames', x.frames.push(Frame()))),
  label: (t) => `entry_syscall(t=${t})`,
});

/** A #PF (from user mode or from syscall code, or, with pfInIrq, from an IRQ/NMI handler) or an IRQ. */
interface EntryParam extends OnCpu {
  readonly kind: 'PF' | 'IRQ';
}

function canEnter(s: Machine, p: EntryParam, k: K): boolean {
  const t = curOf(s, p.c);
  if (t < 0 || task(s, t).frames.size >= k.maxDepth) return false;
  if (p.kind === 'IRQ') return irqsOn(s, t);
  const f = top(s, t);
  return f === undefined || (atRest(f) && (f.kind === 'SYS' || (k.pfInIrq && f.kind !== 'PF')));
}

export const irqentryEnter = (d: Design) =>
  action({
    name: 'irqentry_enter',
    doc: 'kernel/entry/common.c irqentry_enter() for exc_page_fault / common_interrupt, with the arch hook',
    params: (s) => onCpus(s).flatMap((p) => (['PF', 'IRQ'] as const).map((kind) => ({ ...p, kind }))),
    guard: canEnter,
    effect: (s, p, k) => enter(d, s, p.c, p.kind, k),
    label: (p) => `irqentry_enter(${p.kind}${where(p)})`,
  });

export const irqentryNmiEnter = (d: Design) =>
  action({
    name: 'irqentry_nmi_enter',
    doc: 'kernel/entry/common.c irqentry_nmi_enter() for exc_nmi: may land anywhere, IRQs off or not',
    params: onCpus,
    guard: (s, p, k) => {
      const t = curOf(s, p.c);
      if (t < 0) return false;
      const fs = task(s, t).frames;
      return fs.size < k.maxDepth && !fs.some((f) => f.kind === 'NMI');
    },
    effect: (s, p, k) => enter(d, s, p.c, 'NMI', k),
    label: (p) => `irqentry_nmi_enter${bare(p)}`,
  });

/** Starts the exit of the top frame: IRQs off, then the design's restore hook; the pop follows the write. */
function leave(d: Design, s: Machine, c: number, k: K): Machine {
  return d.exit(setTop(s, curOf(s, c), (f) => f.merge({ pc: 'exit', irqs: false })), c, k);
}

/** A handler may return only once its own pks_set calls are balanced (kmap_local nesting, A6 for handlers). */
const canLeave = (kinds: readonly FrameKind[]) => (s: Machine, p: OnCpu) => {
  const t = curOf(s, p.c);
  const f = t < 0 ? undefined : top(s, t);
  return f !== undefined && kinds.includes(f.kind) && atRest(f) && f.g === INIT;
};

export const irqentryExit = (d: Design) =>
  action({
    name: 'irqentry_exit',
    doc: 'kernel/entry/common.c irqentry_exit(): the arch restore hook runs first, before any preemption',
    params: (s) => onCpus(s).flatMap((p) => {
      const t = curOf(s, p.c);
      const f = t < 0 ? undefined : top(s, t);
      return f && (f.kind === 'PF' || f.kind === 'IRQ') ? [{ ...p, kind: f.kind }] : [];
    }),
    guard: canLeave(['PF', 'IRQ']),
    effect: (s, p, k) => leave(d, s, p.c, k),
    label: (p) => `irqentry_exit(${p.kind}${where(p)})`,
  });

export const irqentryNmiExit = (d: Design) =>
  action({
    name: 'irqentry_nmi_exit',
    doc: 'kernel/entry/common.c irqentry_nmi_exit(), with the arch restore hook',
    params: onCpus,
    guard: canLeave(['NMI']),
    effect: (s, p, k) => leave(d, s, p.c, k),
    label: (p) => `irqentry_nmi_exit${bare(p)}`,
  });

/** Return to user after a syscall, allowed only once the syscall's pks_set calls are balanced (A6). */
export const syscallExit = action({
  name: 'syscall_exit_to_user_mode',
  doc: 'kernel/entry/common.c syscall_exit_to_user_mode(); no PKRS hook (A6: callers balance pks_set)',
  params: (s) => runningTasks(s),
  guard: (s, t) => {
    const f = top(s, t);
    return f !== undefined && f.kind === 'SYS' && atRest(f) && f.g === INIT;
  },
  effect: (s, t) => setTask(s, t, (x) => x.set('frames', x.frames.pop())),
  label: (t) => `syscall_exit_to_user_mode(t=${t})`,
});

/** Task t (running on c) turns `key` on (pks_set_readwrite) or off (pks_set_noaccess). */
interface SetParam extends KeyUpdate {
  readonly t: number;
  readonly c: number;
}

/**
 * pks_set_readwrite(key) / pks_set_noaccess(key) from syscall or #PF-handler code: flips one key of what
 * this level intends (the ghost `g`), then the design's first store. IRQs stay enabled throughout.
 */
export const pksSet = (d: Design) =>
  action({
    name: 'pks_set',
    doc: 'include/linux/pks.h pks_set_readwrite()/pks_set_noaccess() → pks_update_protection(), step 1',
    params: (s, k) =>
      runningTasks(s)
        .filter((t) => t < k.pksTasks)
        .flatMap((t) =>
          range(k.keys).map((key): SetParam => ({ t, c: cpuOf(s, t), key, on: !hasKey(top(s, t)?.g ?? INIT, key) })),
        ),
    guard: (s, p) => {
      const f = top(s, p.t);
      return atRest(f) && (f?.kind === 'SYS' || f?.kind === 'PF');
    },
    effect: (s, p, k) => d.set(setTop(s, p.t, (f) => f.set('g', toggle(f.g, p.key))), p.c, p, k),
    label: (p) => `pks_set_${p.on ? 'readwrite' : 'noaccess'}(t=${p.t}, key=${p.key + 1})`,
  });

/** The second store of a two-step pks_update_protection(), after which the caller's code continues. */
export const pksUpdateProtection = (d: Design) =>
  action({
    name: 'pks_update_protection',
    doc: 'arch/x86/mm/pkeys.c pks_update_protection(), step 2: the store the first step did not do',
    params: (s) => runningTasks(s).map((t) => ({ t, c: cpuOf(s, t) })),
    guard: (s, p) => d.second?.enabled(s, p.t) ?? false,
    effect: (s, p, k) => d.second?.effect(s, p.c, k),
    label: (p) => `pks_update_protection:${d.second?.what ?? 'none'}(t=${p.t})`,
  });

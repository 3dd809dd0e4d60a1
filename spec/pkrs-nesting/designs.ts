/**
 * The seven designs of MODELS.md §2.4 as hooks: what the entry and exit code, pks_set and the context
 * switch do with PKRS. The actions (actions.ts, sched.ts) are the same for every design and call these.
 */
import {
  INIT,
  cpu,
  curOf,
  setTask,
  setTop,
  task,
  top,
  type K,
  type Machine,
} from './state.js';
import { finish, pksWritePkrs, writeNow } from './write.js';

/** The second step of pks_update_protection(), for designs that split it in two. */
export interface SecondStep {
  /** Label suffix: `write_pkrs` (thread value first) or `store_thread` (MSR first). */
  readonly what: string;
  readonly enabled: (s: Machine, t: number) => boolean;
  readonly effect: (s: Machine, c: number, k: K) => Machine;
}

export interface Design {
  /** Entry hook; the new frame is on top with pc `enter`. Ends by starting a write or by `finish`. */
  readonly entry: (s: Machine, c: number, k: K) => Machine;
  /** Exit hook; the frame is on top with pc `exit`. Ends by starting a write or by `finish` (the pop). */
  readonly exit: (s: Machine, c: number, k: K) => Machine;
  /** pks_set step 1 for key `key`, turned on or off; the top frame's ghost `g` is already updated. */
  readonly set: (s: Machine, c: number, u: KeyUpdate, k: K) => Machine;
  readonly second?: SecondStep;
  /** Switch-out hook of prev (the task running on c). */
  readonly switchOut: (s: Machine, c: number) => Machine;
  /** Switch-in hook of next (already current on c). */
  readonly switchIn: (s: Machine, c: number) => Machine;
}

export interface KeyUpdate {
  readonly key: number;
  readonly on: boolean;
}

/** pkey_update_pkval(): enable or disable one key in a value. */
export const update = (v: number, u: KeyUpdate): number => (u.on ? v | (1 << u.key) : v & ~(1 << u.key));

const thr = (s: Machine, c: number): number => task(s, curOf(s, c)).thr;
const setThr = (s: Machine, c: number, v: number): Machine => setTask(s, curOf(s, c), (x) => x.set('thr', v));
const setFrame = (s: Machine, c: number, f: Parameters<typeof setTop>[2]): Machine => setTop(s, curOf(s, c), f);
const topOf = (s: Machine, c: number) => top(s, curOf(s, c));

/** V8–V10 pks_update_protection(): `thread.pkrs = update(thread.pkrs)`, then (step 2) write it. */
function threadFirstSet(s: Machine, c: number, u: KeyUpdate): Machine {
  return setFrame(setThr(s, c, update(thr(s, c), u)), c, (f) => f.set('pc', 'set_wr'));
}
const threadFirstSecond: SecondStep = {
  what: 'write_pkrs',
  enabled: (s, t) => top(s, t)?.pc === 'set_wr' && top(s, t)?.wp === 'none',
  effect: (s, c, k) => pksWritePkrs(s, c, thr(s, c), k),
};

/** Context switch of the thread-value designs: nothing on the way out, `pks_write_pkrs(next->thread.pkrs)` in. */
const loadOnSwitchIn = {
  switchOut: (s: Machine) => s,
  switchIn: (s: Machine, c: number) => writeNow(s, c, thr(s, c)),
};

/** Fenghua Yu: PKRS lives only in thread_struct; entries and exits do nothing. */
export const threadOnly: Design = {
  entry: (s, c) => finish(s, c),
  exit: (s, c) => finish(s, c),
  set: threadFirstSet,
  second: threadFirstSecond,
  ...loadOnSwitchIn,
};

/** tglx: a per-thread stack of saved values and an index; every entry pushes, every exit pops. */
export const threadStack: Design = {
  entry: (s, c, k) => {
    const t = curOf(s, c);
    const s1 = setTask(s, t, (x) => x.merge({ stk: x.stk.push(x.thr), thr: INIT }));
    return pksWritePkrs(s1, c, INIT, k);
  },
  exit: (s, c, k) => {
    const t = curOf(s, c);
    const saved = task(s, t).stk.last() ?? INIT;
    const s1 = setTask(s, t, (x) => x.merge({ stk: x.stk.pop(), thr: saved }));
    return pksWritePkrs(s1, c, saved, k);
  },
  set: threadFirstSet,
  second: threadFirstSecond,
  ...loadOnSwitchIn,
};

/** tglx's summary: the per-CPU cache is the live value; idtentry saves it, switch-out saves it in the task. */
export const idtentryCache: Design = {
  entry: (s, c, k) => pksWritePkrs(setFrame(s, c, (f) => f.set('s1', cpu(s, c).cache)), c, INIT, k),
  exit: (s, c, k) => pksWritePkrs(s, c, topOf(s, c)?.s1 ?? INIT, k),
  set: (s, c, u, k) => pksWritePkrs(setFrame(s, c, (f) => f.set('pc', 'set_wr')), c, update(cpu(s, c).cache, u), k),
  switchOut: (s, c) => setThr(s, c, cpu(s, c).cache),
  switchIn: (s, c) => writeNow(s, c, thr(s, c)),
};

/** RFC V3 7/9: irq_save_pkrs() on kernel-mode irqentry_enter() and on NMI; nothing for user-mode entries. */
export const irqentryRfcv3: Design = {
  entry: (s, c, k) => {
    if (coversNothing(s, c)) return finish(s, c);
    const s1 = setFrame(s, c, (f) => f.merge({ s2: thr(s, c), s1: cpu(s, c).cache }));
    return pksWritePkrs(s1, c, INIT, k);
  },
  // irq_restore_pkrs(): write_pkrs(state->pkrs), then thread.saved_pkrs = state->thread_pkrs (in finish).
  exit: (s, c, k) => (coversNothing(s, c) ? finish(s, c) : pksWritePkrs(s, c, topOf(s, c)?.s1 ?? INIT, k)),
  set: threadFirstSet,
  second: threadFirstSecond,
  ...loadOnSwitchIn,
};

/** RFC V3 returns early from irqentry_enter() for user-mode entries (and skips the restore on return to user). */
function coversNothing(s: Machine, c: number): boolean {
  const fs = task(s, curOf(s, c)).frames;
  return fs.size === 1 && fs.get(0)?.kind !== 'NMI';
}

/** V9/V10 pks_save_pt_regs() / pks_restore_pt_regs() around every irqentry and NMI. */
const auxSaveRestore = {
  entry: (s: Machine, c: number, k: K) =>
    pksWritePkrs(setFrame(s, c, (f) => f.set('s1', thr(s, c))), c, INIT, k),
  exit: (s: Machine, c: number, k: K) => {
    const saved = topOf(s, c)?.s1 ?? INIT;
    return pksWritePkrs(setThr(s, c, saved), c, saved, k);
  },
};

export const ptregsAuxV10: Design = {
  ...auxSaveRestore,
  set: threadFirstSet,
  second: threadFirstSecond,
  ...loadOnSwitchIn,
};

/** Kees Cook's order (dev tree): `pkrs = update(thread.pkrs); pks_write_pkrs(pkrs); thread.pkrs = pkrs`. */
export const ptregsAuxMsrFirst: Design = {
  ...auxSaveRestore,
  set: (s, c, u, k) => {
    const v = update(thr(s, c), u);
    return pksWritePkrs(setFrame(s, c, (f) => f.merge({ pc: 'set_msr', nv: v })), c, v, k);
  },
  second: {
    what: 'store_thread',
    enabled: (s, t) => top(s, t)?.pc === 'set_store',
    effect: (s, c) => setFrame(setThr(s, c, topOf(s, c)?.nv ?? INIT), c, (f) => f.merge({ pc: 'body', nv: 0 })),
  },
  ...loadOnSwitchIn,
};

/** The [J] fix: as V10, but the entry also resets thread.pkrs to INIT before writing the MSR. */
export const ptregsAuxReset: Design = {
  ...ptregsAuxV10,
  entry: (s, c, k) => {
    const saved = thr(s, c);
    return pksWritePkrs(setFrame(setThr(s, c, INIT), c, (f) => f.set('s1', saved)), c, INIT, k);
  },
};

/** Modifier: NMI-class entries have no save slot, so the NMI hooks do nothing. */
export function nmiUncovered(d: Design): Design {
  const isNmi = (s: Machine, c: number) => topOf(s, c)?.kind === 'NMI';
  return {
    ...d,
    entry: (s, c, k) => (isNmi(s, c) ? finish(s, c) : d.entry(s, c, k)),
    exit: (s, c, k) => (isNmi(s, c) ? finish(s, c) : d.exit(s, c, k)),
  };
}

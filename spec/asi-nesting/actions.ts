/**
 * The ASI steps of the 2024 RFC [ASI-2024]: process-context asi_enter/asi_relax/asi_exit, and the
 * asi_intr_enter/asi_intr_exit hooks that DEFINE_IDTENTRY* wraps around every handler. asi_intr_exit
 * is split into its decrement and its __asi_enter so that an interrupt can come between them.
 */
import { forState, type Action } from '../../src/index.js';
import { asiEnterRaw, Level, popLevel, setTopPc, top, type Asi, type K } from './state.js';

const { action } = forState<Asi, K>();

/** Process context runs only when no interrupt is on top of it. */
const inProcess = (s: Asi): boolean => s.irqs.isEmpty();

/** `asi_enter(asi)`, first half: `asi_set_target(current, asi); barrier();`. */
export const asiEnter = action({
  name: 'asi_enter',
  doc: 'arch/x86/mm/asi.c asi_enter(): asi_set_target(current, asi), before __asi_enter()',
  guard: (s) => inProcess(s) && s.ph === 'relaxed',
  effect: (s) => s.merge({ target: true, ph: 'entering' }),
});

/** `asi_enter(asi)`, second half: `__asi_enter()` switches CR3; the critical section starts. */
export const asiEnterSwitch = action({
  name: '__asi_enter',
  doc: 'arch/x86/mm/asi.c __asi_enter(): curr_asi = target; write_cr3(restricted)',
  guard: (s) => inProcess(s) && s.ph === 'entering',
  effect: (s) => asiEnterRaw(s).set('ph', 'critical'),
});

/** `asi_relax()`: the critical section is over; the restricted space may be left from now on. */
export const asiRelax = action({
  name: 'asi_relax',
  doc: 'arch/x86/mm/asi.c asi_relax(): asi_set_target(current, NULL)',
  guard: (s) => inProcess(s) && s.ph === 'critical',
  effect: (s) => s.merge({ target: false, ph: 'relaxed' }),
});

/**
 * `asi_exit()`: switch to the unrestricted address space, from process context (after asi_relax) or
 * from an interrupt handler that touches sensitive data. `ctx` 0 is process context, n is level n.
 */
export const asiExit = action<number>({
  name: 'asi_exit',
  doc: 'arch/x86/mm/asi.c asi_exit(): write_cr3(unrestricted); curr_asi = NULL',
  params: (s) => [s.irqs.size],
  guard: (s, ctx) => s.curAsi === 'restricted' && (ctx === 0 ? s.ph === 'relaxed' : top(s)?.pc === 'body'),
  effect: (s) => s.set('curAsi', 'unrestricted'),
  label: (ctx) => (ctx === 0 ? 'asi_exit(process)' : `asi_exit(irq=${ctx})`),
});

/**
 * An interrupt, NMI or exception arrives (hardware entry plus `asi_intr_enter()`): it does not change
 * the address space; if the task is in its critical section it counts the nesting.
 */
export const irqEntry = action<number>({
  name: 'irq_entry',
  doc: 'DEFINE_IDTENTRY*: asi_intr_enter(): if (asi_is_tense()) intr_nest_depth++',
  params: (s, k) => (s.irqs.size < k.maxNest ? [s.irqs.size + 1] : []),
  effect: (s) => s.merge({ irqs: s.irqs.push(Level()), depth: s.target ? s.depth + 1 : s.depth }),
  label: (level) => `irq_entry(level=${level})`,
});

const levels = (s: Asi): number[] => (s.irqs.isEmpty() ? [] : [s.irqs.size]);
const levelLabel = (name: string) => (level: number) => `${name}(level=${level})`;

/**
 * The RFC's order, step 1: `if (--intr_nest_depth == 0)`; at 0 the __asi_enter step follows,
 * otherwise the interrupt returns. Outside a critical section asi_intr_exit does nothing.
 */
export const intrExitDecFirst = action<number>({
  name: 'asi_intr_exit_dec',
  doc: 'asi_intr_exit(): --current->thread.asi_state.intr_nest_depth (the RFC order: before __asi_enter)',
  params: levels,
  guard: (s) => top(s)?.pc === 'body',
  effect: (s) => {
    if (!s.target) return popLevel(s);
    const depth = s.depth - 1;
    return depth === 0 ? setTopPc(s.set('depth', depth), 'exit2') : popLevel(s.set('depth', depth));
  },
  label: levelLabel('asi_intr_exit_dec'),
});

/** The RFC's order, step 2: `__asi_enter()` once the counter reached 0, then return from the interrupt. */
export const intrExitEnterSecond = action<number>({
  name: 'asi_intr_exit_enter',
  doc: 'asi_intr_exit(): barrier(); __asi_enter() after the decrement reached 0',
  params: levels,
  guard: (s) => top(s)?.pc === 'exit2',
  effect: (s) => popLevel(asiEnterRaw(s)),
  label: levelLabel('asi_intr_exit_enter'),
});

/**
 * The reordered exit the RFC's comment warns about, step 1: test `intr_nest_depth - 1 == 0` and call
 * `__asi_enter()` before the decremented value is stored.
 */
export const intrExitEnterFirst = action<number>({
  name: 'asi_intr_exit_enter',
  doc: 'asi_intr_exit() reordered: __asi_enter() when the depth is about to reach 0, before the store',
  params: levels,
  guard: (s) => top(s)?.pc === 'body',
  effect: (s) => {
    if (!s.target) return popLevel(s);
    return setTopPc(s.depth === 1 ? asiEnterRaw(s) : s, 'exit2');
  },
  label: levelLabel('asi_intr_exit_enter'),
});

/** The reordered exit, step 2: the decrement is stored, then the interrupt returns. */
export const intrExitDecSecond = action<number>({
  name: 'asi_intr_exit_dec',
  doc: 'asi_intr_exit() reordered: the store of --intr_nest_depth lands after __asi_enter()',
  params: levels,
  guard: (s) => top(s)?.pc === 'exit2',
  effect: (s) => popLevel(s.set('depth', s.depth - 1)),
  label: levelLabel('asi_intr_exit_dec'),
});

export const baseActions: readonly Action<Asi, K>[] = [
  asiEnter,
  asiEnterSwitch,
  asiRelax,
  asiExit,
  irqEntry,
  intrExitDecFirst,
  intrExitEnterSecond,
];



/**
 * State of the ASI interrupt-nesting model (MODELS.md §4.1–4.2, ASI add-on): one task in process
 * context on one CPU, the per-CPU `curr_asi`, the task's ASI target and `intr_nest_depth`, and the stack
 * of interrupts (IRQs, NMIs, exceptions) nested on top of it.
 *
 * One task and one CPU are enough: `__asi_enter()` has `VM_BUG_ON(preemptible())`, so the critical
 * section is never scheduled out, and the counter only matters between nested entries on one CPU.
 */
import { List, Record, type RecordOf } from 'immutable';
import { int, type ConstantsOf } from '../../src/index.js';

export const constants = {
  maxNest: int(2, 1, 4, 'interrupts nested on top of process context; the reorder bug needs 2'),
};
export type K = ConstantsOf<typeof constants>;

/** Which address space CR3 holds: the restricted one (the target) or the unrestricted kernel one. */
export type Space = 'restricted' | 'unrestricted';

/** Process context: outside the critical section, between asi_set_target and __asi_enter, or inside. */
export type ProcPhase = 'relaxed' | 'entering' | 'critical';

/**
 * One interrupt level. `body`: the handler runs (and may asi_exit); `exit2`: the first of the two
 * asi_intr_exit steps is done and the second is next (which step is first depends on the design).
 */
export type LevelPc = 'body' | 'exit2';

interface LevelProps {
  readonly kind: 'level';
  readonly pc: LevelPc;
}
export const Level = Record<LevelProps>({ kind: 'level', pc: 'body' }, 'Level');
export type Level = RecordOf<LevelProps>;

interface AsiProps {
  readonly kind: 'asi';
  /** The per-CPU curr_asi, i.e. what CR3 holds. */
  readonly curAsi: Space;
  /** The task's ASI target: set by asi_enter, cleared by asi_relax (asi_is_tense() ⇔ set). */
  readonly target: boolean;
  /** current->thread.asi_state.intr_nest_depth. */
  readonly depth: number;
  readonly ph: ProcPhase;
  /** Interrupt levels on top of process context, outermost first. */
  readonly irqs: List<Level>;
}
export const Asi = Record<AsiProps>(
  { kind: 'asi', curAsi: 'unrestricted', target: false, depth: 0, ph: 'relaxed', irqs: List() },
  'Asi',
);
export type Asi = RecordOf<AsiProps>;

export const initial = (): Asi => Asi();

/** The innermost interrupt level (the one running), if any. */
export const top = (s: Asi): Level | undefined => s.irqs.last();

/** Sets the innermost level's pc. */
export const setTopPc = (s: Asi, pc: LevelPc): Asi => s.set('irqs', s.irqs.set(s.irqs.size - 1, Level({ pc })));

/** Returns from the innermost interrupt to whatever it interrupted. */
export const popLevel = (s: Asi): Asi => s.set('irqs', s.irqs.pop());

/** `__asi_enter()`: if there is a target and CR3 is not already on it, switch to the restricted space. */
export const asiEnterRaw = (s: Asi): Asi => (s.target ? s.set('curAsi', 'restricted') : s);

/**
 * The nesting timeline of asi-nesting: one CPU running one task, its process context's phase, every
 * interrupt nested on it as an IRQ box (the model does not tell IRQs, NMIs and exceptions apart), and
 * the three values asi_intr_exit() juggles: CR3 (curr_asi), the task's ASI target and intr_nest_depth.
 */
import { forState } from '../../src/index.js';
import type { Asi, K, ProcPhase } from './state.js';

const { view } = forState<Asi, K>();

const PHASES: Readonly<Record<ProcPhase, string>> = {
  relaxed: 'process context, relaxed',
  entering: 'process context, target set, __asi_enter next',
  critical: 'process context, ASI critical section',
};

/** What the innermost context is doing: process context, a handler, or half-way through its exit. */
function runsText(s: Asi): string {
  const top = s.irqs.last();
  if (top === undefined) return PHASES[s.ph];
  return top.pc === 'body' ? `interrupt handler (level ${s.irqs.size})` : `asi_intr_exit of level ${s.irqs.size}: one step done`;
}

export const asiNestingView = view((s) => ({
  lanes: [
    {
      lane: 'CPU 0',
      kind: 'cpu' as const,
      task: 'task',
      runs: runsText(s),
      frames: s.irqs.toArray().map(() => ({ name: 'IRQ' })),
      regs: {
        'CR3 (curr_asi)': s.curAsi,
        'ASI target': s.target ? 'set' : 'none',
        intr_nest_depth: String(s.depth),
      },
    },
  ],
}));

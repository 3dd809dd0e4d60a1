/**
 * Every built-in model's timeline view, on one of its real counterexamples: the lanes, entry frames and
 * registers a kernel developer would draw for it, and the situation each property is about visible on
 * the violating step.
 */
import { describe, expect, it } from 'vitest';
import { models } from '../../spec/index.js';
import { explore } from '../../src/engine/explore.js';
import { checkTitle, findingsOf } from '../../src/render/finding.js';
import { renderTimelineDot, timelineSteps } from '../../src/render/timeline.js';
import { layoutTimeline, type TimelineLayout } from '../../src/render/timelineLayout.js';
import { cellText } from '../../src/render/timelineStyle.js';
import { resolveModel } from '../../src/resolve.js';

interface Timeline {
  readonly dot: string;
  readonly layout: TimelineLayout;
  /** The action labels of the trace. */
  readonly steps: readonly string[];
  /** What a lane's cell says at a step (the last step when `step` is negative), as drawn. */
  cell(lane: string, step: number): string[];
  /** The frame boxes, as `lane: name first..last` with steps numbered from 1 as in the drawing. */
  boxes(): string[];
}

/** The shortest counterexample of `property` under `proposal`, drawn with the model's view. */
function timelineOf(model: string, proposal: string, property: string): Timeline {
  const spec = models.find((m) => m.name === model)!;
  const m = resolveModel(spec, { proposal, properties: [property] });
  const r = explore(m, {});
  const f = findingsOf(r).find((x) => x.name === property);
  if (!f) throw new Error(`${model} ${proposal}: ${property} is not violated`);
  const view = (s: unknown) => m.view!(s, m.constants);
  const layout = layoutTimeline(timelineSteps(f.trace, view));
  return {
    dot: renderTimelineDot({ trace: f.trace, view, title: checkTitle(r), finding: f }),
    layout,
    steps: f.trace.map((s) => s.action),
    cell: (lane, step) => cellText(layout.cells.at(step)?.get(lane) ?? []),
    boxes: () => layout.boxes.map((b) => `${b.lane}: ${b.name} ${b.first + 1}..${b.last + 1}`),
  };
}

describe('the built-in models\' timeline views', { timeout: 120_000 }, () => {
  it('every built-in model has a view', () => {
    for (const spec of models) expect(resolveModel(spec, {}).view, spec.name).toBeTypeOf('function');
  });

  it('pkrs-nesting pks-ptregs-aux-v10: an NMI in an IRQ, both saving thread.pkrs = k1 in aux space, and the NMI exit writes k1 back into the IRQ', () => {
    const t = timelineOf('pkrs-nesting', 'pks-ptregs-aux-v10', 'pkrs-never-more-permissive');
    expect(t.boxes()).toEqual(['CPU 0: syscall 2..6', 'CPU 0: IRQ 4..6', 'CPU 0: NMI 5..5']);
    expect(t.dot).toContain('label=" IRQ   saved = k1"');
    expect(t.dot).toContain('label=" NMI   saved = k1"');
    expect(t.cell('CPU 0', -1)).toEqual([
      'PKRS = k1',
      'pkrs_cache = k1',
      '(unchanged)',
      '  thread.pkrs = k1',
      '  wants = INIT',
    ]);
  });

  it('pkrs-nesting pks-thread-stack: the per-thread save stack grows past its two slots in #PF ⊃ IRQ ⊃ NMI', () => {
    const t = timelineOf('pkrs-nesting', 'pks-thread-stack', 'pkrs-stack-no-overflow');
    expect(t.boxes()).toEqual(['CPU 0: #PF 2..4', 'CPU 0: IRQ 3..4', 'CPU 0: NMI 4..4']);
    expect(t.cell('CPU 0', -1)[0]).toBe('thread stack = [INIT, INIT, INIT]');
  });

  it('pkrs-cache pkrs-global-rfc: the stray put_cpu_ptr() of update_global_pkrs takes preempt_count to -1', () => {
    const t = timelineOf('pkrs-cache', 'pkrs-global-rfc', 'preempt-count-nonnegative');
    expect(t.layout.lanes).toEqual(['CPU 0', 'CPU 1']);
    expect(t.cell('CPU 0', 1)).toEqual(['spins on pkrs_global_cache_lock', 'preempt_count = 1']);
    expect(t.cell('CPU 0', -1).slice(0, 2)).toEqual(['pks_update_protection: thread update next', 'preempt_count = -1']);
    expect(t.layout.global[2]?.map((l) => l.text)).toEqual(['pkrs_global_cache = INIT', 'pkrs_global_cache_lock = CPU 0']);
  });

  it('pti-stack pti-c-percpu-sleepy: A sleeps with its frame on tramp(0), B overwrites it, A resumes on CPU 1 and reads B\'s frame', () => {
    const t = timelineOf('pti-stack', 'pti-c-percpu-sleepy', 'entry-frame-intact');
    const sleep = t.steps.indexOf('handler_sleep(A, cpu=0)');
    expect(t.layout.lanes).toEqual(['CPU 0', 'CPU 1', 'task A', 'task B']);
    expect(t.cell('task A', sleep)).toEqual(['asleep', 'left CPU 0']);
    expect(t.layout.moves.filter((m) => m.step === sleep)).toEqual([{ step: sleep, from: 'CPU 0', to: 'task A' }]);
    const back = t.steps.indexOf('dispatch(A, cpu=1)');
    expect(t.cell('CPU 1', back).slice(0, 2)).toEqual(['task A: handler body', 'switched in, migrated from CPU 0']);
    expect(t.boxes()).toContain(`task A: #PF ${sleep + 1}..${back}`);
    expect(t.dot).toContain('label=" #PF   frame on = tramp(0)"');
    expect(t.layout.global.at(-1)?.map((l) => l.text)).toEqual(['tramp(0) = frame of B']);
  });

  it('asi-nesting asi-nest-reordered: two nested interrupts, and process context back at depth 0 on the unrestricted CR3', () => {
    const t = timelineOf('asi-nesting', 'asi-nest-reordered', 'asi-restricted-on-return');
    expect(t.boxes()).toEqual(['CPU 0: IRQ 4..9', 'CPU 0: IRQ 6..8']);
    expect(t.cell('CPU 0', -1)).toEqual([
      'process context, ASI critical section',
      'intr_nest_depth = 0',
      '(unchanged)',
      '  CR3 (curr_asi) = unrestricted',
      '  ASI target = set',
    ]);
  });

  it('xsave-pasid xsave-update-tony: inside the #GP fix-up the update hands out a buffer slot whose XSTATE_BV bit is 0', () => {
    const t = timelineOf('xsave-pasid', 'xsave-update-tony', 'no-garbage-handed-out');
    expect(t.boxes()).toEqual([`CPU 0: #GP 2..${t.steps.length}`]);
    const last = t.cell('CPU 0', -1);
    expect(last[0]).toBe('task 0: update of P: buffer slot handed out (full write)');
    expect(last).toContain('  XSTATE_BV = P=0 G=0');
    expect(last).toContain('  xsave buffer = P=garbage G=garbage');
    expect(t.layout.global[0]?.map((l) => l.text)).toEqual(['mm->pasid (task 0) = none']);
  });

  it('xsave-pasid pasid-gp-v1: a switch out and back in the #GP handler carries TIF_NEED_FPU_LOAD with the task', () => {
    const t = timelineOf('xsave-pasid', 'pasid-gp-v1', 'enqcmd-no-spurious-sigsegv');
    const out = t.steps.indexOf('switch_fpu(t=0)');
    expect(t.cell('task 0', out)).toEqual(['switched out: #GP handler, IRQs on, fix-up next', 'left CPU 0', 'TIF_NEED_FPU_LOAD = 1']);
    expect(t.cell('CPU 0', out + 1)).toEqual(['task 0: #GP handler, IRQs on, fix-up next', 'switched in']);
    expect(t.boxes()).toContain(`task 0: #GP ${out + 1}..${out + 1}`);
  });
});

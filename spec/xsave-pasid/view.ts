/**
 * The nesting timeline of xsave-pasid: a lane per CPU with its live registers (the PASID MSR and the
 * user feature G), fpregs owner, fpregs_lock() and a pending update_pasid() IPI; a kernel_fpu_begin()
 * section drawn as a softirq on top of whatever it interrupted; the running task's TIF_NEED_FPU_LOAD,
 * last_cpu, XSAVE buffer (XSTATE_BV and areas), pasid_activated and logical FPU state, in the CPU's lane
 * or in the task's own lane while it is switched out; mm->pasid in the global column.
 */
import type { TimelineFrame, TimelineLane } from '../../src/index.js';
import { forState, range } from '../../src/index.js';
import { NONE, type Cpu, type K, type Machine, type Pc, type Task, type XBv, type XState } from './state.js';

const { view } = forState<Machine, K>();

/** Where the task is, as the entry it is in (the model keeps no more than that) and what it does there. */
const WHERE: Readonly<Record<Pc, { readonly frame?: string; readonly runs: string }>> = {
  unborn: { runs: 'not forked yet' },
  user: { runs: 'user mode' },
  exit_work: { frame: 'kernel', runs: 'exit work, IRQs on' },
  gp_entry: { frame: '#GP', runs: '#GP handler, IRQs off' },
  gp_fixup: { frame: '#GP', runs: '#GP handler, IRQs on, fix-up next' },
  gp_update: { frame: '#GP', runs: '#GP fix-up: per-feature update next' },
  gp_irqs_on: { frame: '#GP', runs: '#GP handler: SIGSEGV next' },
  sig_load: { frame: 'kernel', runs: 'copy_fpstate_to_sigframe: xrstor next' },
  sig_activate: { frame: 'kernel', runs: 'copy_fpstate_to_sigframe: activate next' },
  sig_clear_tif: { frame: 'kernel', runs: 'copy_fpstate_to_sigframe: clear TIF next' },
  sig_copy: { frame: 'kernel', runs: 'copy_fpstate_to_sigframe: copy, unlock next' },
  upd_full: { frame: '#GP', runs: 'update of P: buffer slot handed out (full write)' },
  upd_rmw: { frame: '#GP', runs: 'update of P: buffer slot handed out (read-modify-write)' },
  upd_regs: { frame: '#GP', runs: 'update of P: registers to be written' },
};

const name = (t: number): string => `task ${t}`;
const xstate = (x: XState): string => `P=${x.P} G=${x.G}`;
const bits = (b: XBv): string => `P=${b.P ? 1 : 0} G=${b.G ? 1 : 0}`;

function taskFrames(x: Task): TimelineFrame[] {
  const frame = WHERE[x.pc].frame;
  return frame === undefined ? [] : [{ name: frame }];
}

/** The task's FPU bookkeeping: drawn where the task is, so a switch shows it leaving with the task. */
function taskRegs(x: Task): Record<string, string> {
  return {
    TIF_NEED_FPU_LOAD: x.tif ? '1' : '0',
    last_cpu: x.lastCpu === NONE ? '-1' : String(x.lastCpu),
    XSTATE_BV: bits(x.bv),
    'xsave buffer': xstate(x.data),
    pasid_activated: x.pasidActivated ? '1' : '0',
    'logical FPU state': xstate(x.log),
  };
}

function cpuLane(s: Machine, c: Cpu, i: number): TimelineLane {
  const regs: Record<string, string> = {
    'regs (PASID MSR, G)': xstate(c.reg),
    'fpregs owner': c.owner === NONE ? 'none' : name(c.owner),
    fpregs_lock: c.bh > 0 ? 'held (bh off)' : 'free',
  };
  if (c.ipiPending) regs['update_pasid IPI'] = 'pending';
  const kfpu: TimelineFrame[] = c.inKfpu ? [{ name: 'softirq', saved: { uses: 'kernel_fpu_begin' } }] : [];
  const t = s.tasks.findIndex((x) => x.cpu === i);
  const x = t === NONE ? undefined : s.tasks.get(t);
  if (x === undefined) return { lane: `CPU ${i}`, kind: 'cpu', runs: 'idle', frames: kfpu, regs };
  const runs = `${name(t)}: ${WHERE[x.pc].runs}`;
  return { lane: `CPU ${i}`, kind: 'cpu', task: name(t), runs, frames: [...taskFrames(x), ...kfpu], regs: { ...regs, ...taskRegs(x) } };
}

function taskLane(x: Task, t: number): TimelineLane {
  return { lane: name(t), kind: 'task', task: name(t), runs: `switched out: ${WHERE[x.pc].runs}`, frames: taskFrames(x), regs: taskRegs(x) };
}

export const xsavePasidView = view((s) => ({
  lanes: [
    ...s.cpus.toArray().map((c, i) => cpuLane(s, c, i)),
    ...range(s.tasks.size).flatMap((t) => {
      const x = s.tasks.get(t);
      return x && x.cpu === NONE && x.pc !== 'unborn' ? [taskLane(x, t)] : [];
    }),
  ],
  regs: { 'mm->pasid (task 0)': s.mmPasid ? 'valid' : 'none' },
}));

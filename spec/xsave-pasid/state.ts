/**
 * State of the xsave-pasid model (MODELS.md §5.2): per CPU the live xstate registers and the FPU owner,
 * per task TIF_NEED_FPU_LOAD, last_cpu and the XSAVE buffer (XSTATE_BV bits and contents), plus a ghost
 * holding what the task's FPU state logically is.
 *
 * Two features: P, the PASID MSR (a supervisor feature managed by XSAVES), and G, a user feature standing
 * for AVX-style state that user code changes freely. Task 0 is the process whose mm may get a PASID;
 * task 1, when there is one, is a child it forks later (a new mm, which never gets a PASID).
 */
import { List, Record, type RecordOf } from 'immutable';
import { int, range, type ConstantsOf } from '../../src/index.js';

/** The bounds of MODELS.md §1.1, as far as Topic D uses them. */
export const constants = {
  nCpus: int(1, 1, 2, 'CPUs; 2 adds migration, so registers are left behind on the other CPU'),
  nTasks: int(2, 1, 2, 'tasks: task 0, plus (2) the child it may fork, in a new mm'),
} as const;
export type K = ConstantsOf<typeof constants>;

/** No task / no CPU: fpu_fpregs_owner_ctx = NULL, last_cpu = -1, a task not on any CPU. */
export const NONE = -1;

/**
 * A feature's value. 0 is the init state of both features (PASID: "no valid PASID"); 1 is a non-init
 * value (P: the mm's PASID with the valid bit; G: a value user code wrote). `garbage` is buffer memory
 * never written, `kernel` what kernel_fpu_begin() code leaves in the vector registers.
 */
export type Val = 0 | 1 | 'garbage' | 'kernel';
export const INIT = 0;
export const GARB = 'garbage';
export const KJ = 'kernel';

export type Feature = 'P' | 'G';
export const FEATURES: readonly Feature[] = ['P', 'G'];

interface XStateProps {
  readonly kind: 'xstate';
  readonly P: Val;
  readonly G: Val;
}
/** Values of both features: live registers, buffer contents, or the ghost logical state. */
export const XState = Record<XStateProps>({ kind: 'xstate', P: INIT, G: INIT }, 'XState');
export type XState = RecordOf<XStateProps>;

interface XBvProps {
  readonly kind: 'xstate_bv';
  readonly P: boolean;
  readonly G: boolean;
}
/** The XSTATE_BV bits of a buffer: 0 means "init state, contents not meaningful". */
export const XBv = Record<XBvProps>({ kind: 'xstate_bv', P: false, G: false }, 'XBv');
export type XBv = RecordOf<XBvProps>;

/**
 * Where a task is. `user`: running user code. `exit_work`: in the kernel with IRQs on, on its way back
 * to user mode (a syscall, an interrupted user task, the end of #GP). `gp_entry`: #GP from ENQCMD taken,
 * IRQs still off. `gp_fixup`: after cond_local_irq_enable(), the v1 fix-up not yet tried. `gp_update`:
 * the fix-up decided to update P, the update not yet begun. `gp_irqs_on`: the fix-up refused, SIGSEGV
 * next. `sig_*`: copy_fpstate_to_sigframe() under fpregs_lock() (load / activate / clear_tif are the
 * steps of fpregs_restore_userregs(), copy the rest). `upd_*`: inside a per-feature update, a buffer
 * slot handed out for a whole write (`full`) or a read-modify-write (`rmw`), or the registers to be
 * written (`regs`). `unborn`: task 1 before the fork.
 */
export type Pc =
  | 'unborn'
  | 'user'
  | 'exit_work'
  | 'gp_entry'
  | 'gp_fixup'
  | 'gp_update'
  | 'gp_irqs_on'
  | 'sig_load'
  | 'sig_activate'
  | 'sig_clear_tif'
  | 'sig_copy'
  | 'upd_full'
  | 'upd_rmw'
  | 'upd_regs';

interface TaskProps {
  readonly kind: 'task';
  readonly pc: Pc;
  /** The CPU it runs on, NONE when switched out (or unborn). */
  readonly cpu: number;
  /** TIF_NEED_FPU_LOAD. */
  readonly tif: boolean;
  /** fpu->last_cpu. */
  readonly lastCpu: number;
  /** XSTATE_BV of the task's buffer (fpu->fpstate->regs.xsave.header.xfeatures). */
  readonly bv: XBv;
  /** The buffer's feature areas. */
  readonly data: XState;
  /** current->pasid_activated (has_valid_pasid in v1). */
  readonly pasidActivated: boolean;
  /** Ghost: this #GP came from an ENQCMD issued after the mm's PASID bind had completed. */
  readonly gpWithPasid: boolean;
  /** Ghost L[t]: the task's logical FPU state (what user code would read back). */
  readonly log: XState;
}
export const Task = Record<TaskProps>(
  {
    kind: 'task',
    pc: 'unborn',
    cpu: NONE,
    tif: true,
    lastCpu: NONE,
    bv: XBv(),
    data: XState({ P: GARB, G: GARB }),
    pasidActivated: false,
    gpWithPasid: false,
    log: XState(),
  },
  'Task',
);
export type Task = RecordOf<TaskProps>;

interface CpuProps {
  readonly kind: 'cpu';
  /** The live registers. */
  readonly reg: XState;
  /** fpu_fpregs_owner_ctx: whose registers these are, NONE after __cpu_invalidate_fpregs_state(). */
  readonly owner: number;
  /** local_bh_disable() depth from fpregs_lock(). */
  readonly bh: number;
  /** Inside kernel_fpu_begin()/kernel_fpu_end(). */
  readonly inKfpu: boolean;
  /** pasid-ipi-update: the update_pasid() IPI is on its way to this CPU. */
  readonly ipiPending: boolean;
}
export const Cpu = Record<CpuProps>(
  { kind: 'cpu', reg: XState(), owner: NONE, bh: 0, inKfpu: false, ipiPending: false },
  'Cpu',
);
export type Cpu = RecordOf<CpuProps>;

interface MachineProps {
  readonly kind: 'machine';
  readonly cpus: List<Cpu>;
  readonly tasks: List<Task>;
  /** mm->pasid of task 0's mm is valid (iommu_sva_bind_device() has allocated it). */
  readonly mmPasid: boolean;
}
export const Machine = Record<MachineProps>({ kind: 'machine', cpus: List(), tasks: List(), mmPasid: false }, 'Machine');
export type Machine = RecordOf<MachineProps>;

/**
 * Task 0 runs user code on CPU 0 with live registers in the init state; its buffer was never written
 * (every XSTATE_BV bit 0, the areas garbage: Dave's "it might be *neither*"). Task 1 is not forked yet.
 */
export function initial(k: K): Machine {
  const t0 = Task({ pc: 'user', cpu: 0, tif: false, lastCpu: 0 });
  return Machine({
    cpus: List(range(k.nCpus).map((c) => Cpu({ owner: c === 0 ? 0 : NONE }))),
    tasks: List(range(k.nTasks).map((t) => (t === 0 ? t0 : Task()))),
  });
}

/**
 * The xsave-pasid model (MODELS.md §5): per proposal at default constants (nCpus=1, nTasks=2), the state
 * counts, every property's verdict, and the shortest counterexample of each violation. Each trace was
 * read in kernel terms before it was pinned (spec/xsave-pasid/README.md explains them).
 */
import { describe, expect, it } from 'vitest';
import model from '../../spec/xsave-pasid/index.js';
import { checkModel, statuses, traceLabels } from '../helpers.js';

/** Every property of the model at default constants, in declaration order. */
const PROPERTIES = [
  'fpregs-state-consistent',
  'regs-match-buffer-when-valid',
  'canonical-state-at-user-return',
  'no-garbage-handed-out',
  'update-touches-only-its-feature',
  'no-fpu-state-change-in-hardirq-under-lock',
  'pasid-sticks',
  'enqcmd-no-spurious-sigsegv',
  'pasid-fixup-reached',
  'valid-but-tif-reached',
  'switched-out-in-gp-reached',
  'sigframe-xrstor-reached',
  'child-in-user-reached',
];

/** The expected statuses: `violated` for the named properties, `holds` for all the others. */
function verdicts(violated: readonly string[]): Record<string, string> {
  return Object.fromEntries(PROPERTIES.map((n) => [n, violated.includes(n) ? 'violated' : 'holds']));
}

interface Expectation {
  readonly distinct: number;
  readonly generated: number;
  /** Shortest counterexample of each violated property, as trace labels. */
  readonly traces: Readonly<Record<string, readonly string[]>>;
}

function check(proposal: string, want: Expectation): void {
  const r = checkModel(model, { proposal });
  expect(r.error).toBeNull();
  expect(r.incomplete).toBeNull();
  expect(r.deadlock).toBeNull();
  expect(statuses(r)).toEqual(verdicts(Object.keys(want.traces)));
  for (const [name, labels] of Object.entries(want.traces)) expect(traceLabels(r, name)).toEqual(labels);
  expect({ distinct: r.stats.distinct, generated: r.stats.generated }).toEqual({
    distinct: want.distinct,
    generated: want.generated,
  });
}

describe('xsave-pasid', { timeout: 60_000 }, () => {
  it('pasid-gp-merged holds every property with the merged #GP fix-up (IRQs still off)', () => {
    check('pasid-gp-merged', {
      distinct: 4918,
      generated: 12899,
      traces: {},
    });
  });

  it("pasid-gp-v1 loses the PASID written into valid registers while TIF_NEED_FPU_LOAD is set (Andy's review of v1)", () => {
    check('pasid-gp-v1', {
      distinct: 11460,
      generated: 29701,
      traces: {
        'regs-match-buffer-when-valid': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
        ],
        'canonical-state-at-user-return': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'kernel_fpu_begin(cpu=0)',
          'kernel_fpu_end(cpu=0)',
          'exit_to_user_mode(t=0)',
        ],
        'pasid-sticks': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'kernel_fpu_begin(cpu=0)',
          'kernel_fpu_end(cpu=0)',
          'exit_to_user_mode(t=0)',
        ],
        'enqcmd-no-spurious-sigsegv': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'kernel_fpu_begin(cpu=0)',
          'kernel_fpu_end(cpu=0)',
          'exit_to_user_mode(t=0)',
          'enqcmd(t=0)',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'gp_user_force_sig_segv(t=0)',
        ],
      },
    });
  });

  it('pasid-ipi-update lets the update_pasid() IPI change FPU state inside fpregs_lock() and kernel_fpu sections, losing the update', () => {
    check('pasid-ipi-update', {
      distinct: 39503,
      generated: 111691,
      traces: {
        'fpregs-state-consistent': [
          'Init',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'copy_fpstate_to_sigframe:fpregs_lock(t=0)',
          'fpregs_restore_userregs:xrstor(t=0)',
          'fpregs_restore_userregs:activate(t=0)',
          'iommu_sva_bind_device',
          'update_pasid(cpu=0)',
          'fpregs_restore_userregs:clear_tif(t=0)',
        ],
        'regs-match-buffer-when-valid': [
          'Init',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'copy_fpstate_to_sigframe:fpregs_lock(t=0)',
          'fpregs_restore_userregs:xrstor(t=0)',
          'iommu_sva_bind_device',
          'update_pasid(cpu=0)',
          'fpregs_restore_userregs:activate(t=0)',
        ],
        'canonical-state-at-user-return': [
          'Init',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'copy_fpstate_to_sigframe:fpregs_lock(t=0)',
          'fpregs_restore_userregs:xrstor(t=0)',
          'fpregs_restore_userregs:activate(t=0)',
          'iommu_sva_bind_device',
          'update_pasid(cpu=0)',
          'fpregs_restore_userregs:clear_tif(t=0)',
          'copy_fpstate_to_sigframe:fpregs_unlock(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'no-fpu-state-change-in-hardirq-under-lock': [
          'Init',
          'kernel_fpu_begin(cpu=0)',
          'iommu_sva_bind_device',
          'update_pasid(cpu=0)',
        ],
        'enqcmd-no-spurious-sigsegv': [
          'Init',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'copy_fpstate_to_sigframe:fpregs_lock(t=0)',
          'fpregs_restore_userregs:xrstor(t=0)',
          'fpregs_restore_userregs:activate(t=0)',
          'iommu_sva_bind_device',
          'update_pasid(cpu=0)',
          'fpregs_restore_userregs:clear_tif(t=0)',
          'copy_fpstate_to_sigframe:fpregs_unlock(t=0)',
          'exit_to_user_mode(t=0)',
          'enqcmd(t=0)',
          'cond_local_irq_enable(t=0)',
          'gp_user_force_sig_segv(t=0)',
        ],
      },
    });
  });

  it("xsave-update-tony hands out buffer garbage and loses the update when it sets TIF on live registers (Tony's pseudo-code)", () => {
    check('xsave-update-tony', {
      distinct: 26290,
      generated: 64438,
      traces: {
        'regs-match-buffer-when-valid': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
        ],
        'canonical-state-at-user-return': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'no-garbage-handed-out': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
        ],
        'update-touches-only-its-feature': [
          'Init',
          'user_write_g(t=0)',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
        ],
        'pasid-sticks': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'enqcmd-no-spurious-sigsegv': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
          'enqcmd(t=0)',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'gp_user_force_sig_segv(t=0)',
        ],
      },
    });
  });

  it('xsave-update-dave fills the init state, so no garbage, but still loses the update by setting TIF without zapping last_cpu', () => {
    check('xsave-update-dave', {
      distinct: 18121,
      generated: 44974,
      traces: {
        'regs-match-buffer-when-valid': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
        ],
        'canonical-state-at-user-return': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'update-touches-only-its-feature': [
          'Init',
          'user_write_g(t=0)',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
        ],
        'pasid-sticks': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'enqcmd-no-spurious-sigsegv': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
          'enqcmd(t=0)',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'gp_user_force_sig_segv(t=0)',
        ],
      },
    });
  });

  it('xsave-update-dave-xrstors keeps live registers right with XRSTORS but loses a buffer-only update while the registers are still valid', () => {
    check('xsave-update-dave-xrstors', {
      distinct: 15930,
      generated: 40038,
      traces: {
        'regs-match-buffer-when-valid': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
        ],
        'canonical-state-at-user-return': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'pasid-sticks': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
        ],
        'enqcmd-no-spurious-sigsegv': [
          'Init',
          'enqcmd(t=0)',
          'iommu_sva_bind_device',
          'cond_local_irq_enable(t=0)',
          'switch_fpu(t=0)',
          'switch_to(t=0, cpu=0)',
          'fixup_pasid_exception(t=0)',
          'begin_update_one_xsave_feature(t=0, full=true)',
          'finish_update_one_xsave_feature(t=0)',
          'exit_to_user_mode(t=0)',
          'enqcmd(t=0)',
          'cond_local_irq_enable(t=0)',
          'fixup_pasid_exception(t=0)',
          'gp_user_force_sig_segv(t=0)',
        ],
      },
    });
  });

  it("xsave-update-andy holds every property by writing the registers or the buffer plus a last_cpu zap (Andy's rule)", () => {
    check('xsave-update-andy', {
      distinct: 11404,
      generated: 28960,
      traces: {},
    });
  });

  it('xsave-lock-and-load holds every property by loading the registers before writing them (fpregs_lock_and_load)', () => {
    check('xsave-lock-and-load', {
      distinct: 9948,
      generated: 26044,
      traces: {},
    });
  });

  it('names the proposals of MODELS.md §5.4, with the merged fix-up as its baseline', () => {
    expect(model.proposals.map((p) => p.id)).toEqual([
      'pasid-gp-merged',
      'pasid-gp-v1',
      'pasid-ipi-update',
      'xsave-update-tony',
      'xsave-update-dave',
      'xsave-update-dave-xrstors',
      'xsave-update-andy',
      'xsave-lock-and-load',
    ]);
    expect(model.baseline).toBe('pasid-gp-merged');
  });
});

/**
 * The designs of MODELS.md §5.4, as changes to the merged #GP fix-up (the baseline). The xsave-update-*
 * designs keep v1's placement (after cond_local_irq_enable(), so the handler may have been preempted)
 * and replace its fpu__pasid_write() with a per-feature update API, which is where SEED2 proposed them.
 */
import type { Proposal } from '../../src/index.js';
import { copyProcess, iommuSvaBindDevice } from './actions.js';
import {
  condLocalIrqEnable,
  fixupPasidExceptionV1,
  fixupPasidExceptionViaApi,
  switchToUpdatePasid,
  updatePasidIpi,
} from './pasid.js';
import type { K, Machine } from './state.js';
import {
  beginAndy,
  beginDave,
  beginTony,
  finishAndy,
  finishDave,
  finishDaveXrstors,
  finishTony,
  fpregsLockAndLoad,
  wrmsrlUnlock,
} from './xsaveUpdate.js';

const SEED2 =
  'SEED2: Dave Hansen, "Re: [PATCH 4/8] x86/traps: Demand-populate PASID MSR via #GP", 28 Sep 2021, quoting Tony Luck';

export const proposals: readonly Proposal<Machine, K>[] = [
  {
    id: 'pasid-gp-merged',
    summary: 'try_fixup_enqcmd_gp() with IRQs still off: wrmsrl() the PASID, pasid_activated = 1; fork clears the PASID',
    source: 'commit fa6af69f38d3 (tip x86/pasid, v5.18), link 20220207230254.3342514-9-fenghua.yu@intel.com',
  },
  {
    id: 'pasid-gp-v1',
    summary: 'Fix-up after cond_local_irq_enable(): fpu__pasid_write() writes the MSR if !TIF || fpregs valid, else the buffer',
    source: 'Msg 20210920192349.2602141-5-fenghua.yu@intel.com (reviewed in b4b8f736-9b0a-46ee-9519-1e8bd088858d@www.fastmail.com)',
    remove: ['try_fixup_enqcmd_gp'],
    add: [condLocalIrqEnable('gp_fixup'), fixupPasidExceptionV1],
  },
  {
    id: 'pasid-ipi-update',
    summary: 'update_pasid() by IPI to mm_cpumask and at switch_to(), without fpregs_lock(); no #GP fix-up, fork inherits',
    source: 'removed by commit 9bfecd058339, Msg 87mtsd6gr9.ffs@nanos.tec.linutronix.de',
    remove: ['try_fixup_enqcmd_gp'],
    replace: [switchToUpdatePasid, copyProcess({ pasid: 'inherit' }), iommuSvaBindDevice({ ipi: true })],
    add: [condLocalIrqEnable('gp_irqs_on'), updatePasidIpi],
  },
  {
    id: 'xsave-update-tony',
    summary: 'begin: fpregs_lock, hand out the area (XSAVES of f first if live and !full); finish: XSTATE_BV[f]=1, set TIF',
    source: SEED2,
    extends: 'pasid-gp-v1',
    replace: [fixupPasidExceptionViaApi],
    add: [beginTony, finishTony],
  },
  {
    id: 'xsave-update-dave',
    summary: "Tony's API with Dave's review: XSTATE_BV[f]=1 at begin, init-fill an XSTATE_BV=0 area; finish sets TIF",
    source: `${SEED2}; Dave Hansen "Let's populate the init state" (DAVE-FILL)`,
    extends: 'pasid-gp-v1',
    replace: [fixupPasidExceptionViaApi],
    add: [beginDave, finishDave],
  },
  {
    id: 'xsave-update-dave-xrstors',
    summary: "Dave's alternative finish: XRSTORS f when the registers were live and keep TIF clear, else leave the buffer",
    source: SEED2,
    extends: 'xsave-update-dave',
    replace: [finishDaveXrstors],
  },
  {
    id: 'xsave-update-andy',
    summary: 'Write the register if TIF is clear, else init-fill and write the buffer and zap last_cpu',
    source: 'Msg b4b8f736-9b0a-46ee-9519-1e8bd088858d@www.fastmail.com (Andy Lutomirski)',
    extends: 'pasid-gp-v1',
    replace: [fixupPasidExceptionViaApi],
    add: [beginAndy, finishAndy],
  },
  {
    id: 'xsave-lock-and-load',
    summary: 'fpregs_lock_and_load(): lock, restore the registers if TIF is set, then wrmsrl() and fpregs_unlock()',
    source: 'Msg 20230613001108.3040476-26-rick.p.edgecombe@intel.com (fpregs_lock_and_load)',
    extends: 'pasid-gp-v1',
    replace: [fixupPasidExceptionViaApi],
    add: [fpregsLockAndLoad, wrmsrlUnlock],
  },
];

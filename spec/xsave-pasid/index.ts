/**
 * Topic D of MODELS.md: per-feature XSAVE updates against TIF_NEED_FPU_LOAD and fpregs_state_valid(),
 * and the three ways the PASID MSR was filled in (IPI, v1 #GP fix-up, merged #GP fix-up).
 */
import { defineModel } from '../../src/index.js';
import {
  copyProcess,
  entrySyscall,
  enqcmd,
  exitToUserMode,
  iommuSvaBindDevice,
  kernelFpuBegin,
  kernelFpuEnd,
  switchFpu,
  switchTo,
  userWriteG,
} from './actions.js';
import { gpUserForceSigSegv, tryFixupEnqcmdGp } from './pasid.js';
import { properties } from './properties.js';
import { proposals } from './proposals.js';
import { sigframeActions } from './sigframe.js';
import { constants, initial, type Machine } from './state.js';
import { symmetry } from './symmetry.js';
import { xsavePasidView } from './view.js';

export const xsavePasid = defineModel<Machine, typeof constants>({
  name: 'xsave-pasid',
  summary: 'XSAVE per-feature updates, TIF_NEED_FPU_LOAD and the PASID MSR filled in by IPI or on #GP',
  constants,
  presets: {
    large: { summary: 'two CPUs: tasks migrate and leave their registers behind on the other CPU', constants: { nCpus: 2, nTasks: 2 } },
  },
  build: (k) => ({
    init: [initial(k)],
    actions: [
      userWriteG,
      enqcmd,
      entrySyscall,
      exitToUserMode,
      switchFpu,
      switchTo,
      kernelFpuBegin,
      kernelFpuEnd,
      ...sigframeActions,
      copyProcess({ pasid: 'clear' }),
      iommuSvaBindDevice({ ipi: false }),
      tryFixupEnqcmdGp,
      gpUserForceSigSegv,
    ],
    properties: properties(k),
    view: xsavePasidView,
    symmetry,
  }),
  baseline: 'pasid-gp-merged',
  proposals,
});

export default xsavePasid;

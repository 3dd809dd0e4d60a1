/**
 * Topic B of MODELS.md: the per-CPU `pkrs_cache` shadow of MSR_IA32_PKRS, `write_pkrs()`, and the RFC's
 * `update_global_pkrs()`, which rewrites every CPU's cache and MSR from one CPU.
 */
import { defineModel } from '../../src/index.js';
import * as w from './actions.js';
import * as p from './properties.js';
import { proposals } from './proposals.js';
import { constants, initial } from './state.js';
import { symmetry } from './symmetry.js';
import { pkrsCacheView } from './view.js';

export const pkrsCache = defineModel({
  name: 'pkrs-cache',
  summary: 'pkrs_cache vs MSR_IA32_PKRS under write_pkrs() and the RFC global PKRS revoke (seed 003)',
  constants,
  presets: {
    large: {
      summary: 'three CPUs: a global revoke must reach two remote pkrs_caches, and two CPUs can race the owner',
      constants: { nCpus: 3 },
    },
  },
  build: (k) => ({
    init: [initial(k)],
    actions: [
      w.localActivity,
      w.writePkrsEnterGetCpu,
      w.writePkrsRead,
      w.writePkrsCache,
      w.writePkrsMsr,
      w.writePkrsExitGetCpu,
      w.irqToggle,
    ],
    properties: [
      p.pkrsCacheMatchesMsr,
      p.pkrsRmwExclusive,
      p.preemptCountNonnegative,
      p.writePkrsPrecondition,
      p.writePkrsIrqsOnReached,
    ],
    view: pkrsCacheView,
    symmetry,
  }),
  baseline: 'pkrs-write-getcpu',
  proposals,
});

export default pkrsCache;

/**
 * asi-nesting: ASI's per-task interrupt-nesting counter and the order of the two steps of
 * asi_intr_exit() (MODELS.md §4.1, ASI 2024 RFC).
 */
import { defineModel } from '../../src/index.js';
import { baseActions } from './actions.js';
import { properties } from './properties.js';
import { proposals } from './proposals.js';
import { constants, initial, type Asi } from './state.js';
import { asiNestingView } from './view.js';

export const asiNesting = defineModel<Asi, typeof constants>({
  name: 'asi-nesting',
  summary: 'ASI intr_nest_depth: does the outermost interrupt exit always restore the restricted address space?',
  constants,
  presets: { large: { summary: 'four nested interrupts: the verdicts of the default bound stay', constants: { maxNest: 4 } } },
  build: () => ({
    init: [initial()],
    actions: baseActions,
    properties,
    view: asiNestingView,
  }),
  baseline: 'asi-nest-pertask',
  proposals,
});

export default asiNesting;

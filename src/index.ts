/**
 * The public API for spec authors: everything a model or a proposal file imports from kmc.
 */
export { defineModel, defineProposal, flag, forState, int, oneOf } from './define.js';
export type { ActionDef, ModelDef, SpecBuilders } from './define.js';
export type {
  Action,
  ActionProperty,
  ConstantDecls,
  Constants,
  ConstantsOf,
  Invariant,
  ModelParts,
  ModelSpec,
  Property,
  Proposal,
  ProposalFile,
  Reachable,
  StepInfo,
  Preset,
  Symmetry,
  SymmetrySet,
  TimelineFrame,
  TimelineLane,
  TimelineSnapshot,
  TimelineView,
} from './model.js';
export { permuteList, renumber } from './permute.js';
export { range } from './util.js';

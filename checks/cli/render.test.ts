/**
 * The text trace format in process, on states with Maps, Sets and Records: the first step in full, then
 * `path: old → new` for what changed only, and `(no change)` for a step that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { renderTrace } from '../../src/render/text.js';
import { toPlain } from '../../src/render/value.js';
import { defineModel, forState } from '../../src/index.js';
import { twoPhase } from '../fixtures/models.js';
import { TP } from '../fixtures/twoPhase.js';
import { checkModel, property } from '../helpers.js';

/** Two-phase commit with two situations to reach: the commit, and a step that changes nothing. */
const { reachable } = forState<TP, { readonly rms: number }>();
const probes = defineModel({
  ...twoPhase,
  name: 'two-phase-probes',
  build: (k) => ({
    ...twoPhase.build(k),
    properties: [reachable('committed', 'the TM commits', (s) => s.tmState === 'committed')],
  }),
});

describe('renderTrace', () => {
  const r = checkModel(probes, { constants: { rms: '2' } });
  const trace = property(r, 'committed').trace!;

  it('prints the first state in full and then only the fields each step changed', () => {
    expect(renderTrace(trace)).toEqual([
      '  1. Init',
      '       rmState[0] = working',
      '       rmState[1] = working',
      '       tmState = init',
      '       tmPrepared = {}',
      '       msgs = {}',
      '  2. RMPrepare(0)',
      '       rmState[0]: working → prepared',
      '       msgs: {} → {{type: Prepared, rm: 0}}',
      '  3. TMRcvPrepared(0)',
      '       tmPrepared: {} → {0}',
      '  4. RMPrepare(1)',
      '       rmState[1]: working → prepared',
      '       msgs: {{type: Prepared, rm: 0}} → {{type: Prepared, rm: 0}, {type: Prepared, rm: 1}}',
      '  5. TMRcvPrepared(1)',
      '       tmPrepared: {0} → {0, 1}',
      '  6. TMCommit',
      '       tmState: init → committed',
      '       msgs: {{type: Prepared, rm: 0}, {type: Prepared, rm: 1}} → {{type: Commit, rm: -1}, {type: Prepared, rm: 0}, {type: Prepared, rm: 1}}',
    ]);
  });

  it('says so when a step changes nothing', () => {
    const stutter = [trace[0]!, { action: 'TMRcvPrepared(0)', state: trace[0]!.state }];
    expect(renderTrace(stutter, '')).toEqual([
      '1. Init',
      '     rmState[0] = working',
      '     rmState[1] = working',
      '     tmState = init',
      '     tmPrepared = {}',
      '     msgs = {}',
      '2. TMRcvPrepared(0)',
      '     (no change)',
    ]);
  });

  it('turns a state into plain JSON with Maps as objects and Sets as sorted arrays', () => {
    expect(toPlain(trace.at(-1)!.state)).toEqual({
      rmState: { 0: 'prepared', 1: 'prepared' },
      tmState: 'committed',
      tmPrepared: [0, 1],
      msgs: [
        { type: 'Commit', rm: -1 },
        { type: 'Prepared', rm: 0 },
        { type: 'Prepared', rm: 1 },
      ],
    });
  });
});

/**
 * The exact and the fingerprint store give the same run: the same counts, verdicts, statuses, traces
 * (state by state), coverage and warnings, on every fixture and on every proposal of every built-in
 * kernel model at its default bounds; and every trace the fingerprint store rebuilt replays on the spec.
 */
import { is } from 'immutable';
import { beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/engine/replay.js';
import type { CheckResult, Trace } from '../../src/engine/types.js';
import type { AnyModelSpec } from '../../src/model.js';
import { resolveModel } from '../../src/resolve.js';
import { models } from '../../spec/index.js';
import { constrained, counter, locks, mutex, nondeterministic, plainValues, seesaw, throwing, twoPhase } from '../fixtures/models.js';
import { checkModel, type RunOptions, untimed } from '../helpers.js';

/** Everything a run reports except the time and the store's own report. */
const sameRun = (r: CheckResult) => untimed({ ...r, store: undefined });

function both(spec: AnyModelSpec, opts: RunOptions): [CheckResult, CheckResult] {
  const exact = checkModel(spec, { ...opts, store: 'exact' });
  const fingerprint = checkModel(spec, { ...opts, store: 'fingerprint' });
  expect(exact.store?.kind).toBe('exact');
  expect(fingerprint.store?.kind).toBe('fingerprint');
  return [exact, fingerprint];
}

/** Replays a trace by its labels on the model that produced it: each step must exist and end where it did. */
function expectReplays(spec: AnyModelSpec, proposal: string, trace: Trace, finding: string): void {
  const model = resolveModel(spec, { proposal });
  const init = model.init.findIndex((s) => is(s, trace[0]!.state));
  const found = finding === 'deadlock' ? { kind: 'deadlock', name: 'deadlock' } as const : model.properties.find((p) => p.name === finding)!;
  const out = replay(model, { init, labels: trace.slice(1).map((s) => s.action), finding: found });
  expect(out.stuck).toBeNull();
  expect(out.steps.map((s) => s.state).every((s, i) => is(s, trace[i]!.state))).toBe(true);
  expect(out.reproduced).toBe(true);
}

function expectFingerprintTracesReplay(spec: AnyModelSpec, r: CheckResult): number {
  let n = 0;
  for (const p of r.properties) {
    if (!p.trace || p.status === 'unknown') continue;
    expectReplays(spec, r.proposal, p.trace, p.name);
    n++;
  }
  if (r.deadlock) (expectReplays(spec, r.proposal, r.deadlock.trace, 'deadlock'), n++);
  return n;
}

const FIXTURES: readonly [string, AnyModelSpec, RunOptions][] = [
  ...[counter, constrained, mutex, locks, seesaw, twoPhase, throwing, plainValues].flatMap((spec) =>
    spec.proposals
      .filter((p) => p.id !== 'slow')
      .flatMap((p): [string, AnyModelSpec, RunOptions][] => [
        [`${spec.name}/${p.id}`, spec, { proposal: p.id }],
        [`${spec.name}/${p.id}, first violation`, spec, { proposal: p.id, continueAfterViolation: false }],
      ]),
  ),
  ['counter with maxStates', counter, { limits: { maxStates: 4 } }],
  ['counter with maxDepth', counter, { proposal: 'bounds', limits: { maxDepth: 3 } }],
  ['constrained, larger', constrained, { constants: { limit: '100' } }],
];

describe('both stores on the fixtures', () => {
  it.each(FIXTURES)('agree on %s', (_name, spec, opts) => {
    const [exact, fingerprint] = both(spec, opts);
    expect(sameRun(fingerprint)).toBe(sameRun(exact));
    if (fingerprint.verdict !== 'error') expectFingerprintTracesReplay(spec, fingerprint);
  });

  it('both report a nondeterministic spec when they rebuild its trace', () => {
    for (const r of both(nondeterministic, { continueAfterViolation: false })) {
      expect(r.verdict).toBe('error');
      expect(r.error!.message).toMatch(/^the spec is nondeterministic: replaying nondeterministic\/global along Init, /);
    }
    const [, fingerprint] = both(nondeterministic, { continueAfterViolation: false });
    expect(fingerprint.error!.message).toContain('no step 1 leads to a state with the fingerprint the search stored');
  });
});

describe('both stores on every kernel model proposal at default bounds', () => {
  // About a minute of synchronous checks in all: let the worker answer vitest's messages between two
  // (its RPC calls time out after 60 s without a turn of the event loop).
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cases = models.flatMap((m) => m.proposals.map((p) => [`${m.name}/${p.id}`, m, p.id] as const));

  it.each(cases)('agree on %s, and the fingerprint store\'s traces replay', (_name, spec, proposal) => {
    const [exact, fingerprint] = both(spec, { proposal });
    expect(exact.incomplete).toBeNull();
    expect(sameRun(fingerprint)).toBe(sameRun(exact));
    expect(expectFingerprintTracesReplay(spec, fingerprint)).toBeGreaterThan(0);
    expect(fingerprint.store!.collisionProbability).toBeLessThan(1e-6);
  });
});

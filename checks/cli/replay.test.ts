/**
 * `kmc replay`: a counterexample's ITF trace replays on the proposal that produced it and reproduces its
 * violation; on a proposal that fixes the bug it stops at the first impossible step (naming what was
 * enabled instead) or replays without reproducing the finding. First the engine's `replay` in process,
 * then the real command on files written by `kmc check --out`, with its exit codes, and the bytes of
 * `--out` from two runs.
 */
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/engine/replay.js';
import { canonicalJson, readItfTrace } from '../../src/cli/itfRead.js';
import { SpecError, UsageError } from '../../src/errors.js';
import { renderItf } from '../../src/render/itf.js';
import { resolveModel } from '../../src/resolve.js';
import type { AnyModelSpec } from '../../src/model.js';
import { counter, locks, mutex, seesaw, throwing } from '../fixtures/models.js';
import { checkFirst, labels } from '../helpers.js';
import { fixture, hasStack, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

/** The first failure `kmc check` finds in `spec`/`from`, replayed on proposal `on` through its ITF text. */
function replayFirst(spec: AnyModelSpec, from: string, on: string) {
  const r = checkFirst(spec, { proposal: from });
  const p = r.properties.find((q) => q.status === 'violated');
  const trace = p?.trace ?? r.deadlock!.trace;
  const finding = p ? { property: p.name, kind: p.kind, claim: p.claim } : { property: 'deadlock', kind: 'deadlock' as const, claim: '' };
  const itf = JSON.parse(renderItf(trace, { ...r, ...finding, version: '0' })) as { states: { '#meta': { action: string } }[] };
  const model = resolveModel(spec, { proposal: on });
  const judged = p ? model.properties.find((q) => q.name === p.name)! : ({ kind: 'deadlock', name: 'deadlock' } as const);
  const steps = itf.states.slice(1).map((s) => s['#meta'].action);
  return { original: trace, outcome: replay(model, { init: 0, labels: steps, finding: judged }) };
}

describe('replay', () => {
  it('replays a counterexample on its own proposal, rebuilding the same states, and reproduces it', () => {
    const { original, outcome } = replayFirst(mutex, 'racy', 'racy');
    expect(outcome.stuck).toBeNull();
    expect(outcome.reproduced).toBe(true);
    expect(labels(outcome.steps)).toEqual(labels(original));
    expect(outcome.steps.map((s) => String(s.state))).toEqual(original.map((s) => String(s.state)));
  });

  it('stops at the first step a fixing proposal makes impossible, listing what is enabled there', () => {
    const { outcome } = replayFirst(mutex, 'racy', 'test-and-set');
    expect(outcome.stuck).toEqual({ index: 2, label: 'check(1)', enabled: ['set(0)'] });
    expect(outcome.reproduced).toBe(false);
    expect(labels(outcome.steps)).toEqual(['Init', 'check(0)']);
  });

  it('replays every step but does not reproduce a deadlock where the proposal makes the end terminal', () => {
    const { outcome } = replayFirst(counter, 'no-terminal', 'terminal');
    expect(outcome.stuck).toBeNull();
    expect(outcome.steps).toHaveLength(6);
    expect(outcome.reproduced).toBe(false);
  });

  it('reproduces a deadlock and an action property violation on their own proposals', () => {
    expect(replayFirst(locks, 'abba', 'abba').outcome.reproduced).toBe(true);
    expect(replayFirst(seesaw, 'both', 'both').outcome.reproduced).toBe(true);
  });

  it('stops an action property trace whose action the proposal removed', () => {
    expect(replayFirst(seesaw, 'both', 'up-only').outcome.stuck).toEqual({ index: 2, label: 'down(by 1)', enabled: ['up'] });
  });

  it('reports a spec that throws while replaying as a spec error naming the step', () => {
    const model = resolveModel(throwing, { proposal: 'guard-throws' });
    const finding = model.properties[0]!;
    expect(() => replay(model, { init: 0, labels: ['bump(1)', 'bump(1)', 'bump(1)'], finding })).toThrow(SpecError);
    expect(() => replay(model, { init: 0, labels: ['bump(1)', 'bump(1)', 'bump(1)'], finding })).toThrow(
      'in the guard of bump(1): boom in the guard at 2',
    );
  });
});

describe('kmc replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-replay-'));
  const [out1, out2, out3] = ['a', 'b', 'c'].map((d) => join(dir, d));
  const mutexItf = () => join(out1!, 'mutex', 'racy', 'mutual-exclusion.itf.json');
  let checks: Run[] = [];
  let runs: Record<string, Run> = {};

  beforeAll(async () => {
    checks = await kmcAll([
      [fixture('mutex'), '--out', out1!, '-q'],
      [fixture('mutex'), '--out', out2!],
      [fixture('counter'), '-p', 'no-terminal', '--out', out3!, '-q'],
    ].map((args) => ['check', ...args]));
    const moved = JSON.parse(readFileSync(mutexItf(), 'utf8')) as { '#meta': { source: string } };
    moved['#meta'].source = 'checks/fixtures/cli/gone.ts';
    writeFileSync(join(dir, 'moved.itf.json'), JSON.stringify(moved));
    const renamed = JSON.parse(readFileSync(mutexItf(), 'utf8')) as { '#meta': { property: string } };
    renamed['#meta'].property = 'no-such-property';
    writeFileSync(join(dir, 'renamed.itf.json'), JSON.stringify(renamed));
    const cases: Record<string, string[]> = {
      own: [mutexItf()],
      fixed: [mutexItf(), '--proposal', 'test-and-set'],
      deadlockFixed: [join(out3!, 'counter', 'no-terminal', 'deadlock.itf.json'), '-p', 'terminal'],
      moved: [join(dir, 'moved.itf.json')],
      movedWithModel: [join(dir, 'moved.itf.json'), '--model', fixture('mutex')],
      unknownProposal: [mutexItf(), '-p', 'nope'],
      unknownProperty: [join(dir, 'renamed.itf.json')],
      missing: [join(dir, 'nope.itf.json')],
    };
    const results = await kmcAll(Object.values(cases).map((args) => ['replay', ...args]));
    runs = Object.fromEntries(Object.keys(cases).map((k, i) => [k, results[i]!]));
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes text, DOT, SVG and ITF per failure, and only a list of them on stderr', () => {
    expect(checks.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(readdirSync(join(out1!, 'mutex', 'racy')).sort()).toEqual(
      ['mutual-exclusion.dot', 'mutual-exclusion.itf.json', 'mutual-exclusion.svg', 'mutual-exclusion.txt'],
    );
    expect(readdirSync(join(out3!, 'counter', 'no-terminal')).sort()).toEqual(
      ['deadlock.dot', 'deadlock.itf.json', 'deadlock.svg', 'deadlock.txt'],
    );
    expect(checks[0]!.stderr).toBe('');
    expect(lines(checks[1]!.stderr)).toEqual([expect.stringMatching(/^kmc: wrote 4 files: .*mutual-exclusion\.txt, /)]);
    expect(readFileSync(join(out1!, 'mutex', 'racy', 'mutual-exclusion.svg'), 'utf8')).toContain('<svg');
  });

  it('writes the same bytes on two runs', () => {
    for (const name of readdirSync(join(out1!, 'mutex', 'racy'))) {
      const a = readFileSync(join(out1!, 'mutex', 'racy', name));
      expect(a.equals(readFileSync(join(out2!, 'mutex', 'racy', name))), name).toBe(true);
    }
  });

  it('writes the text trace as kmc check prints it', () => {
    const txt = readFileSync(join(out1!, 'mutex', 'racy', 'mutual-exclusion.txt'), 'utf8');
    const start = checks[0]!.stdout.indexOf('Invariant mutual-exclusion is violated');
    const end = checks[0]!.stdout.indexOf('\nVerdict:');
    expect(txt).toBe(`kmc check mutex --proposal racy  (procs=2)\n\n${checks[0]!.stdout.slice(start, end)}`);
  });

  it('exits 0 when the trace replays on its own proposal and reproduces the violation', () => {
    expect(runs.own!.code).toBe(0);
    expect(runs.own!.stdout).toContain('All 4 steps replay. Invariant mutual-exclusion is violated in the last state');
    expect(lines(runs.own!.stdout).at(-1)).toBe('Verdict: reproduced');
  });

  it('exits 1 and names the first impossible step when another proposal blocks the trace', () => {
    expect(runs.fixed!.code).toBe(1);
    expect(runs.fixed!.stdout).toContain('on mutex --proposal test-and-set  (procs=2)');
    expect(runs.fixed!.stdout).toContain('  3. check(1)   ✗ not possible here');
    expect(runs.fixed!.stdout).toContain('Step 3, check(1), is not possible under proposal test-and-set.\nEnabled there: set(0)\n');
    expect(lines(runs.fixed!.stdout).at(-1)).toBe('Verdict: does not replay');
  });

  it('exits 1 when every step replays but the finding is not reproduced', () => {
    expect(runs.deadlockFixed!.code).toBe(1);
    expect(runs.deadlockFixed!.stdout).toContain('The last state is not a deadlock: the deadlock is not reproduced.');
    expect(lines(runs.deadlockFixed!.stdout).at(-1)).toBe('Verdict: not reproduced');
  });

  it('finds the model again with --model when the file the trace names is gone', () => {
    expect(runs.moved!.code).toBe(2);
    expect(runs.moved!.stderr).toMatch(/^kmc: error: no such file: checks\/fixtures\/cli\/gone\.ts \(.*--model <name-or-file>\)\n$/);
    expect(runs.movedWithModel!.code).toBe(0);
  });

  it.each([
    ['unknownProposal', /^kmc: error: unknown proposal "nope" for model mutex; known: racy, test-and-set$/],
    ['unknownProperty', /^kmc: error: proposal racy of mutex has no property "no-such-property"; known: mutual-exclusion, crit-reached$/],
    ['missing', /^kmc: error: no such file: .*nope\.itf\.json$/],
  ])('exits 2 with one line and no stack for %s', (name, error) => {
    const run = runs[name]!;
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(error)]);
    expect(hasStack(run.stderr)).toBe(false);
    expect(run.stdout).toBe('');
  });
});

describe('readItfTrace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-itf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it.each([
    ['not JSON', '{ "states": [', /is not JSON: /],
    ['without states', '{ "vars": [] }', /is not an ITF trace: it has no "states" array with at least one state$/],
    ['with a state that is not an object', '{ "states": [1] }', /is not an ITF trace: state 0 is not an object$/],
    ['without step labels', '{ "states": [{ "x": 1 }, { "x": 2 }] }', /is not an ITF trace: state 1 has no "#meta": \{"action": …\} label/],
    ['with constants that are not values', '{ "#meta": { "constants": { "n": [1] } }, "states": [{}] }', /constant n in "#meta" is not a number/],
  ])('refuses a file %s as a usage error', (_what, text, error) => {
    const path = file('t.json', text);
    expect(() => readItfTrace(path)).toThrow(UsageError);
    expect(() => readItfTrace(path)).toThrow(error);
  });

  it('reads the labels, the metadata and the states without their #meta', () => {
    const t = readItfTrace(file('ok.json', '{ "#meta": { "model": "m", "constants": { "n": 2 } }, "states": [{ "x": 1 }, { "#meta": { "action": "a(0)" }, "x": 2 }] }'));
    expect(t).toMatchObject({ model: 'm', constants: { n: 2 }, labels: ['Init', 'a(0)'], states: [{ x: 1 }, { x: 2 }] });
  });

  it('compares values canonically, whatever the key order or integer form', () => {
    expect(canonicalJson({ b: 1, a: [{ '#bigint': '2' }] })).toBe(canonicalJson({ a: [2], b: { '#bigint': '1' } }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});

/**
 * What `kmc check` prints: the text report (numbered steps showing only what changed) and the `--json`
 * document, with the exit code of each run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasStack, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

const mutex = fixture('mutex');
const invocations = {
  text: [mutex],
  json: [mutex, '--json'],
  deadlock: [fixture('locks'), '--json'],
  keepGoing: [fixture('counter'), '-p', 'bounds', '--continue', '--json'],
  coverage: [mutex, '-p', 'test-and-set', '--coverage'],
  thrown: [fixture('throwing'), '-p', 'effect-throws'],
  selected: [mutex, '--property', 'crit-reached', '-c', 'procs=3', '--json'],
  fingerprint: [mutex, '--store', 'fingerprint'],
  fingerprintJson: [mutex, '--store', 'fingerprint', '--json'],
  memory: ['src/bench/synthetic.ts', '--memory', '1', '--json'],
} as const;
type Name = keyof typeof invocations;

const SUMMARY = /^\d+ states generated, \d+ distinct states, \d+ left in queue, depth \d+, \d+\.\d\d s \(\d+ distinct states\/s\)$/;

interface JsonStep {
  action: string;
  state: unknown;
}
const actionsOf = (trace: JsonStep[] | undefined) => trace?.map((s) => s.action);

describe('kmc check: output', () => {
  const runs = {} as Record<Name, Run>;
  beforeAll(async () => {
    const names = Object.keys(invocations) as Name[];
    const results = await kmcAll(names.map((n) => ['check', ...invocations[n], '--quiet']));
    names.forEach((n, i) => (runs[n] = results[i]!));
  }, SPAWN_TIMEOUT);
  const json = (name: Name) => JSON.parse(runs[name].stdout) as Record<string, any>;

  it('prints each counterexample as numbered steps, the first in full and then only what changed (exit 1)', () => {
    const r = runs.text;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out.slice(0, -2).join('\n')).toBe(
      [
        'kmc check mutex --proposal racy  (procs=2)',
        '',
        '  mutual-exclusion  invariant              violated (4 steps)',
        '  crit-reached      reachability property  holds',
        '  deadlock                                 none found',
        '',
        'Invariant mutual-exclusion is violated: at most one process is in its critical section',
        '  1. Init',
        '       flag = 0',
        '       pcs = [idle, idle]',
        '  2. check(0)',
        '       pcs: [idle, idle] → [set, idle]',
        '  3. check(1)',
        '       pcs: [set, idle] → [set, set]',
        '  4. set(0)',
        '       flag: 0 → 1',
        '       pcs: [set, set] → [crit, set]',
        '  5. set(1)',
        '       pcs: [crit, set] → [crit, crit]',
        '',
        'Verdict: violated',
      ].join('\n'),
    );
    expect(out.at(-2)).toBe('Store: exact, 0.11 MB');
    expect(out.at(-1)).toMatch(SUMMARY);
    expect(out.at(-1)).toMatch(/^12 states generated, 9 distinct states, 2 left in queue, depth 5, /);
  });

  it('says which store ran; with fingerprints, the frontier\'s peak and the collision estimate (exit 1)', () => {
    const [exact, fp] = [runs.text, runs.fingerprint];
    expect(fp.code).toBe(1);
    const a = lines(exact.stdout);
    const b = lines(fp.stdout);
    expect(b.slice(0, -2)).toEqual(a.slice(0, -2));
    expect(b.at(-2)).toMatch(/^Store: fingerprint, 0\.\d\d MB, frontier peak 0\.06 MB; fingerprint collision probability 1\.5e-18 \(optimistic estimate n·\(g−n\)\/2\^64\)$/);
    // n·(g−n)/2^64 with 9 distinct and 12 generated states.
    expect(json('fingerprintJson').stats.store.collisionProbability).toBe((9 * 3) / 2 ** 64);
  });

  it('stops at the memory budget as incomplete, never claiming an invariant holds (exit 3)', () => {
    expect(runs.memory.code).toBe(3);
    const doc = json('memory');
    expect(doc).toMatchObject({ verdict: 'incomplete', incomplete: 'memory' });
    for (const p of doc.properties) if (p.kind !== 'reachable') expect(p.status).toBe('unknown');
    expect(doc.stats.store).toMatchObject({ kind: 'exact', budgetBytes: 2 ** 20, full: { cause: 'budget' } });
    expect(doc.stats.store.full.message).toMatch(/^0\.\d\d MB of the 1\.00 MB budget is held by the exact store, and its next growth needs \d\.\d\d MB more$/);
    expect(doc.stats.queued).toBeGreaterThan(0);
  });

  it('prints one JSON document with the documented fields (exit 1)', () => {
    expect(runs.json.code).toBe(1);
    const doc = json('json');
    expect(Object.keys(doc)).toEqual([
      'model', 'proposal', 'constants', 'verdict', 'properties', 'deadlock', 'error', 'incomplete', 'stats', 'coverage', 'warnings',
    ]);
    expect(doc).toMatchObject({ model: 'mutex', proposal: 'racy', constants: { procs: 2 }, verdict: 'violated', deadlock: null, error: null, incomplete: null });
    const [mx, crit] = doc.properties;
    expect(Object.keys(mx)).toEqual(['name', 'kind', 'claim', 'status', 'trace']);
    expect(mx).toMatchObject({ name: 'mutual-exclusion', kind: 'invariant', status: 'violated' });
    expect(mx.trace).toEqual([
      { action: 'Init', state: { flag: 0, pcs: ['idle', 'idle'] } },
      { action: 'check(0)', state: { flag: 0, pcs: ['set', 'idle'] } },
      { action: 'check(1)', state: { flag: 0, pcs: ['set', 'set'] } },
      { action: 'set(0)', state: { flag: 1, pcs: ['crit', 'set'] } },
      { action: 'set(1)', state: { flag: 1, pcs: ['crit', 'crit'] } },
    ]);
    expect(crit).toMatchObject({ name: 'crit-reached', kind: 'reachable', status: 'holds' });
    expect(actionsOf(crit.trace)).toEqual(['Init', 'check(0)', 'set(0)']);
    expect(Object.keys(doc.stats)).toEqual(['generated', 'distinct', 'queued', 'depth', 'seconds', 'workers', 'store', 'symmetry']);
    expect(doc.stats.symmetry).toBeNull();
    expect(doc.stats).toMatchObject({ generated: 12, distinct: 9, queued: 2, depth: 5, workers: 1 });
    expect(Object.keys(doc.stats.store)).toEqual(['kind', 'bytes', 'parts', 'frontierPeakBytes', 'budgetBytes', 'collisionProbability', 'full']);
    expect(doc.stats.store).toMatchObject({ kind: 'exact', frontierPeakBytes: 0, collisionProbability: null, full: null });
    expect(doc.stats.store.budgetBytes).toBeGreaterThanOrEqual(2 ** 20);
    expect(typeof doc.stats.seconds).toBe('number');
    expect(doc.coverage[0]).toEqual({ action: 'check', enabled: 4, fresh: 3 });
  });

  it('puts a deadlock in the JSON with its trace (exit 1)', () => {
    expect(runs.deadlock.code).toBe(1);
    const doc = json('deadlock');
    expect(doc.verdict).toBe('violated');
    expect(actionsOf(doc.deadlock.trace)).toEqual(['Init', 'lock_first(0)', 'lock_first(1)']);
    expect(doc.deadlock.trace.at(-1).state).toEqual({ a: 0, b: 1, pcs: ['first', 'first'] });
    expect(doc.properties).toEqual([expect.objectContaining({ name: 'exclusive', status: 'unknown' })]);
    expect(doc.properties[0].trace).toBeUndefined();
  });

  it('reports every violation with --continue (exit 1)', () => {
    expect(runs.keepGoing.code).toBe(1);
    const doc = json('keepGoing');
    const byName = Object.fromEntries(doc.properties.map((p: { name: string }) => [p.name, p]));
    expect(byName['in-range'].status).toBe('holds');
    expect(actionsOf(byName['below-two'].trace)).toEqual(['Init', 'inc', 'inc']);
    expect(byName['below-four'].trace.map((s: JsonStep) => s.state)).toEqual([0, 1, 2, 3, 4]);
    expect(doc.deadlock.trace).toHaveLength(6);
    expect(doc.stats).toMatchObject({ distinct: 6, queued: 0 });
  });

  it('prints the coverage table with --coverage (exit 0)', () => {
    const r = runs.coverage;
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const at = out.indexOf('Coverage:');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at, at + 5).map((l) => l.split(/\s+/).filter(Boolean).join(' '))).toEqual([
      'Coverage:',
      'action enabled new states',
      'check 2 2',
      'set 2 2',
      'exit 2 0',
    ]);
    expect(out).toContain('  deadlock                                 none');
    expect(out).toContain('Verdict: holds');
  });

  it('prints a spec error with the trace to where it threw (exit 4)', () => {
    const r = runs.thrown;
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('');
    expect(hasStack(r.stdout)).toBe(false);
    const out = lines(r.stdout);
    expect(out[0]).toBe('kmc check throwing --proposal effect-throws  (no constants)');
    const at = out.indexOf('Spec error at bump(1): in the effect of bump(1): boom in the effect at 2');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at + 1, at + 8)).toEqual([
      '  The state where it threw is the last one of:',
      '  1. Init',
      '       (state) = 0',
      '  2. bump(1)',
      '       (state): 0 → 1',
      '  3. bump(1)',
      '       (state): 1 → 2',
    ]);
    expect(out).toContain('Verdict: error');
  });

  it('checks only the selected properties, with the constants given (exit 0)', () => {
    expect(runs.selected.code).toBe(0);
    const doc = json('selected');
    expect(doc).toMatchObject({ verdict: 'holds', constants: { procs: 3 } });
    expect(doc.properties.map((p: { name: string }) => p.name)).toEqual(['crit-reached']);
    expect(doc.properties[0].trace[0].state).toEqual({ flag: 0, pcs: ['idle', 'idle', 'idle'] });
  });
});

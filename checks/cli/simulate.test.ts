/**
 * `kmc simulate`: the report (never a `holds`), its exit codes, the JSON document, the per-run seed that
 * makes a walk again when run as printed, byte-identical output for the same seed, `--out` traces that
 * `kmc replay` confirms, a kernel model's known violation, and one-line usage errors.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasStack, kmc, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

const mutex = fixture('mutex');
const dir = mkdtempSync(join(tmpdir(), 'kmc-simulate-'));
const [outA, outB, outK] = ['a', 'b', 'k'].map((d) => join(dir, d));

/** `text` and `again` also write their counterexamples, so that the files of two runs can be compared. */
const invocations = {
  text: [mutex, '--out', outA!],
  again: [mutex, '--out', outB!],
  json: [mutex, '--json'],
  holds: [mutex, '-p', 'test-and-set', '--runs', '200'],
  holdsJson: [mutex, '-p', 'test-and-set', '--runs', '200', '--json'],
  laterRun: [mutex, '--depth', '4', '--seed', '7'],
  deadlock: [fixture('locks')],
  noDeadlock: [fixture('locks'), '--no-deadlock', '--runs', '50'],
  thrown: [fixture('throwing'), '-p', 'effect-throws'],
  timeout: [fixture('counter'), '-p', 'slow', '--timeout', '0.01'],
  kernel: ['pkrs-nesting', '--proposal', 'pks-thread-only', '--out', outK!],
} as const;
type Name = keyof typeof invocations;

/** The table of statuses: the lines after the two header lines, up to the first blank line. */
const statusCells = (text: string) => {
  const rest = lines(text).slice(3);
  return rest.slice(0, rest.indexOf(''));
};

/** The summary line's time is the only part of the output that differs between identical runs. */
const untimed = (text: string) => text.replace(/, \d+\.\d\d s$/m, ', T s');

describe('kmc simulate', () => {
  const runs = {} as Record<Name, Run>;
  beforeAll(async () => {
    const names = Object.keys(invocations) as Name[];
    const results = await kmcAll(names.map((n) => ['simulate', ...invocations[n], '--quiet']));
    names.forEach((n, i) => (runs[n] = results[i]!));
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const json = (name: Name) => JSON.parse(runs[name].stdout) as Record<string, any>;

  it('prints the violation as numbered steps with the seed and the command that repeats the run (exit 1)', () => {
    const r = runs.text;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(untimed(r.stdout)).toBe(
      [
        'kmc simulate mutex --proposal racy  (procs=2)',
        '1000 runs of at most 100 steps from seed 1',
        '',
        '  mutual-exclusion  invariant              violated (4 steps, seed 1)',
        '  crit-reached      reachability property  reached (2 steps)',
        '  deadlock                                 none found in 1 run',
        '',
        'Invariant mutual-exclusion is violated: at most one process is in its critical section',
        '  Found by run 1 (seed 1) at step 10, shortened to 4 steps; make that run again with:',
        '    kmc simulate checks/fixtures/cli/mutex.ts --proposal racy --depth 100 --seed 1 --runs 1',
        '  1. Init',
        '       flag = 0',
        '       pcs = [idle, idle]',
        '  2. check(1)',
        '       pcs: [idle, idle] → [idle, set]',
        '  3. check(0)',
        '       pcs: [idle, set] → [set, set]',
        '  4. set(1)',
        '       flag: 0 → 1',
        '       pcs: [set, set] → [set, crit]',
        '  5. set(0)',
        '       pcs: [set, crit] → [crit, crit]',
        '',
        'Verdict: violated',
        '1 of 1000 runs, 9 steps, 18 states generated, about 9 distinct (estimated), longest walk 9 steps, T s',
        'Properties not violated are unknown: a simulation is never a proof (kmc check explores every state).',
        '',
      ].join('\n'),
    );
  });

  it('prints the same bytes for the same seed, apart from the time', () => {
    expect(runs.again.code).toBe(1);
    expect(untimed(runs.again.stdout)).toBe(untimed(runs.text.stdout));
    expect(lines(runs.text.stdout).at(-2)).toMatch(/, \d+\.\d\d s$/);
  });

  it('exits 3 when no walk violates anything, reports no property as holding and says it is no proof', () => {
    const r = runs.holds;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('  mutual-exclusion  invariant              unknown (not violated in 200 runs)');
    expect(r.stdout).toContain('  crit-reached      reachability property  reached (2 steps)');
    expect(r.stdout).toContain('  deadlock                                 none found in 200 runs');
    expect(r.stdout).toContain('\nVerdict: incomplete\n');
    expect(statusCells(r.stdout).some((l) => /\bholds\b/.test(l))).toBe(false);
    expect(lines(r.stdout).at(-1)).toBe(
      'No violation found in 200 runs of at most 100 steps: a simulation is never a proof that a property holds ' +
        '(kmc check explores every state).',
    );
    expect(runs.holdsJson.code).toBe(3);
    const doc = json('holdsJson');
    expect(doc.verdict).toBe('incomplete');
    expect(doc.properties.map((p: any) => p.status)).toEqual(['unknown', 'reached']);
    expect(runs.holdsJson.stdout).not.toContain('"holds"');
  });

  it('prints one JSON document in check\'s shape, with the simulation and each finding\'s seed (exit 1)', () => {
    expect(runs.json.code).toBe(1);
    const doc = json('json');
    expect(Object.keys(doc)).toEqual([
      'model', 'proposal', 'constants', 'verdict', 'properties', 'deadlock', 'error', 'incomplete', 'simulation', 'stats', 'coverage', 'warnings',
    ]);
    expect(doc).toMatchObject({
      model: 'mutex',
      proposal: 'racy',
      constants: { procs: 2 },
      verdict: 'violated',
      deadlock: null,
      error: null,
      incomplete: null,
      simulation: { runs: 1000, depth: 100, seed: 1 },
      stats: { runs: 1, steps: 9, generated: 18, distinct: 9, longestWalk: 9 },
      warnings: [],
    });
    const [mx, crit] = doc.properties;
    expect(Object.keys(mx)).toEqual(['name', 'kind', 'claim', 'status', 'trace', 'run', 'seed', 'walkSteps']);
    expect(mx).toMatchObject({ name: 'mutual-exclusion', status: 'violated', run: 1, seed: 1, walkSteps: 10 });
    expect(mx.trace.map((s: any) => s.action)).toEqual(['Init', 'check(1)', 'check(0)', 'set(1)', 'set(0)']);
    expect(mx.trace[4].state).toEqual({ flag: 1, pcs: ['crit', 'crit'] });
    expect(crit).toMatchObject({ name: 'crit-reached', kind: 'reachable', status: 'reached', seed: 1 });
    expect(doc.coverage).toEqual([
      { action: 'check', enabled: 9, taken: 4 },
      { action: 'set', enabled: 6, taken: 3 },
      { action: 'exit', enabled: 2, taken: 2 },
    ]);
  });

  it('names the seed of the run that found the violation, and the printed command repeats that run', async () => {
    const r = runs.laterRun;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Found by run 15 (seed 3977559657) at step 4; make that run again with:');
    const command = lines(r.stdout).find((l) => l.startsWith('    kmc simulate '))!.trim();
    expect(command).toBe('kmc simulate checks/fixtures/cli/mutex.ts --proposal racy --depth 4 --seed 3977559657 --runs 1');
    const again = await kmc([...command.split(' ').slice(1), '--quiet']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('Found by run 1 (seed 3977559657) at step 4; make that run again with:');
    const trace = (text: string) => {
      const all = lines(text);
      const from = all.indexOf('  1. Init');
      const to = all.findIndex((l, i) => i > from && !l.startsWith('  '));
      return all.slice(from, to);
    };
    expect(trace(r.stdout)).toHaveLength(12);
    expect(trace(again.stdout)).toEqual(trace(r.stdout));
  }, SPAWN_TIMEOUT);

  it('finds a deadlock (exit 1), and with --no-deadlock none (exit 3)', () => {
    expect(runs.deadlock.code).toBe(1);
    expect(runs.deadlock.stdout).toContain('  deadlock                          found (2 steps, seed 1)');
    expect(runs.deadlock.stdout).toContain('\nDeadlock: a reachable state has no enabled action and is not terminal.\n');
    expect(runs.noDeadlock.code).toBe(3);
    expect(runs.noDeadlock.stdout).toContain('\nVerdict: incomplete\n');
  });

  it('reports a spec error with the action, the message and the run that hit it (exit 4)', () => {
    const r = runs.thrown;
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('\nSpec error at bump(1): in the effect of bump(1): boom in the effect at 2\n');
    expect(r.stdout).toContain('  In run 1 (seed 1); make that run again with:\n');
    expect(r.stdout).toContain('\nVerdict: error\n');
    expect(hasStack(r.stdout + r.stderr)).toBe(false);
  });

  it('stops at --timeout, says so, and exits 3', () => {
    expect(runs.timeout.code).toBe(3);
    expect(runs.timeout.stdout).toMatch(/\nIncomplete: the timeout stopped the simulation after \d+ of 1000 runs\.\n/);
  });

  it('writes each counterexample with --out, the same bytes for the same seed, and kmc replay confirms it', async () => {
    const folder = (root: string) => join(root, 'mutex', 'racy');
    const files = readdirSync(folder(outA!)).sort();
    expect(files).toEqual(['mutual-exclusion.dot', 'mutual-exclusion.itf.json', 'mutual-exclusion.svg', 'mutual-exclusion.txt']);
    for (const f of files) expect(readFileSync(join(folder(outB!), f), 'utf8')).toBe(readFileSync(join(folder(outA!), f), 'utf8'));
    expect(readFileSync(join(folder(outA!), 'mutual-exclusion.txt'), 'utf8')).toContain('--seed 1 --runs 1\n');
    const replayed = await kmc(['replay', join(folder(outA!), 'mutual-exclusion.itf.json')]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('\nVerdict: reproduced\n');
  }, SPAWN_TIMEOUT);

  it('finds the known violations of pkrs-nesting pks-thread-only, as exhaustive checking does, and they replay', async () => {
    const r = runs.kernel;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n {2}pkrs-never-more-permissive {2}invariant {14}violated \(4 steps, seed 1\)\n/);
    expect(r.stdout).toMatch(/\n {2}fresh-pkrs-in-handler {7}action property {8}violated \(4 steps, seed 1\)\n/);
    expect(statusCells(r.stdout)).toHaveLength(9);
    expect(statusCells(r.stdout).some((l) => /\bholds\b/.test(l))).toBe(false);
    const folder = join(outK!, 'pkrs-nesting', 'pks-thread-only');
    const replayed = await kmcAll([
      ['replay', join(folder, 'pkrs-never-more-permissive.itf.json')],
      ['replay', join(folder, 'fresh-pkrs-in-handler.itf.json')],
    ]);
    expect(replayed.map((x) => x.code)).toEqual([0, 0]);
    for (const x of replayed) expect(x.stdout).toContain('\nVerdict: reproduced\n');
  }, SPAWN_TIMEOUT);
});

describe('kmc simulate: usage errors', () => {
  const cases: readonly [string, readonly string[], RegExp][] = [
    ['--depth 0', [mutex, '--depth', '0'], /^kmc: error: option '--depth <n>' argument '0' is invalid\. must be a positive integer$/],
    ['--runs abc', [mutex, '--runs', 'abc'], /^kmc: error: option '--runs <n>' argument 'abc' is invalid\. must be a positive integer$/],
    ['a seed out of range', [mutex, '--seed', '4294967296'], /^kmc: error: option '--seed <s>' argument '4294967296' is invalid\. must be an integer in 0\.\.4294967295$/],
    ['a seed that is not a number', [mutex, '--seed', 'x1'], /^kmc: error: option '--seed <s>' argument 'x1' is invalid/],
    ['an unknown model', ['no-such-model'], /^kmc: error: unknown model "no-such-model"/],
    ['an unknown proposal', [mutex, '-p', 'nope'], /^kmc: error: unknown proposal "nope" for model mutex; known: racy, test-and-set$/],
    ['an unknown property', [mutex, '--property', 'nope'], /^kmc: error: unknown property "nope" for model mutex/],
    ['an unknown constant', [mutex, '-c', 'nope=1'], /^kmc: error: unknown constant "nope" for model mutex; known: procs$/],
    ['a constant out of range', [mutex, '-c', 'procs=9'], /^kmc: error: constant procs must be an integer in 1\.\.4, got "9"$/],
  ];
  let results: Run[] = [];
  beforeAll(async () => {
    results = await kmcAll(cases.map(([, args]) => ['simulate', ...args, '--quiet']));
  }, SPAWN_TIMEOUT);

  it.each(cases.map((c, i) => [c[0], i] as const))('%s: one line on stderr, exit 2', (_name, i) => {
    const r = results[i]!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(lines(r.stderr)[0]).toMatch(cases[i]![2]);
    expect(hasStack(r.stderr)).toBe(false);
  });
});

/**
 * `--workers` on the command line: the same report for every number of workers (the parallel path forced
 * with `--prefix-states 0`), the worker count in JSON and in the closing line, a spec that throws in a
 * worker, a worker thread that dies or runs out of heap, and every malformed count refused as a usage error naming the flag.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture, hasStack, kmc, kmcAll, lines, reviewerFile, ROOT, type Run, SPAWN_TIMEOUT } from './kmc.js';

const PARALLEL = ['--prefix-states', '0'];

/** The report without its last two lines (the store's memory and the time differ between runs). */
const report = (r: Run) => lines(r.stdout).slice(0, -2).join('\n');

describe('kmc --workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-workers-'));
  let runs: Run[] = [];
  let reviewer: Run[] = [];
  const run = (i: number) => runs[i]!;

  beforeAll(async () => {
    writeFileSync(join(dir, 'atomic.ts'), reviewerFile('atomic-check'));
    reviewer = await Promise.all([
      kmc(['check', 'atomic.ts', '-q', '-c', 'procs=3', '--workers', '1'], dir),
      kmc(['check', 'atomic.ts', '-q', '-c', 'procs=3', '--workers', '2', ...PARALLEL], dir),
    ]);
    runs = await kmcAll([
      /* 0 */ ['check', fixture('mutex'), '--continue', '-q', '--workers', '1'],
      /* 1 */ ['check', fixture('mutex'), '--continue', '-q', '--workers', '3', ...PARALLEL],
      /* 2 */ ['check', fixture('mutex'), '--continue', '-q', '--json', '--workers', '2', ...PARALLEL],
      /* 3 */ ['check', fixture('mutex'), '--continue', '-q', '--json', '--workers', '1'],
      /* 4 */ ['check', fixture('throwing'), '-p', 'effect-throws', '-q', '--workers', '1'],
      /* 5 */ ['check', fixture('throwing'), '-p', 'effect-throws', '-q', '--workers', '2', ...PARALLEL],
      /* 6 */ ['check', fixture('crashing'), '-q', '--workers', '2', ...PARALLEL],
      /* 7 */ ['check', fixture('counter'), '-c', 'max=300', '--max-states', '50', '-q', '--workers', '2', ...PARALLEL],
      /* 8 */ ['compare', fixture('mutex'), '-q', '--out', join(dir, 'one'), '--workers', '1'],
      /* 9 */ ['compare', fixture('mutex'), '-q', '--out', join(dir, 'two'), '--workers', '2', ...PARALLEL],
      /* 10 */ ['check', fixture('mutex'), '--json', '-q'],
      ...['0', '-1', '1.5', 'many', ''].map((n) => ['check', fixture('mutex'), '--workers', n]),
      ['compare', fixture('mutex'), '--workers', '0', '--out', join(dir, 'bad')],
      ['all', '--workers', '0', '--out', join(dir, 'bad')],
      ['check', fixture('mutex'), '--prefix-states', '-1'],
    ]);
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same report for one worker and for three, and says so in the closing line', () => {
    expect(run(0).code).toBe(1);
    expect(run(1).code).toBe(1);
    expect(report(run(1))).toBe(report(run(0)));
    expect(lines(run(1).stdout).at(-1)).toMatch(/ distinct states\/s on 3 workers\)$/);
    expect(lines(run(0).stdout).at(-1)).not.toMatch(/workers/);
  });

  it("explores a reviewer's file from outside the project in the workers, as in one thread", () => {
    expect(reviewer[0]!.code).toBe(0);
    expect(reviewer[1]!.code).toBe(0);
    expect(report(reviewer[1]!)).toBe(report(reviewer[0]!));
    expect(lines(reviewer[1]!.stdout).at(-1)).toMatch(/on 2 workers\)$/);
  });

  it('gives the same JSON but for the time, the store and stats.workers', () => {
    const strip = (r: Run) => {
      const j = JSON.parse(r.stdout) as { stats: Record<string, unknown> };
      const { seconds: _s, store: _store, workers, ...stats } = j.stats;
      return { ...j, stats, workers };
    };
    const two = strip(run(2));
    const one = strip(run(3));
    expect(two.workers).toBe(2);
    expect(one.workers).toBe(1);
    expect({ ...two, workers: 0 }).toEqual({ ...one, workers: 0 });
  });

  it('explores a small run in one thread by default, and says how many worked', () => {
    expect(run(10).code).toBe(1);
    expect((JSON.parse(run(10).stdout) as { stats: { workers: number } }).stats.workers).toBe(1);
  });

  it('reports a spec that throws in a worker as it does in one thread (exit 4)', () => {
    expect(run(4).code).toBe(4);
    expect(run(5).code).toBe(4);
    expect(report(run(5))).toBe(report(run(4)));
    expect(run(5).stdout).toContain('Spec error at bump(1): in the effect of bump(1): boom in the effect at 2');
  });

  it('stops with one clear line when a worker thread dies', () => {
    expect(run(6).code).toBe(70);
    // Partition 0 is the main thread's; the one worker of two is partition 1.
    expect(lines(run(6).stderr)).toEqual(['kmc: error: the check stopped: worker 1 exited (code 7)']);
  });

  it('stops with one clear line when a worker thread runs out of heap while the main thread waits for it', async () => {
    // The worker's heap limit is the process's --max-old-space-size; the main thread's partition blocks
    // while it waits for the worker's records, and learns of its death through the worker's lifeline.
    const r = await new Promise<Run>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.NODE_OPTIONS;
      const args = ['--max-old-space-size=96', BIN, 'check', fixture('hoarding'), '-q', '--workers', '2', ...PARALLEL];
      execFile(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
      });
    });
    expect(r.code).toBe(70);
    expect(lines(r.stderr)).toEqual(['kmc: error: the check stopped: worker 1 crashed: Worker terminated due to reaching memory limit: JS heap out of memory']);
  }, SPAWN_TIMEOUT);

  it('is incomplete when a limit stops the workers (exit 3)', () => {
    expect(run(7).code).toBe(3);
    expect(run(7).stdout).toContain('Incomplete: the max-states limit stopped the search');
  });

  it('compares with workers as without', () => {
    expect(run(8).code).toBe(0);
    expect(run(9).code).toBe(0);
    expect(run(9).stdout.replace(join(dir, 'two'), '<out>')).toBe(run(8).stdout.replace(join(dir, 'one'), '<out>'));
  });

  it('refuses a count that is not a positive integer, naming the flag (exit 2)', () => {
    for (const r of runs.slice(11, 18)) {
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^kmc: error: option '--workers <n>' argument '[^']*' is invalid\. must be a positive integer$/m);
      expect(hasStack(r.stderr)).toBe(false);
    }
    const prefix = runs[18]!;
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toMatch(/^kmc: error: option '--prefix-states <n>' argument '-1' is invalid/);
  });
});

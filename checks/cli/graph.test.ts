/**
 * `kmc graph`: the whole state graph of a small configuration as DOT on stdout or SVG in a file, and a
 * one-line refusal (exit 2) above `--max-states`, as for every other user mistake.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasStack, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

describe('kmc graph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-graph-'));
  const svgFile = join(dir, 'sub', 'mutex.svg');
  let runs: Run[] = [];

  beforeAll(async () => {
    runs = await kmcAll([
      ['graph', fixture('mutex')],
      ['graph', fixture('mutex'), '--max-states', '12'],
      ['graph', fixture('mutex'), '--proposal', 'test-and-set', '--const', 'procs=3', '--svg', '--out', svgFile],
      ['graph', fixture('counter'), '--const', 'max=600'],
      ['graph', fixture('throwing'), '-p', 'guard-throws'],
    ]);
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the state graph as DOT, one node per state, and exits 0', () => {
    const [run] = runs;
    expect(run!.code).toBe(0);
    expect(run!.stdout.startsWith('digraph "mutex/racy" {\n')).toBe(true);
    expect(run!.stdout.match(/^ {2}s\d+ \[label=/gm)).toHaveLength(13);
    expect(run!.stdout).toContain('  {rank=same; s3; s4; s5;}\n');
    expect(run!.stderr).toBe('');
  });

  it('refuses a model with more states than --max-states, in one line with exit 2', () => {
    const run = runs[1]!;
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      'kmc: error: mutex/racy has more than 12 states; kmc graph is for small configurations (lower the constants, or raise --max-states)',
    ]);
    expect(run.stdout).toBe('');
  });

  it('refuses above 500 states by default', () => {
    const run = runs[3]!;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kmc: error: counter\/terminal has more than 500 states; /);
    expect(hasStack(run.stderr)).toBe(false);
  });

  it('writes SVG to --out, creating its folder, with nothing on stdout', () => {
    const run = runs[2]!;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('<title>mutex/test&#45;and&#45;set</title>');
  });

  it('reports a spec that throws while the graph is built as a spec error, exit 4', () => {
    const run = runs[4]!;
    expect(run.code).toBe(4);
    expect(lines(run.stderr)).toEqual(['kmc: spec error: in the guard of bump(1): boom in the guard at 2']);
  });
});

/**
 * A reviewer's proposal in its own file (`defineProposal`), inside the project and from a folder
 * elsewhere that imports `kmc` and `immutable` without installing them; and `kmc list`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasStack, kmc, lines, reviewerFile, type Run, SPAWN_TIMEOUT } from './kmc.js';

describe('kmc check <proposal file>', () => {
  let dir = '';
  const runs: Record<string, Run> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kmc-reviewer-'));
    writeFileSync(join(dir, 'atomic.ts'), reviewerFile('atomic-check'));
    writeFileSync(join(dir, 'clash.ts'), reviewerFile('test-and-set'));
    const [inProject, ownBaseline, outside, clash, list] = await Promise.all([
      kmc(['check', fixture('reviewer-proposal'), '-q']),
      kmc(['check', fixture('reviewer-proposal'), '-p', 'racy', '-q']),
      kmc(['check', 'atomic.ts', '--json', '-q'], dir),
      kmc(['check', 'clash.ts', '-q'], dir),
      kmc(['list']),
    ]);
    Object.assign(runs, { inProject, ownBaseline, outside, clash, list });
  }, SPAWN_TIMEOUT);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("checks the file's proposal against the model it imports", () => {
    const r = runs.inProject!;
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[0]).toBe('kmc check mutex --proposal reviewer-tas  (procs=2)');
    expect(r.stdout).toContain('  mutual-exclusion  invariant              holds');
    expect(r.stdout).toContain('Verdict: holds');
    expect(r.stdout).toMatch(/^7 states generated, 5 distinct states, 0 left in queue, depth 3, /m);
  });

  it("still checks the model's own proposals when one is named", () => {
    const r = runs.ownBaseline!;
    expect(r.code).toBe(1);
    expect(lines(r.stdout)[0]).toBe('kmc check mutex --proposal racy  (procs=2)');
    expect(r.stdout).toContain('mutual-exclusion  invariant              violated (4 steps)');
  });

  it('checks a proposal file in a folder outside the project, importing kmc and immutable', () => {
    const r = runs.outside!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { model: string; proposal: string; verdict: string; stats: { distinct: number } };
    expect(doc).toMatchObject({ model: 'mutex', proposal: 'atomic-check', verdict: 'holds', stats: { distinct: 5 } });
  });

  it("refuses a proposal whose id is one of the model's own, in one line (exit 2)", () => {
    const r = runs.clash!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['kmc: error: proposal "test-and-set" already exists in model mutex']);
  });

  it('lists the built-in models and exits 0', () => {
    const r = runs.list!;
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(hasStack(r.stderr)).toBe(false);
  });
});

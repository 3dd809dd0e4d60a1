/**
 * `npm run bench:pairs` (src/bench/pairs.ts): pairs of benches, one thread then several workers, each in
 * a fresh process, and the median of their speed-ups. Run here on the bench's model with two CPUs
 * (11,210 states), which is quick; what it measures there is start-up, not speed.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAIRS = fileURLToPath(new URL('../../bin/bench-pairs.js', import.meta.url));

function pairs(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [PAIRS, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
    });
  });
}

const ROW = /^(\d+)\s+([\d.]+) s\s+([\d.]+) s\s+([\d.]+)x(.*)$/;

describe('bench:pairs', () => {
  it('runs each pair in turn and prints the median speed-up, noting a run that never started its workers', async () => {
    const r = await pairs(['--pairs', '2', 'nCpus=2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('bench:pairs: 2 pairs of one thread, then 2 workers');
    expect(lines[1]).toBe('pair  one thread  2 workers   speed-up');
    const rows = lines.slice(2, 4).map((l) => ROW.exec(l));
    expect(rows.map((m) => m?.[1])).toEqual(['1', '2']);
    for (const m of rows) {
      // 11,210 states end in the sequential prefix (65,536 states by default).
      expect(m![5]).toBe('  (the run ended in the sequential prefix: no worker started)');
      expect(Number(m![4])).toBeCloseTo(Number(m![2]) / Number(m![3]), 1);
    }
    const ratios = rows.map((m) => Number(m![4]));
    const machine = /^bench:pairs: pairs=2 workers=2 median=([\d.]+) min=([\d.]+) max=([\d.]+)$/.exec(lines[5]!);
    expect(machine).not.toBeNull();
    // Two pairs: the median is their mean.
    expect(Math.abs(Number(machine![1]) - (ratios[0]! + ratios[1]!) / 2)).toBeLessThan(0.011);
    expect(Math.abs(Number(machine![2]) - Math.min(...ratios))).toBeLessThan(0.006);
    expect(Math.abs(Number(machine![3]) - Math.max(...ratios))).toBeLessThan(0.006);
    // The same median, minimum and maximum to two decimals (each rounded from the exact value, so they
    // may differ by one in the last place from the three-decimal ones rounded again).
    const shown = /^median speed-up ([\d.]+)x \(from ([\d.]+)x to ([\d.]+)x\)$/.exec(lines[4]!);
    expect(shown).not.toBeNull();
    for (let i = 1; i <= 3; i++) expect(Math.abs(Number(shown![i]) - Number(machine![i]))).toBeLessThan(0.0051);
    expect(lines).toHaveLength(6);
  });

  it('passes bench arguments to both runs: with --prefix-states 0 the workers explore', async () => {
    const r = await pairs(['--pairs', '1', '--workers', '2', '--prefix-states', '0', 'nCpus=2']);
    expect(r.code).toBe(0);
    const row = ROW.exec(r.stdout.split('\n')[2]!);
    expect(row).not.toBeNull();
    expect(row![5]).toBe('');
    expect(r.stdout).toMatch(/^bench:pairs: pairs=1 workers=2 median=[\d.]+ min=[\d.]+ max=[\d.]+$/m);
  });

  it('refuses its own wrong arguments with exit code 2, and ends with exit code 1 when a bench fails', async () => {
    const [zero, one, store] = await Promise.all([
      pairs(['--pairs', '0']),
      pairs(['--workers', '1']),
      pairs(['--pairs', '1', '--store', 'nope']),
    ]);
    expect([zero.code, zero.stderr]).toEqual([2, 'bench:pairs: --pairs expects a positive integer, got "0"\n']);
    expect(zero.stdout).toBe('');
    expect([one.code, one.stderr]).toEqual([2, 'bench:pairs: --workers expects an integer of at least 2 (the other run of a pair has one thread), got "1"\n']);
    expect([store.code, store.stderr]).toEqual([
      1,
      'bench:pairs: the one-thread bench failed (exit 2): bench: --store expects exact or fingerprint, got "nope"\n',
    ]);
  });
});

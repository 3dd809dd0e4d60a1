/**
 * Symmetry reduction on the command line: on by default when a model declares interchangeable ids,
 * `--no-symmetry` to explore every state, the `Symmetry:` line and `stats.symmetry`, a declaration that
 * is not a symmetry refused as a one-line spec error (exit 4), `kmc list` and `kmc graph`, and traces
 * written under symmetry that `kmc replay` confirms.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

const sym = fixture('symmetric');
const dir = mkdtempSync(join(tmpdir(), 'kmc-symmetry-'));
const both = ['-p', 'racy', '-p', 'test-and-set'];
const invocations = {
  text: ['check', sym, '--continue', '-q'],
  textFull: ['check', sym, '--continue', '-q', '--no-symmetry'],
  json: ['check', sym, '--continue', '-q', '--json'],
  jsonFull: ['check', sym, '--continue', '-q', '--json', '--no-symmetry'],
  fingerprint: ['check', sym, '--continue', '-q', '--store', 'fingerprint'],
  wrong: ['check', sym, '-p', 'favours-zero', '-q'],
  wrongFull: ['check', sym, '-p', 'favours-zero', '-q', '--no-symmetry'],
  throws: ['check', sym, '-p', 'throwing-permute', '-q'],
  compare: ['compare', sym, ...both, '--out', join(dir, 'c'), '-q'],
  compareFull: ['compare', sym, ...both, '--out', join(dir, 'cf'), '-q', '--no-symmetry'],
  compareJson: ['compare', sym, ...both, '--out', join(dir, 'cj'), '-q', '--json'],
  compareWrong: ['compare', sym, '-p', 'zero-reaches', '--out', join(dir, 'cw'), '-q'],
  list: ['list'],
  graph: ['graph', sym],
  allHelp: ['all', '--help'],
  out: ['check', sym, '--continue', '-q', '--out', join(dir, 'out')],
  ptiOut: ['check', 'pti-stack', '-p', 'pti-c-percpu-sleepy', '--continue', '-q', '--out', join(dir, 'out')],
} as const;
type Name = keyof typeof invocations;

describe('kmc and symmetry', () => {
  const runs = {} as Record<Name, Run>;
  let replays: { file: string; run: Run }[] = [];
  beforeAll(async () => {
    const names = Object.keys(invocations) as Name[];
    const results = await kmcAll(names.map((n) => invocations[n]));
    names.forEach((n, i) => (runs[n] = results[i]!));
    // Every counterexample written under symmetry, replayed by `kmc replay` (which knows no symmetry).
    const files = ['symmetric/racy', 'pti-stack/pti-c-percpu-sleepy'].flatMap((d) =>
      readdirSync(join(dir, 'out', d)).filter((f) => f.endsWith('.itf.json')).map((f) => join(dir, 'out', d, f)),
    );
    const done = await kmcAll(files.map((f) => ['replay', f]));
    replays = files.map((file, i) => ({ file, run: done[i]! }));
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const json = (name: Name) => JSON.parse(runs[name].stdout) as Record<string, any>;

  it('reduces by default and says so before the summary; --no-symmetry explores every state', () => {
    expect(runs.text.code).toBe(1);
    const out = lines(runs.text.stdout);
    expect(out.at(-2)).toBe('Symmetry: processes ×3 (6 permutations)');
    expect(out.at(-1)).toMatch(/^42 states generated, 15 distinct states, 0 left in queue, depth 9, /);
    expect(runs.textFull.code).toBe(1);
    expect(runs.textFull.stdout).not.toContain('Symmetry');
    expect(lines(runs.textFull.stdout).at(-1)).toMatch(/^142 states generated, 53 distinct states, 0 left in queue, depth 9, /);
  });

  it('prints the same verdicts and counterexample lengths with and without symmetry', () => {
    const verdicts = (t: string) => lines(t).slice(0, 8);
    expect(verdicts(runs.text.stdout)).toEqual(verdicts(runs.textFull.stdout));
    expect(verdicts(runs.text.stdout).slice(2, 7)).toEqual([
      '  mutual-exclusion  invariant              violated (4 steps)',
      '  owner-in-crit     invariant              holds',
      '  exit-by-owner     action property        violated (5 steps)',
      '  crit-reached      reachability property  holds',
      '  deadlock                                 none found',
    ]);
  });

  it('puts the symmetry in stats.symmetry, null when none was used', () => {
    expect(json('json').stats.symmetry).toEqual({ sets: [{ name: 'processes', size: 3 }], permutations: 6 });
    expect(json('json').stats.distinct).toBe(15);
    expect(json('jsonFull').stats.symmetry).toBeNull();
    expect(json('jsonFull').stats.distinct).toBe(53);
    const lengths = (doc: Record<string, any>) => doc.properties.map((p: any) => [p.name, p.status, p.trace?.length ?? null]);
    expect(lengths(json('json'))).toEqual(lengths(json('jsonFull')));
  });

  it('works with the fingerprint store', () => {
    expect(runs.fingerprint.code).toBe(1);
    expect(runs.fingerprint.stdout).toContain('\nStore: fingerprint, ');
    expect(runs.fingerprint.stdout).toContain('\nSymmetry: processes ×3 (6 permutations)\n');
    expect(lines(runs.fingerprint.stdout).at(-1)).toMatch(/^42 states generated, 15 distinct states, /);
  });

  it('refuses a declaration that is not a symmetry with one line naming the set (exit 4), and runs without it', () => {
    expect(runs.wrong.code).toBe(4);
    expect(runs.wrong.stdout).toBe('');
    expect(runs.wrong.stderr).toBe(
      'kmc: spec error: symmetry processes is not a symmetry of symmetric/favours-zero: action check is not symmetric: ' +
        'a step of it, renumbered, is not a step of the renumbered state (does permute renumber every processes id?)\n',
    );
    expect(runs.wrongFull.code).toBe(1);
    expect(runs.compareWrong.code).toBe(4);
    expect(runs.compareWrong.stderr).toMatch(/^kmc: spec error: symmetry processes is not a symmetry of symmetric\/zero-reaches: reachability property zero-in-crit is not symmetric: [^\n]*\n$/);
  });

  it('reports a permute that throws as a spec error (exit 4)', () => {
    expect(runs.throws.code).toBe(4);
    expect(runs.throws.stdout).toContain('Spec error at Init: storing an initial state: symmetry processes: its permute threw: not written yet\n');
  });

  it('compares proposals alike with and without symmetry, and writes stats.symmetry per proposal', () => {
    expect(runs.compare.code).toBe(0);
    expect(runs.compareFull.code).toBe(0);
    const matrix = (r: Run) => r.stdout.replace(/^Report: .*$/m, '');
    expect(matrix(runs.compare)).toBe(matrix(runs.compareFull));
    expect(json('compareJson').map((r: any) => [r.proposal, r.stats.distinct, r.stats.symmetry.permutations])).toEqual([
      ['racy', 15, 6],
      ['test-and-set', 3, 6],
    ]);
  });

  it('lists each model\'s symmetry at its defaults, and the proposals that drop it', () => {
    expect(runs.list.code).toBe(0);
    const out = lines(runs.list.stdout);
    // The first symmetry line after the model's heading.
    const after = (model: string) => {
      const from = out.findIndex((l) => l.startsWith(`${model} — `));
      return out.slice(from).find((l) => l.startsWith('  symmetry:'));
    };
    expect(after('pkrs-cache')).toBe('  symmetry: CPUs ×2 (none in pkrs-global-rfc, pkrs-global-ipi-rmw, pkrs-global-ipi-rmw-irqoff)');
    expect(after('pti-stack')).toBe('  symmetry: CPUs ×2, tasks ×2');
    expect(after('asi-nesting')).toBe('  symmetry: none');
  });

  it('draws the whole graph, every state and not one per orbit', () => {
    expect(runs.graph.code).toBe(0);
    expect(runs.graph.stdout).toContain('53 states, 141 transitions');
  });

  it('offers --no-symmetry to kmc all', () => {
    expect(runs.allHelp.stdout).toContain('--no-symmetry');
  });

  it('writes counterexamples found under symmetry that kmc replay confirms on concrete states', () => {
    expect([runs.out.code, runs.ptiOut.code]).toEqual([1, 1]);
    expect(replays.map((r) => r.file.slice(dir.length + 5))).toEqual([
      'symmetric/racy/exit-by-owner.itf.json',
      'symmetric/racy/mutual-exclusion.itf.json',
      'pti-stack/pti-c-percpu-sleepy/entry-frame-intact.itf.json',
      'pti-stack/pti-c-percpu-sleepy/no-sleep-on-percpu-stack.itf.json',
      'pti-stack/pti-c-percpu-sleepy/percpu-stack-owned-by-cpu.itf.json',
      'pti-stack/pti-c-percpu-sleepy/sp0-points-to-free-stack.itf.json',
    ]);
    for (const { run } of replays) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('\nVerdict: reproduced\n');
    }
  });
});

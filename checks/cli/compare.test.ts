/**
 * `kmc compare`: the verdict matrix of every proposal, the reports it writes (pinned for the mutex
 * fixture), byte-identical files from two runs, the JSON array, and the exit codes (a violation is a
 * finding, so a completed comparison exits 0).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Map as IMap } from 'immutable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/types.js';
import { renderReportMarkdown } from '../../src/render/report.js';
import type { ReportInput } from '../../src/render/reportData.js';
import { inlineSvg, renderReportHtml } from '../../src/render/reportHtml.js';
import { fixture, hasStack, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every file a comparison of the mutex fixture writes, relative to `<out>/mutex/`, its record included. */
const FILES = ['report.md', 'report.html', '.kmc-written', ...['txt', 'dot', 'svg', 'itf.json'].map((e) => `racy/mutual-exclusion.${e}`)];

describe('kmc compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-compare-'));
  const out = (name: string) => join(dir, name);
  const read = (name: string, file: string) => readFileSync(join(out(name), 'mutex', file), 'utf8');
  let runs: Run[] = [];

  beforeAll(async () => {
    runs = await kmcAll([
      ['compare', fixture('mutex'), '--out', out('a')],
      ['compare', fixture('mutex'), '--out', out('b'), '-q'],
      ['compare', fixture('mutex'), '--out', out('json'), '--json', '-q'],
      ['check', fixture('mutex'), '--continue', '--json', '-q'],
      ['check', fixture('mutex'), '--continue', '--json', '-q', '--proposal', 'test-and-set'],
      ['compare', fixture('mutex'), '--out', out('bad'), '--proposal', 'nope'],
      ['compare', fixture('mutex'), '--out', out('bad'), '--const', 'procs=9'],
      ['compare', 'no-such-model', '--out', out('bad')],
      ['compare', fixture('mutex'), '--out', out('limit'), '--max-states', '3', '-q'],
      ['compare', fixture('throwing'), '--out', out('throw'), '-q'],
      ['compare', fixture('mutex'), '--out', out('one'), '--proposal', 'test-and-set', '-q'],
      ['compare', fixture('mutex'), '--out', out('fp'), '--json', '-q', '--store', 'fingerprint'],
      ['compare', fixture('mutex'), '--out', out('bad'), '--store', 'foo'],
      ['compare', 'src/bench/synthetic.ts', '--out', out('memory'), '--memory', '1', '-q'],
    ]);
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the verdict matrix and exits 0 although a proposal is violated', () => {
    const run = runs[0]!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  proposal      verdict     1   2  dl\n');
    expect(run.stdout).toContain('  racy          violated   X4  ok  ok\n');
    expect(run.stdout).toContain('  test-and-set  holds      ok  ok  ok\n');
    expect(run.stdout).toContain(`Report: ${join(out('a'), 'mutex', 'report.html')}\n`);
    expect(run.stderr).toContain(`kmc: wrote 6 files under ${join(out('a'), 'mutex')}`);
  });

  it('writes report.md as plain text no wider than 100 columns', () => {
    const md = read('a', 'report.md').replaceAll(`kmc ${version}`, 'kmc <version>');
    expect(Math.max(...lines(md).map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(md).toMatchInlineSnapshot(`
      "# kmc compare mutex

      mutex: A flag tested and set in two steps
      Checked by kmc <version>, every proposal against every property, exhaustively.
      Constants: procs=2.

      ## Verdicts

      \`\`\`text
      mutex  (procs=2)

        proposal      verdict     1   2  dl
        racy          violated   X4  ok  ok
        test-and-set  holds      ok  ok  ok

         1  mutual-exclusion [invariant]: at most one process is in its critical section
         2  crit-reached [reachable]: some process enters its critical section
        dl  deadlock: every reachable state that is not terminal has an enabled action

        ok  holds (for a [reachable] property: reached; under dl: no deadlock found)
        Xn  violated: its shortest counterexample has n steps
      \`\`\`

      ## Counterexamples

      ### racy: mutual-exclusion (4 steps)

      Files: racy/mutual-exclusion.{txt,dot,svg,itf.json}

      \`\`\`text
      kmc check mutex --proposal racy  (procs=2)

      Invariant mutual-exclusion is violated: at most one process is in its critical section
        1. Init
             flag = 0
             pcs = [idle, idle]
        2. check(0)
             pcs: [idle, idle] → [set, idle]
        3. check(1)
             pcs: [set, idle] → [set, set]
        4. set(0)
             flag: 0 → 1
             pcs: [set, set] → [crit, set]
        5. set(1)
             pcs: [crit, set] → [crit, crit]
      \`\`\`

      ## Proposals

      - racy: test, then set
        source: the textbook race
        verdict: violated, 13 distinct states, depth 7
      - test-and-set: test and set in one atomic step
        source: the textbook fix
        verdict: holds, 5 distinct states, depth 3

      ## Constants

      - procs = 2  (1..4): processes competing for the flag
      "
    `);
  });

  it('writes the same bytes in every file on a second run', () => {
    for (const f of FILES) expect(read('b', f), f).toBe(read('a', f));
  });

  it('writes one self-contained HTML page whose violated cell links to its counterexample', () => {
    const html = read('a', 'report.html');
    expect(html).toContain('<a href="#cx-racy--mutual-exclusion">violated<br>4 steps</a>');
    expect(html).toContain('<article class="cx" id="cx-racy--mutual-exclusion">');
    expect(html).toMatch(/<figure class="diagram"><svg role="img" [^>]*>/);
    expect(html).toContain(`kmc ${version}`);
    expect(html).not.toMatch(/<script|<link|src="|url\(|https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toContain('<?xml');
  });

  it('prints with --json the array of the results kmc check --json prints', () => {
    const arr = JSON.parse(runs[2]!.stdout) as { stats: { seconds: number } }[];
    const checks = [runs[3]!, runs[4]!].map((r) => JSON.parse(r.stdout) as { stats: { seconds: number } });
    const noTime = (r: { stats: { seconds: number } }) => ({ ...r, stats: { ...r.stats, seconds: 0 } });
    expect(runs[2]!.code).toBe(0);
    expect(arr.map(noTime)).toEqual(checks.map(noTime));
    expect(arr.map((r) => (r as unknown as { verdict: string }).verdict)).toEqual(['violated', 'holds']);
  });

  it('gives the same results with the fingerprint store, apart from the store\'s report', () => {
    const run = runs[11]!;
    expect(run.code).toBe(0);
    type Doc = { stats: { seconds: number; store: { kind: string } } };
    const strip = (r: Doc) => ({ ...r, stats: { ...r.stats, seconds: 0, store: null } });
    const [fp, exact] = [run, runs[2]!].map((r) => JSON.parse(r.stdout) as Doc[]);
    expect(fp!.map((r) => r.stats.store.kind)).toEqual(['fingerprint', 'fingerprint']);
    expect(exact!.map((r) => r.stats.store.kind)).toEqual(['exact', 'exact']);
    expect(fp!.map(strip)).toEqual(exact!.map(strip));
  });

  it('rejects an unknown store, and stops at the memory budget with exit 3', () => {
    expect(runs[12]!.code).toBe(2);
    expect(lines(runs[12]!.stderr)).toEqual(["kmc: error: option '--store <kind>' argument 'foo' is invalid. must be exact or fingerprint"]);
    expect(runs[13]!.code).toBe(3);
    expect(runs[13]!.stdout).toMatch(/\n  baseline  incomplete    \?   \?  ok   \?\n/);
  });

  it('compares only the proposals named with --proposal', () => {
    const run = runs[10]!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  test-and-set  holds     ok  ok  ok\n');
    expect(run.stdout).not.toContain('racy');
  });

  it('rejects an unknown proposal, constant value or model in one line with exit 2', () => {
    const [proposal, constant, model] = [runs[5]!, runs[6]!, runs[7]!];
    expect(lines(proposal.stderr)).toEqual(['kmc: error: unknown proposal "nope" for model mutex; known: racy, test-and-set']);
    expect(constant.stderr).toMatch(/^kmc: error: .*procs.*\n$/);
    expect(model.stderr).toMatch(/^kmc: error: unknown model "no-such-model"/);
    for (const r of [proposal, constant, model]) {
      expect(r.code).toBe(2);
      expect(hasStack(r.stderr)).toBe(false);
      expect(lines(r.stderr)).toHaveLength(1);
    }
  });

  it('exits 3 when a limit stopped a check, and 4 when the model threw', () => {
    expect(runs[8]!.code).toBe(3);
    expect(runs[8]!.stdout).toContain('  racy          incomplete    ?   ?   ?\n');
    expect(runs[9]!.code).toBe(4);
    expect(runs[9]!.stdout).toContain('  guard-throws            error      ?   -   -   ?\n');
  });
});

describe('the compare report renderers', () => {
  const long = 'word '.repeat(40).trim();
  const trace = [
    { action: 'Init', state: IMap({ note: 'short' }) },
    { action: 'grow', state: IMap({ note: long }) },
  ];
  const result: CheckResult = {
    model: 'm<b>',
    proposal: 'p&q',
    constants: { n: 1 },
    verdict: 'violated',
    properties: [{ name: 'inv', kind: 'invariant', claim: 'a < b & "c"', status: 'violated', trace }],
    deadlock: null,
    error: null,
    incomplete: null,
    stats: { generated: 2, distinct: 2, queued: 0, depth: 1, seconds: 0 },
    coverage: [],
    warnings: [],
  };
  const input: ReportInput = {
    model: 'm<b>',
    summary: '<script>alert(1)</script>',
    version: '9',
    proposals: [{ id: 'p&q', summary: 'it\'s "new"', source: '<x@y>' }],
    constants: [{ name: 'n', doc: 'how many', range: '1..2' }],
    results: [result],
  };

  it('wraps a long diff line of report.md at a space, under 100 columns', () => {
    const md = renderReportMarkdown(input);
    expect(Math.max(...lines(md).map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(md.replace(/\n +/g, ' ')).toContain(`[note]: short → "${long}"`);
  });

  it('escapes every text of the model in report.html', () => {
    const html = renderReportHtml(input, new Map([['cx-p_q--inv', '<svg width="1"></svg>']]));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('source: &lt;x@y&gt;');
    expect(html).toContain('<a href="#cx-p_q--inv">violated<br>1 step</a>');
    expect(html).toContain('<article class="cx" id="cx-p_q--inv">');
    expect(html).toContain('<p class="claim">a &lt; b &amp; &quot;c&quot;</p>');
  });

  it('inlines an SVG without its prologue, comments and repeated ids', () => {
    const svg = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x">\n<!-- Generated -->\n<svg width="1"><g id="graph0"></g></svg>\n';
    expect(inlineSvg(svg)).toBe('<svg role="img" width="1"><g></g></svg>');
  });
});

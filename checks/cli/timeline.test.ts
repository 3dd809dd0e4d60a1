/**
 * The nesting timeline as files: `kmc compare` and `kmc check --out` write `<property>.timeline.dot`
 * and `.timeline.svg` next to each counterexample's other files for a model with a view (and none for
 * a model without one, unless a proposal gives it one), the same bytes on a second run, report.html
 * showing each timeline inlined beside its trace diagram, and a view that throws as a spec error.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, kmcAll, type Run, SPAWN_TIMEOUT } from './kmc.js';

/** What pks-thread-only violates at the default bounds: each gets a timeline. */
const VIOLATED = ['pkrs-never-more-permissive', 'pkrs-never-less-permissive', 'exit-restores-entry-pkrs', 'fresh-pkrs-in-handler'];

describe('timeline files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-timeline-'));
  const folder = (run: string) => join(dir, run, 'pkrs-nesting', 'pks-thread-only');
  const read = (run: string, file: string) => readFileSync(join(folder(run), file), 'utf8');
  let runs: Run[] = [];

  beforeAll(async () => {
    const thread = ['pkrs-nesting', '--proposal', 'pks-thread-only'];
    runs = await kmcAll([
      ['compare', ...thread, '--out', join(dir, 'a'), '-q'],
      ['compare', ...thread, '--out', join(dir, 'b'), '-q'],
      ['check', ...thread, '--continue', '--out', join(dir, 'check')],
      ['compare', fixture('mutex'), '--out', join(dir, 'mutex'), '-q'],
      ['check', fixture('mutex-view'), '--out', join(dir, 'drawn'), '-q'],
      ['check', fixture('mutex-broken-view'), '--out', join(dir, 'broken'), '-q'],
    ]);
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <property>.timeline.dot and .timeline.svg beside each counterexample\'s files in kmc compare', () => {
    expect(runs[0]!.code).toBe(0);
    const files = readdirSync(folder('a')).sort();
    const expected = VIOLATED.flatMap((p) => ['txt', 'dot', 'svg', 'itf.json', 'timeline.dot', 'timeline.svg'].map((e) => `${p}.${e}`));
    expect(files).toEqual(expected.sort());
    for (const p of VIOLATED) {
      expect(read('a', `${p}.timeline.dot`)).toMatch(/^digraph "timeline" \{\n/);
      expect(read('a', `${p}.timeline.svg`)).toMatch(/<svg width="\d+pt" height="\d+pt"/);
    }
  });

  it('writes the same bytes on a second run', () => {
    for (const p of VIOLATED) {
      for (const e of ['timeline.dot', 'timeline.svg']) expect(read('b', `${p}.${e}`), `${p}.${e}`).toBe(read('a', `${p}.${e}`));
    }
  });

  it('writes the same timelines from kmc check --out, and counts them among the files it wrote', () => {
    const run = runs[2]!;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kmc: wrote 24 files: /m);
    expect(run.stderr).toContain(`${join(folder('check'), 'fresh-pkrs-in-handler.timeline.svg')}`);
    for (const p of VIOLATED) expect(read('check', `${p}.timeline.dot`)).toBe(read('a', `${p}.timeline.dot`));
  });

  it('shows each timeline in report.html beside its trace diagram, with links to its files', () => {
    const html = readFileSync(join(dir, 'a', 'pkrs-nesting', 'report.html'), 'utf8');
    const article = html.slice(html.indexOf('id="cx-pks-thread-only--fresh-pkrs-in-handler"'));
    expect(article).toMatch(
      /^[^]*?<div class="diagrams">\n<figure class="diagram"><figcaption>Trace[^<]*<\/figcaption><svg role="img" [^]*?<\/svg><\/figure>\n<figure class="diagram timeline"><figcaption>Nesting timeline[^<]*<\/figcaption><svg role="img" [^]*?<title>cluster_c0_4_1<\/title>[^]*?<\/svg><\/figure>\n<\/div>/,
    );
    expect(article).toContain('<a href="pks-thread-only/fresh-pkrs-in-handler.timeline.svg">.timeline.svg</a>');
    expect(html.match(/<figure class="diagram timeline">/g)).toHaveLength(VIOLATED.length);
  });

  it('draws a model without a view of its own once a reviewer\'s proposal file gives it one', () => {
    expect(runs[4]!.code).toBe(1);
    const dot = readFileSync(join(dir, 'drawn', 'mutex', 'racy-drawn', 'mutual-exclusion.timeline.dot'), 'utf8');
    expect(dot).toContain('graph [label=" critical section"');
    expect(dot).toContain('c1_4 [label="proc 1: crit\\l"');
    expect(dot).toContain('g3 [label="flag = 1\\l"');
  });

  it('reports a view that throws as a spec error naming the step, exit 4', () => {
    const run = runs[5]!;
    expect(run.code).toBe(4);
    expect(run.stderr).toBe('kmc: spec error: the timeline view threw at step 4 (set(0)): flag set, no lane for it\n');
  });

  it('writes no timeline for a model without a view', () => {
    expect(runs[3]!.code).toBe(0);
    const racy = join(dir, 'mutex', 'mutex', 'racy');
    expect(readdirSync(racy).sort()).toEqual(['mutual-exclusion.dot', 'mutual-exclusion.itf.json', 'mutual-exclusion.svg', 'mutual-exclusion.txt']);
    expect(existsSync(join(racy, 'mutual-exclusion.timeline.svg'))).toBe(false);
    expect(readFileSync(join(dir, 'mutex', 'mutex', 'report.html'), 'utf8')).not.toContain('class="diagram timeline"');
  });
});

/**
 * `kmc all` (what `npm start` runs) on every built-in model, into a temporary folder: it completes with
 * exit 0, prints one verdict matrix per model, writes an index that links each model's reports, and
 * each report covers every proposal the registry holds for its model, no line of report.md over 100
 * columns. It also clears what an earlier run recorded and no longer writes. About 15 s of checking
 * on an idle machine; the timeouts allow for a loaded one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../../spec/index.js';
import { MANIFEST, renderManifest } from '../../src/cli/outputManifest.js';
import { kmc, lines, type Run } from './kmc.js';

const ALL_TIMEOUT = 280_000;

describe('kmc all --out <dir>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-all-'));
  const read = (...path: string[]) => readFileSync(join(dir, ...path), 'utf8');
  const first = models[0]!.name;
  let run: Run;

  beforeAll(async () => {
    // What an earlier run of a since-removed proposal left, and a reviewer's file next to it.
    mkdirSync(join(dir, first, 'retired-proposal'), { recursive: true });
    writeFileSync(join(dir, first, 'retired-proposal', 'some-property.txt'), 'old\n');
    writeFileSync(join(dir, first, 'retired-proposal.json'), '{}\n');
    writeFileSync(join(dir, first, 'notes.md'), 'mine\n');
    writeFileSync(join(dir, first, MANIFEST), renderManifest(['retired-proposal/some-property.txt', 'retired-proposal.json']));
    run = await kmc(['all', '--out', dir], undefined, ALL_TIMEOUT);
  }, ALL_TIMEOUT + 10_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and says where the results are', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Results are under ${dir}/; open ${join(dir, 'index.html')}.\n`);
  });

  it('prints one verdict matrix per built-in model, in order, each with a row per proposal', () => {
    // A matrix starts with `<model>  (<constants>` (the constants may go on to a second line).
    const titles = lines(run.stdout).filter((l) => /^\S+ {2}\(/.test(l));
    expect(titles.map((l) => l.split(' ')[0])).toEqual(models.map((m) => m.name));
    const blocks = run.stdout.split(/^(?=\S+ {2}\()/m);
    models.forEach((m, i) => {
      const block = blocks[i]!;
      expect(block.startsWith(`${m.name}  (`)).toBe(true);
      for (const p of m.proposals) expect(lines(block).some((l) => l.startsWith(`  ${p.id} `)), `${m.name}/${p.id}`).toBe(true);
      // The same matrix is in matrix.txt and, verbatim, in report.md.
      expect(block.replace(/Results are under[\s\S]*$/, '')).toBe(`${read(m.name, 'matrix.txt')}\n`);
      expect(read(m.name, 'report.md')).toContain(`\`\`\`text\n${read(m.name, 'matrix.txt')}\`\`\``);
    });
  });

  it('writes an index linking every model\'s report.html and report.md, and those files', () => {
    const index = read('index.html');
    for (const m of models) {
      expect(index).toContain(`<a href="${m.name}/report.html">${m.name}</a>`);
      expect(index).toContain(`<a href="${m.name}/report.md">text</a>`);
      expect(existsSync(join(dir, m.name, 'report.html'))).toBe(true);
      expect(existsSync(join(dir, m.name, 'report.md'))).toBe(true);
    }
    expect(index.match(/href="[^"]*\/report\.html"/g)).toHaveLength(models.length);
  });

  it('lists every proposal of the model in each report, and no other', () => {
    for (const m of models) {
      const ids = m.proposals.map((p) => p.id);
      const md = read(m.name, 'report.md');
      const section = md.slice(md.indexOf('\n## Proposals\n'), md.indexOf('\n## Constants\n'));
      expect([...section.matchAll(/^- (\S+): /gm)].map((x) => x[1]), m.name).toEqual(ids);
      const html = read(m.name, 'report.html');
      expect([...html.matchAll(/<dt>([^<]*)<\/dt>/g)].map((x) => x[1]), m.name).toEqual(ids);
      for (const id of ids) expect(html, `${m.name}/${id}`).toContain(`<th scope="row">${id}</th>`);
    }
  });

  it('writes every model\'s report.md no wider than 100 columns', () => {
    for (const m of models) {
      const wide = lines(read(m.name, 'report.md')).filter((l) => [...l].length > 100);
      expect(wide, m.name).toEqual([]);
    }
  });

  it('removes what an earlier run recorded and no longer writes, and only that', () => {
    expect(existsSync(join(dir, first, 'retired-proposal'))).toBe(false);
    expect(existsSync(join(dir, first, 'retired-proposal.json'))).toBe(false);
    expect(read(first, 'notes.md')).toBe('mine\n');
    expect(run.stderr).toContain(`kmc: removed 2 files under ${join(dir, first)} left from an earlier run\n`);
  });
});

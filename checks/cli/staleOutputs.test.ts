/**
 * Stale results: a counterexample that no longer occurs, or a proposal no longer compared, must not leave
 * its files next to a fresh report, and removing them must never touch anything kmc did not write.
 * First through `kmc compare` on the mutex fixture (racy violates mutual exclusion with two processes and
 * not with one), then `replaceOutputs` itself on the cases a command line cannot easily set up.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isContained, MANIFEST, parseManifest, renderManifest, replaceOutputs } from '../../src/cli/outputManifest.js';
import { fixture, kmc, type Run, SPAWN_TIMEOUT } from './kmc.js';

const CX = ['txt', 'dot', 'svg', 'itf.json'].map((e) => `racy/mutual-exclusion.${e}`);

describe('kmc compare removes the files of an earlier run that it does not write again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-stale-'));
  const model = join(dir, 'mutex');
  const at = (rel: string) => join(model, rel);
  /** Files kmc never wrote: a reviewer's notes in and next to the folders kmc writes, and one outside. */
  const USER = ['notes.md', 'racy/notes.txt', 'racy/older-property.txt', 'test-and-set/draft.txt'];
  const compare = (...args: string[]) => kmc(['compare', fixture('mutex'), '--out', dir, ...args]);
  const runs: Record<string, Run> = {};
  const seen: Record<string, string[]> = {};
  const present = () => [...CX, ...USER, 'report.md', 'report.html'].filter((f) => existsSync(at(f)));

  beforeAll(async () => {
    runs.first = await compare('-q');
    seen.first = present();
    seen.record = parseManifest(readFileSync(at(MANIFEST), 'utf8'));
    for (const f of USER) {
      mkdirSync(join(at(f), '..'), { recursive: true });
      writeFileSync(at(f), 'mine\n');
    }
    writeFileSync(join(dir, 'outside.txt'), 'mine\n');
    // A record that names files outside the model's folder (edited by hand, or corrupted) is not obeyed.
    writeFileSync(at(MANIFEST), `${readFileSync(at(MANIFEST), 'utf8')}../outside.txt\n${join(dir, 'outside.txt')}\n`);
    runs.procs1 = await compare('--const', 'procs=1');
    seen.procs1 = present();
    runs.again = await compare('-q');
    seen.again = present();
    for (const f of ['racy/notes.txt', 'racy/older-property.txt']) rmSync(at(f));
    runs.subset = await compare('--proposal', 'test-and-set');
    seen.subset = present();
  }, SPAWN_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records what it wrote, relative to the model folder and sorted', () => {
    expect(runs.first!.code).toBe(0);
    expect(seen.first).toEqual([...CX, 'report.md', 'report.html']);
    expect(seen.record).toEqual([...[...CX].sort(), 'report.html', 'report.md']);
  });

  it('removes a counterexample that no longer occurs, and says so, keeping every file it did not write', () => {
    expect(runs.procs1!.code).toBe(0);
    expect(runs.procs1!.stderr).toContain(`kmc: wrote 2 files under ${model}, removed 4 left from an earlier run\n`);
    expect(seen.procs1).toEqual([...USER, 'report.md', 'report.html']);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(at('report.md'), 'utf8')).toContain('None: no property is violated');
  });

  it('writes the counterexample again when it comes back', () => {
    expect(runs.again!.code).toBe(0);
    expect(seen.again).toEqual([...CX, ...USER, 'report.md', 'report.html']);
  });

  it('removes the files of a proposal no longer compared, and its folder once that is empty', () => {
    expect(runs.subset!.code).toBe(0);
    expect(runs.subset!.stderr).toContain(`kmc: wrote 2 files under ${model}, removed 4 left from an earlier run\n`);
    expect(seen.subset).toEqual(['notes.md', 'test-and-set/draft.txt', 'report.md', 'report.html']);
    expect(existsSync(at('racy'))).toBe(false);
    expect(existsSync(join(dir, 'outside.txt'))).toBe(true);
  });
});

describe('replaceOutputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x\n');
    return path;
  };

  it('accepts only paths strictly inside the folder, never the record itself', () => {
    expect(['a.txt', 'p/q.svg', './p/q.svg', 'p/../q.txt'].map(isContained)).toEqual([true, true, true, true]);
    const outside = ['', '.', '..', '../x', 'p/../../x', '/etc/passwd', MANIFEST, `./${MANIFEST}`, 'a\0b'];
    expect(outside.filter(isContained)).toEqual([]);
  });

  it('writes a record that depends only on the set of files', () => {
    expect(renderManifest(['b', 'a/c', 'b'])).toBe(renderManifest(['a/c', 'b']));
    expect(parseManifest(renderManifest(['b', 'a/c']))).toEqual(['a/c', 'b']);
  });

  it('does not follow a folder that became a link to somewhere else, nor remove what is no longer a file', () => {
    const model = join(dir, 'linked');
    const elsewhere = join(dir, 'elsewhere');
    replaceOutputs(model, [put(join(model, 'p', 'cx.txt')), put(join(model, 'q', 'cx.txt')), put(join(model, 'r.txt'))]);
    rmSync(join(model, 'p'), { recursive: true });
    put(join(elsewhere, 'cx.txt'));
    symlinkSync(elsewhere, join(model, 'p'));
    rmSync(join(model, 'r.txt'));
    mkdirSync(join(model, 'r.txt'));
    expect(replaceOutputs(model, [])).toEqual([join(model, 'q', 'cx.txt')]);
    expect(existsSync(join(elsewhere, 'cx.txt'))).toBe(true);
    expect(existsSync(join(model, 'r.txt'))).toBe(true);
    expect(existsSync(join(model, 'q'))).toBe(false);
    expect(existsSync(model)).toBe(true);
  });

  it('removes nothing on a first run, when there is no record', () => {
    const model = join(dir, 'first');
    const old = put(join(model, 'p', 'old.txt'));
    expect(replaceOutputs(model, [put(join(model, 'report.md'))])).toEqual([]);
    expect(existsSync(old)).toBe(true);
    expect(readFileSync(join(model, MANIFEST), 'utf8')).toBe(renderManifest(['report.md']));
  });
});

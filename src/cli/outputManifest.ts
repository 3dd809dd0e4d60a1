/**
 * Stale results: `kmc compare` (and `kmc all`) rewrite `<out>/<model>/` on every run, but a counterexample
 * that no longer occurs, or a proposal no longer compared, writes no file to replace the old one, and a
 * stale `<proposal>/<property>.txt` next to a fresh report reads as a finding. So each run records the
 * files it wrote in `<out>/<model>/.kmc-written`, and the next run removes those it did not write again.
 *
 * Only files named in that record are ever removed, and only while they are still plain files inside
 * the model's folder: a path that climbs out of it (or reaches out through a symbolic link to a folder), a
 * file replaced by a link or a folder, and anything the record does not name (a reviewer's notes, the
 * output of `kmc check --out`, files from before kmc kept the record) are left alone. A folder is removed
 * only when removing a recorded file left it empty.
 */
import { lstatSync, readFileSync, realpathSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { writeText } from './artifacts.js';

/** The record's name: hidden, so it cannot clash with a proposal's `<proposal>.txt` or folder. */
export const MANIFEST = '.kmc-written';

const HEADER = '# Files kmc wrote in this folder on its last run; the next run removes those it does not rewrite.';

/** The record's text: the header, then the paths relative to the folder, `/`-separated and sorted. */
export function renderManifest(paths: readonly string[]): string {
  return `${[HEADER, ...[...new Set(paths)].sort()].join('\n')}\n`;
}

/** The paths a record names, without its comments and blank lines. */
export function parseManifest(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

/** Whether a recorded path names a file strictly inside the folder (not the record itself). */
export function isContained(path: string): boolean {
  if (path === '' || isAbsolute(path) || path.includes('\0')) return false;
  const norm = posix.normalize(path);
  return norm !== '.' && norm !== MANIFEST && !norm.split('/').includes('..');
}

/**
 * After a run wrote `written` (paths as written, under `dir`): removes what the previous run recorded
 * and this one did not write, then records `written`. Returns the removed files' paths, sorted.
 */
export function replaceOutputs(dir: string, written: readonly string[]): string[] {
  const now = written.map((p) => relative(dir, p).split(sep).join('/'));
  const keep = new Set(now);
  const removed = previous(dir)
    .filter((p) => !keep.has(p) && isContained(p))
    .sort()
    .filter((p) => removeRecorded(dir, p));
  writeText(join(dir, MANIFEST), renderManifest(now.filter(isContained)));
  return removed.map((p) => join(dir, p));
}

/** The previous run's record; none (a first run, or results from before the record) removes nothing. */
function previous(dir: string): string[] {
  try {
    return parseManifest(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return [];
  }
}

/** Removes one recorded file if it is still a plain file inside `dir`, then the folders it leaves empty. */
function removeRecorded(dir: string, rel: string): boolean {
  const path = join(dir, rel);
  try {
    if (!lstatSync(path).isFile()) return false;
    // A folder on the way may have become a link since: never follow one out of the model's folder.
    const root = realpathSync(dir);
    const folder = realpathSync(dirname(path));
    if (folder !== root && !folder.startsWith(root + sep)) return false;
    unlinkSync(path);
  } catch {
    return false;
  }
  for (let d = dirname(path); relative(dir, d) !== '' && !relative(dir, d).startsWith('..'); d = dirname(d)) {
    try {
      rmdirSync(d); // only succeeds on an empty folder
    } catch {
      break;
    }
  }
  return true;
}

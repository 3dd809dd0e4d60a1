/**
 * `kmc all` (what `npm start` runs): `kmc compare` on every built-in model at default constants, each
 * model's verdict matrix printed, its reports and counterexamples written under `out/<model>/` next to
 * each check's text and JSON, and `out/index.html` linking every report. Each model's folder then holds
 * this run's files only: what an earlier run wrote there and this one did not is removed. Models that
 * declare interchangeable ids are checked with symmetry reduction unless `--no-symmetry` is given.
 */
import { join } from 'node:path';
import { models } from '../../spec/index.js';
import { resultToJson } from '../render/json.js';
import { renderMatrix } from '../render/matrix.js';
import { type IndexEntry, renderReportIndex } from '../render/reportIndex.js';
import { renderCheck } from '../render/text.js';
import { writeText } from './artifacts.js';
import type { Io } from './commands.js';
import { compareExitCode, compareModel } from './compare.js';
import { EXIT } from './exitCode.js';
import { replaceOutputs } from './outputManifest.js';

export interface AllFlags {
  readonly out: string;
  /** false with `--no-symmetry`. */
  readonly symmetry?: boolean;
  readonly workers?: number;
  readonly prefixStates?: number;
}

export async function allCommand(all: AllFlags, io: Io, version: string): Promise<number> {
  const outDir = all.out;
  let code: number = EXIT.holds;
  const entries: IndexEntry[] = [];
  for (const m of models) {
    const parallel = { ...(all.workers !== undefined ? { workers: all.workers } : {}), ...(all.prefixStates !== undefined ? { prefixStates: all.prefixStates } : {}) };
    const flags = { proposal: [], const: [], out: outDir, quiet: false, symmetry: all.symmetry !== false, ...parallel };
    const { input, written } = await compareModel({ spec: m }, { flags, io, version, source: m.name });
    const dir = join(outDir, m.name);
    const files = [...written];
    for (const r of input.results) {
      // `stats.seconds` differs between two runs, and `stats.workers` between two machines: keep the files
      // identical.
      const { workers: _workers, ...stats } = r.stats;
      const untimed = { ...r, stats: { ...stats, seconds: 0 } };
      files.push(writeText(join(dir, `${r.proposal}.json`), `${JSON.stringify(resultToJson(untimed), null, 2)}\n`));
      files.push(writeText(join(dir, `${r.proposal}.txt`), renderCheck(untimed)));
    }
    const matrix = renderMatrix(input.results);
    files.push(writeText(join(dir, 'matrix.txt'), matrix));
    const removed = replaceOutputs(dir, files);
    if (removed.length) io.err.write(`kmc: removed ${removed.length} files under ${dir} left from an earlier run\n`);
    io.out(`${matrix}\n`);
    entries.push({ model: m.name, summary: m.summary, results: input.results });
    code = worse(code, compareExitCode(input.results));
  }
  writeText(join(outDir, 'index.html'), renderReportIndex(entries, version));
  if (models.length === 0) io.out('(no built-in models)\n');
  io.out(`Results are under ${outDir}/; open ${join(outDir, 'index.html')}.\n`);
  return code;
}

/** A spec error outranks an incomplete run, which outranks a complete one. */
function worse(a: number, b: number): number {
  const rank = (c: number) => (c === EXIT.specError ? 2 : c === EXIT.incomplete ? 1 : 0);
  return rank(b) > rank(a) ? b : a;
}

/**
 * `kmc all` (what `npm start` runs): every proposal of every built-in model against every property, at
 * default constants, with the verdict matrices printed and each result written under `out/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { models } from '../../spec/index.js';
import type { CheckResult } from '../engine/types.js';
import { resultToJson } from '../render/json.js';
import { renderMatrix } from '../render/matrix.js';
import { renderCheck } from '../render/text.js';
import { type Io, resolveOrSpecError, run } from './commands.js';
import { EXIT } from './exitCode.js';

export function allCommand(outDir: string, io: Io): number {
  let code: number = EXIT.holds;
  for (const m of models) {
    const results: CheckResult[] = [];
    for (const p of m.proposals) {
      const r = run(resolveOrSpecError(m, { proposal: p.id }), { quiet: false, continue: true }, io);
      results.push(r);
      const dir = join(outDir, m.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${p.id}.json`), `${JSON.stringify(resultToJson({ ...r, stats: { ...r.stats, seconds: 0 } }), null, 2)}\n`);
      writeFileSync(join(dir, `${p.id}.txt`), renderCheck(r));
      if (r.verdict === 'error') code = EXIT.specError;
      else if (r.verdict === 'incomplete' && code === EXIT.holds) code = EXIT.incomplete;
    }
    const matrix = renderMatrix(results);
    writeFileSync(join(outDir, m.name, 'matrix.txt'), matrix);
    io.out(`${matrix}\n`);
  }
  if (models.length === 0) io.out('(no built-in models)\n');
  io.out(`Results are under ${outDir}/.\n`);
  return code;
}

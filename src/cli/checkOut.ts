/**
 * `kmc check <model> --out <dir>`: the ordinary check, printed as usual, and then every counterexample
 * written to files (text, DOT, SVG, ITF) for a review thread. It repeats `checkCommand`'s few lines of
 * resolve-and-run because that handler returns only the exit code, and the files need the result.
 */
import { resultToJson } from '../render/json.js';
import { renderCheck } from '../render/text.js';
import { writeArtifacts } from './artifacts.js';
import { type Io, resolveOrSpecError, run } from './commands.js';
import { exitCodeOf } from './exitCode.js';
import { loadModel } from './load.js';
import { type CheckFlags, parseAssignments } from './options.js';

export interface CheckOutFlags extends CheckFlags {
  readonly out: string;
}

export async function checkOutCommand(modelArg: string, flags: CheckOutFlags, io: Io, version: string): Promise<number> {
  const loaded = await loadModel(modelArg);
  const model = resolveOrSpecError(loaded.spec, {
    ...(flags.proposal !== undefined ? { proposal: flags.proposal } : {}),
    constants: parseAssignments(flags.const),
    properties: flags.property,
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
  const result = run(model, flags, io);
  io.out(flags.json ? `${JSON.stringify(resultToJson(result), null, 2)}\n` : renderCheck(result, { coverage: flags.coverage === true }));
  const written = await writeArtifacts(result, { dir: flags.out, version, source: modelArg });
  if (!flags.quiet && written.length > 0) io.err.write(`kmc: wrote ${written.length} files: ${written.join(', ')}\n`);
  return exitCodeOf(result.verdict);
}

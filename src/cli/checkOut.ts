/**
 * `kmc check <model> --out <dir>`: the ordinary check, printed as usual, and then every counterexample
 * written to files (text, DOT, SVG, ITF) for a review thread.
 */
import { writeArtifacts } from './artifacts.js';
import { checkAndPrint, type Io } from './commands.js';
import { exitCodeOf } from './exitCode.js';
import type { CheckFlags } from './options.js';

export interface CheckOutFlags extends CheckFlags {
  readonly out: string;
}

export async function checkOutCommand(modelArg: string, flags: CheckOutFlags, io: Io, version: string): Promise<number> {
  const result = await checkAndPrint(modelArg, flags, io);
  const written = await writeArtifacts(result, { dir: flags.out, version, source: modelArg });
  if (!flags.quiet && written.length > 0) io.err.write(`kmc: wrote ${written.length} files: ${written.join(', ')}\n`);
  return exitCodeOf(result.verdict);
}

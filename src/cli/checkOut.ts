/**
 * `kmc check <model> --out <dir>`: the ordinary check, printed as usual, and then every counterexample
 * written to files (text, DOT, SVG, ITF, and the nesting timeline when the model has a view) for a
 * review thread.
 */
import { boundView, writeArtifacts } from './artifacts.js';
import { checkAndPrint, type Io } from './commands.js';
import { exitCodeOf } from './exitCode.js';
import type { CheckFlags } from './options.js';

export interface CheckOutFlags extends CheckFlags {
  readonly out: string;
}

export async function checkOutCommand(modelArg: string, flags: CheckOutFlags, io: Io, version: string): Promise<number> {
  const { result, model } = await checkAndPrint(modelArg, flags, io);
  const view = boundView(model);
  const written = await writeArtifacts(result, { dir: flags.out, version, source: modelArg, ...(view ? { view } : {}) });
  if (!flags.quiet && written.length > 0) io.err.write(`kmc: wrote ${written.length} files: ${written.join(', ')}\n`);
  return exitCodeOf(result.verdict);
}

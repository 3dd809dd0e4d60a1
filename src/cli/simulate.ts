/**
 * `kmc simulate <model>`: random walks checking every property at every step, for bounds beyond
 * exhaustive reach. Load, resolve, simulate, print (text or JSON), and with `--out` write each
 * counterexample's files as `kmc check --out` does, so that `kmc replay` can confirm them.
 *
 * Exit codes follow the verdict: 1 a violation or deadlock, 4 a spec error, and 3 otherwise: random
 * walks that found nothing are never a proof, so a simulation never exits 0.
 */
import { simulate } from '../engine/simulate.js';
import type { SimulationResult } from '../engine/simulation.js';
import { simulationToJson } from '../render/simulateJson.js';
import { renderSimulation, simulationFindings, simulationTitle } from '../render/simulateText.js';
import type { ResolvedModel } from '../resolve.js';
import { writeFindings } from './artifacts.js';
import { type Io, resolveOrSpecError } from './commands.js';
import { exitCodeOf } from './exitCode.js';
import { loadModel } from './load.js';
import { parseAssignments } from './options.js';
import { Progress } from './progress.js';

/** The defaults, documented in the README: the default run is the same every time. */
export const SIMULATE_DEFAULTS = { depth: 100, runs: 1000, seed: 1 } as const;

export interface SimulateFlags {
  readonly proposal?: string;
  readonly const: string[];
  readonly preset?: string;
  readonly property: string[];
  readonly depth: number;
  readonly runs: number;
  readonly seed: number;
  readonly continue?: boolean;
  readonly deadlock: boolean;
  readonly timeout?: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly out?: string;
}

export async function simulateCommand(modelArg: string, flags: SimulateFlags, io: Io, version: string): Promise<number> {
  const loaded = await loadModel(modelArg);
  const constants = parseAssignments(flags.const);
  const model = resolveOrSpecError(loaded.spec, {
    ...(flags.proposal !== undefined ? { proposal: flags.proposal } : {}),
    constants,
    ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
    properties: flags.property,
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
  const result = run(model, flags, io);
  const text = { reproduce: reproduceCommand(modelArg, model, constants, flags) };
  io.out(flags.json ? `${JSON.stringify(simulationToJson(result), null, 2)}\n` : renderSimulation(result, text));
  if (flags.out !== undefined) {
    const set = { ...result, title: simulationTitle(result), findings: simulationFindings(result, text) };
    const written = await writeFindings(set, { dir: flags.out, version, source: modelArg });
    if (!flags.quiet && written.length > 0) io.err.write(`kmc: wrote ${written.length} files: ${written.join(', ')}\n`);
  }
  return exitCodeOf(result.verdict);
}

function run(model: ResolvedModel, flags: SimulateFlags, io: Io): SimulationResult {
  const progress = flags.quiet ? null : new Progress(io.err);
  const result = simulate(
    model,
    {
      runs: flags.runs,
      depth: flags.depth,
      seed: flags.seed,
      deadlock: flags.deadlock,
      continueAfterViolation: flags.continue === true,
      ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
    },
    { progress: (p) => progress?.show(p.seconds, () => `kmc: ${p.runs} of ${flags.runs} runs done, ${p.steps} steps`) },
  );
  progress?.done();
  return result;
}

/**
 * The command line that makes one run again given its seed: every option that changes what a walk does
 * or where it stops (model, proposal, constants, properties, depth, --continue, --no-deadlock), without
 * `--seed` and `--runs`, which the report adds per finding.
 */
export function reproduceCommand(
  modelArg: string,
  model: ResolvedModel,
  constants: Readonly<Record<string, string>>,
  flags: SimulateFlags,
): string {
  const args = ['kmc', 'simulate', modelArg, '--proposal', model.proposal];
  if (flags.preset !== undefined) args.push('--preset', flags.preset);
  for (const [name, value] of Object.entries(constants)) args.push('--const', `${name}=${value}`);
  for (const p of flags.property) args.push('--property', p);
  args.push('--depth', String(flags.depth));
  if (flags.continue) args.push('--continue');
  if (!flags.deadlock) args.push('--no-deadlock');
  return args.map(shellWord).join(' ');
}

/** A word as a POSIX shell reads it back: as it is when that is safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

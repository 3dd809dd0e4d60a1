/**
 * `kmc graph <model>`: the whole reachable state graph of a small configuration as DOT (or SVG), as TLC's
 * `-dump dot` does. Only for small configurations: above `--max-states` states it refuses with a usage
 * error rather than drawing something no one can read.
 */
import { stateGraph } from '../engine/graph.js';
import { UsageError } from '../errors.js';
import { renderGraphDot } from '../render/graphDot.js';
import { renderSvg } from '../render/svg.js';
import { writeText } from './artifacts.js';
import { type Io, resolveOrSpecError } from './commands.js';
import { EXIT } from './exitCode.js';
import { loadModel } from './load.js';
import { parseAssignments } from './options.js';

/** The default `--max-states`: a few hundred states is about what a diagram can still show. */
export const GRAPH_MAX_STATES = 500;

export interface GraphFlags {
  readonly proposal?: string;
  readonly const: string[];
  readonly preset?: string;
  readonly maxStates?: number;
  /** A file to write to instead of stdout. */
  readonly out?: string;
  readonly svg?: boolean;
}

export async function graphCommand(modelArg: string, flags: GraphFlags, io: Io): Promise<number> {
  const loaded = await loadModel(modelArg);
  const model = resolveOrSpecError(loaded.spec, {
    ...(flags.proposal !== undefined ? { proposal: flags.proposal } : {}),
    constants: parseAssignments(flags.const),
    ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
  const maxStates = flags.maxStates ?? GRAPH_MAX_STATES;
  const outcome = stateGraph(model, { maxStates });
  if (outcome.kind === 'too-large') {
    throw new UsageError(
      `${model.model}/${model.proposal} has more than ${maxStates} states; ` +
        'kmc graph is for small configurations (lower the constants, or raise --max-states)',
    );
  }
  const dot = renderGraphDot(outcome.graph);
  const text = flags.svg ? await renderSvg(dot) : dot;
  if (flags.out !== undefined) writeText(flags.out, text);
  else io.out(text);
  return EXIT.holds;
}

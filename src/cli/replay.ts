/**
 * `kmc replay <trace.itf.json>`: re-runs a stored trace's step labels on a model, by default the model and
 * proposal the trace was recorded on, or with `--proposal` another proposal of the same model: "does
 * proposal B block proposal A's counterexample, and where?". Exit 0 when the trace replays and shows its
 * finding again; 1 when it does not (a finding about the design, not an error); 2 for a bad file or name.
 */
import { replay, type Finding } from '../engine/replay.js';
import { UsageError } from '../errors.js';
import { itfVars } from '../render/itf.js';
import { renderReplay, replayVerdict } from '../render/replay.js';
import type { ResolvedModel } from '../resolve.js';
import { type Io, resolveOrSpecError } from './commands.js';
import { EXIT } from './exitCode.js';
import { canonicalJson, type ItfTraceFile, readItfTrace } from './itfRead.js';
import { loadModel } from './load.js';

export interface ReplayFlags {
  readonly proposal?: string;
  /** A built-in model name or a model/proposal file, instead of the one the trace names. */
  readonly model?: string;
}

export async function replayCommand(file: string, flags: ReplayFlags, io: Io): Promise<number> {
  const trace = readItfTrace(file);
  const model = await modelFor(trace, flags);
  const finding = findingOf(trace, model);
  const init = initialIndex(model, trace);
  if (init === null) {
    io.out(`kmc replay ${file}: the recorded initial state is none of the initial states of ${model.model}/${model.proposal}.\n`);
    io.out('\nVerdict: does not replay\n');
    return EXIT.violated;
  }
  const outcome = replay(model, { init, labels: trace.labels.slice(1), finding });
  const firstDifferent = outcome.steps.findIndex((s, i) => !sameState(s.state, trace.states[i]));
  io.out(
    renderReplay({
      file,
      model: model.model,
      proposal: model.proposal,
      constants: model.constants,
      ...(trace.proposal !== undefined ? { recordedProposal: trace.proposal } : {}),
      finding: { name: finding.name, kind: finding.kind, claim: 'claim' in finding ? finding.claim : '' },
      labels: trace.labels,
      outcome,
      firstDifferent: firstDifferent < 0 ? null : firstDifferent,
    }),
  );
  return replayVerdict(outcome) === 'reproduced' ? EXIT.holds : EXIT.violated;
}

/** The model to replay on, with the trace's constants; a name that does not resolve is a usage error. */
async function modelFor(trace: ItfTraceFile, flags: ReplayFlags): Promise<ResolvedModel> {
  const arg = flags.model ?? trace.source ?? trace.model;
  if (arg === undefined) throw new UsageError(`${trace.path} does not name its model; give one with --model <name-or-file>`);
  let loaded;
  try {
    loaded = await loadModel(arg);
  } catch (e) {
    if (!(e instanceof UsageError) || flags.model !== undefined) throw e;
    throw new UsageError(`${e.message} (the model ${trace.path} names; give another with --model <name-or-file>)`);
  }
  const proposal = flags.proposal ?? trace.proposal;
  const constants = Object.fromEntries(Object.entries(trace.constants).map(([k, v]) => [k, String(v)]));
  return resolveOrSpecError(loaded.spec, {
    ...(proposal !== undefined ? { proposal } : {}),
    constants,
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
}

/** The property (or deadlock) the trace is evidence of, looked up in the model it is replayed on. */
function findingOf(trace: ItfTraceFile, model: ResolvedModel): Finding {
  if (trace.kind === 'deadlock' || (trace.kind === undefined && trace.property === 'deadlock')) {
    return { kind: 'deadlock', name: 'deadlock' };
  }
  if (trace.property === undefined) throw new UsageError(`${trace.path} does not say which property it violates ("#meta".property)`);
  const p = model.properties.find((q) => q.name === trace.property);
  if (!p) {
    const known = model.properties.map((q) => q.name).join(', ') || '(none)';
    throw new UsageError(`proposal ${model.proposal} of ${model.model} has no property "${trace.property}"; known: ${known}`);
  }
  return p;
}

/** Which initial state the trace starts from: the one equal to its first state, or the only one. */
function initialIndex(model: ResolvedModel, trace: ItfTraceFile): number | null {
  const i = model.init.findIndex((s) => sameState(s, trace.states[0]));
  if (i >= 0) return i;
  return model.init.length === 1 ? 0 : null;
}

function sameState(state: unknown, recorded: unknown): boolean {
  return recorded !== undefined && canonicalJson(itfVars(state)) === canonicalJson(recorded);
}

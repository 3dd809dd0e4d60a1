/**
 * Command handlers: resolve → explore → render → write. Each returns its exit code; only `main.ts`
 * turns errors into messages.
 */
import { bindSymmetry } from '../engine/symmetry.js';
import { exploreParallel, type ModelSource } from '../engine/parallel/exploreParallel.js';
import type { CheckResult } from '../engine/types.js';
import type { AnyModelSpec, ConstantDecl } from '../model.js';
import { resultToJson } from '../render/json.js';
import { renderCheck } from '../render/text.js';
import { resolveModel, type ResolvedModel } from '../resolve.js';
import { SpecError } from '../errors.js';
import { models } from '../../spec/index.js';
import { exitCodeOf } from './exitCode.js';
import { loadModel } from './load.js';
import { checkOptionsOf, defaultWorkers, parseAssignments, type CheckFlags } from './options.js';
import { Progress } from './progress.js';

export interface Io {
  out(text: string): void;
  err: { readonly isTTY: boolean; write(text: string): void };
}

export async function checkCommand(modelArg: string, flags: CheckFlags, io: Io): Promise<number> {
  return exitCodeOf((await checkAndPrint(modelArg, flags, io)).result.verdict);
}

/** A finished check: its result, and the model it ran (whose view draws the timelines of `--out`). */
export interface Checked {
  readonly result: CheckResult;
  readonly model: ResolvedModel;
}

/** `kmc check`'s work: load, resolve, explore, print; the result and the model are returned for `--out`. */
export async function checkAndPrint(modelArg: string, flags: CheckFlags, io: Io): Promise<Checked> {
  const loaded = await loadModel(modelArg);
  const request = {
    ...(flags.proposal !== undefined ? { proposal: flags.proposal } : {}),
    constants: parseAssignments(flags.const),
    ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
    properties: flags.property,
  };
  const model = resolveOrSpecError(loaded.spec, { ...request, ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}) });
  const result = await run(model, flags, io, { arg: modelArg, ...request });
  io.out(flags.json ? `${JSON.stringify(resultToJson(result), null, 2)}\n` : renderCheck(result, { coverage: flags.coverage === true }));
  return { result, model };
}

/** Builds the model; a spec whose `build` or `patch` throws is a spec error, not a crash. */
export function resolveOrSpecError(spec: AnyModelSpec, req: Parameters<typeof resolveModel>[1]): ResolvedModel {
  try {
    return resolveModel(spec, req);
  } catch (e) {
    if (e instanceof Error && (e.name === 'UsageError' || e.name === 'SpecError')) throw e;
    throw new SpecError(`model ${spec.name} threw while being built: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Explores `model` with the flags' options on `--workers` threads; `source` is how a worker thread finds
 * the same model (what the command line named, with the same proposal and constants).
 */
export async function run(
  model: ResolvedModel,
  flags: Pick<CheckFlags, 'quiet'> & Partial<CheckFlags>,
  io: Io,
  source: ModelSource,
): Promise<CheckResult> {
  const progress = flags.quiet ? null : new Progress(io.err);
  const opts = checkOptionsOf({ const: [], property: [], deadlock: true, ...flags });
  const parallel = { workers: flags.workers ?? defaultWorkers(), ...(flags.prefixStates !== undefined ? { prefixStates: flags.prefixStates } : {}) };
  try {
    return await exploreParallel(model, source, opts, parallel, { progress: (s) => progress?.update(s) });
  } finally {
    progress?.done();
  }
}

/** `kmc list`: every model, its proposals, properties and constants. */
export function listCommand(io: Io): number {
  const lines: string[] = [];
  for (const m of models) {
    lines.push(`${m.name} — ${m.summary}`);
    lines.push('  constants:');
    for (const [name, d] of Object.entries(m.constants as Record<string, ConstantDecl>)) {
      lines.push(`    ${name} = ${String(d.default)}  (${rangeText(d)})  ${d.doc}`);
    }
    const presets = Object.entries(m.presets ?? {}) as [string, { summary: string; constants: object }][];
    if (presets.length > 0) lines.push('  presets:');
    for (const [name, pr] of presets) {
      const values = Object.entries(pr.constants).map(([c, v]) => `${c}=${String(v)}`).join(' ');
      lines.push(`    ${name}: ${values} — ${pr.summary}`);
    }
    lines.push('  proposals:');
    for (const p of m.proposals) lines.push(`    ${p.id}${p.id === m.baseline ? ' (baseline)' : ''} — ${p.summary}`);
    const base = resolveOrSpecError(m, {});
    lines.push(`  symmetry: ${symmetryText(m, base)}`);
    lines.push('  properties:');
    for (const p of base.properties) lines.push(`    ${p.name} [${p.kind}] — ${p.claim}`);
    lines.push('');
  }
  if (models.length === 0) lines.push('(no built-in models)');
  io.out(lines.join('\n') + '\n');
  return 0;
}

/**
 * The baseline's sets of interchangeable ids with their sizes at the defaults, and the proposals whose
 * symmetry differs: `CPUs ×2 (none in pkrs-global-rfc, …)`.
 */
function symmetryText(m: AnyModelSpec, base: ResolvedModel): string {
  const text = (r: ResolvedModel) => {
    const sets = bindSymmetry(r)?.report.sets ?? [];
    return sets.length ? sets.map((x) => `${x.name} ×${x.size}`).join(', ') : 'none';
  };
  const own = text(base);
  const others = new Map<string, string[]>();
  for (const p of m.proposals) {
    const t = text(resolveOrSpecError(m, { proposal: p.id }));
    if (t !== own) others.set(t, [...(others.get(t) ?? []), p.id]);
  }
  const rest = [...others].map(([t, ids]) => `${t} in ${ids.join(', ')}`);
  return rest.length ? `${own} (${rest.join('; ')})` : own;
}

/** A constant's range as `kmc list` shows it: `1..4`, `a|b`, `true|false`. */
export function rangeText(d: ConstantDecl): string {
  if (d.kind === 'int') return `${d.min}..${d.max}`;
  if (d.kind === 'enum') return d.values.join('|');
  return 'true|false';
}

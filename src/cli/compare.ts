/**
 * `kmc compare <model>`: every proposal (or those named) checked against every property, exhaustively,
 * so that each violated property gets its own shortest counterexample; the verdict matrix on stdout, and
 * under `<out>/<model>/` the report for the mailing list (`report.md`), the one-page report for a review
 * (`report.html`, each counterexample with its trace diagram and, when the model has a view, its
 * nesting timeline) and each counterexample's files. A violation is a finding, not a failure of the
 * comparison: the exit code says only whether the run completed (0), stopped at a limit (3) or met a
 * spec error (4). Files an earlier run wrote there and this one did not are removed (`outputManifest.ts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult, StoreKind } from '../engine/types.js';
import { UsageError } from '../errors.js';
import type { ConstantDecl, Constants, Proposal, TimelineSnapshot } from '../model.js';
import { resultToJson } from '../render/json.js';
import { renderMatrix } from '../render/matrix.js';
import { renderReportMarkdown } from '../render/report.js';
import type { ReportInput } from '../render/reportData.js';
import { reportFindings } from '../render/reportData.js';
import { renderReportHtml } from '../render/reportHtml.js';
import { boundView, writeArtifacts, writeText } from './artifacts.js';
import { type Io, rangeText, resolveOrSpecError, run } from './commands.js';
import { EXIT } from './exitCode.js';
import { type LoadedModel, loadModel } from './load.js';
import { parseAssignments } from './options.js';
import { replaceOutputs } from './outputManifest.js';

export interface CompareFlags {
  readonly proposal: string[];
  readonly const: string[];
  readonly preset?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeout?: number;
  readonly store?: StoreKind;
  readonly memory?: number;
  /** false with `--no-symmetry`. */
  readonly symmetry?: boolean;
  readonly workers?: number;
  readonly prefixStates?: number;
}

/** What a comparison produced: the report's data and every file written. */
export interface Comparison {
  readonly input: ReportInput;
  readonly written: readonly string[];
}

export async function compareCommand(modelArg: string, flags: CompareFlags, io: Io, version: string): Promise<number> {
  const loaded = await loadModel(modelArg);
  const { input, written } = await compareModel(loaded, { flags, io, version, source: modelArg });
  const dir = join(flags.out, input.model);
  const removed = replaceOutputs(dir, written);
  if (flags.json) io.out(`${JSON.stringify(input.results.map(resultToJson), null, 2)}\n`);
  else io.out(`${renderMatrix(input.results)}\nReport: ${join(dir, 'report.html')}\n`);
  if (!flags.quiet) io.err.write(`kmc: wrote ${written.length} files under ${dir}${removedText(removed)}\n`);
  return compareExitCode(input.results);
}

/** `, removed 4 left from an earlier run`: said, so that a file that disappears is no surprise. */
function removedText(removed: readonly string[]): string {
  return removed.length ? `, removed ${removed.length} left from an earlier run` : '';
}

/** 4 when a proposal's check met a spec error, else 3 when one stopped at a limit, else 0. */
export function compareExitCode(results: readonly CheckResult[]): number {
  if (results.some((r) => r.verdict === 'error')) return EXIT.specError;
  if (results.some((r) => r.verdict === 'incomplete')) return EXIT.incomplete;
  return EXIT.holds;
}

export interface CompareContext {
  readonly flags: CompareFlags;
  readonly io: Io;
  readonly version: string;
  /** How the model was named on the command line, recorded in each ITF trace for `kmc replay`. */
  readonly source: string;
}

/**
 * Checks the selected proposals of `loaded` and writes the reports and counterexample files. The caller
 * then hands everything it wrote under `<out>/<model>/` to `replaceOutputs`, which removes what an
 * earlier run wrote there and this one did not.
 */
export async function compareModel(loaded: LoadedModel, ctx: CompareContext): Promise<Comparison> {
  const { flags, io } = ctx;
  const spec = loaded.spec;
  const constants = parseAssignments(flags.const);
  const proposals = selectProposals(loaded, flags.proposal);
  const { maxStates, maxDepth, timeout, memory, store, symmetry, workers, prefixStates } = flags;
  const limits = { maxStates, maxDepth, timeout, memory, store, symmetry, workers, prefixStates };
  // Each proposal's timeline view, bound to its constants: a proposal may change both.
  const views = new Map<string, (s: unknown) => TimelineSnapshot>();
  const results: CheckResult[] = [];
  for (const p of proposals) {
    const extra = loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {};
    const preset = flags.preset !== undefined ? { preset: flags.preset } : {};
    const model = resolveOrSpecError(spec, { proposal: p.id, constants, ...preset, ...extra });
    const view = boundView(model);
    if (view) views.set(p.id, view);
    const source = { arg: ctx.source, proposal: p.id, constants, ...preset };
    results.push(await run(model, { quiet: flags.quiet === true, continue: true, ...defined(limits) }, io, source));
  }
  const input: ReportInput = {
    model: spec.name,
    summary: spec.summary,
    version: ctx.version,
    proposals: proposals.map((p) => ({ id: p.id, summary: p.summary, source: p.source })),
    constants: Object.entries(spec.constants as Record<string, ConstantDecl>).map(([name, d]) => ({
      name,
      doc: d.doc,
      range: rangeText(d),
    })),
    results,
    withTimeline: new Set(views.keys()),
  };
  return { input, written: await writeReports(input, ctx, views) };
}

/** The artifacts of every counterexample, then `report.md` and `report.html` next to them. */
async function writeReports(
  input: ReportInput,
  ctx: CompareContext,
  views: ReadonlyMap<string, (s: unknown) => TimelineSnapshot>,
): Promise<string[]> {
  const dir = join(ctx.flags.out, input.model);
  const written: string[] = [];
  for (const r of input.results) {
    const view = views.get(r.proposal);
    const opts = { dir: ctx.flags.out, version: ctx.version, source: ctx.source, ...(view ? { view } : {}) };
    written.push(...(await writeArtifacts(r, opts)));
  }
  // The diagrams were just rendered into the artifact files: read them back rather than run Graphviz twice.
  const found = reportFindings(input.results);
  const read = (base: string) => readFileSync(join(dir, base), 'utf8');
  const svgs = new Map(found.map((f) => [f.anchor, read(`${f.base}.svg`)]));
  const timelines = new Map(found.filter((f) => views.has(f.result.proposal)).map((f) => [f.anchor, read(`${f.base}.timeline.svg`)]));
  written.push(writeText(join(dir, 'report.md'), renderReportMarkdown(input)));
  written.push(writeText(join(dir, 'report.html'), renderReportHtml(input, svgs, timelines)));
  return written;
}

/** The proposals to check, in the model's order: all of them, or those named (each must exist). */
function selectProposals(loaded: LoadedModel, names: readonly string[]): Proposal<unknown, Constants>[] {
  const all: Proposal<unknown, Constants>[] = [...loaded.spec.proposals];
  if (loaded.extraProposal) all.push(loaded.extraProposal);
  const known = new Set(all.map((p) => p.id));
  for (const n of names) {
    if (!known.has(n)) {
      throw new UsageError(`unknown proposal "${n}" for model ${loaded.spec.name}; known: ${[...known].join(', ')}`);
    }
  }
  return names.length === 0 ? all : all.filter((p) => names.includes(p.id));
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

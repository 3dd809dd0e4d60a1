/**
 * Writing a check's (or a simulation's) counterexamples to disk for a review thread: per failure (each
 * violated property and the deadlock) its text trace, DOT diagram, SVG picture and ITF trace, under
 * `<dir>/<model>/<proposal>/<property>.{txt,dot,svg,itf.json}`, and when the model has a timeline view
 * its nesting timeline as `<property>.timeline.{dot,svg}`. File names come only from the model,
 * proposal and property names, and no file holds a time, so two runs write the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckResult } from '../engine/types.js';
import { messageOf, UsageError } from '../errors.js';
import type { Constants, TimelineSnapshot } from '../model.js';
import { renderTraceDot } from '../render/dot.js';
import { checkTitle, findingsOf, renderFindingText, type TracedFinding } from '../render/finding.js';
import { renderItf } from '../render/itf.js';
import { renderSvg } from '../render/svg.js';
import { renderTimelineDot } from '../render/timeline.js';
import type { ResolvedModel } from '../resolve.js';

export interface ArtifactOptions {
  /** The folder under which `<model>/<proposal>/` is created. */
  readonly dir: string;
  /** kmc's version, recorded in each ITF trace. */
  readonly version: string;
  /** How the model was named on the command line, recorded in each ITF trace for `kmc replay`. */
  readonly source: string;
  /** The model's timeline view with its constants bound (`boundView`); no timeline files without one. */
  readonly view?: (s: unknown) => TimelineSnapshot;
}

/** The checked model's timeline view, bound to the constants it ran with, or undefined when it has none. */
export function boundView(model: ResolvedModel): ((s: unknown) => TimelineSnapshot) | undefined {
  const { view, constants } = model;
  return view && ((s) => view(s, constants));
}

/** Writes every failure of `r`; returns the paths written, in order. */
export async function writeArtifacts(r: CheckResult, opts: ArtifactOptions): Promise<string[]> {
  const findings = findingsOf(r).map((f) => ({ ...f, text: renderFindingText(r, f) }));
  return writeFindings({ model: r.model, proposal: r.proposal, constants: r.constants, title: checkTitle(r), findings }, opts);
}

/** Failures to write, from `kmc check` or `kmc simulate`: each with its trace and its text file's content. */
export interface FindingFiles {
  readonly model: string;
  readonly proposal: string;
  readonly constants: Constants;
  /** The diagrams' caption: the command's header line. */
  readonly title: string;
  readonly findings: readonly (TracedFinding & { readonly text: string })[];
}

/** Writes each finding's `.txt`, `.dot`, `.svg` and `.itf.json`; returns the paths written, in order. */
export async function writeFindings(set: FindingFiles, opts: ArtifactOptions): Promise<string[]> {
  const folder = join(opts.dir, set.model, set.proposal);
  const written: string[] = [];
  for (const f of set.findings) {
    const dot = renderTraceDot({ trace: f.trace, title: set.title, finding: f });
    const meta = { model: set.model, proposal: set.proposal, constants: set.constants, property: f.name, kind: f.kind };
    const itf = renderItf(f.trace, { ...meta, claim: f.claim, source: opts.source, version: opts.version });
    const files: [string, string][] = [
      ['txt', f.text],
      ['dot', dot],
      ['svg', await renderSvg(dot)],
      ['itf.json', itf],
    ];
    if (opts.view) {
      const timeline = renderTimelineDot({ trace: f.trace, view: opts.view, title: set.title, finding: f });
      files.push(['timeline.dot', timeline], ['timeline.svg', await renderSvg(timeline)]);
    }
    for (const [ext, text] of files) written.push(writeText(join(folder, `${f.name}.${ext}`), text));
  }
  return written;
}

/** Writes `text` to `path`, creating its folder; a path that cannot be written is the user's to fix. */
export function writeText(path: string, text: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${messageOf(e)}`);
  }
  return path;
}

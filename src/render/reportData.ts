/**
 * What `kmc compare` reports on, shared by its Markdown and HTML renderers: the checks of several
 * proposals of one model, with the model's descriptions that a reader of the report needs, and the
 * names both renderers derive from it (cell texts, anchors, artifact paths) so the two never disagree.
 */
import type { CheckResult, PropertyResult } from '../engine/types.js';
import { findingsOf, type TracedFinding } from './finding.js';

/** A proposal as the report describes it. */
export interface ReportProposal {
  readonly id: string;
  readonly summary: string;
  readonly source: string;
}

/** A constant as the report lists it; the values come from the checks, since a proposal may change one. */
export interface ReportConstant {
  readonly name: string;
  readonly doc: string;
  readonly range: string;
}

export interface ReportInput {
  readonly model: string;
  readonly summary: string;
  /** kmc's version, from package.json: a report should say which checker wrote it. */
  readonly version: string;
  readonly proposals: readonly ReportProposal[];
  readonly constants: readonly ReportConstant[];
  /** One check per proposal, in the order of `proposals`. */
  readonly results: readonly CheckResult[];
  /** The proposals whose model has a timeline view, so that their counterexamples have timeline files. */
  readonly withTimeline?: ReadonlySet<string>;
}

/** A failure of one proposal's check, with where the report and the files put it. */
export interface ReportFinding extends TracedFinding {
  readonly result: CheckResult;
  /** The in-page anchor of its counterexample (`cx-racy--mutual-exclusion`). */
  readonly anchor: string;
  /** Its artifact files' path without extension, relative to the report (`racy/mutual-exclusion`). */
  readonly base: string;
}

/** An id fit for an HTML anchor: proposal and property names, with anything else turned into `_`. */
export function anchorOf(proposal: string, finding: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `cx-${clean(proposal)}--${clean(finding)}`;
}

/** Every failure of every check, proposals in order, each check's findings in declaration order. */
export function reportFindings(results: readonly CheckResult[]): ReportFinding[] {
  return results.flatMap((result) =>
    findingsOf(result).map((f) => ({
      ...f,
      result,
      anchor: anchorOf(result.proposal, f.name),
      base: `${result.proposal}/${f.name}`,
    })),
  );
}

/** The property names of all checks, in declaration order (a proposal may add properties). */
export function propertyNames(results: readonly CheckResult[]): string[] {
  return [...new Set(results.flatMap((r) => r.properties.map((p) => p.name)))];
}

/** A cell in words: `holds`, `violated (4 steps)`, `unreached`, `incomplete`, `error`, or `-` (absent). */
export function cellText(r: CheckResult, p: PropertyResult | undefined): string {
  if (!p) return '-';
  if (p.status === 'violated') return p.trace ? `violated (${stepsText(p.trace.length - 1)})` : 'violated';
  if (p.status === 'unknown') return r.verdict === 'error' ? 'error' : 'incomplete';
  return p.status;
}

/** `1 step`, `4 steps`: a counterexample's length in words. */
export function stepsText(n: number): string {
  return `${n} step${n === 1 ? '' : 's'}`;
}

/** The constants a check ran with, `a=1 b=2`. */
export function constantsText(r: Pick<CheckResult, 'constants'>): string {
  const parts = Object.entries(r.constants).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(' ') : 'no constants';
}

/** Whether every proposal ran with the same constants (a proposal may change a default). */
export function sameConstants(results: readonly CheckResult[]): boolean {
  const first = results[0];
  return results.every((r) => first !== undefined && constantsText(r) === constantsText(first));
}

/**
 * Breaks a line wider than `width` for a fixed-width email: at the last space before the limit when
 * there is one, otherwise hard; continuation lines start with `hang`, by default the line's indentation
 * plus four spaces.
 */
export function wrapLine(line: string, width = 100, hang?: string): string[] {
  if (line.length <= width) return [line];
  const wanted = hang ?? `${/^ */.exec(line)![0]}    `;
  // An indentation as wide as the line would never make the rest shorter: wrap flush left instead.
  const indent = wanted.length < width / 2 ? wanted : '';
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > indent.length ? cut : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = indent + rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** ` up to symmetry (CPUs ×2)` when the count is of orbits, so it is not compared with a full count. */
export function upToSymmetry(r: Pick<CheckResult, 'symmetry'>): string {
  const s = r.symmetry;
  if (!s || s.permutations === 1) return '';
  return ` up to symmetry (${s.sets.filter((x) => x.size > 1).map((x) => `${x.name} ×${x.size}`).join(', ')})`;
}

/**
 * `out/<model>/report.md`: the result of `kmc compare` as plain text that reads well in a fixed-width
 * email (Markdown only where it stays readable as text, no line wider than 100 columns): the verdict
 * matrix, every counterexample as numbered steps showing only what changed, the proposals with their
 * summaries and sources, and the constants. Nothing in it depends on time, so two runs give one file.
 */
import { renderFindingText } from './finding.js';
import { renderMatrix } from './matrix.js';
import { renderTrace } from './text.js';
import {
  constantsText,
  type ReportInput,
  reportFindings,
  sameConstants,
  stepsText,
  upToSymmetry,
  wrapLine,
} from './reportData.js';

/** The widest line of the report. */
export const REPORT_WIDTH = 100;

/** The whole report as Markdown text. */
export function renderReportMarkdown(input: ReportInput): string {
  const lines = [
    ...header(input),
    ...verdicts(input),
    ...counterexamples(input),
    ...specErrors(input),
    ...proposals(input),
    ...constants(input),
    ...warnings(input),
  ];
  return `${lines.flatMap((l) => wrapLine(l, REPORT_WIDTH)).join('\n').trimEnd()}\n`;
}

function header(input: ReportInput): string[] {
  const first = input.results[0];
  const consts = first && sameConstants(input.results) ? constantsText(first) : 'see each proposal';
  return [
    `# kmc compare ${input.model}`,
    '',
    `${input.model}: ${input.summary}`,
    `Checked by kmc ${input.version}, every proposal against every property, exhaustively.`,
    `Constants: ${consts}.`,
    '',
  ];
}

/** The matrix exactly as `kmc compare` prints it, legend included, in a block no mail client reflows. */
function verdicts(input: ReportInput): string[] {
  return ['## Verdicts', '', '```text', ...renderMatrix(input.results, REPORT_WIDTH).trimEnd().split('\n'), '```', ''];
}

function counterexamples(input: ReportInput): string[] {
  const found = reportFindings(input.results);
  const lines = ['## Counterexamples', ''];
  if (found.length === 0) lines.push('None: no property is violated and no proposal deadlocks.', '');
  for (const f of found) {
    const steps = f.trace.length - 1;
    lines.push(`### ${f.result.proposal}: ${f.name} (${stepsText(steps)})`, '');
    const timeline = input.withTimeline?.has(f.result.proposal) ? ',timeline.dot,timeline.svg' : '';
    lines.push(`Files: ${f.base}.{txt,dot,svg,itf.json${timeline}}`, '');
    lines.push('```text', ...renderFindingText(f.result, f).trimEnd().split('\n'), '```', '');
  }
  return lines;
}

/** Where a proposal's check stopped because the model threw: the message and the trace to that state. */
function specErrors(input: ReportInput): string[] {
  const lines: string[] = [];
  for (const r of input.results) {
    if (!r.error) continue;
    lines.push(`### ${r.proposal}`, '', '```text', `Spec error at ${r.error.action}: ${r.error.message}`);
    if (r.error.trace.length) lines.push('  The state where it threw is the last one of:', ...renderTrace(r.error.trace));
    lines.push('```', '');
  }
  return lines.length ? ['## Spec errors', '', ...lines] : [];
}

function proposals(input: ReportInput): string[] {
  const lines = ['## Proposals', ''];
  const differ = !sameConstants(input.results);
  for (const p of input.proposals) {
    const r = input.results.find((x) => x.proposal === p.id);
    lines.push(`- ${p.id}: ${p.summary}`, `  source: ${p.source}`);
    if (r) lines.push(`  verdict: ${r.verdict}, ${r.stats.distinct} distinct states${upToSymmetry(r)}, depth ${r.stats.depth}`);
    if (r && r.incomplete) lines.push(`  incomplete: the ${r.incomplete} limit stopped the search`);
    if (r && differ) lines.push(`  constants: ${constantsText(r)}`);
  }
  return [...lines, ''];
}

function constants(input: ReportInput): string[] {
  const lines = ['## Constants', ''];
  const values = input.results[0]?.constants ?? {};
  if (input.constants.length === 0) lines.push('(none)');
  for (const c of input.constants) {
    lines.push(`- ${c.name} = ${String(values[c.name] ?? '?')}  (${c.range}): ${c.doc}`);
  }
  return [...lines, ''];
}

function warnings(input: ReportInput): string[] {
  const lines: string[] = [];
  for (const r of input.results) for (const w of r.warnings) lines.push(`- ${r.proposal}: ${w}`);
  return lines.length ? ['## Warnings', '', ...lines, ''] : [];
}

/**
 * `out/index.html` of `kmc all`: one self-contained page linking each model's compare report by a
 * relative link, so the `out/` folder can be copied or archived whole, with each model's verdicts in
 * one line so a reader sees at a glance where to look. Pure and free of time.
 */
import type { CheckResult } from '../engine/types.js';
import { escapeHtml } from './reportHtml.js';
import { reportFindings } from './reportData.js';
import { pageHead } from './reportStyle.js';

/** One model's line of the index. */
export interface IndexEntry {
  readonly model: string;
  readonly summary: string;
  readonly results: readonly CheckResult[];
}

/** The index page; each entry links `<model>/report.html` and `<model>/report.md`. */
export function renderReportIndex(entries: readonly IndexEntry[], version: string): string {
  const rows = entries.map((e) => {
    const href = (f: string) => escapeHtml(`${encodeURIComponent(e.model)}/${f}`);
    const link = `<a href="${href('report.html')}">${escapeHtml(e.model)}</a> <small>(<a href="${href('report.md')}">text</a>)</small>`;
    return `<tr><th scope="row">${link}</th><td>${escapeHtml(e.summary)}</td><td>${escapeHtml(tally(e.results))}</td></tr>`;
  });
  return [
    ...pageHead('kmc: every built-in model'),
    '<header><h1>kmc: every built-in model</h1>',
    '<p>Every proposal of every model checked against every property at default constants.</p></header>',
    '<table>',
    '<thead><tr><th scope="col">model</th><th scope="col">what it models</th><th scope="col">proposals</th></tr></thead>',
    '<tbody>',
    ...(rows.length ? rows : ['<tr><td colspan="3">(no built-in models)</td></tr>']),
    '</tbody></table>',
    `<footer>Written by kmc ${escapeHtml(version)}.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** `3 proposals: 1 holds, 2 violated (4 counterexamples)`. */
function tally(results: readonly CheckResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
  const cx = reportFindings(results).length;
  const n = results.length;
  return `${n} proposal${n === 1 ? '' : 's'}: ${parts}${cx ? ` (${cx} counterexample${cx === 1 ? '' : 's'})` : ''}`;
}

/**
 * `out/<model>/report.html`: the result of `kmc compare` as one self-contained page for a design review
 * (no network, no other file needed: the CSS is inline and every diagram's SVG is inlined). Each violated
 * cell of the matrix links to its counterexample in the page: the diagram and the numbered steps. Every
 * text from a model goes through `escapeHtml`; the SVG comes from kmc's own Graphviz run and is inlined
 * without its XML prologue. Pure and free of time, so two runs give one file.
 */
import type { CheckResult } from '../engine/types.js';
import { renderFindingText } from './finding.js';
import { renderTrace } from './text.js';
import {
  anchorOf,
  cellText,
  constantsText,
  propertyNames,
  type ReportFinding,
  type ReportInput,
  reportFindings,
  sameConstants,
  stepsText,
  upToSymmetry,
} from './reportData.js';
import { pageHead } from './reportStyle.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An SVG document made fit for inlining: without the XML declaration, doctype and comments, and without
 * Graphviz's `graph0`/`node1` ids, which every diagram repeats and a page must not.
 */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/ id="[^"]*"/g, '')
    .replace(/<svg /, '<svg role="img" ')
    .trim();
}

/**
 * The page; `svgs` maps each finding's anchor to its rendered trace diagram, `timelines` to its nesting
 * timeline (only models with a timeline view have one).
 */
export function renderReportHtml(
  input: ReportInput,
  svgs: ReadonlyMap<string, string>,
  timelines: ReadonlyMap<string, string> = new Map(),
): string {
  const title = `kmc compare ${input.model}`;
  const found = reportFindings(input.results);
  return [
    ...pageHead(escapeHtml(title)),
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(`${input.model}: ${input.summary}`)}</p></header>`,
    ...matrix(input, found),
    ...counterexamples(input, found, { svgs, timelines }),
    ...proposals(input),
    ...constants(input),
    `<footer>Written by kmc ${escapeHtml(input.version)}. Every proposal was checked against every property, exhaustively.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function matrix(input: ReportInput, found: readonly ReportFinding[]): string[] {
  const names = propertyNames(input.results);
  // Numbered columns keep a matrix of ten properties inside the page; the list above names them.
  const head = names.map((n, i) => `<th scope="col" title="${escapeHtml(n)}">${i + 1}</th>`).join('');
  const rows = input.results.map((r) => {
    const cells = names.map((n) => cell(r, n, found));
    cells.push(deadlockCell(r, found));
    const text = r.error ? `<a href="#${anchorOf(r.proposal, 'spec-error')}">error</a>` : escapeHtml(r.verdict);
    const verdict = `<td class="v-${r.verdict}">${text}</td>`;
    // Under symmetry the count is of orbits: the cell says so on hover, as report.md says it in words.
    const orbits = upToSymmetry(r);
    const count = orbits ? `<td class="num" title="distinct states${escapeHtml(orbits)}">${r.stats.distinct}</td>` : `<td class="num">${r.stats.distinct}</td>`;
    return `<tr><th scope="row">${escapeHtml(r.proposal)}</th>${cells.join('')}${verdict}${count}</tr>`;
  });
  return [
    '<section id="verdicts"><h2>Verdicts</h2>',
    ...propertyList(input, names),
    '<div class="scroll"><table class="matrix">',
    `<thead><tr><th scope="col">proposal</th>${head}<th scope="col">deadlock</th><th scope="col">verdict</th>`,
    '<th scope="col" title="distinct states">states</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody></table></div>',
    '<p class="note">A violated cell links to its shortest counterexample. <em>unreached</em>: a reachability',
    'property never reached (the model is vacuous there). <em>incomplete</em>: a limit stopped the run.</p>',
    '</section>',
  ];
}

/** The numbered properties with their claims, as the matrix's column legend. */
function propertyList(input: ReportInput, names: readonly string[]): string[] {
  const items = names.map((n) => {
    const p = input.results.flatMap((r) => r.properties).find((x) => x.name === n);
    return `<li><code>${escapeHtml(n)}</code>${p ? `: ${escapeHtml(p.claim)}` : ''}</li>`;
  });
  return ['<ol class="props">', ...items, '</ol>'];
}

function cell(r: CheckResult, name: string, found: readonly ReportFinding[]): string {
  const p = r.properties.find((x) => x.name === name);
  const f = found.find((x) => x.result === r && x.name === name);
  if (f) return `<td class="c-violated"><a href="#${f.anchor}">violated<br>${stepsText(f.trace.length - 1)}</a></td>`;
  return `<td class="c-${p ? p.status : 'absent'}">${escapeHtml(cellText(r, p))}</td>`;
}

function deadlockCell(r: CheckResult, found: readonly ReportFinding[]): string {
  const f = found.find((x) => x.result === r && x.kind === 'deadlock');
  if (f) return `<td class="c-violated"><a href="#${f.anchor}">found<br>${stepsText(f.trace.length - 1)}</a></td>`;
  const decided = r.incomplete === null && r.error === null;
  return decided ? '<td class="c-holds">none</td>' : '<td class="c-unknown">incomplete</td>';
}

/** The pictures of each counterexample, by anchor. */
interface Pictures {
  readonly svgs: ReadonlyMap<string, string>;
  readonly timelines: ReadonlyMap<string, string>;
}

function counterexamples(input: ReportInput, found: readonly ReportFinding[], pictures: Pictures): string[] {
  const out = ['<section id="counterexamples"><h2>Counterexamples</h2>'];
  if (found.length === 0) out.push('<p>None: no property is violated and no proposal deadlocks.</p>');
  for (const f of found) {
    const steps = f.trace.length - 1;
    const svg = pictures.svgs.get(f.anchor);
    const timeline = pictures.timelines.get(f.anchor);
    const exts = ['txt', 'dot', 'svg', 'itf.json', ...(timeline ? ['timeline.dot', 'timeline.svg'] : [])];
    const files = exts.map((e) => `<a href="${escapeHtml(`${f.base}.${e}`)}">.${e}</a>`);
    out.push(
      `<article class="cx" id="${f.anchor}">`,
      `<h3>${escapeHtml(`${f.result.proposal}: ${f.name}`)} <small>${stepsText(steps)}</small></h3>`,
      `<p class="claim">${escapeHtml(f.claim)}</p>`,
      ...diagrams(svg, timeline),
      `<pre>${escapeHtml(renderFindingText(f.result, f))}</pre>`,
      `<p class="files">Files: ${files.join(' ')} · <a href="#verdicts">back to the matrix</a></p>`,
      '</article>',
    );
  }
  for (const r of input.results) {
    if (!r.error) continue;
    const trace = r.error.trace.length ? ['  The state where it threw is the last one of:', ...renderTrace(r.error.trace)] : [];
    out.push(
      `<article class="cx error" id="${anchorOf(r.proposal, 'spec-error')}">`,
      `<h3>${escapeHtml(`${r.proposal}: spec error at ${r.error.action}`)}</h3>`,
      `<pre>${escapeHtml([r.error.message, ...trace].join('\n'))}</pre>`,
      '</article>',
    );
  }
  return [...out.filter((l) => l !== ''), '</section>'];
}

/**
 * The trace diagram, and the nesting timeline beside it when there is one (each captioned, so a reader
 * knows which is which); they wrap onto two lines when the page is too narrow for both.
 */
function diagrams(svg: string | undefined, timeline: string | undefined): string[] {
  if (timeline === undefined) return svg ? [`<figure class="diagram">${inlineSvg(svg)}</figure>`] : [];
  return [
    '<div class="diagrams">',
    svg ? `<figure class="diagram"><figcaption>Trace: what each step changed</figcaption>${inlineSvg(svg)}</figure>` : '',
    `<figure class="diagram timeline"><figcaption>Nesting timeline: CPUs and tasks, entry frames, registers</figcaption>${inlineSvg(timeline)}</figure>`,
    '</div>',
  ];
}

function proposals(input: ReportInput): string[] {
  const differ = !sameConstants(input.results);
  const items = input.proposals.map((p) => {
    const r = input.results.find((x) => x.proposal === p.id);
    const consts = r && differ ? `<br>constants: ${escapeHtml(constantsText(r))}` : '';
    const source = `<span class="src">source: ${escapeHtml(p.source)}</span>`;
    return `<dt>${escapeHtml(p.id)}</dt><dd>${escapeHtml(p.summary)}<br>${source}${consts}</dd>`;
  });
  return ['<section id="proposals"><h2>Proposals</h2><dl>', ...items, '</dl></section>'];
}

function constants(input: ReportInput): string[] {
  const values = input.results[0]?.constants ?? {};
  const rows = input.constants.map(
    (c) =>
      `<tr><th scope="row">${escapeHtml(c.name)}</th><td class="num">${escapeHtml(String(values[c.name] ?? '?'))}</td>` +
      `<td>${escapeHtml(c.range)}</td><td>${escapeHtml(c.doc)}</td></tr>`,
  );
  if (rows.length === 0) return ['<section id="constants"><h2>Constants</h2><p>None.</p></section>'];
  return [
    '<section id="constants"><h2>Constants</h2><table>',
    '<thead><tr><th scope="col">name</th><th scope="col">value</th><th scope="col">range</th><th scope="col">meaning</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody></table></section>',
  ];
}

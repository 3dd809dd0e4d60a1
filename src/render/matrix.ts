/**
 * The verdict matrix of several proposals of one model, as fixed-width text: proposals as rows,
 * properties as numbered columns (the legend names them), so it stays under 100 columns.
 */
import type { CheckResult, PropertyResult } from '../engine/types.js';
import { constantsLine } from './text.js';

function cell(p: PropertyResult | undefined): string {
  if (!p) return '-';
  switch (p.status) {
    case 'holds':
      return 'ok';
    case 'violated':
      return p.trace ? `X${p.trace.length - 1}` : 'X';
    case 'unreached':
      return 'unr';
    case 'unknown':
      return '?';
  }
}

/** `ok` holds, `X4` violated with a 4-step counterexample, `unr` never reached, `?` unknown. */
export function renderMatrix(results: readonly CheckResult[]): string {
  const first = results[0];
  if (!first) return '(no proposals)\n';
  const names = [...new Set(results.flatMap((r) => r.properties.map((p) => p.name)))];
  const lines = [`${first.model}  (${constantsLine(first)})`, '', '  properties:'];
  names.forEach((n, i) => lines.push(`    ${String(i + 1).padStart(2)}  ${n}`));
  const w = Math.max(8, ...results.map((r) => r.proposal.length)) + 2;
  const head = names.map((_, i) => String(i + 1).padStart(4)).join('');
  lines.push('', `  ${'proposal'.padEnd(w)}${head}  deadlock  distinct  verdict`);
  for (const r of results) {
    const cells = names.map((n) => cell(r.properties.find((p) => p.name === n)).padStart(4)).join('');
    const dl = r.deadlock ? `X${r.deadlock.trace.length - 1}` : '-';
    lines.push(`  ${r.proposal.padEnd(w)}${cells}  ${dl.padStart(8)}  ${String(r.stats.distinct).padStart(8)}  ${r.verdict}`);
  }
  lines.push('', '  ok holds · Xn violated, shortest counterexample n steps · unr never reached · ? unknown');
  return lines.join('\n') + '\n';
}

/**
 * The verdict matrix of several proposals of one model, as fixed-width ASCII text: what `kmc compare`
 * prints and what `report.md` quotes, so the terminal and the email read the same. Proposals are rows;
 * properties are short numbered columns, and a legend below the matrix names each number's property
 * with its claim, then says what the cells mean. No line is wider than `width` (a mail client wraps
 * anything wider and the columns stop lining up): when the columns do not fit beside the proposal ids
 * they are split into groups of columns, each group repeating the proposal column, and an id too long for
 * the proposal column gets a line of its own above its cells. ASCII only, because not every mail client
 * and terminal font renders a check mark or a cross, and a symbol that does not render is worse than `X`.
 */
import type { CheckResult, PropertyResult } from '../engine/types.js';
import { DEADLOCK_CLAIM } from './finding.js';
import { propertyNames, wrapLine } from './reportData.js';
import { constantsLine } from './text.js';

/** The widest line the matrix writes by default: what `report.md` allows. */
export const MATRIX_WIDTH = 100;

/**
 * The widest the proposal column grows. Kernel proposal ids run to about 26 characters; past 40 an id
 * would leave too little room for the cells, so it goes on its own line instead.
 */
const PROPOSAL_COLUMN_MAX = 40;

/** A column of the matrix: its heading, a cell per proposal, and how to align them. */
interface Column {
  readonly head: string;
  readonly cells: readonly string[];
  readonly align: 'left' | 'right';
  /** Characters taken, the gap before it included (at least one space). */
  readonly width: number;
}

/** What each cell symbol means, in the order the legend lists them. */
const SYMBOLS: readonly (readonly [RegExp, string, string])[] = [
  [/^ok$/, 'ok', 'holds (for a [reachable] property: reached; under dl: no deadlock found)'],
  [/^X\d*$/, 'Xn', 'violated: its shortest counterexample has n steps'],
  [/^unr$/, 'unr', 'never reached in a complete run: the model is vacuous there'],
  [/^\?$/, '?', 'undecided: a limit stopped the run (incomplete), or the model threw (error)'],
  [/^-$/, '-', 'not a property of that proposal'],
];

/** A property's cell: `ok`, `X4` (violated, 4 steps), `unr`, `?`, or `-` when the proposal lacks it. */
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

/** The deadlock cell, read like a property's: `ok` none in a complete run, `X5` one in 5 steps, else `?`. */
function deadlockCell(r: CheckResult): string {
  if (r.deadlock) return `X${r.deadlock.trace.length - 1}`;
  return r.incomplete === null && r.error === null ? 'ok' : '?';
}

/** The whole matrix with its legend, each line at most `width` characters (ids permitting). */
export function renderMatrix(results: readonly CheckResult[], width = MATRIX_WIDTH): string {
  const first = results[0];
  if (!first) return '(no proposals)\n';
  const names = propertyNames(results);
  const lines = [...wrapLine(`${first.model}  (${constantsLine(first)})`, width), ''];
  lines.push(...table(results, names, width), '', ...legend(results, names, width));
  return `${lines.join('\n')}\n`;
}

/** The matrix proper: one or more groups of columns, each under its own heading line. */
function table(results: readonly CheckResult[], names: readonly string[], width: number): string[] {
  const idWidth = Math.min(PROPOSAL_COLUMN_MAX, Math.max('proposal'.length, ...results.map((r) => r.proposal.length)));
  const verdicts = results.map((r) => r.verdict);
  const columns: Column[] = [
    // One space after the longest verdict too: `violated X12` would read as one word.
    { head: 'verdict', cells: verdicts, align: 'left', width: 2 + Math.max('verdict'.length, ...verdicts.map((v) => v.length)) },
    ...names.map((n, i) => numbered(String(i + 1), results.map((r) => cell(r.properties.find((p) => p.name === n))))),
    numbered('dl', results.map(deadlockCell)),
  ];
  // Two spaces of margin, the ids, and one space more than any column's own gap, so that a short id and
  // its first cell are never one space apart.
  const groups = pack(columns, width - 3 - idWidth);
  return groups.flatMap((group, g) => {
    const row = (label: string, texts: readonly string[]) => {
      const cells = group.map((c, i) => (c.align === 'left' ? ` ${texts[i]!.padEnd(c.width - 1)}` : texts[i]!.padStart(c.width)));
      const out = label.length > idWidth ? [`  ${label}`, `  ${''.padEnd(idWidth)} `] : [`  ${label.padEnd(idWidth)} `];
      out[out.length - 1] += cells.join('');
      return out.map((l) => l.trimEnd());
    };
    const rows = results.flatMap((r, i) => row(r.proposal, group.map((c) => c.cells[i]!)));
    return [...(g > 0 ? [''] : []), ...row('proposal', group.map((c) => c.head)), ...rows];
  });
}

/** A right-aligned column whose cells are short: at least one space before the widest of them. */
function numbered(head: string, cells: readonly string[]): Column {
  return { head, cells, align: 'right', width: Math.max(3, head.length, ...cells.map((c) => c.length)) + 1 };
}

/**
 * Splits the columns, in order, into as few groups as fit in `room` characters each; when there must be
 * several, into groups of about equal width, so that the last group is not a stub of one or two columns.
 */
function pack(columns: readonly Column[], room: number): Column[][] {
  const greedy = (limit: number): Column[][] => {
    const groups: Column[][] = [];
    let used = Infinity;
    for (const c of columns) {
      if (used + c.width > limit) {
        groups.push([]);
        used = 0;
      }
      groups[groups.length - 1]!.push(c);
      used += c.width;
    }
    return groups;
  };
  const fewest = greedy(room).length;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  for (let limit = Math.ceil(total / fewest); limit < room; limit++) {
    const groups = greedy(limit);
    if (groups.length === fewest) return groups;
  }
  return greedy(room);
}

/** Below the matrix: each column number's property, kind and claim, then the cell symbols used. */
function legend(results: readonly CheckResult[], names: readonly string[], width: number): string[] {
  const numWidth = Math.max(2, String(names.length).length);
  const hang = ' '.repeat(2 + numWidth + 2);
  const entry = (num: string, text: string) => wrapLine(`  ${num.padStart(numWidth)}  ${text}`, width, hang);
  const all = results.flatMap((r) => r.properties);
  const lines = names.flatMap((n, i) => {
    const p = all.find((x) => x.name === n)!;
    return entry(String(i + 1), `${n} [${p.kind}]: ${p.claim}`);
  });
  lines.push(...entry('dl', `deadlock: ${DEADLOCK_CLAIM}`), '');
  const used = new Set(
    results.flatMap((r) => [deadlockCell(r), ...names.map((n) => cell(r.properties.find((p) => p.name === n)))]),
  );
  for (const [pattern, symbol, meaning] of SYMBOLS) {
    if ([...used].some((c) => pattern.test(c))) lines.push(...wrapLine(`  ${symbol.padEnd(4)}${meaning}`, width, '      '));
  }
  return lines;
}

/**
 * How the timeline looks: the colours of each kind of entry frame, and the text of a cell, whose lines
 * are plain DOT label lines (the bundled Graphviz has no HTML-like labels), so emphasis is in words.
 */
import type { CellLine } from './timelineLayout.js';

/** A frame box's border and name colour, and its fill. */
export interface FrameStyle {
  readonly color: string;
  readonly fill: string;
}

/**
 * Colours by kind of entry, so that a #PF looks the same in every lane and every model: a syscall blue,
 * a #PF orange, a #GP yellow, an IRQ green, an NMI purple, anything else grey. Fills are pale, so text
 * stays readable and nesting shows as bands of colour.
 */
const STYLES: readonly (readonly [RegExp, FrameStyle])[] = [
  [/^syscall/i, { color: '#3b6ea5', fill: '#e1edf9' }],
  [/^#PF/, { color: '#b8651b', fill: '#fbe8d3' }],
  [/^#GP/, { color: '#8c7a10', fill: '#f6f0c8' }],
  [/^(IRQ|IPI|softirq)/i, { color: '#3d8a3d', fill: '#e0f2db' }],
  [/^NMI/, { color: '#8e3f8e', fill: '#f2def2' }],
];
const OTHER: FrameStyle = { color: '#666666', fill: '#ededed' };

export function frameStyle(name: string): FrameStyle {
  return STYLES.find(([re]) => re.test(name))?.[1] ?? OTHER;
}

/**
 * A cell's lines: what runs, a move, the registers this step changed, and (on the violating step only)
 * the registers it left alone, under a heading, so the failing state can be read without scrolling up.
 */
export function cellText(lines: readonly CellLine[]): string[] {
  const changed = lines.filter((l) => l.tone !== 'unchanged').map((l) => l.text);
  const rest = lines.filter((l) => l.tone === 'unchanged').map((l) => `  ${l.text}`);
  return rest.length === 0 ? changed : [...changed, '(unchanged)', ...rest];
}

/**
 * The width Graphviz gives `text` in Courier at `points`: 0.6 em per character, and about three times
 * that for a character outside Latin-1 (an arrow in a label), which its font metrics do not cover.
 */
export function textWidth(text: string, points: number): number {
  const ems = [...text].reduce((n, ch) => n + ((ch.codePointAt(0) ?? 0) > 0xff ? 1.8 : 0.6), 0);
  return ems * points;
}

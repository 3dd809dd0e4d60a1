/**
 * SVG through the bundled WebAssembly Graphviz: a real SVG document, the same bytes for the same DOT
 * (so `--out` folders can be compared and committed), and Graphviz's own errors on one line. That its
 * warnings stay off kmc's stderr is checked through the real command, in checks/cli/replay.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { renderTraceDot } from '../../src/render/dot.js';
import { checkTitle, findingsOf } from '../../src/render/finding.js';
import { renderSvg } from '../../src/render/svg.js';
import { mutex } from '../fixtures/models.js';
import { checkFirst } from '../helpers.js';

function mutexDot(): string {
  const r = checkFirst(mutex);
  const f = findingsOf(r)[0]!;
  return renderTraceDot({ trace: f.trace, title: checkTitle(r), finding: f });
}

describe('renderSvg', () => {
  it('renders the mutex diagram as an SVG document with every step in it', async () => {
    const svg = await renderSvg(mutexDot());
    expect(svg).toContain('<svg');
    expect(svg).toContain('</svg>');
    for (const label of ['check(0)', 'check(1)', 'set(0)', 'set(1)']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('VIOLATED invariant mutual&#45;exclusion');
  });

  it('gives byte-identical SVG for the same DOT', async () => {
    const dot = mutexDot();
    const [a, b] = await Promise.all([renderSvg(dot), renderSvg(dot)]);
    expect(a).toBe(b);
    expect(await renderSvg(mutexDot())).toBe(a);
  });

  it('rejects DOT that Graphviz cannot parse, with its message on one line', async () => {
    await expect(renderSvg('digraph { a -> ')).rejects.toThrow(/^Graphviz could not render kmc's DOT: syntax error in line 1$/);
  });
});

/**
 * Every built-in model documents a `large` configuration (issue: bigger bounds): it must exist, raise
 * some bound above the default, and resolve for every proposal, so `--preset large` works on all of them.
 * The runs themselves take minutes and are measured in BENCHMARKS.md, not here.
 */
import { describe, expect, it } from 'vitest';
import { models } from '../../spec/index.js';
import type { ConstantDecl } from '../../src/model.js';
import { resolveModel } from '../../src/resolve.js';

describe.each(models.map((m) => [m.name, m] as const))('%s', (_, spec) => {
  const large = spec.presets?.['large'] as { summary: string; constants: Record<string, unknown> } | undefined;

  it('declares a large preset with a summary', () => {
    expect(large).toBeDefined();
    expect(large!.summary.length).toBeGreaterThan(10);
  });

  it('raises at least one integer bound above its default', () => {
    const decls = spec.constants as Record<string, ConstantDecl>;
    const raised = Object.entries(large!.constants).filter(([name, v]) => {
      const d = decls[name]!;
      return d.kind === 'int' && typeof v === 'number' && v > d.default;
    });
    expect(raised.length).toBeGreaterThan(0);
  });

  it.each(spec.proposals.map((p) => p.id))('resolves for proposal %s with the preset constants', (proposal) => {
    const m = resolveModel(spec, { proposal, preset: 'large' });
    expect(m.constants).toMatchObject(large!.constants);
  });
});

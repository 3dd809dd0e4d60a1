/**
 * How a command's model argument is found (src/cli/load.ts): a built-in model by name, anything that
 * looks like a path as a file. A file is loaded without importing the built-in models, which relies on no
 * built-in name looking like a path.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/cli/load.js';
import { UsageError } from '../../src/errors.js';
import { models } from '../../spec/index.js';

describe('loadModel', () => {
  it('finds every built-in model by its name, and no name looks like a file path', async () => {
    expect(models.length).toBeGreaterThanOrEqual(5);
    for (const m of models) {
      expect(m.name).not.toMatch(/[\\/]|\.(ts|mts|cts|js|mjs|cjs)$/);
      expect((await loadModel(m.name)).spec).toBe(m);
    }
  });

  it('loads a path as a file', async () => {
    const loaded = await loadModel('src/bench/synthetic.ts');
    expect(loaded.spec.name).toBe('bench-synthetic');
    expect(loaded.extraProposal).toBeUndefined();
  });

  it('names the built-in models when a name is unknown', async () => {
    const err = await loadModel('no-such-model').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      `unknown model "no-such-model"; built-in models: ${models.map((m) => m.name).join(', ')} (or give a path to a .ts file)`,
    );
  });

  it('says when a path names no file', async () => {
    const err = await loadModel('no/such/file.ts').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('no such file: no/such/file.ts');
  });
});

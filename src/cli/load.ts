/**
 * Finds the model a command names: a built-in model's name, or a path to a `.ts`/`.js` file that exports
 * a model (`defineModel`) or a reviewer's proposal (`defineProposal`). Files are loaded as they are, with
 * no build step.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { messageOf, SpecError, UsageError } from '../errors.js';
import type { AnyModelSpec, Constants, Proposal } from '../model.js';

export interface LoadedModel {
  readonly spec: AnyModelSpec;
  /** The reviewer's proposal, when the file held one. */
  readonly extraProposal?: Proposal<unknown, Constants>;
}

const FILE = /[\\/]|\.(ts|mts|cts|js|mjs|cjs)$/;

export async function loadModel(arg: string): Promise<LoadedModel> {
  // A built-in model's name has neither a slash nor an extension, so a file is never one: the built-in
  // models are imported only when needed (each worker thread of a parallel check loads its model too).
  if (FILE.test(arg)) return loadFile(arg);
  const { models } = await import('../../spec/index.js');
  const builtIn = models.find((m) => m.name === arg);
  if (builtIn) return { spec: builtIn };
  const known = models.map((m) => m.name).join(', ') || '(none)';
  throw new UsageError(`unknown model "${arg}"; built-in models: ${known} (or give a path to a .ts file)`);
}

async function loadFile(arg: string): Promise<LoadedModel> {
  const path = resolve(arg);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${arg}`);
  let mod: Record<string, unknown>;
  try {
    // tsx loads TypeScript as it is, whether or not the file's folder says it holds ES modules.
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (e) {
    throw new SpecError(`could not load ${arg}: ${firstLine(messageOf(e))}`);
  }
  return fromModule(arg, mod);
}

function fromModule(arg: string, mod: Record<string, unknown>): LoadedModel {
  const exported = exportsOf(mod);
  for (const v of exported) {
    const tagged = v as { kind?: unknown; model?: AnyModelSpec; proposal?: Proposal<unknown, Constants> } | null;
    if (tagged?.kind === 'kmc-proposal' && tagged.model && tagged.proposal) {
      return { spec: tagged.model, extraProposal: tagged.proposal };
    }
    if (tagged?.kind === 'kmc-model') return { spec: v as AnyModelSpec };
  }
  throw new UsageError(`${arg} exports no kmc model or proposal (export default defineModel(...) or defineProposal(...))`);
}

/** The module's exports, default first; a CommonJS-compiled file nests its exports under `default`. */
function exportsOf(mod: Record<string, unknown>): unknown[] {
  const own = [mod.default, ...Object.entries(mod).filter(([k]) => k !== 'default').map(([, v]) => v)];
  const inner = mod.default as Record<string, unknown> | undefined;
  if (inner && typeof inner === 'object' && !('kind' in inner)) return [...own, ...exportsOf(inner)];
  return own;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/**
 * Parsing of command-line values into typed options; every mistake is a one-line `UsageError`.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { MAX_SEED } from '../engine/random.js';
import type { CheckOptions, StoreKind } from '../engine/types.js';
import { defaultMemoryMb, MB } from './memory.js';

/** commander parser for a positive integer option. */
export function positiveInt(text: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError('must be a positive integer');
  return v;
}

/** The default of `--workers`: one worker thread per core this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** commander parser for a non-negative integer option (`--prefix-states 0` starts the workers at once). */
export function nonNegativeInt(text: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v)) throw new InvalidArgumentError('must be a non-negative integer');
  return v;
}

/** commander parser for a positive number of seconds. */
export function positiveSeconds(text: string): number {
  const v = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(v > 0)) throw new InvalidArgumentError('must be a positive number of seconds');
  return v;
}

/** commander parser for a simulation seed: an unsigned 32-bit integer, in decimal. */
export function seedValue(text: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= 0 && v <= MAX_SEED)) throw new InvalidArgumentError(`must be an integer in 0..${MAX_SEED}`);
  return v;
}

/** commander parser for `--store`. */
export function storeKind(text: string): StoreKind {
  if (text !== 'exact' && text !== 'fingerprint') throw new InvalidArgumentError('must be exact or fingerprint');
  return text;
}

/** commander parser for `--memory`: a positive whole number of megabytes (MiB). */
export function megabytes(text: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError('must be a positive whole number of megabytes');
  return v;
}

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--const nCpus=2 --const keys=1,granularity=nmi` → `{nCpus: '2', keys: '1', granularity: 'nmi'}`. */
export function parseAssignments(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items.flatMap((i) => i.split(','))) {
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(\S+)\s*$/.exec(item);
    if (!m) throw new UsageError(`malformed --const "${item}": expected name=value, e.g. --const nCpus=2`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export interface CheckFlags {
  readonly proposal?: string;
  readonly const: string[];
  readonly preset?: string;
  readonly property: string[];
  readonly continue?: boolean;
  readonly deadlock: boolean;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeout?: number;
  readonly store?: StoreKind;
  /** false with `--no-symmetry`: explore every state even when the model declares symmetry. */
  readonly symmetry?: boolean;
  /** The memory budget in MB; the default is `defaultMemoryMb()`. */
  readonly memory?: number;
  readonly json?: boolean;
  readonly coverage?: boolean;
  readonly quiet?: boolean;
  /** Worker threads; the default is `defaultWorkers()`. */
  readonly workers?: number;
  /** States explored in this thread before the workers start (the parallel explorer's default if absent). */
  readonly prefixStates?: number;
}

export function checkOptionsOf(flags: CheckFlags): CheckOptions {
  return {
    deadlock: flags.deadlock,
    continueAfterViolation: flags.continue === true,
    store: flags.store ?? 'exact',
    symmetry: flags.symmetry !== false,
    limits: {
      ...(flags.maxStates !== undefined ? { maxStates: flags.maxStates } : {}),
      ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
      ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
      memoryBytes: (flags.memory ?? defaultMemoryMb()) * MB,
    },
  };
}

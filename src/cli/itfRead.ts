/**
 * Reading an ITF trace file for `kmc replay`. The file is user input: every way it can be wrong (missing,
 * not JSON, not ITF, no step labels) is a one-line `UsageError` saying what is wrong with it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { messageOf, UsageError } from '../errors.js';
import type { ConstValue } from '../model.js';

/** What replay needs from a trace: where it came from, what it shows, and its steps. */
export interface ItfTraceFile {
  readonly path: string;
  readonly model?: string;
  readonly proposal?: string;
  /** How the model was named to kmc when the trace was written (a built-in name or a file path). */
  readonly source?: string;
  readonly constants: Readonly<Record<string, ConstValue>>;
  readonly property?: string;
  readonly kind?: string;
  /** The action label of every state; the first is `Init`. */
  readonly labels: readonly string[];
  /** The states' variables, without their `#meta`. */
  readonly states: readonly Readonly<Record<string, unknown>>[];
}

type Json = Record<string, unknown>;

/** Reads and checks `path`; throws `UsageError` for anything that is not a kmc-replayable ITF trace. */
export function readItfTrace(path: string): ItfTraceFile {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${path}`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${messageOf(e)}`);
  }
  const notItf = (why: string) => new UsageError(`${path} is not an ITF trace: ${why}`);
  if (!isObject(doc)) throw notItf('the document is not an object');
  if (!Array.isArray(doc.states) || doc.states.length === 0) throw notItf('it has no "states" array with at least one state');
  const states = doc.states.map((s: unknown, i: number) => {
    if (!isObject(s)) throw notItf(`state ${i} is not an object`);
    return s;
  });
  const labels = states.map((s, i) => {
    const action = isObject(s['#meta']) ? s['#meta'].action : undefined;
    if (typeof action === 'string') return action;
    if (i === 0) return 'Init';
    throw notItf(`state ${i} has no "#meta": {"action": …} label (kmc replays traces by their action labels)`);
  });
  const meta = isObject(doc['#meta']) ? doc['#meta'] : {};
  return {
    path,
    ...optionalString(meta, 'model'),
    ...optionalString(meta, 'proposal'),
    ...optionalString(meta, 'source'),
    ...optionalString(meta, 'property'),
    ...optionalString(meta, 'kind'),
    constants: constantsOf(meta.constants, notItf),
    labels,
    states: states.map(({ '#meta': _, ...vars }) => vars),
  };
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function optionalString(meta: Json, key: string): Record<string, string> {
  const v = meta[key];
  return typeof v === 'string' ? { [key]: v } : {};
}

function constantsOf(v: unknown, notItf: (why: string) => UsageError): Record<string, ConstValue> {
  if (v === undefined) return {};
  if (!isObject(v)) throw notItf('"#meta".constants is not an object');
  const out: Record<string, ConstValue> = {};
  for (const [name, c] of Object.entries(v)) {
    if (typeof c !== 'number' && typeof c !== 'string' && typeof c !== 'boolean') {
      throw notItf(`constant ${name} in "#meta" is not a number, string or boolean`);
    }
    out[name] = c;
  }
  return out;
}

/**
 * JSON text with object keys sorted at every level and integers in the `#bigint` form, so that equal ITF
 * values give equal text whatever wrote them (older writers use plain JSON numbers).
 */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v)) return canonicalJson({ '#bigint': String(v) });
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

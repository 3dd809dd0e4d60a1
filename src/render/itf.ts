/**
 * Counterexamples in the Informal Trace Format (ITF, Apalache ADR-015, also written and read by Quint),
 * so that a kmc trace can be stored next to a mail thread, read by Quint and Apalache tooling, and fed
 * back to `kmc replay`.
 *
 * Values follow the ADR's current revision: integers as `{"#bigint": "n"}` (the ADR no longer allows JSON
 * numbers, though readers still accept them), strings and booleans as themselves, Records as objects in
 * field order, Lists as arrays, Sets as `{"#set": [...]}` and Maps as `{"#map": [[k, v], ...]}`. Plain Sets
 * and Maps are sorted canonically (Immutable iterates them in insertion order, which is not part of the
 * value); Ordered ones keep their order, which kmc treats as part of the value. What ITF cannot express
 * (fractions, null, undefined) is `{"#unserializable": "..."}`. Pure: the version comes from the caller.
 */
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import type { Constants, PropertyKind } from '../model.js';
import type { Trace } from '../engine/types.js';

export type ItfValue =
  | boolean
  | string
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly '#unserializable': string }
  | { readonly [field: string]: ItfValue };

/** Where the format is specified; ITF writers put it in the trace's `#meta`. */
export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** The variable a state that is not a Record is stored under (ITF states are objects of variables). */
export const WHOLE_STATE_VAR = 'state';

/** What the trace is evidence of, and where it came from: the trace-level `#meta`. */
export interface ItfMeta {
  readonly model: string;
  readonly proposal: string;
  readonly constants: Constants;
  /** The property's name, or `deadlock`. */
  readonly property: string;
  readonly kind: PropertyKind | 'deadlock';
  readonly claim: string;
  /** How the model was named to kmc (a built-in name or a file path), so `kmc replay` can find it again. */
  readonly source?: string;
  /** kmc's version (the CLI reads it from package.json). */
  readonly version: string;
}

type RecordLike = { toSeq(): { entrySeq(): { toArray(): [string, unknown][] } } };

/** One kmc value as an ITF value. */
export function toItfValue(v: unknown): ItfValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? { '#bigint': BigInt(v).toString() } : unserializable(v);
  if (v === null || typeof v !== 'object') return unserializable(v);
  if (Record.isRecord(v)) return recordToItf(v);
  if (List.isList(v)) return (v as List<unknown>).toArray().map(toItfValue);
  if (OrderedSet.isOrderedSet(v)) return { '#set': [...(v as ISet<unknown>)].map(toItfValue) };
  if (ISet.isSet(v)) return { '#set': [...(v as ISet<unknown>)].map(toItfValue).sort(compareItf) };
  if (IMap.isMap(v)) {
    const pairs = [...(v as IMap<unknown, unknown>)].map(([k, x]) => [toItfValue(k), toItfValue(x)] as const);
    if (!OrderedMap.isOrderedMap(v)) pairs.sort((a, b) => compareItf(a[0], b[0]));
    return { '#map': pairs };
  }
  return unserializable(v);
}

function recordToItf(v: object): { [field: string]: ItfValue } {
  const out: { [field: string]: ItfValue } = {};
  for (const [k, x] of (v as RecordLike).toSeq().entrySeq().toArray()) out[k] = toItfValue(x);
  return out;
}

function unserializable(v: unknown): ItfValue {
  return { '#unserializable': Object.is(v, -0) ? '-0' : String(v) };
}

/**
 * A total order on ITF values: integers numerically, anything else by its JSON text. The two agree where
 * they meet, because every non-integer's JSON differs from `{"#bigint":"` before the digits.
 */
export function compareItf(a: ItfValue, b: ItfValue): number {
  const ia = integerOf(a);
  const ib = integerOf(b);
  if (ia !== undefined && ib !== undefined) return ia < ib ? -1 : ia > ib ? 1 : 0;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function integerOf(v: ItfValue): bigint | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const text = (v as { '#bigint'?: unknown })['#bigint'];
  return typeof text === 'string' ? BigInt(text) : undefined;
}

/** The ITF variables of a state: a Record's fields, or the whole state as one variable. */
export function itfVars(state: unknown): { [name: string]: ItfValue } {
  return Record.isRecord(state) ? recordToItf(state) : { [WHOLE_STATE_VAR]: toItfValue(state) };
}

/** The trace as ITF JSON text: the trace `#meta`, `vars`, then one state per line (diff-friendly). */
export function renderItf(trace: Trace, meta: ItfMeta): string {
  const states = trace.map((step, index) => ({ '#meta': { index, action: step.action }, ...itfVars(step.state) }));
  const vars = trace.length > 0 ? Object.keys(itfVars(trace[0]!.state)) : [];
  const metaText = JSON.stringify(traceMeta(meta), null, 2).replace(/\n/g, '\n  ');
  const lines = ['{', `  "#meta": ${metaText},`, `  "vars": ${JSON.stringify(vars)},`, '  "states": ['];
  states.forEach((s, i) => lines.push(`    ${JSON.stringify(s)}${i < states.length - 1 ? ',' : ''}`));
  lines.push('  ]', '}');
  return `${lines.join('\n')}\n`;
}

function traceMeta(m: ItfMeta): object {
  const what = m.kind === 'reachable' ? 'an example of' : m.kind === 'deadlock' ? 'a deadlock in' : 'a counterexample to';
  const subject = m.kind === 'deadlock' ? `${m.model}/${m.proposal}` : `${m.kind} ${m.property} of ${m.model}/${m.proposal}`;
  return {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    ...(m.source !== undefined ? { source: m.source } : {}),
    description: `kmc ${m.version}: ${what} ${subject}`,
    model: m.model,
    proposal: m.proposal,
    constants: m.constants,
    property: m.property,
    kind: m.kind,
    claim: m.claim,
    'kmc-version': m.version,
  };
}

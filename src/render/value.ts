/**
 * The one canonical printer for state values, and the flattening that diffs and JSON are built on.
 * Records print in field order, Lists in order, Maps and Sets sorted by their printed form (Immutable
 * iterates them in insertion order, which is not canonical), so equal states always print alike.
 */
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';

type RecordLike = { toSeq(): { entrySeq(): { toArray(): [string, unknown][] } } };

function fields(v: unknown): [string, unknown][] {
  return (v as RecordLike).toSeq().entrySeq().toArray();
}

/** One-line rendering: `{kind: PF, from: K}`, `[SYS, PF]`, `{k1, k2}`, `"text"` only where needed. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return /^[\w.:+-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Record.isRecord(v)) return `{${fields(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}}`;
  if (List.isList(v)) return `[${(v as List<unknown>).map(formatValue).join(', ')}]`;
  if (OrderedMap.isOrderedMap(v) || IMap.isMap(v)) {
    const parts = [...(v as IMap<unknown, unknown>)].map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`);
    if (!OrderedMap.isOrderedMap(v)) parts.sort();
    return `(${parts.join(', ')})`;
  }
  if (OrderedSet.isOrderedSet(v) || ISet.isSet(v)) {
    const parts = [...(v as ISet<unknown>)].map(formatValue);
    if (!OrderedSet.isOrderedSet(v)) parts.sort();
    return `{${parts.join(', ')}}`;
  }
  return String(v);
}

/**
 * The state as `path → printed value` lines, in a stable order: Records and Lists of composite values are
 * opened up (`cpus[0].frames[1].kind`), Maps by key, and everything else printed whole.
 */
export function flatten(v: unknown, path = ''): [string, string][] {
  const out: [string, string][] = [];
  walk(v, path, out);
  return out;
}

function walk(v: unknown, path: string, out: [string, string][]): void {
  if (v !== null && typeof v === 'object') {
    if (Record.isRecord(v)) {
      for (const [k, x] of fields(v)) walk(x, path ? `${path}.${k}` : k, out);
      return;
    }
    if (List.isList(v) && (v as List<unknown>).some(isComposite)) {
      (v as List<unknown>).forEach((x, i) => walk(x, `${path}[${i}]`, out));
      if ((v as List<unknown>).size === 0) out.push([path, '[]']);
      return;
    }
    if ((IMap.isMap(v) || OrderedMap.isOrderedMap(v)) && (v as IMap<unknown, unknown>).size > 0) {
      const entries = [...(v as IMap<unknown, unknown>)].map(([k, x]) => [formatValue(k), x] as const);
      if (!OrderedMap.isOrderedMap(v)) entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [k, x] of entries) walk(x, `${path}[${k}]`, out);
      return;
    }
  }
  out.push([path || '(state)', formatValue(v)]);
}

function isComposite(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Record.isRecord(v) || List.isList(v) || IMap.isMap(v));
}

/** A plain-JSON form of a state: Records as objects, Lists and Sets as arrays, Maps as objects or pairs. */
export function toPlain(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (Record.isRecord(v)) return Object.fromEntries(fields(v).map(([k, x]) => [k, toPlain(x)]));
  if (List.isList(v)) return (v as List<unknown>).toArray().map(toPlain);
  if (OrderedSet.isOrderedSet(v)) return [...(v as ISet<unknown>)].map(toPlain);
  if (ISet.isSet(v)) return sortByPrint([...(v as ISet<unknown>)]).map(toPlain);
  if (IMap.isMap(v)) {
    let entries = [...(v as IMap<unknown, unknown>)];
    if (!OrderedMap.isOrderedMap(v)) entries = sortByPrint(entries.map((e) => e[0])).map((k) => [k, (v as IMap<unknown, unknown>).get(k)]);
    if (entries.every(([k]) => typeof k === 'string' || typeof k === 'number')) {
      return Object.fromEntries(entries.map(([k, x]) => [String(k), toPlain(x)]));
    }
    return entries.map(([k, x]) => [toPlain(k), toPlain(x)]);
  }
  return String(v);
}

function sortByPrint<T>(xs: T[]): T[] {
  return xs
    .map((x) => [formatValue(x), x] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((p) => p[1]);
}

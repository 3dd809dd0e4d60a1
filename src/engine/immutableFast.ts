/**
 * Fast paths into Immutable.js (v5) internals for the codec, which reads and builds millions of Records
 * and small Lists. Through the public API every field read is a getter, then `get`, then `has`, then a
 * List lookup (shared/PERFORMANCE.md §0), and building a Record from an object goes through `ObjectSeq`.
 *
 * Every fast path here is verified against the public API once, when this module loads, on sample
 * values; if Immutable's internals ever differ, `FAST` is false and the codec uses the public API only.
 * The fast paths never change meaning, only speed.
 */
import { List, Record } from 'immutable';

interface ListInternals {
  size: number;
  _origin: number;
  _root: unknown;
  _tail: { array: unknown[] } | null | undefined;
}

interface RecordInternals {
  _values: ListInternals;
  _keys: string[];
  _defaultValues: { [key: string]: unknown };
}

const NO_ARRAY: unknown[] = [];

/**
 * The elements of a List of at most 32 elements as the List's own backing array (read `[0, size)` only;
 * do not modify), or `null` when the List is larger or laid out differently.
 */
export function smallListArray(list: unknown): unknown[] | null {
  const l = list as ListInternals;
  if (l.size === 0) return NO_ARRAY;
  if (l._origin !== 0 || l._root || !l._tail || l.size > 32) return null;
  return l._tail.array;
}

/** The field values of a Record in declaration order, or `null` when the fast path does not apply. */
export function recordFieldValues(record: unknown, keys: readonly string[], out: unknown[]): boolean {
  const r = record as RecordInternals;
  const arr = smallListArray(r._values);
  if (arr === null || r._values.size !== keys.length) return false;
  const defaults = r._defaultValues;
  for (let i = 0; i < keys.length; i++) {
    const v = i < arr.length ? arr[i] : undefined;
    out[i] = v === undefined ? defaults[keys[i]!] : v;
  }
  return true;
}

/** The defaults of a Record type's fields, in declaration order. */
export function recordDefaults(prototype: object, keys: readonly string[]): unknown[] {
  const defaults = (prototype as RecordInternals)._defaultValues;
  return keys.map((k) => defaults[k]);
}

/**
 * Field values as Immutable stores them: a field equal to its default is kept as undefined, so that
 * `set`, `equals` and `hashCode` behave exactly as for a Record built through the constructor.
 */
export function storedValues(prototype: object, keys: readonly string[], values: readonly unknown[]): unknown[] {
  const defaults = recordDefaults(prototype, keys);
  return values.map((v, i) => (v === defaults[i] ? undefined : v));
}

/** Builds a Record of the type of `prototype` from its stored field values (see `storedValues`). */
export function makeRecordFast(prototype: object, stored: unknown[]): unknown {
  const r = Object.create(prototype) as { __ownerID: unknown; _values: unknown };
  r.__ownerID = undefined;
  r._values = makeListFast(stored);
  return r;
}

const EMPTY_LIST = List();
const LIST_PROTOTYPE = Object.getPrototypeOf(EMPTY_LIST) as object;
type VNodeCtor = new (array: unknown[], ownerID: unknown) => unknown;
const VNODE = (List([0]) as unknown as ListInternals)._tail?.constructor as VNodeCtor | undefined;

/**
 * A List owning `array` (which must not be used afterwards), built as Immutable's own `makeList` does for
 * fewer than 32 elements; larger arrays go through the public constructor.
 */
export function makeListFast(array: unknown[]): unknown {
  const n = array.length;
  if (n === 0) return EMPTY_LIST;
  if (n >= 32 || VNODE === undefined) return List(array);
  const l = Object.create(LIST_PROTOTYPE) as ListFields;
  l.size = n;
  l._origin = 0;
  l._capacity = n;
  l._level = 5;
  l._root = undefined;
  l._tail = new VNODE(array, undefined);
  l.__ownerID = undefined;
  l.__hash = undefined;
  l.__altered = false;
  return l;
}

interface ListFields {
  size: number;
  _origin: number;
  _capacity: number;
  _level: number;
  _root: unknown;
  _tail: unknown;
  __ownerID: unknown;
  __hash: unknown;
  __altered: boolean;
}

/** Whether the fast paths agree with the public API on this version of Immutable. */
export const FAST: boolean = selfCheck();

function selfCheck(): boolean {
  try {
    const R = Record({ a: 1, b: List<number>(), c: 'x' }, 'KmcSelfCheck');
    const r = R({ a: 2, b: List([1, 2, 3]).push(4).pop() });
    const keys = ['a', 'b', 'c'];
    const vals: unknown[] = [];
    if (!recordFieldValues(r, keys, vals)) return false;
    if (vals[0] !== 2 || vals[1] !== r.b || vals[2] !== 'x') return false;
    const arr = smallListArray(r.b);
    if (!arr || r.b.size !== 3 || arr[0] !== 1 || arr[2] !== 3) return false;
    const shifted = List([1, 2, 3]).shift();
    const sa = smallListArray(shifted);
    if (sa !== null && sa[0] !== shifted.get(0)) return false;
    const proto = Object.getPrototypeOf(r) as object;
    const made = makeRecordFast(proto, storedValues(proto, keys, [2, r.b, 'x'])) as typeof r;
    const fromDefaults = makeRecordFast(proto, storedValues(proto, keys, [1, List(), 'x']));
    const list = makeListFast([1, 2, 3]) as List<number>;
    const listOk = list.equals(List([1, 2, 3])) && list.push(4).get(3) === 4 && list.set(0, 9).get(0) === 9 && list.pop().size === 2;
    const big = makeListFast(Array.from({ length: 40 }, (_, i) => i)) as List<number>;
    return (
      listOk &&
      big.get(39) === 39 &&
      made.equals(r) &&
      made.hashCode() === r.hashCode() &&
      made.set('a', 5).a === 5 &&
      R().equals(fromDefaults)
    );
  } catch {
    return false;
  }
}

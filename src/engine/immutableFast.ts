/**
 * Fast paths into Immutable.js (v5) internals for the codec, which reads and builds millions of Records
 * and small Lists. Through the public API every field read is a getter, then `get`, then `has`, then a
 * List lookup (shared/PERFORMANCE.md §0), and building a Record from an object goes through `ObjectSeq`.
 *
 * Every fast path here is verified against the public API once, when this module loads, on sample
 * values; if Immutable's internals ever differ, `FAST` is false and the codec uses the public API only.
 * The fast paths never change meaning, only speed.
 */
import { List, Record, Seq } from 'immutable';

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
  return new (FastListShape as unknown as new (n: number, tail: unknown) => ListFields)(n, new VNODE(array, undefined));
}

/**
 * Builds the fields of a List as Immutable's `makeList` does, with FAST_LIST_PROTOTYPE as prototype: a
 * constructor rather than `Object.create`, so that V8 keeps all nine fields inside the object instead of
 * allocating a separate property array for the ones past the fourth.
 */
function FastListShape(this: ListFields, n: number, tail: unknown): void {
  this.size = n;
  this._origin = 0;
  this._capacity = n;
  this._level = 5;
  this._root = undefined;
  this._tail = tail;
  this.__ownerID = undefined;
  this.__hash = undefined;
  this.__altered = false;
}

type Iteratee = (value: unknown, index: number, list: unknown) => unknown;
type ListMethods = {
  get(index: number, notSetValue?: unknown): unknown;
  set(index: number, value: unknown): unknown;
  push(...values: unknown[]): unknown;
  pop(): unknown;
  __iterate(fn: Iteratee, reverse?: boolean): number;
  every(predicate: Iteratee, context?: unknown): boolean;
  some(predicate: Iteratee, context?: unknown): boolean;
  count(predicate?: Iteratee, context?: unknown): number;
  map(mapper: Iteratee, context?: unknown): unknown;
  filter(predicate: Iteratee, context?: unknown): unknown;
};
type FastList = ListFields & { _tail: { array: unknown[] } | null | undefined };
const listMethods = LIST_PROTOTYPE as unknown as ListMethods;
const { get: listGet, set: listSet, push: listPush, pop: listPop, __iterate: listIterate, map: listMap, filter: listFilter } =
  listMethods;
const { every: listEvery, some: listSome, count: listCount } = listMethods;

/** Whether `l` is a List of at most 32 elements held in its tail array from index 0 (makeListFast's layout). */
function tailOnly(l: FastList): boolean {
  return l._origin === 0 && !l._root && !!l._tail && l.size <= 32;
}

/**
 * The prototype of the Lists the codec decodes and of the Lists derived from them by the methods below:
 * List's own, with `get`, `set`, `push` and `pop` on small Lists done directly on the tail array. Spec
 * code calls these millions of times (`s.cpus.get(c)`, `frames.push(f)`, `frames.last()`), and
 * Immutable's versions go through `wrapIndex`, `listNodeFor`, `withMutations` and `setListBounds`. Each
 * returns a List equal to what List's own method returns (the very same List when `set` changes nothing,
 * as List's does) and defers to it for anything else: other index types, larger Lists, several values, a
 * List being mutated inside `withMutations`.
 *
 * `every`, `some` (and `includes` through it) and `count` are what invariants call on every new state
 * (`s.cpus.every(...)`), and `__iterate` is the loop under `forEach`, `find`, `findIndex` and `reduce`;
 * Immutable's walk the List through a closure per element. `map` and `filter` build their array
 * directly instead of through `withMutations` and a filtered Seq. Callbacks get the same arguments, in
 * the same order, as from Immutable's own methods.
 */
const FAST_LIST_PROTOTYPE: object = Object.create(LIST_PROTOTYPE, {
  get: {
    value: function get(this: FastList, index: number, notSetValue?: unknown): unknown {
      if (typeof index === 'number' && (index | 0) === index && tailOnly(this)) {
        const i = index < 0 ? index + this.size : index;
        return i >= 0 && i < this.size ? this._tail!.array[i] : notSetValue;
      }
      return listGet.call(this, index, notSetValue);
    },
    writable: true,
    configurable: true,
  },
  set: {
    value: function set(this: FastList, index: number, value: unknown): unknown {
      if (this.__ownerID === undefined && typeof index === 'number' && (index | 0) === index && tailOnly(this)) {
        const i = index < 0 ? index + this.size : index;
        if (i >= 0 && i < this.size) {
          const arr = this._tail!.array;
          if (arr[i] === value) return this;
          const next = arr.slice(0, this.size);
          next[i] = value;
          return makeListFast(next);
        }
      }
      return listSet.call(this, index, value);
    },
    writable: true,
    configurable: true,
  },
  push: {
    value: function push(this: FastList, value?: unknown): unknown {
      if (arguments.length === 1 && this.__ownerID === undefined && tailOnly(this) && this.size < 31) {
        const next = this._tail!.array.slice(0, this.size);
        next.push(value);
        return makeListFast(next);
      }
      return listPush.apply(this, arguments as unknown as unknown[]);
    },
    writable: true,
    configurable: true,
  },
  pop: {
    value: function pop(this: FastList): unknown {
      if (this.__ownerID === undefined && tailOnly(this) && this.size > 0) {
        return makeListFast(this._tail!.array.slice(0, this.size - 1));
      }
      return listPop.call(this);
    },
    writable: true,
    configurable: true,
  },
  __iterate: {
    // As List's own: `fn(value, index, list)` until it returns false; returns the index reached (forward:
    // one past the element that stopped it, or the size; reverse: the index of that element, or 0).
    value: function __iterate(this: FastList, fn: Iteratee, reverse?: boolean): number {
      if (!tailOnly(this)) return listIterate.call(this, fn, reverse);
      const arr = this._tail!.array;
      const n = this.size;
      if (reverse) {
        let index = n;
        while (index > 0) {
          index--;
          if (fn(arr[index], index, this) === false) break;
        }
        return index;
      }
      let index = 0;
      while (index < n) {
        const i = index++;
        if (fn(arr[i], i, this) === false) break;
      }
      return index;
    },
    writable: true,
    configurable: true,
  },
  every: {
    value: function every(this: FastList, predicate: Iteratee, context?: unknown): boolean {
      if (!tailOnly(this)) return listEvery.call(this, predicate, context);
      const arr = this._tail!.array;
      for (let i = 0; i < this.size; i++) if (!predicate.call(context, arr[i], i, this)) return false;
      return true;
    },
    writable: true,
    configurable: true,
  },
  some: {
    value: function some(this: FastList, predicate: Iteratee, context?: unknown): boolean {
      if (!tailOnly(this)) return listSome.call(this, predicate, context);
      const arr = this._tail!.array;
      for (let i = 0; i < this.size; i++) if (predicate.call(context, arr[i], i, this)) return true;
      return false;
    },
    writable: true,
    configurable: true,
  },
  count: {
    // List's own counts through `this.toSeq().filter(...)`, whose predicate gets that Seq as its third
    // argument: so does this one.
    value: function count(this: FastList & { toSeq(): unknown }, predicate?: Iteratee, context?: unknown): number {
      if (!predicate) return this.size;
      if (!tailOnly(this)) return listCount.call(this, predicate, context);
      const arr = this._tail!.array;
      const seq = this.toSeq();
      let n = 0;
      for (let i = 0; i < this.size; i++) if (predicate.call(context, arr[i], i, seq)) n++;
      return n;
    },
    writable: true,
    configurable: true,
  },
  map: {
    // List's own returns the very same List when every element maps to itself (withMutations unaltered).
    value: function map(this: FastList, mapper: Iteratee, context?: unknown): unknown {
      if (this.__ownerID !== undefined || !tailOnly(this)) return listMap.call(this, mapper, context);
      const arr = this._tail!.array;
      const n = this.size;
      let out: unknown[] | null = null;
      for (let i = 0; i < n; i++) {
        const v = mapper.call(context, arr[i], i, this);
        if (out === null && v !== arr[i]) out = arr.slice(0, n);
        if (out !== null) out[i] = v;
      }
      return out === null ? this : makeListFast(out);
    },
    writable: true,
    configurable: true,
  },
  filter: {
    // List's own always returns a new List (or the empty one).
    value: function filter(this: FastList, predicate: Iteratee, context?: unknown): unknown {
      if (!tailOnly(this)) return listFilter.call(this, predicate, context);
      const arr = this._tail!.array;
      const n = this.size;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) if (predicate.call(context, arr[i], i, this)) out.push(arr[i]);
      return makeListFast(out);
    },
    writable: true,
    configurable: true,
  },
}) as object;

FastListShape.prototype = FAST_LIST_PROTOTYPE;

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

/**
 * A prototype for decoded Records of one type, derived from the type's own, whose field getters
 * (`cpu.msr`) read the backing array directly. Immutable's getter goes `get` → `has` → `_indices` →
 * `List.get` on every read, and spec code reads fields millions of times. Immutable defines its getters
 * as non-configurable, so they are shadowed here rather than replaced; `set` and `merge` keep an
 * instance's prototype, so states the spec derives from decoded ones read fast too, and `constructor`,
 * `instanceof`, `equals` and `hashCode` are those of the type. Each getter returns exactly what
 * `record.get(name)` returns and falls back to `get` whenever the backing List is not a small array.
 */
export function fastPrototype(prototype: object, keys: readonly string[]): object {
  const proto = Object.create(prototype) as object;
  const defaults = (prototype as RecordInternals)._defaultValues;
  keys.forEach((name, i) => {
    const def = defaults[name];
    Object.defineProperty(proto, name, {
      get(this: RecordInternals & { get(k: string): unknown }) {
        const l = this._values;
        if (l._origin === 0 && !l._root && l._tail && i < l.size) {
          const v = l._tail.array[i];
          return v === undefined ? def : v;
        }
        return this.get(name);
      },
      set(this: { set(k: string, v: unknown): unknown }, value: unknown) {
        this.set(name, value);
      },
    });
  });
  Object.defineProperty(proto, 'merge', { value: fastMerge, writable: true, configurable: true });
  Object.defineProperty(proto, 'set', { value: fastSet, writable: true, configurable: true });
  return proto;
}

interface MergeTarget extends RecordInternals {
  __ownerID: unknown;
  _indices: { [key: string]: number };
}

const hasOwn = Object.prototype.hasOwnProperty;
const recordMerge = (Record({}).prototype as unknown as { merge: (...xs: unknown[]) => unknown }).merge;

/**
 * `record.merge({ a: 1, b: 2 })` as Immutable defines it for one plain object (`set(key, value)` for
 * each own key, unknown keys ignored, a field equal to its default stored as undefined), without the
 * `ObjectSeq` and `withMutations` it goes through: 1.7 µs against 0.4 µs for the same `set`s. Anything
 * else (several arguments, a Map, a Record, a record being mutated) takes Immutable's own path.
 */
function fastMerge(this: MergeTarget, arg?: unknown): unknown {
  // `arguments`, not a rest parameter: no array per call on the fast path.
  const obj = arg as { [key: string]: unknown } | null;
  const l = this._values;
  if (
    arguments.length !== 1 || this.__ownerID !== undefined || obj === null || typeof obj !== 'object' ||
    Object.getPrototypeOf(obj) !== Object.prototype || l._origin !== 0 || l._root || !l._tail
  ) {
    return recordMerge.apply(this, arguments as unknown as unknown[]);
  }
  const arr = l._tail.array;
  const indices = this._indices;
  const defaults = this._defaultValues;
  let out: unknown[] | null = null;
  // for-in rather than Object.keys: no array per call (obj is a plain object, so for-in sees its own keys).
  for (const key in obj) {
    if (!hasOwn.call(obj, key) || !hasOwn.call(indices, key)) continue;
    const v = obj[key];
    const stored = v === defaults[key] ? undefined : v;
    const i = indices[key]!;
    if ((out ?? arr)[i] === stored) continue;
    out ??= storedCopy(arr, l.size);
    out[i] = stored;
  }
  return out === null ? this : makeRecordFast(Object.getPrototypeOf(this) as object, out);
}

/**
 * The first `n` stored values of a Record: its backing array may be shorter than its size (a Record built
 * by its constructor with trailing fields at their defaults), and the copy must hold all `n`.
 */
function storedCopy(arr: unknown[], n: number): unknown[] {
  if (arr.length >= n) return arr.slice(0, n);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = arr[i];
  return out;
}

const recordSet = (Record({}).prototype as unknown as { set: (k: unknown, v: unknown) => unknown }).set;

/**
 * `record.set(key, value)` as Immutable defines it (unknown keys ignored, a value equal to the field's
 * default stored as undefined, the very same record when nothing changes), straight on the backing array
 * instead of through `has`, the List's `set` and `makeRecord`. A record being mutated takes Immutable's path.
 */
function fastSet(this: MergeTarget, key: unknown, value: unknown): unknown {
  const l = this._values;
  if (this.__ownerID !== undefined || typeof key !== 'string' || l._origin !== 0 || l._root || !l._tail) {
    return recordSet.call(this, key, value);
  }
  const indices = this._indices;
  if (!hasOwn.call(indices, key)) return this;
  const i = indices[key]!;
  if (i >= l.size) return recordSet.call(this, key, value);
  const stored = value === this._defaultValues[key] ? undefined : value;
  const arr = l._tail.array;
  if (arr[i] === stored) return this;
  const out = storedCopy(arr, l.size);
  out[i] = stored;
  return makeRecordFast(Object.getPrototypeOf(this) as object, out);
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
    const fl = makeListFast(['a', 'b', 'c']) as List<string>;
    const fastListOk =
      fl.get(0) === 'a' && fl.get(-1) === 'c' && fl.last() === 'c' && fl.first() === 'a' && fl.get(3) === undefined &&
      fl.get(-4, 'd') === 'd' && fl.set(1, 'b') === fl && fl.set(1, 'x').equals(List(['a', 'x', 'c'])) &&
      fl.set(3, 'd').equals(List(['a', 'b', 'c', 'd'])) && fl.set(-1, 'z').get(2) === 'z' &&
      fl.push('d').equals(List(['a', 'b', 'c', 'd'])) && fl.push('d', 'e').size === 5 && fl.pop().equals(List(['a', 'b'])) &&
      (makeListFast(['a']) as List<string>).pop().equals(List()) && fl.push('d').hashCode() === List(['a', 'b', 'c', 'd']).hashCode() &&
      fl.withMutations((m) => m.set(0, 'q').push('r')).equals(List(['q', 'b', 'c', 'r'])) && fl.size === 3 && fl.get(0) === 'a' &&
      List.isList(fl.pop()) && fl.pop().push('y').get(2) === 'y' && fl.set(0, 'k').pop().equals(List(['k', 'b']));
    const seen: unknown[] = [];
    const iterateOk =
      fl.every((v) => typeof v === 'string') && !fl.every((v) => v === 'a') && fl.some((v) => v === 'c') &&
      !fl.some((v) => v === 'z') && fl.count((v) => v !== 'b') === 2 && fl.count() === 3 &&
      fl.count((_, i, c) => Seq.isSeq(c) && i >= 0) === 3 && fl.every((_, i, c) => c === fl && i >= 0) && fl.find((v) => v > 'a') === 'b' &&
      fl.findIndex((v) => v === 'c') === 2 && fl.includes('b') && !fl.includes('z') && fl.reduce((a, v) => a + v, '') === 'abc' &&
      fl.reduceRight((a, v) => a + v, '') === 'cba' && fl.forEach((v) => v !== 'b') === 2 && fl.forEach(() => true) === 3 &&
      fl.forEach((v, i, c) => void seen.push(v, i, c === fl)) === 3 && seen.join() === 'a,0,true,b,1,true,c,2,true' &&
      fl.map((v) => v) === fl && fl.map((v, i) => v + i).equals(List(['a0', 'b1', 'c2'])) &&
      fl.map((v, i) => v + i).hashCode() === List(['a0', 'b1', 'c2']).hashCode() &&
      fl.filter((v) => v !== 'b').equals(List(['a', 'c'])) && fl.filter(() => false).equals(List()) &&
      fl.filter((_, i, c) => c === fl && i >= 0).equals(fl) && fl.toArray().join() === 'a,b,c' &&
      fl.reverse().toArray().join() === 'c,b,a' && [...fl].join() === 'a,b,c';
    const A = Record({ x: 1, y: 'd' }, 'KmcSelfCheckFast');
    const fast = fastPrototype(Object.getPrototypeOf(A()) as object, ['x', 'y']);
    const a = makeRecordFast(fast, [undefined, 'e']) as ReturnType<typeof A>;
    const mutated = a.withMutations((m) => m.set('x', 7));
    const m1 = a.merge({ x: 4, zz: 1, constructor: 2 } as never);
    const m2 = a.merge({ x: 1, y: 'e' });
    const m3 = a.merge({ y: 'd' });
    const inMut = a.withMutations((m) => m.merge({ x: 8 }));
    const setOk =
      a.set('x', 1) === a && a.set('y', 'e') === a && a.set('x', 5).x === 5 && a.set('x', 5).equals(A({ x: 5, y: 'e' })) &&
      a.set('x', 5).hashCode() === A({ x: 5, y: 'e' }).hashCode() && a.set('y', 'd').equals(A()) &&
      (a.set('zz' as never, 3 as never) as unknown) === a && a.withMutations((m) => m.set('x', 6)).x === 6 && a.x === 1;
    const mergeOk =
      m1.equals(A({ x: 4, y: 'e' })) && m1.hashCode() === A({ x: 4, y: 'e' }).hashCode() && m2.equals(a) &&
      m3.equals(A()) && m3.y === 'd' && m3.set('x', 2).x === 2 && inMut.x === 8 && a.merge(A({ x: 9 })).x === 9;
    const accelOk =
      mergeOk &&
      setOk &&
      iterateOk &&
      a.x === 1 && a.y === 'e' && a.set('x', 3).x === 3 && mutated.x === 7 && a instanceof A &&
      a.equals(A({ y: 'e' })) && a.hashCode() === A({ y: 'e' }).hashCode() && a.merge({ y: 'f' }).y === 'f';
    return (
      accelOk &&
      listOk &&
      fastListOk &&
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

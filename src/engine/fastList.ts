/**
 * Fast paths into Immutable.js (v5) Lists for the codec and for spec code (see immutableFast.ts for how
 * they are verified): Lists of fewer than 32 elements built directly in Immutable's own layout, and a
 * prototype whose methods work on their backing array.
 */
import { List } from 'immutable';

export interface ListInternals {
  size: number;
  _origin: number;
  _root: unknown;
  _tail: { array: unknown[] } | null | undefined;
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

/** The first `n` elements of `arr`: `slice()` when that is all of it, V8's fastest copy (16 ns against 24-32). */
function copyOf(arr: unknown[], n: number): unknown[] {
  return arr.length === n ? arr.slice() : arr.slice(0, n);
}

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
          const next = copyOf(arr, this.size);
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
        const next = copyOf(this._tail!.array, this.size);
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

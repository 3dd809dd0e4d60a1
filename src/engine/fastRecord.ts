/**
 * Fast paths into Immutable.js (v5) Records for the codec and for spec code (see immutableFast.ts for how
 * they are verified): reading a Record's stored values, building one from them, and a prototype for
 * decoded Records whose getters, `set` and `merge` work on the backing array.
 */
import { Record } from 'immutable';
import { type ListInternals, makeListFast, smallListArray } from './fastList.js';

interface RecordInternals {
  _values: ListInternals;
  _keys: string[];
  _defaultValues: { [key: string]: unknown };
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

/**
 * Where a Record built by kmc keeps its stored values, so that its field getters and the encoder read
 * them in one load instead of going through its List's fields. Always the values its List holds (the
 * List's own array below 32 fields): Immutable never writes into a List's array, it copies, and a Record
 * it derives (`set`, `withMutations`) is a new object without this own property, which then reads the
 * prototype's undefined (see `fastPrototype`) and takes the List path.
 */
export const STORED = Symbol('kmc.stored');

/** Builds a Record of the type of `prototype` from its stored field values (see `storedValues`). */
export function makeRecordFast(prototype: object, stored: unknown[]): unknown {
  const r = Object.create(prototype) as { __ownerID: unknown; _values: unknown; [STORED]: unknown[] };
  r.__ownerID = undefined;
  r._values = makeListFast(stored);
  r[STORED] = stored;
  return r;
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
    Object.defineProperty(proto, name, { get: fieldGetter(name, i, defaults[name]), set: fieldSetter(name) });
  });
  Object.defineProperty(proto, DEFAULTS, { value: keys.map((k) => defaults[k]), configurable: true });
  // Writable, so that makeRecordFast's own property can be assigned on instances.
  Object.defineProperty(proto, STORED, { value: undefined, writable: true, configurable: true });
  Object.defineProperty(proto, 'merge', { value: fastMerge, writable: true, configurable: true });
  Object.defineProperty(proto, 'set', { value: fastSet, writable: true, configurable: true });
  return proto;
}

/** Makes every generated getter's source text unique (see `fieldGetter`). */
let getters = 0;

/**
 * The getter of field `name`, at index `i`, with default `def`. Generated from source text of its own, so
 * that V8 keeps type feedback per field: closures of one function literal share it, and one getter for
 * every field of every type would see every Record shape a model has (megamorphic loads: the profile of
 * the bench put 5% of the run in this getter).
 */
function fieldGetter(name: string, i: number, def: unknown): () => unknown {
  const source = `
  // kmc field getter #${getters++}: ${JSON.stringify(name)}, index ${i}
  return function get() {
    const stored = this[STORED];
    if (stored !== undefined) {
      const v = stored[${i}];
      return v === undefined ? def : v;
    }
    const l = this._values;
    if (l._origin === 0 && !l._root && l._tail && ${i} < l.size) {
      const v = l._tail.array[${i}];
      return v === undefined ? def : v;
    }
    return this.get(name);
  };`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- once per field of a Record type, see above
    return new Function('name', 'def', 'STORED', source)(name, def, STORED) as () => unknown;
  } catch {
    // Code generation disallowed (node --disallow-code-generation-from-strings): the same getter, shared.
    return function (this: RecordInternals & { [STORED]?: unknown[]; get(k: string): unknown }) {
      const stored = this[STORED];
      if (stored !== undefined) {
        const v = stored[i];
        return v === undefined ? def : v;
      }
      const l = this._values;
      if (l._origin === 0 && !l._root && l._tail && i < l.size) {
        const v = l._tail.array[i];
        return v === undefined ? def : v;
      }
      return this.get(name);
    };
  }
}

function fieldSetter(name: string): (value: unknown) => void {
  return function (this: { set(k: string, v: unknown): unknown }, value: unknown) {
    this.set(name, value);
  };
}

/** Where a fast prototype keeps its type's defaults by field index, for `merge`. */
const DEFAULTS = '__kmcDefaults';

interface MergeTarget extends RecordInternals {
  __ownerID: unknown;
  _indices: { [key: string]: number };
  [DEFAULTS]: unknown[];
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
  const defaults = this[DEFAULTS];
  let out: unknown[] | null = null;
  // for-in rather than Object.keys: no array per call (obj is a plain object, so for-in sees its own keys).
  for (const key in obj) {
    // One lookup for "is it a field" and "which": `indices` is a plain object, and what it inherits from
    // Object.prototype (`constructor`, `toString`, ...) is never a number.
    const i = indices[key];
    if (typeof i !== 'number' || !hasOwn.call(obj, key)) continue;
    const v = obj[key];
    const stored = v === defaults[i] ? undefined : v;
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
  // `slice()` without arguments is V8's fastest copy (about 16 ns against 24-32 for `slice(0, n)`).
  if (arr.length === n) return arr.slice();
  if (arr.length > n) return arr.slice(0, n);
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
  // As in `fastMerge`: what `_indices` inherits is never a number.
  const i = this._indices[key];
  if (typeof i !== 'number') return this;
  if (i >= l.size) return recordSet.call(this, key, value);
  const stored = value === this[DEFAULTS][i] ? undefined : value;
  const arr = l._tail.array;
  if (arr[i] === stored) return this;
  const out = storedCopy(arr, l.size);
  out[i] = stored;
  return makeRecordFast(Object.getPrototypeOf(this) as object, out);
}


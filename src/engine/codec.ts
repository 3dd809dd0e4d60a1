/**
 * The canonical byte encoding of a state, and its inverse.
 *
 * Two states get the same bytes exactly when they are equal as kmc sees them: the same Record types with
 * equal fields, Lists in order, Maps and Sets regardless of insertion order (their entries are sorted by
 * their own encodings), primitives by value. Record types are told apart even when their fields agree,
 * which Immutable's `is()` does not do. Anything else in a state (a plain array or object, a function, a
 * class instance) is refused with a `SpecError`: such values compare by identity and would silently
 * multiply the state space.
 *
 * Each value is a varint header `n * 8 + tag` followed by its parts:
 *   tag 0  a non-negative integer n below 2^28 (one byte when n < 16);
 *   tag 1  another primitive: atom number n (strings, booleans, null, other numbers);
 *   tag 2  a Record of type n, then its fields in declaration order;
 *   tag 3  a List of n elements;  tag 4/5  a Map / Set of n entries, sorted;
 *   tag 6/7  an OrderedMap / OrderedSet of n entries, in order.
 * Atom and type numbers are given in order of first sight, so they are deterministic for a given run.
 *
 * Speed (shared/PERFORMANCE.md §2.2): decoding hash-conses every nested value, so states decoded from the
 * store share their sub-records; encoding reads a shared sub-record's bytes from an identity memo instead
 * of walking it again. Both caches are bounded and only ever trade time, never meaning.
 */
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { SpecError } from '../errors.js';
import { fastPrototype, FAST, makeListFast, makeRecordFast, recordDefaults, smallListArray } from './immutableFast.js';
import { hashBytes } from './stateStore.js';

const T_INT = 0;
const T_ATOM = 1;
const T_RECORD = 2;
const T_LIST = 3;
const T_MAP = 4;
const T_SET = 5;
const T_OMAP = 6;
const T_OSET = 7;
const MAX_INT = 0x0fffffff;
/** Slots of the direct-mapped hash-consing cache: a value whose slot is taken replaces it. */
const CACHE_BITS = 16;
/** Where a codec leaves, on a shared prototype, which type number it gave that prototype's values. */
const KIND = Symbol('kmc.kind');
interface Kind {
  readonly owner: Codec;
  /** The Record type's number, or -1 for a List. */
  readonly type: number;
}
type Tagged = { [key: symbol]: unknown };
const EMPTY_LIST = List();
const LIST_PROTOTYPE = Object.getPrototypeOf(EMPTY_LIST) as object;

/** Leaves `kind` on `prototype` (the last codec to meet a type wins; the others take the slow path). */
function markKind(prototype: object, kind: Kind): void {
  Object.defineProperty(prototype, KIND, { value: kind, writable: true, configurable: true, enumerable: false });
}

/** The prototype a Record type's constructor gives its values (decoded Records get one derived from it). */
function typePrototype(prototype: object): object {
  let p: object | null = prototype;
  while (p !== null && !Object.prototype.hasOwnProperty.call(p, '_keys')) p = Object.getPrototypeOf(p) as object | null;
  return p ?? prototype;
}

type Fields = { [key: string]: unknown };

interface RecordType {
  readonly factory: (values: Fields) => unknown;
  /** The prototype decoded Records get: the type's own, with fast field getters (immutableFast.ts). */
  readonly prototype: object;
  readonly keys: readonly string[];
  /** Field defaults in declaration order: Immutable stores a field equal to its default as undefined. */
  readonly defaults: readonly unknown[];
}

type RecordLike = { get(k: string): unknown; toSeq(): { keySeq(): { toArray(): string[] } }; constructor: unknown };

export class Codec {
  /** Scratch output of `encode`: the bytes are `buf[0 .. length)`. */
  buf: Buffer = Buffer.allocUnsafe(1 << 12);
  private pos = 0;
  private readonly atoms = new Map<unknown, number>();
  private readonly stringAtoms = new Map<string, number>();
  private readonly atomValues: unknown[] = [];
  private readonly typeIds = new Map<unknown, number>();
  private readonly types: RecordType[] = [];
  /**
   * The bytes of each decoded composite value, kept on the value itself under this codec's own symbol, so
   * re-encoding a sub-record a successor shares with its parent is a copy (the identity memo of
   * shared/PERFORMANCE.md §2.2, without a Map lookup). Per codec, because type and atom numbers are.
   */
  private readonly CODE: symbol = Symbol('kmc.code');
  private readonly cacheKeys: (string | undefined)[] = new Array<string | undefined>(1 << CACHE_BITS);
  private readonly cacheValues: (object | undefined)[] = new Array<object | undefined>(1 << CACHE_BITS);
  private src: Buffer = this.buf;
  private rpos = 0;

  /** Encodes `state` into `buf`; returns the length. Throws `SpecError` for values kmc cannot store. */
  encode(state: unknown): number {
    this.pos = 0;
    this.value(state);
    return this.pos;
  }

  /** Rebuilds the state whose bytes are `src[start .. end)`. */
  decode(src: Buffer, start: number, end: number): unknown {
    this.src = src;
    this.rpos = start;
    const v = this.read();
    if (this.rpos !== end) throw new Error(`codec: decoded ${this.rpos - start} of ${end - start} bytes`);
    return v;
  }

  private value(v: unknown): void {
    if (typeof v === 'number' && v >= 0 && v <= MAX_INT && Number.isInteger(v) && !Object.is(v, -0)) {
      this.header(v, T_INT);
    } else if (v === null || typeof v !== 'object') {
      this.header(this.atom(v), T_ATOM);
    } else {
      const code = (v as Tagged)[this.CODE];
      if (code !== undefined) this.copy(code as string);
      else this.composite(v);
    }
  }

  private atom(v: unknown): number {
    if (typeof v === 'string') {
      const id = this.stringAtoms.get(v);
      return id !== undefined ? id : this.newAtom(v, this.stringAtoms);
    }
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      throw new SpecError(`a state holds a ${typeof v}; states hold only Immutable values and primitives`);
    }
    const id = this.atoms.get(v);
    return id !== undefined ? id : this.newAtom(v, this.atoms);
  }

  /**
   * Stops numbering new atoms and Record types: meeting one afterwards throws `CodecFrozen`. Numbers are
   * given in order of first sight, so two codecs (say, in two worker threads) agree on every state's bytes
   * only while neither meets a value the other has not numbered the same way; a codec that copied its
   * numbering from a deterministic common prefix and then froze can rely on that, or learn that it cannot.
   */
  freeze(): void {
    this.frozen = true;
  }
  private frozen = false;

  /** This codec's numbering, in order: equal descriptions mean equal bytes for every value. */
  numbering(): string {
    const atoms = this.atomValues.map((v) => (typeof v === 'string' ? JSON.stringify(v) : `${typeof v}:${String(v)}`));
    const types = this.types.map((t) => `${recordName(t.prototype)}{${t.keys.join(',')}}`);
    return `atoms ${atoms.join(' ')}; types ${types.join(' ')}`;
  }

  /** Strings and other primitives live in separate maps so that "1" and 1 stay apart. */
  private newAtom<K>(v: K, map: Map<K, number>): number {
    if (this.frozen) throw new CodecFrozen(`a new value ${JSON.stringify(v) ?? String(v)}`);
    const id = this.atomValues.length;
    map.set(v, id);
    this.atomValues.push(v);
    return id;
  }

  private composite(v: object): void {
    // The kind of value in one property load: the type number this codec left on a Record type's
    // prototype (or List's), checked to be this codec's, since prototypes are shared by all codecs.
    const kind = (v as Tagged)[KIND] as Kind | undefined;
    if (kind !== undefined && kind.owner === this) {
      if (kind.type >= 0) return this.fields(v as unknown as RecordLike, this.types[kind.type]!, kind.type);
      return this.list(v as List<unknown>);
    }
    if (Record.isRecord(v)) return this.record(v as unknown as RecordLike);
    if (List.isList(v)) {
      markKind(LIST_PROTOTYPE, { owner: this, type: -1 });
      return this.list(v as List<unknown>);
    }
    return this.collection(v);
  }

  private list(l: List<unknown>): void {
    this.header(l.size, T_LIST);
    const arr = FAST ? smallListArray(l) : null;
    if (arr !== null) for (let i = 0; i < l.size; i++) this.value(arr[i]);
    else for (let i = 0; i < l.size; i++) this.value(l.get(i));
  }

  private collection(v: object): void {
    if (OrderedMap.isOrderedMap(v)) return this.entries(v as IMap<unknown, unknown>, T_OMAP, false);
    if (IMap.isMap(v)) return this.entries(v as IMap<unknown, unknown>, T_MAP, true);
    if (OrderedSet.isOrderedSet(v)) return this.elements(v as ISet<unknown>, T_OSET, false);
    if (ISet.isSet(v)) return this.elements(v as ISet<unknown>, T_SET, true);
    throw new SpecError(`a state holds ${describe(v)}; states hold only Immutable values (Record, List, Map, Set) and primitives`);
  }

  private record(r: RecordLike): void {
    const id = this.recordType(r);
    this.fields(r, this.types[id]!, id);
  }

  private fields(r: RecordLike, type: RecordType, id: number): void {
    this.header(id, T_RECORD);
    const { keys, defaults } = type;
    const arr = FAST ? smallListArray((r as unknown as { _values: unknown })._values) : null;
    if (arr !== null && arr.length >= keys.length) {
      for (let i = 0; i < keys.length; i++) {
        const v = arr[i];
        this.value(v === undefined ? defaults[i] : v);
      }
    } else {
      for (let i = 0; i < keys.length; i++) this.value(r.get(keys[i]!));
    }
  }

  private recordType(r: RecordLike): number {
    const ctor = r.constructor;
    let id = this.typeIds.get(ctor);
    if (id === undefined) {
      if (this.frozen) throw new CodecFrozen(`a new Record type ${recordName(Object.getPrototypeOf(r) as object)}`);
      id = this.types.length;
      this.typeIds.set(ctor, id);
      const keys = r.toSeq().keySeq().toArray();
      const prototype = Object.getPrototypeOf(r) as object;
      const defaults = FAST ? recordDefaults(prototype, keys) : [];
      const decoded = FAST ? fastPrototype(prototype, keys) : prototype;
      markKind(typePrototype(prototype), { owner: this, type: id });
      this.types.push({ factory: ctor as RecordType['factory'], prototype: decoded, keys, defaults });
    }
    return id;
  }

  private entries(m: IMap<unknown, unknown>, tag: number, sorted: boolean): void {
    this.header(m.size, tag);
    const start = this.pos;
    const parts: [string, string][] = [];
    for (const [key, val] of m) {
      const from = this.pos;
      this.value(key);
      const mid = this.pos;
      this.value(val);
      if (sorted) parts.push([latin1(this.buf, from, mid), latin1(this.buf, from, this.pos)]);
    }
    if (sorted) this.rewriteSorted(start, parts);
  }

  private elements(s: ISet<unknown>, tag: number, sorted: boolean): void {
    this.header(s.size, tag);
    const start = this.pos;
    const parts: [string, string][] = [];
    for (const e of s) {
      const from = this.pos;
      this.value(e);
      if (sorted) {
        const code = latin1(this.buf, from, this.pos);
        parts.push([code, code]);
      }
    }
    if (sorted) this.rewriteSorted(start, parts);
  }

  /** Rewrites the entries after `start` in the order of their keys' encodings. */
  private rewriteSorted(start: number, parts: [string, string][]): void {
    parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.pos = start;
    for (const [, code] of parts) this.copy(code);
  }

  private header(n: number, tag: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    let x = n * 8 + tag;
    while (x >= 0x80) {
      this.buf[this.pos++] = (x & 0x7f) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.pos++] = x;
  }

  private copy(code: string): void {
    const n = code.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = code.charCodeAt(i);
    this.pos = p;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + need + 64));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private varint(): number {
    const src = this.src;
    let b = src[this.rpos++]!;
    if (b < 0x80) return b;
    let x = b & 0x7f;
    let mul = 128;
    do {
      b = src[this.rpos++]!;
      x += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    return x;
  }

  /** Reads one value; nested composite values are hash-consed through `interned`. */
  private read(): unknown {
    const h = this.varint();
    const tag = h & 7;
    const n = (h - tag) / 8;
    switch (tag) {
      case T_INT:
        return n;
      case T_ATOM:
        return this.atomValues[n];
      case T_RECORD:
        return this.readRecord(this.types[n]!);
      case T_LIST:
        return FAST ? makeListFast(this.children(n)) : List(this.children(n));
      case T_MAP:
      case T_OMAP: {
        const pairs: [unknown, unknown][] = [];
        for (let i = 0; i < n; i++) pairs.push([this.child(), this.child()]);
        return tag === T_MAP ? IMap(pairs) : OrderedMap(pairs);
      }
      default: {
        const els = this.children(n);
        return tag === T_SET ? ISet(els) : OrderedSet(els);
      }
    }
  }

  private children(n: number): unknown[] {
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.child();
    return out;
  }

  private readRecord(type: RecordType): unknown {
    const { keys, defaults } = type;
    if (FAST) {
      const stored = new Array<unknown>(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const v = this.child();
        stored[i] = v === defaults[i] ? undefined : v;
      }
      return makeRecordFast(type.prototype, stored);
    }
    const fields: Fields = {};
    for (const key of keys) fields[key] = this.child();
    return type.factory(fields);
  }

  /**
   * Reads a nested value, reusing the object built last time the same bytes were read (hash-consing), so
   * decoded states share sub-records and the encoder finds their bytes in its memo.
   */
  private child(): unknown {
    const src = this.src;
    const tag = src[this.rpos]! & 7;
    if (tag === T_INT || tag === T_ATOM) return this.read();
    const start = this.rpos;
    const end = this.skip(start);
    const slot = hashBytes(src, start, end) >>> (32 - CACHE_BITS);
    const cachedKey = this.cacheKeys[slot];
    if (cachedKey !== undefined && sameLatin1(cachedKey, src, start, end)) {
      this.rpos = end;
      return this.cacheValues[slot];
    }
    const v = this.read() as object;
    const key = latin1(src, start, end);
    this.cacheKeys[slot] = key;
    this.cacheValues[slot] = v;
    if (v !== EMPTY_LIST) (v as Tagged)[this.CODE] = key;
    return v;
  }

  /** The end of the value that starts at `at`, without building it. */
  private skip(at: number): number {
    const save = this.rpos;
    this.rpos = at;
    let pending = 1;
    while (pending > 0) {
      pending--;
      const h = this.varint();
      const tag = h & 7;
      const n = (h - tag) / 8;
      if (tag === T_RECORD) pending += this.types[n]!.keys.length;
      else if (tag === T_LIST || tag === T_SET || tag === T_OSET) pending += n;
      else if (tag === T_MAP || tag === T_OMAP) pending += 2 * n;
    }
    const end = this.rpos;
    this.rpos = save;
    return end;
  }
}

/** Thrown by a frozen codec (see `Codec.freeze`) that meets an atom or Record type it has not numbered. */
export class CodecFrozen extends Error {
  constructor(what: string) {
    super(`codec frozen: ${what}`);
    this.name = 'CodecFrozen';
  }
}

function recordName(prototype: object): string {
  return String((prototype as { _name?: unknown })._name ?? 'Record');
}

function describe(v: object): string {
  if (Array.isArray(v)) return 'a plain array (use an Immutable List)';
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  if (proto === null || proto === Object.prototype) return 'a plain object (use an Immutable Record or Map)';
  return `a ${proto.constructor?.name ?? 'non-Immutable'} object (not an Immutable value)`;
}

/** Node's native latin1 view of a byte range: the cache key of an encoded value. */
function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
}

function sameLatin1(key: string, src: Buffer, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== src[start + i]) return false;
  return true;
}

/**
 * Writes a state's canonical bytes (codecFormat.ts). Maps and Sets are written in the order of their
 * entries' own bytes, since Immutable's iteration order depends on history; a value that carries its bytes
 * (decoder.ts leaves them on every decoded sub-value) is copied instead of walked, so a successor costs
 * about what it changed (shared/PERFORMANCE.md §2.2).
 */
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { SpecError } from '../errors.js';
import { latin1, MAX_INT, T_ATOM, T_INT, T_LIST, T_MAP, T_OMAP, T_OSET, T_RECORD, T_SET, type Tagged } from './codecFormat.js';
import { FAST, smallListArray } from './immutableFast.js';
import { KIND, type Kind, type Numbering, type RecordLike, type RecordType } from './numbering.js';
import { compileTypeEncoder, type EncoderCore, type TypeEncoder } from './typedEncoder.js';

export class Encoder implements EncoderCore {
  /** The output: the bytes of the last `encode` are `buf[0 .. length)`. */
  buf: Buffer = Buffer.allocUnsafe(1 << 12);
  private pos = 0;
  /** Generated encoders by Record type number (typedEncoder.ts), made on first use. */
  private readonly typedEncoders: (TypeEncoder | undefined)[] = [];

  constructor(
    private readonly numbering: Numbering,
    /** The symbol under which decoded values carry their bytes. */
    private readonly CODE: symbol,
    /** Whether Records go through generated encoders; false walks them generically (for tests). */
    private readonly generated: boolean = FAST,
  ) {}

  /** Encodes `state` into `buf`; returns the length. Throws `SpecError` for values kmc cannot store. */
  encode(state: unknown): number {
    return this.encodeAt(state, 0);
  }

  /**
   * Encodes `state` into `buf` from `at` on, keeping `buf[0 .. at)` (a larger `buf` starts with them);
   * returns the length.
   */
  encodeAt(state: unknown, at: number): number {
    this.pos = at;
    if (at > this.buf.length) this.grow(0);
    this.value(state);
    return this.pos - at;
  }

  private value(v: unknown): void {
    if (typeof v === 'number' && v >= 0 && v <= MAX_INT && Number.isInteger(v) && !Object.is(v, -0)) {
      this.header(v, T_INT);
    } else if (v === null || typeof v !== 'object') {
      this.header(this.numbering.atom(v), T_ATOM);
    } else {
      const code = (v as Tagged)[this.CODE];
      if (code !== undefined) this.copy(code as string);
      else this.composite(v);
    }
  }

  /** @internal for generated encoders: any value that is not a number in 0..MAX_INT. */
  atomValue(v: unknown): void {
    this.header(this.numbering.atom(v), T_ATOM);
  }

  /** @internal for generated encoders: the encoder of Record type `id`, generated on first use. */
  typed(id: number): TypeEncoder {
    return this.typedEncoders[id] ?? (this.typedEncoders[id] = compileTypeEncoder(this.numbering, this.CODE, id));
  }

  /** @internal for generated encoders: a Record's fields through the generic walk. */
  fieldsGeneric(r: object, id: number): void {
    this.fields(r as RecordLike, this.numbering.types[id]!, id);
  }

  /** @internal for generated encoders: a value without cached bytes, by its kind. */
  composite(v: object): void {
    // The kind of value in one property load: the type number this numbering left on a Record type's
    // prototype (or List's), checked to be this numbering's, since prototypes are shared by all codecs.
    const kind = (v as Tagged)[KIND] as Kind | undefined;
    if (kind !== undefined && kind.owner === this.numbering) {
      if (kind.type >= 0) {
        if (this.generated) return this.typed(kind.type)(this, v);
        return this.fields(v as unknown as RecordLike, this.numbering.types[kind.type]!, kind.type);
      }
      return this.list(v as List<unknown>);
    }
    if (Record.isRecord(v)) return this.record(v as unknown as RecordLike);
    if (List.isList(v)) {
      this.numbering.markList();
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
    const id = this.numbering.recordType(r);
    if (this.generated) return this.typed(id)(this, r);
    this.fields(r, this.numbering.types[id]!, id);
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

  /** @internal for generated encoders */
  header(n: number, tag: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    let x = n * 8 + tag;
    while (x >= 0x80) {
      this.buf[this.pos++] = (x & 0x7f) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.pos++] = x;
  }

  /** @internal for generated encoders */
  copy(code: string): void {
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

}

function describe(v: object): string {
  if (Array.isArray(v)) return 'a plain array (use an Immutable List)';
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  if (proto === null || proto === Object.prototype) return 'a plain object (use an Immutable Record or Map)';
  return `a ${proto.constructor?.name ?? 'non-Immutable'} object (not an Immutable value)`;
}


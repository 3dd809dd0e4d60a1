/**
 * Rebuilds a state from its canonical bytes (codecFormat.ts).
 *
 * Every nested value is hash-consed through a direct-mapped cache keyed by its bytes, so states decoded
 * one after another share their sub-records (shared/PERFORMANCE.md §2.2: 1.4x), except at a nesting
 * depth where the lookups keep finding nothing; each decoded sub-value carries its bytes under the
 * codec's symbol for the encoder to copy. The cache is bounded and only ever trades time, never meaning.
 */
import { List, Map as IMap, OrderedMap, OrderedSet, Set as ISet } from 'immutable';
import { latin1, sameLatin1, T_ATOM, T_INT, T_LIST, T_MAP, T_OMAP, T_RECORD, T_SET, T_OSET, type Tagged } from './codecFormat.js';
import { FAST, makeListFast, makeRecordFast } from './immutableFast.js';
import type { Numbering, RecordType } from './numbering.js';
import { hashBytes } from './stateStore.js';

/**
 * Slots of the direct-mapped hash-consing cache: a value whose slot is taken replaces it. Small on
 * purpose: the sub-values worth sharing are those of the states decoded just before (BFS neighbours),
 * and a large cache keeps its entries alive long enough to be promoted to V8's old generation, where the
 * replaced ones become garbage that only a full collection frees. Measured on the bench (BENCHMARKS.md):
 * 2^10 slots ran about 1.2x as fast as 2^16, and 2^4 to 2^10 all about the same.
 */
const CACHE_BITS = 10;
/**
 * Nesting depths whose cache lookups are counted (deeper values are always looked up). A depth where
 * fewer than 1 in MISSING_RATIO lookups of a WINDOW found its value stops looking up for the next
 * PAUSE values at that depth, then counts again: the values right under the state (its per-CPU List,
 * say) differ in nearly every state, and finding their end and hashing them for nothing was about half
 * of what the cache cost on the bench (BENCHMARKS.md).
 */
const DEPTHS = 8;
const WINDOW = 4096;
const MISSING_RATIO = 16;
const PAUSE = 1 << 16;
const EMPTY_LIST = List();
type Fields = { [key: string]: unknown };

export class Decoder {
  private readonly cacheKeys: (string | undefined)[] = new Array<string | undefined>(1 << CACHE_BITS);
  private readonly cacheValues: (object | undefined)[] = new Array<object | undefined>(1 << CACHE_BITS);
  private src: Buffer = Buffer.alloc(0);
  private rpos = 0;
  /** How deep under the state the value being read is: 0 for the state's own fields and elements. */
  private depth = 0;
  private readonly tries = new Int32Array(DEPTHS);
  private readonly found = new Int32Array(DEPTHS);
  /** Values still to be read without a lookup, per depth. */
  private readonly paused = new Int32Array(DEPTHS);

  constructor(
    private readonly numbering: Numbering,
    /** The symbol under which decoded values carry their bytes. */
    private readonly CODE: symbol,
  ) {}

  /** Rebuilds the state whose bytes are `src[start .. end)`. */
  decode(src: Buffer, start: number, end: number): unknown {
    this.src = src;
    this.rpos = start;
    this.depth = 0;
    const v = this.read();
    if (this.rpos !== end) throw new Error(`codec: decoded ${this.rpos - start} of ${end - start} bytes`);
    return v;
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
        return this.numbering.atomValues[n];
      case T_RECORD:
        return this.readRecord(this.numbering.types[n]!);
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
    const d = this.depth;
    if (d < DEPTHS && this.paused[d]! > 0) {
      this.paused[d]!--;
      return this.uncached(start);
    }
    const end = this.skip(start);
    const slot = hashBytes(src, start, end) >>> (32 - CACHE_BITS);
    const cachedKey = this.cacheKeys[slot];
    const hit = cachedKey !== undefined && sameLatin1(cachedKey, src, start, end);
    if (d < DEPTHS) this.count(d, hit);
    if (hit) {
      this.rpos = end;
      return this.cacheValues[slot];
    }
    this.depth = d + 1;
    const v = this.read() as object;
    this.depth = d;
    const key = latin1(src, start, end);
    this.cacheKeys[slot] = key;
    this.cacheValues[slot] = v;
    if (v !== EMPTY_LIST) (v as Tagged)[this.CODE] = key;
    return v;
  }

  /** Reads the value at `start` without the cache; it still carries its bytes for the encoder. */
  private uncached(start: number): unknown {
    const d = this.depth;
    this.depth = d + 1;
    const v = this.read() as object;
    this.depth = d;
    if (v !== EMPTY_LIST) (v as Tagged)[this.CODE] = latin1(this.src, start, this.rpos);
    return v;
  }

  /** Counts a lookup at depth `d`; a window with too few found pauses the depth's lookups. */
  private count(d: number, hit: boolean): void {
    const tries = ++this.tries[d]!;
    if (hit) this.found[d]!++;
    if (tries < WINDOW) return;
    if (this.found[d]! * MISSING_RATIO < tries) this.paused[d] = PAUSE;
    this.tries[d] = 0;
    this.found[d] = 0;
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
      if (tag === T_RECORD) pending += this.numbering.types[n]!.keys.length;
      else if (tag === T_LIST || tag === T_SET || tag === T_OSET) pending += n;
      else if (tag === T_MAP || tag === T_OMAP) pending += 2 * n;
    }
    const end = this.rpos;
    this.rpos = save;
    return end;
  }
}

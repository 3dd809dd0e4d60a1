/**
 * The numbers a codec gives atoms (strings, booleans, null, numbers outside 0..2^28) and Record types, in
 * order of first sight, so that they are deterministic for a given run; and the Record types' layouts the
 * encoder and decoder need.
 */
import { List } from 'immutable';
import { SpecError } from '../errors.js';
import { FAST, fastPrototype, recordDefaults } from './immutableFast.js';

type Fields = { [key: string]: unknown };

export interface RecordType {
  readonly factory: (values: Fields) => unknown;
  /** The prototype decoded Records get: the type's own, with fast field getters (immutableFast.ts). */
  readonly prototype: object;
  readonly keys: readonly string[];
  /** Field defaults in declaration order: Immutable stores a field equal to its default as undefined. */
  readonly defaults: readonly unknown[];
}

export type RecordLike = { get(k: string): unknown; toSeq(): { keySeq(): { toArray(): string[] } }; constructor: unknown };

/** Where a numbering leaves, on a shared prototype, which type number it gave that prototype's values. */
export const KIND = Symbol('kmc.kind');
export interface Kind {
  readonly owner: Numbering;
  /** The Record type's number, or -1 for a List. */
  readonly type: number;
}
const LIST_PROTOTYPE = Object.getPrototypeOf(List()) as object;

export class Numbering {
  readonly atomValues: unknown[] = [];
  readonly types: RecordType[] = [];
  private readonly atoms = new Map<unknown, number>();
  private readonly stringAtoms = new Map<string, number>();
  private readonly typeIds = new Map<unknown, number>();
  private frozen = false;

  atom(v: unknown): number {
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

  /** From now on, meeting a new atom or Record type throws `CodecFrozen` (see `Codec.freeze`). */
  freeze(): void {
    this.frozen = true;
  }

  /** Numbers new atoms and Record types again (see `Codec.thaw`). */
  thaw(): void {
    this.frozen = false;
  }

  /** The numbering, in order: equal descriptions mean equal bytes for every value. */
  describe(): string {
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

  /** The number of `r`'s Record type, numbering it (and marking its prototype) on first sight. */
  recordType(r: RecordLike): number {
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

  /** Marks List's prototype, so that the encoder tells a List by one property load too. */
  markList(): void {
    markKind(LIST_PROTOTYPE, { owner: this, type: -1 });
  }
}

/** Leaves `kind` on `prototype` (the last numbering to meet a type wins; the others take the slow path). */
function markKind(prototype: object, kind: Kind): void {
  Object.defineProperty(prototype, KIND, { value: kind, writable: true, configurable: true, enumerable: false });
}

/** The prototype a Record type's constructor gives its values (decoded Records get one derived from it). */
function typePrototype(prototype: object): object {
  let p: object | null = prototype;
  while (p !== null && !Object.prototype.hasOwnProperty.call(p, '_keys')) p = Object.getPrototypeOf(p) as object | null;
  return p ?? prototype;
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


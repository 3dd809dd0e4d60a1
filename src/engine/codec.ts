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
 * The format is in codecFormat.ts, the numbering of atoms and Record types in numbering.ts, and the two
 * directions in encoder.ts and decoder.ts; this class ties them to one numbering.
 */
import { Decoder } from './decoder.js';
import { Encoder } from './encoder.js';
import { Numbering } from './numbering.js';

export { CodecFrozen } from './numbering.js';

export class Codec {
  private readonly tables = new Numbering();
  /**
   * Decoded values carry their bytes under this symbol, private to this codec because the bytes depend on
   * its numbering.
   */
  private readonly code = Symbol('kmc.code');
  private readonly encoder = new Encoder(this.tables, this.code);
  private readonly decoder = new Decoder(this.tables, this.code);

  /** The output of `encode`: the bytes are `buf[0 .. length)`. */
  get buf(): Buffer {
    return this.encoder.buf;
  }

  /** Encodes `state` into `buf`; returns the length. Throws `SpecError` for values kmc cannot store. */
  encode(state: unknown): number {
    return this.encoder.encode(state);
  }

  /** Encodes `state` into `buf` from `at` on, keeping `buf[0 .. at)`; returns the length. */
  encodeAt(state: unknown, at: number): number {
    return this.encoder.encodeAt(state, at);
  }

  /** Rebuilds the state whose bytes are `src[start .. end)`. */
  decode(src: Buffer, start: number, end: number): unknown {
    return this.decoder.decode(src, start, end);
  }

  /**
   * Stops numbering new atoms and Record types: meeting one afterwards throws `CodecFrozen`. Numbers are
   * given in order of first sight, so two codecs (say, in two worker threads) agree on every state's bytes
   * only while neither meets a value the other has not numbered the same way; a codec that copied its
   * numbering from a deterministic common prefix and then froze can rely on that, or learn that it cannot.
   */
  freeze(): void {
    this.tables.freeze();
  }

  /**
   * Numbers new values again, until the next `freeze`: a frozen codec that must extend its numbering the
   * way another codec did (by encoding the same values in the same order) thaws, encodes, and freezes.
   */
  thaw(): void {
    this.tables.thaw();
  }

  /** This codec's numbering, in order: equal descriptions mean equal bytes for every value. */
  numbering(): string {
    return this.tables.describe();
  }
}

/**
 * What turns a state into the bytes the seen-state store keys it by: the `Codec` itself, or with
 * symmetry the canonical bytes of the state's orbit (symmetry.ts). The bytes are `buf[0 .. length)`.
 */
export interface StateEncoder {
  readonly buf: Buffer;
  encode(state: unknown): number;
  /**
   * Encodes `state` into `buf` from `at` on and returns the length; `buf[0 .. at)` stays as it was (if
   * `buf` is replaced by a larger one, the new one starts with them).
   */
  encodeAt(state: unknown, at: number): number;
}

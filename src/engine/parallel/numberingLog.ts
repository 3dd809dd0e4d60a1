/**
 * How every thread's codec comes to number atoms and Record types exactly as the sequential explorer's
 * would (numbering.ts gives numbers in order of first sight, and the numbers decide the bytes, so the
 * hash that picks a state's owner and the order of Map and Set entries).
 *
 * The sequential explorer first encodes the initial states, in order, then each successor in the
 * sequential order; its numbering grows only at the encodings that meet a value it has not seen. The
 * parallel explorer keeps every partition's codec frozen (`Codec.freeze`): a partition whose encoding
 * meets a new value stops that expansion there and reports the transition (a witness: the expanded
 * state's bytes, the action and the parameter's ordinal). Once every partition has explored all it can,
 * the coordinator takes the earliest such transition in the sequential order, which is exactly where the
 * sequential explorer would have numbered next, encodes its successor with its own codec (thawed for
 * it; the coordinator's partition shares that codec, for which replaying the witness again numbers
 * nothing), and sends the witness to every partition, which replays it the same way and resumes. So
 * the log of witnesses, replayed after the initial states, rebuilds the numbering anywhere: that is
 * also how a worker that starts late catches up.
 *
 * With symmetry reduction the sequential explorer encodes every renumbering of a state to find its
 * canonical bytes (symmetry.ts), and so numbers what those show too, in that order; every encoding here
 * goes through the same canonical form (`keyEncoder`), so the numbering grows exactly as it does there.
 */
import { NondeterminismError, SpecError } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import { Codec } from '../codec.js';
import { type BoundSymmetry, keyEncoder } from '../symmetry.js';
import { takeTransition } from '../transition.js';

/** A transition whose successor first showed the coordinator's codec a value. */
export interface Witness {
  /** The canonical bytes of the state the transition starts from. */
  readonly bytes: Uint8Array;
  readonly action: number;
  readonly ordinal: number;
}

/**
 * Encodes the initial states in order, as seeding does, up to the first one kmc cannot store (seeding
 * stops there, so the sequential explorer never numbers what comes after).
 */
export function numberInitialStates(model: ResolvedModel, codec: Codec, symmetry: BoundSymmetry | null): void {
  const enc = keyEncoder(codec, symmetry);
  for (const s of model.init) {
    try {
      enc.encode(s);
    } catch (e) {
      if (e instanceof SpecError) return;
      throw e;
    }
  }
}

/**
 * Takes the witness's transition and encodes the successor with `codec`, which must not be frozen. A
 * successor kmc cannot store still numbers what comes before the bad value, as it did where the witness
 * was met; the partition that meets it again reports the spec error.
 */
export function replayWitness(model: ResolvedModel, codec: Codec, w: Witness, symmetry: BoundSymmetry | null): void {
  const bytes = Buffer.from(w.bytes.buffer, w.bytes.byteOffset, w.bytes.byteLength);
  const s = codec.decode(bytes, 0, bytes.length);
  const taken = takeTransition(model, s, w.action, w.ordinal);
  if (!taken) {
    const name = model.actions[w.action]?.name ?? `#${w.action}`;
    throw new NondeterminismError(
      `the spec is nondeterministic: step ${name} (parameter ${w.ordinal}) is no longer enabled when taken again on the same state`,
    );
  }
  try {
    keyEncoder(codec, symmetry).encode(taken.next);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
  }
}

/** A frozen codec numbered as the coordinator's was after the initial states and `witnesses`. */
export function frozenCodec(model: ResolvedModel, witnesses: readonly Witness[], symmetry: BoundSymmetry | null): Codec {
  const codec = new Codec();
  numberInitialStates(model, codec, symmetry);
  for (const w of witnesses) replayWitness(model, codec, w, symmetry);
  codec.freeze();
  return codec;
}

/** Extends a frozen codec's numbering by one witness. */
export function extendFrozen(model: ResolvedModel, codec: Codec, w: Witness, symmetry: BoundSymmetry | null): void {
  codec.thaw();
  try {
    replayWitness(model, codec, w, symmetry);
  } finally {
    codec.freeze();
  }
}

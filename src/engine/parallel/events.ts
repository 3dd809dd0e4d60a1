/**
 * What a partition found while exploring, as data that crosses threads: violations, reached situations,
 * deadlocks, throws and a symmetry declaration found wrong (symmetryCheck.ts), each at its position in the sequential order (position.ts). The coordinator
 * sorts them and applies the sequential explorer's rules (findingsLog.ts).
 *
 * A partition keeps, per kind and property, only the earliest event of a round: the sequential explorer
 * keeps only a property's first violation (or first reach, or the first deadlock), and a later throw of
 * the same property can only matter if the earlier one did not (see `skipIf`).
 */
import { comparePositions, type Position } from './position.js';

/** A throw in the spec's code, with what the report needs about it. */
export interface ThrowInfo {
  /** The explorer's phase name: `guard`, `effect`, `invariant <name>`, `store`, `init`, … */
  readonly phase: string;
  /** The action whose step threw (-1 for none: seeding, the deadlock check, an initial state judged). */
  readonly action: number;
  /** The step's label when the thread knew it; a new state's judges leave it to the trace. */
  readonly label: string | null;
  readonly message: string;
  /** The throw happened judging the new state `ref` (not while expanding it). */
  readonly judging: boolean;
  /** While seeding or judging an initial state: which initial state. */
  readonly init: number;
  /**
   * When the sequential explorer would not have run the code at all: `property` if the property `prop`
   * was already violated or reached before, `deadlock` if a deadlock was already found.
   */
  readonly skipIf: 'property' | 'deadlock' | null;
}

export interface FoundEvent {
  readonly kind: 'violation' | 'reached' | 'deadlock' | 'error' | 'asymmetry';
  readonly pos: Position;
  /** The property's index in the model, or -1. */
  readonly prop: number;
  /** The state it is about (a reference, see refs.ts): the new state judged, or the state expanded. */
  readonly ref: number;
  /** For an action property's violation: the step taken from `ref`. */
  readonly action: number;
  readonly ordinal: number;
  readonly thrown: ThrowInfo | null;
}

/** The earliest event per kind and property. */
export class EventCollector {
  private readonly earliest = new Map<string, FoundEvent>();

  add(e: FoundEvent): void {
    const key = `${e.kind}:${e.prop}:${e.thrown?.skipIf ?? ''}`;
    const had = this.earliest.get(key);
    if (had === undefined || comparePositions(e.pos, had.pos) < 0) this.earliest.set(key, e);
  }

  /** The events collected since the last `take`. */
  take(): FoundEvent[] {
    const out = [...this.earliest.values()];
    this.earliest.clear();
    return out;
  }
}

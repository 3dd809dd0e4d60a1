/**
 * The coordinator's record of what the run found, kept as the sequential explorer would have kept it.
 *
 * Partitions report events in whatever order they met them; once every event before some gid is known
 * (`settle`), they are sorted by position (position.ts) and the sequential explorer's rules applied, in
 * that order: a property's first violation is the one kept, and it is not judged again (so a later throw
 * of the same property never happened); a reachability property is reached once; the first deadlock is
 * kept; by default the run stops after the transition (or deadlock check) of its first violation or
 * deadlock, so nothing later counts; and a throw ends the run where it happened. A symmetry declaration
 * found wrong ends it too, as the spec error the sequential explorer throws; that explorer checks the
 * state it expands even when its expansion met the run's first violation or deadlock.
 */
import type { FoundEvent } from './events.js';
import { comparePositions, type Position, sameStep } from './position.js';

export class FindingsLog {
  readonly violated = new Map<number, FoundEvent>();
  readonly reached = new Map<number, FoundEvent>();
  deadlock: FoundEvent | null = null;
  error: FoundEvent | null = null;
  /** The symmetry check that failed (its message in `thrown`): the run is a spec error. */
  asymmetry: FoundEvent | null = null;
  /** The run stopped at its first violation or deadlock (not at a throw, not at a limit). */
  stopped = false;
  private pending: FoundEvent[] = [];

  /** @param stopAtFirst stop after the first violation or deadlock (no `--continue`) */
  constructor(private readonly stopAtFirst: boolean) {}

  add(events: readonly FoundEvent[]): void {
    for (const e of events) this.pending.push(e);
  }

  /** Whether the run has ended: a throw, or (by default) a violation or deadlock. */
  get over(): boolean {
    return this.error !== null || this.asymmetry !== null || this.stopped;
  }

  /**
   * Applies the rules to every event before gid `before`, all of which the caller knows to have come in.
   * Returns whether the run ends there.
   */
  settle(before: number): boolean {
    const ready = this.pending.filter((e) => e.pos[0] < before).sort((a, b) => comparePositions(a.pos, b.pos));
    this.pending = this.pending.filter((e) => e.pos[0] >= before);
    let stopAt: Position | null = null;
    for (const e of ready) {
      if (this.over) break;
      // The sequential explorer finishes the transition it found a violation in, and stops there.
      if (stopAt !== null && !sameStep(stopAt, e.pos) && !(e.kind === 'asymmetry' && e.pos[0] === stopAt[0])) break;
      switch (e.kind) {
        case 'violation':
          if (this.violated.has(e.prop)) break;
          this.violated.set(e.prop, e);
          if (this.stopAtFirst) stopAt ??= e.pos;
          break;
        case 'reached':
          if (!this.reached.has(e.prop)) this.reached.set(e.prop, e);
          break;
        case 'deadlock':
          if (this.deadlock !== null) break;
          this.deadlock = e;
          if (this.stopAtFirst) stopAt ??= e.pos;
          break;
        case 'error':
          if (!this.skipped(e)) this.error = e;
          break;
        case 'asymmetry':
          this.asymmetry = e;
          break;
      }
    }
    if (stopAt !== null) this.stopped = true;
    if (this.over) this.pending = [];
    return this.over;
  }

  /**
   * Whether an event not yet settled will certainly end the run once it is: a first violation or deadlock
   * when stopping at the first, or a throw the sequential explorer could not have skipped.
   */
  certainEnd(): boolean {
    return this.pending.some((e) =>
      e.kind === 'error'
        ? e.thrown?.skipIf === null
        : e.kind === 'asymmetry' || (this.stopAtFirst && (e.kind === 'violation' || e.kind === 'deadlock')),
    );
  }

  /** A throw in code the sequential explorer would not have run at that point. */
  private skipped(e: FoundEvent): boolean {
    switch (e.thrown?.skipIf) {
      case 'property':
        return this.violated.has(e.prop) || this.reached.has(e.prop);
      case 'deadlock':
        return this.deadlock !== null;
      default:
        return false;
    }
  }
}

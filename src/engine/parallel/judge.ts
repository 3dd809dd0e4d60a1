/**
 * A partition's judge: the spec's verdicts on its states, given as the sequential explorer gives them and
 * recorded with their positions (events.ts):
 * - a new state's invariants, reachability properties and state constraint, once per state of the level,
 *   at the position of the transition that first reached it (position.ts);
 * - a step's action properties, on every transition the expansion takes (expansion.ts);
 * - a deadlock, for a state the expansion found no transition out of.
 *
 * The sequential explorer skips a property once violated (or reached), and the deadlock check once a
 * deadlock is found; the coordinator says at each round what it would skip by then. A throw in a property
 * is recorded and the judging goes on, because the sequential explorer may not have run that property at
 * all: the coordinator decides from the sorted events (findingsLog.ts, `ThrowInfo.skipIf`).
 */
import { messageOf } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import { Step } from '../explore.js';
import { labelOf } from '../label.js';
import type { SeenStore } from '../store.js';
import { unpackEdge } from '../transition.js';
import type { EventCollector, FoundEvent, ThrowInfo } from './events.js';
import type { PartitionSetup } from './partition.js';
import { AFTER_EDGES, type Position, SUB } from './position.js';
import type { RoundCommand } from './protocol.js';

type Property = ResolvedModel['properties'][number];

/** A property of one kind, with its index in the model and its phase name in reports. */
interface Judged<K extends Property['kind']> {
  readonly i: number;
  readonly p: Extract<Property, { kind: K }>;
  readonly phase: string;
}

export class Judge {
  /** Whether there are action properties: without them a transition costs the judge nothing. */
  readonly judgesSteps: boolean;
  private readonly model: ResolvedModel;
  private readonly invariants: Judged<'invariant'>[] = [];
  private readonly steps: Judged<'action'>[] = [];
  private readonly reachables: Judged<'reachable'>[] = [];
  /** The step an action property is told about (`StepInfo`), reused for every step judged. */
  private readonly stepInfo = new Step();

  /** What the sequential explorer skips from now on (`beginRound`). */
  private skipViolated = new Set<number>();
  private skipReached = new Set<number>();
  private deadlockFound = false;

  constructor(
    private readonly setup: PartitionSetup,
    private readonly store: SeenStore,
    private readonly events: EventCollector,
  ) {
    this.model = setup.model;
    this.model.properties.forEach((p, i) => {
      if (p.kind === 'invariant') this.invariants.push({ i, p, phase: `invariant ${p.name}` });
      else if (p.kind === 'action') this.steps.push({ i, p, phase: `action property ${p.name}` });
      else this.reachables.push({ i, p, phase: `reachability property ${p.name}` });
    });
    this.judgesSteps = this.steps.length > 0;
  }

  beginRound(cmd: RoundCommand): void {
    this.skipViolated = new Set(cmd.violated);
    this.skipReached = new Set(cmd.reached);
    this.deadlockFound = cmd.deadlockFound;
  }

  /**
   * Judges the state `ref` (refs.ts), first reached at (g, e), as new; whether it is inside the state
   * constraint. `local` is its id in this partition's store when this partition owns it, else -1.
   */
  newState(ref: number, local: number, g: number, e: number, s: unknown): boolean {
    const { constants: K, constraint } = this.model;
    for (const { i, p, phase } of this.invariants) {
      if (this.skipViolated.has(i)) continue;
      try {
        if (!p.holds(s, K)) this.found('violation', [g, e, SUB.invariant, i], i, ref);
      } catch (err) {
        this.found('error', [g, e, SUB.invariant, i], i, ref, judgeThrew(g, e, phase, err, 'property'));
      }
    }
    for (const { i, p, phase } of this.reachables) {
      if (this.skipReached.has(i)) continue;
      try {
        if (p.reached(s, K)) this.found('reached', [g, e, SUB.reachable, i], i, ref);
      } catch (err) {
        this.found('error', [g, e, SUB.reachable, i], i, ref, judgeThrew(g, e, phase, err, 'property'));
      }
    }
    if (!constraint) return true;
    try {
      if (constraint(s, K)) return true;
      // Only the explorer's order needs the mark (it never expands such a state); here it is kept for
      // the owner's store alone, since another partition's store is not this thread's to write.
      if (local >= 0) this.store.markOutside(local);
    } catch (err) {
      this.found('error', [g, e, SUB.constraint, 0], -1, ref, judgeThrew(g, e, 'constraint', err, null));
    }
    return false;
  }

  /** Judges the action properties on the step from state `ref` (gid `g`) to `next` by `edge` (action `ai`, parameter `p`, ordinal `o`). */
  step(ref: number, g: number, s: unknown, next: unknown, ai: number, o: number, p: unknown, edge: number): void {
    const a = this.model.actions[ai]!;
    this.stepInfo.set(a, p);
    for (const { i, p: prop, phase } of this.steps) {
      if (this.skipViolated.has(i)) continue;
      try {
        if (!prop.holds(s, next, this.stepInfo, this.model.constants)) this.found('violation', [g, edge, SUB.step, i], i, ref, null, ai, o);
      } catch (err) {
        const thrown: ThrowInfo = { phase, action: ai, label: labelOf(a, p), message: messageOf(err), judging: false, init: 0, skipIf: 'property' };
        this.found('error', [g, edge, SUB.step, i], i, ref, thrown);
      }
    }
  }

  /** Judges state `ref` (gid `g`), which has no transition out: a deadlock unless terminal, if deadlocks are reported. */
  deadlock(ref: number, g: number, s: unknown): void {
    if (!this.setup.deadlock || this.deadlockFound) return;
    const pos: Position = [g, AFTER_EDGES, 0, 0];
    try {
      if (this.model.terminal?.(s, this.model.constants)) return;
    } catch (err) {
      const thrown: ThrowInfo = { phase: 'terminal', action: -1, label: null, message: messageOf(err), judging: false, init: 0, skipIf: 'deadlock' };
      return this.found('error', pos, -1, ref, thrown);
    }
    this.found('deadlock', pos, -1, ref);
  }

  /** Records what was found about state `ref` at `pos`; the expansion records its throws here too. */
  found(kind: FoundEvent['kind'], pos: Position, prop: number, ref: number, thrown: ThrowInfo | null = null, action = -1, ordinal = 0): void {
    this.events.add({ kind, pos, prop, ref, action, ordinal, thrown });
  }
}

/** A throw while judging the new state first reached at (g, e): the action of that step, or an initial state. */
function judgeThrew(g: number, e: number, phase: string, err: unknown, skipIf: ThrowInfo['skipIf']): ThrowInfo {
  const init = g < 0;
  return { phase, action: init ? -1 : unpackEdge(e).action, label: null, message: messageOf(err), judging: true, init: init ? e : 0, skipIf };
}

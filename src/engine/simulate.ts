/**
 * The simulator: random walks through one resolved model, for bounds the breadth-first explorer cannot
 * exhaust (TLC's `-simulate`). Pure: results are data (`SimulationResult`), nothing is printed.
 *
 * Each walk starts from an initial state chosen at random and takes at most `depth` steps. At every state
 * it generates the enabled action instances exactly as the explorer does (actions in declaration order,
 * each action's parameters in the order `params` yields them) and checks them all, as the explorer would
 * on meeting them: action properties on every generated transition, invariants and reachability
 * properties on every generated state (the walk's first state included). Then it follows one of them,
 * chosen uniformly with the walk's own seeded generator (random.ts). A walk ends after `depth` steps, at
 * a state with no enabled action (a deadlock unless terminal or deadlock checking is off), at a state
 * outside the state constraint (checked but not expanded, as in the explorer) or at a violation.
 *
 * By default the first violation or deadlock stops the simulation, as in `kmc check`; with
 * `continueAfterViolation` every walk runs to its end and each property's first violation is kept.
 * A guard, effect or property that throws stops it with a spec error naming the action and the walk.
 */
import { messageOf, SpecError } from '../errors.js';
import type { ActionProperty, Invariant, Reachable, StepInfo } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import { Codec } from './codec.js';
import { DistinctEstimate } from './distinctEstimate.js';
import { INIT_LABEL, labelOf } from './label.js';
import { nextSeed, Random, MAX_SEED } from './random.js';
import type { SimulateOptions, SimulationObserver, SimulationResult } from './simulation.js';
import { type Found, simulationResult } from './simulationResult.js';
import { hashBytes } from './stateStore.js';
import type { Step } from './types.js';

type AnyAction = ResolvedModel['actions'][number];

const NO_PARAMS: readonly unknown[] = [undefined];
/** How often (in steps taken) the clock is read for the timeout and progress is reported. */
const CLOCK_EVERY = 1 << 8;

/** Runs `options.runs` random walks through `model` and reports what they showed. */
export function simulate(model: ResolvedModel, options: SimulateOptions, observer: SimulationObserver = {}): SimulationResult {
  const { runs, depth, seed } = options;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be in 0..${MAX_SEED}, got ${seed}`);
  return new Simulator(model, options, observer).run();
}

interface Checked<P> {
  readonly i: number;
  readonly p: P;
  readonly phase: string;
}

/** One enabled instance out of the current state. */
interface Enabled {
  readonly ai: number;
  readonly p: unknown;
  readonly next: unknown;
}

/**
 * A successor of the walk's current state being judged: the step that leads to it. Its label is built
 * only if a trace needs it, since most generated successors are checked and dropped.
 */
interface Via {
  readonly a: AnyAction;
  readonly p: unknown;
  readonly next: unknown;
}

/** What the spec was doing, for the report if it throws. */
interface Doing {
  phase: string;
  action: number;
  params: unknown;
  /** The successor being judged, when the code that threw was judging one. */
  subject: Via | null;
}

class Simulator {
  private readonly codec = new Codec();
  private readonly seen = new DistinctEstimate();
  private readonly invariants: Checked<Invariant<unknown>>[] = [];
  private readonly stepProps: Checked<ActionProperty<unknown>>[] = [];
  private readonly reachables: Checked<Reachable<unknown>>[] = [];
  private readonly violated = new Map<number, Found>();
  private readonly reached = new Map<number, Found>();
  private deadlock: Found | null = null;
  private error: (Found & { readonly action: string; readonly message: string }) | null = null;
  private stopped = false;
  private timedOut = false;
  private readonly enabled: number[];
  private readonly taken: number[];
  private runsDone = 0;
  private steps = 0;
  private generated = 0;
  private longest = 0;
  private readonly t0 = performance.now();
  /** The walk under way: its number, seed and steps so far. */
  private runNumber = 0;
  private seed = 0;
  private path: Step[] = [];
  private readonly doing: Doing = { phase: 'init', action: -1, params: undefined, subject: null };

  constructor(
    private readonly model: ResolvedModel,
    private readonly options: SimulateOptions,
    private readonly observer: SimulationObserver,
  ) {
    model.properties.forEach((p, i) => {
      if (p.kind === 'invariant') this.invariants.push({ i, p, phase: `invariant ${p.name}` });
      else if (p.kind === 'action') this.stepProps.push({ i, p, phase: `action property ${p.name}` });
      else this.reachables.push({ i, p, phase: `reachability property ${p.name}` });
    });
    this.enabled = new Array<number>(model.actions.length).fill(0);
    this.taken = new Array<number>(model.actions.length).fill(0);
  }

  run(): SimulationResult {
    let seed = this.options.seed >>> 0;
    for (let i = 1; i <= this.options.runs && !this.stopped; i++, seed = nextSeed(seed)) {
      if (this.pastTimeout()) break;
      this.runNumber = i;
      this.seed = seed;
      this.path = [];
      try {
        this.walk();
      } catch (e) {
        this.fail(e);
      }
      if (this.timedOut) break;
      this.runsDone++;
      this.longest = Math.max(this.longest, this.path.length - 1);
    }
    return this.result((performance.now() - this.t0) / 1000);
  }

  private walk(): void {
    const { model, doing } = this;
    const rng = new Random(this.seed);
    Object.assign(doing, { phase: 'init', action: -1, params: undefined, subject: null });
    this.generated++;
    const s0 = this.decoded(model.init[rng.below(model.init.length)], true);
    this.path.push({ action: INIT_LABEL, state: s0 });
    this.checkState(s0, null);
    if (this.stopped || !this.inside(s0)) return;
    let s = s0;
    for (let depth = 0; depth < this.options.depth; depth++) {
      const out = this.expand(s);
      if (this.stopped) return;
      if (out.length === 0) return this.checkDeadlock(s);
      doing.phase = 'engine';
      const { ai, p, next } = out[rng.below(out.length)]!;
      const a = model.actions[ai]!;
      this.taken[ai]!++;
      this.steps++;
      s = this.decoded(next, false);
      this.path.push({ action: labelOf(a, p), state: s });
      Object.assign(doing, { action: ai, params: p, subject: null });
      if (!this.inside(s)) return;
      if ((this.steps & (CLOCK_EVERY - 1)) === 0) {
        if (this.pastTimeout()) return;
        this.observer.progress?.({ runs: this.runsDone, steps: this.steps, seconds: this.seconds() });
      }
    }
  }

  /** Every enabled instance out of `s`, each checked; stops early once the simulation is to stop. */
  private expand(s: unknown): Enabled[] {
    const { actions, constants: k } = this.model;
    const doing = this.doing;
    const out: Enabled[] = [];
    for (let ai = 0; ai < actions.length; ai++) {
      const a = actions[ai]!;
      Object.assign(doing, { phase: 'params', action: ai, params: undefined, subject: null });
      for (const p of a.params ? a.params(s, k) : NO_PARAMS) {
        doing.phase = 'guard';
        doing.params = p;
        if (a.guard && !a.guard(s, p as never, k)) continue;
        doing.phase = 'effect';
        const next = a.effect(s, p as never, k);
        if (next === undefined) continue;
        this.generated++;
        this.enabled[ai]!++;
        if (this.stepProps.length > 0) this.checkStep(s, next, a, p);
        doing.phase = 'store';
        this.store(next);
        this.checkState(next, { a, p, next });
        out.push({ ai, p, next });
        if (this.stopped) return out;
      }
    }
    return out;
  }

  /** Encodes a state (which also refuses values kmc cannot store) and counts it as seen. */
  private store(s: unknown): void {
    const n = this.codec.encode(s);
    this.seen.add(hashBytes(this.codec.buf, 0, n));
  }

  /**
   * The state as decoded from its bytes, which the walk continues from: decoded Records share
   * sub-records and read their fields through fast getters (immutableFast.ts), so the spec's code runs
   * about twice as fast on them. Counts an initial state as seen (successors were counted when generated).
   */
  private decoded(s: unknown, initial: boolean): unknown {
    const n = this.codec.encode(s);
    if (initial) this.seen.add(hashBytes(this.codec.buf, 0, n));
    return this.codec.decode(this.codec.buf, 0, n);
  }

  /** Invariants and reachability properties on `s`: the walk's current state (`via` null) or a successor. */
  private checkState(s: unknown, via: Via | null): void {
    const { doing } = this;
    const k = this.model.constants;
    doing.subject = via;
    for (const { i, p, phase } of this.invariants) {
      if (this.violated.has(i)) continue;
      doing.phase = phase;
      if (!p.holds(s, k)) this.violate(i, via);
    }
    for (const { i, p, phase } of this.reachables) {
      if (this.reached.has(i)) continue;
      doing.phase = phase;
      if (p.reached(s, k)) this.reached.set(i, this.found(via));
    }
    doing.subject = null;
  }

  private checkStep(s: unknown, next: unknown, a: AnyAction, p: unknown): void {
    const info: StepInfo = {
      action: a.name,
      params: p,
      get label() {
        return labelOf(a, p);
      },
    };
    for (const { i, p: prop, phase } of this.stepProps) {
      if (this.violated.has(i)) continue;
      this.doing.phase = phase;
      if (!prop.holds(s, next, info, this.model.constants)) this.violate(i, { a, p, next });
    }
  }

  /** Whether `s` is inside the state constraint, so the walk may go on from it. */
  private inside(s: unknown): boolean {
    const { constraint, constants } = this.model;
    this.doing.phase = 'constraint';
    return !constraint || constraint(s, constants);
  }

  private checkDeadlock(s: unknown): void {
    if (this.options.deadlock === false || this.deadlock !== null) return;
    Object.assign(this.doing, { phase: 'terminal', action: -1, params: undefined, subject: null });
    if (this.model.terminal?.(s, this.model.constants)) return;
    this.deadlock = this.found(null);
    if (!this.options.continueAfterViolation) this.stopped = true;
  }

  private violate(i: number, via: Via | null): void {
    this.violated.set(i, this.found(via));
    if (!this.options.continueAfterViolation) this.stopped = true;
  }

  /** The walk so far, ending with the step to `via` when the finding is about a successor. */
  private found(via: Via | null): Found {
    return { run: this.runNumber, seed: this.seed, trace: withStep(this.path, via) };
  }

  /** Records what the spec threw as the run's error; anything thrown by the simulator itself is a bug. */
  private fail(e: unknown): void {
    const { phase, action, params, subject } = this.doing;
    const inEngine = phase === 'engine' || (phase === 'store' && !(e instanceof SpecError));
    if (inEngine) throw e;
    const a = this.model.actions[action];
    // As in `check`: no action while judging an initial state is `Init`; the terminal predicate has none.
    const onInit = phase !== 'terminal' && this.path.length <= 1;
    const label = a ? (phase === 'params' ? a.name : labelOf(a, params)) : onInit ? INIT_LABEL : '-';
    const where = phase === 'init' ? 'storing an initial state' : `in the ${phase}${a ? ` of ${label}` : ''}`;
    const trace = withStep(this.path, subject);
    this.error = { run: this.runNumber, seed: this.seed, trace, action: label, message: `${where}: ${messageOf(e)}` };
    this.stopped = true;
  }

  private pastTimeout(): boolean {
    const limit = this.options.timeoutSeconds;
    if (limit !== undefined && this.seconds() > limit) this.timedOut = true;
    return this.timedOut;
  }

  private seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  private result(seconds: number): SimulationResult {
    return simulationResult(this.model, this.codec, this.options, {
      violated: this.violated,
      reached: this.reached,
      deadlock: this.deadlock,
      error: this.error,
      timedOut: this.timedOut,
      runs: this.runsDone,
      steps: this.steps,
      generated: this.generated,
      distinct: this.seen.estimate(),
      longestWalk: this.longest,
      enabled: this.enabled,
      taken: this.taken,
      seconds,
    });
  }
}

function withStep(path: readonly Step[], via: Via | null): Step[] {
  return via ? [...path, { action: labelOf(via.a, via.p), state: via.next }] : [...path];
}

/**
 * The breadth-first explorer: every reachable state of one resolved model, in a fixed order (initial
 * states, then per state the actions in declaration order and each action's parameters in the order its
 * `params` yields them). It never prints; results are data (`CheckResult`).
 *
 * Checks, in TLC's order: invariants and reachability properties on each new state, action properties on
 * every transition (new state or not), deadlock on each expanded state that has no enabled action and is
 * not terminal. States outside the constraint are checked but not expanded.
 *
 * With symmetry (symmetry.ts) the store keys each state by the canonical bytes of its orbit, so a state is
 * expanded from the representative the store holds, and properties are judged on the successors of
 * those representatives; traces are rebuilt on concrete states (trace.ts, result.ts).
 */
import { messageOf, SpecError } from '../errors.js';
import type { ActionProperty, Invariant, Reachable, StepInfo } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import { Codec, type StateEncoder } from './codec.js';
import { labelOf } from './label.js';
import { buildResult, type Findings } from './result.js';
import { newStore } from './newStore.js';
import { FULL, NO_EDGE, type SeenStore } from './store.js';
import { bindSymmetry, type BoundSymmetry, keyEncoder, reducing } from './symmetry.js';
import { SymmetryCheck } from './symmetryCheck.js';
import { SuccessorBatch } from './successorBatch.js';
import { MAX_ACTIONS, MAX_ORDINAL, packEdge } from './transition.js';
import type { CheckOptions, CheckResult, Limit, Observer } from './types.js';

const NO_PARAMS: readonly unknown[] = [undefined];
/** How often (in expanded states) the clock is read for the timeout and progress is reported. */
const PROGRESS_EVERY = 1 << 8;

/** Explores `model` breadth-first and reports every property's status. */
export function explore(model: ResolvedModel, options: CheckOptions = {}, observer: Observer = {}): CheckResult {
  if (model.actions.length > MAX_ACTIONS) throw new SpecError(`a model may have at most ${MAX_ACTIONS} actions`);
  return new Search(model, options, observer).run();
}

/** A property with its index in the model and the phase name used if it throws. */
interface Checked<P> {
  readonly i: number;
  readonly p: P;
  readonly phase: string;
}

/** The step an action property is judged on; one object reused for every transition. */
export class Step implements StepInfo {
  action = '';
  params: unknown = undefined;
  private a: ResolvedModel['actions'][number] | undefined;
  set(a: ResolvedModel['actions'][number], p: unknown): void {
    this.a = a;
    this.action = a.name;
    this.params = p;
  }
  get label(): string {
    return this.a ? labelOf(this.a, this.params) : '';
  }
}

class Search {
  private readonly codec = new Codec();
  /** What the store keys states by: the codec's bytes, or with symmetry the canonical bytes of the orbit. */
  private readonly enc: StateEncoder;
  private readonly symmetry: BoundSymmetry | null;
  private readonly symmetryCheck: SymmetryCheck | null;
  private readonly store: SeenStore;
  private readonly f: Findings;
  private readonly invariants: Checked<Invariant<unknown>>[] = [];
  private readonly stepProps: Checked<ActionProperty<unknown>>[] = [];
  private readonly reachables: Checked<Reachable<unknown>>[] = [];
  private readonly step = new Step();
  private readonly t0 = performance.now();
  private stopped = false;
  /** The successors of the state being expanded, held to be interned together, and per successor its transition. */
  private readonly batch = new SuccessorBatch();
  private readonly heldNext = new Array<unknown>(SuccessorBatch.CAPACITY).fill(undefined);
  private readonly heldParams = new Array<unknown>(SuccessorBatch.CAPACITY).fill(undefined);
  private readonly heldAction = new Int32Array(SuccessorBatch.CAPACITY);
  private readonly heldOrdinal = new Int32Array(SuccessorBatch.CAPACITY);
  /** Whether the store files states by their route hash (the exact store), so that a batch is worth fetching ahead. */
  private readonly hashed: boolean;
  private level = 0;
  /** What the spec was doing, for the report if it throws. */
  private doing = { phase: 'init', action: -1, params: undefined as unknown, id: -1, subject: -1, init: 0 };

  constructor(
    private readonly model: ResolvedModel,
    private readonly options: CheckOptions,
    private readonly observer: Observer,
  ) {
    this.store = newStore(options.store, options.limits?.memoryBytes);
    this.hashed = this.store.kind === 'exact';
    this.symmetry = options.symmetry === false ? null : bindSymmetry(model);
    const reduces = reducing(this.symmetry);
    this.enc = keyEncoder(this.codec, reduces);
    this.symmetryCheck = reduces ? new SymmetryCheck(model, reduces) : null;
    model.properties.forEach((p, i) => {
      if (p.kind === 'invariant') this.invariants.push({ i, p, phase: `invariant ${p.name}` });
      else if (p.kind === 'action') this.stepProps.push({ i, p, phase: `action property ${p.name}` });
      else this.reachables.push({ i, p, phase: `reachability property ${p.name}` });
    });
    const n = model.actions.length;
    this.f = {
      violated: new Map(),
      reached: new Map(),
      deadlock: -1,
      error: null,
      limit: null,
      stopped: false,
      generated: 0,
      processed: 0,
      maxLevel: 0,
      enabled: new Array<number>(n).fill(0),
      fresh: new Array<number>(n).fill(0),
      seconds: 0,
    };
  }

  run(): CheckResult {
    try {
      this.seed();
      this.loop();
    } catch (e) {
      // Only what the spec's own code threw (or a state it built that cannot be stored) is the spec's
      // error; anything thrown while the engine itself works is a bug and must crash loudly.
      const inEngine = this.doing.phase === 'engine' || (this.doing.phase === 'store' && !(e instanceof SpecError));
      if (inEngine) throw e;
      this.f.error = { ...this.doing, message: messageOf(e) };
      this.f.processed = this.doing.id + 1;
    }
    this.f.seconds = (performance.now() - this.t0) / 1000;
    const { model, store, codec, enc: encoder, f: findings, options, symmetry } = this;
    return buildResult({ model, store, codec, encoder, findings, options, symmetry });
  }

  private seed(): void {
    for (const [i, s] of this.model.init.entries()) {
      Object.assign(this.doing, { phase: 'init', action: -1, params: undefined, id: -1, subject: -1, init: i });
      this.f.generated++;
      const len = this.enc.encode(s);
      const id = this.store.intern(this.enc.buf, len, -1, i);
      if (id === FULL) return this.outOfMemory(0);
      if (this.store.lastFresh) this.checkState(id, s);
    }
  }

  private loop(): void {
    const { maxStates, maxDepth, timeoutSeconds } = this.options.limits ?? {};
    const store = this.store;
    let levelEnd = store.size;
    let id = 0;
    for (; id < store.size && !this.stopped; id++) {
      if (id === levelEnd) {
        this.level++;
        levelEnd = store.size;
      }
      if (store.isOutside(id)) continue;
      if (maxDepth !== undefined && this.level >= maxDepth) return this.hit('max-depth', id);
      if (maxStates !== undefined && store.size >= maxStates) return this.hit('max-states', id);
      this.doing.phase = 'engine';
      const { buf, start, end } = store.frontierBytes(id);
      const s = this.codec.decode(buf, start, end);
      this.expand(id, s);
      // After the expansion, so that a spec that throws on the state itself is reported as usual.
      this.doing.phase = 'engine';
      this.symmetryCheck?.check(id, s);
      if (this.f.limit !== null) return; // the memory limit, met inside expand()
      if ((id & (PROGRESS_EVERY - 1)) === 0) {
        if (timeoutSeconds !== undefined && performance.now() - this.t0 > timeoutSeconds * 1000) return this.hit('timeout', id + 1);
        this.observer.progress?.(this.progressStats(id));
      }
    }
    if (this.f.limit !== null) return; // the memory limit, met while seeding
    this.f.processed = id;
    this.f.stopped = this.stopped;
  }

  private hit(limit: Limit, processed: number): void {
    this.f.limit = limit;
    this.f.processed = processed;
  }

  /** The store cannot grow within its budget: stop, as a limit does; the state being expanded stays queued. */
  private outOfMemory(processed: number): void {
    this.hit('memory', processed);
    this.stopped = true;
  }

  /**
   * Expands `s`: its successors are held in the batch (successorBatch.ts) and interned together, in the
   * order the transitions were taken, with every check at the same point of that order as if each were
   * interned at once: a throw while the batch is held comes after the held successors are judged, and
   * never happens if judging one of them stops the run.
   */
  private expand(id: number, s: unknown): void {
    const { actions, constants: k } = this.model;
    let any = false;
    try {
      for (let ai = 0; ai < actions.length; ai++) {
        const a = actions[ai]!;
        const doing = this.doing;
        doing.phase = 'params';
        doing.action = ai;
        doing.params = undefined;
        doing.id = id;
        doing.subject = -1;
        const params = a.params ? a.params(s, k) : NO_PARAMS;
        // Most actions' params are arrays: read them by index, without an iterator result per choice.
        const arr = Array.isArray(params) ? (params as readonly unknown[]) : null;
        const it = arr === null ? params[Symbol.iterator]() : null;
        for (let ord = 0; ; ) {
          let p: unknown;
          if (arr !== null) {
            if (ord >= arr.length) break;
            p = arr[ord];
          } else {
            const r = it!.next();
            if (r.done) break;
            p = r.value;
          }
          const o = ord++;
          if (o > MAX_ORDINAL) throw new SpecError(`action ${a.name} has more than ${MAX_ORDINAL} parameter choices`);
          doing.phase = 'guard';
          doing.params = p;
          if (a.guard && !a.guard(s, p as never, k)) continue;
          doing.phase = 'effect';
          const next = a.effect(s, p as never, k);
          if (next === undefined) continue;
          any = true;
          if (this.batch.full && !this.internBatch(id, s)) return;
          this.hold(id, s, next, ai, o, p);
        }
      }
    } catch (e) {
      const at = { ...this.doing };
      if (!this.internBatch(id, s)) return;
      Object.assign(this.doing, at);
      throw e;
    }
    if (!this.internBatch(id, s)) return;
    if (!any) this.checkDeadlock(id, s);
  }

  /** Holds the successor `next` in the batch, or if it cannot be stored, judges the batch and it, and throws. */
  private hold(id: number, s: unknown, next: unknown, ai: number, o: number, p: unknown): void {
    this.doing.phase = 'store';
    const batch = this.batch;
    // In place, behind the successors held already: nothing else encodes until the batch is interned.
    const at = batch.end;
    let len: number;
    try {
      len = this.enc.encodeAt(next, at);
    } catch (e) {
      if (!this.internBatch(id, s)) return;
      this.judgeStep(id, s, next, ai, o, p);
      if (this.stopped) return;
      this.doing.phase = 'store';
      throw e;
    }
    const buf = this.enc.buf;
    const i = batch.written(buf, at, len, this.hashed ? this.store.routeHash(buf, at, len) : 0);
    this.heldNext[i] = next;
    this.heldParams[i] = p;
    this.heldAction[i] = ai;
    this.heldOrdinal[i] = o;
  }

  /** Interns and judges the successors held, in order; false when that stopped the run. */
  private internBatch(id: number, s: unknown): boolean {
    const batch = this.batch;
    const n = batch.count;
    if (n === 0) return !this.stopped;
    if (this.hashed) batch.prefetch(this.store);
    const f = this.f;
    const store = this.store;
    // Under symmetry the edge leaves a representative, not the concrete state a trace replays from.
    const edges = this.enc === this.codec;
    try {
      for (let i = 0; i < n && !this.stopped; i++) {
        const ai = this.heldAction[i]!;
        const o = this.heldOrdinal[i]!;
        const next = this.heldNext[i];
        this.judgeStep(id, s, next, ai, o, this.heldParams[i]);
        this.doing.phase = 'store';
        const nid = store.internAt(batch.bytes, batch.at[i]!, batch.len[i]!, batch.hash[i]!, id, edges ? packEdge(ai, o) : NO_EDGE);
        if (nid === FULL) {
          this.outOfMemory(id);
          break;
        }
        if (!store.lastFresh) continue;
        f.fresh[ai]!++;
        if (this.level + 1 > f.maxLevel) f.maxLevel = this.level + 1;
        this.checkState(nid, next);
      }
    } finally {
      // Emptied even when judging throws, so that the throw is not judged again; the successors are
      // dropped so that the young generation does not keep them alive.
      this.heldNext.fill(undefined, 0, n);
      this.heldParams.fill(undefined, 0, n);
      batch.clear();
    }
    return !this.stopped;
  }

  /** Counts the transition and judges it by the action properties, before its successor is stored. */
  private judgeStep(id: number, s: unknown, next: unknown, ai: number, o: number, p: unknown): void {
    const f = this.f;
    f.generated++;
    f.enabled[ai]!++;
    this.doing.action = ai;
    this.doing.params = p;
    if (this.stepProps.length > 0) this.checkStep(id, s, next, ai, o);
  }

  private checkState(id: number, s: unknown): void {
    const { constants: k, constraint } = this.model;
    const f = this.f;
    const doing = this.doing;
    doing.subject = id;
    for (const { i, p, phase } of this.invariants) {
      if (f.violated.has(i)) continue;
      doing.phase = phase;
      if (!p.holds(s, k)) this.violate(i, { id });
    }
    for (const { i, p, phase } of this.reachables) {
      if (f.reached.has(i)) continue;
      doing.phase = phase;
      if (p.reached(s, k)) f.reached.set(i, id);
    }
    doing.phase = 'constraint';
    if (constraint && !constraint(s, k)) this.store.markOutside(id);
    doing.subject = -1;
  }

  private checkStep(id: number, s: unknown, next: unknown, ai: number, o: number): void {
    const step = this.step;
    step.set(this.model.actions[ai]!, this.doing.params);
    for (const { i, p, phase } of this.stepProps) {
      if (this.f.violated.has(i)) continue;
      this.doing.phase = phase;
      if (!p.holds(s, next, step, this.model.constants)) this.violate(i, { id, action: ai, ordinal: o });
    }
  }

  private violate(i: number, at: { id: number; action?: number; ordinal?: number }): void {
    this.f.violated.set(i, at);
    if (!this.options.continueAfterViolation) this.stopped = true;
  }

  private checkDeadlock(id: number, s: unknown): void {
    if (this.options.deadlock === false || this.f.deadlock >= 0) return;
    Object.assign(this.doing, { phase: 'terminal', action: -1, params: undefined, id, subject: -1 });
    if (this.model.terminal?.(s, this.model.constants)) return;
    this.f.deadlock = id;
    if (!this.options.continueAfterViolation) this.stopped = true;
  }

  private progressStats(id: number) {
    const seconds = (performance.now() - this.t0) / 1000;
    const { generated, maxLevel } = this.f;
    return { generated, distinct: this.store.size, queued: this.store.size - id - 1, depth: maxLevel + 1, seconds };
  }
}


/**
 * One partition of a parallel search: the states whose hash it owns (ownership.ts), in its own seen-state
 * store, and the work on them, one BFS level (a round) at a time. The coordinator (coordinator.ts) runs
 * one partition in its own thread for the sequential prefix, and then one per worker thread (worker.ts).
 *
 * A round, on each state of the level this partition owns, in its store's id order:
 * 1. judges it as the sequential explorer judges a new state: invariants, reachability properties, the
 *    state constraint, at the position of the transition that first reached it (position.ts);
 * 2. unless the round only judges, expands it as the sequential explorer does (parameters, guard,
 *    effect, action properties, deadlock), turns each successor into bytes, and sends the bytes to the
 *    successor's owner, itself included (exchange.ts);
 * and, as the owner, interns what it is sent, keeping for each new state the earliest transition that
 * reached it: in the sequential order, that one is its first discovery, its parent, the action credited
 * with it, and the position its judges run at in the next round.
 *
 * Nothing the spec does is lost to the order: what a partition finds is recorded with its position
 * (events.ts) and the coordinator replays the sequential explorer's rules on the sorted events
 * (findingsLog.ts). A throw in a guard or an effect ends that state's expansion (the sequential explorer
 * would have stopped there); a throw in a property is recorded and the judging goes on, because the
 * sequential explorer may not have run that property at all (it skips a property once violated).
 */
import { messageOf, SpecError } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import { CodecFrozen, type Codec } from '../codec.js';
import { Step } from '../explore.js';
import { FingerprintStore } from '../fingerprintStore.js';
import { labelOf } from '../label.js';
import { newStore } from '../newStore.js';
import { StateStore } from '../stateStore.js';
import { FULL, MAX_STATE_BYTES, NO_EDGE, type SeenStore, type StateBytes, stateTooLarge } from '../store.js';
import { MAX_ORDINAL, packEdge, unpackEdge } from '../transition.js';
import type { StoreKind } from '../types.js';
import { EventCollector, type FoundEvent, type ThrowInfo } from './events.js';
import type { Exchange } from './exchange.js';
import { sortLevel, type SortedLevel } from './levelOrder.js';
import { extendFrozen, type Witness } from './numberingLog.js';
import { ownerOf, ownerOfLaneB } from './ownership.js';
import { AFTER_EDGES, type Position, SUB } from './position.js';
import type { ChainNode, EpochReport, LevelReport, RoundCommand, StoreUsage } from './protocol.js';
import { NO_PARENT, packRef } from './refs.js';

const NO_PARAMS: readonly unknown[] = [undefined];
/** How often (in states of the level) a partition receives what its peers sent and looks at the clock. */
const POLL_EVERY = 32;
/** Abort flags in the shared `abort` array, slot 0. */
export const ABORT_MEMORY = 1;
export const ABORT_TIMEOUT = 2;

export interface PartitionSetup {
  readonly model: ResolvedModel;
  /** Numbered as the coordinator's codec is, and frozen (numberingLog.ts). */
  readonly codec: Codec;
  /** This partition's index in references (refs.ts). */
  readonly index: number;
  readonly stride: number;
  /** How many partitions share the states by hash; 1 when this one owns them all. */
  readonly owners: number;
  readonly storeKind: StoreKind;
  readonly budgetBytes: number;
  /** Report deadlocks (`CheckOptions.deadlock`). */
  readonly deadlock: boolean;
  /** `Date.now()` after which a round stops early (Infinity: never). */
  readonly deadline: number;
  /** Slot 0 non-zero: every partition stops its round (a store is full, or time is up). */
  readonly abort: Int32Array;
  /** The peers, when there are any. */
  readonly exchange: Exchange | null;
}

/** A state whose expansion stopped at a value the codec has not numbered, to resume after the witness. */
interface Pending {
  readonly id: number;
  readonly g: number;
  readonly action: number;
  readonly ordinal: number;
  readonly bytes: Buffer;
}

interface Judged<P> {
  readonly i: number;
  readonly p: P;
  readonly phase: string;
}

type Model = ResolvedModel;
type Props = {
  invariants: Judged<Extract<Model['properties'][number], { kind: 'invariant' }>>[];
  steps: Judged<Extract<Model['properties'][number], { kind: 'action' }>>[];
  reachables: Judged<Extract<Model['properties'][number], { kind: 'reachable' }>>[];
};

export class Partition {
  readonly store: SeenStore;
  private readonly model: Model;
  private readonly codec: Codec;
  private readonly props: Props = { invariants: [], steps: [], reachables: [] };
  private readonly step = new Step();
  private readonly events = new EventCollector();
  private readonly receiver = this.receive.bind(this);

  /** The level being explored: store ids levelStart .. levelEnd - 1, with their gids and first discoveries. */
  private levelStart = 0;
  private levelEnd = 0;
  private gidOf: Int32Array = new Int32Array(0);
  private keyG: Int32Array = new Int32Array(0);
  private keyE: Int32Array = new Int32Array(0);
  /** The gid range of the level being explored, in which the next level's parents lie. */
  private gStart = 0;
  private gCount = 0;

  /** The next level: store ids from nextStart on, each with its earliest (parent gid, edge) so far. */
  private nextStart = 0;
  private bestG = new Int32Array(1 << 10);
  private bestE = new Int32Array(1 << 10);
  /** The next level in its sequential order, between `finish` and the next round. */
  private sorted: SortedLevel | null = null;

  private pending: Pending[] = [];
  private skipViolated = new Set<number>();
  private skipReached = new Set<number>();
  private deadlockFound = false;
  private aborted: 'memory' | 'timeout' | null = null;

  // Counters since the last report.
  private generated = 0;
  private enabled: number[];
  private processed = 0;
  private inside = 0;

  constructor(private readonly setup: PartitionSetup) {
    this.model = setup.model;
    this.codec = setup.codec;
    this.store = newStore(setup.storeKind, setup.budgetBytes);
    this.enabled = new Array<number>(this.model.actions.length).fill(0);
    this.model.properties.forEach((p, i) => {
      if (p.kind === 'invariant') this.props.invariants.push({ i, p, phase: `invariant ${p.name}` });
      else if (p.kind === 'action') this.props.steps.push({ i, p, phase: `action property ${p.name}` });
      else this.props.reachables.push({ i, p, phase: `reachability property ${p.name}` });
    });
  }

  /** Stores the initial states: the first level, judged by the first round (the coordinator's partition only). */
  seed(): EpochReport {
    const start = this.store.size;
    const keys: number[] = [];
    for (const [i, s] of this.model.init.entries()) {
      this.generated++;
      let len: number;
      try {
        len = this.toBytes(s);
        if (len > MAX_STATE_BYTES) throw stateTooLarge(len);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        const thrown: ThrowInfo = { phase: 'init', action: -1, label: null, message: messageOf(e), judging: false, init: i, skipIf: null };
        this.events.add({ kind: 'error', pos: [-1, i, SUB.store, 0], prop: -1, ref: -1, action: -1, ordinal: 0, thrown });
        break;
      }
      const id = this.store.intern(this.codec.buf, len, NO_PARENT, i);
      if (id === FULL) {
        this.abort('memory');
        break;
      }
      if (this.store.lastFresh) keys.push(i);
    }
    this.setLevel(start, Int32Array.from(keys, (_, k) => start + k), new Int32Array(keys.length).fill(-1), Int32Array.from(keys));
    return this.report();
  }

  /**
   * Stores states handed over from the coordinator's partition (`exportStates`): all the states this
   * partition owns, the last ones (with a gid) being the level it explores first.
   */
  adopt(buf: Buffer, count: number): EpochReport {
    let at = 0;
    let first = -1;
    const gids: number[] = [];
    const kg: number[] = [];
    const ke: number[] = [];
    for (let n = 0; n < count; n++) {
      const parent = buf.readInt32LE(at);
      const edge = buf.readInt32LE(at + 4);
      const gid = buf.readInt32LE(at + 8);
      const len = buf.readUInt16LE(at + 20);
      const start = at + 22;
      let id: number;
      if (len > 0) id = this.store.intern(buf.subarray(start, start + len), len, parent, edge);
      else if (this.store instanceof FingerprintStore) id = this.store.adoptExpanded(buf.readInt32LE(start), buf.readInt32LE(start + 4), parent);
      else throw new Error('kmc: a fingerprint handed over to an exact store');
      if (id === FULL) {
        this.abort('memory');
        break;
      }
      if (gid >= 0) {
        if (first < 0) first = id;
        gids.push(gid);
        kg.push(buf.readInt32LE(at + 12));
        ke.push(buf.readInt32LE(at + 16));
      }
      at = start + (len > 0 ? len : 8);
    }
    this.setLevel(first < 0 ? this.store.size : first, Int32Array.from(gids), Int32Array.from(kg), Int32Array.from(ke));
    return this.report();
  }

  /**
   * Every state this partition holds, each for its owner among `owners` partitions (the coordinator's
   * hand-over), with what the owner needs to explore the current level: `gids` are those of the level
   * `finish` sorted last, if it did (else the level is the seeded one). A state already expanded goes as
   * its bytes, or as its fingerprint if that is all the store keeps (an empty record, then the lanes).
   */
  exportStates(owners: number, gids: Int32Array | undefined): { buf: Buffer; count: number }[] {
    if (gids) this.activate(gids);
    const { store } = this;
    const parts: Buffer[][] = Array.from({ length: owners }, () => []);
    const counts = new Array<number>(owners).fill(0);
    const lanes = new Int32Array(2);
    for (let id = 0; id < store.size; id++) {
      const inLevel = id >= this.levelStart && id < this.levelEnd;
      let rec: Buffer;
      let to: number;
      if (store instanceof FingerprintStore && !inLevel) {
        store.lanes(id, lanes);
        rec = Buffer.allocUnsafe(30);
        rec.writeUInt16LE(0, 20);
        rec.writeInt32LE(lanes[0]!, 22);
        rec.writeInt32LE(lanes[1]!, 26);
        to = ownerOfLaneB(lanes[1]!, owners);
      } else {
        const { buf, start, end } = store instanceof StateStore ? store.bytesOf(id) : store.frontierBytes(id);
        const len = end - start;
        rec = Buffer.allocUnsafe(22 + len);
        rec.writeUInt16LE(len, 20);
        buf.copy(rec, 22, start, end);
        to = ownerOf(rec.subarray(22), len, owners);
      }
      const k = id - this.levelStart;
      rec.writeInt32LE(store.parent(id), 0);
      rec.writeInt32LE(store.edge(id), 4);
      rec.writeInt32LE(inLevel ? this.gidOf[k]! : -1, 8);
      rec.writeInt32LE(inLevel ? this.keyG[k]! : 0, 12);
      rec.writeInt32LE(inLevel ? this.keyE[k]! : 0, 16);
      parts[to]!.push(rec);
      counts[to]!++;
    }
    return parts.map((p, i) => ({ buf: Buffer.concat(p), count: counts[i]! }));
  }

  /**
   * Explores the level: judges every state and, if `cmd.expand`, expands it. `cmd.gids` are the gids of
   * the level `finish` sorted last time.
   */
  round(cmd: RoundCommand): EpochReport {
    if (cmd.gids) this.activate(cmd.gids);
    this.gStart = cmd.gStart;
    this.gCount = cmd.gCount;
    this.skipViolated = new Set(cmd.violated);
    this.skipReached = new Set(cmd.reached);
    this.deadlockFound = cmd.deadlockFound;
    this.nextStart = this.store.size;
    const { store, codec } = this;
    for (let id = this.levelStart; id < this.levelEnd; id++) {
      const k = id - this.levelStart;
      if (k % POLL_EVERY === 0) {
        this.poll();
        if (this.stopping()) break;
      }
      const bytes = store.frontierBytes(id);
      const s = codec.decode(bytes.buf, bytes.start, bytes.end);
      this.processed++;
      if (!this.judge(id, k, s)) continue;
      this.inside++;
      if (cmd.expand) this.expand(id, this.gidOf[k]!, s, bytes, null);
    }
    this.setup.exchange?.finish(this.receiver);
    return this.report();
  }

  /**
   * Numbers what the witness's successor shows (numberingLog.ts), then resumes every expansion that had
   * stopped at a value not yet numbered, from the transition where it stopped.
   */
  witness(w: Witness): EpochReport {
    extendFrozen(this.model, this.codec, w);
    const resume = this.pending;
    this.pending = [];
    for (const p of resume) {
      if (this.stopping()) break;
      const s = this.codec.decode(p.bytes, 0, p.bytes.length);
      this.expand(p.id, p.g, s, { buf: p.bytes, start: 0, end: p.bytes.length }, p);
      this.poll();
    }
    this.setup.exchange?.finish(this.receiver);
    return this.report();
  }

  /** Ends the round: the new level in its sequential order (levelOrder.ts), and the actions credited with it. */
  finish(): LevelReport {
    const count = this.store.size - this.nextStart;
    const sorted = sortLevel(this.bestG, this.bestE, count, this.gStart, this.gCount);
    this.sorted = sorted;
    const fresh = new Array<number>(this.model.actions.length).fill(0);
    for (let k = 0; k < count; k++) fresh[unpackEdge(this.bestE[k]!).action]!++;
    return { count, g: sorted.g, e: sorted.e, fresh };
  }

  /** What a trace needs of each of these states: its parent, edge, and bytes or fingerprint. */
  chain(locals: readonly number[]): ChainNode[] {
    const { store } = this;
    const lanes = new Int32Array(2);
    return locals.map((id) => {
      const node = { ref: packRef(this.setup.stride, this.setup.index, id), parent: store.parent(id), edge: store.edge(id) };
      if (store instanceof StateStore) {
        const { buf, start, end } = store.bytesOf(id);
        return { ...node, bytes: new Uint8Array(buf.subarray(start, end)) };
      }
      if (store instanceof FingerprintStore) {
        store.lanes(id, lanes);
        return { ...node, edge: NO_EDGE, fp: [lanes[0]!, lanes[1]!] as const };
      }
      throw new Error('kmc: unknown store');
    });
  }

  usage(): StoreUsage {
    return { memory: this.store.memory(), frontierPeak: this.store.frontierPeakBytes(), full: this.store.full };
  }

  /** Successor bytes: the one place a successor becomes what the store keeps (a symmetry hook goes here). */
  private toBytes(next: unknown): number {
    return this.codec.encode(next);
  }

  private setLevel(start: number, gidOf: Int32Array, keyG: Int32Array, keyE: Int32Array): void {
    this.levelStart = start;
    this.levelEnd = start + gidOf.length;
    this.gidOf = gidOf;
    this.keyG = keyG;
    this.keyE = keyE;
  }

  /** Makes the level `finish` sorted the one to explore, with its gids in that order. */
  private activate(gids: Int32Array): void {
    const sorted = this.sorted;
    if (sorted === null) throw new Error('kmc: gids came for a level that was not sorted');
    this.sorted = null;
    const count = sorted.order.length;
    const gidOf = new Int32Array(count);
    for (let i = 0; i < count; i++) gidOf[sorted.order[i]!] = gids[i]!;
    this.setLevel(this.nextStart, gidOf, this.bestG.slice(0, count), this.bestE.slice(0, count));
  }

  private report(): EpochReport {
    const frozen = this.earliestPending();
    const r: EpochReport = {
      generated: this.generated,
      enabled: this.enabled,
      processed: this.processed,
      inside: this.inside,
      events: this.events.take(),
      frozen,
      aborted: this.aborted,
      size: this.store.size,
    };
    this.generated = 0;
    this.enabled = new Array<number>(this.model.actions.length).fill(0);
    this.processed = 0;
    this.inside = 0;
    return r;
  }

  private earliestPending(): Witness & { readonly g: number; readonly edge: number } | null {
    let best: Pending | null = null;
    for (const p of this.pending) {
      if (best === null || p.g < best.g || (p.g === best.g && packEdge(p.action, p.ordinal) < packEdge(best.action, best.ordinal))) best = p;
    }
    if (best === null) return null;
    return { g: best.g, edge: packEdge(best.action, best.ordinal), bytes: best.bytes, action: best.action, ordinal: best.ordinal };
  }

  private stopping(): boolean {
    if (this.aborted !== null) return true;
    const flag = Atomics.load(this.setup.abort, 0);
    if (flag !== 0) {
      this.aborted = flag === ABORT_MEMORY ? 'memory' : 'timeout';
      return true;
    }
    if (Date.now() > this.setup.deadline) {
      this.abort('timeout');
      return true;
    }
    return false;
  }

  private abort(why: 'memory' | 'timeout'): void {
    this.aborted = why;
    Atomics.store(this.setup.abort, 0, why === 'memory' ? ABORT_MEMORY : ABORT_TIMEOUT);
  }

  private poll(): void {
    this.setup.exchange?.poll(this.receiver);
  }

  private ref(id: number): number {
    return packRef(this.setup.stride, this.setup.index, id);
  }

  /** Judges state `id` (the level's k-th) as new; whether it is inside the state constraint. */
  private judge(id: number, k: number, s: unknown): boolean {
    const g = this.keyG[k]!;
    const e = this.keyE[k]!;
    const { constants: K, constraint } = this.model;
    for (const { i, p, phase } of this.props.invariants) {
      if (this.skipViolated.has(i)) continue;
      try {
        if (!p.holds(s, K)) this.found('violation', [g, e, SUB.invariant, i], i, id);
      } catch (err) {
        this.found('error', [g, e, SUB.invariant, i], i, id, judgeThrew(g, e, phase, err, 'property'));
      }
    }
    for (const { i, p, phase } of this.props.reachables) {
      if (this.skipReached.has(i)) continue;
      try {
        if (p.reached(s, K)) this.found('reached', [g, e, SUB.reachable, i], i, id);
      } catch (err) {
        this.found('error', [g, e, SUB.reachable, i], i, id, judgeThrew(g, e, phase, err, 'property'));
      }
    }
    if (!constraint) return true;
    try {
      if (constraint(s, K)) return true;
      this.store.markOutside(id);
    } catch (err) {
      this.found('error', [g, e, SUB.constraint, 0], -1, id, judgeThrew(g, e, 'constraint', err, null));
    }
    return false;
  }

  private found(kind: FoundEvent['kind'], pos: Position, prop: number, id: number, thrown: ThrowInfo | null = null, action = -1, ordinal = 0): void {
    this.events.add({ kind, pos, prop, ref: this.ref(id), action, ordinal, thrown });
  }

  /** A throw while expanding state `id` (gid `g`): the expansion ends there, as the sequential run would. */
  private expansionThrew(id: number, pos: Position, phase: string, action: number, label: string, err: unknown): void {
    const thrown: ThrowInfo = { phase, action, label, message: messageOf(err), judging: false, init: 0, skipIf: null };
    this.found('error', pos, -1, id, thrown);
  }

  /**
   * Expands state `id` (gid `g`), or resumes its expansion from the transition `from` had to wait at
   * (those before it were taken already). `src` is its bytes, kept if the expansion must wait.
   */
  private expand(id: number, g: number, s: unknown, src: StateBytes, from: Pick<Pending, 'action' | 'ordinal'> | null): void {
    const { actions, constants: K } = this.model;
    const fromAction = from?.action ?? 0;
    const fromOrdinal = from?.ordinal ?? 0;
    // A resumed expansion stopped at an enabled transition, so the state cannot be a deadlock.
    let any = from !== null;
    for (let ai = fromAction; ai < actions.length; ai++) {
      const a = actions[ai]!;
      let o = 0;
      let it: Iterator<unknown>;
      try {
        it = (a.params ? a.params(s, K) : NO_PARAMS)[Symbol.iterator]();
      } catch (err) {
        return this.expansionThrew(id, [g, packEdge(ai, 0), SUB.params, 0], 'params', ai, a.name, err);
      }
      for (;;) {
        let r: IteratorResult<unknown>;
        try {
          r = it.next();
        } catch (err) {
          return this.expansionThrew(id, [g, packEdge(ai, Math.min(o, MAX_ORDINAL)), SUB.params, 0], 'params', ai, a.name, err);
        }
        if (r.done) break;
        const ord = o++;
        if (ai === fromAction && ord < fromOrdinal) continue;
        if (ord > MAX_ORDINAL) {
          const err = new SpecError(`action ${a.name} has more than ${MAX_ORDINAL} parameter choices`);
          return this.expansionThrew(id, [g, packEdge(ai, MAX_ORDINAL), SUB.params, 1], 'params', ai, a.name, err);
        }
        const p = r.value;
        try {
          if (a.guard && !a.guard(s, p as never, K)) continue;
        } catch (err) {
          return this.expansionThrew(id, [g, packEdge(ai, ord), SUB.guard, 0], 'guard', ai, labelOf(a, p), err);
        }
        let next: unknown;
        try {
          next = a.effect(s, p as never, K);
        } catch (err) {
          return this.expansionThrew(id, [g, packEdge(ai, ord), SUB.effect, 0], 'effect', ai, labelOf(a, p), err);
        }
        if (next === undefined) continue;
        any = true;
        if (!this.transition(id, g, s, next, ai, ord, p, src)) return;
      }
    }
    if (!any) this.checkDeadlock(id, g, s);
  }

  /** One enabled transition; false when the expansion must stop here (a throw, a value to number, memory). */
  private transition(id: number, g: number, s: unknown, next: unknown, ai: number, o: number, p: unknown, src: StateBytes): boolean {
    const edge = packEdge(ai, o);
    // Encoding first: a value the frozen codec has not numbered makes this transition wait, and nothing of
    // it may be counted yet. Positions keep the sequential order of what follows regardless.
    let len = -1;
    let storeError: unknown = null;
    try {
      len = this.toBytes(next);
      if (len > MAX_STATE_BYTES) storeError = stateTooLarge(len);
    } catch (err) {
      if (err instanceof CodecFrozen) {
        this.pending.push({ id, g, action: ai, ordinal: o, bytes: Buffer.from(src.buf.subarray(src.start, src.end)) });
        return false;
      }
      if (!(err instanceof SpecError)) throw err;
      storeError = err;
    }
    this.generated++;
    this.enabled[ai]!++;
    if (this.props.steps.length > 0) this.judgeStep(id, g, s, next, ai, o, p, edge);
    if (storeError !== null) {
      this.expansionThrew(id, [g, edge, SUB.store, 0], 'store', ai, labelOf(this.model.actions[ai]!, p), storeError);
      return false;
    }
    const bytes = this.codec.buf;
    const { owners, exchange } = this.setup;
    const to = owners === 1 ? this.setup.index : ownerOf(bytes, len, owners);
    if (to === this.setup.index) this.receive(to, g, id, edge, bytes, len);
    else exchange!.send(to, g, id, edge, bytes, len);
    return this.aborted === null;
  }

  private judgeStep(id: number, g: number, s: unknown, next: unknown, ai: number, o: number, p: unknown, edge: number): void {
    const a = this.model.actions[ai]!;
    this.step.set(a, p);
    for (const { i, p: prop, phase } of this.props.steps) {
      if (this.skipViolated.has(i)) continue;
      try {
        if (!prop.holds(s, next, this.step, this.model.constants)) this.found('violation', [g, edge, SUB.step, i], i, id, null, ai, o);
      } catch (err) {
        const thrown: ThrowInfo = { phase, action: ai, label: labelOf(a, p), message: messageOf(err), judging: false, init: 0, skipIf: 'property' };
        this.found('error', [g, edge, SUB.step, i], i, id, thrown);
      }
    }
  }

  private checkDeadlock(id: number, g: number, s: unknown): void {
    if (!this.setup.deadlock || this.deadlockFound) return;
    const pos: Position = [g, AFTER_EDGES, 0, 0];
    try {
      if (this.model.terminal?.(s, this.model.constants)) return;
    } catch (err) {
      const thrown: ThrowInfo = { phase: 'terminal', action: -1, label: null, message: messageOf(err), judging: false, init: 0, skipIf: 'deadlock' };
      return this.found('error', pos, -1, id, thrown);
    }
    this.found('deadlock', pos, -1, id);
  }

  /** A successor this partition owns, from partition `from`'s state `parentLocal` (gid `g`) by `edge`. */
  private receive(from: number, g: number, parentLocal: number, edge: number, bytes: Buffer, len: number): void {
    if (this.aborted === 'memory') return;
    const parent = packRef(this.setup.stride, from, parentLocal);
    const id = this.store.intern(bytes, len, parent, edge);
    if (id === FULL) return this.abort('memory');
    const k = id - this.nextStart;
    if (this.store.lastFresh) {
      if (k >= this.bestG.length) this.growBest();
      this.bestG[k] = g;
      this.bestE[k] = edge;
    } else if (k >= 0 && (g < this.bestG[k]! || (g === this.bestG[k] && edge < this.bestE[k]!))) {
      this.bestG[k] = g;
      this.bestE[k] = edge;
      this.store.reparent(id, parent, edge);
    }
  }

  private growBest(): void {
    const n = this.bestG.length * 2;
    const g = new Int32Array(n);
    const e = new Int32Array(n);
    g.set(this.bestG);
    e.set(this.bestE);
    this.bestG = g;
    this.bestE = e;
  }
}

/** A throw while judging the new state first reached at (g, e): the action of that step, or an initial state. */
function judgeThrew(g: number, e: number, phase: string, err: unknown, skipIf: ThrowInfo['skipIf']): ThrowInfo {
  const init = g < 0;
  return { phase, action: init ? -1 : unpackEdge(e).action, label: null, message: messageOf(err), judging: true, init: init ? e : 0, skipIf };
}

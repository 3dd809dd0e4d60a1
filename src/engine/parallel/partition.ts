/**
 * One partition of a parallel search: the states whose hash it owns (ownership.ts), in its own seen-state
 * store, and the work on them, one BFS level (a round) at a time. The coordinator (coordinator.ts) runs
 * one partition in its own thread for the sequential prefix, which hands its states over (handover.ts)
 * to partition 0, in the coordinator's thread too, and to one partition per worker thread (worker.ts).
 *
 * A round shows the partition's level to its peers (levelView.ts) and, on each state it claims there, a
 * chunk at a time in gid order, then on the states it can still claim of its peers' levels:
 * 1. judges it as the sequential explorer judges a new state (judge.ts), at the position of the
 *    transition that first reached it (position.ts);
 * 2. unless the round only judges, expands it as the sequential explorer does (expansion.ts), sending
 *    each successor to its owner, itself included (exchange.ts);
 * and, as the owner, interns what it is sent, keeping for each new state the earliest transition that
 * reached it (nextLevel.ts): in the sequential order, that one is its first discovery. The round's report
 * carries the new level sorted in that order, and the coordinator gives it its gids, which the next round
 * starts from.
 *
 * Nothing the spec does is lost to the order: what a partition finds is recorded with its position
 * (events.ts) and the coordinator replays the sequential explorer's rules on the sorted events
 * (findingsLog.ts).
 *
 * With symmetry reduction a state is stored as its orbit's canonical bytes (expansion.ts), and the
 * coordinator's partition, which expands the run's first states, also checks the symmetry declaration
 * on them (symmetryCheck.ts), recording a failure as an event like any other.
 */
import { messageOf, SpecError } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import type { Codec } from '../codec.js';
import type { BoundSymmetry } from '../symmetry.js';
import type { SymmetryCheck } from '../symmetryCheck.js';
import { newStore } from '../newStore.js';
import { FULL, MAX_STATE_BYTES, type SeenStore, stateTooLarge } from '../store.js';
import type { StoreKind } from '../types.js';
import { chainNodes } from './chainStore.js';
import { EventCollector, type ThrowInfo } from './events.js';
import type { Exchange, Inbox } from './exchange.js';
import { Expansion, type Owner } from './expansion.js';
import { handOver, takeOver } from './handover.js';
import { Judge } from './judge.js';
import { buildView, CHUNK, claim, type LevelView, stateBytes, viewBytes } from './levelView.js';
import { orderByGid } from './levelOrder.js';
import { type Level, NextLevel } from './nextLevel.js';
import { leadAfterHandOver } from './route.js';
import { extendFrozen, type Witness } from './numberingLog.js';
import { AFTER_EDGES, SUB } from './position.js';
import type { ChainNode, EpochReport, RoundCommand, StoreUsage } from './protocol.js';
import { NO_PARENT, packRef } from './refs.js';

/** How often (in states of the level) a partition receives what its peers sent and looks at the clock. */
const POLL_EVERY = 32;
/** Abort flags in the shared `abort` array, slot 0. */
export const ABORT_MEMORY = 1;
export const ABORT_TIMEOUT = 2;

export interface PartitionSetup {
  readonly model: ResolvedModel;
  /** Numbered as the coordinator's codec is, and frozen (numberingLog.ts). */
  readonly codec: Codec;
  /** The model's symmetry when the run reduces by it: states are keyed by their orbit's canonical bytes. */
  readonly symmetry: BoundSymmetry | null;
  /** The check of that symmetry's declaration (the coordinator's partition only, which expands the run's first states). */
  readonly check: SymmetryCheck | null;
  /** This partition's index in references (refs.ts). */
  readonly index: number;
  readonly stride: number;
  /** How many partitions share the states by hash; 1 when this one owns them all. */
  readonly owners: number;
  /** The leading bytes of a state that pick its owner, or `WHOLE` (route.ts). */
  readonly route: number;
  readonly storeKind: StoreKind;
  readonly budgetBytes: number;
  /** What the partitions' stores hold together, in shared memory, when they share `budgetBytes` (memoryBudget.ts). */
  readonly pool: BigInt64Array | null;
  /** Report deadlocks (`CheckOptions.deadlock`). */
  readonly deadlock: boolean;
  /** `Date.now()` after which a round stops early (Infinity: never). */
  readonly deadline: number;
  /** Slot 0 non-zero: every partition stops its round (a store is full, or time is up). */
  readonly abort: Int32Array;
  /** The peers, when there are any. */
  readonly exchange: Exchange | null;
}

export class Partition implements Owner, Inbox {
  readonly store: SeenStore;
  /** Why this partition stopped, if it did; its expansion stops with it (expansion.ts). Only the partition sets it. */
  aborted: 'memory' | 'timeout' | null = null;
  private readonly model: ResolvedModel;
  private readonly codec: Codec;
  private readonly events = new EventCollector();
  private readonly judge: Judge;
  private readonly expansion: Expansion;
  /** What the prefetches read, kept so that they are not optimised away. */
  private sink = 0;

  /** The level being explored: store ids from its start on, with their gids and first discoveries. */
  private level: Level = { start: 0, gidOf: new Int32Array(0), keyG: new Int32Array(0), keyE: new Int32Array(0), order: null };
  /** The gid range of the level being explored, in which the next level's parents lie. */
  private gStart = 0;
  private gCount = 0;

  /** The level the round discovers. */
  private readonly next = new NextLevel();

  // Counters since the last report (the expansion counts its own).
  private seeded = 0;
  private processed = 0;
  private inside = 0;
  private taken = 0;
  /** This partition's level as its peers see it (levelView.ts), the last one built. */
  private view: LevelView | null = null;
  /** States judged since the last look at the peers' batches and the clock. */
  private sincePoll = 0;

  constructor(private readonly setup: PartitionSetup) {
    this.model = setup.model;
    this.codec = setup.codec;
    this.store = newStore(setup.storeKind, setup.budgetBytes, setup.pool);
    this.judge = new Judge(setup, this.store, this.events);
    this.expansion = new Expansion(setup, this.judge, this);
  }

  /** Stores the initial states: the first level, judged by the first round (the coordinator's partition only). */
  seed(): EpochReport {
    const start = this.store.size;
    const keys: number[] = [];
    for (const [i, s] of this.model.init.entries()) {
      this.seeded++;
      let len: number;
      try {
        len = this.expansion.key.encode(s);
        if (len > MAX_STATE_BYTES) throw stateTooLarge(len);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        const thrown: ThrowInfo = { phase: 'init', action: -1, label: null, message: messageOf(e), judging: false, init: i, skipIf: null };
        this.events.add({ kind: 'error', pos: [-1, i, SUB.store, 0], prop: -1, ref: -1, action: -1, ordinal: 0, thrown });
        break;
      }
      const id = this.store.intern(this.expansion.key.buf, len, NO_PARENT, i);
      if (id === FULL) {
        this.abort('memory');
        break;
      }
      if (this.store.lastFresh) keys.push(i);
    }
    this.level = { start, gidOf: Int32Array.from(keys, (_, k) => start + k), keyG: new Int32Array(keys.length).fill(-1), keyE: Int32Array.from(keys), order: null };
    return this.report();
  }

  /**
   * Stores states handed over from the coordinator's partition (`exportStates`, handover.ts): all the
   * states this partition owns, the last ones (with a gid) being the level it explores first.
   */
  adopt(buf: Buffer, count: number): EpochReport {
    const adopted = takeOver(this.store, buf, count);
    if (adopted.full) this.abort('memory');
    this.level = { start: adopted.start, gidOf: adopted.gids, keyG: adopted.keyG, keyE: adopted.keyE, order: orderByGid(adopted.gids) };
    return this.report();
  }

  /**
   * Every state this partition holds, each for its owner among `owners` partitions (the coordinator's
   * hand-over, handover.ts), with what the owner needs to explore the current level: `gids` are those of
   * the level the last round sorted, if there was one (else the level is the seeded one). They go by the
   * lead the partitions will route by (route.ts): `forced` if given, else the one the level's first
   * discoveries show.
   */
  exportStates(
    owners: number,
    gids: Int32Array | undefined,
    forced: number | undefined,
  ): { shares: { buf: Buffer; count: number }[]; lead: number } {
    if (gids) this.activate(gids);
    const { start, gidOf, keyG, keyE } = this.level;
    const lead = leadAfterHandOver(this.store, start, gidOf.length, this.setup.stride, owners, forced);
    return { shares: handOver(this.store, owners, start, gidOf, keyG, keyE, lead), lead };
  }

  /**
   * Explores the level: judges every state and, if `cmd.expand`, expands it. `cmd.gids` are the gids of
   * the level the last round sorted.
   */
  round(cmd: RoundCommand): EpochReport {
    if (cmd.gids) this.activate(cmd.gids);
    this.gStart = cmd.gStart;
    this.gCount = cmd.gCount;
    this.judge.beginRound(cmd);
    this.next.begin(this.store.size);
    const { index } = this.setup;
    const exchange = this.setup.exchange;
    // Built here, not when the level is set: the hand-over reads the level's bytes from the store first.
    const { start, gidOf, keyG, keyE, order } = this.level;
    const own = buildView(this.store, index, cmd.gStart, start, gidOf, keyG, keyE, this.view, order);
    this.view = own;
    // Memory held beside the store, so it counts in the budget; the peers get the view anyway, since they
    // wait for it (until they see this partition stop).
    if (!this.store.holdBeside(viewBytes(own))) this.abort('memory');
    exchange?.publish(own);
    if (!this.stopping()) this.take(own, cmd.expand);
    // Then the peers' states still unclaimed, starting with the next partition's so that two idle
    // partitions do not both go to the same one first.
    const n = exchange?.partitions ?? 1;
    for (let d = 1; d < n && !this.stopping(); d++) {
      const p = (index + d) % n;
      const view = exchange!.viewOf(p, cmd.gStart, this, () => this.stopping());
      if (view !== null) this.take(view, cmd.expand);
    }
    exchange?.finish(this, () => this.stopping());
    return this.report(cmd.expand);
  }

  /**
   * Judges, and expands if `expand`, the states of `view` this partition claims, a chunk at a time, until
   * none is left. They come in gid order, not in the store's (the order successors arrived in): so one
   * state follows another as in the sequential run, siblings together, and the decoder's cache and the
   * spec's data stay as warm (measured on the bench: 4% less wall time with two workers).
   */
  private take(view: LevelView, expand: boolean): void {
    const { codec, judge, expansion } = this;
    const { stride, index, check } = this.setup;
    const buf = Buffer.from(view.bytes.buffer, view.bytes.byteOffset, view.bytes.byteLength);
    const mine = view.part === index;
    for (let from = claim(view); from >= 0; from = claim(view)) {
      const to = Math.min(from + CHUNK, view.count);
      for (let i = from; i < to; i++) {
        const k = view.order[i]!;
        if (++this.sincePoll === POLL_EVERY) {
          this.sincePoll = 0;
          this.poll();
          if (this.stopping()) return;
        }
        const id = view.start + k;
        const ref = packRef(stride, view.part, id);
        const bytes = stateBytes(view, buf, k);
        const s = codec.decode(bytes.buf, bytes.start, bytes.end);
        this.processed++;
        if (!mine) this.taken++;
        if (!judge.newState(ref, mine ? id : -1, view.keyG[k]!, view.keyE[k]!, s)) continue;
        this.inside++;
        if (!expand) continue;
        const g = view.gidOf[k]!;
        expansion.expand(ref, g, s, bytes, null);
        if (check && mine) this.checkSymmetry(check, ref, g, s);
      }
    }
  }

  /**
   * Numbers what the witness's successor shows (numberingLog.ts), then resumes every expansion that had
   * stopped at a value not yet numbered, from the transition where it stopped.
   */
  witness(w: Witness): EpochReport {
    extendFrozen(this.model, this.codec, w, this.setup.symmetry);
    for (const p of this.expansion.takePending()) {
      if (this.stopping()) break;
      this.expansion.resume(p);
      this.poll();
    }
    this.setup.exchange?.finish(this, () => this.stopping());
    return this.report(true);
  }

  /** What a trace needs of each of these states: its parent, edge, and bytes or fingerprint (chainStore.ts). */
  chain(locals: readonly number[]): ChainNode[] {
    return chainNodes(this.store, this.setup.stride, this.setup.index, locals, this.setup.symmetry === null);
  }

  usage(): StoreUsage {
    return { memory: this.store.memory(), frontierPeak: this.store.frontierPeakBytes(), full: this.store.full };
  }

  /**
   * A successor this partition owns, from the state `parent` (a reference, refs.ts; gid `g`) by `edge`:
   * from its own expansion, or from a peer's through the exchange (as its `Inbox`).
   */
  prefetch(hashes: Int32Array, n: number): void {
    this.sink ^= this.store.prefetch(hashes, n);
  }

  receive(g: number, parent: number, edge: number, bytes: Buffer, at: number, len: number, hash: number): void {
    if (this.aborted === 'memory') return;
    const id = this.store.internAt(bytes, at, len, hash, parent, edge);
    if (id === FULL) return this.abort('memory');
    if (this.store.lastFresh) this.next.add(id, g, edge);
    else if (this.next.earlier(id, g, edge)) this.store.reparent(id, parent, edge);
  }

  /**
   * Checks the symmetry declaration on the state `ref` (gid `g`), just expanded, as the sequential
   * explorer does after each expansion; a failure is recorded where that explorer would have thrown it.
   */
  private checkSymmetry(check: SymmetryCheck, ref: number, g: number, s: unknown): void {
    try {
      check.check(g, s);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      const thrown: ThrowInfo = { phase: 'symmetry', action: -1, label: null, message: messageOf(e), judging: false, init: 0, skipIf: null };
      this.events.add({ kind: 'asymmetry', pos: [g, AFTER_EDGES, 1, 0], prop: -1, ref, action: -1, ordinal: 0, thrown });
    }
  }

  /** Makes the level the last round sorted the one to explore, with its gids in that order. */
  private activate(gids: Int32Array): void {
    this.level = this.next.take(gids);
  }

  /**
   * What the epoch did. The epoch that ends an expanding round (no transition left waiting for a
   * witness) also sorts the level it discovered into its sequential order (levelOrder.ts), with the
   * actions credited with it: here, so that the partitions sort at once, each in its own thread, and the
   * coordinator has every level as the reports come.
   */
  private report(expanded = false): EpochReport {
    const { expansion } = this;
    const frozen = expansion.earliestPending();
    const done = expanded && frozen === null && this.aborted === null;
    const r: EpochReport = {
      generated: this.seeded + expansion.generated,
      enabled: expansion.enabled,
      processed: this.processed,
      inside: this.inside,
      taken: this.taken,
      events: this.events.take(),
      frozen,
      aborted: this.aborted,
      size: this.store.size,
      level: done ? this.next.sort(this.store.size - this.next.start, this.gStart, this.gCount, this.model.actions.length) : null,
    };
    this.seeded = 0;
    this.processed = 0;
    this.inside = 0;
    this.taken = 0;
    expansion.resetCounts();
    return r;
  }

  private stopping(): boolean {
    if (this.aborted !== null) return true;
    const flag = Atomics.load(this.setup.abort, 0);
    if (flag !== 0) {
      // Any other flag stops the round as a timeout does: a timeout, or a worker's death (lifeline.ts),
      // after which the coordinator ends the run with the worker's failure.
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
    this.setup.exchange?.poll(this);
  }
}

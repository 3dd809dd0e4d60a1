/**
 * The parallel explorer's coordinator: the level barrier of a hash-partitioned, level-synchronous
 * breadth-first search (shared/PERFORMANCE.md §2.5 and §4.5), run so that the result is the sequential
 * explorer's (explore.ts) whatever the number of workers.
 *
 * The run starts in this thread, with a single partition that owns every state (the sequential prefix):
 * a small run ends there and never pays for threads. At the end of the first level after which the run
 * holds `prefixStates` states, the partition's states are handed to N partitions, each owning the states
 * whose hash falls to it (the hash of their leading bytes, if the prefix's transitions show that this
 * keeps most successors with their parent's owner: route.ts), and the levels go on there: partition 0 in
 * this thread, whose code the prefix has compiled, and one in each of N - 1 worker threads, whose code
 * starts cold (measured: 4% faster than N workers, now that one codec serves this thread). This thread's
 * partition blocks while it waits for its peers' records, so a worker's death reaches it through the
 * worker's lifeline (lifeline.ts).
 * Per level (a round):
 * 1. every partition judges and expands its states of the level (partition.ts), sending each successor to
 *    its owner; a transition whose successor shows a value no codec has numbered yet waits, and the
 *    coordinator extends every codec's numbering at the earliest such transition, as the sequential
 *    explorer would, until none waits (numberingLog.ts);
 * 2. the partitions sort their new states by first discovery and the coordinator merges them into the
 *    sequential explorer's ids (levelOrder.ts);
 * 3. everything found before the level, now all known, is settled by the sequential explorer's rules
 *    (findingsLog.ts); a throw, or by default the first violation or deadlock, ends the run;
 * 4. the coordinator decides whether the next round expands (limits, a certain end) or only judges.
 * At the end it gathers the parent chains of what it reports (chainStore.ts) and builds the result as
 * the sequential explorer does (result.ts): the same traces, verdicts and, for a complete run, the same
 * counts and coverage.
 *
 * A limit is checked between levels here (the sequential explorer checks it between states), so a run
 * stopped by `maxStates` may hold up to a level more states; it is incomplete either way. Likewise a run
 * that stops at its first violation ends with the level, so its counts (not its findings) differ from
 * the sequential explorer's; a run that stops so while still in the prefix is small, and is explored
 * again sequentially (`run`), so small runs report exactly what `--workers 1` reports.
 */
import { SpecError } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import { Codec } from '../codec.js';
import { explore } from '../explore.js';
import { buildResult, type Findings } from '../result.js';
import { bindSymmetry, type BoundSymmetry, keyEncoder, reducing } from '../symmetry.js';
import { CHECKED_STATES, SymmetryCheck } from '../symmetryCheck.js';
import { MAX_ACTIONS } from '../transition.js';
import type { CheckOptions, CheckResult, Limit, Observer } from '../types.js';
import { ChainStore, gatherChains, storesTotal } from './chainStore.js';
import { Crew } from './crew.js';
import type { Exchange } from './exchange.js';
import { ABORT_DEAD } from './lifeline.js';
import { findingsOf, reportedRefs } from './findingPoints.js';
import { FindingsLog } from './findingsLog.js';
import { mergeLevel } from './levelOrder.js';
import { extendFrozen, numberInitialStates, type Witness } from './numberingLog.js';
import { Partition } from './partition.js';
import { LocalPartition, type PartitionHandle } from './partitionHandle.js';
import { type EpochReport, type FrozenAt, modelIdentity, type ModelSource, type RoundCommand } from './protocol.js';
import { refPartition } from './refs.js';
import { WHOLE } from './route.js';

/**
 * The default sequential prefix, in states: a second or two of work here, against about half a second
 * to start each worker, and more than any built-in kernel model has at its default bounds, so that
 * those (and every test) run as they always did.
 */
export const PREFIX_STATES = 1 << 16;

export interface ParallelOptions {
  /** Worker threads (at least 1). */
  readonly workers: number;
  /** Hand over to the workers at the end of the first level after which the run holds this many states. */
  readonly prefixStates?: number;
  /**
   * Route states to their owners by their first `route` bytes (0: all of them) instead of by the lead
   * the hand-over picks (route.ts): for tests and measurements. A fingerprint store routes by all.
   */
  readonly route?: number;
}

interface Level {
  readonly start: number;
  readonly size: number;
}

export class Coordinator {
  private readonly t0 = performance.now();
  private readonly stride: number;
  private readonly authority = new Codec();
  private readonly witnesses: Witness[] = [];
  private readonly log: FindingsLog;
  private readonly abort = new Int32Array(new SharedArrayBuffer(4));
  private readonly deadline: number;
  private readonly budget: number;
  private readonly local: LocalPartition;
  /** The model's symmetry at its constants (for the report), and the same if it reduces anything (null if not). */
  private readonly symmetry: BoundSymmetry | null;
  private readonly reduce: BoundSymmetry | null;
  private parts: PartitionHandle[];
  /** The workers, once started. */
  private crew: Crew | null = null;
  /** Partition 0, this thread's own once the workers explore (partitions 1 .. n-1). */
  private home: LocalPartition | null = null;
  /** The workers explore: the prefix is over. */
  private handedOver = false;
  /** The leading bytes of a state that pick its owner since the hand-over (route.ts). */
  private route = WHOLE;

  private generated = 0;
  private readonly enabled: number[];
  private readonly fresh: number[];
  private readonly levels: Level[] = [];
  private distinct = 0;
  private maxLevel = 0;
  private limit: Limit | null = null;
  /** States of the last round's level judged, to say how many are still queued. */
  private processed = 0;
  /** States of the last round's level inside the state constraint. */
  private insideLast = 0;
  /** States a worker took from another's share (levelView.ts). */
  private taken = 0;
  private finalRound = false;

  constructor(
    private readonly model: ResolvedModel,
    private readonly source: ModelSource,
    private readonly options: CheckOptions,
    private readonly parallel: ParallelOptions,
    private readonly observer: Observer,
  ) {
    if (model.actions.length > MAX_ACTIONS) throw new SpecError(`a model may have at most ${MAX_ACTIONS} actions`);
    this.stride = parallel.workers + 1;
    this.log = new FindingsLog(options.continueAfterViolation !== true);
    const { timeoutSeconds, memoryBytes } = options.limits ?? {};
    this.deadline = timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000;
    this.budget = memoryBytes ?? Infinity;
    this.enabled = new Array<number>(model.actions.length).fill(0);
    this.fresh = new Array<number>(model.actions.length).fill(0);
    this.symmetry = options.symmetry === false ? null : bindSymmetry(model);
    this.reduce = reducing(this.symmetry);
    numberInitialStates(model, this.authority, this.reduce);
    // Frozen as every partition's is, since the coordinator's partition explores with it (below); it
    // thaws to number a witness (`epoch`) and to build the result.
    this.authority.freeze();
    // The declaration of a symmetry is checked on the first states of the run, as the sequential explorer
    // checks it (symmetryCheck.ts): here, before the hand-over.
    const check = this.reduce ? new SymmetryCheck(model, this.reduce) : null;
    this.local = new LocalPartition(this.partition(this.parallel.workers, 1, WHOLE, options.store ?? 'exact', this.budget, null, check));
    this.parts = [this.local];
  }

  async run(): Promise<CheckResult> {
    try {
      await this.search();
      // A wrong symmetry declaration is the spec's error, thrown as the sequential explorer throws it.
      const asymmetry = this.log.asymmetry?.thrown;
      if (asymmetry) throw new SpecError(asymmetry.message);
      if (!this.handedOver && this.stoppedEarly()) {
        // The prefix ends a level at a time; the sequential explorer stops at the very transition, so
        // its counts differ. The run is small (it never outgrew the prefix): explore it again, the way
        // `--workers 1` does, so that every small run reports exactly what `--workers 1` reports.
        const r = explore(this.model, this.options, this.observer);
        return { ...r, stats: { ...r.stats, workers: 1 } };
      }
      return await this.result();
    } finally {
      // The workers that worked, and any started for a hand-over that never came.
      await this.crew?.stop();
    }
  }

  /** The run stopped before the end of a level: at a violation (by default), a throw, max-states or memory. */
  private stoppedEarly(): boolean {
    return this.log.stopped || this.log.error !== null || this.limit === 'max-states' || this.limit === 'memory';
  }

  /** A partition in this thread: the prefix's (index N, owning every state), or partition 0 after the hand-over. */
  private partition(
    index: number,
    owners: number,
    route: number,
    storeKind: 'exact' | 'fingerprint',
    budgetBytes: number,
    pool: BigInt64Array | null,
    check: SymmetryCheck | null,
    exchange: Exchange | null = null,
  ): Partition {
    // The coordinator's own codec, not a copy: in one thread, two codecs tag the values they decode
    // under two symbols, so that every Record type has more hidden classes, and the spec's code and
    // kmc's fast paths go megamorphic (measured: the prefix in this thread ran 10% slower than in a
    // worker). Replaying a witness on it a second time (`Partition.witness`) numbers nothing new.
    return new Partition({
      model: this.model,
      codec: this.authority,
      symmetry: this.reduce,
      check,
      index,
      stride: this.stride,
      owners,
      route,
      storeKind,
      budgetBytes,
      pool,
      deadlock: this.options.deadlock !== false,
      deadline: this.deadline,
      abort: this.abort,
      exchange,
    });
  }

  private async search(): Promise<void> {
    const seeded = this.local.partition.seed();
    this.absorb([seeded]);
    this.levels.push({ start: 0, size: seeded.size });
    this.distinct = seeded.size;
    if (seeded.aborted) return this.stopAt(seeded.aborted);
    const { maxStates, maxDepth } = this.options.limits ?? {};
    let gids: Int32Array[] | undefined;
    for (let r = 0; ; r++) {
      const level = this.levels[r]!;
      const limit: Limit | null =
        maxDepth !== undefined && r >= maxDepth ? 'max-depth' : maxStates !== undefined && this.distinct >= maxStates ? 'max-states' : null;
      // A round whose level ends the run only judges: nothing it would discover could count.
      this.finalRound = limit !== null || this.log.certainEnd();
      if (Date.now() > this.deadline) return this.stopAt('timeout');
      const prefix = this.parallel.prefixStates ?? PREFIX_STATES;
      if (!this.handedOver && !this.finalRound && this.crew === null && this.projected(r) >= prefix) this.spawn();
      const checked = this.reduce === null || level.start >= CHECKED_STATES;
      if (!this.handedOver && !this.finalRound && this.distinct >= prefix && checked) {
        const refused = await this.handOver(gids?.[0]);
        if (refused) return this.stopAt(refused);
        gids = undefined;
      }
      const base = { expand: !this.finalRound, gStart: level.start, gCount: level.size, ...this.skips() };
      const { aborted, reports } = await this.epoch(this.parts.map((p, i) => p.round({ ...base, ...(gids ? { gids: gids[i]! } : {}) })));
      if (aborted) return this.stopAt(aborted);
      if (this.finalRound) {
        this.log.settle(Infinity);
        if (!this.log.over && limit !== null && this.insideLast > 0) this.limit = limit;
        return;
      }
      // Each partition's last report holds its part of the new level, sorted.
      const levels = reports.map((r) => r.level!);
      let count = 0;
      for (const l of levels) {
        count += l.count;
        l.fresh.forEach((n, a) => (this.fresh[a]! += n));
      }
      gids = mergeLevel(levels, level.start + level.size);
      if (this.log.settle(level.start)) return;
      if (count === 0) {
        this.log.settle(Infinity);
        return;
      }
      this.levels.push({ start: level.start + level.size, size: count });
      this.distinct += count;
      this.maxLevel = r + 1;
      this.observer.progress?.({
        generated: this.generated,
        distinct: this.distinct,
        queued: count,
        depth: this.maxLevel + 1,
        seconds: (performance.now() - this.t0) / 1000,
      });
    }
  }

  /**
   * How many states the run will hold two levels after level `r` if the levels keep growing as the last
   * two did: a worker takes about half a second to load the model, about what the last levels of the
   * prefix take, so the workers are started that early and are ready at the hand-over.
   */
  private projected(r: number): number {
    const last = this.levels[r]!.size;
    const before = r > 0 ? this.levels[r - 1]!.size : last;
    const growth = Math.max(1, last / Math.max(1, before));
    return this.distinct + last * growth + last * growth * growth;
  }

  /**
   * Runs one epoch on every partition, then, while some transition waits for a value to be numbered,
   * numbers the earliest and resumes them all. Returns why a partition stopped early, if one did, and
   * the last reports (after an expanding round, each with its part of the new level, sorted).
   */
  private async epoch(first: Promise<EpochReport>[]): Promise<{ aborted: 'memory' | 'timeout' | null; reports: EpochReport[] }> {
    let reports = await this.reports(first);
    this.processed = 0;
    this.insideLast = 0;
    for (;;) {
      this.absorb(reports);
      const aborted = reports.find((r) => r.aborted !== null)?.aborted ?? null;
      if (aborted) return { aborted, reports };
      const waiting = reports.map((r) => r.frozen).filter((f): f is FrozenAt => f !== null);
      if (waiting.length === 0) return { aborted: null, reports };
      const at = waiting.reduce((a, b) => (b.g < a.g || (b.g === a.g && b.edge < a.edge) ? b : a));
      const witness: Witness = { bytes: new Uint8Array(at.bytes), action: at.action, ordinal: at.ordinal };
      const before = this.authority.numbering();
      extendFrozen(this.model, this.authority, witness, this.reduce);
      if (this.authority.numbering() === before) {
        throw new SpecError('the spec is nondeterministic: a step taken again on the same state built other values');
      }
      this.witnesses.push(witness);
      reports = await this.reports(this.parts.map((p) => p.witness(witness)));
    }
  }

  /**
   * The partitions' reports of an epoch. This thread's partition stops early when a worker dies
   * (lifeline.ts), and its report says so only as an abort: the worker's failure is the run's end then.
   */
  private async reports(pending: Promise<EpochReport>[]): Promise<EpochReport[]> {
    const reports = await Promise.all(pending);
    if (Atomics.load(this.abort, 0) === ABORT_DEAD) await this.crew!.failed();
    return reports;
  }

  private absorb(reports: readonly EpochReport[]): void {
    for (const r of reports) {
      this.generated += r.generated;
      r.enabled.forEach((n, a) => (this.enabled[a]! += n));
      this.processed += r.processed;
      this.insideLast += r.inside;
      this.taken += r.taken;
      this.log.add(r.events);
    }
  }

  /** What the partitions should no longer judge, as the sequential explorer would not. */
  private skips(): Pick<RoundCommand, 'violated' | 'reached' | 'deadlockFound'> {
    return { violated: [...this.log.violated.keys()], reached: [...this.log.reached.keys()], deadlockFound: this.log.deadlock !== null };
  }

  private stopAt(limit: Limit): void {
    this.limit = limit;
    this.log.settle(Infinity);
  }

  /** Starts the workers (crew.ts), with the numbering log so far. */
  private spawn(): Crew {
    this.crew = Crew.start(this.parallel.workers - 1, {
      source: this.source,
      identity: modelIdentity(this.model),
      stride: this.stride,
      storeKind: this.options.store ?? 'exact',
      deadlock: this.options.deadlock !== false,
      deadline: this.deadline,
      abort: this.abort.buffer as SharedArrayBuffer,
      witnesses: [...this.witnesses],
      numbering: this.authority.numbering(),
      symmetry: this.reduce !== null,
    });
    return this.crew;
  }

  /**
   * Hands every state of the prefix to the workers, each to its owner; returns why they could not take
   * them all, if they could not (the memory budget).
   */
  private async handOver(gids: Int32Array | undefined): Promise<'memory' | 'timeout' | null> {
    const n = this.parallel.workers;
    const crew = this.crew ?? this.spawn();
    await crew.ready;
    const localUsage = await this.local.usage();
    const held = localUsage.memory.table + localUsage.memory.perState + localUsage.memory.states + localUsage.memory.frontier;
    // What the prefix's store does not hold, for the partitions to share: a partition that owns more
    // than its share of the states (route.ts) takes more of it.
    const budgetBytes = Number.isFinite(this.budget) ? Math.max(0, this.budget - held) : Infinity;
    const pool = Number.isFinite(budgetBytes) ? new BigInt64Array(new SharedArrayBuffer(8)) : null;
    const { shares, lead } = this.local.partition.exportStates(n, gids, this.parallel.route);
    this.handedOver = true;
    this.route = lead;
    const home = this.partition(0, n, lead, this.options.store ?? 'exact', budgetBytes, pool, null, crew.homeExchange());
    this.home = new LocalPartition(home);
    // This thread's partition last: its calls run at once and wait for the workers' records, so the
    // workers must have been asked first. It adopts its share while they adopt theirs.
    this.parts = [...crew.hosts, this.home];
    const asked = crew.adopt(shares.slice(1), lead, this.witnesses, this.authority.numbering(), budgetBytes, pool);
    const own = home.adopt(shares[0]!.buf, shares[0]!.count);
    const adopted = [...(await asked), own];
    this.absorb(adopted);
    return adopted.find((r) => r.aborted !== null)?.aborted ?? null;
  }

  /** The partition holding reference `ref`. */
  private holder(ref: number): PartitionHandle {
    const p = refPartition(this.stride, ref);
    if (p === this.parallel.workers) return this.local;
    if (p === 0) return this.home!;
    return this.crew!.hosts[p - 1]!;
  }

  private async result(): Promise<CheckResult> {
    this.authority.thaw();
    const log = this.log;
    const usages = await Promise.all([this.local, ...(this.handedOver ? this.parts : [])].map((p) => p.usage()));
    const chains = await gatherChains(reportedRefs(log), this.stride, (ref) => this.holder(ref));
    const store = new ChainStore(this.options.store ?? 'exact', storesTotal(this.distinct, usages), chains);
    const last = this.levels.at(-1)!;
    const complete = log.error === null && this.limit === null && !log.stopped;
    const queued = complete ? 0 : this.finalRound ? last.size : Math.max(0, this.distinct - (last.start + this.processed));
    const findings: Findings = {
      ...findingsOf(log, this.model, store, this.authority),
      limit: this.limit,
      stopped: log.stopped,
      generated: this.generated,
      processed: this.distinct - queued,
      maxLevel: this.maxLevel,
      enabled: this.enabled,
      fresh: this.fresh,
      seconds: (performance.now() - this.t0) / 1000,
    };
    const encoder = keyEncoder(this.authority, this.reduce);
    const result = buildResult({ model: this.model, store, codec: this.authority, encoder, symmetry: this.symmetry, findings, options: this.options });
    return { ...result, stats: { ...result.stats, workers: this.handedOver ? this.parts.length : 1, ...(this.handedOver ? { taken: this.taken, route: this.route } : {}) } };
  }
}

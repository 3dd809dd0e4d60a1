/**
 * The expansion of a partition's states, as the sequential explorer expands a state (explore.ts): the
 * actions in declaration order, each action's parameters in the order `params` yields them, the guard,
 * the effect; each enabled transition's successor is turned into bytes, the step is judged by the action
 * properties (judge.ts), and the successor goes to its owner (ownership.ts), this partition itself
 * included (`Partition.receive`, exchange.ts): its own successors of one state together, at the end of
 * the state's expansion (successorBatch.ts). A state with no enabled transition goes to the judge's
 * deadlock check.
 *
 * A throw in `params`, a guard or an effect ends that state's expansion, since the sequential explorer
 * would have stopped there; so does a successor kmc cannot store. Each is recorded at its position.
 *
 * The codec is frozen (numberingLog.ts): a successor that shows it a value it has not numbered makes the
 * expansion wait at that transition, with nothing of the transition counted yet. The report names the
 * earliest transition waiting; once the coordinator sends the witness, every waiting expansion resumes
 * from the transition where it stopped.
 */
import { messageOf, SpecError } from '../../errors.js';
import type { ResolvedModel } from '../../resolve.js';
import { type Codec, CodecFrozen, type StateEncoder } from '../codec.js';
import { labelOf } from '../label.js';
import { MAX_STATE_BYTES, type SeenStore, type StateBytes, stateTooLarge } from '../store.js';
import { SuccessorBatch } from '../successorBatch.js';
import { keyEncoder } from '../symmetry.js';
import { MAX_ORDINAL, packEdge } from '../transition.js';
import type { ThrowInfo } from './events.js';
import type { Judge } from './judge.js';
import { ownerOf } from './ownership.js';
import { fileAndRoute, routed } from './route.js';
import type { PartitionSetup } from './partition.js';
import { type Position, SUB } from './position.js';
import type { FrozenAt } from './protocol.js';

const NO_PARAMS: readonly unknown[] = [undefined];

/** The partition whose states are expanded (partition.ts): it keeps the successors it owns, and its stop ends the expansion. */
export interface Owner {
  /**
   * A successor this partition owns, from the state `parentRef` (refs.ts; gid `g`) by `edge`: its bytes
   * `bytes[at .. at + len)` and its route hash (0 when the store computes its own).
   */
  receive(g: number, parentRef: number, edge: number, bytes: Buffer, at: number, len: number, hash: number): void;
  /** The partition's store, for the route hashes. */
  readonly store: SeenStore;
  /** Why the partition stopped (a store is full, or time is up), or null while it goes on. */
  readonly aborted: 'memory' | 'timeout' | null;
}

/** A state whose expansion stopped at a value the codec has not numbered, to resume after the witness. */
export interface Pending {
  /** The state's reference (refs.ts): it may be another partition's (levelView.ts). */
  readonly ref: number;
  readonly g: number;
  readonly action: number;
  readonly ordinal: number;
  readonly bytes: Buffer;
}

export class Expansion {
  /** Since the last `resetCounts`: successors generated, and enabled transitions per action. */
  generated = 0;
  enabled: number[];
  /**
   * What a state becomes in the store: the codec's bytes, or with symmetry its orbit's canonical bytes
   * (symmetry.ts), which every partition computes alike, so that they agree on owners and representatives.
   */
  readonly key: StateEncoder;
  private readonly model: ResolvedModel;
  private readonly codec: Codec;
  private readonly judgesSteps: boolean;
  /** The store files states by their route hash, so it is computed even when nothing is routed. */
  private readonly hashFirst: boolean;
  private pending: Pending[] = [];
  /**
   * The successors this partition owns of the state being expanded, held to be received together once
   * the store has fetched what their lookups read (successorBatch.ts), with each one's edge.
   */
  private readonly held = new SuccessorBatch();
  private readonly heldEdge = new Int32Array(SuccessorBatch.CAPACITY);

  constructor(
    private readonly setup: PartitionSetup,
    private readonly judge: Judge,
    private readonly owner: Owner,
  ) {
    this.model = setup.model;
    this.codec = setup.codec;
    this.key = keyEncoder(setup.codec, setup.symmetry);
    this.judgesSteps = judge.judgesSteps;
    this.hashFirst = setup.storeKind === 'exact';
    this.enabled = new Array<number>(this.model.actions.length).fill(0);
  }

  /** Starts the counts afresh; the last report keeps the `enabled` it was given. */
  resetCounts(): void {
    this.generated = 0;
    this.enabled = new Array<number>(this.model.actions.length).fill(0);
  }

  /** The expansions waiting for a witness, to resume: they are no longer waiting. */
  takePending(): Pending[] {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  /** The earliest transition waiting, in the sequential order, with its position. */
  earliestPending(): FrozenAt | null {
    let best: Pending | null = null;
    for (const p of this.pending) {
      if (best === null || p.g < best.g || (p.g === best.g && packEdge(p.action, p.ordinal) < packEdge(best.action, best.ordinal))) best = p;
    }
    if (best === null) return null;
    return { g: best.g, edge: packEdge(best.action, best.ordinal), bytes: best.bytes, action: best.action, ordinal: best.ordinal };
  }

  /** Resumes a waiting expansion from the transition where it stopped (the codec has numbered what it showed). */
  resume(p: Pending): void {
    const s = this.codec.decode(p.bytes, 0, p.bytes.length);
    this.expand(p.ref, p.g, s, { buf: p.bytes, start: 0, end: p.bytes.length }, p);
  }

  /**
   * Expands the state `ref` (refs.ts; gid `g`), or resumes its expansion from the transition `from` had to wait at
   * (those before it were taken already). `src` is its bytes, kept if the expansion must wait.
   */
  expand(ref: number, g: number, s: unknown, src: StateBytes, from: Pick<Pending, 'action' | 'ordinal'> | null): void {
    try {
      this.expandFrom(ref, g, s, src, from);
    } finally {
      this.receiveHeld(ref, g);
    }
  }

  private expandFrom(ref: number, g: number, s: unknown, src: StateBytes, from: Pick<Pending, 'action' | 'ordinal'> | null): void {
    const { actions, constants: K } = this.model;
    const fromAction = from?.action ?? 0;
    const fromOrdinal = from?.ordinal ?? 0;
    // A resumed expansion stopped at an enabled transition, so the state cannot be a deadlock.
    let any = from !== null;
    for (let ai = fromAction; ai < actions.length; ai++) {
      const a = actions[ai]!;
      let o = 0;
      // Most actions' params are arrays: read them by index, without an iterator result per choice.
      let arr: readonly unknown[] | null = null;
      let it: Iterator<unknown> | null = null;
      try {
        const params = a.params ? a.params(s, K) : NO_PARAMS;
        if (Array.isArray(params)) arr = params;
        else it = params[Symbol.iterator]();
      } catch (err) {
        return this.expansionThrew(ref, [g, packEdge(ai, 0), SUB.params, 0], 'params', ai, a.name, err);
      }
      for (;;) {
        let p: unknown;
        try {
          if (arr !== null) {
            if (o >= arr.length) break;
            p = arr[o];
          } else {
            const r = it!.next();
            if (r.done) break;
            p = r.value;
          }
        } catch (err) {
          return this.expansionThrew(ref, [g, packEdge(ai, Math.min(o, MAX_ORDINAL)), SUB.params, 0], 'params', ai, a.name, err);
        }
        const ord = o++;
        if (ai === fromAction && ord < fromOrdinal) continue;
        if (ord > MAX_ORDINAL) {
          const err = new SpecError(`action ${a.name} has more than ${MAX_ORDINAL} parameter choices`);
          return this.expansionThrew(ref, [g, packEdge(ai, MAX_ORDINAL), SUB.params, 1], 'params', ai, a.name, err);
        }
        try {
          if (a.guard && !a.guard(s, p as never, K)) continue;
        } catch (err) {
          return this.expansionThrew(ref, [g, packEdge(ai, ord), SUB.guard, 0], 'guard', ai, labelOf(a, p), err);
        }
        let next: unknown;
        try {
          next = a.effect(s, p as never, K);
        } catch (err) {
          return this.expansionThrew(ref, [g, packEdge(ai, ord), SUB.effect, 0], 'effect', ai, labelOf(a, p), err);
        }
        if (next === undefined) continue;
        any = true;
        if (!this.transition(ref, g, s, next, ai, ord, p, src)) return;
      }
    }
    if (!any) this.judge.deadlock(ref, g, s);
  }

  /** One enabled transition; false when the expansion must stop here (a throw, a value to number, memory). */
  private transition(ref: number, g: number, s: unknown, next: unknown, ai: number, o: number, p: unknown, src: StateBytes): boolean {
    const edge = packEdge(ai, o);
    // Encoding first: a value the frozen codec has not numbered makes this transition wait, and nothing of
    // it may be counted yet. Positions keep the sequential order of what follows regardless.
    let len = -1;
    let storeError: unknown = null;
    // In place, behind the successors held already (the held batch adopts them, see SuccessorBatch).
    const at = this.held.end;
    try {
      len = this.key.encodeAt(next, at);
      if (len > MAX_STATE_BYTES) storeError = stateTooLarge(len);
    } catch (err) {
      if (err instanceof CodecFrozen) {
        this.pending.push({ ref, g, action: ai, ordinal: o, bytes: Buffer.from(src.buf.subarray(src.start, src.end)) });
        return false;
      }
      if (!(err instanceof SpecError)) throw err;
      storeError = err;
    }
    this.generated++;
    this.enabled[ai]!++;
    if (this.judgesSteps) this.judge.step(ref, g, s, next, ai, o, p, edge);
    if (storeError !== null) {
      this.expansionThrew(ref, [g, edge, SUB.store, 0], 'store', ai, labelOf(this.model.actions[ai]!, p), storeError);
      return false;
    }
    const bytes = this.key.buf;
    const { owners, exchange, index, route } = this.setup;
    // The exact store needs the hash anyway; the fingerprint store only to route (lane B is half its work).
    let hash = 0;
    let to = index;
    if (owners > 1) {
      hash = fileAndRoute(this.owner.store, bytes, at, len, route);
      to = ownerOf(routed[0]!, owners);
    } else if (this.hashFirst) hash = this.owner.store.routeHash(bytes, at, len);
    if (to === index) {
      // Receiving the full batch leaves these bytes where they are: the encoder writes only past `at + len`.
      if (this.held.full && !this.receiveHeld(ref, g)) return false;
      this.heldEdge[this.held.written(bytes, at, len, hash)] = edge;
      return true;
    }
    exchange!.send(to, g, ref, edge, bytes, at, len, hash);
    return this.owner.aborted === null;
  }

  /** Hands the successors held, all of the state `ref` (gid `g`), to this partition; false once it has stopped. */
  private receiveHeld(ref: number, g: number): boolean {
    const held = this.held;
    const n = held.count;
    const owner = this.owner;
    if (n > 0 && owner.aborted === null) {
      if (this.hashFirst) held.prefetch(owner.store);
      for (let i = 0; i < n && owner.aborted === null; i++) {
        owner.receive(g, ref, this.heldEdge[i]!, held.bytes, held.at[i]!, held.len[i]!, held.hash[i]!);
      }
    }
    held.clear();
    return owner.aborted === null;
  }

  /** A throw while expanding the state `ref` (gid `g`): the expansion ends there, as the sequential run would. */
  private expansionThrew(ref: number, pos: Position, phase: string, action: number, label: string, err: unknown): void {
    const thrown: ThrowInfo = { phase, action, label, message: messageOf(err), judging: false, init: 0, skipIf: null };
    this.judge.found('error', pos, -1, ref, thrown);
  }
}

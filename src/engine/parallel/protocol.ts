/**
 * What the coordinator and the partitions say to each other, the same whether a partition runs in the
 * coordinator's thread or in a worker (structured-cloneable data only: numbers, strings, typed arrays).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ResolvedModel } from '../../resolve.js';
import type { StoreFull, StoreKind, StoreMemory } from '../types.js';
import type { FoundEvent } from './events.js';
import type { Witness } from './numberingLog.js';

/** Explore the current level: judge each state, and expand it unless `expand` is false. */
export interface RoundCommand {
  readonly expand: boolean;
  /** The gids of the level the last round sorted, in that order; absent for a level seeded or handed over. */
  readonly gids?: Int32Array;
  /** The gid range of the level being explored. */
  readonly gStart: number;
  readonly gCount: number;
  /** What the sequential explorer would skip from now on: properties violated or reached, a deadlock found. */
  readonly violated: readonly number[];
  readonly reached: readonly number[];
  readonly deadlockFound: boolean;
}

/** The earliest transition a partition's frozen codec could not encode, with its position. */
export interface FrozenAt extends Witness {
  readonly g: number;
  readonly edge: number;
}

/** What a partition did in one epoch (a round, or the resumption after a witness), since its last report. */
export interface EpochReport {
  readonly generated: number;
  /** Enabled transitions per action. */
  readonly enabled: readonly number[];
  /** States of the level judged, and how many of those were inside the state constraint. */
  readonly processed: number;
  readonly inside: number;
  /** Of those, states of a peer's share of the level (levelView.ts). */
  readonly taken: number;
  readonly events: readonly FoundEvent[];
  readonly frozen: FrozenAt | null;
  /** Why the partition stopped before the end of the level, if it did. */
  readonly aborted: 'memory' | 'timeout' | null;
  /** States in the partition's store. */
  readonly size: number;
  /**
   * The level the round discovered, sorted, from the epoch that ends an expanding round (no transition
   * waits for a witness, and the partition did not stop early); null from any other.
   */
  readonly level: LevelReport | null;
}

/** The level a round discovered, in the partition's part of the sequential order (levelOrder.ts). */
export interface LevelReport {
  readonly count: number;
  readonly g: Int32Array;
  readonly e: Int32Array;
  /** New states per action that first reached them. */
  readonly fresh: readonly number[];
}

/** One state of a trace's parent chain: its parent's reference, the edge, and its bytes or fingerprint. */
export interface ChainNode {
  readonly ref: number;
  readonly parent: number;
  readonly edge: number;
  readonly bytes?: Uint8Array;
  readonly fp?: readonly [number, number];
}

export interface StoreUsage {
  readonly memory: StoreMemory;
  readonly frontierPeak: number;
  readonly full: StoreFull | null;
}

/** Where a worker finds the model: as `kmc check` was given it, with the same proposal and constants. */
export interface ModelSource {
  /** A built-in model's name, or a path to a model or proposal file (absolute, or from the working directory). */
  readonly arg: string;
  readonly proposal?: string;
  /** The model's named bounds (`--preset`), applied as the main thread applied them. */
  readonly preset?: string;
  readonly constants?: Readonly<Record<string, string>>;
  readonly properties?: readonly string[];
}

/** Everything a worker needs to become partition `index`. */
export interface WorkerSetup {
  readonly source: ModelSource;
  /** The coordinator's model in brief (`modelIdentity`): the worker must have loaded the same one. */
  readonly identity: string;
  readonly index: number;
  readonly stride: number;
  readonly owners: number;
  readonly storeKind: StoreKind;
  readonly deadlock: boolean;
  readonly deadline: number;
  readonly abort: SharedArrayBuffer;
  readonly mailbox: SharedArrayBuffer;
  /** The numbering log so far, and the numbering it must give (numberingLog.ts). */
  readonly witnesses: readonly Witness[];
  readonly numbering: string;
  /** Whether states are keyed by their orbit's canonical bytes (the model's symmetry, bound by the worker). */
  readonly symmetry: boolean;
  /** A port to each peer, by index (null at `index`). */
  readonly ports: readonly (MessagePort | null)[];
  /** The worker's end of its lifeline (lifeline.ts): held, never used, closed when the thread ends. */
  readonly lifeline: MessagePort;
}

/**
 * The hand-over of the coordinator's states (`Partition.exportStates`) to a worker set up earlier: the
 * route they went by, the witnesses logged since its setup, the numbering they must give, and its share
 * of the memory budget.
 */
export interface Adoption {
  readonly buf: Uint8Array;
  readonly count: number;
  /** The leading bytes of a state that pick its owner (route.ts). */
  readonly route: number;
  readonly witnesses: readonly Witness[];
  readonly numbering: string;
  readonly budgetBytes: number;
  /** What the partitions' stores hold together, when they share the budget (memoryBudget.ts). */
  readonly pool: SharedArrayBuffer | null;
}

export type Request =
  | { readonly type: 'setup'; readonly setup: WorkerSetup }
  | { readonly type: 'adopt'; readonly adopt: Adoption }
  | { readonly type: 'round'; readonly cmd: RoundCommand }
  | { readonly type: 'witness'; readonly witness: Witness }
  | { readonly type: 'chain'; readonly locals: readonly number[] }
  | { readonly type: 'usage' };

export type Reply = { readonly ok: unknown } | { readonly failed: string };

/** A model in brief: its name, proposal, constants, actions, properties and initial states' count. */
export function modelIdentity(m: ResolvedModel): string {
  return JSON.stringify([m.model, m.proposal, m.constants, m.actions.map((a) => a.name), m.properties.map((p) => p.name), m.init.length]);
}

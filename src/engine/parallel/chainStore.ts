/**
 * The parent chains of the states a parallel run reports, gathered from the partitions that hold them
 * (coordinator.ts), behind the seen-state store interface: what trace.ts and result.ts need to rebuild
 * the traces exactly as for a sequential run (parents, edges where the store kept them, and whether a
 * state's bytes, or its fingerprint, match a replayed successor). Each partition answers for its own
 * states (`chainNodes`).
 *
 * It also stands for the partitions' stores together in the result: their total size, memory and peak.
 */
import { fingerprint } from '../fingerprint.js';
import { FingerprintStore } from '../fingerprintStore.js';
import { StateStore } from '../stateStore.js';
import { NO_EDGE, type SeenStore, type StateBytes } from '../store.js';
import type { StoreFull, StoreKind, StoreMemory } from '../types.js';
import type { PartitionHandle } from './partitionHandle.js';
import type { ChainNode, StoreUsage } from './protocol.js';
import { NO_PARENT, packRef, refLocal } from './refs.js';

interface Node {
  readonly parent: number;
  readonly edge: number;
  readonly bytes?: Uint8Array;
  readonly fp?: readonly [number, number];
}

/** The partitions' stores taken together. */
export interface StoresTotal {
  readonly size: number;
  readonly memory: StoreMemory;
  readonly frontierPeak: number;
  readonly full: StoreFull | null;
}

export class ChainStore implements SeenStore {
  readonly lastFresh = false;
  private readonly nodes: Node[] = [];
  private readonly ids = new Map<number, number>();
  private readonly lanes = new Int32Array(2);

  /** @param chains every node of every chain, by reference; each node's parent is among them */
  constructor(
    readonly kind: StoreKind,
    private readonly total: StoresTotal,
    chains: readonly ChainNode[],
  ) {
    chains.forEach((n, i) => this.ids.set(n.ref, i));
    for (const n of chains) {
      const parent = n.parent === NO_PARENT ? NO_PARENT : this.idOf(n.parent);
      this.nodes.push({ parent, edge: n.edge, ...(n.bytes ? { bytes: n.bytes } : {}), ...(n.fp ? { fp: n.fp } : {}) });
    }
  }

  get size(): number {
    return this.total.size;
  }

  get full(): StoreFull | null {
    return this.total.full;
  }

  /** The id here of the state with reference `ref`. */
  idOf(ref: number): number {
    const id = this.ids.get(ref);
    if (id === undefined) throw new Error(`kmc: state ${ref} is not in the gathered chains`);
    return id;
  }

  parent(id: number): number {
    return this.node(id).parent;
  }

  isRoot(id: number): boolean {
    return this.node(id).parent === NO_PARENT;
  }

  edge(id: number): number {
    return this.node(id).edge;
  }

  matches(id: number, bytes: Buffer, len: number): boolean {
    const n = this.node(id);
    if (n.bytes) return n.bytes.length === len && Buffer.compare(n.bytes, bytes.subarray(0, len)) === 0;
    fingerprint(bytes, 0, len, this.lanes);
    return this.lanes[0] === n.fp![0] && this.lanes[1] === n.fp![1];
  }

  memory(): StoreMemory {
    return this.total.memory;
  }

  frontierPeakBytes(): number {
    return this.total.frontierPeak;
  }

  intern(): number {
    return unsupported();
  }

  internAt(): number {
    return unsupported();
  }

  routeHash(): number {
    return unsupported();
  }

  prefetch(): number {
    return unsupported();
  }

  reparent(): void {
    unsupported();
  }

  markOutside(): void {
    unsupported();
  }

  isOutside(): boolean {
    return unsupported();
  }

  frontierBytes(): StateBytes {
    return unsupported();
  }

  holdBeside(): boolean {
    return unsupported();
  }

  private node(id: number): Node {
    const n = this.nodes[id];
    if (n === undefined) throw new Error(`kmc: no state ${id} in the gathered chains`);
    return n;
  }
}

/**
 * The parent chains of the states with references `refs`, gathered hop by hop: each round asks every
 * partition that holds some of the wanted states for them at once, and wants their parents next.
 */
export async function gatherChains(refs: readonly number[], stride: number, holder: (ref: number) => PartitionHandle): Promise<ChainNode[]> {
  const known = new Map<number, ChainNode>();
  let wanted = [...new Set(refs)];
  while (wanted.length > 0) {
    const byHolder = new Map<PartitionHandle, number[]>();
    for (const ref of wanted) {
      const h = holder(ref);
      const refs = byHolder.get(h);
      if (refs) refs.push(ref);
      else byHolder.set(h, [ref]);
    }
    const replies = await Promise.all([...byHolder].map(([h, rs]) => h.chain(rs.map((r) => refLocal(stride, r)))));
    const next = new Set<number>();
    for (const node of replies.flat()) {
      known.set(node.ref, node);
      if (node.parent !== NO_PARENT && !known.has(node.parent)) next.add(node.parent);
    }
    wanted = [...next];
  }
  return [...known.values()];
}

/** The partitions' stores taken together: `size` distinct states, their memory summed, the first that filled. */
export function storesTotal(size: number, usages: readonly StoreUsage[]): StoresTotal {
  const memory: { -readonly [K in keyof StoreMemory]: number } = { table: 0, perState: 0, states: 0, frontier: 0 };
  let frontierPeak = 0;
  for (const u of usages) {
    memory.table += u.memory.table;
    memory.perState += u.memory.perState;
    memory.states += u.memory.states;
    memory.frontier += u.memory.frontier;
    frontierPeak += u.frontierPeak;
  }
  return { size, memory, frontierPeak, full: usages.find((u) => u.full !== null)?.full ?? null };
}

function unsupported(): never {
  throw new Error('kmc: the gathered chains are read-only');
}

/**
 * What a trace needs of each of these states of partition `index`'s `store` (`locals`, its store ids):
 * its parent, edge, and bytes or fingerprint. Without `edges` (under symmetry, where an edge leaves a
 * representative, not the concrete state a trace replays from) every edge is `NO_EDGE`, as in the
 * sequential explorer's store.
 */
export function chainNodes(store: SeenStore, stride: number, index: number, locals: readonly number[], edges: boolean): ChainNode[] {
  const lanes = new Int32Array(2);
  return locals.map((id) => {
    const node = { ref: packRef(stride, index, id), parent: store.parent(id), edge: edges ? store.edge(id) : NO_EDGE };
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

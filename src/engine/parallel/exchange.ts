/**
 * Successors on their way to the partition that owns them (shared/PERFORMANCE.md §2.5): per peer, an
 * outgoing batch of records in shared memory, posted over a direct `MessagePort` (never copied) when it
 * is full and at the end of each epoch. A record is the successor's canonical bytes with what
 * the owner needs to decide whether this transition is its first discovery: the expanded state's gid
 * and reference (refs.ts; the expanded state may be a third partition's, levelView.ts) and the edge; and
 * the route hash the sender computed to find the owner, which the exact store files the state under, so
 * that it is not computed twice.
 *
 *   record: parent gid (int32) | parent reference (int32) | edge (int32) | route hash (int32)
 *           | length (uint16) | bytes
 *
 * The same ports carry each partition's level (levelView.ts) to its peers at the start of a round, so
 * that they can take its states once they have done their own.
 *
 * The owner interns a record where it lies in the batch, a group of records at a time (`Inbox.prefetch`).
 *
 * Receiving is synchronous (`receiveMessageOnPort`), so a partition drains its ports between states
 * without returning to the event loop. A batch's buffer, once read, goes back to its sender to carry the
 * next batch: a new buffer per batch would make V8 count hundreds of megabytes of external memory over a
 * run, and it answers that with full collections of the worker's heap. Batches are SharedArrayBuffers,
 * posted rather than transferred, because transferring an ArrayBuffer detaches it, and the first detach in
 * a thread invalidates V8's "no buffer was ever detached" assumption there: every optimised typed-array
 * access of the thread is thrown away and recompiled with a check for a detached buffer (4% of a
 * two-worker bench; BENCHMARKS.md). The requests and reports between threads are copied for the same
 * reason (workerHost.ts). An epoch ends with an end marker to every peer; since a port
 * delivers in order, a partition that has every peer's marker has every record sent to it in the epoch.
 * While it waits for them it sleeps on its slot of a shared mailbox, which senders bump after each post.
 */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { LevelView } from './levelView.js';

/** Bytes of a batch: large enough that posting costs nothing per record, small enough to flow early. */
const BATCH_BYTES = 1 << 17;
const HEADER = 18;
/**
 * Records received per prefetch: enough for their memory misses to overlap, few enough that what is
 * fetched for the first is still cached when the last has been received.
 */
const GROUP = 16;
/** How long a waiting partition sleeps before looking again even without a wake-up (ms). */
const WAIT_MS = 50;

/** Records received go to the partition's inbox, a few at a time. */
export interface Inbox {
  /** One record: its fields and its bytes `bytes[at .. at + len)` (valid during the call). */
  receive(parentGid: number, parentRef: number, edge: number, bytes: Buffer, at: number, len: number, hash: number): void;
  /** Starts the memory reads that receiving the next `n` records, with these route hashes, will make (`SeenStore.prefetch`). */
  prefetch(hashes: Int32Array, n: number): void;
}

/** What a port carries: a batch of records, an epoch's end, a batch's buffer coming back, or a level. */
const BATCH = 0;
const END = 1;
const BACK = 2;
const VIEW = 3;
/**
 * Every message has the same fields, so that the receiving code sees one hidden class: with one shape
 * per kind, the receiving loop was deoptimised ("wrong map") and recompiled whenever another kind came.
 */
interface Message {
  readonly kind: typeof BATCH | typeof END | typeof BACK | typeof VIEW;
  readonly buf: SharedArrayBuffer | null;
  readonly used: number;
  readonly view: LevelView | null;
}

function message(kind: Message['kind'], buf: SharedArrayBuffer | null, used: number, view: LevelView | null): Message {
  return { kind, buf, used, view };
}

/** The end of a partition's epoch, as its peers receive it. */
export const END_OF_EPOCH: Message = message(END, null, 0, null);

export class Exchange {
  private readonly out: (Buffer | null)[];
  /** A DataView of each outgoing batch, to write four bytes a step. */
  private readonly outView: (DataView | null)[];
  /** The buffer the last record sent was copied from, and a DataView of it (the encoder reuses its buffer). */
  private source: Uint8Array | null = null;
  private sourceView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private readonly used: number[];
  private readonly ends: boolean[];
  /** Batch buffers back from the peers, to fill again. */
  private readonly free: SharedArrayBuffer[] = [];
  /** The last level each peer published. */
  private readonly views: (LevelView | null)[];
  /** The route hashes of the group of records being received. */
  private readonly hashes = new Int32Array(GROUP);

  /**
   * @param self this partition's index
   * @param ports the port to each peer by index (null at `self`)
   * @param mailbox one int32 per partition, in shared memory: bumped to wake it
   */
  constructor(
    private readonly self: number,
    private readonly ports: readonly (MessagePort | null)[],
    private readonly mailbox: Int32Array,
  ) {
    this.out = ports.map(() => null);
    this.outView = ports.map(() => null);
    this.used = ports.map(() => 0);
    this.ends = ports.map(() => false);
    this.views = ports.map(() => null);
  }

  /** The partitions, this one included. */
  get partitions(): number {
    return this.ports.length;
  }

  /** Shows every peer this partition's level, for them to take states from (levelView.ts). */
  publish(view: LevelView): void {
    for (let p = 0; p < this.ports.length; p++) {
      const port = this.ports[p];
      if (!port) continue;
      port.postMessage(message(VIEW, null, 0, view));
      this.wake(p);
    }
  }

  /**
   * Peer `p`'s level `tag`, receiving (into `inbox`) until it has come; null if `stop` says to give up
   * first. Every partition publishes its level as it starts the round, so it comes.
   */
  viewOf(p: number, tag: number, inbox: Inbox, stop: () => boolean): LevelView | null {
    for (;;) {
      const seen = Atomics.load(this.mailbox, this.self);
      this.poll(inbox);
      const v = this.views[p];
      if (v && v.tag === tag) return v;
      if (stop()) return null;
      Atomics.wait(this.mailbox, this.self, seen, WAIT_MS);
    }
  }

  /** Queues one record for partition `to`. */
  send(to: number, parentGid: number, parentRef: number, edge: number, bytes: Buffer, from: number, len: number, hash: number): void {
    let buf = this.out[to];
    let view = this.outView[to]!;
    let at = this.used[to]!;
    if (buf === null || buf === undefined || at + HEADER + len > buf.length) {
      if (buf) this.flush(to);
      const reused = this.free.pop() ?? new SharedArrayBuffer(BATCH_BYTES);
      buf = Buffer.from(reused);
      view = new DataView(reused);
      this.out[to] = buf;
      this.outView[to] = view;
      at = 0;
    }
    // By hand, four bytes a step through DataViews (unaligned stores): Buffer's write and copy methods
    // cost a call each, more than these few bytes.
    view.setInt32(at, parentGid, true);
    view.setInt32(at + 4, parentRef, true);
    view.setInt32(at + 8, edge, true);
    view.setInt32(at + 12, hash, true);
    view.setUint16(at + 16, len, true);
    const start = at + HEADER;
    if (bytes !== this.source) {
      this.source = bytes;
      this.sourceView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const src = this.sourceView;
    let i = 0;
    for (const last = len - 3; i < last; i += 4) view.setInt32(start + i, src.getInt32(from + i));
    for (; i < len; i++) buf[start + i] = bytes[from + i]!;
    this.used[to] = start + len;
  }

  /** Hands every record waiting in the ports to `inbox`. */
  poll(inbox: Inbox): void {
    for (let p = 0; p < this.ports.length; p++) {
      const port = this.ports[p];
      if (!port) continue;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        this.take(p, m.message as Message, inbox);
      }
    }
  }

  /**
   * Ends the epoch: sends what is queued and an end marker to every peer, then receives until every peer's
   * marker has come, or until `stop` says to give up (the run is ending: a partition stopped, or a worker
   * died and will never send its marker).
   */
  finish(inbox: Inbox, stop: () => boolean = () => false): void {
    for (let p = 0; p < this.ports.length; p++) {
      const port = this.ports[p];
      if (!port) continue;
      if (this.used[p]! > 0) this.flush(p);
      port.postMessage(END_OF_EPOCH);
      this.wake(p);
    }
    for (;;) {
      const seen = Atomics.load(this.mailbox, this.self);
      this.poll(inbox);
      if (this.ports.every((port, p) => !port || this.ends[p]) || stop()) break;
      Atomics.wait(this.mailbox, this.self, seen, WAIT_MS);
    }
    this.ends.fill(false);
  }

  private take(from: number, m: Message, inbox: Inbox): void {
    if (m.kind === END) {
      this.ends[from] = true;
      return;
    }
    if (m.kind === BACK) {
      this.free.push(m.buf!);
      return;
    }
    if (m.kind === VIEW) {
      this.views[from] = m.view;
      return;
    }
    const batch = m.buf!;
    const buf = Buffer.from(batch, 0, m.used);
    const view = new DataView(batch, 0, m.used);
    const hashes = this.hashes;
    for (let at = 0; at < m.used; ) {
      // A group of records at a time: the inbox fetches what their lookups read, then receives them.
      let n = 0;
      for (let q = at; n < GROUP && q < m.used; n++) {
        hashes[n] = view.getInt32(q + 12, true);
        q += HEADER + view.getUint16(q + 16, true);
      }
      inbox.prefetch(hashes, n);
      for (let i = 0; i < n; i++) {
        const len = view.getUint16(at + 16, true);
        const start = at + HEADER;
        inbox.receive(view.getInt32(at, true), view.getInt32(at + 4, true), view.getInt32(at + 8, true), buf, start, len, hashes[i]!);
        at = start + len;
      }
    }
    this.ports[from]!.postMessage(message(BACK, batch, 0, null));
  }

  private flush(to: number): void {
    const buf = this.out[to]!;
    const batch = buf.buffer as SharedArrayBuffer;
    this.ports[to]!.postMessage(message(BATCH, batch, this.used[to]!, null));
    this.wake(to);
    this.out[to] = null;
    this.used[to] = 0;
  }

  private wake(p: number): void {
    Atomics.add(this.mailbox, p, 1);
    Atomics.notify(this.mailbox, p);
  }
}

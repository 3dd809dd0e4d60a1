/**
 * Notices a worker thread's death while the coordinator's thread cannot. That thread explores a
 * partition of its own (coordinator.ts), and while it waits for its peers' records it blocks in
 * `Atomics.wait` (exchange.ts): the `exit` and `error` events through which it learns that a worker died
 * (workerHost.ts) wait for its event loop, and so would it, for a peer that will never send anything.
 *
 * So each worker holds one end of a message channel, its lifeline, whose other end is held by a small
 * thread of its own (plain JavaScript, no model, no tsx). A thread that ends, however it ends (an
 * exception, `process.exit`, running out of memory), closes its ports; the lifeline thread then raises
 * `ABORT_DEAD` in the run's shared abort flag and wakes every partition, so the coordinator's thread
 * returns from its round to the event loop, where the dead worker's `exit` fails the run as before.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

/** The abort flag's value for a worker that died (partition.ts has the others). */
export const ABORT_DEAD = 3;

// A port's `close` event comes only once the port is started, which a `message` listener does.
const WATCH = `
const { workerData } = require('node:worker_threads');
const abort = new Int32Array(workerData.abort);
const mailbox = new Int32Array(workerData.mailbox);
for (const port of workerData.ports) {
  port.on('message', () => {});
  port.on('close', () => {
    if (Atomics.compareExchange(abort, 0, 0, ${ABORT_DEAD}) !== 0) return;
    for (let p = 0; p < mailbox.length; p++) {
      Atomics.add(mailbox, p, 1);
      Atomics.notify(mailbox, p);
    }
  });
}
`;

export class Lifelines {
  private readonly watcher: Worker;
  /** The workers' ends, by worker, to be transferred to each with its setup. */
  readonly ends: MessagePort[];

  /** Lifelines for `n` workers, raising `abort` (slot 0) and waking every slot of `mailbox`. */
  constructor(n: number, abort: SharedArrayBuffer, mailbox: SharedArrayBuffer) {
    const channels = Array.from({ length: n }, () => new MessageChannel());
    this.ends = channels.map((c) => c.port1);
    const ports = channels.map((c) => c.port2);
    this.watcher = new Worker(WATCH, { eval: true, workerData: { abort, mailbox, ports }, transferList: ports });
    // It must not keep the process alive, nor fail it: it only ever raises a flag.
    this.watcher.unref();
    this.watcher.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    await this.watcher.terminate();
  }
}

/**
 * The worker threads of a parallel run, from their start to the hand-over (coordinator.ts): partitions
 * 1 .. n, partition 0 being the coordinator's thread's. They are started ahead of the hand-over, so that
 * they load the model while the coordinator finishes the sequential prefix; their setup carries the
 * numbering log as it was then, and the hand-over brings each its share of the prefix's states with the
 * witnesses logged since.
 */
import { Exchange } from './exchange.js';
import type { Witness } from './numberingLog.js';
import type { EpochReport } from './protocol.js';
import { type CommonSetup, type Started, startWorkers, type WorkerHost } from './workerHost.js';

export class Crew {
  private constructor(
    private readonly started: Started,
    /** How many witnesses their setup carried. */
    private readonly witnessesAtStart: number,
  ) {}

  /** Starts `n` workers set up with `common` (whose witnesses are the numbering log so far). */
  static start(n: number, common: CommonSetup): Crew {
    return new Crew(startWorkers(n, common), common.witnesses.length);
  }

  /** The workers: partitions 1 .. n. */
  get hosts(): readonly WorkerHost[] {
    return this.started.hosts;
  }

  /** Settles when every worker has loaded the model. */
  get ready(): Promise<void> {
    return this.started.ready;
  }

  /** Partition 0's exchange with the workers (exchange.ts): index 0 of these ports and of the mailbox. */
  homeExchange(): Exchange {
    return new Exchange(0, this.started.homePorts, new Int32Array(this.started.mailbox));
  }

  /**
   * Gives worker i the states `shares[i]` (handover.ts), the route they went by (route.ts), the
   * witnesses of `log` it has not seen, the numbering they must give, and the memory budget the
   * partitions share through `pool` (null: none). The workers must be `ready`: the requests go out
   * before this returns, so that this thread can adopt its own share meanwhile.
   */
  adopt(
    shares: readonly { buf: Buffer; count: number }[],
    route: number,
    log: readonly Witness[],
    numbering: string,
    budgetBytes: number,
    pool: BigInt64Array | null,
  ): Promise<EpochReport[]> {
    const witnesses = log.slice(this.witnessesAtStart);
    const shared = pool ? (pool.buffer as SharedArrayBuffer) : null;
    return Promise.all(
      this.hosts.map((h, i) =>
        h.adopt({ buf: new Uint8Array(shares[i]!.buf), count: shares[i]!.count, route, witnesses, numbering, budgetBytes, pool: shared }),
      ),
    );
  }

  /** Stops every worker, whatever it is doing. */
  async stop(): Promise<void> {
    // The lifelines first: the workers' ends close as they stop, which is no death to report.
    await this.started.lifelines.stop();
    await Promise.all(this.hosts.map((h) => h.stop()));
  }

  /** Rejects with the first worker's failure, once one has failed. */
  failed(): Promise<never> {
    return Promise.race(this.hosts.map((h) => h.failed));
  }
}

/**
 * The worker threads of a parallel run, from their start to the hand-over (coordinator.ts). They are
 * started ahead of the hand-over, so that they load the model while the coordinator finishes the
 * sequential prefix; their setup carries the numbering log as it was then, and the hand-over brings each
 * its share of the prefix's states with the witnesses logged since.
 */
import type { Witness } from './numberingLog.js';
import type { EpochReport } from './protocol.js';
import { type CommonSetup, startWorkers, type WorkerHost } from './workerHost.js';

export class Crew {
  private constructor(
    readonly hosts: readonly WorkerHost[],
    /** Settles when every worker has loaded the model. */
    readonly ready: Promise<void>,
    /** How many witnesses their setup carried. */
    private readonly witnessesAtStart: number,
  ) {}

  /** Starts `n` workers set up with `common` (whose witnesses are the numbering log so far). */
  static start(n: number, common: CommonSetup): Crew {
    const { hosts, ready } = startWorkers(n, common);
    return new Crew(hosts, ready, common.witnesses.length);
  }

  /**
   * Once they are ready, gives worker i the states `shares[i]` (handover.ts), the witnesses of `log` it
   * has not seen, the numbering they must give, and its share of the memory budget.
   */
  async adopt(shares: readonly { buf: Buffer; count: number }[], log: readonly Witness[], numbering: string, budgetBytes: number): Promise<EpochReport[]> {
    await this.ready;
    const witnesses = log.slice(this.witnessesAtStart);
    return Promise.all(
      this.hosts.map((h, i) => h.adopt({ buf: new Uint8Array(shares[i]!.buf), count: shares[i]!.count, witnesses, numbering, budgetBytes })),
    );
  }

  /** Stops every worker, whatever it is doing. */
  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.stop()));
  }
}

/**
 * The coordinator's handle on one worker thread: starts it (bin/worker.js registers tsx in the new
 * thread, then loads worker.ts), sends it one request at a time and waits for the reply. A worker that
 * fails, crashes or exits makes the pending request, and every later one, reject with `WorkerFailed`,
 * naming the worker and what happened; the coordinator then stops all of them.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { Lifelines } from './lifeline.js';
import type { Witness } from './numberingLog.js';
import type { PartitionHandle } from './partitionHandle.js';
import type { Adoption, ChainNode, EpochReport, Reply, Request, RoundCommand, StoreUsage, WorkerSetup } from './protocol.js';

const ENTRY = new URL('../../../bin/worker.js', import.meta.url);
/** The worker's young generation, in MB (see the constructor). */
const YOUNG_GENERATION_MB = 64;

/** A worker thread failed: a bug in kmc, or the thread ran out of memory. */
export class WorkerFailed extends Error {
  override readonly name = 'WorkerFailed';
}

/** What every worker of a run is set up with; `startWorkers` adds each one's index, ports, lifeline and the mailbox. */
export type CommonSetup = Omit<WorkerSetup, 'index' | 'owners' | 'ports' | 'mailbox' | 'lifeline'>;

/** What `startWorkers` started, and the coordinator's thread's side of it (partition 0). */
export interface Started {
  /** The workers: partitions 1 .. n. */
  readonly hosts: WorkerHost[];
  /** Settles when every worker has loaded the model. */
  readonly ready: Promise<void>;
  /** Partition 0's port to each worker, by partition (null at 0). */
  readonly homePorts: (MessagePort | null)[];
  /** One int32 per partition (exchange.ts). */
  readonly mailbox: SharedArrayBuffer;
  readonly lifelines: Lifelines;
}

/**
 * Starts `n` workers, partitions 1 .. n beside the coordinator's thread's partition 0, each with a
 * direct port to every other partition (the exchange's), a slot in a shared mailbox and a lifeline
 * (lifeline.ts), and has them load the model. `ready` settles when all have; a failure there is the
 * caller's to see when it awaits it, and does not count as unhandled before.
 */
export function startWorkers(n: number, common: CommonSetup): Started {
  const total = n + 1;
  const mailbox = new SharedArrayBuffer(4 * total);
  const channels = Array.from({ length: total }, () => new Array<MessagePort | null>(total).fill(null));
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      const { port1, port2 } = new MessageChannel();
      channels[i]![j] = port1;
      channels[j]![i] = port2;
    }
  }
  const lifelines = new Lifelines(n, common.abort, mailbox);
  const hosts = Array.from({ length: n }, (_, k) => new WorkerHost(k + 1));
  const ready = Promise.all(
    hosts.map((h, k) => h.setUp({ ...common, index: h.index, owners: total, mailbox, ports: channels[h.index]!, lifeline: lifelines.ends[k]! })),
  ).then(() => undefined);
  ready.catch(() => undefined);
  return { hosts, ready, homePorts: channels[0]!, mailbox, lifelines };
}

export class WorkerHost implements PartitionHandle {
  private readonly worker: Worker;
  private waiting: { resolve(v: unknown): void; reject(e: Error): void } | null = null;
  private failure: WorkerFailed | null = null;
  private rejectFailed: (e: WorkerFailed) => void = () => undefined;
  /** Rejects with the worker's failure once it has failed (never settles otherwise). */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => {
    this.rejectFailed = reject;
  });

  /** Starts worker thread `index`; `setUp` then makes it load the model. */
  constructor(readonly index: number) {
    this.failed.catch(() => undefined);
    // The worker runs without the host's flags (a test runner's loader flags would break it), but with
    // the host's heap limit if one was given (`npm run bench` sets one), which a worker takes as a
    // resource limit instead. Its young generation is larger than V8's default: with every core busy
    // exploring, a scavenge cannot borrow an idle one, so fewer of them pay (measured: a quarter fewer,
    // for about 50 MB more per worker).
    const heap = process.execArgv.map((a) => /^--max-old-space-size=(\d+)$/.exec(a)?.[1]).find((v) => v !== undefined);
    const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(heap ? { maxOldGenerationSizeMb: Number(heap) } : {}) };
    const execArgv = process.env.KMC_WORKER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KMC_WORKER_CPU_PROF}`] : [];
    this.worker = new Worker(ENTRY, { execArgv, resourceLimits });
    this.worker.on('message', (reply: Reply) => {
      const w = this.waiting;
      this.waiting = null;
      if ('failed' in reply) this.fail(`failed: ${reply.failed}`, w);
      else w?.resolve(reply.ok);
    });
    this.worker.on('error', (e) => this.fail(`crashed: ${e.message}`, this.waiting));
    this.worker.on('exit', (code) => this.fail(`exited (code ${code})`, this.waiting));
  }

  /** Has the worker load the model and number its values as `setup` says; its ports are transferred to it. */
  setUp(setup: WorkerSetup): Promise<void> {
    const ports = setup.ports.filter((p) => p !== null);
    return this.request({ type: 'setup', setup }, [...ports, setup.lifeline]) as Promise<void>;
  }

  adopt(adoption: Adoption): Promise<EpochReport> {
    return this.request({ type: 'adopt', adopt: adoption }) as Promise<EpochReport>;
  }

  round(cmd: RoundCommand): Promise<EpochReport> {
    return this.request({ type: 'round', cmd }) as Promise<EpochReport>;
  }

  witness(witness: Witness): Promise<EpochReport> {
    return this.request({ type: 'witness', witness }) as Promise<EpochReport>;
  }

  chain(locals: readonly number[]): Promise<ChainNode[]> {
    return this.request({ type: 'chain', locals }) as Promise<ChainNode[]>;
  }

  usage(): Promise<StoreUsage> {
    return this.request({ type: 'usage' }) as Promise<StoreUsage>;
  }

  /** Stops the thread, whatever it is doing. */
  async stop(): Promise<void> {
    this.failure ??= new WorkerFailed(`worker ${this.index} was stopped`);
    await this.worker.terminate();
  }

  /**
   * Posts one request. Only ports are ever transferred: the arrays of a request (a hand-over's states, a
   * level's gids) and of a reply are copied, since transferring an ArrayBuffer detaches it, which costs
   * every typed-array access of the sending thread a check from then on (exchange.ts). The copies are
   * a few megabytes a level at most.
   */
  private request(req: Request, ports: readonly MessagePort[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error(`kmc: worker ${this.index} was asked twice at once`));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(req, [...ports]);
    });
  }

  private fail(what: string, waiting: WorkerHost['waiting']): void {
    if (this.failure === null) {
      this.failure = new WorkerFailed(`worker ${this.index} ${what}`);
      this.rejectFailed(this.failure);
    }
    this.waiting = null;
    waiting?.reject(this.failure);
  }
}

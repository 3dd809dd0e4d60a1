/**
 * The coordinator's view of a partition: the same calls whether it runs in the coordinator's own thread
 * (`LocalPartition`, the sequential prefix) or in a worker (workerHost.ts).
 */
import type { Witness } from './numberingLog.js';
import type { Partition } from './partition.js';
import type { ChainNode, EpochReport, RoundCommand, StoreUsage } from './protocol.js';

export interface PartitionHandle {
  round(cmd: RoundCommand): Promise<EpochReport>;
  witness(w: Witness): Promise<EpochReport>;
  chain(locals: readonly number[]): Promise<ChainNode[]>;
  usage(): Promise<StoreUsage>;
}

export class LocalPartition implements PartitionHandle {
  constructor(readonly partition: Partition) {}

  round(cmd: RoundCommand): Promise<EpochReport> {
    return Promise.resolve(this.partition.round(cmd));
  }

  witness(w: Witness): Promise<EpochReport> {
    return Promise.resolve(this.partition.witness(w));
  }

  chain(locals: readonly number[]): Promise<ChainNode[]> {
    return Promise.resolve(this.partition.chain(locals));
  }

  usage(): Promise<StoreUsage> {
    return Promise.resolve(this.partition.usage());
  }
}

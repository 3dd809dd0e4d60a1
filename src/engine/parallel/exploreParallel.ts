/**
 * `explore` on several threads: the same result (verdicts, counts, coverage, traces; see coordinator.ts
 * for how) from one worker thread per core. One worker, or a model that no worker could load (no
 * `source`: a model built in memory), is explored by the sequential explorer in this thread.
 */
import type { ResolvedModel } from '../../resolve.js';
import { explore } from '../explore.js';
import type { CheckOptions, CheckResult, Observer } from '../types.js';
import { Coordinator, type ParallelOptions } from './coordinator.js';
import type { ModelSource } from './protocol.js';

export type { ModelSource, ParallelOptions };

export async function exploreParallel(
  model: ResolvedModel,
  source: ModelSource | undefined,
  options: CheckOptions,
  parallel: ParallelOptions,
  observer: Observer = {},
): Promise<CheckResult> {
  if (parallel.workers <= 1 || source === undefined) {
    const r = explore(model, options, observer);
    return { ...r, stats: { ...r.stats, workers: 1 } };
  }
  return new Coordinator(model, source, options, parallel, observer).run();
}

/**
 * The seen-state store a run asked for. Exact is the default: the kernel models have at most tens of
 * thousands of states, where keeping every state's bytes costs a few megabytes, is as fast, and can never
 * merge two distinct states. Fingerprints are for models whose states no longer fit: about 20 bytes a
 * state whatever the state's size, with a small, reported, risk of merging two states.
 */
import { FingerprintStore } from './fingerprintStore.js';
import { StateStore } from './stateStore.js';
import type { SeenStore } from './store.js';
import type { StoreKind } from './types.js';

export function newStore(kind: StoreKind = 'exact', budgetBytes = Infinity, pool: BigInt64Array | null = null): SeenStore {
  return kind === 'fingerprint' ? new FingerprintStore(budgetBytes, pool) : new StateStore(budgetBytes, pool);
}

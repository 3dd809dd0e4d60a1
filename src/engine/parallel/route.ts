/**
 * Which bytes of a state pick its owner (ownership.ts): all of them, or only the first `lead`.
 *
 * Why: a successor owned by another partition costs a copy into a batch, a message and a read at the
 * owner (exchange.ts), and with the whole state hashed, a successor's owner is its parent's only one
 * time in n, whatever the transition changed. Most of a kernel model's transitions change one CPU's or
 * one task's part of the state and leave the rest as it was, so hashing only the leading bytes (the
 * first CPU's part, say) keeps every successor whose transition left them alone with its parent's
 * owner. Distributed SPIN (Lerda and Sisto) partitioned by one process's local state for the same
 * reason. Measured on the bench (BENCHMARKS.md): routed by the first 16 of about 30 bytes, 44% as many
 * successors went to a peer, and two workers ran about 5% faster.
 *
 * The price is balance: few distinct leading bytes can give one partition most of the states. So the
 * coordinator picks `lead` at the hand-over from the prefix's own transitions (`chooseLead`): the
 * candidate that keeps most successors with their parent's owner while no partition owns much more than
 * its share and the leading bytes take many values (with few, the share at the hand-over says little
 * about the levels after it: the first 4 bytes of the bench's states, one CPU's depth of entry frames,
 * split the hand-over's level evenly and the run unevenly; 14 bytes, 280 values in the sample, split it
 * 52:48 and the run 57:43; 16 bytes, 549 values, 53:47 and 50:50), else the whole state. The choice depends only on the prefix's states, which are the same in
 * every run, and the result depends on no choice at all (every partition routes a state alike, and the
 * coordinator orders what they find as the sequential explorer would).
 *
 * A fingerprint store routes by the whole state always: the hand-over sends the states it keeps only as
 * fingerprints by their fingerprint (handover.ts), which no prefix of their bytes can be matched to.
 */
import { murmur3Lead } from '../fingerprint.js';
import { hashBytes, StateStore } from '../stateStore.js';
import type { SeenStore, StateBytes } from '../store.js';
import { ownerOf } from './ownership.js';
import { NO_PARENT, refLocal } from './refs.js';

/** Route by the whole state: the store's own route hash. */
export const WHOLE = 0;

/**
 * The leading byte counts `chooseLead` weighs against the whole state: whole blocks of the store's hash,
 * so that one pass over a state gives both hashes (`fileAndRoute`).
 */
export const LEADS: readonly number[] = [4, 8, 12, 16, 20, 24, 32, 48];

/** How far above an even share (as a fraction of it) a partition's share of the states may be. */
export const SLACK = 0.1;

/** How many distinct values the leading bytes must take in the sample (of up to `SAMPLE` states). */
export const MIN_KEYS = 512;

/**
 * The hash that picks the owner of the state `bytes[at .. at + len)`, whose store hash is `storeHash`:
 * the hash of its first `lead` bytes, or the store's for `WHOLE` and for a state no longer than `lead`
 * (the same hash then, computed once).
 */
export function routeHash(bytes: Uint8Array, at: number, len: number, storeHash: number, lead: number): number {
  return lead === WHOLE || len <= lead ? storeHash : hashBytes(bytes, at, at + lead);
}

/** The hash that picks the owner of the state `fileAndRoute` hashed last. */
export const routed = new Int32Array(1);

/**
 * The store hash of the state `bytes[at .. at + len)` (`store.routeHash`), and in `routed[0]` the hash
 * that picks its owner (`routeHash`), in one pass over its bytes when `lead` is a multiple of 4. Only an
 * exact store, whose hash is `murmur3`, routes by a lead (`exportStates` sees to it).
 */
export function fileAndRoute(store: SeenStore, bytes: Uint8Array, at: number, len: number, lead: number): number {
  if (lead === WHOLE || len <= lead) return (routed[0] = store.routeHash(bytes, at, len));
  if ((lead & 3) === 0) return murmur3Lead(bytes, at, at + len, lead, routed);
  routed[0] = hashBytes(bytes, at, at + lead);
  return store.routeHash(bytes, at, len);
}

/** The route hash of a state whose bytes are `s`, routed by its first `lead` bytes (as `routeHash`, the store's hash computed here). */
export function routeHashOf(s: StateBytes, lead: number): number {
  const whole = lead === WHOLE || s.end - s.start <= lead;
  return hashBytes(s.buf, s.start, whole ? s.end : s.start + lead);
}

/** How one candidate routes a sample of transitions. */
export interface LeadScore {
  readonly lead: number;
  /** Of the transitions, those whose successor another partition owns than its parent's. */
  readonly crossing: number;
  /** The largest share of the successors one partition owns (1 / owners is even). */
  readonly share: number;
  /** How many distinct route hashes the successors have. */
  readonly keys: number;
}

/** Scores `lead` on the transitions `parents[i]` to `children[i]`. */
export function scoreLead(lead: number, parents: readonly StateBytes[], children: readonly StateBytes[], owners: number): LeadScore {
  const owned = new Array<number>(owners).fill(0);
  const keys = new Set<number>();
  let crossing = 0;
  for (let i = 0; i < children.length; i++) {
    const h = routeHashOf(children[i]!, lead);
    const to = ownerOf(h, owners);
    keys.add(h);
    owned[to]!++;
    if (ownerOf(routeHashOf(parents[i]!, lead), owners) !== to) crossing++;
  }
  const n = Math.max(1, children.length);
  return { lead, crossing: crossing / n, share: Math.max(...owned) / n, keys: keys.size };
}

/**
 * The lead to route by, from a sample of the run's transitions (each successor with the parent that
 * first reached it): the candidate of `LEADS` whose successors cross to another partition least often
 * while no partition owns more than its even share and `SLACK` and the leading bytes take at least
 * `MIN_KEYS` values, if it crosses less than the whole state does; else `WHOLE`. Ties go to the whole
 * state, then to the shorter lead.
 */
export function chooseLead(parents: readonly StateBytes[], children: readonly StateBytes[], owners: number): LeadScore {
  let best = scoreLead(WHOLE, parents, children, owners);
  if (owners < 2 || children.length === 0) return best;
  const most = (1 + SLACK) / owners;
  for (const lead of LEADS) {
    const s = scoreLead(lead, parents, children, owners);
    if (s.share <= most && s.keys >= MIN_KEYS && s.crossing < best.crossing) best = s;
  }
  return best;
}

/** Transitions sampled at most, evenly over the level: enough to tell the candidates apart, cheap at the hand-over. */
export const SAMPLE = 4096;

/**
 * Up to `SAMPLE` transitions of the run: states of the level `levelStart .. levelStart + count - 1` of
 * `store` (a partition's, whose parents are its own: the prefix's) with the parents that first reached
 * them. The initial states have none.
 */
export function sampleFirstDiscoveries(
  store: StateStore,
  levelStart: number,
  count: number,
  stride: number,
): { parents: StateBytes[]; children: StateBytes[] } {
  const parents: StateBytes[] = [];
  const children: StateBytes[] = [];
  const n = Math.min(count, SAMPLE);
  for (let k = 0; k < n; k++) {
    const id = levelStart + Math.floor((k * count) / n);
    const parent = store.parent(id);
    if (parent === NO_PARENT) continue;
    parents.push(store.bytesOf(refLocal(stride, parent)));
    children.push(store.bytesOf(id));
  }
  return { parents, children };
}

/**
 * The lead to route by once the prefix's `store` is handed over to `owners` partitions, its last level
 * being ids `levelStart .. levelStart + count - 1`: `forced` if given (tests, measurements), else what
 * `chooseLead` picks from that level's first discoveries; always `WHOLE` for a fingerprint store.
 */
export function leadAfterHandOver(
  store: SeenStore,
  levelStart: number,
  count: number,
  stride: number,
  owners: number,
  forced: number | undefined,
): number {
  if (!(store instanceof StateStore)) return WHOLE;
  if (forced !== undefined) return forced;
  const { parents, children } = sampleFirstDiscoveries(store, levelStart, count, stride);
  return chooseLead(parents, children, owners).lead;
}

/**
 * What a simulation produces: results as data, like `CheckResult`, but with no status that claims more
 * than random walks can show. A property is `violated` (with the walk that broke it and the seed that
 * makes that walk again), a reachability property `reached` (with the walk that got there), and anything
 * else `unknown`: a simulation never says that a property holds or that a situation is unreachable.
 */
import type { PropertyKind } from '../model.js';
import type { SpecFailure, Trace } from './types.js';

export interface SimulateOptions {
  /** How many walks (at least 1). */
  readonly runs: number;
  /** The most steps one walk takes (at least 1). */
  readonly depth: number;
  /** The first walk's seed, an unsigned 32-bit integer; the others follow from it (random.ts). */
  readonly seed: number;
  /** Report non-terminal states without an enabled action (on by default, as in `check`). */
  readonly deadlock?: boolean;
  /** Keep walking after a violation, reporting each violated property once (the first walk that broke it). */
  readonly continueAfterViolation?: boolean;
  readonly timeoutSeconds?: number;
}

/** The walk that showed something, and how to make it again. */
export interface Witness<S = unknown> {
  /** Which walk, from 1. */
  readonly run: number;
  /** The walk's own seed: `--seed <seed> --runs 1` (with the same depth and options) makes the same walk. */
  readonly seed: number;
  /** Steps of the walk up to where it showed the finding, before shortening. */
  readonly walkSteps: number;
  /** The walk, shortened where that still shows the finding (cycles cut, shortcuts taken). */
  readonly trace: Trace<S>;
}

export type SimulationStatus = 'violated' | 'reached' | 'unknown';

export interface SimulationProperty<S = unknown> {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly claim: string;
  readonly status: SimulationStatus;
  /** For `violated`, the counterexample; for `reached`, the example. */
  readonly witness?: Witness<S>;
}

/** `violated`: a property failed or a deadlock; `incomplete`: nothing failed, which proves nothing; `error`: the spec threw. */
export type SimulationVerdict = 'violated' | 'incomplete' | 'error';

export interface SimulationStats {
  /** Walks made (fewer than asked when one stopped at a violation, a spec error or the timeout). */
  readonly runs: number;
  /** Steps taken, over all walks. */
  readonly steps: number;
  /** Initial states picked plus every enabled transition generated on the way (all of them are checked). */
  readonly generated: number;
  /** Distinct states among those generated: an estimate (distinctEstimate.ts), exact for small counts. */
  readonly distinct: number;
  /** Steps of the longest walk. */
  readonly longestWalk: number;
  readonly seconds: number;
}

/** Per action: instances found enabled, and how many of them a walk took. */
export interface SimulationCoverage {
  readonly action: string;
  readonly enabled: number;
  readonly taken: number;
}

export interface SimulationResult<S = unknown> {
  readonly model: string;
  readonly proposal: string;
  readonly constants: Readonly<Record<string, number | string | boolean>>;
  readonly verdict: SimulationVerdict;
  readonly properties: readonly SimulationProperty<S>[];
  readonly deadlock: Witness<S> | null;
  /** The spec threw: where, and the walk (its own seed and number) to the state where it threw. */
  readonly error: (SpecFailure<S> & { readonly run: number; readonly seed: number }) | null;
  /** `timeout` when the timeout stopped the walks before all were made. */
  readonly incomplete: 'timeout' | null;
  /** What was asked for. */
  readonly simulation: { readonly runs: number; readonly depth: number; readonly seed: number };
  readonly stats: SimulationStats;
  readonly coverage: readonly SimulationCoverage[];
  readonly warnings: readonly string[];
}

/** Progress, every few hundred steps; the CLI throttles by time. */
export interface SimulationObserver {
  progress?(p: { readonly runs: number; readonly steps: number; readonly seconds: number }): void;
}

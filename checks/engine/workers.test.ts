/**
 * The parallel explorer gives the sequential explorer's result, whatever the number of workers: on every
 * fixture and on every proposal of every built-in kernel model, with the sequential prefix set to 0 so
 * that the worker threads do all the work (and, on some, a prefix that hands over in mid-run). A complete
 * run must agree on everything but the time and the store's memory: verdicts, statuses, traces state by
 * state, counts, depth, coverage and warnings. A run that stops at its first violation, at a throw or at
 * max-depth must agree on verdicts, statuses and traces (its counts depend on how far it went). Every
 * trace replays on the spec. Limits make a run incomplete, never `holds`.
 */
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { explore } from '../../src/engine/explore.js';
import { exploreParallel, type ModelSource } from '../../src/engine/parallel/exploreParallel.js';
import { SpecError } from '../../src/errors.js';
import { replay } from '../../src/engine/replay.js';
import type { CheckOptions, CheckResult, Trace } from '../../src/engine/types.js';
import type { AnyModelSpec } from '../../src/model.js';
import { resultToJson } from '../../src/render/json.js';
import { type ResolvedModel, resolveModel } from '../../src/resolve.js';
import { models } from '../../spec/index.js';
import { constrained, counter, locks, mutex, plainValues, seesaw, throwing, twoPhase } from '../fixtures/models.js';
import { crawl, lopsided, names } from '../fixtures/parallel.js';
import { symmetric } from '../fixtures/symmetric.js';
import { untimed } from '../helpers.js';
import synthetic from '../../src/bench/synthetic.js';

/** Starting worker threads takes a second or more on a loaded machine: every test here starts some. */
const TIMEOUT = 120_000;
const fixtureFile = (name: string) => fileURLToPath(new URL(`../fixtures/cli/${name}.ts`, import.meta.url));
const builtIn = new Set(models.map((m) => m.name));

interface Case {
  readonly proposal?: string;
  readonly constants?: Readonly<Record<string, string>>;
  readonly options?: CheckOptions;
  /** States the coordinator explores before the workers start; 0 unless said. */
  readonly prefixStates?: number;
  /** The leading bytes that route a state to its owner, instead of those the hand-over picks (route.ts). */
  readonly route?: number;
}

function resolved(spec: AnyModelSpec, c: Case): ResolvedModel {
  return resolveModel(spec, { ...(c.proposal ? { proposal: c.proposal } : {}), ...(c.constants ? { constants: c.constants } : {}) });
}

function sourceOf(spec: AnyModelSpec, c: Case): ModelSource {
  const arg = builtIn.has(spec.name) ? spec.name : fixtureFile(spec.name);
  return { arg, ...(c.proposal ? { proposal: c.proposal } : {}), ...(c.constants ? { constants: c.constants } : {}) };
}

/** The sequential run and the parallel one on `workers` threads. */
async function both(spec: AnyModelSpec, c: Case, workers: number): Promise<[CheckResult, CheckResult]> {
  const model = resolved(spec, c);
  // The parallel path does not reduce by symmetry (a reduced run stays in one thread, tested below), so
  // both explore every state.
  const options = { symmetry: false, ...(c.options ?? { continueAfterViolation: true }) };
  const sequential = explore(model, options);
  const parallel = await exploreParallel(model, sourceOf(spec, c), options, {
    workers,
    prefixStates: c.prefixStates ?? 0,
    ...(c.route !== undefined ? { route: c.route } : {}),
  });
  return [sequential, parallel];
}

/** Everything a run reports but the time, the store's own report, the worker count and how they shared the work. */
const whole = (r: CheckResult) => untimed({ ...r, store: undefined, stats: { ...r.stats, workers: undefined, taken: undefined, route: undefined } });

/** What any two runs of the same check must agree on, however far they went. */
function findings(r: CheckResult): unknown {
  const json = resultToJson(r) as Record<string, unknown>;
  return { verdict: json.verdict, properties: json.properties, deadlock: json.deadlock, error: json.error, incomplete: json.incomplete };
}

function complete(r: CheckResult, options: CheckOptions | undefined): boolean {
  return r.verdict === 'holds' || (r.verdict === 'violated' && r.incomplete === null && options?.continueAfterViolation !== false);
}

function expectSame(sequential: CheckResult, parallel: CheckResult, c: Case, workers: number): void {
  expect(findings(parallel)).toEqual(findings(sequential));
  if (complete(sequential, c.options ?? { continueAfterViolation: true }) || sequential.incomplete === 'max-depth') {
    expect(whole(parallel)).toBe(whole(sequential));
  }
  // Only a run that ends while seeding never reaches the workers.
  const seeding = sequential.error?.message.startsWith('storing an initial state') === true;
  expect(parallel.stats.workers).toBe(seeding ? 1 : workers);
}

/** Replays a trace by its labels on the model that produced it: each step must exist and end where it did. */
function expectReplays(model: ResolvedModel, trace: Trace, finding: string): void {
  const init = model.init.findIndex((s) => is(s, trace[0]!.state));
  const found = finding === 'deadlock' ? ({ kind: 'deadlock', name: 'deadlock' } as const) : model.properties.find((p) => p.name === finding)!;
  const out = replay(model, { init, labels: trace.slice(1).map((s) => s.action), finding: found });
  expect(out.stuck).toBeNull();
  expect(out.steps.every((s, i) => is(s.state, trace[i]!.state))).toBe(true);
  expect(out.reproduced).toBe(true);
}

function expectTracesReplay(model: ResolvedModel, r: CheckResult): number {
  let n = 0;
  for (const p of r.properties) {
    if (!p.trace || p.status === 'unknown') continue;
    expectReplays(model, p.trace, p.name);
    n++;
  }
  if (r.deadlock) {
    expectReplays(model, r.deadlock.trace, 'deadlock');
    n++;
  }
  return n;
}

const FIXTURE_CASES: readonly [string, AnyModelSpec, Case, number][] = [
  ...[counter, constrained, mutex, locks, seesaw, twoPhase, throwing, plainValues, names].flatMap((spec) =>
    spec.proposals
      .filter((p) => p.id !== 'slow')
      .flatMap((p): [string, AnyModelSpec, Case, number][] => [
        [`${spec.name}/${p.id}`, spec, { proposal: p.id }, 2],
        [`${spec.name}/${p.id}`, spec, { proposal: p.id }, 3],
        [`${spec.name}/${p.id}, first violation`, spec, { proposal: p.id, options: { continueAfterViolation: false } }, 2],
      ]),
  ),
  ...[counter, mutex, seesaw, twoPhase, names].map((spec): [string, AnyModelSpec, Case, number] => [
    `${spec.name}, fingerprints`,
    spec,
    { options: { continueAfterViolation: true, store: 'fingerprint' } },
    2,
  ]),
  ['names, fingerprints, handed over in mid-run', names, { options: { continueAfterViolation: true, store: 'fingerprint' }, prefixStates: 100 }, 3],
  ['counter to 200, handed over in mid-run', counter, { constants: { max: '200' }, prefixStates: 50 }, 2],
  ['names at depth 7', names, { constants: { depth: '7' } }, 3],
  ['names at depth 7, handed over in mid-run', names, { constants: { depth: '7' }, prefixStates: 300 }, 2],
  ['names at depth 7, first violation', names, { constants: { depth: '7' }, options: { continueAfterViolation: false } }, 2],
  ['mutex with 3 processes, no deadlock check', mutex, { constants: { procs: '3' }, options: { deadlock: false, continueAfterViolation: true } }, 2],
  ['counter with maxDepth', counter, { proposal: 'bounds', options: { continueAfterViolation: true, limits: { maxDepth: 3 } } }, 2],
  ['names with maxDepth', names, { options: { continueAfterViolation: true, limits: { maxDepth: 4 } } }, 3],
  // States routed by their leading bytes (route.ts): a byte, a few, more than most states have.
  ['names at depth 7, routed by the first 3 bytes, handed over in mid-run', names, { constants: { depth: '7' }, prefixStates: 300, route: 3 }, 2],
  ['names at depth 7, routed by the first byte', names, { constants: { depth: '7' }, route: 1 }, 3],
  ['counter to 200, routed by the first 2 bytes, handed over in mid-run', counter, { constants: { max: '200' }, prefixStates: 50, route: 2 }, 3],
  ['mutex with 3 processes, routed by the first 5 bytes', mutex, { constants: { procs: '3' }, options: { continueAfterViolation: true }, route: 5 }, 2],
  ['seesaw, routed by the first 1000 bytes', seesaw, { route: 1000 }, 2],
  ['names, fingerprints, routed (by the whole state all the same), handed over in mid-run', names, { options: { continueAfterViolation: true, store: 'fingerprint' }, prefixStates: 100, route: 2 }, 2],
];

describe('the parallel explorer on the fixtures', () => {
  it.each(FIXTURE_CASES.map(([name, spec, c, workers]) => [`${name}, ${workers} workers`, spec, c, workers] as const))(
    'agrees with the sequential explorer on %s',
    async (_name, spec, c, workers) => {
      const [sequential, parallel] = await both(spec, c, workers);
      expectSame(sequential, parallel, c, workers);
      if (parallel.verdict !== 'error') expectTracesReplay(resolved(spec, c), parallel);
    },
    TIMEOUT,
  );

  it('reports a throwing spec as the sequential explorer does, naming the step, with the trace', async () => {
    for (const proposal of ['guard-throws', 'effect-throws', 'params-throws', 'invariant-throws', 'action-property-throws']) {
      const [sequential, parallel] = await both(throwing, { proposal }, 2);
      expect(parallel.verdict).toBe('error');
      expect(parallel.error).toEqual(sequential.error);
      expect(parallel.error!.trace.length).toBeGreaterThan(1);
    }
  }, TIMEOUT);

  it('reports exactly what one thread reports for a run that stops before it outgrows the prefix', async () => {
    for (const [spec, c] of [
      [mutex, { options: { continueAfterViolation: false } }],
      [throwing, { proposal: 'effect-throws' }],
      [counter, { constants: { max: '300' }, options: { limits: { maxStates: 50 } } }],
      [names, { options: { continueAfterViolation: false } }],
    ] as const) {
      const [sequential, parallel] = await both(spec, { ...c, prefixStates: 100_000 }, 2);
      expect(parallel.stats.workers).toBe(1);
      expect(whole(parallel)).toBe(whole(sequential));
    }
  }, TIMEOUT);

  it('hands over only runs larger than the prefix', async () => {
    const c = { constants: { max: '100' } };
    const model = resolved(counter, c);
    const small = await exploreParallel(model, sourceOf(counter, c), {}, { workers: 2, prefixStates: 1000 });
    const large = await exploreParallel(model, sourceOf(counter, c), {}, { workers: 2, prefixStates: 10 });
    expect(small.stats.workers).toBe(1);
    expect(large.stats.workers).toBe(2);
    expect(whole(large)).toBe(whole(small));
  }, TIMEOUT);
});

describe('routing states by their leading bytes', () => {
  const syntheticFile = fileURLToPath(new URL('../../src/bench/synthetic.ts', import.meta.url));
  const constants = { regs: '1' };
  const model = resolveModel(synthetic, { constants });
  const source: ModelSource = { arg: syntheticFile, constants };

  it('picks the first 20 bytes of the bench model at 25,350 states, and finds what one thread finds', async () => {
    const options = { continueAfterViolation: true };
    const sequential = explore(model, options);
    expect(sequential.stats.distinct).toBe(25_350);
    const picked = await exploreParallel(model, source, options, { workers: 2, prefixStates: 4096 });
    expect(picked.stats.workers).toBe(2);
    expect(picked.stats.route).toBe(20);
    expect(whole(picked)).toBe(whole(sequential));
    expect(expectTracesReplay(model, picked)).toBeGreaterThan(0);
    for (const route of [0, 7]) {
      const forced = await exploreParallel(model, source, options, { workers: 3, prefixStates: 4096, route });
      expect(forced.stats.route).toBe(route);
      expect(whole(forced)).toBe(whole(sequential));
    }
    // The route is the engine's business, not the JSON's.
    expect(resultToJson(picked)).not.toHaveProperty('stats.route');
  }, 4 * TIMEOUT);

  it('routes a fingerprint store by the whole state, whatever it is asked', async () => {
    const options = { continueAfterViolation: true, store: 'fingerprint' as const };
    const r = await exploreParallel(model, source, options, { workers: 2, prefixStates: 4096, route: 3 });
    expect(r.stats.route).toBe(0);
    expect(r.stats.distinct).toBe(25_350);
  }, TIMEOUT);

  it.each(models.map((m) => [m.name, m] as const))('finds on %s what one thread finds, routed by the first 6 bytes', async (_name, spec) => {
    const c = { proposal: spec.proposals[0]!.id, route: 6 };
    const [sequential, parallel] = await both(spec, c, 2);
    expect(parallel.stats.route).toBe(6);
    expectSame(sequential, parallel, c, 2);
  }, 2 * TIMEOUT);

  it('shares the memory budget between the partitions, so that one owning every state may use all of it', async () => {
    // Every state's first byte is the Machine record's header: routed by it, one partition owns them all.
    const run = (mb: number, route: number) =>
      exploreParallel(model, source, { continueAfterViolation: true, limits: { memoryBytes: mb * 2 ** 20 } }, { workers: 2, prefixStates: 4096, route });
    const sequential = explore(model, { continueAfterViolation: true });
    const fits = await run(4, 1);
    expect(fits.incomplete).toBeNull();
    expect(whole(fits)).toBe(whole(sequential));
    // A budget the run outgrows stops it as early with one partition owning everything as with two halves.
    const [lopsided, even] = [await run(3, 1), await run(3, 0)];
    expect(lopsided.incomplete).toBe('memory');
    expect(even.incomplete).toBe('memory');
    expect(lopsided.stats.distinct).toBe(even.stats.distinct);
    expect(lopsided.store!.full!.message).toMatch(/budget is held by the exact store of every partition/);
  }, 4 * TIMEOUT);
});

describe('work sharing within a level', () => {
  it('a worker done with its share takes states from a slower one, and the result is the sequential one', async () => {
    const c = { options: { continueAfterViolation: true } };
    const [sequential, parallel] = await both(lopsided, c, 2);
    expect(sequential.stats.distinct).toBe(4096);
    expect(sequential.properties.map((p) => [p.name, p.status])).toEqual([
      ['not-full', 'violated'],
      ['half', 'holds'],
      ['one-at-a-time', 'holds'],
    ]);
    expect(sequential.deadlock?.trace).toHaveLength(13);
    expect(whole(parallel)).toBe(whole(sequential));
    expect(parallel.stats.workers).toBe(2);
    // The main thread's partition and the worker own about half of the 4096 states each, and the worker
    // expands each of its own 30 times slower: without sharing, taken would be 0.
    expect(parallel.stats.taken).toBeGreaterThan(800);
    expect(expectTracesReplay(resolved(lopsided, c), parallel)).toBe(3);
  }, TIMEOUT);

  it('does not show the share in the JSON, which must not vary between identical runs', async () => {
    const [, parallel] = await both(lopsided, {}, 2);
    expect(parallel.stats.taken).toBeGreaterThan(0);
    const json = resultToJson(parallel) as { stats: Record<string, unknown> };
    expect(json.stats).not.toHaveProperty('taken');
    expect(json.stats.workers).toBe(2);
  }, TIMEOUT);
});

describe('the parallel explorer under limits', () => {
  const source = (spec: AnyModelSpec, constants?: Record<string, string>) => ({ arg: fixtureFile(spec.name), ...(constants ? { constants } : {}) });

  it('stops at max-states, incomplete', async () => {
    const model = resolveModel(counter, { constants: { max: '1000' } });
    const r = await exploreParallel(model, source(counter, { max: '1000' }), { limits: { maxStates: 100 } }, { workers: 2, prefixStates: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete).toBe('max-states');
    expect(r.properties.map((p) => p.status)).toEqual(['unknown', 'unknown']);
    expect(r.stats.distinct).toBeGreaterThanOrEqual(100);
    expect(r.stats.distinct).toBeLessThan(1001);
  }, TIMEOUT);

  it('stops at the timeout in the workers, incomplete', async () => {
    const model = resolveModel(crawl, {});
    const r = await exploreParallel(model, source(crawl), { limits: { timeoutSeconds: 2 } }, { workers: 2, prefixStates: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete).toBe('timeout');
    expect(r.properties[0]!.status).toBe('unknown');
    expect(r.stats.workers).toBe(2);
    expect(r.stats.seconds).toBeLessThan(30);
  }, TIMEOUT);

  it('stops when the memory budget is reached, incomplete, in the prefix or in the workers', async () => {
    const model = resolveModel(names, { constants: { depth: '9' } });
    for (const memoryBytes of [100_000, 300_000, 600_000]) {
      const options = { continueAfterViolation: true, limits: { memoryBytes } };
      const r = await exploreParallel(model, source(names, { depth: '9' }), options, { workers: 2, prefixStates: 0 });
      expect(r.verdict === 'incomplete' || r.verdict === 'violated').toBe(true);
      expect(r.incomplete).toBe('memory');
      expect(r.store?.full).not.toBeNull();
      expect(r.properties.some((p) => p.status === 'holds' && p.kind !== 'reachable')).toBe(false);
    }
  }, TIMEOUT);

  it('never reports holds when a limit stopped the run', async () => {
    const model = resolveModel(counter, { constants: { max: '60' } });
    for (const limits of [{ maxStates: 20 }, { maxDepth: 30 }, { maxStates: 61 }, { maxDepth: 60 }]) {
      const r = await exploreParallel(model, source(counter, { max: '60' }), { limits }, { workers: 2, prefixStates: 0 });
      const sequential = explore(model, { limits });
      expect(r.verdict).toBe(sequential.verdict);
      expect(r.incomplete).toBe(sequential.incomplete);
    }
  }, TIMEOUT);
});

describe('a run with symmetry reduction', () => {
  /** The sequential run and the parallel one, both reducing by the model's symmetry. */
  async function reduced(spec: AnyModelSpec, c: Case, workers: number): Promise<[CheckResult, CheckResult]> {
    const model = resolved(spec, c);
    const options = c.options ?? { continueAfterViolation: true };
    const sequential = explore(model, options);
    const parallel = await exploreParallel(model, sourceOf(spec, c), options, { workers, prefixStates: c.prefixStates ?? 0 });
    expect(sequential.symmetry?.permutations).toBeGreaterThan(1);
    return [sequential, parallel];
  }

  const LOCK_CASES: readonly (readonly [string, Case])[] = [
    ['racy, 4 processes', { proposal: 'racy', constants: { procs: '4' } }],
    ['racy, 5 processes, first violation', { proposal: 'racy', constants: { procs: '5' }, options: { continueAfterViolation: false } }],
    ['test-and-set, 5 processes', { proposal: 'test-and-set', constants: { procs: '5' } }],
    ['test-and-set, 5 processes, fingerprints', { proposal: 'test-and-set', constants: { procs: '5' }, options: { store: 'fingerprint' } }],
    ['exit-throws, 5 processes', { proposal: 'exit-throws', constants: { procs: '5' } }],
    ['throwing-permute', { proposal: 'throwing-permute' }],
  ];
  it.each(LOCK_CASES)('agrees with the sequential explorer on the symmetric lock, %s', async (_name, c) => {
    const [sequential, parallel] = await reduced(symmetric, c, 2);
    expect(findings(parallel)).toEqual(findings(sequential));
    expect(parallel.symmetry).toEqual(sequential.symmetry);
    if (complete(sequential, c.options ?? { continueAfterViolation: true })) expect(whole(parallel)).toBe(whole(sequential));
    if (parallel.verdict !== 'error') expectTracesReplay(resolved(symmetric, c), parallel);
  }, TIMEOUT);

  it('hands over to the workers only after the states the symmetry check looks at (the first 2000)', async () => {
    const pti = models.find((m) => m.name === 'pti-stack')!;
    const lazy = { proposal: 'pti-c-pertask-lazy-sp0' };
    const [sequential, parallel] = await reduced(pti, lazy, 2);
    expect(sequential.stats.distinct).toBe(7112);
    expect(parallel.stats.workers).toBe(2);
    expect(whole(parallel)).toBe(whole(sequential));
    // The fingerprint store keeps no edges and no bytes: traces are matched by the orbits' fingerprints.
    const fp = { ...lazy, options: { continueAfterViolation: true, store: 'fingerprint' as const } };
    const [sequentialFp, parallelFp] = await reduced(pti, fp, 2);
    expect(parallelFp.stats.workers).toBe(2);
    expect(whole(parallelFp)).toBe(whole(sequentialFp));
    expect(expectTracesReplay(resolved(pti, fp), parallelFp)).toBeGreaterThan(0);
    // Fewer states than that: the whole run stays in the main thread, whatever the prefix.
    const [, small] = await reduced(pti, { proposal: 'pti-c-percpu-sleepy' }, 2);
    expect(small.stats.distinct).toBe(606);
    expect(small.stats.workers).toBe(1);
  }, TIMEOUT);

  it.each([
    ['favours-zero', 'action check is not symmetric'],
    ['forgetful-permute', 'action check is not symmetric'],
    ['zero-reaches', 'reachability property zero-in-crit is not symmetric'],
  ])('refuses the declaration of %s with the sequential explorer\'s spec error', async (proposal, what) => {
    const c = { proposal, constants: { procs: '4' } };
    const model = resolved(symmetric, c);
    const options = { continueAfterViolation: true };
    expect(() => explore(model, options)).toThrow(`symmetry processes is not a symmetry of symmetric/${proposal}: ${what}`);
    let message = '';
    try {
      explore(model, options);
    } catch (e) {
      message = (e as Error).message;
    }
    await expect(exploreParallel(model, sourceOf(symmetric, c), options, { workers: 2, prefixStates: 0 })).rejects.toThrow(SpecError);
    await expect(exploreParallel(model, sourceOf(symmetric, c), options, { workers: 2, prefixStates: 0 })).rejects.toThrow(message);
  }, TIMEOUT);
});

describe('the parallel explorer on every kernel model proposal with symmetry reduction', () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cases = models.flatMap((m) =>
    m.proposals.filter((p) => (resolveModel(m, { proposal: p.id }).symmetry?.length ?? 0) > 0).map((p) => [`${m.name}/${p.id}`, m, p.id] as const),
  );
  it('covers every kernel model that declares a symmetry', () => {
    expect(new Set(cases.map(([, m]) => m.name))).toEqual(new Set(['pkrs-nesting', 'pkrs-cache', 'pti-stack', 'xsave-pasid']));
  });

  it.each(cases)('agrees with the sequential explorer on %s, and its traces replay', async (_name, spec, proposal) => {
    const model = resolved(spec, { proposal });
    const options = { continueAfterViolation: true };
    const sequential = explore(model, options);
    const parallel = await exploreParallel(model, sourceOf(spec, { proposal }), options, { workers: 2, prefixStates: 0 });
    expect(sequential.incomplete).toBeNull();
    expect(whole(parallel)).toBe(whole(sequential));
    expect(expectTracesReplay(model, parallel)).toBeGreaterThan(0);
    // Runs that expand more than the 2000 states the symmetry check looks at go to the workers.
    if (sequential.stats.distinct > 4000) expect(parallel.stats.workers).toBe(2);
  }, 4 * TIMEOUT);
});

describe('the parallel explorer on every kernel model proposal at default bounds', () => {
  // Minutes of checks in all: let vitest's worker answer its RPC between two.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cases = models.flatMap((m) => m.proposals.map((p) => [`${m.name}/${p.id}`, m, p.id] as const));

  it.each(cases)('agrees with the sequential explorer on %s, and its traces replay', async (_name, spec, proposal) => {
    let violated = false;
    for (const workers of [2, 3]) {
      const [sequential, parallel] = await both(spec, { proposal }, workers);
      expect(sequential.incomplete).toBeNull();
      expectSame(sequential, parallel, { proposal }, workers);
      expect(expectTracesReplay(resolved(spec, { proposal }), parallel)).toBeGreaterThan(0);
      violated = sequential.verdict !== 'holds';
    }
    // Stopping at the first violation changes nothing in a run that has none.
    if (!violated) return;
    const first = { proposal, options: { continueAfterViolation: false } };
    const [sequential, parallel] = await both(spec, first, 2);
    expectSame(sequential, parallel, first, 2);
  }, 4 * TIMEOUT);
});

/**
 * Symmetry reduction: a model's interchangeable ids, one state kept per orbit. Verdicts and the lengths
 * of shortest counterexamples must not change, the distinct count must not grow, every counterexample
 * found under symmetry must be a concrete trace the replay engine confirms without symmetry, and a
 * declaration that is not a symmetry must be refused with a spec error naming the set.
 */
import { is, List } from 'immutable';
import { beforeEach, describe, expect, it } from 'vitest';
import { Codec } from '../../src/engine/codec.js';
import { explore } from '../../src/engine/explore.js';
import { allPermutations, generators, inverse } from '../../src/engine/permutations.js';
import { replay } from '../../src/engine/replay.js';
import { bindSymmetry, Canonicalizer } from '../../src/engine/symmetry.js';
import type { CheckResult, Trace } from '../../src/engine/types.js';
import { SpecError } from '../../src/errors.js';
import type { AnyModelSpec } from '../../src/model.js';
import { resolveModel } from '../../src/resolve.js';
import { models } from '../../spec/index.js';
import pkrsCache from '../../spec/pkrs-cache/index.js';
import { Lock, processes, symmetric } from '../fixtures/symmetric.js';
import { checkModel, type RunOptions, statuses, untimed } from '../helpers.js';

/** Each property's status with its trace's length, and the deadlock's: what symmetry must not change. */
function outcome(r: CheckResult): unknown {
  return {
    verdict: r.verdict,
    properties: r.properties.map((p) => [p.name, p.status, p.trace?.length ?? null]),
    deadlock: r.deadlock?.trace.length ?? null,
  };
}

/** The same check with and without symmetry. */
function both(spec: AnyModelSpec, opts: RunOptions): { readonly reduced: CheckResult; readonly full: CheckResult } {
  return { reduced: checkModel(spec, { ...opts, symmetry: true }), full: checkModel(spec, { ...opts, symmetry: false }) };
}

/**
 * Replays every trace of `r` by its labels on the model, with no symmetry involved: each step must be
 * possible, rebuild the same state, and the finding must hold at the end. Returns how many were replayed.
 */
function expectConcreteTraces(spec: AnyModelSpec, r: CheckResult): number {
  const model = resolveModel(spec, { proposal: r.proposal, constants: Object.fromEntries(Object.entries(r.constants).map(([k, v]) => [k, String(v)])) });
  const check = (trace: Trace, finding: Parameters<typeof replay>[1]['finding']) => {
    const init = model.init.findIndex((s) => is(s, trace[0]!.state));
    expect(init).toBeGreaterThanOrEqual(0);
    const out = replay(model, { init, labels: trace.slice(1).map((s) => s.action), finding });
    expect(out.stuck).toBeNull();
    expect(out.steps.every((s, i) => is(s.state, trace[i]!.state))).toBe(true);
    expect(out.reproduced).toBe(true);
  };
  let n = 0;
  for (const p of r.properties) {
    if (!p.trace) continue;
    check(p.trace, model.properties.find((q) => q.name === p.name)!);
    n++;
  }
  if (r.deadlock) (check(r.deadlock.trace, { kind: 'deadlock', name: 'deadlock' }), n++);
  return n;
}

describe('permutations', () => {
  it('enumerates every permutation once, in lexicographic order, the identity first', () => {
    expect(allPermutations(3)).toEqual([[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]);
    expect(allPermutations(1)).toEqual([[0]]);
    expect(new Set(allPermutations(5).map((p) => p.join())).size).toBe(120);
  });

  it('inverts, and generates with a swap and a rotation', () => {
    expect(inverse([1, 2, 0])).toEqual([2, 0, 1]);
    expect(generators(1)).toEqual([]);
    expect(generators(2)).toEqual([[1, 0]]);
    expect(generators(4)).toEqual([[1, 0, 2, 3], [1, 2, 3, 0]]);
  });
});

describe('canonical bytes', () => {
  const model = resolveModel(symmetric, { constants: { procs: '3' } });
  const canon = new Canonicalizer(new Codec(), bindSymmetry(model)!);
  const bytes = (s: unknown) => canon.buf.subarray(0, canon.encode(s)).toString('hex');

  it('are the same for every renumbering of a state, and differ between orbits', () => {
    const s = Lock({ owner: 2, pcs: List(['set', 'idle', 'crit'] as const) });
    const all = canon.renumberings(s);
    expect(all).toHaveLength(6);
    expect(new Set(all.map(bytes)).size).toBe(1);
    const other = Lock({ owner: 2, pcs: List(['idle', 'idle', 'crit'] as const) });
    expect(bytes(other)).not.toBe(bytes(s));
  });

  it('are the smallest encoding of the orbit', () => {
    const s = Lock({ owner: 0, pcs: List(['crit', 'set', 'idle'] as const) });
    const codec = new Codec();
    const each = canon.renumberings(s).map((t) => codec.buf.subarray(0, codec.encode(t)).toString('hex'));
    const fresh = new Canonicalizer(codec, bindSymmetry(model)!);
    expect(fresh.buf.subarray(0, fresh.encode(s)).toString('hex')).toBe([...each].sort()[0]);
  });

  it('can be written behind earlier ones (the explorer holds a batch of them), past the first buffer', () => {
    const a = Lock({ owner: 0, pcs: List(['crit', 'set', 'idle'] as const) });
    const b = Lock({ owner: 1, pcs: List(['idle', 'idle', 'set'] as const) });
    const fresh = new Canonicalizer(new Codec(), bindSymmetry(model)!);
    const want = [a, b].map((s) => fresh.buf.subarray(0, fresh.encode(s)).toString('hex'));
    let at = 0;
    const spans: [number, number][] = [];
    // Enough states to outgrow the first 4 KB buffer: what was written before must survive the growth.
    for (let i = 0; i < 1000; i++) {
      const len = fresh.encodeAt(i % 2 === 0 ? a : b, at);
      spans.push([at, at + len]);
      at += len;
    }
    expect(at).toBeGreaterThan(4096);
    expect(spans.map(([from, to], i) => fresh.buf.subarray(from, to).toString('hex') === want[i % 2])).not.toContain(false);
  });
});

describe('the symmetric lock fixture (3 processes)', () => {
  it.each([
    ['racy', 15, 53],
    ['test-and-set', 3, 7],
  ])('%s: %i orbits instead of %i states, the same verdicts and trace lengths', (proposal, reducedCount, fullCount) => {
    const { reduced, full } = both(symmetric, { proposal });
    expect([reduced.stats.distinct, full.stats.distinct]).toEqual([reducedCount, fullCount]);
    expect(outcome(reduced)).toEqual(outcome(full));
    expect(reduced.symmetry).toEqual({ sets: [{ name: 'processes', size: 3 }], permutations: 6 });
    expect(full.symmetry).toBeNull();
    expect(expectConcreteTraces(symmetric, reduced)).toBeGreaterThan(0);
  });

  it('finds the racy lock\'s violations, each as a concrete trace', () => {
    const { reduced } = both(symmetric, { proposal: 'racy' });
    expect(statuses(reduced)).toEqual({
      'mutual-exclusion': 'violated',
      'owner-in-crit': 'holds',
      'exit-by-owner': 'violated',
      'crit-reached': 'holds',
    });
    // The action property's last step is a concrete transition out of the concrete state.
    expect(reduced.properties[2]!.trace!.map((s) => s.action)).toEqual(['Init', 'check(0)', 'check(1)', 'set(0)', 'set(1)', 'exit(0)']);
  });

  it('scales: 5 processes, 120 permutations', () => {
    const { reduced, full } = both(symmetric, { proposal: 'racy', constants: { procs: '5' } });
    expect([reduced.stats.distinct, full.stats.distinct]).toEqual([35, 647]);
    expect(outcome(reduced)).toEqual(outcome(full));
    expect(reduced.symmetry?.permutations).toBe(120);
  });

  it('stops at the first violation with the same trace length as without symmetry', () => {
    const { reduced, full } = both(symmetric, { proposal: 'racy', continueAfterViolation: false });
    expect(outcome(reduced)).toEqual(outcome(full));
    expect(reduced.verdict).toBe('violated');
  });

  it('is off with symmetry: false, and with one process there is nothing to permute', () => {
    const off = checkModel(symmetric, { proposal: 'racy', symmetry: false });
    expect([off.stats.distinct, off.symmetry]).toEqual([53, null]);
    const one = checkModel(symmetric, { proposal: 'racy', constants: { procs: '1' }, symmetry: true });
    expect(one.symmetry).toEqual({ sets: [{ name: 'processes', size: 1 }], permutations: 1 });
    expect(one.stats.distinct).toBe(checkModel(symmetric, { proposal: 'racy', constants: { procs: '1' } }).stats.distinct);
  });

  it('gives the same run with the fingerprint store as with the exact store', () => {
    const exact = checkModel(symmetric, { proposal: 'racy', symmetry: true, store: 'exact' });
    const fingerprint = checkModel(symmetric, { proposal: 'racy', symmetry: true, store: 'fingerprint' });
    expect(fingerprint.store?.kind).toBe('fingerprint');
    expect(untimed({ ...fingerprint, store: undefined })).toBe(untimed({ ...exact, store: undefined }));
    // Two violations and one example.
    expect(expectConcreteTraces(symmetric, fingerprint)).toBe(3);
  });

  it('lets a proposal drop the model\'s symmetry', () => {
    const { reduced, full } = both(symmetric, { proposal: 'favours-zero-asymmetric' });
    expect(reduced.symmetry).toBeNull();
    expect(untimed(reduced)).toBe(untimed(full));
    expect(reduced.stats.distinct).toBe(50);
  });
});

describe('declaring symmetry', () => {
  it('refuses two sets of one name, and a size that is not a whole number', () => {
    const twice = { id: 'twice', summary: 's', source: 's', symmetry: [processes, processes] as never };
    expect(() => resolveModel(symmetric, { extraProposal: twice })).toThrow('model symmetric: two symmetry sets are named "processes"');
    const half = resolveModel(symmetric, {
      proposal: 'half',
      extraProposal: { id: 'half', summary: 's', source: 's', symmetry: [{ ...processes, size: () => 1.5 }] as never },
    });
    expect(() => explore(half)).toThrow('symmetry processes: its size must be a whole number, got 1.5');
  });

  it('gives byte-identical results on two runs', () => {
    const run = () => untimed(checkModel(models.find((m) => m.name === 'pti-stack')!, { proposal: 'pti-c-percpu-sleepy', symmetry: true }));
    expect(run()).toBe(run());
  });
});

describe('a declaration that is not a symmetry', () => {
  const refused = (proposal: string) => () => checkModel(symmetric, { proposal, symmetry: true });

  it.each([
    ['favours-zero', 'action check is not symmetric'],
    ['forgetful-permute', 'action check is not symmetric'],
    ['zero-reaches', 'reachability property zero-in-crit is not symmetric: it holds on a state and fails on the same state with processes renumbered'],
  ])('%s is a spec error naming the set and what is not symmetric', (proposal, what) => {
    expect(refused(proposal)).toThrow(SpecError);
    expect(refused(proposal)).toThrow(`symmetry processes is not a symmetry of symmetric/${proposal}: ${what}`);
  });

  it('runs without symmetry as usual', () => {
    expect(checkModel(symmetric, { proposal: 'favours-zero' }).verdict).toBe('violated');
  });

  it('reports a permute that throws as a spec error naming the set', () => {
    const r = checkModel(symmetric, { proposal: 'throwing-permute', symmetry: true });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toBe('storing an initial state: symmetry processes: its permute threw: not written yet');
  });

  it('reports a spec that throws on a representative with a concrete trace to a renumbering of that state', () => {
    const r = checkModel(symmetric, { proposal: 'exit-throws', symmetry: true });
    expect(r.verdict).toBe('error');
    expect(r.error!.action).toBe('exit(0)');
    expect(r.error!.message).toBe(
      'in the effect of exit(0): boom (the search ran under symmetry: the trace ends in a renumbering of the state it threw on)',
    );
    expect(r.error!.trace.map((s) => s.action)).toEqual(['Init', 'check(0)', 'set(0)']);
  });

  it('refuses the CPU symmetry of pkrs-cache in a global design, whose loop visits CPUs in order', () => {
    const model = resolveModel(pkrsCache, {
      proposal: 'global-symmetric',
      extraProposal: {
        id: 'global-symmetric',
        summary: 'pkrs-global-rfc keeping the model\'s CPU symmetry',
        source: 'test',
        extends: 'pkrs-global-rfc',
        symmetry: resolveModel(pkrsCache).symmetry,
      },
    });
    expect(() => explore(model, { continueAfterViolation: true })).toThrow(/^symmetry CPUs is not a symmetry of pkrs-cache\/global-symmetric: action global_lock is not symmetric/);
  });
});

/** Distinct states with symmetry at default constants, per kernel model and proposal (without: in each spec test). */
const PINNED: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'pkrs-nesting': {
    'pks-thread-only': 5855,
    'pks-thread-stack': 2472,
    'pks-idtentry-cache': 1854,
    'pks-irqentry-rfcv3': 3269,
    'pks-ptregs-aux-v10': 3461,
    'pks-ptregs-aux-msrfirst': 10639,
    'pks-ptregs-aux-reset': 2472,
    'pks-nmi-uncovered': 1854,
  },
  'pkrs-cache': {
    'pkrs-write-getcpu': 990,
    'pkrs-write-noinstr': 990,
    'pkrs-global-rfc': 16746,
    'pkrs-global-ipi-rmw': 8477,
    'pkrs-global-ipi-rmw-irqoff': 5657,
  },
  'pti-stack': {
    'pti-asm-percpu': 288,
    'pti-c-percpu-sleepy': 606,
    'pti-c-percpu-asm-return': 376,
    'pti-c-pertask': 318,
    'pti-c-pertask-nounmap': 318,
    'pti-c-pertask-lazy-sp0': 7112,
    'pti-cr3-deferred-irqs-on': 3422,
    'pti-cr3-deferred-read-cr3': 1142,
    'pti-pervcpu-stack': 81,
  },
  'asi-nesting': { 'asi-nest-pertask': 29, 'asi-nest-reordered': 34 },
  'xsave-pasid': {
    'pasid-gp-merged': 4918,
    'pasid-gp-v1': 11460,
    'pasid-ipi-update': 39503,
    'xsave-update-tony': 26290,
    'xsave-update-dave': 18121,
    'xsave-update-dave-xrstors': 15930,
    'xsave-update-andy': 11404,
    'xsave-lock-and-load': 9948,
  },
};

describe('every kernel model proposal at default constants, with and without symmetry', { timeout: 120_000 }, () => {
  // Synchronous checks for a minute or two: let vitest's worker answer its RPC between two of them.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cases = models.flatMap((m) => m.proposals.map((p) => [`${m.name}/${p.id}`, m, p.id] as const));

  it('pins every proposal', () => {
    expect(cases.map(([name]) => name)).toEqual(Object.entries(PINNED).flatMap(([m, ps]) => Object.keys(ps).map((p) => `${m}/${p}`)));
  });

  it.each(cases)('%s: same verdicts and trace lengths, no more states, concrete traces', (_name, spec, proposal) => {
    const { reduced, full } = both(spec, { proposal });
    expect(reduced.incomplete).toBeNull();
    expect(outcome(reduced)).toEqual(outcome(full));
    expect(reduced.stats.distinct).toBeLessThanOrEqual(full.stats.distinct);
    expect(reduced.stats.distinct).toBe(PINNED[spec.name]![proposal]);
    expectConcreteTraces(spec, reduced);
  });
});

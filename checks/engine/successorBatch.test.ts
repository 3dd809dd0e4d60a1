/**
 * The explorer holds a state's successors back and interns them together (src/engine/successorBatch.ts),
 * so that the store's memory reads overlap. Nothing of that may show: counts, first discoveries and
 * shortest traces are those of interning each successor at once, also when a state has more successors
 * than a batch holds, and a run that stops at a successor never reports what a later one would have
 * done (a throw, a state it cannot store, an action property it breaks).
 */
import { is, List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { Codec } from '../../src/engine/codec.js';
import { SuccessorBatch } from '../../src/engine/successorBatch.js';
import { StateStore } from '../../src/engine/stateStore.js';
import { defineModel, forState, range } from '../../src/index.js';
import { checkFirst, checkModel, labels, property } from '../helpers.js';

const FAN = 150;
const MOD = 1009;
const next = (s: number, p: number) => (s * 7 + p * p + 1) % MOD;

const f = forState<number>();
/** Each state has 150 successors, more than two batches, many of them found before. */
const fan = defineModel({
  name: 'fan',
  summary: 'integers modulo 1009, 150 successors each',
  constants: {},
  build: () => ({
    init: [0],
    actions: [f.action({ name: 'jump', params: () => range(FAN), effect: (s, p) => next(s, p) })],
    properties: [f.invariant('not-500', 'the state is never 500', (s) => s !== 500)],
  }),
  baseline: 'fan',
  proposals: [{ id: 'fan', summary: 'as defined', source: 'test' }],
});

/** The reference: a plain breadth-first search, each successor looked up as it is made. */
function reference(): { distinct: number; generated: number; depthOf: Map<number, number> } {
  const depthOf = new Map<number, number>([[0, 0]]);
  const queue = [0];
  let generated = 1;
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    for (let p = 0; p < FAN; p++) {
      generated++;
      const t = next(s, p);
      if (depthOf.has(t)) continue;
      depthOf.set(t, depthOf.get(s)! + 1);
      queue.push(t);
    }
  }
  return { distinct: depthOf.size, generated, depthOf };
}

describe('explore: successors interned in batches', () => {
  it('counts and finds what a search interning each successor at once finds, with more successors than a batch holds', () => {
    expect(FAN).toBeGreaterThan(2 * SuccessorBatch.CAPACITY);
    const ref = reference();
    const r = checkModel(fan);
    expect(r.stats.distinct).toBe(ref.distinct);
    expect(r.stats.generated).toBe(ref.generated);
    expect(r.stats.depth).toBe(Math.max(...ref.depthOf.values()) + 1);
    const trace = property(r, 'not-500').trace!;
    expect(trace.length).toBe(ref.depthOf.get(500)! + 1);
    expect(trace.at(-1)!.state).toBe(500);
  });

  it('stops at the first violation in the middle of a batch, counting only the transitions before it', () => {
    const ref = reference();
    const r = checkFirst(fan);
    expect(r.verdict).toBe('violated');
    expect(property(r, 'not-500').trace!.length).toBe(ref.depthOf.get(500)! + 1);
    expect(r.stats.generated).toBeLessThan(ref.generated);
  });
});

/**
 * From state 0, `step(0)` reaches 1, which breaks the invariant; `step(1)` then throws, builds a state
 * kmc cannot store, or breaks the action property, as the proposal says; `step(2)` reaches 2.
 */
const g = forState<unknown>();
/** `step(1)` as each proposal has it. */
const stepWith = (second: () => unknown) =>
  g.action({
    name: 'step',
    params: () => [0, 1, 2],
    guard: (s) => s === 0,
    effect: (_s, p: number) => (p === 1 ? second() : p + 1),
  });
const ordered = defineModel({
  name: 'ordered',
  summary: 'a violation, then a later transition that fails',
  constants: {},
  build: () => ({
    init: [0],
    actions: [stepWith(() => 3)],
    properties: [g.invariant('not-one', 'the state is never 1', (s) => s !== 1)],
    terminal: () => true,
  }),
  baseline: 'sound',
  proposals: [
    { id: 'sound', summary: 'step(1) reaches 3', source: 'test' },
    {
      id: 'throws',
      summary: 'step(1) throws',
      source: 'test',
      replace: [
        stepWith(() => {
          throw new Error('boom');
        }),
      ],
    },
    { id: 'unstorable', summary: 'step(1) builds a plain array', source: 'test', replace: [stepWith(() => [1])] },
    {
      id: 'breaks',
      summary: 'step(1) breaks an action property',
      source: 'test',
      addProperties: [g.actionProperty('no-three', 'no step reaches 3', (_s, t) => t !== 3)],
    },
  ],
});

describe('explore: what comes after a violation in the same expansion', () => {
  it.each(['throws', 'unstorable', 'breaks'])('stops at the violation before step(1) %s', (proposal) => {
    const r = checkFirst(ordered, { proposal });
    expect(r.verdict).toBe('violated');
    expect(r.error).toBeNull();
    expect(labels(property(r, 'not-one').trace)).toEqual(['Init', 'step(0)']);
    if (proposal === 'breaks') expect(property(r, 'no-three').status).toBe('unknown');
    expect(r.stats.generated).toBe(2);
  });

  it('with --continue, reports the throw of step(1) after recording the violation before it', () => {
    const r = checkModel(ordered, { proposal: 'throws' });
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ action: 'step(1)', message: 'in the effect of step(1): boom' });
    // The throwing transition was not counted: its effect never returned.
    expect(r.stats.generated).toBe(2);
  });

  it('with --continue, counts the transition to a state it cannot store and names it', () => {
    const r = checkModel(ordered, { proposal: 'unstorable' });
    expect(r.verdict).toBe('error');
    expect(r.error!.action).toBe('step(1)');
    expect(r.error!.message).toContain('a plain array');
    expect(r.stats.generated).toBe(3);
  });

  it('with --continue, records both violations, each with its own step', () => {
    const r = checkModel(ordered, { proposal: 'breaks' });
    expect(r.verdict).toBe('violated');
    expect(labels(property(r, 'not-one').trace)).toEqual(['Init', 'step(0)']);
    expect(labels(property(r, 'no-three').trace)).toEqual(['Init', 'step(1)']);
    expect(r.stats).toMatchObject({ generated: 4, distinct: 3 });
  });
});

describe('SuccessorBatch', () => {
  it('keeps successors an encoder wrote in place behind each other, across the encoder growing its buffer', () => {
    const codec = new Codec();
    const batch = new SuccessorBatch();
    const states = [List([1, 2]), List(range(3000)), List(['a']), List(range(5000))];
    for (const [i, s] of states.entries()) {
      const at = batch.end;
      const len = codec.encodeAt(s, at);
      expect(batch.written(codec.buf, at, len, i)).toBe(i);
    }
    expect(batch.bytes).toBe(codec.buf);
    for (const [i, s] of states.entries()) {
      expect(is(codec.decode(batch.bytes, batch.at[i]!, batch.at[i]! + batch.len[i]!), s)).toBe(true);
    }
    expect([...batch.hash.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    batch.clear();
    expect([batch.count, batch.end]).toEqual([0, 0]);
    // After a clear in between (a full batch received), a successor written further on keeps its place.
    const len = codec.encodeAt(List([7]), 100);
    expect([batch.written(codec.buf, 100, len, 9), batch.at[0], batch.end]).toEqual([0, 100, 100 + len]);
  });

  it('is full at its capacity', () => {
    const batch = new SuccessorBatch();
    const ones = Buffer.alloc(SuccessorBatch.CAPACITY, 9);
    for (let i = 0; i < SuccessorBatch.CAPACITY; i++) {
      expect(batch.full).toBe(false);
      batch.written(ones, batch.end, 1, i);
    }
    expect(batch.full).toBe(true);
  });

  it('prefetching changes nothing the store answers', () => {
    const store = new StateStore();
    const states = range(200).map((i) => Buffer.from(List([i, i * 3]).join(',')));
    for (const b of states) store.intern(b, b.length, -1, 0);
    const batch = new SuccessorBatch();
    const held = Buffer.concat(states.slice(0, 50));
    for (const b of states.slice(0, 50)) batch.written(held, batch.end, b.length, store.routeHash(b, 0, b.length));
    batch.prefetch(store);
    for (let i = 0; i < batch.count; i++) {
      expect(store.internAt(batch.bytes, batch.at[i]!, batch.len[i]!, batch.hash[i]!, 0, 0)).toBe(i);
      expect(store.lastFresh).toBe(false);
    }
    expect(store.size).toBe(200);
  });
});

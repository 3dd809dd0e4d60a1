/**
 * Routing a state to its owner by its leading bytes (src/engine/parallel/route.ts): the route hash is the
 * store's for a short state and the whole-state route, and the hand-over's choice keeps successors with
 * their parents' owner only where that leaves the partitions balanced and the leading bytes varied.
 * That the parallel result does not depend on the route is checked in checks/engine/workers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../src/engine/parallel/ownership.js';
import { packRef } from '../../src/engine/parallel/refs.js';
import { murmur3, murmur3Lead } from '../../src/engine/fingerprint.js';
import { FingerprintStore } from '../../src/engine/fingerprintStore.js';
import {
  chooseLead,
  fileAndRoute,
  LEADS,
  MIN_KEYS,
  routed,
  routeHash,
  routeHashOf,
  sampleFirstDiscoveries,
  SAMPLE,
  scoreLead,
  WHOLE,
} from '../../src/engine/parallel/route.js';
import { hashBytes, StateStore } from '../../src/engine/stateStore.js';
import type { StateBytes } from '../../src/engine/store.js';

/** A state of two header bytes, a part A of two bytes (the leading four) and a part B of six. */
function state(a: number, b: number): StateBytes {
  const buf = Buffer.from([0x12, 0x34, a & 0xff, a >> 8, b & 0xff, (b >> 8) & 0xff, 7, 7, 7, 7]);
  return { buf, start: 0, end: buf.length };
}

/**
 * Transitions from states with part A `aOf(i)`: nine in ten change part B only, one in ten part A
 * (to the next value).
 */
function transitions(n: number, aOf: (i: number) => number): { parents: StateBytes[]; children: StateBytes[] } {
  const parents: StateBytes[] = [];
  const children: StateBytes[] = [];
  for (let i = 0; i < n; i++) {
    const a = aOf(i);
    const b = (i * 7919) % 65536;
    parents.push(state(a, b));
    children.push(i % 10 === 0 ? state(a + 1, b) : state(a, (b + 1) % 65536));
  }
  return { parents, children };
}

describe('the route hash', () => {
  const buf = Buffer.from('xxabcdefghijklmnopqrstuvwxyz');
  const at = 2;
  const len = 20;
  const storeHash = hashBytes(buf, at, at + len);

  it('is the store hash for the whole-state route and for a state no longer than the lead', () => {
    expect(routeHash(buf, at, len, storeHash, WHOLE)).toBe(storeHash);
    expect(routeHash(buf, at, len, storeHash, len)).toBe(storeHash);
    expect(routeHash(buf, at, len, storeHash, 48)).toBe(storeHash);
  });

  it('is the hash of the leading bytes otherwise, so states that share them share an owner', () => {
    expect(routeHash(buf, at, len, storeHash, 8)).toBe(hashBytes(buf, at, at + 8));
    expect(routeHash(buf, at, len, storeHash, 8)).not.toBe(storeHash);
    const other = Buffer.from('abcdefghZZZZZZZZZZZZ');
    expect(routeHash(other, 0, 20, hashBytes(other, 0, 20), 8)).toBe(routeHash(buf, at, len, storeHash, 8));
    expect(routeHashOf({ buf: other, start: 0, end: 20 }, 8)).toBe(routeHash(buf, at, len, storeHash, 8));
    expect(routeHashOf({ buf, start: at, end: at + len }, WHOLE)).toBe(storeHash);
  });
});

describe('both hashes in one pass', () => {
  const buf = Buffer.from(Array.from({ length: 80 }, (_, i) => (i * 97 + 13) & 0xff));

  it('gives murmur3 of the whole state and of its leading bytes', () => {
    const lead = new Int32Array(1);
    for (let len = 5; len <= 64; len++) {
      for (let n = 4; n < len; n += 4) {
        expect(murmur3Lead(buf, 3, 3 + len, n, lead)).toBe(murmur3(buf, 3, 3 + len));
        expect(lead[0]).toBe(murmur3(buf, 3, 3 + n));
      }
    }
  });

  it('files a state under the store hash and routes it by the route hash, for any lead', () => {
    const store = new StateStore();
    for (const len of [3, 4, 16, 17, 40]) {
      const storeHash = store.routeHash(buf, 7, len);
      for (const lead of [WHOLE, 1, 3, 4, 6, 8, 16, 20, 48]) {
        expect(fileAndRoute(store, buf, 7, len, lead)).toBe(storeHash);
        expect(routed[0]).toBe(routeHash(buf, 7, len, storeHash, lead));
      }
    }
    // A fingerprint store routes by the whole state: its own route hash, lane B.
    const fingerprints = new FingerprintStore();
    expect(fileAndRoute(fingerprints, buf, 7, 40, WHOLE)).toBe(fingerprints.routeHash(buf, 7, 40));
    expect(routed[0]).toBe(fingerprints.routeHash(buf, 7, 40));
  });

  it('is what every candidate lead uses: whole blocks of four bytes', () => {
    expect(LEADS.every((n) => n > 0 && n % 4 === 0)).toBe(true);
  });
});

describe('the choice of the lead at the hand-over', () => {
  it('routes by the part that transitions seldom change, when it takes many values evenly', () => {
    const { parents, children } = transitions(4000, (i) => i % 1000);
    const whole = scoreLead(WHOLE, parents, children, 2);
    expect(whole.crossing).toBeGreaterThan(0.4);
    const chosen = chooseLead(parents, children, 2);
    expect(chosen.lead).toBe(4);
    // Only the one transition in ten that changes part A can cross, and half of those do.
    expect(chosen.crossing).toBeLessThan(0.08);
    expect(chosen.share).toBeLessThan(0.55);
    expect(chosen.keys).toBeGreaterThanOrEqual(MIN_KEYS);
    // Three partitions: the same lead.
    expect(chooseLead(parents, children, 3).lead).toBe(4);
  });

  it('does not route by leading bytes that take few values, however well they split this sample', () => {
    const { parents, children } = transitions(4000, (i) => i % 16);
    expect(scoreLead(4, parents, children, 2).keys).toBeLessThan(MIN_KEYS);
    const chosen = chooseLead(parents, children, 2);
    expect(chosen.lead).not.toBe(4);
    expect(chosen.lead === WHOLE || chosen.keys >= MIN_KEYS).toBe(true);
  });

  it('does not route by leading bytes that give one partition far more than its share', () => {
    // Part A is 0 in four states of five: whoever owns 0 owns at least 80%.
    const { parents, children } = transitions(4000, (i) => (i % 5 === 0 ? 1 + (i % 997) : 0));
    expect(scoreLead(4, parents, children, 2).share).toBeGreaterThan(0.75);
    expect(chooseLead(parents, children, 2).lead).not.toBe(4);
  });

  it('routes by the whole state without transitions to judge by, or with one partition', () => {
    expect(chooseLead([], [], 2).lead).toBe(WHOLE);
    const { parents, children } = transitions(4000, (i) => i % 1000);
    expect(chooseLead(parents, children, 1).lead).toBe(WHOLE);
  });

  it('agrees with the owner the hash gives', () => {
    const s = state(513, 9);
    expect(ownerOf(routeHashOf(s, 4), 2)).toBe(ownerOf(hashBytes(s.buf, 0, 4), 2));
  });
});

describe('the sample of first discoveries', () => {
  it('pairs states of the level, evenly spread, with the parents the store keeps for them', () => {
    const stride = 3;
    const store = new StateStore();
    const bytes = (i: number) => Buffer.from([i & 0xff, i >> 8, 0xaa]);
    // Two roots, then 10,000 states, state i's parent being state i >> 1 (a reference of partition 2).
    store.intern(bytes(0), 3, -1, 0);
    store.intern(bytes(1), 3, -1, 1);
    for (let i = 2; i < 10_002; i++) expect(store.intern(bytes(i), 3, packRef(stride, 2, i >> 1), 0)).toBe(i);
    const { parents, children } = sampleFirstDiscoveries(store, 2, 10_000, stride);
    expect(children).toHaveLength(SAMPLE);
    const id = (s: StateBytes) => s.buf[s.start]! | (s.buf[s.start + 1]! << 8);
    expect(id(children[0]!)).toBe(2);
    expect(id(children.at(-1)!)).toBeGreaterThan(10_000 - 10_000 / SAMPLE - 1);
    children.forEach((c, k) => expect(id(parents[k]!)).toBe(id(c) >> 1));
    // The roots have no parent: a level of roots gives no sample.
    expect(sampleFirstDiscoveries(store, 0, 2, stride).children).toHaveLength(0);
  });
});

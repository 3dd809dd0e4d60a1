/**
 * The gids of a new level (levelOrder.ts): each partition's new states sorted by first discovery, then
 * merged into one numbering that is the sequential explorer's, for two partitions (their own loop) and
 * for more.
 */
import { describe, expect, it } from 'vitest';
import { mergeLevel, orderByGid, sortLevel } from '../../src/engine/parallel/levelOrder.js';

/** `n` distinct keys (parent gid in `gStart .. gStart + gCount`, edge), in a scrambled order, from `seed`. */
function keys(n: number, gStart: number, gCount: number, seed: number): { g: Int32Array; e: Int32Array } {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  const seen = new Set<string>();
  const g: number[] = [];
  const e: number[] = [];
  while (g.length < n) {
    const kg = gStart + (next() % gCount);
    const ke = next() % 40;
    if (seen.has(`${kg}:${ke}`)) continue;
    seen.add(`${kg}:${ke}`);
    g.push(kg);
    e.push(ke);
  }
  return { g: Int32Array.from(g), e: Int32Array.from(e) };
}

/** The gids by brute force: every key of every list, sorted, numbered from `first`. */
function expected(lists: readonly { g: Int32Array; e: Int32Array }[], first: number): number[][] {
  const all = lists.flatMap((l, p) => [...l.g].map((g, i) => ({ g, e: l.e[i]!, p, i })));
  all.sort((a, b) => a.g - b.g || a.e - b.e);
  const out = lists.map((l) => new Array<number>(l.g.length).fill(-1));
  all.forEach((k, n) => (out[k.p]![k.i] = first + n));
  return out;
}

describe('the order of a new level', () => {
  it('sorts a partition’s keys by parent gid, then edge', () => {
    const { g, e } = keys(500, 100, 60, 7);
    const sorted = sortLevel(g, e, g.length, 100, 60);
    const pairs = [...sorted.order].map((k) => [g[k]!, e[k]!]);
    expect(pairs).toEqual([...pairs].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    expect([...sorted.g]).toEqual(pairs.map((p) => p[0]));
    expect([...sorted.e]).toEqual(pairs.map((p) => p[1]));
    expect(new Set(sorted.order).size).toBe(500);
  });

  it.each([2, 3, 5])('merges %i partitions’ sorted keys into the sequential gids', (n) => {
    // Disjoint keys across partitions: one transition reaches one state, owned by one partition.
    const all = keys(300 * n, 0, 200, 11 * n);
    const lists = Array.from({ length: n }, (_, p) => {
      const idx = [...all.g.keys()].filter((i) => i % n === p);
      const g = Int32Array.from(idx, (i) => all.g[i]!);
      const e = Int32Array.from(idx, (i) => all.e[i]!);
      const s = sortLevel(g, e, g.length, 0, 200);
      return { g: s.g, e: s.e };
    });
    const gids = mergeLevel(lists, 5000);
    expect(gids.map((a) => [...a])).toEqual(expected(lists, 5000));
  });

  it('orders a handed-over level by gid', () => {
    expect([...orderByGid(Int32Array.from([40, 7, 12, 3]))]).toEqual([3, 1, 2, 0]);
  });

  it('merges when one partition found nothing new', () => {
    const a = { g: Int32Array.from([3, 3, 9]), e: Int32Array.from([1, 4, 0]) };
    const none = { g: new Int32Array(0), e: new Int32Array(0) };
    expect(mergeLevel([a, none], 10).map((x) => [...x])).toEqual([[10, 11, 12], []]);
    expect(mergeLevel([none, a], 10).map((x) => [...x])).toEqual([[], [10, 11, 12]]);
  });
});

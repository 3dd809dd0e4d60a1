/**
 * The level a round discovers, in one partition (nextLevel.ts): each new state keeps the earliest
 * (parent gid, edge) that reached it, whatever order the candidates come in; `sort` gives the level in
 * that order with the actions credited, and `take` makes it the level to explore with its gids.
 */
import { describe, expect, it } from 'vitest';
import { NextLevel } from '../../src/engine/parallel/nextLevel.js';
import { packEdge } from '../../src/engine/transition.js';

describe('the next level', () => {
  it('keeps the earliest transition to each new state, in any order of arrival', () => {
    const next = new NextLevel();
    next.begin(100);
    next.add(100, 7, packEdge(1, 0));
    next.add(101, 5, packEdge(0, 2));
    expect(next.earlier(100, 7, packEdge(1, 1))).toBe(false); // same parent, later edge
    expect(next.earlier(100, 7, packEdge(1, 0))).toBe(false); // the same transition again
    expect(next.earlier(100, 6, packEdge(2, 0))).toBe(true); // an earlier parent
    expect(next.earlier(101, 5, packEdge(0, 1))).toBe(true); // same parent, earlier edge
    expect(next.earlier(99, 0, 0)).toBe(false); // a state of an earlier level
    const report = next.sort(2, 5, 3, 3);
    // 101 (from gid 5) comes before 100 (from gid 6).
    expect([...report.g]).toEqual([5, 6]);
    expect([...report.e]).toEqual([packEdge(0, 1), packEdge(2, 0)]);
    expect(report.fresh).toEqual([1, 0, 1]);
    const level = next.take(Int32Array.from([40, 41]));
    expect(level.start).toBe(100);
    expect([...level.gidOf]).toEqual([41, 40]);
    expect([...level.keyG]).toEqual([6, 5]);
    expect([...level.keyE]).toEqual([packEdge(2, 0), packEdge(0, 1)]);
    // Explored in gid order: 101 (gid 40) first, then 100.
    expect([...level.order!]).toEqual([1, 0]);
  });

  it('grows past its first thousand states, and takes only a sorted level', () => {
    const next = new NextLevel();
    next.begin(0);
    for (let id = 0; id < 5000; id++) next.add(id, 4999 - id, 0);
    const report = next.sort(5000, 0, 5000, 1);
    expect(report.g[0]).toBe(0);
    expect(report.g[4999]).toBe(4999);
    const level = next.take(Int32Array.from({ length: 5000 }, (_, i) => 10_000 + i));
    expect(level.gidOf[0]).toBe(14_999);
    expect(level.order![0]).toBe(4999);
    expect(level.order!.every((k, i) => level.gidOf[k] === 10_000 + i)).toBe(true);
    expect(() => next.take(new Int32Array(0))).toThrow(/not sorted/);
  });
});

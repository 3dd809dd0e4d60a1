/**
 * Fast paths into Immutable.js (v5) internals for the codec, which reads and builds millions of Records
 * and small Lists. Through the public API every field read is a getter, then `get`, then `has`, then a
 * List lookup (shared/PERFORMANCE.md §0), and building a Record from an object goes through `ObjectSeq`.
 *
 * The fast paths live in fastList.ts and fastRecord.ts; this module is the one the codec imports them
 * from, because it verifies every one against the public API once, when it loads, on sample values: if
 * Immutable's internals ever differ, `FAST` is false and the codec uses the public API only. The fast
 * paths never change meaning, only speed.
 */
import { List, Record, Seq } from 'immutable';
import { fastPrototype, makeRecordFast, recordFieldValues, storedValues } from './fastRecord.js';
import { makeListFast, smallListArray } from './fastList.js';

export { makeListFast, smallListArray } from './fastList.js';
export { fastPrototype, makeRecordFast, recordDefaults } from './fastRecord.js';

/** Whether the fast paths agree with the public API on this version of Immutable. */
export const FAST: boolean = selfCheck();

function selfCheck(): boolean {
  try {
    const R = Record({ a: 1, b: List<number>(), c: 'x' }, 'KmcSelfCheck');
    const r = R({ a: 2, b: List([1, 2, 3]).push(4).pop() });
    const keys = ['a', 'b', 'c'];
    const vals: unknown[] = [];
    if (!recordFieldValues(r, keys, vals)) return false;
    if (vals[0] !== 2 || vals[1] !== r.b || vals[2] !== 'x') return false;
    const arr = smallListArray(r.b);
    if (!arr || r.b.size !== 3 || arr[0] !== 1 || arr[2] !== 3) return false;
    const shifted = List([1, 2, 3]).shift();
    const sa = smallListArray(shifted);
    if (sa !== null && sa[0] !== shifted.get(0)) return false;
    const proto = Object.getPrototypeOf(r) as object;
    const made = makeRecordFast(proto, storedValues(proto, keys, [2, r.b, 'x'])) as typeof r;
    const fromDefaults = makeRecordFast(proto, storedValues(proto, keys, [1, List(), 'x']));
    const list = makeListFast([1, 2, 3]) as List<number>;
    const listOk = list.equals(List([1, 2, 3])) && list.push(4).get(3) === 4 && list.set(0, 9).get(0) === 9 && list.pop().size === 2;
    const big = makeListFast(Array.from({ length: 40 }, (_, i) => i)) as List<number>;
    const fl = makeListFast(['a', 'b', 'c']) as List<string>;
    const fastListOk =
      fl.get(0) === 'a' && fl.get(-1) === 'c' && fl.last() === 'c' && fl.first() === 'a' && fl.get(3) === undefined &&
      fl.get(-4, 'd') === 'd' && fl.set(1, 'b') === fl && fl.set(1, 'x').equals(List(['a', 'x', 'c'])) &&
      fl.set(3, 'd').equals(List(['a', 'b', 'c', 'd'])) && fl.set(-1, 'z').get(2) === 'z' &&
      fl.push('d').equals(List(['a', 'b', 'c', 'd'])) && fl.push('d', 'e').size === 5 && fl.pop().equals(List(['a', 'b'])) &&
      (makeListFast(['a']) as List<string>).pop().equals(List()) && fl.push('d').hashCode() === List(['a', 'b', 'c', 'd']).hashCode() &&
      fl.withMutations((m) => m.set(0, 'q').push('r')).equals(List(['q', 'b', 'c', 'r'])) && fl.size === 3 && fl.get(0) === 'a' &&
      List.isList(fl.pop()) && fl.pop().push('y').get(2) === 'y' && fl.set(0, 'k').pop().equals(List(['k', 'b']));
    const seen: unknown[] = [];
    const iterateOk =
      fl.every((v) => typeof v === 'string') && !fl.every((v) => v === 'a') && fl.some((v) => v === 'c') &&
      !fl.some((v) => v === 'z') && fl.count((v) => v !== 'b') === 2 && fl.count() === 3 &&
      fl.count((_, i, c) => Seq.isSeq(c) && i >= 0) === 3 && fl.every((_, i, c) => c === fl && i >= 0) && fl.find((v) => v > 'a') === 'b' &&
      fl.findIndex((v) => v === 'c') === 2 && fl.includes('b') && !fl.includes('z') && fl.reduce((a, v) => a + v, '') === 'abc' &&
      fl.reduceRight((a, v) => a + v, '') === 'cba' && fl.forEach((v) => v !== 'b') === 2 && fl.forEach(() => true) === 3 &&
      fl.forEach((v, i, c) => void seen.push(v, i, c === fl)) === 3 && seen.join() === 'a,0,true,b,1,true,c,2,true' &&
      fl.map((v) => v) === fl && fl.map((v, i) => v + i).equals(List(['a0', 'b1', 'c2'])) &&
      fl.map((v, i) => v + i).hashCode() === List(['a0', 'b1', 'c2']).hashCode() &&
      fl.filter((v) => v !== 'b').equals(List(['a', 'c'])) && fl.filter(() => false).equals(List()) &&
      fl.filter((_, i, c) => c === fl && i >= 0).equals(fl) && fl.toArray().join() === 'a,b,c' &&
      fl.reverse().toArray().join() === 'c,b,a' && [...fl].join() === 'a,b,c';
    const A = Record({ x: 1, y: 'd' }, 'KmcSelfCheckFast');
    const fast = fastPrototype(Object.getPrototypeOf(A()) as object, ['x', 'y']);
    const a = makeRecordFast(fast, [undefined, 'e']) as ReturnType<typeof A>;
    const mutated = a.withMutations((m) => m.set('x', 7));
    const m1 = a.merge({ x: 4, zz: 1, constructor: 2 } as never);
    const m2 = a.merge({ x: 1, y: 'e' });
    const m3 = a.merge({ y: 'd' });
    const inMut = a.withMutations((m) => m.merge({ x: 8 }));
    const setOk =
      a.set('x', 1) === a && a.set('y', 'e') === a && a.set('x', 5).x === 5 && a.set('x', 5).equals(A({ x: 5, y: 'e' })) &&
      a.set('x', 5).hashCode() === A({ x: 5, y: 'e' }).hashCode() && a.set('y', 'd').equals(A()) &&
      (a.set('zz' as never, 3 as never) as unknown) === a && a.withMutations((m) => m.set('x', 6)).x === 6 && a.x === 1;
    const mergeOk =
      m1.equals(A({ x: 4, y: 'e' })) && m1.hashCode() === A({ x: 4, y: 'e' }).hashCode() && m2.equals(a) &&
      m3.equals(A()) && m3.y === 'd' && m3.set('x', 2).x === 2 && inMut.x === 8 && a.merge(A({ x: 9 })).x === 9;
    const accelOk =
      mergeOk &&
      setOk &&
      iterateOk &&
      a.x === 1 && a.y === 'e' && a.set('x', 3).x === 3 && mutated.x === 7 && a instanceof A &&
      a.equals(A({ y: 'e' })) && a.hashCode() === A({ y: 'e' }).hashCode() && a.merge({ y: 'f' }).y === 'f';
    return (
      accelOk &&
      listOk &&
      fastListOk &&
      big.get(39) === 39 &&
      made.equals(r) &&
      made.hashCode() === r.hashCode() &&
      made.set('a', 5).a === 5 &&
      R().equals(fromDefaults)
    );
  } catch {
    return false;
  }
}


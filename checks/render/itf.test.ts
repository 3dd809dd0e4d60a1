/**
 * ITF traces: the mutex counterexample byte for byte, how each kind of value is encoded (Apalache
 * ADR-015: `#bigint`, `#set`, `#map`, Records as objects, Lists as arrays), canonical order for Sets and
 * Maps whatever their insertion order, and the same bytes from two runs.
 */
import { List, Map as IMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { compareItf, renderItf, toItfValue, type ItfMeta } from '../../src/render/itf.js';
import { mutex, seesaw, twoPhase } from '../fixtures/models.js';
import { checkFirst, property } from '../helpers.js';

function mutexItf(): string {
  const r = checkFirst(mutex);
  const p = property(r, 'mutual-exclusion');
  const meta: ItfMeta = { ...r, property: p.name, kind: p.kind, claim: p.claim, source: 'mutex', version: '9.9.9' };
  return renderItf(p.trace!, meta);
}

describe('renderItf', () => {
  it('writes the mutex counterexample as an ITF trace with kmc metadata and one state per line', () => {
    expect(mutexItf()).toMatchInlineSnapshot(`
      "{
        "#meta": {
          "format": "ITF",
          "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
          "source": "mutex",
          "description": "kmc 9.9.9: a counterexample to invariant mutual-exclusion of mutex/racy",
          "model": "mutex",
          "proposal": "racy",
          "constants": {
            "procs": 2
          },
          "property": "mutual-exclusion",
          "kind": "invariant",
          "claim": "at most one process is in its critical section",
          "kmc-version": "9.9.9"
        },
        "vars": ["flag","pcs"],
        "states": [
          {"#meta":{"index":0,"action":"Init"},"flag":{"#bigint":"0"},"pcs":["idle","idle"]},
          {"#meta":{"index":1,"action":"check(0)"},"flag":{"#bigint":"0"},"pcs":["set","idle"]},
          {"#meta":{"index":2,"action":"check(1)"},"flag":{"#bigint":"0"},"pcs":["set","set"]},
          {"#meta":{"index":3,"action":"set(0)"},"flag":{"#bigint":"1"},"pcs":["crit","set"]},
          {"#meta":{"index":4,"action":"set(1)"},"flag":{"#bigint":"1"},"pcs":["crit","crit"]}
        ]
      }
      "
    `);
  });

  it('is valid JSON whose states carry their index and action label', () => {
    const doc = JSON.parse(mutexItf()) as { vars: string[]; states: { '#meta': { index: number; action: string } }[] };
    expect(doc.vars).toEqual(['flag', 'pcs']);
    expect(doc.states.map((s) => s['#meta'])).toEqual([
      { index: 0, action: 'Init' },
      { index: 1, action: 'check(0)' },
      { index: 2, action: 'check(1)' },
      { index: 3, action: 'set(0)' },
      { index: 4, action: 'set(1)' },
    ]);
  });

  it('gives the same bytes on two independent runs', () => {
    expect(mutexItf()).toBe(mutexItf());
  });

  it('stores a state that is not a Record under the single variable "state"', () => {
    const r = checkFirst(seesaw);
    const p = property(r, 'monotonic');
    const doc = JSON.parse(renderItf(p.trace!, { ...r, property: p.name, kind: p.kind, claim: p.claim, version: '0' }));
    expect(doc.vars).toEqual(['state']);
    expect(doc.states.at(-1)).toEqual({ '#meta': { index: 2, action: 'down(by 1)' }, state: { '#bigint': '0' } });
    expect(doc['#meta'].source).toBeUndefined();
  });
});

describe('toItfValue', () => {
  it('encodes integers as #bigint, strings and booleans as themselves, Lists as arrays', () => {
    expect(toItfValue(List([0, -3, 2 ** 60, 'x', true]))).toEqual([
      { '#bigint': '0' },
      { '#bigint': '-3' },
      { '#bigint': '1152921504606846976' },
      'x',
      true,
    ]);
  });

  it('marks what ITF cannot express as #unserializable', () => {
    expect(toItfValue(List([1.5, null, undefined, -0]))).toEqual([
      { '#unserializable': '1.5' },
      { '#unserializable': 'null' },
      { '#unserializable': 'undefined' },
      { '#unserializable': '-0' },
    ]);
  });

  it('encodes Records as objects in field order, whatever order they were set in', () => {
    const R = Record({ b: 0, a: '' }, 'R');
    expect(JSON.stringify(toItfValue(R({ a: 'x', b: 2 })))).toBe('{"b":{"#bigint":"2"},"a":"x"}');
  });

  it('sorts Sets canonically (integers numerically) whatever their insertion order', () => {
    const a = toItfValue(ISet([10, 9, 'b', 'a', 100]));
    const b = toItfValue(ISet([100, 'a', 9, 'b', 10]));
    expect(a).toEqual({ '#set': ['a', 'b', { '#bigint': '9' }, { '#bigint': '10' }, { '#bigint': '100' }] });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('keeps the order of an OrderedSet, which kmc treats as part of the value', () => {
    expect(toItfValue(OrderedSet([2, 1]))).toEqual({ '#set': [{ '#bigint': '2' }, { '#bigint': '1' }] });
  });

  it('encodes Maps as sorted #map pairs, with Record keys and Set values', () => {
    const K = Record({ cpu: 0 }, 'K');
    const m = IMap<unknown, unknown>([[K({ cpu: 1 }), ISet(['y', 'x'])], [K({ cpu: 0 }), ISet()]]);
    expect(toItfValue(m)).toEqual({
      '#map': [
        [{ cpu: { '#bigint': '0' } }, { '#set': [] }],
        [{ cpu: { '#bigint': '1' } }, { '#set': ['x', 'y'] }],
      ],
    });
  });

  it('encodes the two-phase commit model\'s initial state: a Map of resource managers and empty Sets', () => {
    const init = twoPhase.build({ rms: 2 }).init[0];
    expect(toItfValue(init)).toEqual({
      rmState: { '#map': [[{ '#bigint': '0' }, 'working'], [{ '#bigint': '1' }, 'working']] },
      tmState: 'init',
      tmPrepared: { '#set': [] },
      msgs: { '#set': [] },
    });
  });
});

describe('compareItf', () => {
  it('orders integers numerically and everything else by its JSON text', () => {
    const xs = [{ '#bigint': '10' }, 'z', { '#bigint': '-1' }, [], true, { '#bigint': '2' }];
    expect([...xs].sort(compareItf)).toEqual(['z', [], true, { '#bigint': '-1' }, { '#bigint': '2' }, { '#bigint': '10' }]);
  });
});

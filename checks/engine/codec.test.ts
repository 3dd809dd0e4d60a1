/**
 * The canonical state encoding: equal states (as kmc defines them) get equal bytes, different states
 * different bytes, and decoding gives the state back.
 */
import fc from 'fast-check';
import { is, List, Map as IMap, OrderedMap, OrderedSet, Record, Seq, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { Codec, CodecFrozen } from '../../src/engine/codec.js';
import { Decoder } from '../../src/engine/decoder.js';
import { Encoder } from '../../src/engine/encoder.js';
import { Numbering } from '../../src/engine/numbering.js';
import { FAST } from '../../src/engine/immutableFast.js';
import { SpecError } from '../../src/errors.js';
import { defineModel, forState } from '../../src/index.js';
import { checkModel } from '../helpers.js';

function bytes(codec: Codec, v: unknown): Buffer {
  const n = codec.encode(v);
  return Buffer.from(codec.buf.subarray(0, n));
}

function roundTrip(codec: Codec, v: unknown): unknown {
  const b = bytes(codec, v);
  return codec.decode(b, 0, b.length);
}

const Pair = Record({ a: undefined as unknown, b: undefined as unknown }, 'Pair');
const primitive = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.constantFrom(1.5, 2 ** 40, -0.25, 1e300, 0x0fffffff, 0x10000000),
  fc.constantFrom('a', 'b', '1', '', 'é', 'x y'),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value' },
    primitive,
    fc.array(tie('value'), { maxLength: 4 }).map((a) => List(a)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((e) => IMap(e)),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => ISet(a)),
    fc.array(fc.tuple(primitive, tie('value')), { maxLength: 4 }).map((e) => OrderedMap(e)),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => OrderedSet(a)),
    fc.tuple(tie('value'), tie('value')).map(([a, b]) => Pair({ a, b })),
  ),
}));

/** Distinct keys (so that both orders build the same Map) and one permutation of them. */
const entriesTwice = fc
  .uniqueArray(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.string({ maxLength: 3 })), value), {
    selector: ([k]) => k,
    maxLength: 30,
  })
  .chain((es) => fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length })));

describe('Codec', () => {
  it('encodes Maps built in different insertion orders alike', () => {
    fc.assert(
      fc.property(entriesTwice, ([a, b]) => {
        const codec = new Codec();
        expect(bytes(codec, IMap(a))).toEqual(bytes(codec, IMap(b)));
        expect(bytes(codec, List([IMap(a)]))).toEqual(bytes(codec, List([IMap(b)])));
      }),
      { numRuns: 60 },
    );
  });

  it('encodes Sets built in different insertion orders alike', () => {
    fc.assert(
      fc.property(entriesTwice, ([a, b]) => {
        const codec = new Codec();
        const s1 = ISet(a.map(([k]) => k));
        const s2 = b.reduce((s, [k]) => s.add(k), ISet<unknown>());
        expect(bytes(codec, s1)).toEqual(bytes(codec, s2));
        expect(bytes(codec, IMap([[s1, 1]]))).toEqual(bytes(codec, IMap([[s2, 1]])));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the state back on decoding, and the same bytes again', () => {
    fc.assert(
      fc.property(value, (v) => {
        const codec = new Codec();
        const first = bytes(codec, v);
        const back = roundTrip(codec, v);
        expect(is(back, v)).toBe(true);
        expect(bytes(codec, back)).toEqual(first);
        // States built from decoded parts (the explorer's case) encode as if built afresh.
        expect(bytes(codec, List([back, back]))).toEqual(bytes(codec, List([v, v])));
        expect(bytes(codec, Pair({ a: back, b: 1 }))).toEqual(bytes(codec, Pair({ a: v, b: 1 })));
      }),
    );
  });

  it('gives equal values equal bytes and different values different bytes', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const codec = new Codec();
        // With one Record type and no -0 among the values, kmc's equality is Immutable's is().
        expect(bytes(codec, a).equals(bytes(codec, b))).toBe(is(a, b));
      }),
    );
  });

  it('tells Lists, Sets, ordered collections and Maps with the same elements apart', () => {
    const codec = new Codec();
    const forms = [List([1, 2]), ISet([1, 2]), OrderedSet([1, 2]), OrderedSet([2, 1]), IMap([[1, 2]]), OrderedMap([[1, 2]])];
    const encoded = forms.map((f) => bytes(codec, f).toString('hex'));
    expect(new Set(encoded).size).toBe(forms.length);
  });

  it('tells two Record types with the same fields apart', () => {
    const A = Record({ x: 0 }, 'A');
    const B = Record({ x: 0 }, 'B');
    const codec = new Codec();
    expect(bytes(codec, A())).not.toEqual(bytes(codec, B()));
    expect(bytes(codec, A({ x: 1 }))).toEqual(bytes(codec, A().set('x', 1)));
    expect(Record.isRecord(roundTrip(codec, B())) && (roundTrip(codec, B()) as object) instanceof B).toBe(true);
  });

  it('tells primitives of different types apart', () => {
    const codec = new Codec();
    const forms = [1, '1', true, 'true', null, 'null', undefined, 1.5, '1.5', 0x10000000, -1];
    expect(new Set(forms.map((f) => bytes(codec, f).toString('hex'))).size).toBe(forms.length);
  });

  it.each([
    ['a plain array', [1, 2], 'plain array'],
    ['a plain object', { a: 1 }, 'plain object'],
    ['a class instance', new Date(0), 'a Date object'],
    ['a function', () => 1, 'function'],
    ['a plain array inside a List', List([[1]]), 'plain array'],
  ])('refuses %s with a SpecError', (_what, v, message) => {
    const codec = new Codec();
    expect(() => codec.encode(v)).toThrow(SpecError);
    expect(() => codec.encode(v)).toThrow(message);
  });
});

describe('explore: state identity', () => {
  const s = forState<unknown>();
  const twoInits = (init: unknown[]) =>
    defineModel({
      name: 'inits',
      summary: 'initial states only',
      constants: {},
      build: () => ({ init, actions: [s.action({ name: 'stay', effect: (x) => x })], properties: [] }),
      baseline: 'only',
      proposals: [{ id: 'only', summary: 'as given', source: 'test' }],
    });

  it('treats a Map or Set built in another order as the same state', () => {
    const a = IMap([['x', ISet([1, 2, 3])], ['y', ISet()]]);
    const b = IMap<string, ISet<number>>().set('y', ISet()).set('x', ISet([3, 2]).add(1));
    const r = checkModel(twoInits([a, b]));
    expect(r.stats).toMatchObject({ distinct: 1, generated: 2 + 1 });
  });

  it('treats Records of different types with the same fields as different states', () => {
    const A = Record({ x: 0 }, 'A');
    const B = Record({ x: 0 }, 'B');
    expect(checkModel(twoInits([A(), B(), A()])).stats).toMatchObject({ distinct: 2, generated: 3 + 2 });
  });

  it('treats a List and a Set with the same elements as different states', () => {
    expect(checkModel(twoInits([List([1, 2]), ISet([1, 2]), ISet([2, 1])])).stats.distinct).toBe(2);
  });
});

describe('the generated Record encoders (typedEncoder.ts)', () => {
  const Frame = Record({ kind: 'SYS', saved: 0 }, 'Frame');
  const Cpu = Record({ frames: List<unknown>(), reg: 0 as unknown, peer: undefined as unknown }, 'Cpu');
  // Records whose fields hold anything (Lists of Lists, Maps, Records of either type, atoms), and Cpus
  // with Frame Lists, the shape the generated List sites are for.
  const frame = fc.tuple(fc.constantFrom('SYS', 'PF', 'NMI'), fc.integer({ min: 0, max: 3 })).map(([kind, saved]) => Frame({ kind, saved }));
  const cpu = fc
    .tuple(fc.array(frame, { maxLength: 3 }), fc.oneof(fc.integer({ min: 0, max: 3 }), value), fc.option(value, { nil: undefined }))
    .map(([frames, reg, peer]) => Cpu({ frames: List(frames), reg, peer }));
  const state = fc.array(fc.oneof(cpu, value), { minLength: 1, maxLength: 4 }).map((xs) => List(xs));

  /** One numbering, a decoder, and an encoder of each kind over them. */
  function encoders() {
    const numbering = new Numbering();
    const CODE = Symbol('code');
    const generic = new Encoder(numbering, CODE, false);
    const generated = new Encoder(numbering, CODE, true);
    const decoder = new Decoder(numbering, CODE);
    const bytesOf = (e: Encoder, v: unknown) => Buffer.from(e.buf.subarray(0, e.encode(v)));
    return { generic, generated, decoder, bytesOf };
  }

  it.runIf(FAST)('write the bytes of the generic walk, for built and decoded values and states built from both', () => {
    fc.assert(
      fc.property(state, (s) => {
        const { generic, generated, decoder, bytesOf } = encoders();
        // The generic walk first, so that it numbers atoms and types in the order of first sight.
        const want = bytesOf(generic, s);
        expect(bytesOf(generated, s)).toEqual(want);
        const back = decoder.decode(want, 0, want.length) as List<unknown>;
        expect(bytesOf(generated, back)).toEqual(want);
        const mixed = back.push(s.first()).set(0, back.last());
        expect(bytesOf(generated, mixed)).toEqual(bytesOf(generic, mixed));
      }),
    );
  });

  it.runIf(FAST)('give way to the generic walk, and getters to closures, where code generation is disallowed', () => {
    const real = globalThis.Function;
    const refuse = function () {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    globalThis.Function = refuse as unknown as FunctionConstructor;
    try {
      const { generic, generated, decoder, bytesOf } = encoders();
      const s = List([Cpu({ frames: List([Frame({ kind: 'PF', saved: 2 })]), reg: 'x' }), 3]);
      const want = bytesOf(generic, s);
      expect(bytesOf(generated, s)).toEqual(want);
      // Decoded Records get their fast prototype (and its getters) here, with Function refused.
      const back = decoder.decode(want, 0, want.length) as List<ReturnType<typeof Cpu>>;
      expect((back.get(0)!.frames.get(0) as ReturnType<typeof Frame>).saved).toBe(2);
      expect(back.get(0)!.reg).toBe('x');
      expect(bytesOf(generated, back.setIn([0, 'reg'], 5))).toEqual(bytesOf(generic, s.setIn([0, 'reg'], 5)));
    } finally {
      globalThis.Function = real;
    }
  });

  it.runIf(FAST)('fall back to the generic walk for Records and Lists laid out otherwise', () => {
    const { generic, generated, bytesOf } = encoders();
    // Every field set, so that the Records' own layout is the usual one and only the Lists differ.
    const long = Cpu({ frames: List(Array.from({ length: 40 }, (_, i) => Frame({ saved: i }))), reg: 1, peer: 2 });
    const shifted = Cpu({ frames: List([Frame(), Frame({ kind: 'NMI' })]).shift(), reg: 1, peer: 2 });
    // Trailing fields at their defaults: a backing array shorter than the Record.
    const short = Cpu({ frames: List([Frame({ saved: 3 })]) });
    const mutated = Cpu().withMutations((m) => m.set('reg', 2).set('frames', List([Frame()])));
    for (const v of [long, shifted, short, mutated, Cpu(), Frame()]) expect(bytesOf(generated, v)).toEqual(bytesOf(generic, v));
    // A Record type another numbering met first: its kind mark is not this numbering's.
    const other = encoders();
    const Late = Record({ a: List([1]) }, 'Late');
    other.bytesOf(other.generated, Late());
    expect(bytesOf(generated, Late({ a: List([2, 3]) }))).toEqual(bytesOf(generic, Late({ a: List([2, 3]) })));
  });
});

describe('the decoder\'s cache', () => {
  it('stops looking up values that are never found at a depth, and decodes them all the same', () => {
    const codec = new Codec();
    const Box = Record({ items: List<unknown>(), tag: 0 }, 'Box');
    // The List right under the state is new every time (never found); the Box inside it repeats.
    const state = (i: number) => List([List([Box({ items: List([i % 3]), tag: 1 }), i]), 7]);
    const decoder = (codec as unknown as { decoder: { paused: Int32Array } }).decoder;
    let pausedSeen = false;
    for (let i = 0; i < 80_000; i++) {
      const b = bytes(codec, state(i));
      const back = codec.decode(b, 0, b.length) as List<unknown>;
      if (i % 997 === 0 || i > 79_990) {
        expect(is(back, state(i))).toBe(true);
        // Decoded values, looked up or not, carry their bytes: a state built from them encodes the same.
        expect(bytes(codec, back.reverse())).toEqual(bytes(codec, state(i).reverse()));
      }
      if (decoder.paused[0]! > 0) pausedSeen = true;
      expect(decoder.paused[1]).toBe(0);
    }
    expect(pausedSeen).toBe(true);
  });
});

describe('a frozen codec', () => {
  it('encodes what it has numbered and refuses a new atom or Record type', () => {
    const A = Record({ x: 'a' }, 'A');
    const B = Record({ y: 0 }, 'B');
    const c = new Codec();
    c.encode(A());
    expect(c.numbering()).toBe('atoms "a"; types A{x}');
    c.freeze();
    expect(c.encode(A())).toBeGreaterThan(0);
    expect(() => c.encode(A({ x: 'b' }))).toThrow(CodecFrozen);
    expect(() => c.encode(B())).toThrow(/codec frozen: a new Record type B/);
  });
});

describe('the Immutable fast paths', () => {
  it('apply to the installed Immutable version (they verify themselves against its public API at load)', () => {
    expect(FAST).toBe(true);
  });

  /** What the spec code sees of a List: every method the fast paths touch, with the calls made to callbacks. */
  function listBehaviour(l: List<number>): unknown[] {
    const calls: unknown[] = [];
    const log =
      <R,>(answer: (v: number) => R) =>
      (v: number, i: number, c: unknown): R => {
        calls.push([v, i, c === l ? 'the list' : Seq.isSeq(c) ? 'a seq' : typeof c]);
        return answer(v);
      };
    const out = [
      l.every(log((v) => v < 5)),
      l.some(log((v) => v > 5)),
      l.count(log((v) => v % 2 === 0)),
      l.count(),
      l.find(log((v) => v > 3)),
      l.findIndex(log((v) => v > 3)),
      l.includes(4),
      l.reduce((a, v, i) => a * 31 + v + i, 7),
      l.reduceRight((a, v, i) => a * 31 + v + i, 7),
      l.forEach(log((v) => v !== 4)),
      l.map(log((v) => v)) === l,
      l.map(log((v) => v * 2)).toArray(),
      l.map((v) => v * 2).hashCode(),
      l.filter(log((v) => v !== 4)).toArray(),
      List.isList(l.filter(() => false)),
      l.filter((v) => v > 2).hashCode(),
      l.first(),
      l.last(),
      l.get(-2),
      l.set(1, 9).toArray(),
      l.set(0, l.get(0)!) === l,
      l.push(8).toArray(),
      l.pop().toArray(),
      l.reverse().toArray(),
      [...l],
      l.toArray(),
      l.isEmpty(),
    ];
    return [out, calls];
  }

  it('give decoded Lists the behaviour of Lists built through the public API', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 40 }), (arr) => {
        const plain = List(arr);
        const decoded = roundTrip(new Codec(), plain) as List<number>;
        expect(listBehaviour(decoded)).toEqual(listBehaviour(plain));
      }),
    );
  });

  const Regs = Record({ a: 0, b: 'x', c: List<number>() }, 'Regs');
  it('give decoded Records the `set` and `merge` of Records built through the public API', () => {
    const field = fc.constantFrom<'a' | 'b' | 'c' | 'zz'>('a', 'b', 'c', 'zz');
    const val = fc.oneof(fc.constantFrom(0, 1, 'x', 'y'), fc.constant(List<number>()));
    fc.assert(
      fc.property(fc.array(fc.tuple(field, val), { maxLength: 6 }), fc.array(fc.tuple(field, val), { maxLength: 3 }), (sets, merged) => {
        let plain = Regs({ a: 1 });
        let decoded = roundTrip(new Codec(), plain) as typeof plain;
        for (const [k, v] of sets) {
          const p2 = plain.set(k as 'a', v as never);
          const d2 = decoded.set(k as 'a', v as never);
          expect(d2 === decoded).toBe(p2 === plain);
          plain = p2;
          decoded = d2;
          expect(decoded.equals(plain)).toBe(true);
          expect(decoded.hashCode()).toBe(plain.hashCode());
          expect(decoded.toObject()).toEqual(plain.toObject());
        }
        const obj = Object.fromEntries(merged);
        expect(decoded.merge(obj).equals(plain.merge(obj))).toBe(true);
        expect(decoded.merge(obj).toObject()).toEqual(plain.merge(obj).toObject());
      }),
    );
  });
});

/**
 * Per-Record-type encoders, generated when the encoder first meets a type: the same bytes as the generic
 * walk in encoder.ts, with each field's value examined by code of its own.
 *
 * Why: the generic walk examines every value at one place in the code (is it a number, does it carry its
 * bytes, which kind of value is it), where it meets every shape of object a model has: Records of each
 * type, with and without cached bytes, and Lists. V8 then looks those properties up through its
 * megamorphic cache, and the profile of the bench put about a fifth of the whole run in encoding. A field
 * of one Record type, or the elements of one List field, only ever hold one or two shapes, so a site per
 * field keeps V8's inline caches monomorphic. Each generated function is compiled from its own source
 * text, since V8 shares type feedback between closures of the same function literal.
 *
 * Only the value sites differ from the generic walk; everything they write goes through the encoder's own
 * `header`, `copy` and fallbacks, and a value the site does not recognise (another numbering's Record, a
 * Map, a nested List) takes the generic path. checks/engine/codec.test.ts compares the bytes with those
 * of the generic walk.
 */
import { MAX_INT, T_INT, T_LIST, T_RECORD } from './codecFormat.js';
import { KIND, type Numbering } from './numbering.js';
import { smallListArray } from './fastList.js';
import { STORED } from './fastRecord.js';

/** What a generated encoder needs of the encoder: its output primitives and its generic fallbacks. */
export interface EncoderCore {
  header(n: number, tag: number): void;
  copy(code: string): void;
  atomValue(v: unknown): void;
  composite(v: object): void;
  /** The generic walk of a Record's fields, header included, for a Record laid out unusually. */
  fieldsGeneric(r: object, id: number): void;
  /** The generated encoder of Record type `id`. */
  typed(id: number): TypeEncoder;
}

export type TypeEncoder = (e: EncoderCore, r: object) => void;

/** Makes every generated encoder's source text unique (V8 shares type feedback between equal sources). */
let compiled = 0;

/**
 * The statements that encode `v` at one site. `list` names the function for a List found there (a List
 * site of its own), or is null to take the generic path.
 */
function site(v: string, list: string | null): string {
  const listCall = list === null ? `e.composite(${v})` : `${list}(e, ${v})`;
  return `
    if (typeof ${v} === 'number' && ${v} >= 0 && ${v} <= MAX_INT && Number.isInteger(${v}) && !Object.is(${v}, -0)) e.header(${v}, T_INT);
    else if (${v} === null || typeof ${v} !== 'object') e.atomValue(${v});
    else {
      const code = ${v}[CODE];
      if (code !== undefined) e.copy(code);
      else {
        const kind = ${v}[KIND];
        if (kind === undefined || kind.owner !== numbering) e.composite(${v});
        else if (kind.type >= 0) e.typed(kind.type)(e, ${v});
        else ${listCall};
      }
    }`;
}

/**
 * Generates the encoder of Record type `id` (its keys and defaults as the numbering holds them): the
 * header, then each field through a site of its own, and a List field's elements through a site of the
 * List's own.
 */
export function compileTypeEncoder(numbering: Numbering, CODE: symbol, id: number): TypeEncoder {
  const type = numbering.types[id]!;
  const n = type.keys.length;
  const name = type.keys.map((k) => k.replace(/\W/g, '_'));
  const lists = name.map(
    (k, i) => `
  // ${JSON.stringify(type.keys[i])} of Record type ${id}, when it holds a List.
  function list_${i}_${k}(e, l) {
    const size = l.size;
    e.header(size, T_LIST);
    const arr = smallListArray(l);
    for (let j = 0; j < size; j++) {
      const x = arr !== null ? arr[j] : l.get(j);
      ${site('x', null)}
    }
  }`,
  );
  const fields = name.map(
    (k, i) => `
    v = arr[${i}];
    if (v === undefined) v = defaults[${i}];
    ${site('v', `list_${i}_${k}`)}`,
  );
  const source = `
  // kmc record encoder #${compiled++}
  ${lists.join('\n')}
  // Record type ${id} (${n} fields): ${JSON.stringify(type.keys.join(','))}.
  return function encodeRecord${id}(e, r) {
    const arr = r[STORED] ?? smallListArray(r._values);
    if (arr === null || arr.length < ${n}) return e.fieldsGeneric(r, ${id});
    e.header(${id}, T_RECORD);
    let v;
    ${fields.join('\n')}
  };`;
  let make: (...args: unknown[]) => TypeEncoder;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated once per Record type, see above
    make = new Function('numbering', 'CODE', 'KIND', 'STORED', 'defaults', 'smallListArray', 'MAX_INT', 'T_INT', 'T_LIST', 'T_RECORD', source) as (
      ...args: unknown[]
    ) => TypeEncoder;
  } catch {
    // Code generation disallowed (node --disallow-code-generation-from-strings): the generic walk.
    return (e, r) => e.fieldsGeneric(r, id);
  }
  return make(numbering, CODE, KIND, STORED, type.defaults, smallListArray, MAX_INT, T_INT, T_LIST, T_RECORD);
}

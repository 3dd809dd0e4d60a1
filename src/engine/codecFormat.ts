/**
 * The wire format of kmc's canonical state encoding (see codec.ts for what "canonical" promises).
 *
 * Each value is a varint header `n * 8 + tag` followed by its parts:
 *   tag 0  a non-negative integer n below 2^28 (one byte when n < 16);
 *   tag 1  another primitive: atom number n (strings, booleans, null, other numbers);
 *   tag 2  a Record of type n, then its fields in declaration order;
 *   tag 3  a List of n elements;  tag 4/5  a Map / Set of n entries, sorted;
 *   tag 6/7  an OrderedMap / OrderedSet of n entries, in order.
 * Atom and type numbers come from a `Numbering` (numbering.ts).
 */
export const T_INT = 0;
export const T_ATOM = 1;
export const T_RECORD = 2;
export const T_LIST = 3;
export const T_MAP = 4;
export const T_SET = 5;
export const T_OMAP = 6;
export const T_OSET = 7;
/** The largest integer written as itself (tag 0); others are atoms. */
export const MAX_INT = 0x0fffffff;

/** Values that carry their own bytes (decoded ones, see decoder.ts) and prototypes that carry marks. */
export type Tagged = { [key: symbol]: unknown };

/** Node's native latin1 view of a byte range: the cache key of an encoded value. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
}

export function sameLatin1(key: string, src: Buffer, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== src[start + i]) return false;
  return true;
}

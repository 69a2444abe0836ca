/**
 * A large array of pairs given to `matchMany`/`decideMany` as JSON texts of consecutive chunks
 * instead of one text: one text of 100,000 noisy pairs (≈38 MB) grew the WebAssembly heap to 153 MB
 * for good (wasm-bindgen reserves three bytes per character of a string's rest after its first
 * non-ASCII one, then the reports' codes) and made the call ≈20 % slower per pair than calls of 1,000;
 * in chunks the heap stays at a few MB.
 *
 * Nothing a caller can see changes: every chunk is serialized (`JSON.stringify`) before the first is
 * decided, so a value JSON cannot hold fails the call before any pair is read, as with one text; the
 * chunks are decided in order and the first pair that cannot be read fails the call, as in one text
 * (the module's errors name a path inside the pair, never its index). `JSON.stringify` of a chunk
 * writes each pair as `JSON.stringify` of the whole array does, except that a `toJSON` method is
 * given the pair's index in its chunk: an array with a `toJSON` anywhere (on itself, inherited, or on
 * a pair) is written as one text, as before.
 */

/** Pairs per chunk: as fast per pair as any size from 100 to 5,000 (noisy pairs, 377 B of JSON each). */
export const CHUNK_PAIRS = 1000;

/**
 * The chunks of `pairs` (each element read once, in order), or `undefined` when it is to be written
 * as one text: not an array, no more than one chunk, or a `toJSON` that would see another key.
 */
export function chunks(pairs: unknown): unknown[][] | undefined {
  if (!Array.isArray(pairs) || hasToJson(pairs)) return undefined;
  const length = pairs.length;
  if (length <= CHUNK_PAIRS) return undefined;
  const out: unknown[][] = [];
  for (let start = 0; start < length; start += CHUNK_PAIRS) {
    const chunk = new Array<unknown>(Math.min(CHUNK_PAIRS, length - start));
    for (let i = 0; i < chunk.length; i++) {
      const pair: unknown = pairs[start + i];
      if (hasToJson(pair)) return undefined;
      chunk[i] = pair;
    }
    out.push(chunk);
  }
  return out;
}

/** Whether `JSON.stringify` would call a `toJSON` of `value` (objects and BigInts only). */
function hasToJson(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "bigint" && typeof value !== "function")) return false;
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

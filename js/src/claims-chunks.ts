/**
 * The JSON text of a large array of pairs cut, between elements, into the texts of consecutive
 * chunks for `matchMany`/`decideMany`: one text of 100,000 noisy pairs (≈38 MB) given to the module
 * grew its heap to 153 MB for good (wasm-bindgen reserves three bytes per character of a string after
 * its first non-ASCII one, then the reports' codes); in chunks it stays at a few MB.
 *
 * The array is written by one `JSON.stringify`, as before (every getter, `toJSON` and Proxy trap runs
 * once, in the order and with the keys it always did); only its text is cut. The chunks are decided in
 * order; when one fails, the caller decides the whole text instead, so that the error is the one the
 * whole text gives (its position counts from the start of the whole text).
 */

/** Pairs per chunk: as fast per pair as any size from 100 to 5,000 (noisy pairs, 377 B of JSON each). */
export const CHUNK_PAIRS = 1000;

/**
 * Texts up to this many characters (≈11,000 noisy pairs) go whole: finding the cuts costs ≈0.7 µs per
 * pair (3–5 % of `matchMany`), paid only where one text would grow the heap by more than ≈12 MB.
 */
export const CUT_CHARS = 1 << 22;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * The texts of `text`'s chunks of {@link CHUNK_PAIRS} elements, each a JSON array; `[text]` when it
 * has no more than one chunk or no more than `cutChars` characters. `text` is `JSON.stringify` output of an array: no whitespace, every
 * string's quotes and backslashes escaped.
 */
export function cutArray(text: string, cutChars = CUT_CHARS): string[] {
  if (text.length <= cutChars || text.charCodeAt(0) !== OPEN_BRACKET) return [text];
  const chunks: string[] = [];
  let depth = 0;
  let elements = 0;
  let start = 1;
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      at = stringEnd(text, at);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA && depth === 1 && ++elements === CHUNK_PAIRS) {
      chunks.push(`[${text.slice(start, at)}]`);
      start = at + 1;
      elements = 0;
    }
  }
  if (chunks.length === 0) return [text];
  chunks.push(`[${text.slice(start)}`);
  return chunks;
}

/** The index of the quote that closes the string opened at `open` (an escaped quote does not). */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

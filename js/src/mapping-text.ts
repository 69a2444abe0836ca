/**
 * An attribute mapping as JSON text for the core, read exactly as the core read mapping objects when
 * they crossed the boundary as JS values (serde_wasm_bindgen into a JSON tree), so that every input
 * keeps its result: `undefined` and `null` are `null` (a field set to `undefined` is still an invalid
 * source), a function, a symbol, bytes or an iterable other than a `Map` is a `ConversionError`, a
 * `Map` reads as an object, a `BigInt` as an integer, `NaN` as `null`, only own enumerable properties
 * count, and a lone UTF-16 surrogate becomes U+FFFD. `toJSON` is not called (unlike `JSON.stringify`).
 * A cycle or a nesting too deep to walk is a `ConversionError` as well (it was a `RangeError` the SDK
 * reported as `INTERNAL`). Why this is not `toJsonText`: docs/architecture.md, "Values into the core".
 */
import { makeError } from "./errors.js";

/** The JSON text of a mapping, or `undefined` for "no mapping" (`undefined` or `null`: the defaults). */
export function mappingText(mapping: unknown): string | undefined {
  if (mapping == null) return undefined;
  try {
    return valueText(mapping, new Set());
  } catch (cause) {
    // The call stack ran out (nesting too deep): the same failure as a cycle.
    if (cause instanceof RangeError) throw unconvertible(cause);
    throw cause;
  }
}

/** The smallest and largest integers a `BigInt` may hold (i64 and u64 bounds). */
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 64n - 1n;

/** Lone UTF-16 surrogates (a paired one is one astral code point in a `u` pattern). */
const LONE_SURROGATE = /\p{Cs}/gu;

/** `ancestors`: the objects being written around `value` (one seen again is a cycle). */
function valueText(value: unknown, ancestors: Set<object>): string {
  if (value === undefined || value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      if (value < BIGINT_MIN || value > BIGINT_MAX) throw unconvertible();
      return value.toString();
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "string":
      return stringText(value);
    case "object":
      if (ancestors.has(value)) throw unconvertible();
      ancestors.add(value);
      try {
        return objectText(value, ancestors);
      } finally {
        ancestors.delete(value);
      }
    default:
      throw unconvertible(); // a function or a symbol
  }
}

function objectText(value: object, ancestors: Set<object>): string {
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(valueText(value[i], ancestors));
    return `[${items.join(",")}]`;
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) throw unconvertible();
  let entries: Iterable<unknown[]>;
  if (value instanceof Map) entries = value;
  else if (Symbol.iterator in value) throw unconvertible();
  else entries = Object.entries(value);
  const members: string[] = [];
  for (const [key, item] of entries) {
    if (typeof key !== "string") throw unconvertible();
    members.push(`${stringText(key)}:${valueText(item, ancestors)}`);
  }
  return `{${members.join(",")}}`;
}

function stringText(value: string): string {
  return JSON.stringify(value.replace(LONE_SURROGATE, "\uFFFD"));
}

function unconvertible(cause?: unknown): Error {
  return makeError("CONVERSION_FAILED", "conversion failed: mapping could not be converted", cause === undefined ? {} : { cause });
}

/**
 * Serialize-or-`ConversionError`: the one place where a caller's value becomes JSON text for the core.
 * Runtime-neutral (no Node import): the SDK's own modules use it in every runtime.
 */
import { makeError } from "../errors.js";

/**
 * `JSON.stringify(value)` for the core. A value JSON cannot hold (a BigInt, a cycle, a throwing `toJSON`)
 * is a `ConversionError` (`CONVERSION_FAILED`) naming `what`; a value that serializes to nothing (`undefined`,
 * a function, a symbol) is an `InvalidInputError` (`INVALID_PROFILE`) with the message `nothing`.
 * Neither message repeats the value (it may hold profile data); the original error is the `cause`.
 *
 * @param what - what the value is, for the message: "the ${what} could not be serialized as JSON"
 * @param nothing - the whole message when the value serializes to nothing
 */
export function toJsonText(value: unknown, what: string, nothing: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw makeError("CONVERSION_FAILED", `the ${what} could not be serialized as JSON (BigInt or a cycle?)`, { cause });
  }
  if (text === undefined) throw makeError("INVALID_PROFILE", nothing);
  return text;
}

/**
 * The `USER_NOT_FOUND` a lookup throws for a miss, built without capturing a stack trace: capturing
 * one costs several times the lookup itself in V8 (docs/decisions/lookup-misses.md). It is a fresh,
 * ordinary `LookupError` (its own object, `instanceof`, `code`, writable like any other) whose `stack`
 * holds only its name and message.
 */
import { LookupError } from "./errors.js";

/** The message of a lookup that found nobody (never the hint). */
const MESSAGE = "no directory user matches the login hint";

/** A new `LookupError` `USER_NOT_FOUND` with no stack frames (V8), or the engine's usual stack elsewhere. */
export function lookupMiss(): LookupError {
  const limit: unknown = Error.stackTraceLimit;
  if (typeof limit !== "number") return new LookupError("USER_NOT_FOUND", MESSAGE);
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return new LookupError("USER_NOT_FOUND", MESSAGE); // frozen intrinsics (e.g. a hardened realm)
  }
  try {
    return new LookupError("USER_NOT_FOUND", MESSAGE);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

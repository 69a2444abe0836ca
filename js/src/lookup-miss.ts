/**
 * The `USER_NOT_FOUND` a lookup throws for a miss, built without capturing a stack trace: capturing
 * one costs several times the lookup itself in V8 (docs/decisions/lookup-fast-paths.md). It is a fresh,
 * ordinary `LookupError` (its own object, `instanceof`, `code`, writable like any other) whose `stack`
 * holds only its name and message.
 */
import { LookupError } from "./errors.js";

/** The message of a lookup that found nobody (never the hint). */
const MESSAGE = "no directory user matches the login hint";

/** What V8 writes as the `stack` of an error with no frames: its name and message. */
const STACK = `LookupError: ${MESSAGE}`;

/** A new `LookupError` `USER_NOT_FOUND` with no stack frames (V8), or the engine's usual stack elsewhere. */
export function lookupMiss(): LookupError {
  // V8's property (not in every `lib`: the dashboard's TypeScript has no Node types).
  const tunable = Error as { stackTraceLimit?: unknown };
  const limit = tunable.stackTraceLimit;
  if (typeof limit !== "number") return new LookupError("USER_NOT_FOUND", MESSAGE);
  try {
    // Not a number: V8 captures nothing at all (with 0 it still records an empty trace: 0.45 against
    // 0.31 µs of CPU per error in Node 20). The error then gets the text a frameless capture writes.
    tunable.stackTraceLimit = undefined;
  } catch {
    return new LookupError("USER_NOT_FOUND", MESSAGE); // frozen intrinsics (e.g. a hardened realm)
  }
  let error: LookupError;
  try {
    // The native `Error` constructor with `LookupError.prototype`: the same object the class
    // constructors build (a test compares own properties and attributes), without running their
    // generic option handling (0.10 µs of the 0.35 µs this build costs; docs/decisions/lookup-fast-paths.md).
    error = Reflect.construct(Error, [MESSAGE], LookupError) as LookupError;
  } finally {
    tunable.stackTraceLimit = limit;
  }
  // In the order the class constructors add them (class fields `code`, `status`, then `name`).
  const fields = error as { name: string; code: string; status: number | undefined; stack?: string };
  fields.code = "USER_NOT_FOUND";
  fields.status = undefined;
  fields.name = "LookupError";
  fields.stack = STACK;
  return error;
}

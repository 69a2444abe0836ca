/** Profile normalization and facts about the loaded core: the wasm calls every entry shares. */
import * as wasm from "../wasm/okta_directory.js";
import type { AttributeMappingInput, NormalizedUser } from "../wasm/okta_directory.js";
import { guard } from "./errors.js";
import { toJsonText } from "./app/json-text.js";
import { mappingText } from "./mapping-text.js";
import { ensureReady } from "./state.js";

/** Options of {@link normalizeUser}. */
export interface NormalizeUserOptions {
  /** Where each canonical field comes from (defaults: Okta base attributes). */
  mapping?: AttributeMappingInput;
  /** Also report a `MISSING` issue for each mapped field without a value (default: absent values are not issues). */
  reportMissing?: boolean;
}

/** Whether the second argument is {@link NormalizeUserOptions} rather than a bare mapping (no mapping key is `mapping`/`reportMissing`). */
function isOptions(value: NormalizeUserOptions | AttributeMappingInput): value is NormalizeUserOptions {
  return "mapping" in value || "reportMissing" in value;
}

/**
 * Normalizes one Okta user — a whole user object (`{id, status, profile, …}`) or a bare profile —
 * into a canonical `DirectoryUser`, with the source of each field and a list of field issues. Absent
 * values are omitted from the user (no empty `address`/`phones`) and are not issues unless
 * `reportMissing` is set.
 *
 * @param input - the user as parsed JSON, or JSON text
 * @param options - `{ mapping, reportMissing }`, or a bare attribute mapping
 * @throws {InvalidInputError} when the input is not a JSON object or not JSON at all
 * @throws {InvalidMappingError} when the mapping is malformed
 */
export function normalizeUser(input: unknown, options?: NormalizeUserOptions | AttributeMappingInput): NormalizedUser {
  ensureReady();
  const o: NormalizeUserOptions = options == null ? {} : isOptions(options) ? options : { mapping: options };
  const text = guard(() => wasm.normalizeUserJson(typeof input === "string" ? input : toJson(input), mappingText(o.mapping)));
  // The core writes the report as JSON text (absent values omitted): one string across the boundary.
  const result = JSON.parse(text) as NormalizedUser;
  if (o.reportMissing !== true) result.issues = result.issues.filter((i) => i.code !== "MISSING");
  return result;
}

/**
 * Serializes an object input for the core. JSON text crosses into wasm in one copy, which is faster
 * than walking the object property by property (see BENCHMARKS.md). Values JSON cannot hold (BigInt,
 * cycles) are a `CONVERSION_FAILED` error; `undefined`, functions and symbols are dropped as JSON does.
 */
function toJson(input: unknown): string {
  return toJsonText(input, "input", "invalid Okta user input at `$`: expected a JSON object");
}

/**
 * Checks an attribute mapping without normalizing anything.
 *
 * @throws {InvalidMappingError} naming the offending path
 */
export function validateMapping(mapping: AttributeMappingInput): void {
  ensureReady();
  guard(() => wasm.validateMapping(mappingText(mapping)));
}

/** The error codes the loaded core can produce (equal to `CORE_ERROR_CODES`). */
export function coreErrorCodes(): string[] {
  ensureReady();
  return guard(() => wasm.errorCodes());
}

/** The version of the Rust core inside the loaded module. */
export function coreVersion(): string {
  ensureReady();
  return guard(() => wasm.coreVersion());
}

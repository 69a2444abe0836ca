/**
 * Claims matching: compare identity claims verified from a government ID with a directory record,
 * under a policy (ours, and/or an Okta claims request as Okta sends it to verification vendors).
 */
import * as wasm from "../wasm/okta_directory.js";
import type {
  Decision,
  DirectoryUser,
  MatchReport,
  PolicyDocument,
  PolicyWarning,
  VerifiedClaimsInput,
  VerifiedClaimsResponse,
} from "../wasm/okta_directory.js";
import { cutArray } from "./claims-chunks.js";
import { decodeReports, type ReportNames } from "./claims-codes.js";
import { guard, makeError } from "./errors.js";
import { matchClaimsArgs } from "./claims-args.js";
import type { DirectoryRecord } from "./records.js";
import { toJsonText } from "./app/json-text.js";
import { ensureReady } from "./state.js";

/** Options for a {@link ClaimsMatcher}. */
export interface ClaimsMatcherOptions {
  /** Our policy document; the documented default policy when absent. */
  policy?: PolicyDocument | null;
  /**
   * An Okta claims request (the PAR `claims` parameter, as an object or JSON text), merged over the
   * policy: it tightens the policy (the claims it asks for become required; an exact request makes
   * the comparison exact). The values in it are ignored and the directory record's are compared,
   * unless `oktaValues` is `"compare"`.
   */
  oktaClaims?: unknown;
  /**
   * `"ignore"` (default): the request's values are never compared. `"compare"`: they stand in for
   * the record's — only for a verification vendor answering Okta's own PAR after authenticating
   * Okta's client, never on a path that records a decision (the caller would choose the record).
   */
  oktaValues?: "ignore" | "compare";
  /**
   * Directory-aware weights: the loaded directory (a `Directory`, or anything with its
   * `frequencyTable()`) whose name and birthdate frequencies adjust agreement weights — a rare
   * surname weighs more than "Smith" (see docs/claims-frequencies.md). Without it: built-in priors.
   */
  directory?: FrequencySource | null;
  /** The same as `directory`, given as the encoded table itself (`Directory.frequencyTable()`). */
  frequencies?: Uint8Array | null;
}

/** Where a matcher finds a directory's frequency table (a `Directory` is one). */
export interface FrequencySource {
  /** The encoded table; `undefined` when the directory has none (a version-1 snapshot). */
  frequencyTable(): Uint8Array | undefined;
}

/** One verified-claims / directory-record pair. */
export interface ClaimsPair {
  /** Verified claims (OIDC names). */
  verified: VerifiedClaimsInput;
  /** An Okta user object or a bare Okta profile. */
  directory: DirectoryRecord;
}

function json(value: unknown, what: string): string {
  if (typeof value === "string") return wellFormed(value);
  return toJsonText(value, what, `invalid input at \`$\`: the ${what} must be a JSON object`);
}

/**
 * JSON text given by the caller, refused (`INVALID_JSON`) when it holds a lone UTF-16 surrogate: passed
 * to the module it would arrive as U+FFFD (a name one letter off), while the same value given as an
 * object is written as a `\ud800` escape, which is not JSON the module reads. One reading either way.
 * (`JSON.stringify`'s own text never holds one: it escapes them.)
 */
function wellFormed(text: string): string {
  const check = (text as { isWellFormed?: () => boolean }).isWellFormed;
  const ok = check === undefined ? !LONE_SURROGATE.test(text) : check.call(text);
  if (!ok) throw makeError("INVALID_JSON", "input is not valid JSON (a lone UTF-16 surrogate)");
  return text;
}

/** A lone surrogate, for runtimes without `String.prototype.isWellFormed`. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The text of the whole array back from its chunks (each `[…]`). */
function wholeText(texts: string[]): string {
  return `[${texts.map((text) => text.slice(1, -1)).join(",")}]`;
}

/**
 * A report from its codes (the module returns reports as compact codes: one array across the
 * boundary, no JSON text written and parsed); the objects `JSON.parse` of the report's JSON text
 * gives, `explanation.guard` `undefined` when there is none.
 */
function report(codes: Uint8Array): MatchReport {
  const [one] = decodeReports(codes, reportNames());
  if (one === undefined) throw makeError("CONVERSION_FAILED", "no match report");
  return one;
}

let names: ReportNames | undefined;

/** The name tables of the report codes, read from the module once. */
function reportNames(): ReportNames {
  names ??= JSON.parse(wasm.reportNamesJson()) as ReportNames;
  return names;
}

/**
 * A policy prepared once for many comparisons. Call `free()` (or use `using`) when done to release
 * its WebAssembly memory early.
 */
export class ClaimsMatcher {
  readonly #inner: wasm.ClaimsMatcher;

  /** @throws InvalidPolicyError when the policy or the Okta request is malformed (the message names the path) */
  constructor(options: ClaimsMatcherOptions = {}) {
    ensureReady();
    const policy = options.policy == null ? undefined : json(options.policy, "policy");
    const okta = options.oktaClaims == null ? undefined : json(options.oktaClaims, "Okta claims request");
    if (options.oktaValues !== undefined && options.oktaValues !== "ignore" && options.oktaValues !== "compare") {
      throw makeError("INVALID_OKTA_CLAIMS", 'oktaValues must be "ignore" or "compare"');
    }
    const compare = options.oktaValues === "compare";
    const table = options.frequencies ?? options.directory?.frequencyTable() ?? undefined;
    this.#inner = guard(() => new wasm.ClaimsMatcher(policy, okta, compare, table));
  }

  /**
   * The policy's strength warnings (`POLICY_WEAK`): its deciding claims cannot tell people apart — one claim
   * (`{"claims": {"birthdate": {}}}` matches anyone born that day) or no name claim. Empty for the default policy.
   */
  get warnings(): PolicyWarning[] {
    return JSON.parse(guard(() => this.#inner.warningsJson())) as PolicyWarning[];
  }

  /** Compares verified claims with a directory record (an Okta user object or a bare profile) and decides. */
  match(verified: VerifiedClaimsInput, directory: DirectoryRecord | string): MatchReport {
    const v = json(verified, "verified claims");
    const d = json(directory, "directory record");
    return report(guard(() => this.#inner.matchCodes(v, d)));
  }

  /**
   * Compares verified claims with a record that is already a `DirectoryUser` (from a directory lookup
   * or `normalizeUser(...).user`); the policy's `source` paths are not applied again.
   *
   * Objects are passed as JSON text, which cannot repeat a key. Given as JSON text themselves (any
   * method of this class), a key that appears twice counts with its last value, as `JSON.parse`
   * reads it: what a caller checks with `JSON.parse` is what is decided (no two readings of one text).
   */
  matchUser(verified: VerifiedClaimsInput, user: DirectoryUser): MatchReport {
    const v = json(verified, "verified claims");
    const u = json(user, "directory user");
    return report(guard(() => this.#inner.matchUserCodes(v, u)));
  }

  /**
   * Matches many pairs in one call across the JS/wasm boundary; one report per pair, in order.
   * `pairs` is an array of pairs or the JSON text of one (text skips a `JSON.stringify`).
   *
   * @throws {InvalidInputError} (`INVALID_PROFILE`, `INVALID_JSON`) when a pair cannot be read (no report is returned)
   */
  matchMany(pairs: readonly ClaimsPair[] | string): MatchReport[] {
    // The reports come as compact codes, not JSON text: the same objects, without writing, decoding
    // and parsing ≈1.3 KB of text per pair. A large array goes in chunks (see claims-chunks.ts).
    const texts = this.#texts(pairs);
    const reports: MatchReport[] = [];
    this.#each(texts, (text) => decodeReports(this.#inner.matchManyCodes(text), reportNames(), reports));
    return reports;
  }

  /**
   * The JSON texts to decide, in order: `pairs` itself when it is text, else the text of the array
   * (one `JSON.stringify`) cut into chunks between its elements.
   */
  #texts(pairs: readonly ClaimsPair[] | string): string[] {
    return typeof pairs === "string" ? [wellFormed(pairs)] : cutArray(json(pairs, "pairs"));
  }

  /**
   * Runs `decide` on each chunk in order; when one fails, the whole text is decided instead so that
   * the error is the one the whole text gives (its position counted from the whole text's start).
   */
  #each(texts: string[], decide: (text: string) => void): void {
    guard(() => {
      try {
        for (const text of texts) decide(text);
      } catch (error) {
        if (texts.length === 1) throw error;
        decide(wholeText(texts));
        throw error;
      }
    });
  }

  /**
   * Decides many pairs in one call without building reports: one code per pair, in order — 0
   * `match`, 1 `no_match`, 2 `review` (see {@link DECISION_CODES}). The same decisions as
   * {@link matchMany}, several times cheaper when only the decisions are needed (no report is
   * written in WebAssembly or parsed in JS). `pairs` is an array of pairs or the JSON text of one.
   *
   * @throws {InvalidInputError} (`INVALID_PROFILE`, `INVALID_JSON`) when a pair cannot be read (no decision is returned)
   */
  decideMany(pairs: readonly ClaimsPair[] | string): Uint8Array {
    const texts = this.#texts(pairs);
    if (texts.length === 1) return guard(() => this.#inner.decideManyJson(texts[0] as string));
    const parts: Uint8Array[] = [];
    this.#each(texts, (text) => parts.push(this.#inner.decideManyJson(text)));
    const codes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      codes.set(part, at);
      at += part.length;
    }
    return codes;
  }

  /**
   * Decides and writes the decision as a `verified_claims` response, as a verification vendor returns
   * it: `style: "okta"` (Okta's IDV profile: every requested claim, failures as `null`, `fuzzy`
   * echoed, `redactMatched` writes `"MATCHED"` instead of the value) or `"oidc4ida"` (matched claims only).
   */
  respond(
    verified: VerifiedClaimsInput,
    directory: DirectoryRecord | string,
    options: { style?: "okta" | "oidc4ida"; redactMatched?: boolean; time?: string } = {},
  ): VerifiedClaimsResponse {
    const v = json(verified, "verified claims");
    const d = json(directory, "directory record");
    const text = guard(() => this.#inner.respondJson(v, d, options.style ?? "okta", options.redactMatched ?? false, options.time));
    return JSON.parse(text) as VerifiedClaimsResponse;
  }

  /**
   * Reads many pairs once into WebAssembly memory, both sides prepared (names parsed and folded,
   * addresses normalized, dates and phone numbers parsed), so that {@link LoadedClaimsPairs.decide}
   * is comparison only. `pairs` is an array of pairs, or JSON text: a JSON array of pairs or JSON
   * Lines with one pair per line. Free the result (or use `using`) when done.
   *
   * @throws {InvalidInputError} (`INVALID_PROFILE`, `INVALID_JSON`) when a pair cannot be read (nothing is loaded)
   */
  loadPairs(pairs: readonly ClaimsPair[] | string): LoadedClaimsPairs {
    const text = json(pairs, "pairs");
    return new LoadedClaimsPairs(guard(() => this.#inner.loadPairs(text)));
  }

  /** One JSON Lines line in, one line out (the CLI `match` format); never throws for a bad line. */
  matchLine(line: string): string {
    return guard(() => this.#inner.matchLine(line));
  }

  /** Releases the WebAssembly memory now instead of at garbage collection. */
  free(): void {
    this.#inner.free();
  }

  /** `using matcher = new ClaimsMatcher(…)` frees it at the end of the scope. */
  [Symbol.dispose](): void {
    this.free();
  }
}

/** The decisions in the order of {@link LoadedClaimsPairs.decide}'s codes: `DECISION_CODES[code]`. */
export const DECISION_CODES: readonly Decision[] = ["match", "no_match", "review"];

/**
 * Pairs loaded by {@link ClaimsMatcher.loadPairs}: prepared once inside WebAssembly, decided in one
 * call. Keeps its own copy of the matcher's policy.
 */
export class LoadedClaimsPairs {
  readonly #inner: wasm.LoadedPairs;

  /** @internal use {@link ClaimsMatcher.loadPairs} */
  constructor(inner: wasm.LoadedPairs) {
    this.#inner = inner;
  }

  /** The number of pairs loaded. */
  get length(): number {
    return this.#inner.length;
  }

  /**
   * Decides every pair: one code per pair, in order — 0 `match`, 1 `no_match`, 2 `review`
   * (see {@link DECISION_CODES}). No report is built; ask {@link report} for the pairs you need.
   */
  decide(): Uint8Array {
    return guard(() => this.#inner.decide());
  }

  /** Every pair's decision as text, in order. */
  decisions(): Decision[] {
    return Array.from(this.decide(), (code) => DECISION_CODES[code] ?? "no_match");
  }

  /** The full report of the pair at `index` (the same comparisons as {@link decide}). */
  report(index: number): MatchReport {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw makeError("INVALID_PROFILE", "invalid input at `index`: expected the index of a loaded pair");
    }
    return report(guard(() => this.#inner.reportCodes(index)));
  }

  /** Releases the WebAssembly memory now instead of at garbage collection. */
  free(): void {
    this.#inner.free();
  }

  /** `using loaded = matcher.loadPairs(…)` frees it at the end of the scope. */
  [Symbol.dispose](): void {
    this.free();
  }
}

/** Options of {@link matchClaims}. */
export interface MatchClaimsOptions {
  /** Our policy document; the documented default policy when absent or `null`. */
  policy?: PolicyDocument | null;
  /** An Okta claims request merged over the policy (see {@link ClaimsMatcherOptions.oktaClaims}). */
  oktaClaims?: unknown;
  /** The loaded directory whose frequencies weigh the claims (see {@link ClaimsMatcherOptions.directory}). */
  directory?: FrequencySource | null;
}

/**
 * Compares verified claims with a directory record under a policy, once. For many comparisons,
 * build a {@link ClaimsMatcher} and reuse it.
 *
 * The old order `matchClaims(policy, verified, record, options?)` still works for this release and
 * emits a one-time `DeprecationWarning` (code `OKTA_DIRECTORY_DEP_MATCH_CLAIMS_ORDER`).
 *
 * @param verified - verified claims with OIDC names
 * @param record - an Okta user object or a bare Okta profile
 * @param options - `policy` (default policy when absent), `oktaClaims`
 * @throws {InvalidPolicyError} when the policy or the Okta request is malformed
 * @throws {InvalidInputError} when the claims or the record are not JSON objects
 */
export function matchClaims(verified: VerifiedClaimsInput, record: DirectoryRecord, options?: MatchClaimsOptions): MatchReport;
/** @deprecated the old argument order: use `matchClaims(verified, record, { policy })`. */
export function matchClaims(
  policy: PolicyDocument | null | undefined,
  verified: VerifiedClaimsInput,
  record: DirectoryRecord,
  options?: { oktaClaims?: unknown },
): MatchReport;
export function matchClaims(...args: unknown[]): MatchReport {
  const { verified, record, options } = matchClaimsArgs(args);
  const matcher = new ClaimsMatcher({
    policy: options.policy ?? null,
    oktaClaims: options.oktaClaims,
    directory: options.directory ?? null,
  });
  try {
    return matcher.match(verified, record);
  } finally {
    matcher.free();
  }
}

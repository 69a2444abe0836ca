/**
 * The reports of `matchMany` read from the module's compact codes (`matchManyCodes`, see
 * src/claims/report_codes.rs): the same objects `JSON.parse` of their JSON text gives, without the
 * ≈1.3 KB of text per pair written in WebAssembly, decoded and parsed.
 *
 * Written for speed (it runs once per report value): one module-level cursor instead of a cursor
 * object, numbers read through one `DataView`, and every object built by one literal of a fixed key
 * order, so each kind of object has one shape and the reads stay monomorphic.
 */
import type { MatchReport } from "../wasm/okta_directory.js";
import { makeError } from "./errors.js";

/** The names the codes index, each list in code order (the module's `reportNamesJson()`). */
export interface ReportNames {
  decisions: string[];
  guards: string[];
  points: string[];
  kinds: string[];
  parts: string[];
  outcomes: string[];
  reasons: string[];
  levels: string[];
}

/** One claim's (or address part's) result, as `JSON.parse` builds it. */
interface ResultObject {
  outcome: string;
  score: number | null;
  reasons: string[];
  parts?: Record<string, ResultObject>;
}

/** One explanation entry, as `JSON.parse` builds it. */
interface WeighedObject {
  level: string;
  weight: number | null;
  frequency?: number | null;
}

const EMPTY = new Uint8Array(0);

// The cursor of the decoding under way (decoding is synchronous and calls nothing outside this
// module, so one cursor serves every call; it lets go of the codes when done).
let bytes: Uint8Array = EMPTY;
let view: DataView = new DataView(EMPTY.buffer);
let at = 0;
let end = 0;

function early(): never {
  throw makeError("CONVERSION_FAILED", "match report codes end early");
}

function byte(): number {
  if (at >= end) early();
  return bytes[at++] as number;
}

/** An f64; JSON's `null` when not finite, as the report's text writes it. */
function number(): number | null {
  if (at + 8 > end) early();
  const value = view.getFloat64(at, true);
  at += 8;
  return Number.isFinite(value) ? value : null;
}

function name(list: readonly string[], code: number): string {
  if (code >= list.length) throw makeError("CONVERSION_FAILED", "unknown code in a match report");
  return list[code] as string;
}

/**
 * A result's reason names. Most lists hold none or one: built by a literal, they take the room of
 * their items (a `push` onto `[]` makes room for 17).
 */
function reasonList(names: ReportNames): string[] {
  const count = byte();
  if (count === 0) return [];
  const first = name(names.reasons, byte());
  if (count === 1) return [first];
  const reasons = [first];
  for (let i = 1; i < count; i++) reasons.push(name(names.reasons, byte()));
  return reasons;
}

/** An address part's result (parts have no parts). */
function partResult(names: ReportNames): ResultObject {
  const outcome = name(names.outcomes, byte());
  const score = number();
  const reasons = reasonList(names);
  return { outcome, score, reasons };
}

/** A claim's result, with its parts when the codes carry them. */
function claimResult(names: ReportNames): ResultObject {
  const outcome = name(names.outcomes, byte());
  const score = number();
  const reasons = reasonList(names);
  const parts = byte();
  if (parts === 0) return { outcome, score, reasons };
  const byPart: Record<string, ResultObject> = {};
  for (let p = parts - 1; p > 0; p--) {
    const part = name(names.parts, byte());
    byPart[part] = partResult(names);
  }
  return { outcome, score, reasons, parts: byPart };
}

function weighedEntry(names: ReportNames): WeighedObject {
  const level = name(names.levels, byte());
  const weight = number();
  if (byte() !== 1) return { level, weight };
  const frequency = number();
  return { level, weight, frequency };
}

function report(names: ReportNames): MatchReport {
  const decision = name(names.decisions, byte());
  const guardCode = byte();
  const operatingPoint = name(names.points, byte());
  const total = number();
  const threshold = number();
  const claims: Record<string, ResultObject> = {};
  for (let n = byte(); n > 0; n--) {
    const kind = name(names.kinds, byte());
    claims[kind] = claimResult(names);
  }
  const weighed: Record<string, WeighedObject> = {};
  for (let n = byte(); n > 0; n--) {
    const kind = name(names.kinds, byte());
    weighed[kind] = weighedEntry(names);
  }
  const guard = guardCode === 0 ? undefined : name(names.guards, guardCode - 1);
  const explanation = { claims: weighed, total, operating_point: operatingPoint, threshold, guard };
  return { decision, claims, explanation } as unknown as MatchReport;
}

/**
 * Every report of a `matchManyCodes` answer, in order (`explanation.guard` `undefined` when none),
 * appended to `reports` when given (the answers of consecutive chunks into one array).
 */
export function decodeReports(codes: Uint8Array, names: ReportNames, reports: MatchReport[] = []): MatchReport[] {
  bytes = codes;
  view = new DataView(codes.buffer, codes.byteOffset, codes.byteLength);
  at = 0;
  end = codes.length;
  try {
    while (at < end) reports.push(report(names));
    return reports;
  } finally {
    bytes = EMPTY;
    view = new DataView(EMPTY.buffer);
  }
}

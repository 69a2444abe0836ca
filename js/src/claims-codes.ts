/**
 * The reports of `matchMany` read from the module's compact codes (`matchManyCodes`, see
 * src/claims/report_codes.rs): the same objects `JSON.parse` of their JSON text gives, without the
 * ≈1.3 KB of text per pair written in WebAssembly, decoded and parsed.
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

/** A cursor over the codes. */
class Codes {
  at = 0;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.#bytes.length;
  }

  byte(): number {
    const b = this.#bytes[this.at++];
    if (b === undefined) throw makeError("CONVERSION_FAILED", "match report codes end early");
    return b;
  }

  /** An f64; JSON's `null` when not finite, as the report's text writes it. */
  number(): number | null {
    if (this.at + 8 > this.#bytes.length) throw makeError("CONVERSION_FAILED", "match report codes end early");
    const value = this.#view.getFloat64(this.at, true);
    this.at += 8;
    return Number.isFinite(value) ? value : null;
  }
}

function name(list: string[], code: number): string {
  const n = list[code];
  if (n === undefined) throw makeError("CONVERSION_FAILED", "unknown code in a match report");
  return n;
}

function result(codes: Codes, names: ReportNames): ResultObject {
  const outcome = name(names.outcomes, codes.byte());
  const score = codes.number();
  const count = codes.byte();
  const reasons: string[] = [];
  for (let i = 0; i < count; i++) reasons.push(name(names.reasons, codes.byte()));
  return { outcome, score, reasons };
}

function report(codes: Codes, names: ReportNames): MatchReport {
  const decision = name(names.decisions, codes.byte());
  const guardCode = codes.byte();
  const operatingPoint = name(names.points, codes.byte());
  const total = codes.number();
  const threshold = codes.number();
  const claims: Record<string, ResultObject> = {};
  for (let n = codes.byte(); n > 0; n--) {
    const kind = name(names.kinds, codes.byte());
    const claim = result(codes, names);
    const parts = codes.byte();
    if (parts > 0) {
      const byPart: Record<string, ResultObject> = {};
      for (let p = parts - 1; p > 0; p--) {
        const part = name(names.parts, codes.byte());
        byPart[part] = result(codes, names);
      }
      claim.parts = byPart;
    }
    claims[kind] = claim;
  }
  const weighed: Record<string, { level: string; weight: number | null; frequency?: number | null }> = {};
  for (let n = codes.byte(); n > 0; n--) {
    const kind = name(names.kinds, codes.byte());
    const level = name(names.levels, codes.byte());
    const weight = codes.number();
    weighed[kind] = codes.byte() === 1 ? { level, weight, frequency: codes.number() } : { level, weight };
  }
  const guard = guardCode === 0 ? undefined : name(names.guards, guardCode - 1);
  const explanation = { claims: weighed, total, operating_point: operatingPoint, threshold, guard };
  return { decision, claims, explanation } as unknown as MatchReport;
}

/** Every report of a `matchManyCodes` answer, in order (`explanation.guard` `undefined` when none). */
export function decodeReports(bytes: Uint8Array, names: ReportNames): MatchReport[] {
  const codes = new Codes(bytes);
  const reports: MatchReport[] = [];
  while (!codes.done) reports.push(report(codes, names));
  return reports;
}

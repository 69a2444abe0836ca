/**
 * The SDK reads reports from the module's compact codes (js/src/claims-codes.ts): the same objects
 * `JSON.parse` of each report's JSON text gives — here against the JSON text `matchLine` writes (the
 * CLI's), over generated pairs, every policy form and a directory's frequencies.
 */
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { decodeReports, type ReportNames } from "../src/claims-codes.js";
import { generateDirectory } from "../src/emulator/generator.js";
import {
  ClaimsMatcher,
  ConversionError,
  Directory,
  type ClaimsMatcherOptions,
  type ClaimsPair,
  type DirectoryUser,
  type MatchReport,
} from "../src/node.js";
import { reportNamesJson } from "../wasm/okta_directory.js";

const generated = generateDirectory({ users: 300, seed: 11, missingShare: 0.25 }).users;

/** Verified claims read off a profile, with the variations an ID shows (case, typos, other dates, addresses, phones). */
function verifiedFrom(profile: Record<string, unknown>, i: number): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const given = text(profile["firstName"]) ?? "";
  const family = text(profile["lastName"]) ?? "";
  const claims: Record<string, unknown> = {
    given_name: [given, given.toUpperCase(), given, `${given.slice(0, 1)}${given.slice(2)}`, "Аnna", "J.", given, ""][i % 8],
    family_name: i % 11 === 0 ? `${family} Other` : i % 13 === 0 ? "Smith" : family,
    birthdate: i % 9 < 6 ? text(profile["birthdate"]) : ["1901-01-01", "04/03/1990", "1990"][i % 3],
  };
  if (i % 4 !== 1)
    claims["address"] = {
      street_address: i % 3 === 0 ? text(profile["streetAddress"])?.toUpperCase() : "PO BOX 12",
      locality: text(profile["city"]),
      postal_code: i % 7 === 0 ? "99999" : text(profile["zipCode"]),
      country: i % 2 === 0 ? text(profile["countryCode"]) : "United States",
    };
  if (i % 3 === 0) claims["phone_number"] = i % 6 === 0 ? text(profile["mobilePhone"]) : "tel:+1-415-555-0100";
  if (i % 8 === 0) claims["email"] = text(profile["email"])?.toUpperCase();
  if (i % 10 === 0) claims["middle_name"] = "Marie";
  return claims;
}

const pairs: ClaimsPair[] = generated.map((u, i) => ({
  verified: verifiedFrom(u.profile as Record<string, unknown>, i) as ClaimsPair["verified"],
  directory: (i % 2 === 0 ? u : u.profile) as ClaimsPair["directory"],
}));

/** 200 people, 40 Smiths: frequencies that adjust name weights (`frequency` in the explanation). */
function directoryUsers(): DirectoryUser[] {
  return Array.from({ length: 200 }, (_, i) => ({
    id: `00u${i}`,
    status: "ACTIVE" as const,
    login: `u${i}@example.com`,
    email: `u${i}@example.com`,
    name: { given: ["Alex", "Sam", "Robin", "Kim"][i % 4] as string, family: i < 40 ? "Smith" : `Family${i}` },
    birthdate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
    address: {},
    phones: {},
    custom: {},
  }));
}

const options: [string, ClaimsMatcherOptions][] = [
  ["the default policy", {}],
  ["directory frequencies", { directory: Directory.fromSyncResult({ users: directoryUsers(), groups: [], memberships: [] }) }],
  [
    "a strict, exact policy",
    { policy: { decision: { operating_point: "strict" }, claims: { given_name: {}, family_name: { mode: "exact" }, birthdate: {} } } },
  ],
  [
    "every claim required",
    {
      policy: {
        decision: { operating_point: "lenient" },
        claims: {
          given_name: { required: true },
          family_name: {},
          middle_name: {},
          birthdate: { required: true },
          address: { required: true },
          phone_number: {},
          email: {},
        },
      },
    },
  ],
];

/** The report as the JSON text of `matchLine` (the CLI's line) parses, `guard: null` read as absent. */
function parsedLine(matcher: ClaimsMatcher, p: ClaimsPair): MatchReport {
  const r = JSON.parse(matcher.matchLine(JSON.stringify(p))) as MatchReport;
  if ((r.explanation.guard as unknown) === null) r.explanation.guard = undefined;
  return r;
}

describe("reports from codes", () => {
  for (const [name, option] of options) {
    it(`are the objects JSON text parses to: match, matchMany, LoadedPairs.report (${name})`, () => {
      using matcher = new ClaimsMatcher(option);
      const many = matcher.matchMany(pairs);
      expect(many).toHaveLength(pairs.length);
      const decisions = new Set<string>();
      const guards = new Set<unknown>();
      const loaded = matcher.loadPairs(pairs);
      pairs.forEach((p, i) => {
        const parsed = parsedLine(matcher, p);
        // The same key order too (what JSON.stringify of a report shows).
        for (const got of [many[i], matcher.match(p.verified, p.directory), loaded.report(i)]) {
          expect(got).toStrictEqual(parsed);
          expect(JSON.stringify(got)).toBe(JSON.stringify(parsed));
        }
        decisions.add(many[i]?.decision ?? "");
        guards.add(many[i]?.explanation.guard);
      });
      // Varied enough to mean something: several decisions, several guards and none.
      expect(decisions.size).toBeGreaterThan(1);
      expect(guards.size).toBeGreaterThan(2);
      expect(guards).toContain(undefined);
      loaded.free();
    });
  }

  it("carry the directory's frequency adjustments", () => {
    const dir = Directory.fromSyncResult({ users: directoryUsers(), groups: [], memberships: [] });
    using matcher = new ClaimsMatcher({ directory: dir });
    const v = { given_name: "Alex", family_name: "Smith", birthdate: "1980-01-01" };
    const d = { profile: { login: "x@example.com", firstName: "Alex", lastName: "Smith", birthdate: "1980-01-01" } };
    const [report] = matcher.matchMany([{ verified: v, directory: d }]);
    expect(report?.explanation.claims.family_name?.frequency).toBeLessThan(0);
    expect(report).toStrictEqual(parsedLine(matcher, { verified: v, directory: d }));
    expect(matcher.match(v, d)).toStrictEqual(report);
  });

  it("are the same from the claims-only module, and from JSON text in", () => {
    using full = new ClaimsMatcher();
    const only = new light.ClaimsMatcher();
    const reports = full.matchMany(pairs);
    expect(only.matchMany(pairs as never)).toStrictEqual(reports);
    expect(full.matchMany(JSON.stringify(pairs))).toStrictEqual(reports);
    expect(full.matchMany("[]")).toEqual([]);
    only.free();
  });

  it("write numbers that are not finite as null, and refuse codes that end early or name nothing", () => {
    const names = JSON.parse(reportNamesJson()) as ReportNames;
    const f64 = (x: number) => new Uint8Array(new Float64Array([x]).buffer);
    // match, no guard, balanced; total NaN, threshold 20; one claim (given_name: match, score ∞, one
    // reason), no explanation entries.
    const codes = new Uint8Array([0, 0, 1, ...f64(Number.NaN), ...f64(20), 1, 0, 0, ...f64(Infinity), 1, 21, 0, 0]);
    const [report] = decodeReports(codes, names);
    expect(report).toStrictEqual({
      decision: "match",
      claims: { given_name: { outcome: "match", score: null, reasons: [names.reasons[21]] } },
      explanation: { claims: {}, total: null, operating_point: "balanced", threshold: 20, guard: undefined },
    });
    expect(() => decodeReports(codes.subarray(0, codes.length - 1), names)).toThrow(ConversionError);
    // A decoding that failed part-way leaves nothing behind for the next one.
    expect(decodeReports(codes, names)).toStrictEqual([report]);
    const unknown = codes.slice();
    unknown[0] = 9;
    expect(() => decodeReports(unknown, names)).toThrow(ConversionError);
  });
});

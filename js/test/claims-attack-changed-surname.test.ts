// Attacker (2026-12-07, session 10, round 2 on merged main ced9856): recall's changed surname confirmed by
// the full name, its marker guard and speed's record read facing the ID, through both wasm modules. Every pair
// has a changed surname (Maria Lopez on the ID, Maria Garcia in the directory, same birthday); the middle names
// are full, initials, markers (listed and not), "no middle name" written out, or hostile; the ID brings one
// corroborating claim or none and the record's other parts are clean, hostile or placeholders. Each module's
// matchMany (objects and text), decideMany and loadPairs + decide/report must agree with each other, and the
// two modules must agree report for report (tests/claims_attack_changed_surname_paths.rs checks natively).
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher } from "../src/node.js";
import { allClaimsPolicy, type Api } from "./helpers/claims-all-claims.js";

type Side = Record<string, unknown>;
type Pair = { verified: Side; directory: Side };

const middles: [string, string][] = [
  ["ALLEN", "Allen"],
  ["J", "J."],
  ["KAUR", "Kaur"],
  ["K", "K"],
  ["KHATUN", "Khatun"],
  ["NMN", "NMN"],
  ["JR", "Jr."],
  ["THI", "Thi\u200b"],
  ["ALLEN", "Al\u202elen"],
  ["ALLEN", "\u0410llen"],
  ["ALLEN", "N/A"],
];
const evidence: [boolean, boolean, boolean][] = [
  [true, false, false],
  [false, true, false],
  [false, false, true],
  [false, false, false],
];
const records: [string, string, string][] = [
  ["12 Main St", "+1 512 555 0100", "maria@example.com"],
  ["12 Main\u200b St", "+1 512 555 01\u202e00", "m\u0430ria@example.com"],
  ["N/A", "unknown", "-"],
];

function pairs(): Pair[] {
  const out: Pair[] = [];
  for (const [m, rm] of middles) {
    for (const [addr, phone, email] of evidence) {
      for (const [street, rphone, remail] of records) {
        const verified: Side = { given_name: "MARIA", middle_name: m, family_name: "LOPEZ", birthdate: "1988-06-14" };
        if (addr)
          verified.address = { street_address: "12 Main St", locality: "Austin", region: "TX", postal_code: "78701", country: "US" };
        if (phone) verified.phone_number = "+1 512 555 0100";
        if (email) verified.email = "maria@example.com";
        const directory: Side = {
          firstName: "Maria",
          middleName: rm,
          lastName: "Garcia",
          birthdate: "1988-06-14",
          streetAddress: addr ? "12 Main St" : street,
          city: "Austin",
          state: "TX",
          zipCode: "78701",
          countryCode: "US",
          mobilePhone: phone ? "+1 512 555 0100" : rphone,
          email: email ? "maria@example.com" : remail,
          login: "p@example.com",
        };
        out.push({ verified, directory });
      }
    }
  }
  return out;
}

const policy = allClaimsPolicy;

/** Each pair's report (JSON) from matchMany, after checking every other path agrees with it. */
function replay(Matcher: Api, op: "balanced" | "strict"): { reports: string[]; bad: string[] } {
  using m = new Matcher({ policy: policy(op) });
  const all = pairs();
  const text = JSON.stringify(all);
  const reports = m.matchMany(all).map((r) => JSON.stringify(r));
  const codes = [...m.decideMany(all)];
  const bad: string[] = [];
  m.matchMany(text).forEach((r, i) => {
    if (JSON.stringify(r) !== reports[i]) bad.push(`${op} #${i}: matchMany text`);
  });
  [...m.decideMany(text)].forEach((c, i) => {
    if (c !== codes[i]) bad.push(`${op} #${i}: decideMany text`);
  });
  all.forEach((p, i) => {
    if (JSON.stringify(m.matchMany([p])[0]) !== reports[i]) bad.push(`${op} #${i}: alone`);
  });
  using loaded = m.loadPairs(text);
  [...loaded.decide()].forEach((c, i) => {
    if (c !== codes[i]) bad.push(`${op} #${i}: loaded decide`);
  });
  all.forEach((_, i) => {
    if (JSON.stringify(loaded.report(i)) !== reports[i]) bad.push(`${op} #${i}: loaded report`);
  });
  return { reports, bad };
}

describe("a changed surname through both wasm modules", () => {
  for (const op of ["balanced", "strict"] as const) {
    it(`decides and reports alike on every path and in both modules (${op})`, () => {
      const full = replay(ClaimsMatcher, op);
      const claimsOnly = replay(light.ClaimsMatcher, op);
      expect([...full.bad, ...claimsOnly.bad]).toEqual([]);
      const differ = full.reports.flatMap((r, i) => (r === claimsOnly.reports[i] ? [] : [`#${i}`]));
      expect(differ).toEqual([]);
      const decisions = new Set(full.reports.map((r) => (JSON.parse(r) as { decision: string }).decision));
      // Not vacuous: review and no_match are both reached; a changed surname never matches since the
      // full-name rule was withdrawn.
      expect([...decisions].sort()).toEqual(["no_match", "review"]);
    });
  }
});

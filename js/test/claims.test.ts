import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ClaimsMatcher,
  DECISION_CODES,
  InvalidInputError,
  InvalidPolicyError,
  matchClaims,
  normalizeUser,
  type Decision,
  type MatchReport,
  type VerifiedClaimsInput,
} from "../src/node.js";

const verified: VerifiedClaimsInput = {
  given_name: "JOSÉ",
  family_name: "GARCÍA MÁRQUEZ",
  birthdate: "1990-04-03",
  address: { street_address: "12 MAIN ST APT 4", locality: "SPRINGFIELD", region: "IL", postal_code: "62701", country: "US" },
  phone_number: "+1 217 555 0100",
};
const profile = {
  firstName: "Jose",
  lastName: "Garcia",
  birthdate: "1990-04-03",
  streetAddress: "12 Main Street #4",
  city: "Springfield",
  state: "IL",
  zipCode: "62701-1234",
  countryCode: "US",
  mobilePhone: "(217) 555-0100",
};

describe("claims matching through the SDK", () => {
  it("decides the documented example with per-claim evidence", () => {
    const report = matchClaims(verified, profile);
    expect(report.decision).toBe("match");
    expect(report.claims.given_name).toEqual({ outcome: "match", score: 1, reasons: ["DIACRITICS_FOLDED"] });
    expect(report.claims.family_name?.reasons).toContain("SURNAME_SUBSET");
    const address = report.claims.address;
    expect(address && "parts" in address ? address.parts.postal_code?.reasons : []).toEqual(["ZIP4_IGNORED"]);
    expect(report.claims.email?.outcome).toBe("missing_directory");
  });

  it("never matches a homoglyph spelling", () => {
    const report = matchClaims({ ...verified, given_name: "J\u043ese" }, profile);
    expect(report.decision).toBe("no_match");
    expect(report.claims.given_name?.reasons).toContain("SUSPICIOUS_MIXED_SCRIPT");
  });

  it("accepts a whole Okta user and an Okta claims request", () => {
    const oktaClaims = {
      id_token: {
        verified_claims: {
          verification: { trust_framework: { value: "IDV-DELEGATED" } },
          claims: { given_name: { value: "Jose", fuzzy: true }, family_name: "Garcia" },
        },
      },
    };
    // A verification vendor answering Okta's own PAR: Okta's values are the directory side.
    const matcher = new ClaimsMatcher({ policy: { claims: { given_name: {} } }, oktaClaims, oktaValues: "compare" });
    const whole = { id: "00u1", status: "ACTIVE", profile: { firstName: "Someone", lastName: "Else" } };
    // Okta's legacy bare-string form is exact: GARCÍA MÁRQUEZ is not "Garcia" under an exact rule.
    expect(matcher.match(verified, whole).decision).toBe("no_match");
    expect(matcher.match({ ...verified, family_name: "GARCIA" }, whole).decision).toBe("match");
    matcher.free();
    // By default the request's values never stand in for the record's: the record is compared.
    using recordSide = new ClaimsMatcher({ policy: { claims: { given_name: {} } }, oktaClaims });
    expect(recordSide.match({ ...verified, family_name: "GARCIA" }, whole).decision).toBe("no_match");
    const jose = { id: "00u1", status: "ACTIVE", profile: { firstName: "José", lastName: "Garcia" } };
    expect(recordSide.match({ ...verified, family_name: "GARCIA" }, jose).decision).toBe("match");
    expect(() => new ClaimsMatcher({ oktaClaims, oktaValues: "yes" as "compare" })).toThrow(InvalidPolicyError);
  });

  it("JSON text with a key twice: the last one counts, as JSON.parse reads it (pinned; see matchUser's docs)", () => {
    using matcher = new ClaimsMatcher();
    const { user } = normalizeUser(profile);
    const text = (first: string, last: string) =>
      `{"given_name":"JOSÉ","family_name":"GARCÍA MÁRQUEZ","birthdate":"${first}","birthdate":"${last}"}` as unknown as VerifiedClaimsInput;
    const decide = (v: VerifiedClaimsInput) => matcher.matchUser(v, user);
    // The record's birthdate last: compared and matched; first: the other one is compared.
    expect(decide(text("1971-01-01", "1990-04-03")).claims.birthdate?.outcome).toBe("match");
    expect(decide(text("1990-04-03", "1971-01-01")).claims.birthdate?.outcome).toBe("mismatch");
    expect(decide(text("1990-04-03", "1971-01-01")).decision).toBe("no_match");
    // The same reading as JSON.parse: what a caller checks with JSON.parse is what is decided.
    const parsed = JSON.parse(text("1990-04-03", "1971-01-01") as unknown as string) as VerifiedClaimsInput;
    expect(decide(parsed)).toEqual(decide(text("1990-04-03", "1971-01-01")));
    // The record side too (`match` with an Okta profile as text).
    const record = `{"firstName":"Jose","lastName":"Garcia","birthdate":"1971-01-01","birthdate":"1990-04-03"}`;
    expect(matcher.match(verified, record).claims.birthdate?.outcome).toBe("match");
  });

  it("matches an already-normalized DirectoryUser", () => {
    using matcher = new ClaimsMatcher();
    const { user } = normalizeUser(profile);
    expect(matcher.matchUser(verified, user).decision).toBe("match");
    expect(() => matcher.matchUser(verified, { nope: 1 } as unknown as typeof user)).toThrow(InvalidInputError);
  });

  it("matches many pairs in one call, in order", () => {
    using matcher = new ClaimsMatcher();
    const reports = matcher.matchMany([
      { verified, directory: profile },
      { verified: { ...verified, birthdate: "1990-04-04" }, directory: profile },
      { verified, directory: { ...profile, birthdate: null } },
    ]);
    expect(reports.map((r) => r.decision)).toEqual(["match", "no_match", "no_match"]);
    expect(reports[2]?.claims.birthdate?.outcome).toBe("missing_directory");
  });

  it("decides many pairs without reports: the decisions of matchMany, as codes", () => {
    using matcher = new ClaimsMatcher();
    const pairs = [
      { verified, directory: profile },
      { verified: { ...verified, birthdate: "1990-04-04" }, directory: profile },
      { verified, directory: { ...profile, birthdate: null } },
      // The address alone differs: optional evidence, still a match; a nickname that several
      // formal names share goes to review.
      { verified: { ...verified, address: { ...verified.address, postal_code: "99999" } }, directory: profile },
      { verified: { ...verified, given_name: "ALEX" }, directory: { ...profile, firstName: "Alexander" } },
    ];
    const codes = matcher.decideMany(pairs);
    expect(codes).toBeInstanceOf(Uint8Array);
    const decisions = Array.from(codes, (c) => DECISION_CODES[c]);
    expect(decisions).toEqual(matcher.matchMany(pairs).map((r) => r.decision));
    expect(new Set(decisions)).toEqual(new Set(["match", "no_match", "review"]));
    // JSON text in gives the same codes; an empty array, none.
    expect(Array.from(matcher.decideMany(JSON.stringify(pairs)))).toEqual(Array.from(codes));
    expect(matcher.decideMany([]).length).toBe(0);
    // A pair that cannot be read fails the whole call with a typed error, as matchMany does.
    expect(() => matcher.decideMany('[{"verified": {}, "directory": 5}]')).toThrow(InvalidInputError);
    expect(() => matcher.decideMany('{"verified": {}}')).toThrow(InvalidInputError);
    expect(() => matcher.decideMany("[nope")).toThrow(InvalidInputError);
  });

  it("loads pairs once, decides them in one call and reports lazily", () => {
    using matcher = new ClaimsMatcher();
    const pairs = [
      { verified, directory: profile },
      { verified: { ...verified, birthdate: "1990-04-04" }, directory: profile },
      { verified, directory: { ...profile, birthdate: null } },
    ];
    using loaded = matcher.loadPairs(pairs);
    expect(loaded.length).toBe(3);
    const codes = loaded.decide();
    expect(codes).toBeInstanceOf(Uint8Array);
    expect(Array.from(codes)).toEqual([0, 1, 1]);
    expect(loaded.decisions()).toEqual(matcher.matchMany(pairs).map((r) => r.decision));
    expect(loaded.report(1)).toEqual(matcher.match(pairs[1]!.verified, pairs[1]!.directory));
    expect(() => loaded.report(3)).toThrow(InvalidInputError);
    // JSON Lines text loads the same pairs.
    using fromLines = matcher.loadPairs(pairs.map((p) => JSON.stringify(p)).join("\n") + "\n");
    expect(fromLines.decisions()).toEqual(["match", "no_match", "no_match"]);
    expect(DECISION_CODES[0]).toBe("match");
    expect(() => matcher.loadPairs('[{"verified": {}, "directory": 5}]')).toThrow(InvalidInputError);
  });

  it("writes Okta-style and OIDC4IDA-style verified_claims responses", () => {
    using matcher = new ClaimsMatcher();
    const okta = matcher.respond(verified, profile, { redactMatched: true, time: "2026-11-28T10:00:00Z" });
    const element = Array.isArray(okta.verified_claims) ? okta.verified_claims[0] : okta.verified_claims;
    expect(element?.verification).toEqual({ trust_framework: "IDV-DELEGATED", assurance_level: "VERIFIED", time: "2026-11-28T10:00:00Z" });
    expect(element?.claims["given_name"]).toEqual({ value: "MATCHED" });
    const failed = matcher.respond({ ...verified, given_name: "MARIA" }, profile, { style: "okta" });
    const f = Array.isArray(failed.verified_claims) ? failed.verified_claims[0] : failed.verified_claims;
    expect(f?.verification.assurance_level).toBe("FAILED");
    expect(f?.claims["given_name"]).toEqual({ value: null });
    const ida = matcher.respond({ ...verified, given_name: "MARIA" }, profile, { style: "oidc4ida" });
    const i = Array.isArray(ida.verified_claims) ? ida.verified_claims[0] : ida.verified_claims;
    expect(Object.keys(i?.claims ?? {})).not.toContain("given_name");
    expect(i?.claims["birthdate"]).toBe("1990-04-03");
  });

  it("rejects malformed policies with the offending path", () => {
    expect(() => new ClaimsMatcher({ policy: { claims: { birthdate: { mode: "loose" as "exact" } } } })).toThrow(InvalidPolicyError);
    try {
      matchClaims(verified, profile, { policy: { claims: { given_name: { allow: ["telepathy" as "ocr"] } } } });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidPolicyError).code).toBe("INVALID_POLICY");
      expect((e as Error).message).toContain("claims.given_name.allow[0]");
    }
  });

  it("explains the combined decision: levels, weights, total, operating point, guard", () => {
    const typo = matchClaims({ ...verified, given_name: "JSOE" }, profile);
    expect(typo.decision).toBe("match");
    expect(typo.explanation.claims.given_name?.level).toBe("one_edit");
    expect(typo.explanation.operating_point).toBe("balanced");
    expect(typo.explanation.total).toBeGreaterThanOrEqual(typo.explanation.threshold);
    expect(typo.explanation.guard).toBeUndefined();
    const older = matchClaims({ ...verified, given_name: "JSOE", birthdate: "1991-04-03" }, profile);
    expect(older.decision).toBe("no_match");
    expect(older.explanation.guard).toBe("claim_differs");
    const strict = matchClaims({ given_name: "JSOE", family_name: "GARCIA", birthdate: "1990-04-03" }, profile, {
      policy: { claims: { given_name: {}, family_name: {}, birthdate: {} }, decision: { operating_point: "strict" } },
    });
    expect(strict.explanation.operating_point).toBe("strict");
    expect(strict.decision).toBe("no_match");
    // An array loads element by element: a bad element still fails the whole call, typed.
    using matcher = new ClaimsMatcher();
    expect(() => matcher.loadPairs(`[{"verified": {}, "directory": {}}, 7]`)).toThrow(InvalidInputError);
    expect(() => matcher.loadPairs(`[{"verified": {}, "directory": {}}`)).toThrow(InvalidInputError);
  });

  it("types: the report is precisely typed", () => {
    expectTypeOf(matchClaims).returns.toEqualTypeOf<MatchReport>();
    expectTypeOf<MatchReport["decision"]>().toEqualTypeOf<Decision>();
    expectTypeOf<Decision>().toEqualTypeOf<"match" | "no_match" | "review">();
  });
});

describe("CLI match", () => {
  const cli = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
  it("streams JSON Lines in order and survives bad lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "od-match-"));
    const input = join(dir, "cases.jsonl");
    const lines = [
      JSON.stringify({ id: "a", verified, directory: profile }),
      "{broken",
      JSON.stringify({ id: "b", verified: { ...verified, given_name: "Maria" }, directory: profile }),
      "",
      JSON.stringify({ id: "c", verified, directory: profile, policy: { claims: { family_name: { mode: "exact" } } } }),
    ];
    writeFileSync(input, lines.join("\n"));
    const out = execFileSync(process.execPath, [cli, "match", input], { encoding: "utf8" }).trim().split("\n");
    const parsed = out.map((l) => JSON.parse(l) as { id?: string; decision?: string; error?: { code: string } });
    expect(parsed.map((p) => p.id ?? p.error?.code)).toEqual(["a", "INVALID_JSON", "b", "c"]);
    expect(parsed.map((p) => p.decision ?? "error")).toEqual(["match", "error", "no_match", "no_match"]);
    expect(out[0]?.startsWith('{"id":"a","decision":"match","claims":{"given_name":')).toBe(true);
    const first = JSON.parse(out[0] ?? "{}") as { explanation?: { total: number; threshold: number; operating_point: string } };
    expect(first.explanation?.operating_point).toBe("balanced");
    expect(first.explanation!.total).toBeGreaterThanOrEqual(first.explanation!.threshold);
  });

  it("exits 1 with a typed error for a bad policy file, 2 for bad usage", () => {
    const dir = mkdtempSync(join(tmpdir(), "od-match-"));
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ claims: { shoe_size: {} } }));
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [cli, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return { status: 0, stderr: "" };
      } catch (e) {
        const err = e as { status: number; stderr: string };
        return { status: err.status, stderr: err.stderr };
      }
    };
    const bad = run(["match", "--policy", policy, "-"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error\[INVALID_POLICY\]: .*claims\.shoe_size/);
    expect(run(["match", "--nope"]).status).toBe(2);
  });
});

// okta-directory/claims runs on the claims-only wasm module (cargo `--no-default-features
// --features claims`). It must decide exactly as the full module does: a difference would make a
// browser pre-check disagree with the server. Compares both on generated directory users (names
// from many scripts, partial records) and verified claims derived from them with deliberate
// differences. Uses the built bundle (js/dist/claims-node.js), as the package ships it.
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { generateDirectory } from "../src/emulator/generator.js";
import * as full from "../src/node.js";

const users = generateDirectory({ users: 400, seed: 7, missingShare: 0.2 }).users;

/** Verified claims read off a user's profile, with variations a real ID shows. */
function verifiedFrom(profile: Record<string, unknown>, i: number): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const given = text(profile["firstName"]);
  const family = text(profile["lastName"]);
  const claims: Record<string, unknown> = {
    given_name: i % 3 === 0 ? given?.toUpperCase() : given,
    family_name: i % 5 === 0 ? `${family ?? ""} Other` : family,
    birthdate: i % 7 === 0 ? "1901-01-01" : text(profile["birthdate"]),
  };
  if (i % 4 === 0)
    claims["address"] = { locality: text(profile["city"]), postal_code: text(profile["zipCode"]), country: text(profile["countryCode"]) };
  return claims;
}

describe("okta-directory/claims (claims-only module)", () => {
  it("loads its own module and reports the same core", () => {
    expect(light.coreVersion()).toBe(full.coreVersion());
    expect(light.coreErrorCodes()).toEqual(full.coreErrorCodes());
    expect(Object.keys(light)).not.toContain("syncDirectory");
    expect(Object.keys(light)).not.toContain("Directory");
  });

  it("normalizes every generated user exactly as the full module", () => {
    for (const u of users) expect(light.normalizeUser(u)).toEqual(full.normalizeUser(u));
  });

  it("decides every generated pair exactly as the full module", () => {
    const a = new light.ClaimsMatcher();
    const b = new full.ClaimsMatcher();
    const decisions = new Set<string>();
    users.forEach((u, i) => {
      const verified = verifiedFrom(u.profile as Record<string, unknown>, i);
      const report = a.match(verified, u);
      expect(report).toEqual(b.match(verified, u));
      decisions.add(report.decision);
    });
    // The cases reach more than one decision, so the comparison is not between two constants.
    expect(decisions.size).toBeGreaterThan(1);
    a.free();
    b.free();
  });

  it("fails with the same typed error codes", () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return "none";
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    for (const bad of ["{", "[]", "42", '{"profile": 3}']) {
      expect(code(() => light.normalizeUser(bad))).toBe(code(() => full.normalizeUser(bad)));
    }
    expect(code(() => new light.ClaimsMatcher({ policy: { claims: 3 } as never }))).toBe(
      code(() => new full.ClaimsMatcher({ policy: { claims: 3 } as never })),
    );
  });
});

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

/** A seeded generator (mulberry32), so the noisy cases are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Noise a directory value picks up: typing, copy-paste, OCR, other scripts and forms. */
const NOISE: ((s: string, r: () => number) => string)[] = [
  (s) => s.toUpperCase(),
  (s) => `  ${s.replace(/ /g, "   ")}\t`,
  (s) => s.normalize("NFD"),
  (s) => s.normalize("NFKC"),
  (s) => `${s.slice(0, 1)}\u200b${s.slice(1)}\u00ad`,
  (s) => s.replace(/a/g, "\u0430").replace(/o/g, "\u043e"), // Cyrillic look-alikes
  (s) => s.replace(/O/g, "0").replace(/l/g, "1"),
  (s, r) => {
    const i = Math.floor(r() * Math.max(1, s.length - 1));
    return s.slice(0, i) + (s[i + 1] ?? "") + (s[i] ?? "") + s.slice(i + 2);
  },
  (s) => s.replace(/[\u0300-\u036f]/g, "").normalize("NFC"),
  (s) => `${s} \u{1F389}`,
  () => "N/A",
  () => "",
];

/** Generated users (`clean`) and the same users with noise on their names, addresses and phones and
 * custom values of every type (`noisy`: every other one a whole user, the rest bare profiles). */
function noisyUsers(count: number): { clean: Record<string, unknown>[]; noisy: Record<string, unknown>[] } {
  const r = random(16);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const extra = ["Zoë Nguyễn", "Łukasz", "Søren", "李", "Анна", "محمد", "अनि", "Ngọc Ánh", "O'Neil-Smith"];
  const clean = generateDirectory({ users: count, seed: 16, missingShare: 0.3 }).users;
  const noisy = clean.map((u, i) => {
    const profile = { ...(u.profile as Record<string, unknown>) };
    for (const key of ["firstName", "lastName", "streetAddress", "city", "mobilePhone", "middleName"]) {
      const v = profile[key];
      if (typeof v === "string" && r() < 0.5) profile[key] = pick(NOISE)(v, r);
    }
    if (i % 5 === 0) profile["firstName"] = pick(extra);
    if (i % 7 === 0) profile["nickName"] = pick(extra);
    profile["costCenter"] = pick([1.5, -0, 1e300, 5e-324, 2 ** 53 + 2, -17, 0.1 + 0.2, true, false, "x", null]);
    profile["tags"] = i % 3 === 0 ? [1, "two", false, 0.25] : [];
    if (i % 11 === 0) profile["birthdate"] = pick(["03/04/1990", "1990-13-45", "4 Mar 1990", "19900304"]);
    return i % 2 === 0 ? { ...u, profile } : profile;
  });
  return { clean: clean.map((u) => u.profile as Record<string, unknown>), noisy };
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

  it("normalizes noisy, many-script users exactly as the full module, in every option", () => {
    const mapping = { givenName: ["profile.nickName", "firstName"], birthdateOrder: "dmy" as const };
    let customs = 0;
    for (const u of noisyUsers(300).noisy) {
      for (const options of [undefined, { reportMissing: true }, { mapping }, mapping]) {
        const got = light.normalizeUser(u, options);
        expect(got).toStrictEqual(full.normalizeUser(u, options));
        expect(light.normalizeUser(JSON.stringify(u), options)).toStrictEqual(got);
        // Absent values are omitted, not present as `undefined` (toStrictEqual sees the difference).
        expect(JSON.parse(JSON.stringify(got))).toStrictEqual(got);
        if (Object.keys(got.user.custom).length > 0) customs++;
      }
    }
    expect(customs).toBeGreaterThan(100);
  });

  it("decides noisy pairs exactly as the full module (match, matchClaims, matchMany, matchUser)", () => {
    const a = new light.ClaimsMatcher();
    const b = new full.ClaimsMatcher();
    const { clean, noisy } = noisyUsers(300);
    // The ID shows the clean values; the directory holds the noisy ones.
    const pairs = noisy.map((directory, i) => ({ verified: verifiedFrom(clean[i] ?? {}, i), directory }));
    const decisions = new Set<string>();
    for (const { verified, directory } of pairs) {
      const report = a.match(verified as never, directory as never);
      expect(report).toStrictEqual(b.match(verified as never, directory as never));
      expect(light.matchClaims(verified as never, directory as never)).toStrictEqual(report);
      const normalized = light.normalizeUser(directory).user;
      expect(a.matchUser(verified as never, normalized)).toStrictEqual(b.matchUser(verified as never, full.normalizeUser(directory).user));
      decisions.add(report.decision);
    }
    expect(a.matchMany(pairs as never)).toStrictEqual(b.matchMany(pairs as never));
    expect(decisions.size).toBeGreaterThan(1);
    a.free();
    b.free();
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

  it("keeps a custom attribute named __proto__ as data in both entries", () => {
    // Built property by property, `custom["__proto__"] = ["a", "b"]` replaced the object's prototype
    // (custom.length was 2); parsed from JSON text it is an own property like any other.
    for (const sdk of [light, full]) {
      const { custom } = sdk.normalizeUser('{"profile": {"__proto__": ["a", "b"], "dept": "x"}}').user;
      expect(Object.getPrototypeOf(custom)).toBe(Object.prototype);
      expect(Object.hasOwn(custom, "__proto__")).toBe(true);
      expect(Object.keys(custom)).toEqual(["__proto__", "dept"]);
      expect((custom as { length?: unknown }).length).toBeUndefined();
    }
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

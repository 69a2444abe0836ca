/** The verification service: the one path that records a verification. */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AttemptLimitError,
  Directory,
  HistoryRecorder,
  InvalidPolicyError,
  MemoryAttemptLimiter,
  MemoryHistoryStore,
  MemoryReplayGuard,
  OktaDirectoryError,
  StaticPolicyRegistry,
  TokenError,
  VerificationService,
  type DirectoryUser,
  type PolicyDocument,
  type ErrorCode,
  type VerificationServiceOptions,
} from "../../src/node.js";
import { signJwt } from "../emulator/helpers.js";

const ISS = "https://idv.example";
const AUD = "portal-client";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };

function person(
  id: string,
  login: string,
  email: string,
  given: string,
  family: string,
  birthdate: string,
  status: NonNullable<DirectoryUser["status"]> = "ACTIVE",
): DirectoryUser {
  return { id, status, login, email, name: { given, family }, birthdate, address: {}, phones: {}, custom: {} };
}
const ANGEL = person("00uAngel", "angel.ruiz@example.com", "a.ruiz@example.org", "Ángel", "Ruiz-Pérez", "1990-04-12");
const MALLORY = person("00uMallory", "mallory@example.com", "mallory@example.com", "Mallory", "Quist", "1979-11-30");
const GONE = person("00uGone", "gone@example.com", "gone@example.com", "Ida", "Left", "1970-01-01", "DEPROVISIONED");

function directory(): Directory {
  return Directory.fromSyncResult({ users: [ANGEL, MALLORY, GONE], groups: [], memberships: [] });
}

let jtiSeq = 0;
function token(sub: string, claims: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const payload = {
    iss: ISS,
    sub,
    aud: AUD,
    iat: NOW - 5,
    exp: NOW + 600,
    jti: `jti-${++jtiSeq}`,
    verified_claims: { verification: { trust_framework: "IDV-DELEGATED", assurance_level: "VERIFIED" }, claims },
    ...extra,
  };
  return signJwt({ alg: "RS256", typ: "JWT", kid: "k1" }, payload, pair.privateKey);
}
const angelClaims = { given_name: "ANGEL", family_name: "Ruiz Pérez", birthdate: "1990-04-12" };
const malloryClaims = { given_name: "Mallory", family_name: "Quist", birthdate: "1979-11-30" };

function setup(over: Partial<VerificationServiceOptions> = {}) {
  const histories = new MemoryHistoryStore();
  const service = new VerificationService({
    directory: directory(),
    policies: new StaticPolicyRegistry(),
    recorder: new HistoryRecorder(histories),
    replay: new MemoryReplayGuard(() => NOW_MS),
    limiter: new MemoryAttemptLimiter({ limit: 5, windowSec: 900, now: () => NOW_MS }),
    vendor: { issuer: ISS, audience: AUD, jwks },
    now: () => NOW_MS,
    ...over,
  });
  return { service, histories };
}

async function code(p: Promise<unknown>): Promise<ErrorCode> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OktaDirectoryError);
    const err = e as OktaDirectoryError;
    for (const v of ["Ruiz", "angel", "1990", "Mallory", "00uAngel"]) expect(err.message).not.toContain(v);
    return err.code;
  }
  throw new Error("expected a refusal");
}

/** No directory or claim value in an answer. */
function noValues(answer: unknown): void {
  const text = JSON.stringify(answer);
  for (const v of ["Ruiz", "Ángel", "ANGEL", "1990-04-12", "angel.ruiz", "a.ruiz", "Mallory", "Quist"]) expect(text).not.toContain(v);
}

describe("VerificationService.verify", () => {
  it("a genuine result matches, is recorded under the policy id, and answers outcomes and reasons only", async () => {
    const { service, histories } = setup();
    const out = await service.verify({ loginHint: "ANGEL.RUIZ@example.com", idToken: token("00uAngel", angelClaims) });
    expect([out.decision, out.state, out.recorded, out.enrollment, out.policyId, out.userId]).toEqual([
      "match",
      "success",
      true,
      "enrolled",
      "default",
      "00uAngel",
    ]);
    expect(out.claims.family_name?.outcome).toBe("match");
    noValues({ ...out, userId: undefined });
    const entries = histories.document?.users["00uAngel"] ?? [];
    expect(entries.map((e) => [e.decision, e.policyId])).toEqual([["match", "default"]]);
  });

  it("the policy comes from the registry by id; an unknown id is UNKNOWN_POLICY and costs nothing", async () => {
    const strict: PolicyDocument = { version: 1, claims: { given_name: { mode: "exact" }, family_name: { mode: "exact" }, birthdate: {} } };
    const { service, histories } = setup({
      policies: new StaticPolicyRegistry([
        { id: "default", policy: null },
        { id: "strict", policy: strict },
      ]),
    });
    let caught: unknown;
    try {
      await service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims), policyId: "given-name-only" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidPolicyError);
    expect((caught as InvalidPolicyError).code).toBe("UNKNOWN_POLICY");
    expect(histories.document).toBeNull();
    // A policy object where an id belongs is refused as well.
    expect(
      await code(
        service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims), policyId: strict as unknown as string }),
      ),
    ).toBe("INVALID_REQUEST");
    const out = await service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims), policyId: "strict" });
    expect(out.policyId).toBe("strict");
    expect(histories.document?.users["00uAngel"]?.[0]?.policyId).toBe("strict");
  });

  it("a genuine result about another person is TOKEN_SUBJECT_MISMATCH and records nothing", async () => {
    const { service, histories } = setup();
    expect(await code(service.verify({ loginHint: ANGEL.login!, idToken: token("00uMallory", malloryClaims) }))).toBe(
      "TOKEN_SUBJECT_MISMATCH",
    );
    // Even with the victim's claims in the impostor's token.
    expect(await code(service.verify({ loginHint: ANGEL.login!, idToken: token("00uMallory", angelClaims) }))).toBe(
      "TOKEN_SUBJECT_MISMATCH",
    );
    expect(histories.document).toBeNull();
  });

  it("refuses a replayed result, a nonce mismatch, and a missing nonce where the flow requires one", async () => {
    const { service } = setup();
    const t = token("00uAngel", angelClaims, { nonce: "n-1" });
    expect((await service.verify({ loginHint: ANGEL.login!, idToken: t, nonce: "n-1" })).decision).toBe("match");
    expect(await code(service.verify({ loginHint: ANGEL.login!, idToken: t, nonce: "n-1" }))).toBe("TOKEN_REPLAYED");
    expect(
      await code(service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims, { nonce: "n-1" }), nonce: "n-2" })),
    ).toBe("TOKEN_NONCE_MISMATCH");
    const strict = setup({ requireNonce: true }).service;
    expect(await code(strict.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims) }))).toBe("INVALID_REQUEST");
  });

  it("finding 8: a maximum token age, absurd time claims refused as TOKEN_* (never INTERNAL)", async () => {
    const { service, histories } = setup({ limiter: new MemoryAttemptLimiter({ limit: 100 }) });
    const day = 86_400;
    const cases: [Record<string, unknown>, ErrorCode][] = [
      [{ iat: NOW - 400 * day, exp: 4_102_444_800 }, "TOKEN_EXPIRED"], // issued 400 days ago, expires in 2100
      [{ iat: NOW - 400 * day, exp: NOW - 400 * day + 600 }, "TOKEN_EXPIRED"],
      [{ iat: NOW - 20 * 60, exp: NOW + 600 }, "TOKEN_EXPIRED"], // older than the service's 15 minutes
      [{ auth_time: NOW - 2 * day }, "TOKEN_EXPIRED"], // verified two days ago, token fresh
      [{ exp: 4_102_444_800 }, "TOKEN_MALFORMED"], // year 2100
      [{ exp: 1e300 }, "TOKEN_MALFORMED"],
      [{ iat: -1e300 }, "TOKEN_MALFORMED"],
      [{ auth_time: 1e300 }, "TOKEN_MALFORMED"],
    ];
    for (const [extra, want] of cases) {
      expect(
        await code(service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims, extra) })),
        JSON.stringify(extra),
      ).toBe(want);
    }
    expect(histories.document).toBeNull();
  });

  it("a deactivated user is refused before any comparison, and nothing is recorded", async () => {
    const { service, histories } = setup();
    const out = await service.verify({
      loginHint: "gone@example.com",
      idToken: token("00uGone", { given_name: "Ida", family_name: "Left", birthdate: "1970-01-01" }),
    });
    expect([out.decision, out.state, out.recorded]).toEqual(["no_match", "deactivated", false]);
    expect(histories.document).toBeNull();
  });
});

describe("attempt limits per resolved Okta user id (finding 5)", () => {
  it("every spelling of a hint (diacritics, U+0085, the email instead of the login) shares one budget", async () => {
    const d = directory();
    const variants = ["a\u0301ngel.ruiz@example.com", "\u0085angel.ruiz@example.com", "a.ruiz@example.org", " ANGEL.RUIZ@EXAMPLE.COM "];
    for (const v of variants) expect(d.lookup(v).user.id, JSON.stringify(v)).toBe("00uAngel");
    const { service, histories } = setup({ directory: d });
    for (let i = 0; i < 5; i++)
      expect(await code(service.verify({ loginHint: ANGEL.login!, idToken: `not.a.token${i}` }))).toBe("TOKEN_MALFORMED");
    for (const v of variants) {
      let caught: unknown;
      try {
        await service.verify({ loginHint: v, idToken: token("00uAngel", angelClaims) });
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(v)).toBeInstanceOf(AttemptLimitError);
      expect((caught as AttemptLimitError).code).toBe("TOO_MANY_ATTEMPTS");
      expect((caught as AttemptLimitError).retryAfterSec).toBeGreaterThan(0);
    }
    expect(histories.document).toBeNull();
    // Another person keeps their own budget.
    expect((await service.verify({ loginHint: MALLORY.login!, idToken: token("00uMallory", malloryClaims) })).decision).toBe("match");
  });

  it("30 concurrent attempts against a limit of 5: exactly 5 get past the limiter", async () => {
    const { service } = setup();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => code(service.verify({ loginHint: ANGEL.login!, idToken: `bad.token.${i}` }))),
    );
    expect(results.filter((c) => c === "TOKEN_MALFORMED").length).toBe(5);
    expect(results.filter((c) => c === "TOO_MANY_ATTEMPTS").length).toBe(25);
  });

  it("the window ends: attempts are allowed again after it", () => {
    let now = NOW_MS;
    const limiter = new MemoryAttemptLimiter({ limit: 2, windowSec: 60, now: () => now });
    expect([limiter.take("u").allowed, limiter.take("u").allowed, limiter.take("u").allowed]).toEqual([true, true, false]);
    expect(limiter.take("u").retryAfterSec).toBe(60);
    now += 60_000;
    expect(limiter.take("u")).toEqual({ allowed: true, remaining: 1, retryAfterSec: 0 });
  });

  it("keeps at most maxKeys windows", () => {
    const limiter = new MemoryAttemptLimiter({ limit: 1, maxKeys: 3, now: () => NOW_MS });
    for (const k of ["a", "b", "c", "d"]) limiter.take(k);
    // "a" was dropped (oldest) and starts afresh; "d" is still counted.
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("d").allowed).toBe(false);
  });
});

describe("VerificationService.evaluate", () => {
  it("decides caller-supplied claims, records nothing and says so", async () => {
    const { service, histories } = setup();
    const out = await service.evaluate({ loginHint: ANGEL.login!, claims: angelClaims });
    expect([out.decision, out.recorded, out.enrollment]).toEqual(["match", false, "not_enrolled"]);
    expect(histories.document).toBeNull();
    noValues({ ...out, userId: undefined });
    expect(await code(service.evaluate({ loginHint: ANGEL.login!, claims: angelClaims, policyId: "mine" }))).toBe("UNKNOWN_POLICY");
  });

  it("counts attempts like verify: no unlimited oracle on the record", async () => {
    const { service } = setup();
    for (let i = 0; i < 5; i++) await service.evaluate({ loginHint: ANGEL.login!, claims: { birthdate: `1990-04-${10 + i}` } });
    expect(await code(service.evaluate({ loginHint: ANGEL.login!, claims: angelClaims }))).toBe("TOO_MANY_ATTEMPTS");
  });
});

describe("TokenError for subject mismatch", () => {
  it("is a TokenError", async () => {
    const { service } = setup();
    await expect(service.verify({ loginHint: ANGEL.login!, idToken: token("00uMallory", malloryClaims) })).rejects.toBeInstanceOf(
      TokenError,
    );
  });
});

describe("registry and recorder", () => {
  it("a broken operator policy is a typed error that costs no attempt and no token", async () => {
    const limiter = new MemoryAttemptLimiter({ limit: 1, now: () => NOW_MS });
    const broken = { claims: { given_name: { mode: "sideways" } } } as unknown as PolicyDocument;
    const { service } = setup({
      limiter,
      policies: new StaticPolicyRegistry([
        { id: "default", policy: null },
        { id: "broken", policy: broken },
      ]),
    });
    const t = token("00uAngel", angelClaims);
    expect(await code(service.verify({ loginHint: ANGEL.login!, idToken: t, policyId: "broken" }))).toBe("INVALID_POLICY");
    // The same token, under a good policy, still verifies, and the one attempt was not spent.
    expect((await service.verify({ loginHint: ANGEL.login!, idToken: t })).decision).toBe("match");
  });

  it("a registry needs distinct ids and a registered default", () => {
    expect(
      () =>
        new StaticPolicyRegistry([
          { id: "a", policy: null },
          { id: "a", policy: null },
        ]),
    ).toThrow(InvalidPolicyError);
    expect(() => new StaticPolicyRegistry([{ id: "", policy: null }])).toThrow(InvalidPolicyError);
    let caught: unknown;
    try {
      new StaticPolicyRegistry([{ id: "a", policy: null }], "b");
    } catch (e) {
      caught = e;
    }
    expect((caught as InvalidPolicyError).code).toBe("UNKNOWN_POLICY");
    expect(
      new StaticPolicyRegistry([
        { id: "a", policy: null },
        { id: "b", policy: null },
      ]).defaultId,
    ).toBe("a");
  });

  it("concurrent records of one user over an async store are all kept", async () => {
    let doc: import("../../src/node.js").EnrollmentHistory | null = null;
    const slow = {
      load: async () => (await new Promise((r) => setTimeout(r, 5)), doc),
      save: async (_u: string, h: typeof doc) => void (doc = h),
    };
    const recorder = new HistoryRecorder(slow as unknown as import("../../src/node.js").HistoryStore);
    const { service } = setup({ recorder });
    const tokens = Array.from({ length: 4 }, () => token("00uAngel", angelClaims));
    await Promise.all(tokens.map((t) => service.verify({ loginHint: ANGEL.login!, idToken: t })));
    expect(doc!.users["00uAngel"]).toHaveLength(4);
  });

  it("an operator's Okta claims request tightens the policy but its values are never compared (finding 2)", async () => {
    const request = {
      verified_claims: {
        claims: { given_name: { value: "Mallory", fuzzy: true }, family_name: { fuzzy: "Quist" }, birthdate: "1979-11-30" },
      },
    };
    const { service, histories } = setup({ policies: new StaticPolicyRegistry([{ id: "okta", policy: null, oktaClaims: request }]) });
    // The impostor's claims under the victim's sub (as a genuine vendor token could carry them).
    const out = await service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", malloryClaims) });
    expect([out.decision, out.state, out.enrollment]).toEqual(["no_match", "mismatch", "not_enrolled"]);
    expect(histories.document?.users["00uAngel"]?.map((e) => e.decision)).toEqual(["no_match"]);
    // The genuine person still matches under the same request.
    expect((await service.verify({ loginHint: ANGEL.login!, idToken: token("00uAngel", angelClaims) })).decision).toBe("match");
  });
});

/** Signed verification results: every refusal, key rotation, and the emulator's demo IDV vendor. */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.js";
import {
  ClaimsMatcher,
  InitializationError,
  JwksClient,
  MemoryReplayGuard,
  OktaDirectoryError,
  TokenError,
  decideVerification,
  normalizeUser,
  verifyIdToken,
  verifyOidcIdToken,
  type ErrorCode,
  type VerifyIdTokenOptions,
} from "../src/node.js";
import { b64json, signJwt } from "./emulator/helpers.js";

const ISS = "https://idv.example";
const AUD = "portal-client";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

interface TestKey {
  kid: string;
  alg: "RS256" | "ES256";
  priv: KeyObject;
  jwk: Record<string, unknown>;
}

function testKey(alg: "RS256" | "ES256", kid: string): TestKey {
  const pair = alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, alg, priv: pair.privateKey, jwk: { ...pair.publicKey.export({ format: "jwk" }), kid, alg, use: "sig" } };
}

const rsa = testKey("RS256", "rsa-1");
const ec = testKey("ES256", "ec-1");
const jwks = { keys: [rsa.jwk, ec.jwk] };

const VERIFIED_CLAIMS = {
  verification: { trust_framework: "IDV-DELEGATED", assurance_level: "VERIFIED", time: "2027-01-15T08:00:00Z" },
  claims: { given_name: "Zoë", family_name: "Ōtsuka-Whitfield", birthdate: "1988-02-29" },
};

function payload(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISS,
    sub: "00u1",
    aud: AUD,
    iat: NOW - 10,
    exp: NOW + 600,
    nonce: "n-1",
    jti: "jti-1",
    verified_claims: VERIFIED_CLAIMS,
    ...extra,
  };
}

function token(key: TestKey = rsa, extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  return signJwt({ alg: key.alg, typ: "JWT", kid: key.kid, ...header }, payload(extra), key.priv);
}

const base: VerifyIdTokenOptions = { issuer: ISS, audience: AUD, jwks, nonce: "n-1", now: NOW_MS };

async function refusal(p: Promise<unknown>): Promise<TokenError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError);
    expect(e).toBeInstanceOf(OktaDirectoryError);
    const err = e as TokenError;
    // Never a claim value in a message.
    for (const v of ["Zoë", "Ōtsuka", "1988-02-29", "00u1", "n-1", "jti-1"]) expect(err.message).not.toContain(v);
    return err;
  }
  throw new Error("expected a refusal");
}

async function code(p: Promise<unknown>): Promise<ErrorCode> {
  return (await refusal(p)).code;
}

describe("verifyIdToken: accepted tokens", () => {
  it("verifies RS256 and ES256 and returns verified_claims ready for the matcher", async () => {
    for (const key of [rsa, ec]) {
      const out = await verifyIdToken(token(key), base);
      expect(out.header).toEqual({ alg: key.alg, kid: key.kid });
      expect(out.claims).toMatchObject({ iss: ISS, sub: "00u1", aud: AUD, nonce: "n-1", jti: "jti-1" });
      expect(out.verifiedClaims).toEqual([VERIFIED_CLAIMS]);
      expect(out.verified).toEqual(VERIFIED_CLAIMS);
    }
    const report = new ClaimsMatcher().match((await verifyIdToken(token(), base)).verified, {
      firstName: "Zoe",
      lastName: "Otsuka-Whitfield",
      birthdate: "1988-02-29",
    });
    expect(report.decision).toBe("match");
  });

  it("accepts an array of verified_claims, an audience array with our azp, and a token without kid when one key fits", async () => {
    const second = { verification: { trust_framework: "IDV-DELEGATED" }, claims: {} };
    const out = await verifyIdToken(token(rsa, { verified_claims: [VERIFIED_CLAIMS, second], aud: [AUD, "other"], azp: AUD }), base);
    expect(out.verifiedClaims).toHaveLength(2);
    const noKid = signJwt({ alg: "ES256" }, payload(), ec.priv);
    expect((await verifyIdToken(noKid, base)).header).toEqual({ alg: "ES256" });
    await expect(verifyIdToken(token(), { ...base, audience: ["x", AUD] })).resolves.toBeDefined();
  });

  it("tolerates the clock skew on exp, nbf and iat", async () => {
    await expect(verifyIdToken(token(rsa, { exp: NOW - 30 }), base)).resolves.toBeDefined();
    await expect(verifyIdToken(token(rsa, { nbf: NOW + 30, iat: NOW + 30 }), base)).resolves.toBeDefined();
    expect(await code(verifyIdToken(token(rsa, { exp: NOW - 30 }), { ...base, clockSkewSec: 0 }))).toBe("TOKEN_EXPIRED");
  });
});

describe("verifyIdToken: every refusal has its code", () => {
  it("TOKEN_MALFORMED: shape, encoding, JSON, required members, verified_claims", async () => {
    const good = token();
    const [h, p, s] = good.split(".") as [string, string, string];
    const cases: string[] = [
      "",
      "abc",
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      `${h}!.${p}.${s}`,
      `${b64json("text")}.${p}.${s}`,
      `${Buffer.from("{not json").toString("base64url")}.${p}.${s}`,
      `${h}.${p}.`,
      "x".repeat(70_000),
    ];
    for (const t of cases) expect(await code(verifyIdToken(t, base))).toBe("TOKEN_MALFORMED");
    // Signed correctly, but the payload is unusable.
    const signedBad = [
      signJwt({ alg: "RS256", kid: "rsa-1" }, { ...payload(), sub: undefined }, rsa.priv),
      signJwt({ alg: "RS256", kid: "rsa-1" }, { ...payload(), exp: "tomorrow" }, rsa.priv),
      signJwt({ alg: "RS256", kid: "rsa-1" }, { ...payload(), iat: undefined }, rsa.priv),
      signJwt({ alg: "RS256", kid: "rsa-1" }, { ...payload(), aud: [1] }, rsa.priv),
      token(rsa, { verified_claims: undefined }),
      token(rsa, { verified_claims: [] }),
      token(rsa, { verified_claims: { claims: {} } }),
      token(rsa, { verified_claims: { verification: { trust_framework: "IDV-DELEGATED" } } }),
      token(rsa, {}, { crit: ["exp"] }),
      token(rsa, {}, { kid: 7 }),
    ];
    for (const t of signedBad) expect(await code(verifyIdToken(t, base))).toBe("TOKEN_MALFORMED");
    // A payload that is valid JSON but not an object, correctly signed.
    const input = `${b64json({ alg: "RS256", kid: "rsa-1" })}.${Buffer.from("[1,2]").toString("base64url")}`;
    const arrayPayload = `${input}.${sign("sha256", Buffer.from(input), rsa.priv).toString("base64url")}`;
    expect(await code(verifyIdToken(arrayPayload, base))).toBe("TOKEN_MALFORMED");
  });

  it("TOKEN_UNSUPPORTED_ALGORITHM: none, HMAC, other RSA sizes, or not in the allowed list", async () => {
    const [, p] = token().split(".") as [string, string];
    expect(await code(verifyIdToken(`${b64json({ alg: "none" })}.${p}.`, base))).toBe("TOKEN_UNSUPPORTED_ALGORITHM");
    expect(await code(verifyIdToken(`${b64json({ alg: "HS256", kid: "rsa-1" })}.${p}.AAAA`, base))).toBe("TOKEN_UNSUPPORTED_ALGORITHM");
    expect(await code(verifyIdToken(signJwt({ alg: "RS384", kid: "rsa-1" }, payload(), rsa.priv), base))).toBe(
      "TOKEN_UNSUPPORTED_ALGORITHM",
    );
    expect(await code(verifyIdToken(token(ec), { ...base, algorithms: ["RS256"] }))).toBe("TOKEN_UNSUPPORTED_ALGORITHM");
  });

  it("TOKEN_UNKNOWN_KEY: a kid the set lacks, or a kid whose key does not fit the algorithm", async () => {
    const stranger = testKey("RS256", "stranger");
    expect(await code(verifyIdToken(token(stranger), base))).toBe("TOKEN_UNKNOWN_KEY");
    // Algorithm confusion: an ES256 header naming the RSA key finds no usable key.
    expect(await code(verifyIdToken(signJwt({ alg: "ES256", kid: "rsa-1" }, payload(), ec.priv), base))).toBe("TOKEN_UNKNOWN_KEY");
    // A key published for encryption, or too short, is not used.
    const enc = { keys: [{ ...rsa.jwk, use: "enc" }] };
    expect(await code(verifyIdToken(token(), { ...base, jwks: enc }))).toBe("TOKEN_UNKNOWN_KEY");
    const short = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const shortKey = {
      kid: "short",
      alg: "RS256" as const,
      priv: short.privateKey,
      jwk: { ...short.publicKey.export({ format: "jwk" }), kid: "short" },
    };
    expect(await code(verifyIdToken(token(shortKey), { ...base, jwks: { keys: [shortKey.jwk] } }))).toBe("TOKEN_UNKNOWN_KEY");
  });

  it("TOKEN_INVALID_SIGNATURE: tampered payload, forged key under a published kid, truncated signature", async () => {
    const [h, , s] = token().split(".") as [string, string, string];
    const tampered = `${h}.${b64json(payload({ verified_claims: { ...VERIFIED_CLAIMS, claims: { given_name: "Mallory" } } }))}.${s}`;
    expect(await code(verifyIdToken(tampered, base))).toBe("TOKEN_INVALID_SIGNATURE");
    const forger = testKey("RS256", "rsa-1");
    expect(await code(verifyIdToken(token(forger), base))).toBe("TOKEN_INVALID_SIGNATURE");
    const forgerEc = testKey("ES256", "ec-1");
    expect(await code(verifyIdToken(token(forgerEc), base))).toBe("TOKEN_INVALID_SIGNATURE");
    const t = token(ec);
    expect(await code(verifyIdToken(t.slice(0, -10), base))).toBe("TOKEN_INVALID_SIGNATURE");
  });

  it("TOKEN_WRONG_ISSUER and TOKEN_WRONG_AUDIENCE (aud, several audiences without azp, foreign azp)", async () => {
    expect(await code(verifyIdToken(token(rsa, { iss: "https://idv.example/" }), base))).toBe("TOKEN_WRONG_ISSUER");
    expect(await code(verifyIdToken(token(rsa, { aud: "someone-else" }), base))).toBe("TOKEN_WRONG_AUDIENCE");
    expect(await code(verifyIdToken(token(rsa, { aud: [AUD, "other"] }), base))).toBe("TOKEN_WRONG_AUDIENCE");
    expect(await code(verifyIdToken(token(rsa, { aud: [AUD, "other"], azp: "other" }), base))).toBe("TOKEN_WRONG_AUDIENCE");
  });

  it("TOKEN_EXPIRED, TOKEN_NOT_YET_VALID (nbf, iat) and maxAgeSec", async () => {
    expect(await code(verifyIdToken(token(rsa, { exp: NOW - 61 }), base))).toBe("TOKEN_EXPIRED");
    expect(await code(verifyIdToken(token(rsa, { nbf: NOW + 120 }), base))).toBe("TOKEN_NOT_YET_VALID");
    expect(await code(verifyIdToken(token(rsa, { iat: NOW + 120 }), base))).toBe("TOKEN_NOT_YET_VALID");
    expect(await code(verifyIdToken(token(rsa, { iat: NOW - 400 }), { ...base, maxAgeSec: 300 }))).toBe("TOKEN_EXPIRED");
    // The default clock is the real one: a token from 2027 (NOW) is not yet valid today.
    const { now: _fixed, ...realClock } = base;
    expect(await code(verifyIdToken(token(), realClock))).toBe("TOKEN_NOT_YET_VALID");
  });

  it("finding 8: a maximum age by default, plausible NumericDates only, a bounded lifetime", async () => {
    const day = 86_400;
    const year2100 = 4_102_444_800;
    // Issued 400 days ago, still "valid" until 2100: refused without any option.
    expect(await code(verifyIdToken(token(rsa, { iat: NOW - 400 * day, exp: NOW + 600 }), base))).toBe("TOKEN_EXPIRED");
    expect(await code(verifyIdToken(token(rsa, { iat: NOW - 400 * day, exp: year2100 }), base))).toBe("TOKEN_EXPIRED");
    // Absurd numbers are malformed, not an arithmetic accident further on.
    for (const extra of [
      { exp: year2100 },
      { exp: 1e300 },
      { exp: -1 },
      { iat: 1e300 },
      { iat: -1e300 },
      { nbf: 1e300 },
      { auth_time: 1e300 },
      { auth_time: "yesterday" },
    ]) {
      expect(await code(verifyIdToken(token(rsa, extra), base)), JSON.stringify(extra)).toBe("TOKEN_MALFORMED");
    }
    // The verification itself (auth_time) must be recent too, and not in the future.
    expect(await code(verifyIdToken(token(rsa, { auth_time: NOW - 2 * day }), base))).toBe("TOKEN_EXPIRED");
    expect(await code(verifyIdToken(token(rsa, { auth_time: NOW + 3600 }), base))).toBe("TOKEN_NOT_YET_VALID");
    const ok = await verifyIdToken(token(rsa, { auth_time: NOW - 30 }), base);
    expect(ok.claims.auth_time).toBe(NOW - 30);
    // Options move the bounds.
    await expect(
      verifyIdToken(token(rsa, { iat: NOW - 2 * day, exp: NOW + 600 }), { ...base, maxAgeSec: 3 * day, maxLifetimeSec: 3 * day }),
    ).resolves.toBeDefined();
    expect(await code(verifyIdToken(token(rsa, { exp: NOW + 7200 }), { ...base, maxLifetimeSec: 3600 }))).toBe("TOKEN_MALFORMED");
  });

  it("verifyOidcIdToken: a plain OIDC ID token (no verified_claims) with every other check", async () => {
    const plain = token(rsa, { verified_claims: undefined, preferred_username: "admin@example.com" });
    expect(await code(verifyIdToken(plain, base))).toBe("TOKEN_MALFORMED");
    const out = await verifyOidcIdToken(plain, base);
    expect(out.claims).toMatchObject({ iss: ISS, sub: "00u1", nonce: "n-1" });
    expect(out.payload["preferred_username"]).toBe("admin@example.com");
    expect("verifiedClaims" in out).toBe(false);
    expect(await code(verifyOidcIdToken(plain, { ...base, nonce: "other" }))).toBe("TOKEN_NONCE_MISMATCH");
    expect(await code(verifyOidcIdToken(plain, { ...base, audience: "someone-else" }))).toBe("TOKEN_WRONG_AUDIENCE");
    expect(await code(verifyOidcIdToken(token(rsa, { verified_claims: undefined, exp: 1e300 }), base))).toBe("TOKEN_MALFORMED");
    const [h, p] = plain.split(".") as [string, string];
    expect(await code(verifyOidcIdToken(`${h}.${p}.${"A".repeat(342)}`, base))).toBe("TOKEN_INVALID_SIGNATURE");
    const guard = new MemoryReplayGuard(() => NOW_MS);
    await verifyOidcIdToken(plain, { ...base, replayGuard: guard });
    expect(await code(verifyOidcIdToken(plain, { ...base, replayGuard: guard }))).toBe("TOKEN_REPLAYED");
  });

  it("the replay guard keeps a jti only until the token would be refused anyway", async () => {
    const seen: number[] = [];
    const guard = { use: (_jti: string, until: number) => (seen.push(until), true) };
    await verifyIdToken(token(rsa, { iat: NOW - 10, exp: NOW + 600 }), { ...base, replayGuard: guard });
    await verifyIdToken(token(rsa, { iat: NOW - 10, exp: NOW + 600, jti: "j2" }), { ...base, replayGuard: guard, maxAgeSec: 100 });
    expect(seen).toEqual([NOW + 600 + 60, NOW - 10 + 100 + 60]);
  });

  it("TOKEN_NONCE_MISMATCH: another nonce, or none when one was sent", async () => {
    expect(await code(verifyIdToken(token(rsa, { nonce: "n-2" }), base))).toBe("TOKEN_NONCE_MISMATCH");
    expect(await code(verifyIdToken(token(rsa, { nonce: undefined }), base))).toBe("TOKEN_NONCE_MISMATCH");
  });

  it("TOKEN_REPLAYED: the second use of a jti; a single-use check needs a jti; refused tokens consume nothing", async () => {
    const guard = new MemoryReplayGuard(() => NOW_MS);
    const opts = { ...base, replayGuard: guard };
    expect(await code(verifyIdToken(token(rsa, { exp: NOW - 100 }), opts))).toBe("TOKEN_EXPIRED");
    await expect(verifyIdToken(token(), opts)).resolves.toBeDefined();
    expect(await code(verifyIdToken(token(), opts))).toBe("TOKEN_REPLAYED");
    await expect(verifyIdToken(token(rsa, { jti: "jti-2" }), opts)).resolves.toBeDefined();
    expect(await code(verifyIdToken(token(rsa, { jti: undefined }), opts))).toBe("TOKEN_MALFORMED");
  });

  it("JWKS_UNAVAILABLE: no key set, network failure, HTTP error, not JSON, not a JWKS", async () => {
    const { jwks: _omit, ...noKeys } = base;
    expect(await code(verifyIdToken(token(), noKeys))).toBe("JWKS_UNAVAILABLE");
    const answers: (() => Promise<Response>)[] = [
      () => Promise.reject(new TypeError("network down")),
      () => Promise.resolve(new Response("oops", { status: 503 })),
      () => Promise.resolve(new Response("{not json")),
      () => Promise.resolve(new Response(JSON.stringify({ kid: "x" }))),
    ];
    for (const answer of answers) {
      const client = new JwksClient("https://idv.example/jwks", { fetch: () => answer() });
      expect(await code(verifyIdToken(token(), { ...base, jwks: client }))).toBe("JWKS_UNAVAILABLE");
    }
    expect(await code(verifyIdToken(token(), { ...base, jwks: { nope: 1 } }))).toBe("JWKS_UNAVAILABLE");
  });
});

describe("where WebCrypto is missing", () => {
  it("is WEBCRYPTO_UNAVAILABLE (an InitializationError), not an unknown key", async () => {
    vi.stubGlobal("crypto", undefined);
    try {
      const err = await verifyIdToken(token(), base).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InitializationError);
      expect((err as InitializationError).code).toBe("WEBCRYPTO_UNAVAILABLE");
    } finally {
      vi.unstubAllGlobals();
    }
    await expect(verifyIdToken(token(), base)).resolves.toBeDefined();
  });
});

describe("key rotation with a fetched JWKS", () => {
  function vendor(): { fetch: typeof fetch; calls: () => number; publish: (keys: Record<string, unknown>[]) => void } {
    let published = [rsa.jwk];
    let calls = 0;
    return {
      fetch: () => {
        calls++;
        return Promise.resolve(new Response(JSON.stringify({ keys: published })));
      },
      calls: () => calls,
      publish: (keys) => {
        published = keys;
      },
    };
  }

  it("caches the set, refetches once on an unknown kid, and refuses when the kid is still unknown", async () => {
    const v = vendor();
    let clock = NOW_MS;
    const client = new JwksClient("https://idv.example/jwks", { fetch: v.fetch, ttlSec: 600, cooldownSec: 30, now: () => clock });
    const opts = { ...base, jwks: client, now: () => clock };
    await verifyIdToken(token(), opts);
    await verifyIdToken(token(), opts);
    expect(v.calls()).toBe(1);
    // The vendor rotates to an EC key: the first token under the new kid refetches once and verifies.
    v.publish([ec.jwk, rsa.jwk]);
    clock += 31_000;
    await expect(verifyIdToken(token(ec), opts)).resolves.toBeDefined();
    expect(v.calls()).toBe(2);
    // A made-up kid refetches at most once per cooldown, then is refused.
    clock += 31_000;
    expect(await code(verifyIdToken(token(testKey("ES256", "made-up")), opts))).toBe("TOKEN_UNKNOWN_KEY");
    expect(v.calls()).toBe(3);
    expect(await code(verifyIdToken(token(testKey("ES256", "made-up-2")), opts))).toBe("TOKEN_UNKNOWN_KEY");
    expect(v.calls()).toBe(3);
    // The old key is retired: cached until the TTL runs out, then gone.
    v.publish([ec.jwk]);
    await expect(verifyIdToken(token(), opts)).resolves.toBeDefined();
    clock += 601_000;
    expect(await code(verifyIdToken(token(), opts))).toBe("TOKEN_UNKNOWN_KEY");
    expect(v.calls()).toBe(4);
  });

  it("jwksUrl + fetch shares one cached client per URL and fetch function", async () => {
    const v = vendor();
    const opts = { ...base, jwks: undefined, jwksUrl: "https://idv.example/shared-jwks", fetch: v.fetch } as VerifyIdTokenOptions;
    await verifyIdToken(token(), opts);
    await verifyIdToken(token(), opts);
    expect(v.calls()).toBe(1);
  });
});

describe("the emulator's demo IDV vendor", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ users: 60, groups: 2, seed: 7, rateLimit: "off" });
  });
  afterAll(async () => emu.close());

  const issue = async (body: Record<string, unknown>): Promise<{ id_token: string; jti: string; kid: string; issuer: string }> => {
    const res = await fetch(`${emu.url}/idv/control/issue`, { method: "POST", body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id_token: string; jti: string; kid: string; issuer: string };
  };
  const user = () => {
    const u = emu.env.store.users.find((x) => x.status === "ACTIVE" && typeof x.profile["birthdate"] === "string");
    if (u === undefined) throw new Error("no active user with a birthdate");
    return u;
  };
  const opts = (): VerifyIdTokenOptions => ({
    issuer: `${emu.url}/idv`,
    audience: "okta-directory-portal",
    jwksUrl: `${emu.url}/idv/.well-known/jwks.json`,
    fetch: (i, init) => fetch(i, init),
  });

  it("issues a token for a directory user that verifies and matches that user's record", async () => {
    const u = user();
    const out = await issue({ login: u.profile["login"], nonce: "abc" });
    const verified = await verifyIdToken(out.id_token, { ...opts(), nonce: "abc" });
    expect(verified.claims.sub).toBe(u.id);
    expect(new ClaimsMatcher().match(verified.verified, u).decision).toBe("match");
  });

  it("deliberate differences make the match fail; expired, wrong audience, unknown and forged keys are refused", async () => {
    const u = user();
    // Another date of birth: a required exact claim that differs. (A different family name alone, with the other
    // details agreeing, is a changed name: `review`, a person checks the document.)
    expect(u.profile["birthdate"]).not.toBe("1944-02-03");
    const diff = await verifyIdToken((await issue({ userId: u.id, overrides: { birthdate: "1944-02-03" } })).id_token, opts());
    const report = new ClaimsMatcher().match(diff.verified, u);
    expect(report.decision).toBe("no_match");
    expect(report.claims.birthdate?.outcome).toBe("mismatch");
    const renamed = await verifyIdToken(
      (await issue({ userId: u.id, overrides: { family_name: "Completely-Different" } })).id_token,
      opts(),
    );
    const renamedReport = new ClaimsMatcher().match(renamed.verified, u);
    expect(renamedReport.decision).not.toBe("match");
    expect(renamedReport.claims.family_name?.outcome).toBe("mismatch");
    expect(await code(verifyIdToken((await issue({ userId: u.id, expired: true })).id_token, opts()))).toBe("TOKEN_EXPIRED");
    expect(await code(verifyIdToken((await issue({ userId: u.id, audience: "other-app" })).id_token, opts()))).toBe("TOKEN_WRONG_AUDIENCE");
    expect(await code(verifyIdToken((await issue({ userId: u.id, signWith: "unknown-key" })).id_token, opts()))).toBe("TOKEN_UNKNOWN_KEY");
    expect(await code(verifyIdToken((await issue({ userId: u.id, signWith: "forged" })).id_token, opts()))).toBe("TOKEN_INVALID_SIGNATURE");
  });

  it("rotates keys: tokens under the new kid verify after one refetch, the old key keeps working until retired", async () => {
    const u = user();
    const client = new JwksClient(`${emu.url}/idv/.well-known/jwks.json`, { cooldownSec: 0 });
    const { jwksUrl: _url, ...rest } = opts();
    const o: VerifyIdTokenOptions = { ...rest, jwks: client };
    const before = await issue({ userId: u.id });
    await verifyIdToken(before.id_token, o);
    const rotated = (await (await fetch(`${emu.url}/idv/control/rotate`, { method: "POST", body: '{"alg":"ES256"}' })).json()) as {
      kid: string;
    };
    const after = await issue({ userId: u.id });
    expect(after.kid).toBe(rotated.kid);
    expect((await verifyIdToken(after.id_token, o)).header.alg).toBe("ES256");
    expect(client.fetchCount).toBe(2);
    await verifyIdToken(before.id_token, o);
    await fetch(`${emu.url}/idv/control/rotate`, { method: "POST", body: '{"retireOld":true}' });
    const fresh = await issue({ userId: u.id });
    await verifyIdToken(fresh.id_token, o);
    expect(await code(verifyIdToken(before.id_token, { ...o, jwks: new JwksClient(`${emu.url}/idv/.well-known/jwks.json`) }))).toBe(
      "TOKEN_UNKNOWN_KEY",
    );
  });

  it("answers control requests with typed 4xx and publishes only public keys", async () => {
    expect((await fetch(`${emu.url}/idv/control/issue`, { method: "POST", body: '{"userId":"nobody"}' })).status).toBe(404);
    expect((await fetch(`${emu.url}/idv/control/issue`, { method: "POST", body: "[1]" })).status).toBe(400);
    const u = user();
    expect(
      (
        await fetch(`${emu.url}/idv/control/issue`, {
          method: "POST",
          body: JSON.stringify({ userId: u.id, overrides: { family_name: 3 } }),
        })
      ).status,
    ).toBe(400);
    const set = (await (await fetch(`${emu.url}/idv/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(set.keys.length).toBeGreaterThan(0);
    for (const k of set.keys) for (const priv of ["d", "p", "q", "dp", "dq", "qi"]) expect(k).not.toHaveProperty(priv);
    const conf = (await (await fetch(`${emu.url}/idv/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(conf.issuer).toBe(`${emu.url}/idv`);
  });
});

describe("decideVerification: one state per situation, outcomes and reasons only", () => {
  const record = {
    id: "00u9",
    status: "ACTIVE",
    profile: {
      login: "r.ortiz@corp.example",
      firstName: "Rosa",
      lastName: "Ortiz Vega",
      birthdate: "1979-11-02",
      streetAddress: "12 Calle Mayor",
      city: "Madrid",
      zipCode: "28013",
      countryCode: "ES",
    },
  };
  const element = (claims: Record<string, unknown>, level = "VERIFIED") =>
    ({ verification: { trust_framework: "IDV-DELEGATED", assurance_level: level }, claims }) as Parameters<typeof decideVerification>[0];
  const doc = {
    given_name: "Rosa",
    family_name: "Ortiz Vega",
    birthdate: "1979-11-02",
    address: { street_address: "12 Calle Mayor", locality: "Madrid", postal_code: "28013", country: "ES" },
  };
  const decide = (claims: Record<string, unknown>, rec: unknown = record, level?: string) => {
    const m = new ClaimsMatcher();
    try {
      return decideVerification(element(claims, level), normalizeUser(rec).user, m).result;
    } finally {
      m.free();
    }
  };

  it("success, mismatch, review, missing attributes, deactivated, vendor failed", () => {
    const ok = decide(doc);
    expect([ok.decision, ok.state]).toEqual(["match", "success"]);
    expect(ok.claims.family_name).toEqual({ outcome: "match", reasons: expect.any(Array) });
    const mismatch = decide({ ...doc, birthdate: "1979-11-03" });
    expect([mismatch.decision, mismatch.state, mismatch.claims.birthdate?.outcome]).toEqual(["no_match", "mismatch", "mismatch"]);
    // Another address alone no longer routes to review (CONTRACTS §2: the address is optional evidence).
    const moved = decide({ ...doc, address: { ...doc.address, locality: "Barcelona", postal_code: "08001" } });
    expect([moved.decision, moved.state]).toEqual(["match", "success"]);
    // A document given name whose later part is the record's (a middle name used, or a sibling) goes to a person.
    const review = decide({ ...doc, given_name: "MARIA ROSA" });
    expect([review.decision, review.state]).toEqual(["review", "review"]);
    const { birthdate: _b, ...noBirthdate } = record.profile;
    const missing = decide(doc, { ...record, profile: noBirthdate });
    expect([missing.decision, missing.state, missing.missingAttributes]).toEqual(["no_match", "missing_attributes", ["birthdate"]]);
    // Missing and different at once: the difference is what the person is told.
    expect(decide({ ...doc, family_name: "Smith" }, { ...record, profile: noBirthdate }).state).toBe("mismatch");
    for (const status of ["DEPROVISIONED", "SUSPENDED"]) {
      const gone = decide(doc, { ...record, status });
      expect([gone.decision, gone.state, gone.claims]).toEqual(["no_match", "deactivated", {}]);
    }
    const failed = decide(doc, record, "FAILED");
    expect([failed.decision, failed.state]).toEqual(["no_match", "vendor_failed"]);
  });

  it("never carries a directory or claim value", () => {
    const text = JSON.stringify([
      decide(doc),
      decide({ ...doc, family_name: "Smythe-Jones" }),
      decide({ ...doc, address: { ...doc.address, locality: "Sevilla" } }),
    ]);
    for (const v of ["Rosa", "Ortiz", "1979", "Madrid", "Calle", "28013", "Smythe", "Sevilla"]) expect(text).not.toContain(v);
  });
});

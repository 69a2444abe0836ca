/** Token endpoint (private_key_jwt, scopes, DPoP) and bearer/DPoP use on the API. */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ASSERTION_TYPE, clientAssertion, dpopProof, tokenRequest } from "./helpers.js";

let emu: RunningEmulator;
let aud: string;
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ecJwk = ec.publicKey.export({ format: "jwk" }) as Record<string, unknown>;
let ecApp: string;
let dpopApp: string;
let limitedApp: string;

beforeAll(async () => {
  emu = await startEmulator({ users: 30, groups: 3, seed: 7, rateLimit: "off", dpop: "off" });
  aud = `${emu.url}/oauth2/v1/token`;
  ecApp = emu.env.oauth.registerApp({
    keys: [{ kid: "ec1", key: ec.publicKey }],
    grantedScopes: ["okta.users.read"],
    dpop: "off",
  }).clientId;
  dpopApp = emu.env.oauth.registerApp({ keys: [{ kid: "ec1", key: ec.publicKey }], dpop: "required" }).clientId;
  limitedApp = emu.env.oauth.registerApp({ keys: [{ kid: "ec1", key: ec.publicKey }], grantedScopes: [], dpop: "off" }).clientId;
});
afterAll(async () => emu.close());

function form(assertion: string, scope = "okta.users.read okta.groups.read"): Record<string, string> {
  return { grant_type: "client_credentials", scope, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
}

function rsa(over: Partial<Parameters<typeof clientAssertion>[0]> = {}): string {
  return clientAssertion({ clientId: emu.clientId, aud, key: emu.privateKeyPem, kid: emu.keyId, ...over });
}

async function expectOAuthError(res: Response, status: number, error: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe("string");
  return body.error_description;
}

describe("POST /oauth2/v1/token", () => {
  it("issues a Bearer token for a valid RS256 assertion, usable on the API", async () => {
    const res = await tokenRequest(emu.url, form(rsa()));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { token_type: string; expires_in: number; access_token: string; scope: string };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "okta.users.read okta.groups.read" });
    const api = await fetch(`${emu.url}/api/v1/users?limit=1`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(api.status).toBe(200);
  });

  it("accepts ES256 assertions", async () => {
    const res = await tokenRequest(
      emu.url,
      form(clientAssertion({ clientId: ecApp, aud, key: ec.privateKey, kid: "ec1", alg: "ES256" }), "okta.users.read"),
    );
    expect(res.status).toBe(200);
  });

  it("rejects a bad signature, a wrong aud, a replayed jti, a far exp, a future iat, iss != sub", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(await expectOAuthError(await tokenRequest(emu.url, form(rsa({ key: other }))), 401, "invalid_client")).toMatch(/signature/);
    expect(
      await expectOAuthError(await tokenRequest(emu.url, form(rsa({ aud: `${emu.url}/oauth2/default/v1/token` }))), 401, "invalid_client"),
    ).toMatch(/audience/);
    const once = rsa({ jti: "fixed-jti" });
    expect((await tokenRequest(emu.url, form(once))).status).toBe(200);
    expect(await expectOAuthError(await tokenRequest(emu.url, form(rsa({ jti: "fixed-jti" }))), 401, "invalid_client")).toMatch(
      /already been used/,
    );
    const now = Math.floor(Date.now() / 1000);
    expect(await expectOAuthError(await tokenRequest(emu.url, form(rsa({ exp: now + 7200 }))), 401, "invalid_client")).toMatch(/too far/);
    expect(await expectOAuthError(await tokenRequest(emu.url, form(rsa({ exp: now - 5 }))), 401, "invalid_client")).toMatch(/expired/);
    expect(await expectOAuthError(await tokenRequest(emu.url, form(rsa({ iat: now + 120 }))), 401, "invalid_client")).toMatch(/future/);
    await expectOAuthError(await tokenRequest(emu.url, form(rsa({ sub: "someone-else" }))), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa({ kid: "unknown-kid" }))), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa({ clientId: "0oaUnknownClient000" }))), 401, "invalid_client");
  });

  it("rejects non-private_key_jwt requests and browser requests", async () => {
    await expectOAuthError(
      await tokenRequest(emu.url, {
        grant_type: "client_credentials",
        client_id: emu.clientId,
        client_secret: "x",
        scope: "okta.users.read",
      }),
      401,
      "invalid_client",
    );
    await expectOAuthError(await tokenRequest(emu.url, { ...form(rsa()), client_assertion_type: "bogus" }), 400, "invalid_request");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa()), { Origin: "https://app.example" }), 401, "invalid_client");
    await expectOAuthError(
      await tokenRequest(emu.url, { ...form(rsa()), grant_type: "authorization_code" }),
      400,
      "unsupported_grant_type",
    );
  });

  it("scopes: none granted → consent_required; some → silently reduced; unknown or openid → invalid_scope", async () => {
    await expectOAuthError(
      await tokenRequest(emu.url, form(clientAssertion({ clientId: limitedApp, aud, key: ec.privateKey, alg: "ES256" }))),
      400,
      "consent_required",
    );
    const reduced = await tokenRequest(
      emu.url,
      form(clientAssertion({ clientId: ecApp, aud, key: ec.privateKey, alg: "ES256" }), "okta.users.read okta.groups.read"),
    );
    expect(reduced.status).toBe(200);
    const token = (await reduced.json()) as { scope: string; access_token: string };
    expect(token.scope).toBe("okta.users.read");
    // The reduced token cannot read groups: 403 with the reason in WWW-Authenticate.
    const groups = await fetch(`${emu.url}/api/v1/groups`, { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(groups.status).toBe(403);
    const challenge = groups.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="okta.groups.read"');
    expect(((await groups.json()) as { errorCode: string }).errorCode).toBe("E0000006");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa(), "okta.users.read okta.nonexistent.scope")), 400, "invalid_scope");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa(), "openid okta.users.read")), 400, "invalid_scope");
    await expectOAuthError(await tokenRequest(emu.url, form(rsa(), "")), 400, "invalid_scope");
  });

  it("tokens expire (configurable TTL) and are then refused with 401 E0000011", async () => {
    emu.env.oauth.tokenTtlSeconds = 1;
    try {
      const token = (await (await tokenRequest(emu.url, form(rsa()))).json()) as { access_token: string; expires_in: number };
      expect(token.expires_in).toBe(1);
      await new Promise((r) => setTimeout(r, 1100));
      const res = await fetch(`${emu.url}/api/v1/users`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe("E0000011");
    } finally {
      emu.env.oauth.tokenTtlSeconds = 3600;
    }
  });
});

describe("DPoP", () => {
  const proof = (
    o: { htm?: string; htu?: string; nonce?: string; accessToken?: string; key?: KeyObject; jwk?: Record<string, unknown> } = {},
  ): string =>
    dpopProof({
      key: o.key ?? ec.privateKey,
      publicJwk: o.jwk ?? ecJwk,
      htm: o.htm ?? "POST",
      htu: o.htu ?? aud,
      ...(o.nonce === undefined ? {} : { nonce: o.nonce }),
      ...(o.accessToken === undefined ? {} : { accessToken: o.accessToken }),
    });
  const assertion = (): string => clientAssertion({ clientId: dpopApp, aud, key: ec.privateKey, kid: "ec1", alg: "ES256" });

  async function dpopToken(): Promise<string> {
    const first = await tokenRequest(emu.url, form(assertion()), { DPoP: proof() });
    await expectOAuthError(first, 400, "use_dpop_nonce");
    const nonce = first.headers.get("dpop-nonce") ?? "";
    expect(nonce).not.toBe("");
    const second = await tokenRequest(emu.url, form(assertion()), { DPoP: proof({ nonce }) });
    expect(second.status).toBe(200);
    const body = (await second.json()) as { token_type: string; access_token: string };
    expect(body.token_type).toBe("DPoP");
    return body.access_token;
  }

  it("required: missing proof → invalid_dpop_proof; nonce challenge; DPoP-bound token works only with a fresh proof", async () => {
    await expectOAuthError(await tokenRequest(emu.url, form(assertion())), 400, "invalid_dpop_proof");
    const token = await dpopToken();
    const url = `${emu.url}/api/v1/users`;
    const ok = await fetch(`${url}?limit=2`, {
      headers: { Authorization: `DPoP ${token}`, DPoP: proof({ htm: "GET", htu: url, accessToken: token }) },
    });
    expect(ok.status).toBe(200);
    // Replayed proof, wrong htu, missing ath, Bearer scheme: all refused.
    const p = proof({ htm: "GET", htu: url, accessToken: token });
    expect((await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: p } })).status).toBe(200);
    const replay = await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: p } });
    expect(replay.status).toBe(400);
    expect(replay.headers.get("www-authenticate")).toMatch(/^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512".*error="invalid_dpop_proof"/);
    expect(
      (
        await fetch(url, {
          headers: { Authorization: `DPoP ${token}`, DPoP: proof({ htm: "GET", htu: `${emu.url}/api/v1/groups`, accessToken: token }) },
        })
      ).status,
    ).toBe(400);
    expect((await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: proof({ htm: "GET", htu: url }) } })).status).toBe(400);
    expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
    // A proof from another key does not match the token's cnf.jkt.
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const foreign = proof({
      htm: "GET",
      htu: url,
      accessToken: token,
      key: other.privateKey,
      jwk: other.publicKey.export({ format: "jwk" }) as Record<string, unknown>,
    });
    expect((await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: foreign } })).status).toBe(400);
  });

  it("htu names the percent-decoded path: a login with @ in the path", async () => {
    const token = await dpopToken();
    const login = String(emu.env.store.users[0]?.profile["login"]);
    const res = await fetch(`${emu.url}/api/v1/users/${encodeURIComponent(login)}`, {
      headers: { Authorization: `DPoP ${token}`, DPoP: proof({ htm: "GET", htu: `${emu.url}/api/v1/users/${login}`, accessToken: token }) },
    });
    expect(res.status).toBe(200);
  });

  it("nonce rotation: an old nonce keeps working until a forced rotation challenges it", async () => {
    const first = await tokenRequest(emu.url, form(assertion()), { DPoP: proof() });
    const nonce = first.headers.get("dpop-nonce") ?? "";
    emu.env.oauth.dpop.rotate();
    expect((await tokenRequest(emu.url, form(assertion()), { DPoP: proof({ nonce }) })).status).toBe(200);
    emu.env.oauth.forcedNonceChallenges = 1;
    const challenged = await tokenRequest(emu.url, form(assertion()), { DPoP: proof({ nonce }) });
    await expectOAuthError(challenged, 400, "use_dpop_nonce");
    const fresh = challenged.headers.get("dpop-nonce") ?? "";
    expect(fresh).not.toBe(nonce);
    expect((await tokenRequest(emu.url, form(assertion()), { DPoP: proof({ nonce }) })).status).toBe(400);
    expect((await tokenRequest(emu.url, form(assertion()), { DPoP: proof({ nonce: fresh }) })).status).toBe(200);
  });
});

/**
 * The emulator's OpenID provider for admin sign-in: discovery, the authorize login form, the code grant
 * with PKCE (single-use code, exact redirect URI), keys and userinfo; and the control API refusing a
 * foreign Host or Origin (a page elsewhere must not change the directory with a no-cors POST).
 */
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";

let emu: RunningEmulator;
let clientId: string;
const redirectUri = "http://127.0.0.1:9/auth/oidc/callback";
beforeAll(async () => {
  emu = await startEmulator({ users: 5, groups: 1, seed: 3, rateLimit: "off" });
  clientId = emu.oidc.registerClient([redirectUri]);
});
afterAll(async () => emu.close());

const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");

function authorizeUrl(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid profile email",
    state: "st-1",
    nonce: "n-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  return `${emu.url}/oauth2/v1/authorize?${q}`;
}

/** Opens the login form and posts the credentials; returns the redirect's Location. */
async function signIn(username: string, password: string): Promise<Response> {
  const page = await (await fetch(authorizeUrl())).text();
  const txn = /name="txn" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return fetch(`${emu.url}/oauth2/v1/authorize/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: emu.url },
    body: new URLSearchParams({ txn, username, password }).toString(),
  });
}

const exchange = (code: string, extra: Record<string, string> = {}): Promise<Response> =>
  fetch(`${emu.url}/oauth2/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      ...extra,
    }).toString(),
  });

describe("OIDC sign-in", () => {
  it("discovery names endpoints on the issuer's origin", async () => {
    const meta = (await (await fetch(`${emu.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(meta["issuer"]).toBe(emu.url);
    for (const k of ["authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"])
      expect(String(meta[k]).startsWith(`${emu.url}/oauth2/v1/`)).toBe(true);
  });

  it("the admin signs in; the code gives a signed ID token with the nonce, once; userinfo answers", async () => {
    const wrong = await signIn(emu.admin.username, "not-the-password");
    expect(wrong.status).toBe(401);
    const res = await signIn(emu.admin.username, emu.admin.password);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location") ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(redirectUri);
    expect(to.searchParams.get("state")).toBe("st-1");
    const code = to.searchParams.get("code") ?? "";
    const token = await exchange(code);
    expect(token.status).toBe(200);
    const body = (await token.json()) as { id_token: string; access_token: string };
    const [h = "", p = "", s = ""] = body.id_token.split(".");
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string; alg: string };
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const jwks = (await (await fetch(`${emu.url}/oauth2/v1/keys`)).json()) as { keys: Array<Record<string, string>> };
    const jwk = jwks.keys.find((k) => k["kid"] === header.kid);
    expect(header.alg).toBe("RS256");
    expect(
      verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk as never, format: "jwk" }), Buffer.from(s, "base64url")),
    ).toBe(true);
    expect(payload).toMatchObject({ iss: emu.url, aud: clientId, nonce: "n-1", sub: emu.admin.id });
    expect((await exchange(code)).status).toBe(400); // single use
    const info = await fetch(`${emu.url}/oauth2/v1/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(((await info.json()) as { sub: string }).sub).toBe(emu.admin.id);
    expect((await fetch(`${emu.url}/oauth2/v1/userinfo`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("PKCE, the redirect URI and the client are enforced", async () => {
    const code = async (): Promise<string> =>
      new URL((await signIn(emu.admin.username, emu.admin.password)).headers.get("location") ?? "").searchParams.get("code") ?? "";
    expect((await exchange(await code(), { code_verifier: randomBytes(32).toString("base64url") })).status).toBe(400);
    expect((await exchange(await code(), { redirect_uri: "http://127.0.0.1:9/elsewhere" })).status).toBe(400);
    expect((await fetch(authorizeUrl({ redirect_uri: "https://evil.example/cb" }), { redirect: "manual" })).status).toBe(400);
    const noPkce = await fetch(authorizeUrl({ code_challenge_method: "plain" }), { redirect: "manual" });
    expect(noPkce.status).toBe(302);
    expect(new URL(noPkce.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
  });

  it("the login form refuses a cross-origin post", async () => {
    const page = await (await fetch(authorizeUrl())).text();
    const txn = /name="txn" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const res = await fetch(`${emu.url}/oauth2/v1/authorize/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ txn, username: emu.admin.username, password: emu.admin.password }).toString(),
    });
    expect(res.status).toBe(403);
  });
});

describe("control API: this machine's own tools only", () => {
  const raw = (path: string, headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${emu.url}${path}`, { method: "POST", headers: { "content-type": "text/plain", ...headers } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end("{}");
    });

  it("a foreign Origin or Host cannot deactivate a user; the emulator's own tools can", async () => {
    const id = emu.env.store.users.find((u) => u.status === "ACTIVE")?.id ?? "";
    expect(await raw(`/__control/users/${id}/deactivate`, { origin: "https://evil.example" })).toBe(403);
    expect(await raw(`/__control/users/${id}/deactivate`, { origin: "null" })).toBe(403);
    expect(await raw(`/__control/users/${id}/deactivate`, { host: "rebound.example" })).toBe(403);
    expect(await raw("/idv/control/issue", { origin: "https://evil.example" })).toBe(403);
    expect(emu.env.store.users.find((u) => u.id === id)?.status).toBe("ACTIVE");
    expect(await raw(`/__control/users/${id}/deactivate`, {})).toBe(200);
  });
});

describe("demo IDV vendor: issuedSecondsAgo", () => {
  it("back-dates iat and keeps exp = iat + ttl (an old result that has not expired)", async () => {
    const id = emu.env.store.users[0]?.id ?? "";
    const issue = (body: Record<string, unknown>): Promise<Response> =>
      fetch(`${emu.url}/idv/control/issue`, { method: "POST", body: JSON.stringify({ userId: id, ...body }) });
    const res = await issue({ issuedSecondsAgo: 400 * 86400, ttlSeconds: 500 * 86400 });
    const { id_token: token } = (await res.json()) as { id_token: string };
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { iat: number; exp: number };
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs(now - 400 * 86400 - payload.iat)).toBeLessThan(5);
    expect(payload.exp - payload.iat).toBe(500 * 86400);
    expect((await issue({ issuedSecondsAgo: -1 })).status).toBe(400);
  });
});

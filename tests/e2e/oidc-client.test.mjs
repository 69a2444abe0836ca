// The dashboard's OIDC client (www/server/oidc-client.mjs) against a small fake org that answers the code
// exchange with a crafted ID token: each check (signature, issuer, audience, azp, expiry, age, nonce, jti
// single use, key size, algorithm) refuses its own flaw; the state must be this browser's and is single use.
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { OidcError, createOidcClient } from "../../www/server/oidc-client.mjs";

/**
 * How the next ID token differs from a good one: header and payload fields over the defaults, the signing key.
 * @typedef {{ header?: Record<string, unknown>, payload?: Record<string, unknown>, key?: import("node:crypto").KeyObject }} Crafted
 */

/** @type {import("node:http").Server} */
let server;
/** @type {string} */
let issuer;
/** What the fake org's token endpoint puts in the next ID token. @type {() => Crafted} */
let craft = () => ({});
const good = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
let lastNonce = "";

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const send = (/** @type {unknown} */ body) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/.well-known/openid-configuration") {
      return send({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/keys` });
    }
    if (url.pathname === "/keys") {
      return send({
        keys: [
          { ...good.publicKey.export({ format: "jwk" }), kid: "good", use: "sig" },
          { ...small.publicKey.export({ format: "jwk" }), kid: "small" },
        ],
      });
    }
    if (url.pathname === "/token") {
      const now = Math.floor(Date.now() / 1000);
      const { header = {}, payload = {}, key = good.privateKey } = craft();
      const h = { alg: "RS256", kid: "good", ...header };
      const p = {
        iss: issuer,
        aud: "0oaclient",
        sub: "00uadmin",
        iat: now,
        exp: now + 300,
        nonce: lastNonce,
        jti: `id-${Math.random()}`,
        ...payload,
      };
      const input = `${Buffer.from(JSON.stringify(h)).toString("base64url")}.${Buffer.from(JSON.stringify(p)).toString("base64url")}`;
      return send({ id_token: `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}` });
    }
    res.writeHead(404).end();
  });
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", r)));
  issuer = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
});
after(() => server.close());

/** The nonce an authorization URL carries. @param {string} url */
const nonceOf = (url) => new URL(url).searchParams.get("nonce") ?? "";

/**
 * One sign-in through the client with the fake org's crafted token; resolves with the claims or the error code.
 * @param {Crafted} crafted
 * @param {{ cookieState?: string }} [options]
 */
async function signIn(crafted, { cookieState } = {}) {
  craft = () => crafted;
  const client = createOidcClient({ issuer, clientId: "0oaclient" });
  const { url, state, cookie } = await client.begin("http://127.0.0.1:1/auth/oidc/callback");
  lastNonce = nonceOf(url);
  try {
    return await client.complete(new URLSearchParams({ code: "c", state }), cookieState ?? cookie);
  } catch (e) {
    if (e instanceof OidcError) return e.code;
    throw e;
  }
}

/**
 * The subject a sign-in resolved with (a refusal's code fails the test).
 * @param {Awaited<ReturnType<typeof signIn>>} result
 */
const subjectOf = (result) => {
  if (typeof result === "string") assert.fail(`refused: ${result}`);
  return result.sub;
};

/** Whether an error is the client's refusal with this code. @param {string} code */
const oidcCode = (code) => (/** @type {unknown} */ e) => e instanceof OidcError && e.code === code;

test("a well-formed ID token signs in; the authorization URL uses PKCE S256", async () => {
  const client = createOidcClient({ issuer, clientId: "0oaclient" });
  const { url } = await client.begin("http://127.0.0.1:1/auth/oidc/callback");
  const q = new URL(url).searchParams;
  assert.equal(q.get("code_challenge_method"), "S256");
  assert.match(q.get("code_challenge") ?? "", /^[\w-]{43}$/);
  assert.equal(subjectOf(await signIn({})), "00uadmin");
});

test("each flaw of the ID token is refused", async () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal(subjectOf(await signIn({ payload: { jti: "same-jti" } })), "00uadmin", "first use of a jti");
  /** @type {Record<string, Crafted>} */
  const cases = {
    "another key": { key: other.privateKey },
    "another issuer": { payload: { iss: "https://evil.example" } },
    "another audience": { payload: { aud: "0oaother" } },
    "several audiences without azp": { payload: { aud: ["0oaclient", "0oaother"] } },
    "azp of another client": { payload: { azp: "0oaother" } },
    expired: { payload: { exp: now - 120, iat: now - 400 } },
    "another nonce": { payload: { nonce: "replayed-nonce" } },
    "issued too long ago": { payload: { iat: now - 3600, exp: now + 300 } },
    "a jti already used": { payload: { jti: "same-jti" } },
    "no nonce": { payload: { nonce: undefined } },
    "RSA key under 2048 bits": { header: { kid: "small" }, key: small.privateKey },
    "alg none": { header: { alg: "none" } },
    HS256: { header: { alg: "HS256" } },
  };
  for (const [name, crafted] of Object.entries(cases)) assert.equal(await signIn(crafted), "OIDC_TOKEN_INVALID", name);
});

test("the state must be this browser's, and a transaction completes once", async () => {
  assert.equal(await signIn({}, { cookieState: "someone-else" }), "OIDC_STATE_MISMATCH");
  craft = () => ({});
  const client = createOidcClient({ issuer, clientId: "0oaclient" });
  const { url, state, cookie } = await client.begin("http://127.0.0.1:1/auth/oidc/callback");
  lastNonce = nonceOf(url);
  // The bare state is not the transaction; neither is a transaction sealed by another process.
  await assert.rejects(client.complete(new URLSearchParams({ code: "c", state }), state), oidcCode("OIDC_STATE_MISMATCH"));
  const foreign = await createOidcClient({ issuer, clientId: "0oaclient" }).begin("http://127.0.0.1:1/auth/oidc/callback");
  await assert.rejects(
    client.complete(new URLSearchParams({ code: "c", state: foreign.state }), foreign.cookie),
    oidcCode("OIDC_STATE_MISMATCH"),
  );
  await client.complete(new URLSearchParams({ code: "c", state }), cookie);
  await assert.rejects(client.complete(new URLSearchParams({ code: "c", state }), cookie), oidcCode("OIDC_STATE_MISMATCH"));
});

// The dashboard's check of a pasted service-app key (www/server/integrations.mjs checkSettings): read as the
// sync reads it (the SDK's parsePrivateKey), PEM or JWK; RSA and EC P-256 only; the key never in a message.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { checkSettings } from "../../www/server/integrations.mjs";

/** @param {string} privateKey */
const body = (privateKey) => ({ name: "Acme", orgUrl: "https://acme.okta.com", clientId: "0oa1abcdefghijklmnop", privateKey });

test("integration key: PKCS#8 PEM and JWK (RSA, EC P-256) pass; other curves, a public JWK and broken text do not", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
  const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
  /** @param {import("node:crypto").KeyObject} k */
  const pem = (k) => k.export({ type: "pkcs8", format: "pem" }).toString();
  /** @param {import("node:crypto").KeyObject} k @param {Record<string, string>} [extra] */
  const jwk = (k, extra = {}) => JSON.stringify({ ...k.export({ format: "jwk" }), ...extra });
  for (const key of [pem(rsa), pem(p256), jwk(rsa), jwk(p256, { kid: "k1" })]) {
    const checked = checkSettings(body(key), true);
    assert.deepEqual(checked.errors, {}, key.slice(0, 30));
  }
  assert.equal(checkSettings(body(jwk(p256, { kid: "k1" })), true).settings.keyId, "k1");
  assert.match(checkSettings(body(pem(p384)), true).errors.privateKey, /RSA or EC P-256/);
  const publicJwk = JSON.stringify(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "jwk" }));
  assert.match(checkSettings(body(publicJwk), true).errors.privateKey, /public key/);
  const truncated = pem(rsa).replace(/[A-Za-z0-9]{40}\n/, "\n");
  const broken = checkSettings(body(truncated), true).errors.privateKey;
  assert.match(broken, /could not be read/);
  assert.ok(!broken.includes("MII"), "the message repeats no key material");
  assert.match(checkSettings(body(""), true).errors.privateKey, /Add the service app's private key/);
  assert.equal(checkSettings(body(""), false).errors.privateKey, undefined);
});

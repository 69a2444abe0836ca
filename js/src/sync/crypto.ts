/**
 * WebCrypto for the sync driver: the client key (PKCS#8 PEM or JWK, RS256 or ES256), the ephemeral P-256
 * DPoP key, JWS signatures over the signing inputs the core builds, and SHA-256 for DPoP `ath`.
 * Uses `globalThis.crypto.subtle` only, so it runs unchanged in Node ≥ 20 and Cloudflare Workers.
 */
import { makeError } from "../errors.js";

/** The JWS algorithms the driver signs with. */
export type SigningAlg = "RS256" | "ES256";

/** A private key ready for signing. */
export interface SigningKey {
  readonly key: CryptoKey;
  readonly alg: SigningAlg;
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw makeError("INVALID_CREDENTIALS", "WebCrypto (crypto.subtle) is not available in this runtime");
  return s;
}

function bad(reason: string, cause?: unknown): Error {
  // The message never repeats key material; the cause is the WebCrypto error (which does not either).
  return makeError("INVALID_CREDENTIALS", `unusable private key: ${reason}`, cause === undefined ? {} : { cause });
}

function pemToDer(pem: string): ArrayBuffer {
  if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(pem)) {
    throw bad("PKCS#1/SEC1 PEM is not supported; convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)");
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) throw bad("encrypted keys are not supported");
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pem);
  if (m === null) throw bad("expected a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a JWK");
  const b64 = (m[1] ?? "").replace(/\s+/g, "");
  let binary: string;
  try {
    binary = atob(b64);
  } catch (cause) {
    throw bad("the PEM body is not base64", cause);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** Imports the app's private key; the algorithm follows the key type (RSA → RS256, P-256 → ES256). */
export async function importClientKey(privateKey: string | JsonWebKey): Promise<SigningKey> {
  const s = subtle();
  if (typeof privateKey !== "string") {
    if (privateKey.kty === "RSA")
      return { key: await importOrFail(() => s.importKey("jwk", privateKey, RSA, false, ["sign"])), alg: "RS256" };
    if (privateKey.kty === "EC" && privateKey.crv === "P-256")
      return { key: await importOrFail(() => s.importKey("jwk", privateKey, EC, false, ["sign"])), alg: "ES256" };
    throw bad("a JWK must be RSA or EC P-256");
  }
  const der = pemToDer(privateKey);
  try {
    return { key: await s.importKey("pkcs8", der, RSA, false, ["sign"]), alg: "RS256" };
  } catch {
    // not RSA: try P-256 below
  }
  return { key: await importOrFail(() => s.importKey("pkcs8", der, EC, false, ["sign"])), alg: "ES256" };
}

async function importOrFail(f: () => Promise<CryptoKey>): Promise<CryptoKey> {
  try {
    return await f();
  } catch (cause) {
    throw bad("WebCrypto could not import it as an RSA or P-256 key", cause);
  }
}

/** A fresh, non-extractable P-256 key pair for DPoP, separate from the client key (as Okta advises). */
export async function generateDpopKey(): Promise<{ key: SigningKey; publicJwk: { kty: string; crv: string; x: string; y: string } }> {
  const pair = (await subtle().generateKey(EC, false, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await subtle().exportKey("jwk", pair.publicKey);
  return { key: { key: pair.privateKey, alg: "ES256" }, publicJwk: { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "" } };
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Signs a JWS signing input and returns the compact JWT. ECDSA signatures from WebCrypto are already `r || s`. */
export async function signJwt(key: SigningKey, input: string): Promise<string> {
  const algorithm = key.alg === "RS256" ? RSA : { name: "ECDSA", hash: "SHA-256" };
  const sig = await subtle().sign(algorithm, key.key, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(sig))}`;
}

/** base64url(SHA-256(text)): the DPoP `ath` of an access token. */
export async function sha256b64url(text: string): Promise<string> {
  return base64url(new Uint8Array(await subtle().digest("SHA-256", new TextEncoder().encode(text))));
}

/** 16 secure random bytes. */
export function entropy(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}

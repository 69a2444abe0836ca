/** Compact JWS parsing and verification with node:crypto (RS256/384/512, ES256/384/512). */
import { createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";

export const JWS_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"] as const;
export type JwsAlg = (typeof JWS_ALGS)[number];

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export class JwtError extends Error {}

function parsePart(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new JwtError("not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new JwtError("not an object");
  return value as Record<string, unknown>;
}

export function decodeJwt(compact: string): DecodedJwt {
  const parts = compact.split(".");
  if (parts.length !== 3) throw new JwtError("not a compact JWS");
  const [h = "", p = "", s = ""] = parts;
  if (!/^[\w-]*$/.test(h + p + s)) throw new JwtError("not base64url");
  return { header: parsePart(h), payload: parsePart(p), signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
}

export function isJwsAlg(alg: unknown): alg is JwsAlg {
  return typeof alg === "string" && (JWS_ALGS as readonly string[]).includes(alg);
}

/** True when the signature verifies and the algorithm fits the key type (no RS/ES confusion). */
export function verifySignature(jwt: DecodedJwt, alg: JwsAlg, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (alg.startsWith("RS") ? type !== "rsa" : type !== "ec") return false;
  const hash = `sha${alg.slice(2)}`;
  try {
    return alg.startsWith("ES")
      ? verify(hash, Buffer.from(jwt.signingInput), { key, dsaEncoding: "ieee-p1363" }, jwt.signature)
      : verify(hash, Buffer.from(jwt.signingInput), key, jwt.signature);
  } catch {
    return false;
  }
}

/** RFC 7638 SHA-256 thumbprint, as DPoP's `cnf.jkt`. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === "EC" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

export function publicKeyFromJwk(jwk: unknown): KeyObject {
  if (jwk === null || typeof jwk !== "object") throw new JwtError("jwk missing");
  const j = jwk as JsonWebKey;
  // A DPoP header must carry only the public key; private members mean a leaked key.
  if (j.d !== undefined || j.p !== undefined || j.q !== undefined) throw new JwtError("jwk has private members");
  if (j.kty !== "RSA" && j.kty !== "EC") throw new JwtError("unsupported key type");
  try {
    return createPublicKey({ key: j, format: "jwk" });
  } catch {
    throw new JwtError("jwk unusable");
  }
}

export function sha256b64url(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** A replay cache: remembers ids until they could no longer be accepted anyway. */
export class ReplayCache {
  readonly #seen = new Map<string, number>();

  /** Returns false when `id` was already used; otherwise remembers it until `untilMs`. */
  use(id: string, untilMs: number): boolean {
    const now = Date.now();
    if (this.#seen.size > 10_000) for (const [k, exp] of this.#seen) if (exp < now) this.#seen.delete(k);
    const exp = this.#seen.get(id);
    if (exp !== undefined && exp >= now) return false;
    this.#seen.set(id, untilMs);
    return true;
  }
}

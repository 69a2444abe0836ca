/** Shared helpers for the emulator tests: signed client assertions and DPoP proofs, raw HTTP calls. */
import { createHash, createPrivateKey, randomUUID, sign, type KeyObject } from "node:crypto";

export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject | string): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const alg = String(header["alg"]);
  const hash = `sha${alg.slice(2)}`;
  const sig = alg.startsWith("ES")
    ? sign(hash, Buffer.from(input), { key: typeof key === "string" ? createPrivateKey(key) : key, dsaEncoding: "ieee-p1363" })
    : sign(hash, Buffer.from(input), key);
  return `${input}.${sig.toString("base64url")}`;
}

export interface AssertionOptions {
  clientId: string;
  aud: string;
  key: KeyObject | string;
  kid?: string;
  alg?: string;
  jti?: string;
  exp?: number;
  iat?: number;
  sub?: string;
}

export function clientAssertion(o: AssertionOptions): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { alg: o.alg ?? "RS256", typ: "JWT", ...(o.kid === undefined ? {} : { kid: o.kid }) },
    { iss: o.clientId, sub: o.sub ?? o.clientId, aud: o.aud, iat: o.iat ?? now, exp: o.exp ?? now + 300, jti: o.jti ?? randomUUID() },
    o.key,
  );
}

export function dpopProof(o: {
  key: KeyObject;
  publicJwk: Record<string, unknown>;
  htm: string;
  htu: string;
  nonce?: string;
  accessToken?: string;
  alg?: string;
}): string {
  const payload: Record<string, unknown> = { htm: o.htm, htu: o.htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID() };
  if (o.nonce !== undefined) payload["nonce"] = o.nonce;
  if (o.accessToken !== undefined) payload["ath"] = createHash("sha256").update(o.accessToken).digest("base64url");
  return signJwt({ typ: "dpop+jwt", alg: o.alg ?? "ES256", jwk: o.publicJwk }, payload, o.key);
}

export async function tokenRequest(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/oauth2/v1/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

export const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Parses Okta's repeated `link` headers (fetch joins them with ", "). */
export function links(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (res.headers.get("link") ?? "").matchAll(/<([^>]*)>;\s*rel="?(\w+)"?/g)) out[m[2] ?? ""] = m[1] ?? "";
  return out;
}

/**
 * A demo identity-verification vendor: it "reads a government ID" of a chosen directory user (the
 * document holds that user's directory values, optionally with deliberate differences) and returns
 * the result as a signed OIDC `id_token` with `verified_claims` (OIDC Identity Assurance), as real
 * vendors answer Okta. Public: `GET /idv/.well-known/jwks.json` and `/idv/.well-known/openid-configuration`.
 * Loopback only: `POST /idv/control/issue` (a token for a user) and `POST /idv/control/rotate` (keys).
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { trustedControlRequest } from "./control.js";
import { readBody, sendJson, type RequestContext } from "./http.js";
import type { Env } from "./server-env.js";
import type { EmulatorUser } from "./types.js";

/** The audience tokens carry unless the caller names another (the portal's client id at the vendor). */
export const IDV_DEFAULT_AUDIENCE = "okta-directory-portal";

export type Alg = "RS256" | "ES256";

interface SigningKey {
  kid: string;
  alg: Alg;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(alg: Alg): SigningKey {
  const pair = alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: `idv-${randomBytes(6).toString("hex")}`, alg, ...pair };
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function signJws(key: SigningKey, kid: string, payload: Record<string, unknown>): string {
  const input = `${b64json({ alg: key.alg, typ: "JWT", kid })}.${b64json(payload)}`;
  const sig =
    key.alg === "ES256"
      ? sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
      : sign("sha256", Buffer.from(input), key.privateKey);
  return `${input}.${sig.toString("base64url")}`;
}

/** A stable, plausible birthdate for a person whose directory record has none. */
function inventedBirthdate(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const year = 1960 + (h % 40);
  const month = 1 + ((h >>> 8) % 12);
  const day = 1 + ((h >>> 16) % 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** What the demo "ID document" says: the directory's values (legal names first). */
export function documentClaims(user: EmulatorUser): Record<string, unknown> {
  const p = user.profile;
  const str = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = p[n];
      if (typeof v === "string" && v.trim() !== "") return v;
    }
    return undefined;
  };
  const claims: Record<string, unknown> = {};
  const put = (name: string, value: string | undefined, into: Record<string, unknown> = claims): void => {
    if (value !== undefined) into[name] = value;
  };
  put("given_name", str("LegalFirstName", "firstName"));
  put("family_name", str("LegalLastName", "lastName"));
  put("middle_name", str("middleName"));
  // Every ID shows a birthdate, even when the directory lacks one (then a stable made-up date).
  put("birthdate", str("birthdate") ?? inventedBirthdate(user.id));
  const address: Record<string, unknown> = {};
  put("street_address", str("streetAddress"), address);
  put("locality", str("city"), address);
  put("region", str("state"), address);
  put("postal_code", str("zipCode"), address);
  put("country", str("countryCode"), address);
  if (Object.keys(address).length > 0) claims["address"] = address;
  return claims;
}

/** Applies `{"family_name": "…"}`-style differences; `null` removes a claim; `address.x` keys reach into the address. */
function applyOverrides(claims: Record<string, unknown>, overrides: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== null && typeof value !== "string") throw new IdvRequestError(`override ${name.slice(0, 40)} must be a string or null`);
    const [head = "", part] = name.split(".");
    let target = claims;
    let key = head;
    if (part !== undefined) {
      if (head !== "address") throw new IdvRequestError("only address.* overrides may be dotted");
      const current = claims["address"];
      target = current !== null && typeof current === "object" ? (current as Record<string, unknown>) : {};
      claims["address"] = target;
      key = part;
    }
    if (value === null) delete target[key];
    else target[key] = value;
  }
}

class IdvRequestError extends Error {}

/** The vendor's state: signing keys (current first; retired ones leave the JWKS) and its issuer. */
export class IdvVendor {
  readonly issuer: string;
  #keys: SigningKey[];
  /** Tokens issued so far (ids only), for the dashboard. */
  issued = 0;

  constructor(baseUrl: string, alg: Alg = "RS256") {
    this.issuer = `${baseUrl}/idv`;
    this.#keys = [newKey(alg)];
  }

  get currentKid(): string {
    return (this.#keys[0] as SigningKey).kid;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: this.#keys.map((k) => ({ ...k.publicKey.export({ format: "jwk" }), kid: k.kid, alg: k.alg, use: "sig" })),
    };
  }

  /** A new signing key becomes current; the previous ones stay published unless `retireOld`. */
  rotate(alg: Alg, retireOld: boolean): string {
    const key = newKey(alg);
    this.#keys = retireOld ? [key] : [key, ...this.#keys];
    return key.kid;
  }

  issue(user: EmulatorUser, o: IssueOptions): { idToken: string; jti: string; exp: number; kid: string } {
    const now = Math.floor(Date.now() / 1000);
    const ttl = o.ttlSeconds ?? 600;
    const iat = o.expired ? now - ttl - 600 : now - (o.issuedSecondsAgo ?? 0);
    const exp = iat + ttl;
    const claims = documentClaims(user);
    if (o.overrides !== undefined) applyOverrides(claims, o.overrides);
    const jti = randomUUID();
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      sub: user.id,
      aud: o.audience ?? IDV_DEFAULT_AUDIENCE,
      iat,
      exp,
      jti,
      verified_claims: {
        verification: {
          trust_framework: "IDV-DELEGATED",
          assurance_level: o.assuranceLevel ?? "VERIFIED",
          time: new Date(iat * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
          verification_process: `demo-session-${randomBytes(6).toString("hex")}`,
        },
        claims,
      },
    };
    if (o.nonce !== undefined) payload["nonce"] = o.nonce;
    const current = this.#keys[0] as SigningKey;
    let key = current;
    let kid = current.kid;
    if (o.signWith === "unknown-key") {
      key = newKey(current.alg);
      kid = key.kid;
    } else if (o.signWith === "forged") {
      key = newKey(current.alg); // an impostor's key presented under the vendor's published kid
    }
    this.issued++;
    return { idToken: signJws(key, kid, payload), jti, exp, kid };
  }
}

/** Options of one issued token (the control endpoint's body, minus the user). */
export interface IssueOptions {
  audience?: string | string[];
  nonce?: string;
  overrides?: Record<string, unknown>;
  expired?: boolean;
  ttlSeconds?: number;
  /** Back-dates `iat` by this many seconds (`exp` = `iat` + ttl): an old result that has not expired. */
  issuedSecondsAgo?: number;
  assuranceLevel?: "VERIFIED" | "FAILED";
  /** `current` (default), `unknown-key` (a kid the JWKS lacks), `forged` (published kid, wrong key). */
  signWith?: "current" | "unknown-key" | "forged";
}

function issueOptions(body: Record<string, unknown>): IssueOptions {
  const o: IssueOptions = {};
  const aud = body["audience"];
  if (typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"))) o.audience = aud as string | string[];
  else if (aud !== undefined) throw new IdvRequestError("audience must be a string or an array of strings");
  if (typeof body["nonce"] === "string") o.nonce = body["nonce"];
  const ov = body["overrides"];
  if (ov !== undefined) {
    if (ov === null || typeof ov !== "object" || Array.isArray(ov)) throw new IdvRequestError("overrides must be an object");
    o.overrides = ov as Record<string, unknown>;
  }
  if (body["expired"] === true) o.expired = true;
  const ttl = body["ttlSeconds"];
  if (ttl !== undefined) {
    if (!Number.isInteger(ttl) || (ttl as number) < 1) throw new IdvRequestError("ttlSeconds must be a positive integer");
    o.ttlSeconds = ttl as number;
  }
  const ago = body["issuedSecondsAgo"];
  if (ago !== undefined) {
    if (!Number.isInteger(ago) || (ago as number) < 0) throw new IdvRequestError("issuedSecondsAgo must be a non-negative integer");
    o.issuedSecondsAgo = ago as number;
  }
  const level = body["assuranceLevel"];
  if (level === "VERIFIED" || level === "FAILED") o.assuranceLevel = level;
  const signWith = body["signWith"];
  if (signWith === "current" || signWith === "unknown-key" || signWith === "forged") o.signWith = signWith;
  else if (signWith !== undefined) throw new IdvRequestError("signWith must be current, unknown-key or forged");
  return o;
}

async function jsonObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = await readBody(ctx.req);
  let value: unknown = {};
  try {
    if (text.trim() !== "") value = JSON.parse(text);
  } catch {
    throw new IdvRequestError("the body must be JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new IdvRequestError("the body must be a JSON object");
  return value as Record<string, unknown>;
}

/** Handles `/idv/…`; returns false for other paths. */
export async function handleIdv(ctx: RequestContext, env: Env, vendor: IdvVendor): Promise<boolean> {
  const path = ctx.url.pathname;
  if (!path.startsWith("/idv/")) return false;
  const method = ctx.req.method ?? "GET";
  if (method === "GET" && path === "/idv/.well-known/jwks.json") {
    sendJson(ctx, 200, vendor.jwks(), { "Cache-Control": "max-age=300" });
    return true;
  }
  if (method === "GET" && path === "/idv/.well-known/openid-configuration") {
    sendJson(ctx, 200, {
      issuer: vendor.issuer,
      jwks_uri: `${vendor.issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ["RS256", "ES256"],
      verified_claims_supported: true,
      trust_frameworks_supported: ["IDV-DELEGATED"],
      claims_in_verified_claims_supported: ["given_name", "family_name", "middle_name", "birthdate", "address"],
    });
    return true;
  }
  if (path.startsWith("/idv/control/")) {
    if (!trustedControlRequest(ctx)) {
      sendJson(ctx, 403, { error: "the IDV control API answers this machine's own tools only" });
      return true;
    }
    try {
      if (method === "POST" && path === "/idv/control/issue") {
        const body = await jsonObject(ctx);
        const who = body["userId"] ?? body["login"];
        const user = typeof who === "string" ? env.store.findUser(who) : undefined;
        if (user === undefined) {
          sendJson(ctx, 404, { error: "no such user (give userId or login)" });
          return true;
        }
        const out = vendor.issue(user, issueOptions(body));
        sendJson(ctx, 201, { id_token: out.idToken, jti: out.jti, exp: out.exp, kid: out.kid, issuer: vendor.issuer });
        return true;
      }
      if (method === "POST" && path === "/idv/control/rotate") {
        const body = await jsonObject(ctx);
        const alg = body["alg"] === "ES256" ? "ES256" : "RS256";
        const kid = vendor.rotate(alg, body["retireOld"] === true);
        sendJson(ctx, 200, { kid, keys: vendor.jwks().keys.length });
        return true;
      }
    } catch (e) {
      if (e instanceof IdvRequestError) {
        sendJson(ctx, 400, { error: e.message });
        return true;
      }
      throw e;
    }
  }
  sendJson(ctx, 404, { error: "unknown IDV endpoint" });
  return true;
}

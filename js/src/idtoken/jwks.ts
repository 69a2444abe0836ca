/**
 * JSON Web Key Sets: a fetched, cached key set with key rotation (refetch once on an unknown `kid`),
 * and the WebCrypto import of one key. WebCrypto only, so it runs in browsers, Node and workerd.
 */
import { makeError } from "../errors.js";

/** The JWS algorithms accepted for signed verification results. */
export const ID_TOKEN_ALGORITHMS = ["RS256", "ES256"] as const;
/** One accepted JWS algorithm. */
export type IdTokenAlgorithm = (typeof ID_TOKEN_ALGORITHMS)[number];

/** A public JSON Web Key as published in a JWKS (RSA or EC members; others ignored). */
export interface PublicJwk {
  kty: string;
  kid?: string;
  use?: string;
  alg?: string;
  key_ops?: string[];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** A JSON Web Key Set document. */
export interface JsonWebKeySetDocument {
  keys: PublicJwk[];
}

/** Where keys come from: a fixed set, or a client that fetches (and refetches on rotation). */
export interface KeySource {
  /** The usable keys for `alg`, filtered by `kid` when given; `refresh` asks for a fresh copy first. */
  keys(alg: IdTokenAlgorithm, kid: string | undefined, refresh: boolean): Promise<CryptoKey[]>;
  /** Whether this source can fetch a newer copy (a fixed set cannot). */
  readonly refreshable: boolean;
}

/** Options of a {@link JwksClient}. */
export interface JwksClientOptions {
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long a fetched key set is used before it is fetched again; default 600 s. */
  ttlSec?: number;
  /** The shortest time between two fetches forced by unknown `kid`s; default 30 s (0 in tests). */
  cooldownSec?: number;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

const MAX_JWKS_BYTES = 256 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads a JWKS document; malformed entries are skipped, a malformed document is `JWKS_UNAVAILABLE`. */
export function parseJwks(value: unknown): PublicJwk[] {
  if (!isObject(value) || !Array.isArray(value["keys"])) throw makeError("JWKS_UNAVAILABLE", "the key set is not a JWKS document");
  return value["keys"].filter((k): k is PublicJwk => isObject(k) && typeof k["kty"] === "string");
}

function b64urlBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  let bin: string;
  try {
    bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Base64url (no padding) → bytes; null when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  return b64urlBytes(text);
}

/** Whether `jwk` may verify `alg`: right type and curve, `use`/`alg`/`key_ops` compatible, RSA ≥ 2048 bits. */
export function keyFits(jwk: PublicJwk, alg: IdTokenAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return false;
  if (alg === "RS256") {
    if (jwk.kty !== "RSA" || typeof jwk.n !== "string" || typeof jwk.e !== "string") return false;
    const n = b64urlBytes(jwk.n);
    return n !== null && n.length >= 256;
  }
  return jwk.kty === "EC" && jwk.crv === "P-256" && typeof jwk.x === "string" && typeof jwk.y === "string";
}

/** Imports one public key for `alg`; null when WebCrypto refuses it. */
export async function importVerifyKey(jwk: PublicJwk, alg: IdTokenAlgorithm): Promise<CryptoKey | null> {
  try {
    if (alg === "RS256") {
      const pub: JsonWebKey = { kty: "RSA", n: jwk.n ?? "", e: jwk.e ?? "", ext: true };
      return await crypto.subtle.importKey("jwk", pub, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    }
    const pub: JsonWebKey = { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "", ext: true };
    return await crypto.subtle.importKey("jwk", pub, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  } catch {
    return null;
  }
}

async function importAll(jwks: readonly PublicJwk[], alg: IdTokenAlgorithm, kid: string | undefined): Promise<CryptoKey[]> {
  const picked = jwks.filter((k) => keyFits(k, alg) && (kid === undefined || k.kid === kid));
  const keys = await Promise.all(picked.map((k) => importVerifyKey(k, alg)));
  return keys.filter((k): k is CryptoKey => k !== null);
}

/** A fixed key set (no fetching): keys rotate only when the caller passes a new set. */
export class StaticKeySet implements KeySource {
  readonly refreshable = false;
  readonly #jwks: PublicJwk[];

  /** @throws TokenError `JWKS_UNAVAILABLE` when `jwks` is not a JWKS document */
  constructor(jwks: unknown) {
    this.#jwks = parseJwks(jwks);
  }

  /** The usable keys for `alg` (and `kid`). */
  keys(alg: IdTokenAlgorithm, kid: string | undefined): Promise<CryptoKey[]> {
    return importAll(this.#jwks, alg, kid);
  }
}

/**
 * A vendor's key set fetched from its `jwks_uri`, cached for `ttlSec`. When a token names a `kid`
 * the cached set lacks, the verifier asks once for a fresh copy (the vendor rotated its keys); such
 * forced fetches are spaced by `cooldownSec` so tokens with made-up `kid`s cannot hammer the vendor.
 */
export class JwksClient implements KeySource {
  readonly refreshable = true;
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #ttlMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #jwks: PublicJwk[] | null = null;
  #fetchedAt = -Infinity;
  #inflight: Promise<PublicJwk[]> | null = null;
  /** How many times the key set was fetched (for tests and metrics). */
  fetchCount = 0;

  constructor(url: string | URL, options: JwksClientOptions = {}) {
    this.#url = String(url);
    const f = options.fetch ?? globalThis.fetch;
    this.#fetch = (input, init) => f(input, init);
    this.#ttlMs = (options.ttlSec ?? 600) * 1000;
    this.#cooldownMs = (options.cooldownSec ?? 30) * 1000;
    this.#now = options.now ?? Date.now;
  }

  async #load(): Promise<PublicJwk[]> {
    this.#inflight ??= (async () => {
      this.fetchCount++;
      let res: Response;
      try {
        res = await this.#fetch(this.#url, { headers: { accept: "application/json" }, redirect: "manual" });
      } catch (cause) {
        throw makeError("JWKS_UNAVAILABLE", "the verification vendor's key set could not be fetched", { cause });
      }
      if (!res.ok)
        throw makeError("JWKS_UNAVAILABLE", `the verification vendor's key set answered HTTP ${res.status}`, { status: res.status });
      const text = await res.text();
      if (text.length > MAX_JWKS_BYTES) throw makeError("JWKS_UNAVAILABLE", "the verification vendor's key set is too large");
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (cause) {
        throw makeError("JWKS_UNAVAILABLE", "the verification vendor's key set is not JSON", { cause });
      }
      const keys = parseJwks(doc);
      this.#jwks = keys;
      this.#fetchedAt = this.#now();
      return keys;
    })().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** The usable keys for `alg` (and `kid`), from the cache while it is fresh. */
  async keys(alg: IdTokenAlgorithm, kid: string | undefined, refresh: boolean): Promise<CryptoKey[]> {
    const age = this.#now() - this.#fetchedAt;
    let jwks = this.#jwks;
    if (jwks === null || age >= this.#ttlMs || (refresh && age >= this.#cooldownMs)) jwks = await this.#load();
    return importAll(jwks, alg, kid);
  }
}

const clients = new WeakMap<typeof fetch, Map<string, JwksClient>>();

/** The shared client for `url` and this `fetch` (one cache per vendor URL and fetch function). */
export function sharedJwksClient(url: string, fetchFn: typeof fetch, options: Omit<JwksClientOptions, "fetch"> = {}): JwksClient {
  let byUrl = clients.get(fetchFn);
  if (byUrl === undefined) clients.set(fetchFn, (byUrl = new Map()));
  let client = byUrl.get(url);
  if (client === undefined) byUrl.set(url, (client = new JwksClient(url, { ...options, fetch: fetchFn })));
  return client;
}

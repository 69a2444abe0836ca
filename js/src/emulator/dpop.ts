/**
 * DPoP (RFC 9449) proof verification and the nonce Okta's token endpoint demands. Okta rotates the
 * nonce and keeps accepting the previous one for a while; the emulator keeps current + previous.
 */
import { randomBytes, type JsonWebKey } from "node:crypto";
import { JwtError, ReplayCache, decodeJwt, isJwsAlg, jwkThumbprint, publicKeyFromJwk, sha256b64url, verifySignature } from "./jwt.js";

export class DpopError extends Error {
  constructor(
    readonly error: "invalid_dpop_proof" | "use_dpop_nonce",
    message: string,
  ) {
    super(message);
  }
}

export interface ProofCheck {
  method: string;
  /** The URL the proof must name: origin + percent-decoded path, no query or fragment. */
  htu: string;
  /** Token endpoint: a current nonce is required. Resource requests: not required (as in Okta). */
  requireNonce: boolean;
  /** Resource requests: the access token the proof must hash into `ath`. */
  accessToken?: string;
}

/** How far in the past a proof's `iat` may be, and how much clock skew into the future is tolerated. */
const MAX_AGE_S = 300;
const FUTURE_SKEW_S = 2;

export class DpopVerifier {
  #current = randomBytes(24).toString("base64url");
  #previous: string | null = null;
  readonly #replay = new ReplayCache();

  get nonce(): string {
    return this.#current;
  }

  /** Issues a fresh nonce; the previous one stays valid until the next rotation. */
  rotate(): string {
    this.#previous = this.#current;
    this.#current = randomBytes(24).toString("base64url");
    return this.#current;
  }

  /** Drops every accepted nonce, so the next proof with an old nonce is challenged. */
  rotateHard(): string {
    this.rotate();
    this.#previous = null;
    return this.#current;
  }

  /** Verifies a proof; returns the JWK thumbprint of its key (what `cnf.jkt` binds to). */
  verify(proof: string, check: ProofCheck): string {
    let jwt;
    try {
      jwt = decodeJwt(proof);
    } catch {
      throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT is malformed.");
    }
    const { header, payload } = jwt;
    if (header["typ"] !== "dpop+jwt") throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT has an invalid 'typ' header.");
    const alg = header["alg"];
    if (!isJwsAlg(alg)) throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT has an unsupported 'alg'.");
    let key;
    try {
      key = publicKeyFromJwk(header["jwk"]);
    } catch (e) {
      throw new DpopError(
        "invalid_dpop_proof",
        `The DPoP proof JWT 'jwk' header is invalid (${e instanceof JwtError ? e.message : "unusable"}).`,
      );
    }
    if (!verifySignature(jwt, alg, key)) throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT signature is invalid.");
    if (payload["htm"] !== check.method)
      throw new DpopError("invalid_dpop_proof", "The DPoP proof 'htm' claim does not match the request method.");
    if (typeof payload["htu"] !== "string" || stripQuery(payload["htu"]) !== check.htu || payload["htu"].includes("?"))
      throw new DpopError("invalid_dpop_proof", "The DPoP proof 'htu' claim does not match the request URL.");
    const iat = payload["iat"];
    const now = Math.floor(Date.now() / 1000);
    if (typeof iat !== "number") throw new DpopError("invalid_dpop_proof", "The DPoP proof 'iat' claim is missing.");
    if (iat > now + FUTURE_SKEW_S) throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT was issued in the future.");
    if (iat < now - MAX_AGE_S) throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT is too old.");
    const jti = payload["jti"];
    if (typeof jti !== "string" || jti === "") throw new DpopError("invalid_dpop_proof", "The DPoP proof 'jti' claim is missing.");
    if (check.accessToken !== undefined && payload["ath"] !== sha256b64url(check.accessToken))
      throw new DpopError("invalid_dpop_proof", "The DPoP proof 'ath' claim does not match the access token.");
    if (check.requireNonce) {
      const nonce = payload["nonce"];
      if (nonce !== this.#current && (nonce !== this.#previous || this.#previous === null))
        throw new DpopError("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
    }
    // Checked last so that a proof refused for its nonce does not burn its jti.
    if (!this.#replay.use(jti, (iat + MAX_AGE_S + FUTURE_SKEW_S) * 1000))
      throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT has already been used.");
    return jwkThumbprint(header["jwk"] as JsonWebKey);
  }
}

function stripQuery(url: string): string {
  const i = url.search(/[?#]/);
  return i < 0 ? url : url.slice(0, i);
}

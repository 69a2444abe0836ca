/**
 * Authentication of Management API requests: SSWS API tokens, Bearer and DPoP access tokens, with
 * scope enforcement. Failures carry Okta's `WWW-Authenticate` challenge.
 */
import type { IncomingMessage } from "node:http";
import { DpopError } from "./dpop.js";
import { JWS_ALGS } from "./jwt.js";
import type { OAuthServer } from "./oauth.js";

export type AuthResult =
  | { ok: true; principal: string }
  | {
      ok: false;
      status: number;
      code: string | null;
      headers: Record<string, string>;
      oauthError?: { error: string; description: string };
    };

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, "")}"`;
}

/** Who is calling, before verification: rate-limit windows are kept per token or app, as in Okta. */
export function principalOf(req: IncomingMessage, oauth: OAuthServer): string {
  const header = req.headers.authorization ?? "";
  const [scheme = "", value = ""] = header.split(" ", 2);
  if (scheme === "SSWS") return `ssws:${value.slice(0, 12)}`;
  if (scheme === "Bearer" || scheme === "DPoP") {
    const record = oauth.tokens.get(value);
    return record === undefined ? "anonymous" : `app:${record.clientId}`;
  }
  return "anonymous";
}

export class ApiAuthenticator {
  constructor(
    private readonly baseUrl: string,
    private readonly apiTokens: ReadonlySet<string>,
    private readonly oauth: OAuthServer,
  ) {}

  #challenge(scheme: "Bearer" | "DPoP", fields: Record<string, string>): string {
    const parts = [
      ...(scheme === "DPoP" ? [`algs=${quote(JWS_ALGS.join(" "))}`] : []),
      `authorization_uri=${quote(`${this.baseUrl}/oauth2/v1/authorize`)}`,
      `realm=${quote(this.baseUrl)}`,
      ...Object.entries(fields).map(([k, v]) => `${k}=${quote(v)}`),
    ];
    return `${scheme} ${parts.join(", ")}`;
  }

  #invalidToken(scheme: "Bearer" | "DPoP", description = "The access token is invalid."): AuthResult {
    return {
      ok: false,
      status: 401,
      code: "E0000011",
      headers: { "WWW-Authenticate": this.#challenge(scheme, { error: "invalid_token", error_description: description }) },
    };
  }

  /** `path` is the percent-decoded request path (what a DPoP `htu` names). */
  authenticate(req: IncomingMessage, path: string, scope: string): AuthResult {
    const header = req.headers.authorization;
    if (header === undefined || header === "") return this.#invalidToken("Bearer", "The access token is missing.");
    const space = header.indexOf(" ");
    const scheme = space < 0 ? header : header.slice(0, space);
    const value = space < 0 ? "" : header.slice(space + 1).trim();
    if (scheme === "SSWS") {
      return this.apiTokens.has(value)
        ? { ok: true, principal: `ssws:${value.slice(0, 12)}` }
        : { ok: false, status: 401, code: "E0000011", headers: { "WWW-Authenticate": 'SSWS realm="Okta"' } };
    }
    if (scheme !== "Bearer" && scheme !== "DPoP") return this.#invalidToken("Bearer");
    const record = this.oauth.tokens.get(value);
    if (record === undefined || record.expiresAt <= Date.now()) return this.#invalidToken(scheme);
    if (scheme === "Bearer" && record.jkt !== null) {
      const description = "The DPoP-bound access token must be presented with the DPoP authentication scheme.";
      return {
        ok: false,
        status: 400,
        code: null,
        headers: { "WWW-Authenticate": this.#challenge("DPoP", { error: "invalid_request", error_description: description }) },
        oauthError: { error: "invalid_request", description },
      };
    }
    if (scheme === "DPoP") {
      if (record.jkt === null) return this.#invalidToken("DPoP", "The presented access_token is not DPoP bound.");
      const proof = req.headers["dpop"];
      try {
        if (typeof proof !== "string") throw new DpopError("invalid_dpop_proof", "The DPoP proof JWT header is missing.");
        const jkt = this.oauth.dpop.verify(proof, {
          method: req.method ?? "GET",
          htu: `${this.baseUrl}${path}`,
          requireNonce: false,
          accessToken: value,
        });
        if (jkt !== record.jkt) throw new DpopError("invalid_dpop_proof", "The DPoP proof key does not match the access token binding.");
      } catch (e) {
        if (!(e instanceof DpopError)) throw e;
        return {
          ok: false,
          status: 400,
          code: null,
          headers: { "WWW-Authenticate": this.#challenge("DPoP", { error: "invalid_dpop_proof", error_description: e.message }) },
          oauthError: { error: "invalid_dpop_proof", description: e.message },
        };
      }
    }
    if (!record.scopes.includes(scope)) {
      const headers = {
        "WWW-Authenticate": this.#challenge(scheme, {
          scope,
          error: "insufficient_scope",
          error_description: "The access token provided does not contain the required scopes.",
          resource: path,
        }),
      };
      return { ok: false, status: 403, code: "E0000006", headers };
    }
    return { ok: true, principal: `app:${record.clientId}` };
  }
}

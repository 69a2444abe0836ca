/** Response helpers shared by the routes: Okta's error bodies and the headers every response carries. */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { httpStatusOf } from "../app/http-status.js";

/** What a handler needs about one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The emulator's public origin, e.g. `http://127.0.0.1:8080`; every absolute link uses it. */
  readonly baseUrl: string;
  readonly requestId: string;
  /** Error bodies with only `errorCode` and `errorSummary` (the `sparseErrorBodies` realism switch). */
  readonly sparseErrors?: boolean;
}

/** Okta's error summaries; the statuses are in the project's one code → status table (app/http-status.ts). */
const ERRORS: Readonly<Record<string, string>> = {
  E0000001: "Api validation failed",
  E0000006: "You do not have permission to perform the requested action",
  E0000007: "Not found: Resource not found",
  E0000009: "Internal Server Error",
  E0000010: "Service is in read only mode",
  E0000011: "Invalid token provided",
  E0000022: "The endpoint does not support the provided HTTP method",
  E0000031: "Invalid search criteria.",
  E0000047: "API call exceeded rate limit due to too many requests.",
};

function token(n: number): string {
  return randomBytes(n).toString("base64url").replace(/[-_]/g, "x").slice(0, n);
}

export function newRequestId(): string {
  return `req${token(22)}`;
}

export function oktaErrorBody(code: string, summary?: string): string {
  const known = ERRORS[code];
  return JSON.stringify({
    errorCode: code,
    errorSummary: summary ?? known ?? "Error",
    errorLink: code,
    errorId: `oae${token(22)}`,
    errorCauses: [],
  });
}

/** The HTTP status Okta answers an error code with (500 for one the table does not know). */
export function errorStatus(code: string): number {
  return httpStatusOf(code);
}

export type Headers = Record<string, string | string[]>;

/** Writes a complete response. `Date` comes from Node (sendDate); the request id is set here. */
export function send(ctx: RequestContext, status: number, body: string | Buffer, headers: Headers = {}): void {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return;
  res.setHeader("X-Okta-Request-Id", ctx.requestId);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (!res.hasHeader("Content-Type") && body.length > 0) res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}

export function sendJson(ctx: RequestContext, status: number, value: unknown, headers: Headers = {}): void {
  send(ctx, status, JSON.stringify(value), headers);
}

export function sendOktaError(ctx: RequestContext, code: string, headers: Headers = {}, summary?: string): void {
  const body =
    ctx.sparseErrors === true
      ? JSON.stringify({ errorCode: code, errorSummary: summary ?? ERRORS[code] ?? "Error" })
      : oktaErrorBody(code, summary);
  send(ctx, errorStatus(code), body, headers);
}

/** OAuth endpoints answer `{error, error_description}` instead of Okta's error body. */
export function sendOAuthError(ctx: RequestContext, status: number, error: string, description: string, headers: Headers = {}): void {
  sendJson(ctx, status, { error, error_description: description }, { "Cache-Control": "no-store", Pragma: "no-cache", ...headers });
}

/** Reads a request body up to `max` bytes (the emulator never needs large bodies). */
export async function readBody(req: IncomingMessage, max = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) throw new RangeError("body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A positive page size: absent or unusable → the default; above the maximum → the maximum. */
export function pageLimit(url: URL, def: number, max: number): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return def;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) return def;
  return Math.min(n, max);
}

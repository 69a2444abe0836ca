/**
 * The sync's tuning and observation hooks: configurable retries, `onRateLimit` and a structured `logger`.
 * What reaches a hook is counters, codes, hosts and paths only: never a token, a key, a request or response
 * body, a query string or a profile attribute.
 */
import { makeError } from "../errors.js";

/** Why the sync is waiting: pacing or a 429 on a bucket, or a backoff. */
export type WaitReason =
  | { kind: "pacing" | "rateLimited"; bucket: string }
  | { kind: "concurrencyLimited" | "serverError" | "networkError" | "awaitingResponses" };

/** How often and how long a failed request (5xx, network error, timeout) is retried. */
export interface RetryOptions {
  /** Attempts of one request in all, first included (1–20, default 5). A 429 is retried within the same budget. */
  maxAttempts?: number;
  /** The first back-off, ms (default 1000); it doubles per attempt. Each wait is jittered to 50–100 % of it. */
  baseDelayMs?: number;
  /** The longest back-off, ms (default 30000; at least `baseDelayMs`, at most the sync's `maxWaitMs`). */
  maxDelayMs?: number;
}

/** The rate-limit headers of the last response Okta sent before the wait (absent when it sent none). */
export interface RateLimitInfo {
  /** `X-Rate-Limit-Limit`: requests allowed per window. */
  limit: number;
  /** `X-Rate-Limit-Remaining`: requests left in the window. */
  remaining: number;
  /** `X-Rate-Limit-Reset`: when the window resets, Unix seconds. */
  resetAt: number;
}

/** What `onRateLimit` receives before the sync waits for a rate limit (pacing, a 429, a concurrency 429). */
export interface RateLimitEvent {
  /** How long the sync is about to wait, ms. */
  waitMs: number;
  /** Why: `pacing` (spreading a bucket's budget) or `rateLimited` (a 429) with the bucket, or `concurrencyLimited`. */
  reason: WaitReason;
  /** The last rate-limit headers seen. */
  limit?: RateLimitInfo;
}

/** A log record's level. */
export type LogLevel = "debug" | "info" | "warn";

/** Structured fields of a log record: counts, codes, hosts, paths and ids only (no secrets, no profile values). */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A logger for the sync (e.g. `console`, or pino/winston wrapped); every method optional. */
export interface SyncLogger {
  /** Each request and its answer. */
  debug?(message: string, fields: LogFields): void;
  /** A sync starting, completing; a wait. */
  info?(message: string, fields: LogFields): void;
  /** A retry after an error response or a network failure; a failed sync. */
  warn?(message: string, fields: LogFields): void;
}

/** A logger that never throws (a failing logger must not fail the sync), or `undefined` without one. */
export type SafeLog = (level: LogLevel, message: string, fields: LogFields) => void;

/** Wraps the caller's logger: a missing method is skipped, a throwing one ignored. */
export function safeLogger(logger: SyncLogger | undefined): SafeLog | undefined {
  if (logger === undefined) return undefined;
  return (level, message, fields) => {
    try {
      logger[level]?.(message, fields);
    } catch {
      // a logger's failure is not the sync's
    }
  };
}

const isCount = (n: unknown, min: number, max: number): n is number => typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;

/** Checks `retry`, `onRateLimit` and `logger`; throws `INVALID_OPTION` (ConfigurationError, `option` set) naming the bad one. */
export function validateHooks(o: { retry?: RetryOptions; onRateLimit?: unknown; logger?: unknown; maxWaitMs?: number }): void {
  const bad = (option: string, what: string): never => {
    throw makeError("INVALID_OPTION", `invalid option ${option}: ${what}`, { option });
  };
  if (o.onRateLimit !== undefined && typeof o.onRateLimit !== "function") bad("onRateLimit", "expected a function");
  if (o.logger !== undefined) {
    if (typeof o.logger !== "object" || o.logger === null) bad("logger", "expected an object with debug/info/warn methods");
    for (const level of ["debug", "info", "warn"] as const) {
      const m = (o.logger as Record<string, unknown>)[level];
      if (m !== undefined && typeof m !== "function") bad(`logger.${level}`, "expected a function");
    }
  }
  const r = o.retry;
  if (r === undefined) return;
  if (typeof r !== "object" || r === null) bad("retry", "expected an object { maxAttempts, baseDelayMs, maxDelayMs }");
  const maxWait = o.maxWaitMs ?? 300_000;
  if (r.maxAttempts !== undefined && !isCount(r.maxAttempts, 1, 20)) bad("retry.maxAttempts", "expected an integer from 1 to 20");
  if (r.baseDelayMs !== undefined && !isCount(r.baseDelayMs, 0, maxWait))
    bad("retry.baseDelayMs", `expected an integer from 0 to ${maxWait} (maxWaitMs)`);
  if (r.maxDelayMs !== undefined && !isCount(r.maxDelayMs, 0, maxWait))
    bad("retry.maxDelayMs", `expected an integer from 0 to ${maxWait} (maxWaitMs)`);
  if ((r.maxDelayMs ?? 30_000) < (r.baseDelayMs ?? 1000)) bad("retry.maxDelayMs", "expected at least retry.baseDelayMs");
}

/** The core's retry settings for `retry` (validated), as session options. */
export function retryConfig(r: RetryOptions | undefined): { maxRetries?: number; backoffBaseMs?: number; backoffCapMs?: number } {
  if (r === undefined) return {};
  return {
    ...(r.maxAttempts === undefined ? {} : { maxRetries: r.maxAttempts - 1 }),
    ...(r.baseDelayMs === undefined ? {} : { backoffBaseMs: r.baseDelayMs }),
    ...(r.maxDelayMs === undefined ? {} : { backoffCapMs: r.maxDelayMs }),
  };
}

/** The `X-Rate-Limit-*` headers of a response (flat `[name, value, …]`, lower-case names), when all three are numbers. */
export function rateLimitInfo(headers: string[]): RateLimitInfo | undefined {
  let limit: number | undefined;
  let remaining: number | undefined;
  let resetAt: number | undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i];
    if (name === undefined || !name.startsWith("x-rate-limit-")) continue;
    const n = Number(headers[i + 1]);
    if (!Number.isFinite(n) || n < 0) continue;
    if (name === "x-rate-limit-limit") limit = n;
    else if (name === "x-rate-limit-remaining") remaining = n;
    else if (name === "x-rate-limit-reset") resetAt = n;
  }
  return limit === undefined || remaining === undefined || resetAt === undefined ? undefined : { limit, remaining, resetAt };
}

/** The Okta rate-limit bucket of a request, as the core names it (`usersList`, `groupsList`, …): mirrors `bucket_for` in the core. */
export function bucketOf(method: string, path: string): string {
  const p = path.endsWith("/") ? path.slice(0, -1) : path;
  if (p.startsWith("/oauth2/v1/")) return "oauthToken";
  if (!p.startsWith("/api/v1/")) return "general";
  const s = p.slice("/api/v1/".length).split("/");
  if (s[0] === "users") return s.length === 1 ? "usersList" : s.length === 2 && s[1] !== "" && method === "GET" ? "userById" : "usersList";
  if (s[0] === "groups") return s.length === 2 && s[1] !== "" ? "groupById" : "groupsList";
  if (s[0] === "logs") return "logs";
  return "general";
}

/**
 * The fetch driver: runs the core's SyncSession to completion. The core decides every request, credential,
 * retry and wait; this file only signs (WebCrypto), fetches, sleeps and reports. Each wasm call is
 * synchronous and returns before any `await`, so no borrow of the session is ever held across I/O.
 */
import type { SessionAction, SyncSession } from "../../wasm/okta_directory.js";
import { fromWasmError, makeError, OktaDirectoryError } from "../errors.js";
import { sha256b64url, signJwt, type SigningKey } from "./crypto.js";
import { bucketOf, rateLimitInfo, type RateLimitEvent, type RateLimitInfo, type SafeLog } from "./hooks.js";
import type { Transport, TransportResponse } from "./transport.js";
import type { SyncProgress, SyncProgressEvent, WaitReason } from "./types.js";

/** Extra hooks of one drive (the `OktaDirectory` client's user iterator). */
export interface DriverHooks {
  /** Awaited before each poll when it returns a promise: lets a consumer hold the sync back (back-pressure). */
  beforePoll?: () => Promise<void> | undefined;
  /** Whether the consumer stopped the run on purpose (its `ABORTED` is then not a failure to log). */
  stopped?: () => boolean;
}

export interface DriverOptions {
  /** The org origin (from the validated org URL): the only origin that ever receives credentials. */
  origin: string;
  /** Sends the requests (over `fetch`, or Node's own HTTP client); closed by the caller. */
  transport: Transport;
  clientKey: SigningKey | undefined;
  dpopKey: SigningKey | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((event: SyncProgressEvent) => void) | undefined;
  onCheckpoint: ((checkpoint: string) => void | Promise<void>) | undefined;
  checkpointIntervalMs: number;
  requestTimeoutMs: number;
  /** With a journaled session: receives each completed users/members page (URL, the body to journal, the response headers), synchronously, in order. */
  onJournalPage?: ((url: string, body: Uint8Array, headers: string[]) => void) | undefined;
  /** Called before each rate-limit wait (pacing, 429, concurrency 429). */
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
  /** The caller's logger, wrapped (never throws). */
  log?: SafeLog | undefined;
  /** See {@link DriverHooks.beforePoll}. */
  beforePoll?: (() => Promise<void> | undefined) | undefined;
}

const EMPTY = new Uint8Array(0);

/** A request's path for logs: no query (cursors, filters), no credentials. */
function logPath(url: string): string {
  return new URL(url).pathname;
}

type Send = Extract<SessionAction, { kind: "send" }>;

const now = (): number => Math.floor(performance.now());
/** Longest delay `setTimeout` takes (a longer one fires at once, with a warning): every timer is clamped to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const unixSeconds = (): number => Math.floor(Date.now() / 1000);

function abortedError(signal: AbortSignal): OktaDirectoryError {
  return makeError("ABORTED", "the sync was aborted", { cause: signal.reason });
}

/** What the last failed exchange said: the core's error gets its cause, host and Okta's fields from it. */
interface LastFailure {
  network: { error: unknown; code: string | undefined; host: string } | undefined;
  api: { status: number; fields: OktaErrorFields } | undefined;
}

/** Okta's error fields of one response (each checked for shape; the summary capped). */
export interface OktaErrorFields {
  errorCode?: string;
  errorSummary?: string;
  errorId?: string;
  requestId?: string;
}

const IDENTIFIER = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_SUMMARY_CHARS = 300;

/** Okta's error fields from an error response: `errorCode`/`errorSummary`/`errorId` (or OAuth's `error`/`error_description`) and `X-Okta-Request-Id`. */
export function oktaErrorFields(headers: string[], body: Uint8Array): OktaErrorFields {
  const fields: OktaErrorFields = {};
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const value = headers[i + 1] as string;
    if (headers[i] === "x-okta-request-id" && IDENTIFIER.test(value)) fields.requestId = value;
  }
  if (body.byteLength === 0 || body.byteLength > 65_536) return fields;
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return fields;
  }
  if (typeof doc !== "object" || doc === null) return fields;
  const text = (name: string): string | undefined => {
    const v = (doc as Record<string, unknown>)[name];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const code = text("errorCode") ?? text("error");
  if (code !== undefined && IDENTIFIER.test(code)) fields.errorCode = code;
  const id = text("errorId");
  if (id !== undefined && IDENTIFIER.test(id)) fields.errorId = id;
  const summary = text("errorSummary") ?? text("error_description");
  if (summary !== undefined) fields.errorSummary = summary.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, MAX_SUMMARY_CHARS);
  return fields;
}

/** A network error's code (`ECONNREFUSED`, `ENOTFOUND`, …), searched through `cause` chains and aggregate errors. */
export function networkErrorCode(error: unknown): string | undefined {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 8; seen++) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null) continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z0-9_]{2,39}$/.test(code)) return code;
    if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
    queue.push((e as { cause?: unknown }).cause);
  }
  return undefined;
}

/** The core's error, completed with what the driver saw: the network cause and host, or Okta's error fields. */
function explain(error: OktaDirectoryError, last: LastFailure, apiToken: boolean): OktaDirectoryError {
  const { network, api } = last;
  if (error.code === "TOO_MANY_RETRIES" && error.status === undefined && network !== undefined) {
    const what = network.code ?? "network error";
    return makeError("TOO_MANY_RETRIES", `${error.message}; last: ${what} from ${network.host}`, {
      cause: network.error,
      host: network.host,
      ...(network.code === undefined ? {} : { networkCode: network.code }),
    });
  }
  if (error.status === undefined || api === undefined || api.status !== error.status) return error;
  const options = { cause: error, status: error.status, ...api.fields };
  if (error.code === "OKTA_API_ERROR" && error.status === 401 && api.fields.errorCode === "E0000011") {
    const credential = apiToken ? "the API token (apiToken)" : "the access token of the app (clientId/privateKey)";
    return makeError("OKTA_AUTHENTICATION_FAILED", `Okta refused ${credential}: HTTP 401, errorCode E0000011 (invalid token)`, options);
  }
  return makeError(error.code, error.message, options);
}

/** Runs the session until it completes or fails (throws a typed error). */
export async function drive(session: SyncSession, o: DriverOptions): Promise<void> {
  const internal = new AbortController();
  const stopOnAbort = (): void => internal.abort(o.signal?.reason);
  o.signal?.addEventListener("abort", stopOnAbort, { once: true });
  const last: LastFailure = { network: undefined, api: undefined };
  // The last X-Rate-Limit values per bucket (for onRateLimit), and the last of any bucket.
  const limits = new Map<string, RateLimitInfo>();
  let lastLimit: RateLimitInfo | undefined;
  let wake: (() => void) | undefined;
  let fatal: unknown;
  // A journal append failed: the page the machine counted is not (wholly) in the journal, so no checkpoint
  // may be taken after it (the last one taken stays valid: the journal is cut back to it on resume).
  let journalFailed = false;
  let pagesReported = -1;
  let nextCheckpoint = now() + o.checkpointIntervalMs;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  // One abort listener per run (not one per request or wait, which piled up past Node's limit of 10 and
  // printed MaxListenersExceededWarning): it aborts the requests in flight and wakes a wait.
  const inFlight = new Set<AbortController>();
  internal.signal.addEventListener(
    "abort",
    () => {
      for (const request of inFlight) request.abort(internal.signal.reason);
      notify();
    },
    { once: true },
  );
  const progress = (): SyncProgress => JSON.parse(session.progressJson()) as SyncProgress;
  const afterResponse = async (): Promise<void> => {
    const p = progress();
    if (p.pages === pagesReported) return;
    pagesReported = p.pages;
    o.onProgress?.(p);
    if (o.onCheckpoint !== undefined && now() >= nextCheckpoint) {
      const started = now();
      const checkpoint = session.checkpointJson();
      try {
        await o.onCheckpoint(checkpoint);
      } catch (e) {
        throw makeError("STORE_FAILED", "the sync checkpoint could not be stored", { cause: e });
      }
      // A checkpoint holds the directory so far: with a large one, writing it every interval would dominate
      // the sync. Keep checkpointing to about a tenth of the time.
      nextCheckpoint = now() + Math.max(o.checkpointIntervalMs, 10 * (now() - started));
    }
  };

  const perform = async (a: Send): Promise<void> => {
    // Checked again at the boundary (the core already refuses foreign next links): nothing, and above all
    // no credential, goes to another origin.
    if (new URL(a.url).origin !== o.origin) throw makeError("UNSAFE_NEXT_LINK", "a request left the org's origin; it was not sent");
    const headers: Array<[string, string]> = [...a.headers];
    let body = a.body;
    if (a.assertion !== undefined) {
      if (o.clientKey === undefined)
        throw makeError("INVALID_CREDENTIALS", "the session asked for a client assertion but no private key was given");
      body = (body ?? "") + (await signJwt(o.clientKey, a.assertion));
    }
    if (a.authorization !== undefined) headers.push(["Authorization", a.authorization]);
    if (a.dpopProof !== undefined) {
      if (o.dpopKey === undefined) throw makeError("INVALID_CREDENTIALS", "the session asked for a DPoP proof but DPoP is off");
      headers.push(["DPoP", await signJwt(o.dpopKey, a.dpopProof)]);
    }
    let answer: TransportResponse;
    // A per-request controller with a plain timer, not AbortSignal.any + AbortSignal.timeout: under Node 20
    // that composite never fired for a stalled fetch in driver.test.ts (the timeout signal is only weakly
    // held, so probably collected), and the sync hung.
    const request = new AbortController();
    if (internal.signal.aborted) return;
    inFlight.add(request);
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        request.abort(new Error("request timeout"));
      },
      Math.min(o.requestTimeoutMs, MAX_TIMER_MS),
    );
    const sentAt = now();
    try {
      answer = await o.transport.send({ method: a.method, url: a.url, headers, body, signal: request.signal });
    } catch (e) {
      // An oversized body is final (the same page would be as large again); anything else is a network error.
      if (e instanceof OktaDirectoryError && e.code === "RESPONSE_TOO_LARGE") throw e;
      if (!internal.signal.aborted) {
        // Kept for the error if retries run out: the code and the host only (never the path, query or credentials).
        last.network = { error: e, code: timedOut ? "TIMEOUT" : networkErrorCode(e), host: new URL(a.url).host };
        o.log?.("warn", "okta-directory: network error; the request will be retried if attempts remain", {
          method: a.method,
          host: last.network.host,
          path: logPath(a.url),
          networkCode: last.network.code ?? "unknown",
        });
        session.onNetworkError(a.id, now());
      }
      return;
    } finally {
      clearTimeout(timer);
      inFlight.delete(request);
    }
    if (internal.signal.aborted) return;
    const { status, headers: flat, body: bytes } = answer;
    if (status >= 400) last.api = { status, fields: oktaErrorFields(flat, bytes) };
    const limit = o.onRateLimit === undefined ? undefined : rateLimitInfo(flat);
    if (limit !== undefined) {
      limits.set(bucketOf(a.method, logPath(a.url)), limit);
      lastLimit = limit;
    }
    if (o.log !== undefined) {
      const fields = {
        method: a.method,
        path: logPath(a.url),
        status,
        durationMs: now() - sentAt,
        requestId: oktaErrorFields(flat, EMPTY).requestId,
        ...(status >= 400 && last.api !== undefined ? { errorCode: last.api.fields.errorCode, errorId: last.api.fields.errorId } : {}),
      };
      o.log(
        status === 429 || status >= 500 ? "warn" : "debug",
        status >= 400 ? "okta-directory: error response" : "okta-directory: response",
        fields,
      );
    }
    const journal = session.onResponse(a.id, status, flat, bytes, now());
    if (journal !== false && o.onJournalPage !== undefined) {
      try {
        o.onJournalPage(a.url, journal === true ? bytes : journal, flat);
      } catch (e) {
        journalFailed = true;
        throw makeError("STORE_FAILED", "the sync journal could not store a page", { cause: e });
      }
    }
    await afterResponse();
  };

  try {
    for (;;) {
      if (fatal !== undefined) throw fatal;
      if (o.signal?.aborted) throw abortedError(o.signal);
      const hold = o.beforePoll?.();
      if (hold !== undefined) {
        await hold;
        continue;
      }
      let action: SessionAction;
      try {
        action = session.poll(now(), unixSeconds());
      } catch (e) {
        throw fromWasmError(e);
      }
      if (action.kind === "done") break;
      if (action.kind === "hashToken") {
        session.setTokenHash(await sha256b64url(action.token));
        continue;
      }
      if (action.kind === "send") {
        void perform(action)
          .catch((e: unknown) => {
            fatal ??= e;
          })
          .finally(notify);
        continue;
      }
      const ms = action.ms;
      if (ms >= 0) {
        const reason = JSON.parse(action.reason) as WaitReason;
        o.onProgress?.({ ...progress(), waiting: { ms, reason } });
        const limited = reason.kind === "pacing" || reason.kind === "rateLimited" || reason.kind === "concurrencyLimited";
        if (limited && o.onRateLimit !== undefined) {
          const limit = "bucket" in reason ? limits.get(reason.bucket) : lastLimit;
          o.onRateLimit({ waitMs: ms, reason, ...(limit === undefined ? {} : { limit }) });
        }
        o.log?.(limited ? "info" : "debug", "okta-directory: waiting", {
          waitMs: ms,
          reason: reason.kind,
          bucket: "bucket" in reason ? reason.bucket : undefined,
        });
      }
      if (internal.signal.aborted) continue;
      // Woken by the timer, a completed request or the run's abort listener (through `notify`); no listener of its own.
      await new Promise<void>((resolve) => {
        const timer = ms >= 0 ? setTimeout(() => notify(), Math.min(ms, MAX_TIMER_MS)) : undefined;
        wake = (): void => {
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
      });
    }
    o.onProgress?.(progress());
  } catch (e) {
    // Keep what completed: a failed or aborted sync can resume from its last page. Not after a failed journal
    // append, nor when the session cannot vouch for its state (a resumed journal not replayed and proven):
    // the last checkpoint taken stays. Whatever happens here, the original error is the one thrown.
    if (o.onCheckpoint !== undefined && !journalFailed && progress().pages > 0) {
      try {
        await o.onCheckpoint(session.checkpointJson());
      } catch {
        // keep the error that stopped the sync
      }
    }
    throw explain(e instanceof OktaDirectoryError ? e : fromWasmError(e), last, o.clientKey === undefined);
  } finally {
    o.signal?.removeEventListener("abort", stopOnAbort);
    internal.abort();
  }
}

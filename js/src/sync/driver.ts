/**
 * The fetch driver: runs the core's SyncSession to completion. The core decides every request, credential,
 * retry and wait; this file only signs (WebCrypto), fetches, sleeps and reports. Each wasm call is
 * synchronous and returns before any `await`, so no borrow of the session is ever held across I/O.
 */
import type { SessionAction, SyncSession } from "../../wasm/okta_directory.js";
import { fromWasmError, makeError, OktaDirectoryError } from "../errors.js";
import { sha256b64url, signJwt, type SigningKey } from "./crypto.js";
import type { Transport, TransportResponse } from "./transport.js";
import type { SyncProgress, SyncProgressEvent, WaitReason } from "./types.js";

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
  /** With a journaled session: receives each completed users/members page (URL and the body to journal), synchronously, in order. */
  onJournalPage?: ((url: string, body: Uint8Array) => void) | undefined;
}

type Send = Extract<SessionAction, { kind: "send" }>;

const now = (): number => Math.floor(performance.now());
/** Longest delay `setTimeout` takes (a longer one fires at once, with a warning): every timer is clamped to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const unixSeconds = (): number => Math.floor(Date.now() / 1000);

function abortedError(signal: AbortSignal): OktaDirectoryError {
  return makeError("ABORTED", "the sync was aborted", { cause: signal.reason });
}

/** Runs the session until it completes or fails (throws a typed error). */
export async function drive(session: SyncSession, o: DriverOptions): Promise<void> {
  const internal = new AbortController();
  const stopOnAbort = (): void => internal.abort(o.signal?.reason);
  o.signal?.addEventListener("abort", stopOnAbort, { once: true });
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
      if (o.clientKey === undefined) throw makeError("INVALID_CREDENTIALS", "the session asked for a client assertion but no private key was given");
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
    const cancel = (): void => request.abort(internal.signal.reason);
    internal.signal.addEventListener("abort", cancel, { once: true });
    const timer = setTimeout(() => request.abort(new Error("request timeout")), Math.min(o.requestTimeoutMs, MAX_TIMER_MS));
    try {
      answer = await o.transport.send({ method: a.method, url: a.url, headers, body, signal: request.signal });
    } catch (e) {
      // An oversized body is final (the same page would be as large again); anything else is a network error.
      if (e instanceof OktaDirectoryError && e.code === "RESPONSE_TOO_LARGE") throw e;
      if (!internal.signal.aborted) session.onNetworkError(a.id, now());
      return;
    } finally {
      clearTimeout(timer);
      internal.signal.removeEventListener("abort", cancel);
    }
    if (internal.signal.aborted) return;
    const { status, headers: flat, body: bytes } = answer;
    const journal = session.onResponse(a.id, status, flat, bytes, now());
    if (journal !== false && o.onJournalPage !== undefined) {
      try {
        o.onJournalPage(a.url, journal === true ? bytes : journal);
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
      if (ms >= 0) o.onProgress?.({ ...progress(), waiting: { ms, reason: JSON.parse(action.reason) as WaitReason } });
      await new Promise<void>((resolve) => {
        const timer = ms >= 0 ? setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)) : undefined;
        const done = (): void => {
          if (timer !== undefined) clearTimeout(timer);
          internal.signal.removeEventListener("abort", done);
          resolve();
        };
        wake = done;
        internal.signal.addEventListener("abort", done, { once: true });
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
    throw e instanceof OktaDirectoryError ? e : fromWasmError(e);
  } finally {
    o.signal?.removeEventListener("abort", stopOnAbort);
    internal.abort();
  }
}

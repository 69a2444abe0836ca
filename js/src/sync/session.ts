/**
 * Opens a sync session: validates the options, imports the keys, creates the core's session and returns it
 * with a function that drives it to completion (shared by `syncDirectory*` and the `OktaDirectory` client).
 */
import { SyncSession } from "../../wasm/okta_directory.js";
import { guard, makeError, OktaDirectoryError } from "../errors.js";
import { ensureReady } from "../state.js";
import { entropy, generateDpopKey, importClientKey, type SigningKey } from "./crypto.js";
import { drive, type DriverHooks } from "./driver.js";
import { retryConfig, safeLogger, validateHooks } from "./hooks.js";
import { defaultTransport, fetchTransport } from "./transport.js";
import type { SyncDirectoryOptions, SyncProgress } from "./types.js";

/** An org URL typed without a scheme (`acme.okta.com`) gets a typed error saying what to add. */
function checkScheme(orgUrl: unknown): void {
  if (typeof orgUrl !== "string") return;
  const text = orgUrl.trim();
  if (text !== "" && !text.includes("://")) {
    throw makeError("INVALID_ORG_URL", "invalid org URL: it has no scheme: add https:// in front (e.g. https://acme.okta.com)", {
      option: "orgUrl",
    });
  }
}

/** The core's wording of an option, and the SDK option it means (the core serves the SDK and the CLI). */
const CORE_OPTION_WORDING: Array<[string, string, string]> = [
  ["the insecure-loopback option", "allowInsecureLoopback: true (a local emulator only)", "allowInsecureLoopback"],
  ["custom domains must be allowed explicitly", "custom domains must be allowed explicitly (allowCustomDomain: true)", "allowCustomDomain"],
];

/** Runs `fn` (the session's creation) and rewords an error naming an option with the SDK's option name (in `option` too). */
function withSdkOptionNames<T>(fn: () => T): T {
  try {
    return guard(fn);
  } catch (e) {
    if (!(e instanceof OktaDirectoryError)) throw e;
    for (const [core, sdk, option] of CORE_OPTION_WORDING) {
      if (e.message.includes(core)) throw makeError(e.code, e.message.replace(core, sdk), { cause: e, option });
    }
    throw e;
  }
}

/** A fresh random run id (32 hex digits): a resume keeps its checkpoint's instead. */
function runId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Drives a session to completion: journal pages to `onJournalPage`, the last progress to `onLast`, the driver's extra hooks. */
export type Drive = (
  onJournalPage: ((url: string, body: Uint8Array, headers: string[]) => void) | undefined,
  onLast?: (p: SyncProgress) => void,
  hooks?: DriverHooks,
) => Promise<void>;

/** Validates the options, creates the wasm session and returns it with a function that drives it to completion. */
export async function openSession(
  options: SyncDirectoryOptions,
  journal: boolean | "only",
): Promise<{ session: SyncSession; drive: Drive }> {
  ensureReady();
  validateHooks(options);
  const usesKey = options.clientId !== undefined || options.privateKey !== undefined;
  if (usesKey === (options.apiToken !== undefined)) {
    throw makeError("INVALID_CREDENTIALS", "unusable credentials: give either apiToken, or clientId with privateKey");
  }
  if (usesKey && (options.clientId === undefined || options.privateKey === undefined)) {
    throw makeError("INVALID_CREDENTIALS", "unusable credentials: clientId and privateKey go together");
  }
  const dpop = options.dpop ?? "auto";
  let clientKey: SigningKey | undefined;
  let dpopKey: SigningKey | undefined;
  let dpopJwk: { kty: string; crv: string; x: string; y: string } | undefined;
  if (options.privateKey !== undefined) {
    clientKey = await importClientKey(options.privateKey);
    if (dpop !== "off") ({ key: dpopKey, publicJwk: dpopJwk } = await generateDpopKey());
  }
  checkScheme(options.orgUrl);
  const session = withSdkOptionNames(
    () =>
      new SyncSession(
        {
          orgUrl: options.orgUrl,
          ...(options.allowInsecureLoopback === undefined ? {} : { allowInsecureLoopback: options.allowInsecureLoopback }),
          ...(options.allowCustomDomain === undefined ? {} : { allowCustomDomain: options.allowCustomDomain }),
          ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
          ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
          ...(options.keyId === undefined ? {} : { keyId: options.keyId }),
          ...(clientKey === undefined ? {} : { keyAlg: clientKey.alg }),
          ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
          dpop,
          ...(dpopJwk === undefined ? {} : { dpopJwk }),
          ...(options.pageLimit === undefined ? {} : { pageLimit: options.pageLimit }),
          ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
          ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
          ...(options.groups === undefined ? {} : { groups: options.groups }),
          ...(options.workforceGroupId === undefined ? {} : { workforceGroupId: options.workforceGroupId }),
          ...(options.since === undefined ? {} : { sinceMs: options.since }),
          ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
          ...(options.logCursor === undefined ? {} : { logCursor: options.logCursor }),
          ...(options.appliedEventUuids === undefined ? {} : { appliedEventUuids: options.appliedEventUuids }),
          ...(options.clockToleranceMs === undefined ? {} : { clockToleranceMs: options.clockToleranceMs }),
          ...(journal === "only" ? { journalOnly: true } : journal ? { journal, syncedAtMs: Date.now() } : {}),
          ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
          ...retryConfig(options.retry),
          runId: runId(),
        },
        entropy(),
      ),
  );
  const log = safeLogger(options.logger);
  const run: Drive = async (onJournalPage, onLast, hooks) => {
    const transport = options.fetch !== undefined ? fetchTransport(options.fetch) : defaultTransport();
    const started = Date.now();
    const host = new URL(session.origin()).host;
    log?.("info", "okta-directory: sync started", {
      host,
      credentials: clientKey === undefined ? "apiToken" : "privateKey",
      mode: options.since !== undefined ? "incremental" : options.groups?.length ? "groups" : "full",
      resumed: options.checkpoint !== undefined,
    });
    try {
      await drive(session, {
        origin: new URL(session.origin()).origin,
        transport,
        clientKey,
        dpopKey,
        signal: options.signal,
        onProgress:
          onLast === undefined
            ? options.onProgress
            : (p) => {
                onLast(p);
                options.onProgress?.(p);
              },
        onCheckpoint: options.onCheckpoint,
        checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
        requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
        onJournalPage,
        onRateLimit: options.onRateLimit,
        log,
        ...hooks,
      });
      const p = JSON.parse(session.progressJson()) as SyncProgress;
      log?.("info", "okta-directory: sync completed", {
        host,
        pages: p.pages,
        users: p.users,
        groups: p.groups,
        memberships: p.memberships,
        requests: p.requests,
        retries: p.retries,
        waitsMs: p.waitsMs,
        elapsedMs: Date.now() - started,
      });
    } catch (e) {
      if (hooks?.stopped?.() === true) {
        log?.("info", "okta-directory: listing stopped (complete, or the loop left)", { host, elapsedMs: Date.now() - started });
        throw e;
      }
      const err = e as { code?: unknown; status?: unknown; networkCode?: unknown };
      log?.("warn", "okta-directory: sync failed", {
        host,
        code: typeof err.code === "string" ? err.code : "INTERNAL",
        ...(typeof err.status === "number" ? { status: err.status } : {}),
        ...(typeof err.networkCode === "string" ? { networkCode: err.networkCode } : {}),
        elapsedMs: Date.now() - started,
      });
      throw e;
    } finally {
      transport.close();
    }
  };
  return { session, drive: run };
}

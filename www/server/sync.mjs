// Sync orchestration, server-side (Okta refuses browser-origin token requests, and a private key must not
// live in a browser): the authorization check and the sync itself through the SDK, one job per integration,
// cancellable, progress streamed to every page, each run recorded in the integration's sync history.
import { OktaDirectoryError, syncDirectoryJson } from "../../js/dist/node.js";
import { REQUIRED_SCOPES } from "../app/validate.js";
import { loadView, publicView, save } from "./integrations.mjs";
import { diffUsers, mergeIncremental } from "./schedule.mjs";

/**
 * @typedef {import("./app.mjs").App} App
 * @typedef {import("./integrations.mjs").Integration} Integration
 */

/** A failure as the API reports it: the SDK's code and message, else a generic internal error. @param {unknown} e */
export function errorInfo(e) {
  if (e instanceof OktaDirectoryError) return { code: e.code, message: e.message };
  return { code: "INTERNAL", message: "unexpected failure in the dashboard server" };
}

/** The scopes an `AUTHORIZATION_INCOMPLETE` error names (its message lists them; never PII). @param {OktaDirectoryError} e */
function missingScopes(e) {
  const named = e.message.match(/\b(okta\.[a-z]+\.[a-z]+)\b/g) ?? [];
  return [...new Set(named)];
}

/** The authorization an `AUTHORIZATION_INCOMPLETE` error reports. @param {OktaDirectoryError} e */
function incompleteAuthorization(e) {
  const missing = missingScopes(e);
  return {
    checkedAt: Date.now(),
    required: REQUIRED_SCOPES,
    granted: REQUIRED_SCOPES.filter((s) => !missing.includes(s)),
    missing,
    code: e.code,
    reason: e.message,
  };
}

/** The SDK options for an integration (the key read from disk here, nowhere else). @param {App} app @param {Integration} i */
async function syncOptions(app, i) {
  return {
    orgUrl: i.orgUrl,
    clientId: i.clientId,
    privateKey: await app.store.readKey(i.id),
    ...(i.keyId ? { keyId: i.keyId } : {}),
    ...(i.insecureLoopback ? { allowInsecureLoopback: true } : {}),
  };
}

/**
 * The authorization check: requests a token and reads one page of users through the SDK, then stops. An
 * app missing a scope fails with `AUTHORIZATION_INCOMPLETE` naming it; a refused client with
 * `AUTHENTICATION_FAILED`.
 * @param {App} app @param {Integration} i
 */
export async function authorize(app, i) {
  if (app.jobs.has(i.id)) return;
  const controller = new AbortController();
  app.jobs.set(i.id, { controller, kind: "authorize", progress: null, startedAt: Date.now() });
  app.events.broadcast("integration", publicView(app, i));
  const timeout = setTimeout(() => controller.abort(), 30_000);
  let authorized = false;
  /** @type {Integration | undefined} */
  let next;
  try {
    await syncDirectoryJson({
      ...(await syncOptions(app, i)),
      pageLimit: 1,
      maxInFlight: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages > 0) {
          authorized = true;
          controller.abort();
        }
      },
    });
    authorized = true;
  } catch (e) {
    if (!(authorized && e instanceof OktaDirectoryError && e.code === "ABORTED")) {
      const info = errorInfo(e);
      const incomplete = info.code === "AUTHORIZATION_INCOMPLETE" && e instanceof OktaDirectoryError;
      next = {
        ...i,
        state: "incomplete",
        authorization: incomplete
          ? incompleteAuthorization(e)
          : {
              checkedAt: Date.now(),
              required: REQUIRED_SCOPES,
              granted: [],
              missing: [],
              code: info.code,
              reason: controller.signal.aborted && info.code === "ABORTED" ? "Okta did not answer within 30 s." : info.message,
            },
      };
    }
  } finally {
    clearTimeout(timeout);
    app.jobs.delete(i.id);
  }
  next ??= {
    ...i,
    state: "ready",
    authorization: { checkedAt: Date.now(), required: REQUIRED_SCOPES, granted: REQUIRED_SCOPES, missing: [] },
  };
  await save(app, next);
}

/**
 * A sync, progress streamed to every page: a full one replaces the stored directory; an incremental one
 * (users changed since the last run's watermark, deletions and membership changes) is merged into it. An
 * incremental run without a previous watermark or stored directory runs full.
 * @param {App} app @param {Integration} i
 * @param {"manual" | "schedule"} [trigger] @param {"full" | "incremental"} [wanted]
 */
export async function sync(app, i, trigger = "manual", wanted = "full") {
  if (app.jobs.has(i.id)) return;
  const watermark = i.lastSync?.watermarkMs;
  const mode = wanted === "incremental" && typeof watermark === "number" && app.views.has(i.id) ? "incremental" : "full";
  const controller = new AbortController();
  /** @type {import("./integrations.mjs").Job} */
  const job = {
    controller,
    kind: "sync",
    progress: null,
    startedAt: Date.now(),
    ...(i.lastSync ? { expectedUsers: i.lastSync.users } : {}),
  };
  app.jobs.set(i.id, job);
  app.events.broadcast("integration", publicView(app, i));
  let lastSent = 0;
  try {
    let json = await syncDirectoryJson({
      ...(await syncOptions(app, i)),
      ...(mode === "incremental" ? { since: watermark } : {}),
      signal: controller.signal,
      onProgress: (p) => {
        job.progress = p;
        const now = Date.now();
        if (now - lastSent >= 100 || p.waiting) {
          lastSent = now;
          app.events.broadcast("progress", { id: i.id, progress: p, expectedUsers: job.expectedUsers ?? null });
        }
      },
    });
    let result = JSON.parse(json);
    if (mode === "incremental") {
      const previous = JSON.parse((await app.store.readDirectory(i.id)) ?? "");
      result = mergeIncremental(previous, result);
      json = JSON.stringify(result);
    }
    const delta = diffUsers(app.views.get(i.id)?.users, result.users);
    await app.store.writeDirectory(i.id, json);
    const current = app.integrations.get(i.id) ?? i;
    const { lastError: _e, ...rest } = current;
    /** @type {Integration} */
    const next = {
      ...rest,
      state: "ready",
      lastSync: {
        at: Date.now(),
        durationMs: Date.now() - job.startedAt,
        users: result.summary.users,
        groups: result.summary.groups,
        memberships: result.summary.memberships,
        usersByStatus: result.summary.usersByStatus,
        progress: result.summary.progress,
        mode,
        ...(typeof result.summary.watermarkMs === "number" ? { watermarkMs: result.summary.watermarkMs } : {}),
      },
    };
    await loadView(app, next, json, result);
    const p = result.summary.progress ?? {};
    await app.runs.add(i.id, {
      startedAt: job.startedAt,
      durationMs: Date.now() - job.startedAt,
      trigger,
      mode,
      outcome: "completed",
      users: result.summary.users,
      ...delta,
      requests: p.requests ?? 0,
      retries: p.retries ?? 0,
      waitsMs: p.waitsMs ?? 0,
      errorCode: null,
    });
    app.jobs.delete(i.id);
    await save(app, next);
  } catch (e) {
    app.jobs.delete(i.id);
    const info = errorInfo(e);
    const current = app.integrations.get(i.id) ?? i;
    const p = /** @type {{ requests?: number, retries?: number, waitsMs?: number } | null} */ (job.progress) ?? {};
    await app.runs
      .add(i.id, {
        startedAt: job.startedAt,
        durationMs: Date.now() - job.startedAt,
        trigger,
        mode,
        outcome: info.code === "ABORTED" ? "cancelled" : "failed",
        users: null,
        added: 0,
        changed: 0,
        removed: 0,
        requests: p.requests ?? 0,
        retries: p.retries ?? 0,
        waitsMs: p.waitsMs ?? 0,
        errorCode: info.code,
      })
      .catch(() => undefined);
    if (info.code === "ABORTED") {
      await save(app, {
        ...current,
        lastError: { code: info.code, message: "Sync cancelled; the previous directory is kept.", at: Date.now() },
      });
    } else if (info.code === "AUTHORIZATION_INCOMPLETE" && e instanceof OktaDirectoryError) {
      await save(app, {
        ...current,
        state: "incomplete",
        authorization: incompleteAuthorization(e),
        lastError: { ...info, at: Date.now() },
      });
    } else {
      await save(app, { ...current, state: "error", lastError: { ...info, at: Date.now() } });
    }
  }
}

#!/usr/bin/env node
// The dashboard's backend: serves www/ and the browser build of the SDK (/sdk/), stores Okta Directory
// integrations on disk, checks their authorization and runs their syncs server-side with the SDK (Okta
// refuses browser-origin token requests, and a private key must not live in a browser), streaming progress
// to the page over Server-Sent Events.
//
//   node www/server.mjs [--port 8787] [--host 127.0.0.1] [--data .cache/dashboard]
//        [--demo] [--demo-users 10000]              start the bundled Okta emulator and pre-fill an integration on it
//        [--okta-org URL --client-id 0oa… --private-key FILE [--key-id KID] [--workforce-group 00g…]]
//        [--admin-oidc-issuer URL --admin-oidc-client-id 0oa…]   "Sign in with Okta" for admins (--demo: the emulator)
//        [--smtp-url smtp://user:pass@host:587 --mail-from addr]  how the portal's codes are sent (else: the dev mailbox)
//
// Admin sign-in: every /api/ route and the event stream need an admin session (an HttpOnly cookie), got by
// "Sign in with Okta" (OIDC code + PKCE) or once by the bootstrap token printed at start. The portal's API
// (/portal-api/) is separate and anonymous.
//
// Storage (--data, git-ignored by default): integrations/<id>.json (settings and state, no secret),
// keys/<id>.key (the private key, mode 0600, never sent back), directories/<id>.json (the sync result) and
// .snapshot (the compact directory), history/<id>.json (verification history, kept across re-syncs).
import { createPrivateKey, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Directory, OktaDirectoryError, enrollmentStatus, syncDirectoryJson } from "../js/dist/node.js";
import { createPortal } from "./portal-api.mjs";
import { SESSION_COOKIE, cookie, createBootstrap, createSessionStore, parseCookies, sameOrigin } from "./server/admin-auth.mjs";
import { createHelpdesk } from "./server/helpdesk.mjs";
import { createPolicies } from "./server/policy.mjs";
import { devMailbox, smtpSender } from "./server/mail.mjs";
import { OidcError, createOidcClient } from "./server/oidc-client.mjs";
import { DEFAULT_LIMITS, createPossession } from "./server/possession.mjs";
import { checkSchedule, createRunStore, createScheduler, diffUsers, mergeIncremental } from "./server/schedule.mjs";
import { contentType, resolveStatic } from "./server/static.mjs";
import { REQUIRED_SCOPES, checkClientId, checkGroupId, checkKeyId, checkName, checkOrgUrl, inspectKey } from "./validate.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const sdkRoot = fileURLToPath(new URL("../js/", import.meta.url));
const USAGE = `usage: node www/server.mjs [options]

The admin dashboard and self-serve portal (prints {"url", "bootstrapUrl"} on stdout when listening).

options:
  --port N                    port to listen on (default 8787; 0: a free port)
  --host ADDR                 address to listen on (default 127.0.0.1)
  --data DIR                  where integrations, keys and directories are stored (default .cache/dashboard)
  --demo                      start the bundled Okta emulator and pre-fill an integration on it
  --demo-users N              users in the demo's emulator (default 10000)
  --okta-org URL              pre-fill an integration for this org, with:
    --client-id ID --private-key FILE [--key-id KID] [--workforce-group ID]
  --admin-oidc-issuer URL     "Sign in with Okta" for admins (with --admin-oidc-client-id ID)
  --smtp-url URL              how the portal's codes are sent (with --mail-from ADDR; else the dev mailbox)
  --portal-limits K=V,...     the portal's possession-step limits
  -h, --help                  this help

examples:
  node www/server.mjs --demo
  node www/server.mjs --okta-org https://acme.okta.com --client-id 0oa1 --private-key key.pem`;
/** The command line; `--help` prints USAGE (exit 0), a bad option one line and exit 2. */
const { values } = (() => {
  try {
    return parseArgs({
      options: {
        help: { type: "boolean", short: "h", default: false },
        port: { type: "string", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        data: { type: "string", default: fileURLToPath(new URL("../.cache/dashboard/", import.meta.url)) },
        demo: { type: "boolean", default: false },
        "demo-users": { type: "string", default: "10000" },
        "okta-org": { type: "string" },
        "client-id": { type: "string" },
        "private-key": { type: "string" },
        "key-id": { type: "string" },
        "workforce-group": { type: "string" },
        "admin-oidc-issuer": { type: "string" },
        "admin-oidc-client-id": { type: "string" },
        "smtp-url": { type: "string" },
        "mail-from": { type: "string", default: "okta-directory <no-reply@localhost>" },
        "portal-limits": { type: "string", default: "" },
      },
    });
  } catch (e) {
    process.stderr.write(
      `dashboard: ${String(/** @type {Error} */ (e).message).split(/\n|\. To specify/)[0]} (see node www/server.mjs --help)\n`,
    );
    process.exit(2);
  }
})();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const dataDir = resolve(values.data);
const dirs = {
  integrations: join(dataDir, "integrations"),
  keys: join(dataDir, "keys"),
  directories: join(dataDir, "directories"),
  history: join(dataDir, "history"),
};
for (const d of Object.values(dirs)) await mkdir(d, { recursive: true, mode: 0o700 });
await chmod(dirs.keys, 0o700);
/** Each integration's sync runs (sync-runs/<id>.json). */
const runs = await createRunStore(dataDir);

// ---- Integrations ------------------------------------------------------------------------------

/**
 * @typedef {{ id: string, name: string, orgUrl: string, clientId: string, keyId?: string, workforceGroupId?: string,
 *   insecureLoopback: boolean, demo?: boolean, createdAt: number,
 *   state: "draft" | "awaiting_authorization" | "incomplete" | "ready" | "error",
 *   authorization?: { checkedAt: number, required: string[], granted: string[], missing: string[], reason?: string, code?: string },
 *   lastSync?: { at: number, durationMs: number, users: number, groups: number, memberships: number, usersByStatus: Record<string, number>, progress: unknown, mode?: "full" | "incremental", watermarkMs?: number },
 *   schedule?: { intervalMin: number, fullIntervalMin?: number, mode?: "full", since?: number },
 *   lastError?: { code: string, message: string, at: number } }} Integration
 */

/** @type {Map<string, Integration>} */
const integrations = new Map();
/** Running syncs and checks: id → {controller, kind, progress}. @type {Map<string, {controller: AbortController, kind: "sync" | "authorize", progress: unknown, startedAt: number, expectedUsers?: number}>} */
const jobs = new Map();

const safeId = (/** @type {string} */ id) => /^[a-z0-9-]{1,40}$/.test(id);

async function loadIntegrations() {
  for (const file of await readdir(dirs.integrations)) {
    if (!file.endsWith(".json")) continue;
    try {
      /** @type {Integration} */
      const integration = JSON.parse(await readFile(join(dirs.integrations, file), "utf8"));
      if (safeId(integration.id)) integrations.set(integration.id, integration);
    } catch {
      process.stderr.write(`dashboard: skipped an unreadable integration file (${file})\n`);
    }
  }
}

/** Writes a file atomically (temp + rename). */
async function writeAtomic(path, data, mode = 0o600) {
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, data, { mode });
  await rename(temp, path);
}

async function save(/** @type {Integration} */ integration) {
  integrations.set(integration.id, integration);
  await writeAtomic(join(dirs.integrations, `${integration.id}.json`), JSON.stringify(integration, null, 2));
  broadcast("integration", publicView(integration));
}

const keyPath = (/** @type {string} */ id) => join(dirs.keys, `${id}.key`);
async function hasKey(/** @type {string} */ id) {
  return stat(keyPath(id)).then(
    () => true,
    () => false,
  );
}
const keyPresence = new Map();

/** What the browser may see: settings and state, never the key. */
function publicView(/** @type {Integration} */ i) {
  const job = jobs.get(i.id);
  return {
    ...i,
    hasKey: keyPresence.get(i.id) === true,
    state: job?.kind === "sync" ? "syncing" : job?.kind === "authorize" ? "authorizing" : i.state,
    job: job ? { kind: job.kind, progress: job.progress, startedAt: job.startedAt, expectedUsers: job.expectedUsers ?? null } : null,
    hasDirectory: views.has(i.id),
  };
}

/** Checks a settings body; returns the cleaned settings or the first problem per field. */
function checkSettings(/** @type {Record<string, unknown>} */ body, /** @type {boolean} */ keyRequired) {
  const str = (/** @type {string} */ k) => (typeof body[k] === "string" ? /** @type {string} */ (body[k]).trim() : "");
  const loopback = body["insecureLoopback"] === true;
  /** @type {Record<string, string>} */
  const errors = {};
  const put = (/** @type {string} */ field, /** @type {string} */ message) => message && (errors[field] = message);
  put("name", checkName(str("name")));
  put("orgUrl", checkOrgUrl(str("orgUrl"), loopback));
  put("clientId", checkClientId(str("clientId")));
  put("keyId", checkKeyId(str("keyId")));
  put("workforceGroupId", checkGroupId(str("workforceGroupId")));
  let keyId = str("keyId");
  const keyText = str("privateKey");
  if (keyText || keyRequired) {
    const inspected = inspectKey(keyText);
    if (inspected.error) put("privateKey", inspected.error);
    else {
      try {
        const key = inspected.kind === "pem" ? createPrivateKey(keyText) : createPrivateKey({ key: JSON.parse(keyText), format: "jwk" });
        if (key.asymmetricKeyType !== "rsa" && !(key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1")) {
          put("privateKey", "The key must be RSA or EC P-256.");
        }
      } catch {
        put("privateKey", "The key could not be read: check that the whole file was pasted.");
      }
      if (!keyId && inspected.kid) keyId = inspected.kid;
    }
  }
  return {
    errors,
    settings: {
      name: str("name"),
      orgUrl: str("orgUrl").replace(/\/+$/, ""),
      clientId: str("clientId"),
      ...(keyId ? { keyId } : {}),
      ...(str("workforceGroupId") ? { workforceGroupId: str("workforceGroupId") } : {}),
      insecureLoopback: loopback,
    },
    keyText,
  };
}

async function createIntegration(/** @type {Record<string, unknown>} */ body, id = `dir-${randomBytes(5).toString("hex")}`) {
  const { errors, settings, keyText } = checkSettings(body, false);
  if (Object.keys(errors).length) return { errors };
  if (keyText) await writeKey(id, keyText);
  /** @type {Integration} */
  const integration = { id, ...settings, createdAt: Date.now(), state: keyText ? "awaiting_authorization" : "draft" };
  await save(integration);
  return { integration };
}

async function updateIntegration(/** @type {Integration} */ current, /** @type {Record<string, unknown>} */ body) {
  const { errors, settings, keyText } = checkSettings(body, false);
  if (Object.keys(errors).length) return { errors };
  // The stored key signs client assertions for the org it was given for: a new origin (or switching to plain
  // http on loopback) needs the key again, else the key would sign for whoever answers at the new address.
  const retargeted = safeOrigin(settings.orgUrl) !== safeOrigin(current.orgUrl) || (settings.insecureLoopback && !current.insecureLoopback);
  if (retargeted && !keyText && keyPresence.get(current.id) === true) {
    return { errors: { privateKey: "Changing the Okta Instance URL (or allowing a local emulator) needs the private key again." } };
  }
  if (keyText) await writeKey(current.id, keyText);
  const { authorization: _a, lastError: _e, keyId: _k, workforceGroupId: _w, ...rest } = current;
  const has = keyPresence.get(current.id) === true;
  /** @type {Integration} */
  const integration = { ...rest, ...settings, state: has ? "awaiting_authorization" : "draft" };
  await save(integration);
  await rebuildView(integration).catch(() => undefined);
  return { integration };
}

/** The origin of a URL, or "" when it is not one. */
function safeOrigin(/** @type {string} */ url) {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

async function writeKey(/** @type {string} */ id, /** @type {string} */ text) {
  await writeAtomic(keyPath(id), text, 0o600);
  await chmod(keyPath(id), 0o600);
  keyPresence.set(id, true);
}

/** The SDK options for an integration (the key read from disk here, nowhere else). */
async function syncOptions(/** @type {Integration} */ i) {
  const keyText = (await readFile(keyPath(i.id), "utf8")).trim();
  return {
    orgUrl: i.orgUrl,
    clientId: i.clientId,
    privateKey: keyText.startsWith("{") ? JSON.parse(keyText) : keyText,
    ...(i.keyId ? { keyId: i.keyId } : {}),
    ...(i.insecureLoopback ? { allowInsecureLoopback: true } : {}),
  };
}

/** The scopes an `AUTHORIZATION_INCOMPLETE` error names (its message lists them; never PII). */
function missingScopes(/** @type {OktaDirectoryError} */ e) {
  const named = e.message.match(/\b(okta\.[a-z]+\.[a-z]+)\b/g) ?? [];
  return [...new Set(named)];
}

function errorInfo(/** @type {unknown} */ e) {
  if (e instanceof OktaDirectoryError) return { code: e.code, message: e.message };
  return { code: "INTERNAL", message: "unexpected failure in the dashboard server" };
}

/**
 * The authorization check: requests a token and reads one page of users through the SDK, then stops. An
 * app missing a scope fails with `AUTHORIZATION_INCOMPLETE` naming it; a refused client with
 * `AUTHENTICATION_FAILED`.
 */
async function authorize(/** @type {Integration} */ i) {
  if (jobs.has(i.id)) return;
  const controller = new AbortController();
  jobs.set(i.id, { controller, kind: "authorize", progress: null, startedAt: Date.now() });
  broadcast("integration", publicView(i));
  const timeout = setTimeout(() => controller.abort(), 30_000);
  let authorized = false;
  /** @type {Integration} */
  let next;
  try {
    await syncDirectoryJson({
      ...(await syncOptions(i)),
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
      const missing = info.code === "AUTHORIZATION_INCOMPLETE" ? missingScopes(/** @type {OktaDirectoryError} */ (e)) : [];
      next = {
        ...i,
        state: "incomplete",
        authorization: {
          checkedAt: Date.now(),
          required: REQUIRED_SCOPES,
          granted: info.code === "AUTHORIZATION_INCOMPLETE" ? REQUIRED_SCOPES.filter((s) => !missing.includes(s)) : [],
          missing,
          code: info.code,
          reason: controller.signal.aborted && info.code === "ABORTED" ? "Okta did not answer within 30 s." : info.message,
        },
      };
    }
  } finally {
    clearTimeout(timeout);
    jobs.delete(i.id);
  }
  next ??= {
    ...i,
    state: "ready",
    authorization: { checkedAt: Date.now(), required: REQUIRED_SCOPES, granted: REQUIRED_SCOPES, missing: [] },
  };
  await save(next);
}

/**
 * A sync, progress streamed to every page: a full one replaces the stored directory; an incremental one
 * (users changed since the last run's watermark, deletions and membership changes) is merged into it. An
 * incremental run without a previous watermark or stored directory runs full.
 */
async function sync(
  /** @type {Integration} */ i,
  /** @type {"manual" | "schedule"} */ trigger = "manual",
  /** @type {"full" | "incremental"} */ wanted = "full",
) {
  if (jobs.has(i.id)) return;
  const watermark = i.lastSync?.watermarkMs;
  const mode = wanted === "incremental" && typeof watermark === "number" && views.has(i.id) ? "incremental" : "full";
  const controller = new AbortController();
  const job = {
    controller,
    kind: /** @type {const} */ ("sync"),
    progress: /** @type {unknown} */ (null),
    startedAt: Date.now(),
    expectedUsers: i.lastSync?.users,
  };
  jobs.set(i.id, job);
  broadcast("integration", publicView(i));
  let lastSent = 0;
  try {
    let json = await syncDirectoryJson({
      ...(await syncOptions(i)),
      ...(mode === "incremental" ? { since: watermark } : {}),
      signal: controller.signal,
      onProgress: (p) => {
        job.progress = p;
        const now = Date.now();
        if (now - lastSent >= 100 || p.waiting) {
          lastSent = now;
          broadcast("progress", { id: i.id, progress: p, expectedUsers: job.expectedUsers ?? null });
        }
      },
    });
    let result = JSON.parse(json);
    if (mode === "incremental") {
      const previous = JSON.parse(await readFile(join(dirs.directories, `${i.id}.json`), "utf8"));
      result = mergeIncremental(previous, result);
      json = JSON.stringify(result);
    }
    const delta = diffUsers(views.get(i.id)?.users, result.users);
    await writeAtomic(join(dirs.directories, `${i.id}.json`), json);
    const current = integrations.get(i.id) ?? i;
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
    await rebuildView(next, json, result);
    const p = result.summary.progress ?? {};
    await runs.add(i.id, {
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
    jobs.delete(i.id);
    await save(next);
  } catch (e) {
    jobs.delete(i.id);
    const info = errorInfo(e);
    const current = integrations.get(i.id) ?? i;
    const p = /** @type {any} */ (job.progress) ?? {};
    await runs
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
      await save({
        ...current,
        lastError: { code: info.code, message: "Sync cancelled; the previous directory is kept.", at: Date.now() },
      });
    } else if (info.code === "AUTHORIZATION_INCOMPLETE" && e instanceof OktaDirectoryError) {
      const missing = missingScopes(e);
      await save({
        ...current,
        state: "incomplete",
        authorization: {
          checkedAt: Date.now(),
          required: REQUIRED_SCOPES,
          granted: REQUIRED_SCOPES.filter((s) => !missing.includes(s)),
          missing,
          code: info.code,
          reason: info.message,
        },
        lastError: { ...info, at: Date.now() },
      });
    } else {
      await save({ ...current, state: "error", lastError: { ...info, at: Date.now() } });
    }
  }
}

// ---- Directory views ---------------------------------------------------------------------------

/**
 * @typedef {{ directory: Directory, users: Array<{user: any, sources: Record<string, string>, issues: Array<{field: string, code: string}>}>,
 *   byId: Map<string, number>, groups: Array<{id: string, name: string, type: string, members: number}>, groupIndex: Map<string, number>,
 *   userGroups: number[][], attributes: string[], required: boolean[], missing: number[][], enrollment: string[], history: any,
 *   table: string, summary: unknown, workforceGroupId?: string }} View
 */
/** @type {Map<string, View>} */
const views = new Map();

async function readHistory(/** @type {string} */ id) {
  try {
    return JSON.parse(await readFile(join(dirs.history, `${id}.json`), "utf8"));
  } catch {
    return null;
  }
}

/** Loads (or rebuilds after a sync) the in-memory view of an integration's directory. */
async function rebuildView(/** @type {Integration} */ i, /** @type {string | undefined} */ json, /** @type {any} */ result) {
  if (json === undefined) {
    try {
      json = await readFile(join(dirs.directories, `${i.id}.json`), "utf8");
    } catch {
      return;
    }
  }
  result ??= JSON.parse(json);
  const options = {
    ...(i.workforceGroupId ? { workforceGroup: i.workforceGroupId } : {}),
    origin: new URL(i.orgUrl).origin,
    syncedAtMs: i.lastSync?.at ?? Date.now(),
  };
  // The JSON text crosses into wasm in one copy (no second stringify of a large directory).
  const directory = Directory.fromSyncResult(json, options);
  await writeAtomic(join(dirs.directories, `${i.id}.snapshot`), directory.toSnapshot());
  const users = result.users;
  const byId = new Map(users.map((/** @type {any} */ u, /** @type {number} */ n) => [u.user.id, n]));
  const groupIndex = new Map(result.groups.map((/** @type {any} */ g, /** @type {number} */ n) => [g.id, n]));
  const counts = new Array(result.groups.length).fill(0);
  /** @type {number[][]} */
  const userGroups = users.map(() => []);
  for (const m of result.memberships) {
    const u = byId.get(m.userId);
    const g = groupIndex.get(m.groupId);
    if (u === undefined || g === undefined) continue;
    userGroups[u].push(g);
    counts[g]++;
  }
  const audit = directory.audit();
  const attributes = audit.attributes.map((a) => a.attribute);
  const required = audit.attributes.map((a) => a.required);
  /** @type {number[][]} */
  const missing = users.map(() => []);
  audit.attributes.forEach((a, n) => {
    for (const id of a.userIds) {
      const u = byId.get(id);
      if (u !== undefined) missing[u].push(n);
    }
  });
  const history = await readHistory(i.id);
  const enrollment = users.map((/** @type {any} */ u) => enrollmentStatus(u.user, history).status);
  const groups = result.groups.map((/** @type {any} */ g, /** @type {number} */ n) => ({
    id: g.id,
    name: g.name,
    type: g.type,
    members: counts[n],
  }));
  const old = views.get(i.id);
  /** @type {View} */
  const view = {
    directory,
    users,
    byId,
    groups,
    groupIndex,
    userGroups,
    attributes,
    required,
    missing,
    enrollment,
    history,
    table: "",
    summary: result.summary,
  };
  view.table = tableJson(view);
  views.set(i.id, view);
  old?.directory.free();
}

/** The directory as columns, for the page's virtualized table (only what the table shows and filters on). */
function tableJson(/** @type {View} */ v) {
  const col = (/** @type {(u: any) => unknown} */ f) => v.users.map((u) => f(u.user) ?? "");
  return JSON.stringify({
    summary: v.summary,
    groups: v.groups,
    attributes: v.attributes.map((name, n) => ({ name, required: v.required[n] })),
    users: {
      id: col((u) => u.id),
      name: col((u) => [u.name?.given, u.name?.family].filter(Boolean).join(" ") || u.name?.display),
      login: col((u) => u.login),
      email: col((u) => u.email),
      status: col((u) => u.status),
      enrollment: v.enrollment,
      missing: v.missing,
      groups: v.userGroups,
    },
  });
}

function userDetail(/** @type {View} */ v, /** @type {number} */ n, /** @type {string | undefined} */ workforceGroupId) {
  const { user, sources, issues } = v.users[n];
  return {
    user,
    sources,
    issues,
    groups: v.userGroups[n].map((g) => v.groups[g]),
    workforce: workforceGroupId ? v.userGroups[n].some((g) => v.groups[g].id === workforceGroupId) : null,
    missing: v.missing[n].map((a) => ({ attribute: v.attributes[a], required: v.required[a] })),
    enrollment: enrollmentStatus(user, v.history),
    history: v.history?.users?.[user.id] ?? [],
  };
}

// ---- HTTP --------------------------------------------------------------------------------------

/** Open event streams and the admin session each belongs to. @type {Map<import("node:http").ServerResponse, string>} */
const streams = new Map();
function broadcast(/** @type {string} */ event, /** @type {unknown} */ data) {
  const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  for (const [res, sessionId] of streams) {
    // A stream lives no longer than its session (expiry or sign-out).
    if (adminSessions.get(sessionId)) res.write(frame);
    else {
      streams.delete(res);
      res.end();
    }
  }
}

const staticRoots = { www: here, sdk: sdkRoot };

function json(/** @type {import("node:http").ServerResponse} */ res, /** @type {number} */ status, /** @type {unknown} */ body) {
  res
    .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
    .end(typeof body === "string" ? body : JSON.stringify(body));
}
const fail = (
  /** @type {import("node:http").ServerResponse} */ res,
  /** @type {number} */ status,
  /** @type {string} */ code,
  /** @type {string} */ message,
) => json(res, status, { error: { code, message } });

async function readJson(/** @type {import("node:http").IncomingMessage} */ req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) throw new Error("too large");
    chunks.push(chunk);
  }
  const value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
  return value;
}

async function api(
  /** @type {import("node:http").IncomingMessage} */ req,
  /** @type {import("node:http").ServerResponse} */ res,
  /** @type {URL} */ url,
) {
  const method = req.method ?? "GET";
  const parts = url.pathname.split("/").slice(2); // after /api
  if (method === "GET" && parts[0] === "health") return json(res, 200, { ok: true });
  if (method === "GET" && parts[0] === "events") {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(`event: integrations\ndata: ${JSON.stringify([...integrations.values()].map(publicView))}\n\n`);
    streams.set(res, parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? "");
    const ping = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(ping);
      streams.delete(res);
    });
    return;
  }
  if (method === "GET" && parts[0] === "mailbox" && parts.length === 1) {
    // The demo's development mailbox (the portal's codes): admins only, like every /api/ route.
    return json(res, 200, { sender: sender.kind, messages: "list" in sender ? sender.list() : [] });
  }
  if (parts[0] === "policy") return policies.route(req, res, parts.slice(1), /** @type {any} */ (adminOf(req)), { json, readJson });
  if (parts[0] === "helpdesk") return helpdesk.route(req, res, parts.slice(1), url, /** @type {any} */ (adminOf(req)), { json, readJson });
  if (parts[0] !== "integrations") return fail(res, 404, "NOT_FOUND", "unknown endpoint");
  if (parts.length === 1) {
    if (method === "GET") return json(res, 200, [...integrations.values()].map(publicView));
    if (method === "POST") {
      const created = await createIntegration(await readJson(req));
      return created.errors ? json(res, 422, { errors: created.errors }) : json(res, 201, publicView(created.integration));
    }
    return fail(res, 405, "METHOD_NOT_ALLOWED", "method not allowed");
  }
  const id = parts[1] ?? "";
  const integration = safeId(id) ? integrations.get(id) : undefined;
  if (!integration) return fail(res, 404, "NOT_FOUND", "no such integration");
  const action = parts.slice(2).join("/");
  if (action === "" && method === "GET") return json(res, 200, publicView(integration));
  if (action === "" && method === "PUT") {
    if (jobs.has(id)) return fail(res, 409, "BUSY", "a sync or check is running");
    const updated = await updateIntegration(integration, await readJson(req));
    return updated.errors ? json(res, 422, { errors: updated.errors }) : json(res, 200, publicView(updated.integration));
  }
  if (action === "" && method === "DELETE") {
    jobs.get(id)?.controller.abort();
    integrations.delete(id);
    views.get(id)?.directory.free();
    views.delete(id);
    for (const f of [
      join(dirs.integrations, `${id}.json`),
      keyPath(id),
      join(dirs.directories, `${id}.json`),
      join(dirs.directories, `${id}.snapshot`),
      join(dirs.history, `${id}.json`),
    ]) {
      await rm(f, { force: true });
    }
    await runs.remove(id);
    broadcast("removed", { id });
    return json(res, 200, { deleted: id });
  }
  if (action === "authorize" && method === "POST") {
    if (!keyPresence.get(id)) return fail(res, 409, "NO_KEY", "add the service app's private key first");
    if (jobs.has(id)) return fail(res, 409, "BUSY", "a sync or check is running");
    void authorize(integration);
    return json(res, 202, publicView(integrations.get(id) ?? integration));
  }
  if (action === "sync" && method === "POST") {
    if (integration.state !== "ready" && integration.state !== "error")
      return fail(res, 409, "NOT_READY", "complete the authorization first");
    if (jobs.has(id)) return fail(res, 409, "BUSY", "a sync or check is running");
    const body = await readJson(req);
    if (body.mode !== undefined && body.mode !== "full" && body.mode !== "incremental")
      return fail(res, 400, "BAD_REQUEST", 'mode is "full" or "incremental"');
    void sync(integration, "manual", body.mode ?? "full");
    return json(res, 202, publicView(integration));
  }
  if (action === "runs" && method === "GET")
    return json(res, 200, { schedule: integration.schedule ?? { intervalMin: 0, fullIntervalMin: 0 }, runs: await runs.list(id) });
  if (action === "schedule" && method === "PUT") {
    const checked = checkSchedule(await readJson(req));
    if (!checked.schedule) return fail(res, 400, "INVALID_SCHEDULE", checked.error ?? "invalid schedule");
    const next = { ...(integrations.get(id) ?? integration), schedule: { ...checked.schedule, since: Date.now() } };
    await save(next);
    return json(res, 200, next.schedule);
  }
  if (action === "sync/cancel" && method === "POST") {
    const job = jobs.get(id);
    if (!job || job.kind !== "sync") return fail(res, 409, "NOT_RUNNING", "no sync is running");
    job.controller.abort();
    return json(res, 202, { cancelling: id });
  }
  const view = views.get(id);
  if (!view) return fail(res, 404, "NO_DIRECTORY", "this integration has not been synced yet");
  if (action === "directory" && method === "GET") return json(res, 200, view.table);
  if (action === "lookup" && method === "GET") {
    try {
      const found = view.directory.lookup(url.searchParams.get("hint") ?? "");
      const n = view.byId.get(found.user.id);
      return json(res, 200, { key: found.key, workforce: found.workforce, ...userDetail(view, n ?? 0, integration.workforceGroupId) });
    } catch (e) {
      const info = errorInfo(e);
      return json(res, info.code === "AMBIGUOUS_LOGIN_HINT" ? 409 : info.code === "USER_NOT_FOUND" ? 404 : 400, { error: info });
    }
  }
  if (parts[2] === "users" && parts[3] && parts.length === 4 && method === "GET") {
    const userId = safeDecode(parts[3]);
    if (userId === null) return fail(res, 400, "BAD_REQUEST", "the user id is not a well-formed URL segment");
    const n = view.byId.get(userId);
    return n === undefined
      ? fail(res, 404, "USER_NOT_FOUND", "no user with that id")
      : json(res, 200, userDetail(view, n, integration.workforceGroupId));
  }
  // No route records a verification from claims a caller sends: only a signed verification result, through
  // the portal's decide step, writes the history (the playground evaluates in the page and records nothing).
  if ((action === "audit" || action === "audit.csv") && method === "GET") {
    const group = url.searchParams.get("group") || undefined;
    try {
      if (action === "audit.csv") {
        const csv = view.directory.auditCsv({ policy: policies.current().document, ...(group ? { group } : {}) });
        res.writeHead(200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="readiness-${group ? (/^[A-Za-z0-9]{1,40}$/.test(group) ? group : "group") : "all"}.csv"`,
          "cache-control": "no-store",
        });
        return res.end(csv);
      }
      // Readiness under the operator's saved policy (the policy editor), else the documented default.
      const report = view.directory.audit({ policy: policies.current().document, ...(group ? { group } : {}) });
      return json(res, 200, { ...report, attributes: report.attributes.map(({ userIds: _ids, ...a }) => a) });
    } catch (e) {
      const info = errorInfo(e);
      return json(res, info.code === "GROUP_NOT_FOUND" ? 404 : 400, { error: info });
    }
  }
  return fail(res, 404, "NOT_FOUND", "unknown endpoint");
}

/** Percent-decodes one path segment; null when malformed. */
function safeDecode(/** @type {string} */ segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// ---- Self-serve portal (/portal/, /portal-api/…) -------------------------------------------------

/** Where the portal's one-time codes go: SMTP when configured, else the admins-only development mailbox. */
const sender = values["smtp-url"] ? smtpSender({ url: values["smtp-url"], from: values["mail-from"] }) : devMailbox();
/** `--portal-limits startsPerClient=100,employeeFree=5`: the possession step's limits (see possession.mjs). */
const portalLimits = Object.fromEntries(
  values["portal-limits"]
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const [k, v] = pair.split("=");
      if (!(k in DEFAULT_LIMITS) || !/^\d+$/.test(v ?? "")) throw new Error(`--portal-limits: unknown or malformed ${pair}`);
      return [k, Number(v)];
    }),
);
const possession = createPossession({ sender, limits: portalLimits });

/** The directory the portal (and so the helpdesk) verifies against: the demo integration, else the first synced one. */
const portalView = () => {
  const id = views.has("demo") ? "demo" : views.keys().next().value;
  const view = id === undefined ? undefined : views.get(id);
  return id === undefined || !view ? null : { id, view };
};
/** The helpdesk console: links through the same sender (SMS: the dev mailbox in the demo, else none yet). */
const helpdesk = await createHelpdesk({
  dataDir,
  mail: sender,
  sms: sender.kind === "dev-mailbox" ? sender : null,
  view: portalView,
  broadcast,
});
/** The operator's matching policy (the policy editor): what the portal and the helpdesk verify under. */
const policies = await createPolicies({ dataDir, view: portalView });

const portal = createPortal({
  view: portalView,
  helpdesk,
  policies: policies.registry,
  idvUrl: () => (emulator ? `${emulator.url}/idv` : null),
  // The verification history of a directory, for the verification service (its only writer).
  histories: (viewId) => ({
    load: () => views.get(viewId)?.history ?? null,
    save: async (userId, history) => {
      const view = views.get(viewId);
      if (!view) return;
      view.history = history;
      await writeAtomic(join(dirs.history, `${viewId}.json`), JSON.stringify(history));
      const n = view.byId.get(userId);
      if (n !== undefined) view.enrollment[n] = enrollmentStatus(view.users[n].user, history).status;
      view.table = tableJson(view);
      broadcast("directory", { id: viewId });
    },
  }),
  possession,
  json,
  readJson,
});

// ---- Admin sign-in (/auth/…) ---------------------------------------------------------------------

const adminSessions = createSessionStore();
const bootstrap = createBootstrap();
/** "Sign in with Okta", when an OIDC client is configured (with --demo: on the bundled emulator). @type {ReturnType<typeof createOidcClient> | null} */
let oidc = null;
const OIDC_COOKIE = "od_oidc";

/** The admin session of a request, or undefined. @param {import("node:http").IncomingMessage} req */
const adminOf = (req) => adminSessions.get(parseCookies(req.headers.cookie).get(SESSION_COOKIE));

function signIn(
  /** @type {import("node:http").ServerResponse} */ res,
  /** @type {import("./server/admin-auth.mjs").AdminSession} */ session,
  /** @type {string[]} */ extraCookies = [],
) {
  res.setHeader("set-cookie", [cookie(SESSION_COOKIE, session.id, { maxAgeSec: adminSessions.ttlMs / 1000 }), ...extraCookies]);
}

async function auth(
  /** @type {import("node:http").IncomingMessage} */ req,
  /** @type {import("node:http").ServerResponse} */ res,
  /** @type {URL} */ url,
) {
  const method = req.method ?? "GET";
  const action = url.pathname.slice("/auth/".length);
  if (action === "session" && method === "GET") {
    const s = adminOf(req);
    return json(res, 200, s ? { signedIn: true, method: s.method, name: s.name ?? null } : { signedIn: false, okta: oidc !== null });
  }
  if (method !== "GET" && !sameOrigin(req))
    return fail(res, 403, "FORBIDDEN_ORIGIN", "sign-in requests must come from this server's own pages");
  if (action === "bootstrap" && method === "POST") {
    const body = await readJson(req);
    if (!bootstrap.consume(body.token))
      return fail(
        res,
        401,
        "BOOTSTRAP_REFUSED",
        "this bootstrap token is wrong or was already used; restart the server for a new one, or sign in with Okta",
      );
    signIn(res, adminSessions.create("bootstrap", "bootstrap"));
    process.stderr.write("dashboard: the bootstrap token was used; it is no longer valid\n");
    return json(res, 200, { signedIn: true, method: "bootstrap" });
  }
  if (action === "logout" && method === "POST") {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    adminSessions.delete(id);
    for (const [stream, sessionId] of streams) {
      if (sessionId !== id) continue;
      streams.delete(stream);
      stream.end();
    }
    res.setHeader("set-cookie", cookie(SESSION_COOKIE, "", { maxAgeSec: 0 }));
    return json(res, 200, { signedIn: false });
  }
  if (action === "oidc/start" && method === "GET") {
    if (!oidc) return fail(res, 404, "OIDC_NOT_CONFIGURED", "Sign in with Okta is not configured on this server");
    const { url: to, cookie: transaction } = await oidc.begin(`http://${req.headers.host}/auth/oidc/callback`);
    // The sealed transaction. Lax: it must come back on the org's cross-site redirect to the callback (a top-level GET).
    res.writeHead(302, {
      location: to,
      "cache-control": "no-store",
      "set-cookie": cookie(OIDC_COOKIE, transaction, { maxAgeSec: 600, path: "/auth/oidc/", lax: true }),
    });
    return res.end();
  }
  if (action === "oidc/callback" && method === "GET") {
    if (!oidc) return fail(res, 404, "OIDC_NOT_CONFIGURED", "Sign in with Okta is not configured on this server");
    const clear = cookie(OIDC_COOKIE, "", { maxAgeSec: 0, path: "/auth/oidc/", lax: true });
    try {
      const claims = await oidc.complete(url.searchParams, parseCookies(req.headers.cookie).get(OIDC_COOKIE));
      const name = typeof claims.name === "string" ? claims.name.slice(0, 100) : undefined;
      signIn(res, adminSessions.create(`okta:${claims.sub}`, "okta", name), [clear]);
      res.writeHead(303, { location: "/", "cache-control": "no-store" });
      return res.end();
    } catch (e) {
      const code = e instanceof OidcError ? e.code : "OIDC_FAILED";
      res.setHeader("set-cookie", clear);
      res.writeHead(303, { location: `/signin.html?error=${encodeURIComponent(code)}`, "cache-control": "no-store" });
      return res.end();
    }
  }
  return fail(res, 404, "NOT_FOUND", "unknown endpoint");
}

/** Host names this server answers to (the page's own origin; anything else is refused). */
const allowedHosts = new Set(["127.0.0.1", "localhost", "[::1]", values.host.includes(":") ? `[${values.host}]` : values.host]);

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  try {
    // DNS rebinding: a foreign site resolving its own name to this machine sends its name as Host.
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (!allowedHosts.has(host)) {
      res.writeHead(421, { "content-type": "text/plain" }).end("unknown host");
      return;
    }
    if (url.pathname.startsWith("/portal-api/")) {
      // Anonymous, but only this server's own pages may post to it.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`)
        return fail(res, 403, "FORBIDDEN_ORIGIN", "cross-origin writes are refused");
      return await portal.handle(req, res, url.pathname.slice("/portal-api/".length), req.socket.remoteAddress ?? "unknown");
    }
    if (url.pathname.startsWith("/auth/")) return await auth(req, res, url);
    if (url.pathname.startsWith("/api/")) {
      // Every admin route needs a signed-in admin; writes must also come from this server's own pages (CSRF).
      if (!adminOf(req)) return fail(res, 401, "SIGN_IN_REQUIRED", "sign in to the dashboard first");
      if (req.method !== "GET" && req.method !== "HEAD" && !sameOrigin(req))
        return fail(res, 403, "FORBIDDEN_ORIGIN", "cross-origin writes are refused");
      return await api(req, res, url);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const file = resolveStatic(url.pathname, staticRoots);
    if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": contentType(file),
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // Never framed: a page on another port of this host is the same site, so its frame would carry the
      // admin's SameSite=Strict cookie and could lure clicks onto the dashboard (clickjacking).
      "content-security-policy":
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      "x-frame-options": "DENY",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (e) {
    if (res.headersSent) return;
    if (/^\/(api|portal-api|auth)\//.test(url.pathname)) {
      const bad = e instanceof SyntaxError || (e instanceof Error && (e.message === "too large" || e.message === "not an object"));
      return fail(
        res,
        bad ? 400 : 500,
        bad ? "BAD_REQUEST" : "INTERNAL",
        bad ? "the body must be a JSON object under 1 MB" : "internal error",
      );
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});

// ---- Start-up ----------------------------------------------------------------------------------

await loadIntegrations();
for (const i of integrations.values()) {
  keyPresence.set(i.id, await hasKey(i.id));
  await rebuildView(i).catch((e) => process.stderr.write(`dashboard: could not load the directory of ${i.id} (${errorInfo(e).code})\n`));
}

/** @type {{url: string, close(): Promise<void>, oidc?: unknown, admin?: unknown} | undefined} */
let emulator;
if (values.demo) {
  const { startEmulator } = await import("../js/dist/emulator/index.js");
  const users = Number(values["demo-users"]);
  const emu = await startEmulator({ users, groups: 25, seed: 7, rateLimit: "off" });
  emulator = emu;
  const workforce = emu.env.store.groups.find((g) => g.type === "OKTA_GROUP")?.id;
  const body = {
    name: "Demo directory (bundled Okta emulator)",
    orgUrl: emu.url,
    clientId: emu.clientId,
    keyId: emu.keyId,
    privateKey: emu.privateKeyPem,
    insecureLoopback: true,
    ...(workforce ? { workforceGroupId: workforce } : {}),
  };
  const existing = integrations.get("demo");
  // The emulator gets a new port, client and key on every start: point the demo integration at this one.
  const { integration, errors } = existing ? await updateIntegration(existing, body) : await createIntegration(body, "demo");
  if (!integration) throw new Error(`demo integration refused: ${JSON.stringify(errors)}`);
  await save({ ...integration, demo: true });
  process.stderr.write(`dashboard: Okta emulator with ${users.toLocaleString("en")} users at ${emu.url}\n`);
  const demo = /** @type {Integration} */ (integrations.get("demo"));
  void authorize(demo).then(async () => {
    const checked = integrations.get("demo");
    if (checked?.state === "ready" && !views.has("demo")) await sync(checked);
  });
} else if (values["okta-org"]) {
  const keyFile = values["private-key"];
  const body = {
    name: "Okta directory",
    orgUrl: values["okta-org"],
    clientId: values["client-id"] ?? "",
    keyId: values["key-id"] ?? "",
    workforceGroupId: values["workforce-group"] ?? "",
    privateKey: keyFile ? await readFile(keyFile, "utf8") : "",
  };
  const existing = integrations.get("okta");
  const { errors, integration } = existing ? await updateIntegration(existing, body) : await createIntegration(body, "okta");
  if (errors) {
    for (const [field, message] of Object.entries(errors)) process.stderr.write(`dashboard: --${field}: ${message}\n`);
    process.exit(2);
  }
  // One token request and one page of users: the page shows at once whether setup is complete.
  if (integration && keyPresence.get("okta")) void authorize(integration);
}

if (values["admin-oidc-issuer"] && values["admin-oidc-client-id"]) {
  const issuer = values["admin-oidc-issuer"];
  const problem = checkOrgUrl(issuer.replace(/\/+$/, ""), false);
  if (problem) {
    process.stderr.write(`dashboard: --admin-oidc-issuer: ${problem}\n`);
    process.exit(2);
  }
  oidc = createOidcClient({ issuer, clientId: values["admin-oidc-client-id"] });
}

// Scheduled syncs: every 30 s, start those whose interval has passed since their last run.
createScheduler({
  list: () => [...integrations.values()],
  lastStart: async (id, mode) => (await runs.list(id)).find((r) => mode === undefined || (r.mode ?? "full") === mode)?.startedAt ?? null,
  busy: (id) => jobs.has(id),
  run: (id, mode) => {
    const i = integrations.get(id);
    if (i) void sync(i, "schedule", mode);
  },
}).start(30_000);

server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : values.port;
  const origin = `http://${values.host.includes(":") ? `[${values.host}]` : values.host}:${port}`;
  if (emulator && "oidc" in emulator) {
    // The demo's "Sign in with Okta": a public OIDC client on the emulator, redirecting back here.
    const emu = /** @type {any} */ (emulator);
    const uris = [...new Set([origin, `http://127.0.0.1:${port}`, `http://localhost:${port}`])].map((o) => `${o}/auth/oidc/callback`);
    oidc = createOidcClient({ issuer: emu.url, clientId: emu.oidc.registerClient(uris) });
    process.stderr.write(`dashboard: Sign in with Okta (emulator) as ${emu.admin.username} / ${emu.admin.password}\n`);
  }
  // The one-time bootstrap sign-in, as local admin tools print it: the token travels in the URL's fragment
  // (never sent to a server or written to a log); the sign-in page posts it once and forgets it.
  const bootstrapUrl = `${origin}/signin.html#bootstrap=${bootstrap.token}`;
  process.stdout.write(
    `${JSON.stringify({ url: `${origin}/`, bootstrapUrl, ...(emulator && "admin" in emulator ? { admin: /** @type {any} */ (emulator).admin } : {}) })}\n`,
  );
  process.stderr.write(`dashboard: ${origin}/  (Ctrl-C to stop)\ndashboard: sign in once with ${bootstrapUrl}\n`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const job of jobs.values()) job.controller.abort();
    for (const res of streams.keys()) res.end();
    server.close();
    void (emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

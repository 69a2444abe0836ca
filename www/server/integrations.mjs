// Okta Directory integrations: their settings (checked with the page's own rules, www/app/validate.js),
// what the browser may see of them, and their life cycle (create, update, load the directory view, delete).
import { createPrivateKey, randomBytes } from "node:crypto";
import { parsePrivateKey } from "../../js/dist/app/node.js";
import { checkClientId, checkGroupId, checkKeyId, checkName, checkOrgUrl, inspectKey } from "../app/validate.js";
import { buildView } from "./views.mjs";

/**
 * @typedef {import("../app/integration.js").Authorization} Authorization
 * @typedef {import("../app/integration.js").LastSync} LastSync
 * @typedef {import("../app/integration.js").IntegrationBase & { state: import("../app/integration.js").StoredState,
 *   schedule?: import("./schedule.mjs").Schedule }} Integration the stored record (the page sees {@link publicView})
 * @typedef {{ controller: AbortController, kind: "sync" | "authorize", progress: import("../app/integration.js").Progress | null,
 *   startedAt: number, expectedUsers?: number }} Job
 * @typedef {import("./app.mjs").App} App
 */

/**
 * What the browser may see of an integration: settings and state, never the key.
 * @param {App} app @param {Integration} i @returns {import("../app/integration.js").Integration}
 */
export function publicView(app, i) {
  const job = app.jobs.get(i.id);
  return {
    ...i,
    hasKey: app.keyPresence.get(i.id) === true,
    state: job?.kind === "sync" ? "syncing" : job?.kind === "authorize" ? "authorizing" : i.state,
    job: job ? { kind: job.kind, progress: job.progress, startedAt: job.startedAt, expectedUsers: job.expectedUsers ?? null } : null,
    hasDirectory: app.views.has(i.id),
  };
}

/** Stores an integration and tells every open page. @param {App} app @param {Integration} integration */
export async function save(app, integration) {
  app.integrations.set(integration.id, integration);
  await app.store.saveIntegration(integration);
  app.events.broadcast("integration", publicView(app, integration));
}

/** The origin of a URL, or "" when it is not one. @param {string} url */
export function safeOrigin(url) {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/**
 * Checks a settings body; returns the cleaned settings or the first problem per field.
 * @param {Record<string, unknown>} body @param {boolean} keyRequired
 */
export function checkSettings(body, keyRequired) {
  const str = (/** @type {string} */ k) => {
    const v = body[k];
    return typeof v === "string" ? v.trim() : "";
  };
  const loopback = body["insecureLoopback"] === true;
  /** @type {Record<string, string>} */
  const errors = {};
  const put = (/** @type {string} */ field, /** @type {string} */ message) => {
    if (message) errors[field] = message;
  };
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
        // Read as the sync will read it (the SDK's app layer): a PEM string or a parsed JWK.
        const parsed = parsePrivateKey(keyText);
        const key =
          typeof parsed === "string"
            ? createPrivateKey(parsed)
            : createPrivateKey({ key: /** @type {import("node:crypto").JsonWebKey} */ (parsed), format: "jwk" });
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

/** Stores an integration's key and remembers that it has one. @param {App} app @param {string} id @param {string} text */
async function writeKey(app, id, text) {
  await app.store.writeKey(id, text);
  app.keyPresence.set(id, true);
}

/**
 * Creates an integration from a settings body (a draft without a key, else awaiting authorization).
 * @param {App} app @param {Record<string, unknown>} body @param {string} [id]
 * @returns {Promise<{ errors: Record<string, string>, integration?: undefined } | { errors?: undefined, integration: Integration }>}
 */
export async function createIntegration(app, body, id = `dir-${randomBytes(5).toString("hex")}`) {
  const { errors, settings, keyText } = checkSettings(body, false);
  if (Object.keys(errors).length) return { errors };
  if (keyText) await writeKey(app, id, keyText);
  /** @type {Integration} */
  const integration = { id, ...settings, createdAt: Date.now(), state: keyText ? "awaiting_authorization" : "draft" };
  await save(app, integration);
  return { integration };
}

/**
 * Replaces an integration's settings; its authorization is checked again. A new origin needs the key again.
 * @param {App} app @param {Integration} current @param {Record<string, unknown>} body
 * @returns {Promise<{ errors: Record<string, string>, integration?: undefined } | { errors?: undefined, integration: Integration }>}
 */
export async function updateIntegration(app, current, body) {
  const { errors, settings, keyText } = checkSettings(body, false);
  if (Object.keys(errors).length) return { errors };
  // The stored key signs client assertions for the org it was given for: a new origin (or switching to plain
  // http on loopback) needs the key again, else the key would sign for whoever answers at the new address.
  const retargeted = safeOrigin(settings.orgUrl) !== safeOrigin(current.orgUrl) || (settings.insecureLoopback && !current.insecureLoopback);
  if (retargeted && !keyText && app.keyPresence.get(current.id) === true) {
    return { errors: { privateKey: "Changing the Okta Instance URL (or allowing a local emulator) needs the private key again." } };
  }
  if (keyText) await writeKey(app, current.id, keyText);
  const { authorization: _a, lastError: _e, keyId: _k, workforceGroupId: _w, ...rest } = current;
  const has = app.keyPresence.get(current.id) === true;
  /** @type {Integration} */
  const integration = { ...rest, ...settings, state: has ? "awaiting_authorization" : "draft" };
  await save(app, integration);
  await loadView(app, integration).catch(() => undefined);
  return { integration };
}

/**
 * Loads (or rebuilds after a sync) the in-memory view of an integration's directory and stores its compact
 * snapshot; without a stored sync result there is nothing to load.
 * @param {App} app @param {Integration} i @param {string} [json] the sync result's text @param {import("./views.mjs").SyncResult} [result] the same, parsed
 */
export async function loadView(app, i, json, result) {
  const text = json ?? (await app.store.readDirectory(i.id));
  if (text === undefined) return;
  const history = await app.store.readHistory(i.id);
  const view = buildView(
    text,
    result ?? JSON.parse(text),
    {
      ...(i.workforceGroupId ? { workforceGroupId: i.workforceGroupId } : {}),
      orgUrl: i.orgUrl,
      syncedAtMs: i.lastSync?.at ?? Date.now(),
    },
    history,
  );
  try {
    await app.store.writeSnapshot(i.id, view.directory.toSnapshot());
  } catch (e) {
    view.directory.free();
    throw e;
  }
  const old = app.views.get(i.id);
  app.views.set(i.id, view);
  old?.directory.free();
}

/** Deletes an integration: cancels its job, frees its view, removes its files and runs. @param {App} app @param {string} id */
export async function removeIntegration(app, id) {
  app.jobs.get(id)?.controller.abort();
  app.integrations.delete(id);
  app.views.get(id)?.directory.free();
  app.views.delete(id);
  await app.store.remove(id);
  await app.runs.remove(id);
  app.events.broadcast("removed", { id });
}

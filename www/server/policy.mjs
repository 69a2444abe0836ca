// The policy editor's backend (admin routes under /api/policy/): the operator's matching policy, a draft's
// validation (the engine's own, errors by path), its readiness impact (the readiness audit under the draft)
// and its shadow replay (past attempts re-decided from their stored comparison vectors), and saving — an
// admin action, logged with who and when. The saved policy is the one the portal and the helpdesk verify
// under (the registry below); a policy holds settings only, never a person's value.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ClaimsMatcher, OktaDirectoryError, shadowReplay } from "../../js/dist/node.js";
import { spelledOut } from "../app/policy-defaults.js";
import { writeAtomic } from "./store.mjs";

/** Saves kept in the policy log (oldest dropped). */
const MAX_LOG = 1000;

/**
 * @typedef {{ id: string, version: number, document: any, savedAt: number, savedBy: string }} SavedPolicy
 * @typedef {{ at: number, by: string, id: string, version: number, changes: string[],
 *   replay: { wouldNowPass: number, wouldNowFail: number, unchanged: number, cannotReplay: number } | null,
 *   notReadyDelta: number | null }} PolicyLogEntry
 */

/**
 * Validates a draft with the engine (the same parser the verification service uses); a valid draft whose deciding
 * claims cannot tell people apart carries the engine's `POLICY_WEAK` warnings (it may still be saved).
 * @param {unknown} document
 * @returns {{ ok: true, warnings: import("../../js/dist/node.js").PolicyWarning[] } | { ok: false, errors: Array<{ path: string, code: string, message: string }> }}
 */
export function validatePolicy(document) {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return { ok: false, errors: [{ path: "$", code: "INVALID_POLICY", message: "a policy is a JSON object" }] };
  }
  try {
    const matcher = new ClaimsMatcher({ policy: /** @type {any} */ (document) });
    const warnings = matcher.warnings;
    matcher.free();
    return { ok: true, warnings };
  } catch (e) {
    if (!(e instanceof OktaDirectoryError)) throw e;
    // "invalid policy at `claims.given_name.threshold`: expected a number from 0 to 1"
    const m = /at `([^`]*)`: (.*)$/s.exec(e.message);
    return { ok: false, errors: [{ path: m?.[1] ?? "$", code: e.code, message: m?.[2] ?? e.message }] };
  }
}

/** What changed between two policy documents (null: the default), as short phrases (settings only). @param {any} a @param {any} b */
export function policyChanges(a, b) {
  const x = spelledOut(a);
  const y = spelledOut(b);
  const out = [];
  for (const name of new Set([...Object.keys(x.claims), ...Object.keys(y.claims)])) {
    const p = x.claims[name];
    const q = y.claims[name];
    if (p === undefined) out.push(`${name}: now compared`);
    else if (q === undefined) out.push(`${name}: no longer compared`);
    else {
      for (const key of new Set([...Object.keys(p), ...Object.keys(q)])) {
        if (JSON.stringify(p[key]) !== JSON.stringify(q[key]))
          out.push(`${name}.${key}: ${JSON.stringify(p[key] ?? null)} → ${JSON.stringify(q[key] ?? null)}`);
      }
    }
  }
  if (x.operating_point !== y.operating_point) out.push(`operating point: ${x.operating_point} → ${y.operating_point}`);
  return out;
}

/**
 * @param {{ dataDir: string, view: () => { id: string, view: import("./views.mjs").View } | null, now?: () => number }} o
 */
export async function createPolicies(o) {
  const now = o.now ?? Date.now;
  const dir = join(o.dataDir, "policy");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const currentFile = join(dir, "current.json");
  const logFile = join(dir, "log.json");
  /** @type {SavedPolicy} */
  let current = { id: "default", version: 0, document: null, savedAt: 0, savedBy: "" };
  /** @type {PolicyLogEntry[]} */
  let log = [];
  try {
    const saved = JSON.parse(await readFile(currentFile, "utf8"));
    if (saved && typeof saved.id === "string" && (saved.document === null || validatePolicy(saved.document).ok)) current = saved;
  } catch {
    // No saved policy: the documented default.
  }
  try {
    const read = JSON.parse(await readFile(logFile, "utf8"));
    if (Array.isArray(read)) log = read;
  } catch {
    log = [];
  }

  const write = (/** @type {string} */ file, /** @type {unknown} */ value) => writeAtomic(file, JSON.stringify(value));

  /** The verification service's registry: the saved policy under its versioned id (read at each decision). */
  const registry = {
    get defaultId() {
      return current.id;
    },
    get(/** @type {string} */ id) {
      return id === current.id ? { id: current.id, policy: current.document } : undefined;
    },
  };

  /** Not-ready users under a policy on the portal's directory (null without one). @param {any} document */
  function notReady(document) {
    const v = o.view();
    if (!v) return null;
    const report = v.view.directory.audit({ policy: document });
    return report.notReady;
  }

  /** The readiness impact and the shadow replay of a (valid) draft. @param {any} document */
  function impact(document) {
    const v = o.view();
    const before = notReady(current.document);
    const after = notReady(document);
    const replay = shadowReplay(v?.view.history ?? null, document, { limit: 50 });
    return {
      directory: v?.id ?? null,
      readiness: before === null || after === null ? null : { before, after, delta: after - before },
      replay,
      changes: policyChanges(current.document, document),
    };
  }

  /**
   * The admin routes (after the server checked the admin session and, for writes, the Origin).
   * @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res
   * @param {string[]} parts the path after /api/policy/
   * @param {{ name?: string, method: string, subject: string }} admin
   * @param {{ json: (res: any, status: number, body: unknown) => void, readJson: (req: any) => Promise<any> }} io
   */
  async function route(req, res, parts, admin, io) {
    const method = req.method ?? "GET";
    const path = parts.join("/");
    const fail = (/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) =>
      io.json(res, status, { error: { code, message } });
    if (path === "" && method === "GET") return io.json(res, 200, current);
    if (path === "log" && method === "GET") return io.json(res, 200, { entries: log.slice().reverse().slice(0, 200) });
    if ((path === "validate" || path === "impact") && method === "POST") {
      const body = await io.readJson(req);
      const checked = validatePolicy(body.document);
      if (!checked.ok) return io.json(res, 422, { ok: false, errors: checked.errors });
      const ok = { ok: true, warnings: checked.warnings };
      return io.json(res, 200, path === "validate" ? ok : { ...ok, ...impact(body.document) });
    }
    if (path === "" && method === "PUT") {
      const body = await io.readJson(req);
      const checked = validatePolicy(body.document);
      if (!checked.ok) return io.json(res, 422, { ok: false, errors: checked.errors });
      if (body.baseVersion !== undefined && body.baseVersion !== current.version) {
        return fail(409, "POLICY_CHANGED", "another admin saved the policy since this draft was opened; reload it");
      }
      const seen = impact(body.document);
      const by = admin.method === "okta" ? (admin.name ?? admin.subject) : "bootstrap admin";
      const version = current.version + 1;
      const next = { id: `policy-v${version}`, version, document: body.document, savedAt: now(), savedBy: by };
      /** @type {PolicyLogEntry} */
      const entry = {
        at: next.savedAt,
        by,
        id: next.id,
        version,
        changes: seen.changes,
        replay: {
          wouldNowPass: seen.replay.wouldNowPass,
          wouldNowFail: seen.replay.wouldNowFail,
          unchanged: seen.replay.unchanged,
          cannotReplay: seen.replay.cannotReplay,
        },
        notReadyDelta: seen.readiness?.delta ?? null,
      };
      await write(currentFile, next);
      current = next;
      log.push(entry);
      if (log.length > MAX_LOG) log = log.slice(-MAX_LOG);
      await write(logFile, log);
      return io.json(res, 200, { saved: current, log: entry });
    }
    return fail(404, "NOT_FOUND", "unknown endpoint");
  }

  return { registry, route, validatePolicy, impact, current: () => current };
}

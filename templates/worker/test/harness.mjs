// Test harness for the Worker template: bundles src/ as wrangler does and runs it in workerd through
// Miniflare with the template's bindings (the recipe itself: workerd-bundle.mjs).
//
// `okta-directory` is resolved by its package name, as the template's package.json names it: from the
// template's own node_modules (the packed tarball installed in a copy outside the repository, or the
// `file:` link npm makes in the repository). Only in the repository without an install does it fall
// back to the SDK folder beside the template (what `file:../../js` names).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, workerdScript } from "./workerd-bundle.mjs";

export const template = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The installed `okta-directory` package's folder. */
export function packageDir() {
  const require = createRequire(join(template, "package.json"));
  try {
    return dirname(require.resolve("okta-directory/package.json"));
  } catch {
    const sibling = join(template, "..", "..", "js");
    const manifest = join(sibling, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "okta-directory") return sibling;
    throw new Error("okta-directory is not installed: run `npm install` in the template (or install the packed tarball)");
  }
}

const pkg = packageDir();
/** The SDK's Node entry and its emulator, from the installed package. */
export const sdk = /** @type {typeof import("okta-directory")} */ (await import(pathToFileURL(join(pkg, "dist", "node.js")).href));
export const { startEmulator } = /** @type {typeof import("okta-directory/emulator")} */ (
  await import(pathToFileURL(join(pkg, "dist", "emulator", "index.js")).href)
);

/**
 * Bundles `entrySource` (a module importing ./src/worker.js) into a fresh folder; returns it. The
 * caller removes it.
 * @param {string} entrySource
 */
export async function bundle(entrySource) {
  const work = mkdtempSync(join(tmpdir(), "worker-template-"));
  cpSync(join(template, "src"), join(work, "src"), { recursive: true });
  mkdirSync(join(work, "node_modules"));
  symlinkSync(pkg, join(work, "node_modules", "okta-directory"), "dir");
  writeFileSync(join(work, "test-entry.js"), entrySource);
  mkdirSync(join(work, "dist"));
  await bundleForWorkerd({ entry: join(work, "test-entry.js"), outfile: join(work, "dist", "worker.js"), absWorkingDir: work });
  return work;
}

/**
 * A Miniflare running a bundle from {@link bundle} with the template's bindings (`persist`: a folder to keep
 * state in across restarts; `port`: listen on 127.0.0.1 at that port, 0 for any, so that others can reach it).
 * @param {string} work
 * @param {{ bindings: Record<string, string>, persist?: string, onLog?: (line: string) => void, port?: number }} options
 */
export function miniflare(work, { bindings, persist, onLog, port }) {
  return new Miniflare({
    ...workerdScript(join(work, "dist", "worker.js")),
    kvNamespaces: ["DIRECTORY"],
    r2Buckets: ["SYNC_BUCKET"],
    durableObjects: { VERIFICATION_GUARD: "VerificationGuard", SYNC_JOB: "SyncJob" },
    ...(persist === undefined
      ? {}
      : { kvPersist: join(persist, "kv"), r2Persist: join(persist, "r2"), durableObjectsPersist: join(persist, "do") }),
    bindings,
    ...(port === undefined ? {} : { host: "127.0.0.1", port }),
    /** @param {import("node:stream").Readable} stdout @param {import("node:stream").Readable} stderr */
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (/** @type {Buffer} */ d) => onLog?.(String(d)));
      stderr.on("data", (/** @type {Buffer} */ d) => onLog?.(String(d)));
    },
  });
}

/**
 * Folders for a test file's persisted Workers state (`persist` of {@link miniflare}): `make()` gives a fresh one,
 * `removeAll()` (in `after`) removes every one made.
 * @param {string} prefix
 */
export function persistDirs(prefix) {
  /** @type {string[]} */
  const dirs = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes a bundle folder.
 * @param {string | undefined} work
 */
export function removeBundle(work) {
  if (work) rmSync(work, { recursive: true, force: true });
}

/**
 * Polls `probe` until it returns a value other than null/undefined (every 50 ms, up to `timeoutMs`).
 * @template T
 * @param {() => T | null | undefined | Promise<T | null | undefined>} probe
 * @param {string} what
 * @returns {Promise<T>}
 */
export async function waitFor(probe, what, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bearer secret every test Worker is configured with (`API_BEARER_SECRET`). */
export const SECRET = "test-bearer-secret-0123456789abcdef";
/** A test entry exporting the template's Worker unchanged. */
export const PLAIN_ENTRY = `export { default, VerificationGuard, SyncJob } from "./src/worker.js";`;
/**
 * Source for a test entry: `counting(kv)` wraps a KV binding so that its get/put/delete/list calls are counted
 * in `counts` (independently of the store's own bookkeeping); the entry exposes `counts` as it likes.
 */
export const KV_COUNTER = `
const counts = { get: 0, put: 0, delete: 0, list: 0 };
function counting(kv) {
  return {
    get: (...a) => { counts.get++; return kv.get(...a); },
    put: (...a) => { counts.put++; return kv.put(...a); },
    delete: (...a) => { counts.delete++; return kv.delete(...a); },
    list: (...a) => { counts.list++; return kv.list(...a); },
  };
}`;
/** The schedule the tests run (the template's wrangler.toml cron). */
export const CRON = "*/15 * * * *";

/**
 * The bindings that point a Worker at the emulator: the bearer secret, private-key auth and loopback allowed.
 * @param {import("okta-directory/emulator").RunningEmulator} emu
 */
export function emulatorBindings(emu) {
  return {
    API_BEARER_SECRET: SECRET,
    OKTA_ORG_URL: emu.url,
    OKTA_CLIENT_ID: emu.clientId,
    OKTA_PRIVATE_KEY: emu.privateKeyPem,
    OKTA_KEY_ID: emu.keyId,
    OKTA_ALLOW_INSECURE_LOOPBACK: "true",
  };
}

/**
 * The bindings of a ranged publish against the emulator ({@link emulatorBindings}): the Workforce group, a day
 * between full reconciles, then `settings` (a suite's step sizes, a test's extra bindings) over them.
 * @param {import("okta-directory/emulator").RunningEmulator} emu
 * @param {string} workforce
 * @param {Record<string, string>} settings
 * @returns {Record<string, string>}
 */
export function rangedBindings(emu, workforce, settings) {
  return { ...emulatorBindings(emu), WORKFORCE_GROUP: workforce, FULL_RECONCILE_HOURS: "24", ...settings };
}

/**
 * A Miniflare running `work` (a bundle from {@link bundle}; undefined before the suite's `before` made it) whose
 * Worker output goes to `onLog` (a suite collecting its log to read `sync_step` lines).
 * @param {string | undefined} work
 * @param {{ bindings: Record<string, string>, persist?: string }} options
 * @param {(text: string) => void} onLog
 */
export const startLogged = (work, options, onLog) => miniflare(/** @type {string} */ (work), { ...options, onLog });

/**
 * The bindings that make the emulator's demo IDV vendor the issuer of signed verification results.
 * @param {import("okta-directory/emulator").RunningEmulator} emu
 */
export function idvBindings(emu) {
  return {
    IDV_ISSUER: `${emu.url}/idv`,
    IDV_AUDIENCE: "okta-directory-portal",
    IDV_JWKS_URL: `${emu.url}/idv/.well-known/jwks.json`,
  };
}

/** The bearer secret the Worker sends to the operator's helpdesk sender. */
export const SENDER_SECRET = "sender-secret-0123456789";

/**
 * The bindings of a helpdesk Worker: the emulator, lookups by login and email, the demo IDV vendor, and the
 * operator's sender at 127.0.0.1:`senderPort`.
 * @param {import("okta-directory/emulator").RunningEmulator} emu
 * @param {number} senderPort
 */
export function helpdeskBindings(emu, senderPort) {
  return {
    ...emulatorBindings(emu),
    LOOKUP_KEYS: "login,email",
    ...idvBindings(emu),
    HELPDESK_SENDER_URL: `http://127.0.0.1:${senderPort}/send`,
    HELPDESK_SENDER_SECRET: SENDER_SECRET,
    HELPDESK_LINK_BASE: "https://verify.example.com/helpdesk",
  };
}

/**
 * Starts `server` on 127.0.0.1 at a free port; resolves to that port.
 * @param {import("node:http").Server} server
 * @returns {Promise<number>}
 */
export async function listen(server) {
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", r)));
  return /** @type {import("node:net").AddressInfo} */ (server.address()).port;
}

/**
 * Calls the Worker with the bearer secret; the answer's status, JSON body and headers.
 * @param {import("miniflare").Miniflare} mf
 * @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 * @returns {Promise<{ status: number, body: any, headers: import("miniflare").Response["headers"] }>} `body`: the route's JSON (dynamic; the assertions check its shape)
 */
export async function api(mf, path, init = {}) {
  const response = await mf.dispatchFetch(`http://worker.test${path}`, {
    ...init,
    headers: { authorization: `Bearer ${SECRET}`, ...(init.headers ?? {}) },
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/**
 * The Worker's `/v1/health` answer.
 * @param {import("miniflare").Miniflare} mf
 * @returns {Promise<any>} the health JSON
 */
export const health = async (mf) => (await api(mf, "/v1/health")).body;

/**
 * The Worker's lookup route for `hint`: its status and JSON.
 * @param {import("miniflare").Miniflare} mf
 * @param {string} hint
 */
export const lookup = (mf, hint) => api(mf, `/v1/users/lookup?login_hint=${encodeURIComponent(hint)}`);

/**
 * Starts a sync run through the Worker's route (`full`: a full reconcile).
 * @param {import("miniflare").Miniflare} mf
 * @param {boolean} [full]
 */
export const startSync = (mf, full = true) =>
  api(mf, "/v1/sync", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ full }) });

/**
 * An Okta Event Hook delivery to the Worker's route, as Okta sends it (`secret`: the hook's authorization value).
 * A target's display name may be forged: the Worker must never apply it.
 * @param {import("miniflare").Miniflare} mf
 * @param {string} secret
 * @param {string} eventId
 * @param {{ type: string, targets: object[] }[]} events
 */
export function deliverHook(mf, secret, eventId, events) {
  return mf.dispatchFetch("http://worker.test/hooks/okta", {
    method: "POST",
    headers: { authorization: secret, "content-type": "application/json" },
    body: JSON.stringify({
      eventType: "com.okta.event_hook",
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      eventId,
      data: {
        events: events.map((e, i) => ({
          uuid: `${eventId}-${i}`,
          published: new Date().toISOString(),
          eventType: e.type,
          outcome: { result: "SUCCESS" },
          target: e.targets,
        })),
      },
    }),
  });
}

/**
 * The JSON lines of a Worker's log text (those of `event` only, when given), parsed.
 * @param {string} text
 * @param {string} [event]
 * @returns {any[]} the log lines' JSON (fields by event)
 */
export function logLines(text, event) {
  const start = event === undefined ? "{" : `{"event":"${event}"`;
  return text
    .split("\n")
    .filter((l) => l.startsWith(start))
    .map((l) => JSON.parse(l));
}

/**
 * The `manifest` value as the KV store writes it: the fields the tests read by name (`previous` as read after a
 * second publish; `shardVersions` after a publish of changed shards), the others through the index signature.
 * @typedef {{ version: string, shards: number, users: number, shardVersions: string[], frequencies?: string, frequenciesDigest?: string, previous: { version: string } } & Record<string, unknown>} PublishedManifest
 */

/**
 * The live manifest (as the KV store wrote it), every shard it names (base64, index = shard number) and its
 * frequency table (base64; null when it names none).
 * @param {import("miniflare").Miniflare} mf
 * @returns {Promise<{ manifest: PublishedManifest, shards: string[], frequencies: string | null }>}
 */
export async function publishedShards(mf) {
  const kv = await mf.getKVNamespace("DIRECTORY");
  const manifest = /** @type {PublishedManifest | null} */ (await kv.get("okta-directory/manifest", "json"));
  assert.ok(manifest !== null, "nothing published");
  /** @type {string[]} */
  const shards = [];
  for (let n = 0; n < manifest.shards; n++) {
    const bytes = await kv.get(`okta-directory/v/${manifest.shardVersions?.[n] ?? manifest.version}/${n}`, "arrayBuffer");
    assert.ok(bytes !== null, `shard ${n} is missing`);
    shards.push(Buffer.from(bytes).toString("base64"));
  }
  const table =
    manifest.frequencies === undefined ? null : await kv.get(`okta-directory/v/${manifest.frequencies}/frequencies`, "arrayBuffer");
  return { manifest, shards, frequencies: table === null ? null : Buffer.from(table).toString("base64") };
}

/**
 * Waits until no run is in progress and the published version differs from `previous`.
 * @param {import("miniflare").Miniflare} mf
 * @param {string | undefined} previous
 * @returns {Promise<any>} the health answer (JSON)
 */
export function published(mf, previous) {
  return waitFor(async () => {
    const h = await health(mf);
    return h.run === null && h.published !== null && h.published.version !== previous ? h : null;
  }, "a publish");
}

/**
 * Runs the schedule once (its outcome must be `ok`; `logs` goes into the failure message) and waits for
 * the run it starts to publish a new version; the health answer.
 * @param {import("miniflare").Miniflare} mf
 * @param {() => string} logs
 * @returns {Promise<any>} the health answer (JSON)
 */
export async function scheduledPublish(mf, logs) {
  const before = await health(mf);
  const result = await (await mf.getWorker()).scheduled({ cron: CRON });
  assert.equal(result.outcome, "ok", `scheduled outcome ${result.outcome}; logs:\n${logs()}`);
  return published(mf, before.published?.version);
}

/**
 * Calls the emulator's control API (the request must succeed).
 * @param {import("okta-directory/emulator").RunningEmulator} emu
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the route's JSON (dynamic: a listing, a changed object or a report)
 */
export async function control(emu, method, path, body) {
  const r = await fetch(`${emu.url}/__control/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `control ${method} ${path}: ${r.status}`);
  return r.json();
}

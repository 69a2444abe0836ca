// The dashboard's persistence: one folder (--data) holding, per integration, its settings and state
// (integrations/<id>.json, no secret), its private key (keys/<id>.key, mode 0600, never sent back), its
// sync result (directories/<id>.json) and compact directory (directories/<id>.snapshot), and its
// verification history (history/<id>.json, kept across re-syncs). Every write goes through the app
// layer's atomic write (temp file, fsync, rename, fsync of the folder): a crash leaves the old file or the
// new one, never half of one; a failure is a StoreError (STORE_FAILED) naming no path.
import { chmod, mkdir, readFile, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite, parsePrivateKey } from "../../js/dist/app/node.js";

/**
 * Writes a file atomically (mode 0600 unless given), for every file the server keeps.
 * @param {string} path @param {string | Uint8Array} data @param {number} [mode] the new file's mode
 */
export const writeAtomic = (path, data, mode = 0o600) => atomicWrite(path, data, { mode });

/** Integration ids the store accepts (also the file names): lowercase letters, digits and dashes. */
export const safeId = (/** @type {string} */ id) => /^[a-z0-9-]{1,40}$/.test(id);

/**
 * Opens (creating its folders) the store under `dataDir`.
 * @param {string} dataDir
 */
export async function createStore(dataDir) {
  const dirs = {
    integrations: join(dataDir, "integrations"),
    keys: join(dataDir, "keys"),
    directories: join(dataDir, "directories"),
    history: join(dataDir, "history"),
  };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true, mode: 0o700 });
  await chmod(dirs.keys, 0o700);
  const keyPath = (/** @type {string} */ id) => join(dirs.keys, `${id}.key`);
  const directoryPath = (/** @type {string} */ id) => join(dirs.directories, `${id}.json`);
  const historyPath = (/** @type {string} */ id) => join(dirs.history, `${id}.json`);
  return {
    /** The data folder. */
    dataDir,
    /** Every readable stored integration (an unreadable file is skipped and named on stderr). */
    async loadIntegrations() {
      /** @type {import("./integrations.mjs").Integration[]} */
      const found = [];
      for (const file of await readdir(dirs.integrations)) {
        if (!file.endsWith(".json")) continue;
        try {
          /** @type {import("./integrations.mjs").Integration} */
          const integration = JSON.parse(await readFile(join(dirs.integrations, file), "utf8"));
          if (safeId(integration.id)) found.push(integration);
        } catch {
          process.stderr.write(`dashboard: skipped an unreadable integration file (${file})\n`);
        }
      }
      return found;
    },
    /** Writes an integration's settings and state. @param {import("./integrations.mjs").Integration} integration */
    saveIntegration: (integration) => writeAtomic(join(dirs.integrations, `${integration.id}.json`), JSON.stringify(integration, null, 2)),
    /** Whether an integration has a stored key. @param {string} id */
    hasKey: (id) =>
      stat(keyPath(id)).then(
        () => true,
        () => false,
      ),
    /** Stores an integration's private key (mode 0600). @param {string} id @param {string} text */
    async writeKey(id, text) {
      await writeAtomic(keyPath(id), text, 0o600);
      await chmod(keyPath(id), 0o600);
    },
    /** An integration's private key as the SDK takes it: a PEM string or a parsed JWK. @param {string} id */
    readKey: async (id) => parsePrivateKey((await readFile(keyPath(id), "utf8")).trim()),
    /** The stored sync result (JSON text), or undefined before the first sync. @param {string} id */
    readDirectory: (id) => readFile(directoryPath(id), "utf8").catch(() => undefined),
    /** Stores a sync result (JSON text). @param {string} id @param {string} json */
    writeDirectory: (id, json) => writeAtomic(directoryPath(id), json),
    /** Stores the compact directory built from the sync result. @param {string} id @param {Uint8Array} bytes */
    writeSnapshot: (id, bytes) => writeAtomic(join(dirs.directories, `${id}.snapshot`), bytes),
    /** The verification history, or null when there is none (or it is unreadable). @param {string} id */
    readHistory: (id) =>
      readFile(historyPath(id), "utf8")
        .then((text) => /** @type {import("../../js/dist/node.js").EnrollmentHistory | null} */ (JSON.parse(text)))
        .catch(() => null),
    /** Stores the verification history. @param {string} id @param {unknown} history */
    writeHistory: (id, history) => writeAtomic(historyPath(id), JSON.stringify(history)),
    /** Deletes every file of an integration (settings, key, directory, snapshot, history). @param {string} id */
    async remove(id) {
      for (const f of [
        join(dirs.integrations, `${id}.json`),
        keyPath(id),
        directoryPath(id),
        join(dirs.directories, `${id}.snapshot`),
        historyPath(id),
      ]) {
        await rm(f, { force: true });
      }
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof createStore>>} Store */

/**
 * Node entry: reads the wasm bytes from disk next to this file and instantiates synchronously.
 *
 * @module okta-directory/node
 */
import { readFileSync } from "node:fs";
import { initSync } from "../wasm/okta_directory.js";
import { markReady } from "./state.js";
import { setDefaultTransport } from "./sync/transport.js";
import { nodeTransport } from "./sync/node-transport.js";

initSync({ module: readFileSync(new URL("../wasm/okta_directory_bg.wasm", import.meta.url)) });
markReady();
setDefaultTransport(() => nodeTransport());

export * from "./api.js";
export { FileStore } from "./stores/file.js";
// Sync is server-side only (not in the browser entry): Okta refuses browser-origin token requests.
export * from "./sync/index.js";
// Server-side helpers shared with the CLI and the dashboard server: key file text, error code → HTTP status.
export { parsePrivateKey } from "./app/private-key.js";
export { HTTP_STATUS_BY_CODE, httpStatusOf } from "./app/http-status.js";
// Okta Event Hooks receiver (server-side: it holds the hook secret).
export * from "./hooks/index.js";
export { fileHookJournal } from "./hooks/file-journal.js";
export { workerFold, type WorkerFold } from "./hooks/worker-fold.js";
// Publishing a snapshot to Workers KV over Cloudflare's REST API (Node: a container or CI).
export * from "./publish/index.js";
export { OktaDirectory, type OktaDirectoryOptions, type OktaDirectorySyncOptions, type OktaDirectoryUsersOptions } from "./client.js";

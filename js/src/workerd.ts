/**
 * Cloudflare Workers entry. workerd forbids compiling wasm from bytes at run time, so the module is
 * imported (the bundler turns it into a `WebAssembly.Module`) and instantiated synchronously.
 *
 * @module okta-directory/workers
 */
import wasmModule from "../wasm/okta_directory_bg.wasm";
import { initSync } from "../wasm/okta_directory.js";
import { markReady } from "./state.js";

const instance = initSync({ module: wasmModule });
markReady();

/** Bytes of the SDK's WebAssembly memory: it only grows, so this is its peak so far (for a Worker's monitoring). */
export function wasmMemoryBytes(): number {
  return instance.memory.buffer.byteLength;
}

export * from "./api.js";
// Sync is server-side only (not in the browser entry): Okta refuses browser-origin token requests.
export * from "./sync/index.js";
// Server-side helpers shared with the CLI and the dashboard server: key file text, error code → HTTP status.
export { parsePrivateKey } from "./app/private-key.js";
export { HTTP_STATUS_BY_CODE, httpStatusOf } from "./app/http-status.js";
// Okta Event Hooks receiver (server-side: it holds the hook secret).
export * from "./hooks/index.js";
export { OktaDirectory, type OktaDirectoryOptions, type OktaDirectorySyncOptions, type OktaDirectoryUsersOptions } from "./client.js";

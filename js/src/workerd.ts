/**
 * Cloudflare Workers entry. workerd forbids compiling wasm from bytes at run time, so the module is
 * imported (the bundler turns it into a `WebAssembly.Module`) and instantiated synchronously.
 */
import wasmModule from "../wasm/okta_directory_bg.wasm";
import { initSync } from "../wasm/okta_directory.js";
import { markReady } from "./state.js";

initSync({ module: wasmModule });
markReady();

export * from "./api.js";
// Sync is server-side only (not in the browser entry): Okta refuses browser-origin token requests.
export * from "./sync/index.js";
export { OktaDirectory, type OktaDirectoryOptions, type OktaDirectorySyncOptions, type OktaDirectoryUsersOptions } from "./client.js";

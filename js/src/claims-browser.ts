/**
 * `okta-directory/claims` in browsers (and bundlers): normalization and claims matching on the
 * claims-only wasm module, fetched from a URL relative to this file. Its own module instance: the
 * other entries' `Directory`, stores and sync are not here (use `okta-directory/browser` for those).
 *
 * @module okta-directory/claims
 */
import init from "../wasm/okta_directory.js";
import { makeError } from "./errors.js";
import { markReady } from "./state.js";

try {
  await init({ module_or_path: new URL("../wasm-claims/okta_directory_bg.wasm", import.meta.url) });
  markReady();
} catch (cause) {
  throw makeError("WASM_LOAD_FAILED", "could not load wasm-claims/okta_directory_bg.wasm next to the SDK", { cause });
}

export * from "./claims-api.js";
export * from "./errors.js";

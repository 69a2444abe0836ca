/**
 * Browser entry (also the default): fetches the wasm from a URL relative to this module.
 *
 * @module okta-directory/browser
 */
import init from "../wasm/okta_directory.js";
import { makeError } from "./errors.js";
import { markReady } from "./state.js";

try {
  await init({ module_or_path: new URL("../wasm/okta_directory_bg.wasm", import.meta.url) });
  markReady();
} catch (cause) {
  throw makeError("WASM_LOAD_FAILED", "could not load okta_directory_bg.wasm next to the SDK", { cause });
}

export * from "./api.js";

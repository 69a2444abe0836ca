/**
 * Slim entry: loads nothing by itself. Call `initOktaDirectory` with a `WebAssembly.Module`, the wasm
 * bytes, a URL or a `Response` (e.g. from a bundler's asset import) before using the API.
 *
 * @module okta-directory/slim
 */
import init, { initSync } from "../wasm/okta_directory.js";
import { makeError } from "./errors.js";
import { isReady, markReady } from "./state.js";

/** What `initOktaDirectory` accepts. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string | Response | Promise<Response>;

/** Instantiates the wasm module once; later calls return immediately. */
export async function initOktaDirectory(source: WasmSource): Promise<void> {
  if (isReady()) return;
  try {
    if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
      initSync({ module: source });
    } else {
      await init({ module_or_path: source });
    }
  } catch (cause) {
    throw makeError("WASM_LOAD_FAILED", "could not instantiate the okta-directory wasm module", { cause });
  }
  markReady();
}

export * from "./api.js";

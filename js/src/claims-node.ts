/** `okta-directory/claims` in Node: the claims-only wasm module, read from disk and instantiated synchronously. */
import { readFileSync } from "node:fs";
import { initSync } from "../wasm/okta_directory.js";
import { markReady } from "./state.js";

initSync({ module: readFileSync(new URL("../wasm-claims/okta_directory_bg.wasm", import.meta.url)) });
markReady();

export * from "./claims-api.js";
export * from "./errors.js";

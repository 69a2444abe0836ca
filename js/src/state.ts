import { makeError } from "./errors.js";

/** Whether the WebAssembly module has been instantiated; set by the runtime entries. */
let ready = false;

/** Marks the module as instantiated. */
export function markReady(): void {
  ready = true;
}

/** Whether the module is instantiated. */
export function isReady(): boolean {
  return ready;
}

/** Throws `NOT_INITIALIZED` unless the module is instantiated (only possible with the slim entry). */
export function ensureReady(): void {
  if (!ready) {
    throw makeError("NOT_INITIALIZED", "the WebAssembly module is not loaded: with okta-directory/slim, await initOktaDirectory() first");
  }
}

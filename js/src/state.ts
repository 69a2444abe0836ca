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

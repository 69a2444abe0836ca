/** One-time deprecation warnings: `process.emitWarning` with a code where it exists, else `console.warn`. */

const warned = new Set<string>();

/** Emits the deprecation warning `code` once per process (or page). */
export function deprecate(code: string, message: string): void {
  if (warned.has(code)) return;
  warned.add(code);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: { type: string; code: string }) => void } }).process;
  if (typeof proc?.emitWarning === "function") {
    proc.emitWarning(message, { type: "DeprecationWarning", code });
  } else {
    console.warn(`[${code}] DeprecationWarning: ${message}`);
  }
}

/** Test hook: forgets which warnings were emitted. @internal */
export function resetDeprecationsForTests(): void {
  warned.clear();
}

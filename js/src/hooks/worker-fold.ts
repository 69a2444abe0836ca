/**
 * Folding a `LiveDirectory`'s pending deltas into the whole snapshot on a worker thread (Node only): the fold
 * streams every record (O(directory): seconds at 100 000 users on a loaded machine), and on the main thread it
 * would stall deliveries and lookups meanwhile. The worker loads the package's own WebAssembly module and runs
 * the core's `applyDirectoryDelta`; the snapshot crosses as a copy, the result is transferred back.
 */
import { Worker } from "node:worker_threads";
import { fromWasmError, makeError } from "../errors.js";

/** A fold running off the main thread; `close()` ends the worker. */
export interface WorkerFold {
  /** The snapshot with the delta (the core's `DirectoryDelta` JSON) applied, as `applyDirectoryDelta` gives it. */
  fold(snapshot: Uint8Array, deltaJson: string): Promise<Uint8Array>;
  /** Ends the worker (folds in flight reject). */
  close(): Promise<void>;
}

const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const ready = import(workerData.glue).then((m) => (m.initSync({ module: readFileSync(new URL(workerData.wasm)) }), m));
parentPort.on("message", async (msg) => {
  try {
    const m = await ready;
    const out = m.applyDirectoryDelta(msg.snapshot, msg.delta).snapshot;
    parentPort.postMessage({ id: msg.id, snapshot: out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: { code: e && typeof e.code === "string" ? e.code : undefined, message: String(e && e.message) } });
  }
});`;

/** Starts a worker thread for {@link LiveDirectory}'s `fold` option: `LiveDirectory.open({ …, fold: folder.fold })`. */
export function workerFold(): WorkerFold {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      glue: new URL("../../wasm/okta_directory.js", import.meta.url).href,
      wasm: new URL("../../wasm/okta_directory_bg.wasm", import.meta.url).href,
    },
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }>();
  const failAll = (e: unknown): void => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on("message", (m: { id: number; snapshot?: Uint8Array; error?: { code?: string; message: string } }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (waiting.size === 0) worker.unref();
    if (w === undefined) return;
    if (m.snapshot !== undefined) return w.resolve(m.snapshot);
    const error = m.error;
    // The core's error crosses as its code and message: rebuilt as the SDK's typed error.
    w.reject(
      fromWasmError(Object.assign(new Error(error?.message ?? "the fold failed"), { name: "OktaDirectoryError", code: error?.code })),
    );
  });
  worker.on("error", (e) => failAll(makeError("STORE_FAILED", "the fold worker failed", { cause: e })));
  worker.on("exit", () => failAll(makeError("STORE_FAILED", "the fold worker ended")));
  // After the listeners: a "message" listener refs the worker's port again, which kept the process alive.
  worker.unref();
  return {
    fold(snapshot, deltaJson) {
      const id = next++;
      worker.ref();
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, snapshot, delta: deltaJson });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

// Test harness for the Worker template: bundles src/ as wrangler does and runs it in workerd through
// Miniflare with the template's bindings (the recipe itself: workerd-bundle.mjs).
//
// `okta-directory` is resolved by its package name, as the template's package.json names it: from the
// template's own node_modules (the packed tarball installed in a copy outside the repository, or the
// `file:` link npm makes in the repository). Only in the repository without an install does it fall
// back to the SDK folder beside the template (what `file:../../js` names).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, workerdScript } from "./workerd-bundle.mjs";

export const template = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The installed `okta-directory` package's folder. */
export function packageDir() {
  const require = createRequire(join(template, "package.json"));
  try {
    return dirname(require.resolve("okta-directory/package.json"));
  } catch {
    const sibling = join(template, "..", "..", "js");
    const manifest = join(sibling, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "okta-directory") return sibling;
    throw new Error("okta-directory is not installed: run `npm install` in the template (or install the packed tarball)");
  }
}

const pkg = packageDir();
/** The SDK's Node entry and its emulator, from the installed package. */
export const sdk = await import(pathToFileURL(join(pkg, "dist", "node.js")).href);
export const { startEmulator } = await import(pathToFileURL(join(pkg, "dist", "emulator", "index.js")).href);

/**
 * Bundles `entrySource` (a module importing ./src/worker.js) into a fresh folder; returns it. The
 * caller removes it.
 * @param {string} entrySource
 */
export async function bundle(entrySource) {
  const work = mkdtempSync(join(tmpdir(), "worker-template-"));
  cpSync(join(template, "src"), join(work, "src"), { recursive: true });
  mkdirSync(join(work, "node_modules"));
  symlinkSync(pkg, join(work, "node_modules", "okta-directory"), "dir");
  writeFileSync(join(work, "test-entry.js"), entrySource);
  mkdirSync(join(work, "dist"));
  await bundleForWorkerd({ entry: join(work, "test-entry.js"), outfile: join(work, "dist", "worker.js"), absWorkingDir: work });
  return work;
}

/**
 * A Miniflare running a bundle from {@link bundle} with the template's bindings (`persist`: a folder to keep
 * state in across restarts; `port`: listen on 127.0.0.1 at that port, 0 for any, so that others can reach it).
 * @param {string} work
 * @param {{ bindings: Record<string, string>, persist?: string, onLog?: (chunk: string) => void, port?: number }} options
 */
export function miniflare(work, { bindings, persist, onLog, port }) {
  return new Miniflare({
    ...workerdScript(join(work, "dist", "worker.js")),
    kvNamespaces: ["DIRECTORY"],
    r2Buckets: ["SYNC_BUCKET"],
    durableObjects: { VERIFICATION_GUARD: "VerificationGuard", SYNC_JOB: "SyncJob" },
    ...(persist === undefined
      ? {}
      : { kvPersist: join(persist, "kv"), r2Persist: join(persist, "r2"), durableObjectsPersist: join(persist, "do") }),
    bindings,
    ...(port === undefined ? {} : { host: "127.0.0.1", port }),
    handleRuntimeStdio(/** @type {import("node:stream").Readable} */ stdout, /** @type {import("node:stream").Readable} */ stderr) {
      stdout.on("data", (/** @type {Buffer} */ d) => onLog?.(String(d)));
      stderr.on("data", (/** @type {Buffer} */ d) => onLog?.(String(d)));
    },
  });
}

/**
 * Removes a bundle folder.
 * @param {string | undefined} work
 */
export function removeBundle(work) {
  if (work) rmSync(work, { recursive: true, force: true });
}

/**
 * Polls `probe` until it returns a value other than null/undefined (every 50 ms, up to `timeoutMs`).
 * @template T
 * @param {() => Promise<T | null | undefined>} probe
 * @param {string} what
 * @returns {Promise<T>}
 */
export async function waitFor(probe, what, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Bundling a Worker the way wrangler does, and running the bundle in workerd through Miniflare: the one copy
// of that recipe, used by this template's tests and benches, the SDK's workerd tests (js/test/sync), the
// package smoke test (tests/smoke) and the cross-runtime test (tests/e2e). It imports only esbuild and
// miniflare, so it runs from a copy of the template outside the repository too.
//
// - esbuild: ESM, platform neutral, the "workerd" / "worker" / "browser" export conditions, `cloudflare:*`
//   external; each imported .wasm is copied beside the bundle and imported as "./<name>.wasm".
// - Miniflare: the bundle's .js files as ES modules and its .wasm files as compiled modules (workerd refuses
//   to compile wasm from bytes), module names relative to the bundle's folder.
import { copyFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as esbuild from "esbuild";

/** The compatibility date of the template's wrangler.toml. */
export const COMPATIBILITY_DATE = "2026-04-01";

/**
 * esbuild plugin: as wrangler does, each imported .wasm copied into `outdir` and imported as a module from there.
 * @param {string} outdir
 * @returns {esbuild.Plugin}
 */
export function wasmBesideBundle(outdir) {
  return {
    name: "wasm-beside-bundle",
    setup(build) {
      build.onResolve({ filter: /\.wasm$/ }, ({ path, resolveDir }) => {
        const source = join(resolveDir, path);
        copyFileSync(source, join(outdir, basename(source)));
        return { path: `./${basename(source)}`, external: true };
      });
    },
  };
}

/**
 * Bundles `entry` into `outfile` as wrangler does (its .wasm imports copied beside it). `absWorkingDir`
 * (default: the entry's folder) is where bare imports resolve from; `metafile: true` returns esbuild's metafile.
 * @param {{ entry: string, outfile: string, absWorkingDir?: string, metafile?: boolean }} options
 */
export function bundleForWorkerd({ entry, outfile, absWorkingDir = dirname(entry), metafile = false }) {
  return esbuild.build({
    entryPoints: [entry],
    outfile,
    absWorkingDir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    metafile,
    logLevel: "warning",
    plugins: [wasmBesideBundle(dirname(outfile))],
  });
}

/**
 * Miniflare options that run the bundle `scriptPath` (from {@link bundleForWorkerd}) in workerd; add bindings,
 * KV namespaces, Durable Objects etc. by spreading these into your own.
 * @param {string} scriptPath
 */
export function workerdScript(scriptPath) {
  return {
    modules: true,
    scriptPath,
    // Module names are paths relative to modulesRoot; workerd refuses names with "..".
    modulesRoot: dirname(scriptPath),
    modulesRules: [
      { type: /** @type {const} */ ("ESModule"), include: ["**/*.js"] },
      { type: /** @type {const} */ ("CompiledWasm"), include: ["**/*.wasm"] },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    // No request to Cloudflare for the `cf` object.
    cf: false,
  };
}

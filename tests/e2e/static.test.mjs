// The static file server's web root is the browser app (www/app/) alone: every page file resolves, and no
// URL path (plain, percent-encoded, dot-segments) resolves to the server's code or configuration, which
// live outside it (www/server/, www/*.json).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { STATIC_ROOTS, resolveStatic } from "../../www/server/static.mjs";

const www = fileURLToPath(new URL("../../www/", import.meta.url));
/** Every file under a folder, as paths relative to `www/` with "/" separators. */
const files = (/** @type {string} */ dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(www, join(e.parentPath, e.name)).split(sep).join("/"));
/** Whether a resolved file is one the server may serve (the web root, the SDK's dist and wasm). */
const served = (/** @type {string} */ file) => file.startsWith(STATIC_ROOTS.app) || /[\\/]js[\\/](dist|wasm)[\\/]/.test(file);

test("the web root is www/app/ and every page file there resolves to itself", () => {
  assert.equal(STATIC_ROOTS.app, join(www, "app") + sep);
  for (const f of files(join(www, "app"))) {
    if (!/\.(html|js|css|json|svg|png|wasm)$/.test(f)) continue;
    assert.equal(resolveStatic(`/${f.slice("app/".length)}`, STATIC_ROOTS), join(www, f), f);
  }
});

test("no URL path resolves to a file of www/ outside the web root (the server's code, tsconfigs)", () => {
  const outside = files(www).filter((f) => !f.startsWith("app/"));
  assert.ok(outside.includes("server/main.mjs") && outside.includes("server/routes.mjs"), "the server lives in www/server/");
  for (const f of outside) {
    const name = f.slice(f.lastIndexOf("/") + 1);
    const candidates = [
      `/${f}`,
      `/${name}`,
      `/../${f}`,
      `/%2e%2e/${f}`,
      `/..%2f${f}`,
      `/${encodeURIComponent(f)}`,
      `/${f.replace(/\./g, "%2e")}`,
      `/portal/../../${f}`,
      `/sdk/../../www/${f}`,
      `/sdk/dist/../../../www/${f}`,
    ];
    for (const path of candidates) {
      const file = resolveStatic(path, STATIC_ROOTS);
      assert.ok(file === null || served(file), `${path} → ${file}`);
      assert.notEqual(file, join(www, f), path);
    }
  }
});

// Loads a Vite production build (tests/package/vite-app, built against the installed tarball) in
// Chromium: the page must pre-check claims with okta-directory/claims, fetch the claims-only wasm as
// application/wasm, and log no errors. Run from the repo (playwright-core resolves here).
// Usage: node vite-chromium.mjs <vite dist dir> <the installed package's claims-only wasm>
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [root, claimsWasm] = process.argv.slice(2);
if (!root || !claimsWasm) throw new Error("usage: node vite-chromium.mjs <dist dir> <claims wasm>");
/** @type {Record<string, string>} */
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };
/** @type {{ path: string, bytes: number }[]} */
const served = [];
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  if (path === "/favicon.ico") return void res.writeHead(204).end(); // the browser asks; not the app's
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  try {
    if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error("not found");
    const body = readFileSync(file);
    served.push({ path, bytes: body.length });
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    served.push({ path, bytes: -1 });
    res.writeHead(404).end();
  }
});
await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
const profile = mkdtempSync(join(tmpdir(), "vite-chromium-"));
/** @type {import("playwright-core").BrowserContext | undefined} */
let context;
const cleanup = async () => {
  await context?.close().catch(() => {});
  server.close();
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  await page.goto(`http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/`);
  const result = await page
    .waitForFunction(() => /** @type {Window & { __result?: unknown }} */ (window).__result, null, { timeout: 20_000 })
    .then((h) => h.jsonValue());
  assert.deepEqual(result, { decision: "match", family: "match", given: "José", error: "INVALID_JSON" });
  const wasm = served.filter((s) => s.path.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one wasm fetched: ${JSON.stringify(wasm)}`);
  assert.equal(wasm[0].bytes, statSync(claimsWasm).size, "the wasm fetched is the claims-only module");
  assert.deepEqual(problems, []);
  console.log(
    `  ok   Vite build in Chromium ${context.browser()?.version() ?? ""}: ${JSON.stringify(result)}; fetched ${wasm[0].path} (${wasm[0].bytes} bytes, the claims-only module)`,
  );
} finally {
  await cleanup();
}

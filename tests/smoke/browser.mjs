// Chromium consumer: serves the consumer project over HTTP and loads browser-page.html in Debian's
// Chromium via playwright-core. Run from the repo (playwright-core resolves from its node_modules).
// Usage: node browser.mjs <consumer-project-dir> [counts-file]
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { chromium } from "playwright-core";
import { recorder } from "./cases.mjs";

// run.sh reads the totals from counts-file ("<passed> <failed>").
const [root, countsFile] = process.argv.slice(2);
if (!root) throw new Error("usage: node browser.mjs <consumer-project-dir> [counts-file]");

// application/wasm matters: without it instantiateStreaming fails and the glue warns and falls back.
/** @type {Record<string, string>} */
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
};
/** @type {[string, number, string][]} */
const served = []; // [path, status, content-type], to prove the wasm was fetched correctly

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  let status = 200;
  let type = MIME[extname(file)] ?? "application/octet-stream";
  let body;
  try {
    if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error("not found");
    body = readFileSync(file);
  } catch {
    [status, type, body] = [404, "text/plain", "not found"];
  }
  served.push([path, status, type]);
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
});
await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
const origin = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;

const profile = mkdtempSync(join(tmpdir(), "smoke-chromium-"));
/** @type {import("playwright-core").BrowserContext | undefined} */
let context;
async function cleanup() {
  await context?.close().catch(() => {});
  server.close();
  // Retries: on an interrupt Chromium may still be writing its profile while it shuts down.
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.error(`  could not remove ${profile}: ${/** @type {Error} */ (error).message}`);
  }
}
// run.sh sends SIGTERM on interrupt: close Chromium before exiting.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

const { record, finish } = recorder();

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Our own SIGINT/SIGTERM handler closes the context; Playwright's would race it (and delete
    // nothing), leaving the profile half-written.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.stack ?? error}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));

  await page.goto(`${origin}/index.html`);
  // Either the page publishes its result or it breaks (a failed module load never sets __result).
  const result = await Promise.race([
    page
      .waitForFunction(() => /** @type {Window & { __result?: unknown }} */ (window).__result, null, { timeout: 20_000 })
      .then((handle) => handle.jsonValue()),
    new Promise((_, reject) => page.on("pageerror", reject)),
  ]).catch((error) => error);

  console.log(`  (Chromium ${context.browser()?.version() ?? ""}, ${origin})`);
  const wasm = served.find(([path]) => path.endsWith("/okta_directory_bg.wasm"));
  record(
    "browser entry fetched the wasm as application/wasm",
    wasm?.[0] === "/node_modules/okta-directory/wasm/okta_directory_bg.wasm" && wasm[1] === 200 && wasm[2] === "application/wasm",
    `wasm request: ${JSON.stringify(wasm)}`,
  );
  if (Array.isArray(result)) {
    for (const { name, ok, error } of result) record(name, ok, error);
  } else {
    record("page ran the checks", false, result);
  }
  // Settle briefly so late console errors are not missed.
  await page.waitForTimeout(100);
  record("no page errors, console errors/warnings or failed requests", problems.length === 0, problems.join("\n"));
} catch (error) {
  record("Chromium run", false, /** @type {Error} */ (error).stack ?? error);
} finally {
  await cleanup();
}

finish(countsFile, writeFileSync);

// Runs every fenced code block of the given Markdown files as a reader would, in a project where the
// packed tarball is installed, against the Okta emulator. The convention is docs/snippets.md; in short:
//
//   js, mjs, javascript   written to a .mjs file and run with `node` (an ES module, Node 20)
//   ts, typescript        transpiled by the workspace's TypeScript, then run the same way
//   sh, bash, shell       run with `bash -euo pipefail`; a line starting `npx okta-directory emulator`
//                         starts that emulator in the background for the file's later blocks
//   html                  served with the project folder as the site root and opened in headless
//                         Chromium; a page error, console.error or failed request fails
//   json / yaml / toml    parsed (jsonl: each line)
//   text, console, txt    output samples and synopses: not run
//   anything else         fails, unless the line before the fence is
//                         <!-- snippet: skip — the reason -->  (a reason is required)
//
// Blocks of one Markdown file run in order in one folder (<project>/snippets/<file>/), so a block may
// use a file an earlier one wrote. Every js/ts/sh block gets OKTA_ORG_URL, OKTA_API_TOKEN,
// OKTA_CLIENT_ID, OKTA_PRIVATE_KEY_PATH and OKTA_KEY_ID of a running emulator (the file's own, else one
// the runner starts with `npx okta-directory emulator --users 50 --seed 1`).
//
// Usage: node snippets.mjs [--no-emulator] <project dir> <file.md>...   (exit 1 when a block failed)
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join, normalize, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import ts from "typescript";
import yaml from "js-yaml";
import { parse as parseToml } from "smol-toml";

const args = process.argv.slice(2);
const noEmulator = args[0] === "--no-emulator";
if (noEmulator) args.shift();
const [project, ...files] = args;
if (!project || files.length === 0) throw new Error("usage: node snippets.mjs [--no-emulator] <project dir> <file.md>...");

/** @type {Record<string, "js" | "ts" | "sh">} */
const RUN = { js: "js", mjs: "js", javascript: "js", ts: "ts", typescript: "ts", sh: "sh", bash: "sh", shell: "sh" };
/** @type {Record<string, "json" | "jsonl" | "yaml" | "toml">} */
const PARSE = { json: "json", jsonl: "jsonl", yaml: "yaml", yml: "yaml", toml: "toml" };
const SAMPLE = new Set(["text", "console", "txt"]);
const EMULATOR_LINE = /^npx okta-directory emulator(\s|$)/;
const MARKER = /^<!--\s*snippet:\s*(\S+)\s*(?:[—–:-]+\s*)?(.*?)\s*-->\s*$/;

/** @typedef {{ lang: string, code: string, line: number, marker: { kind: string, reason: string } | null }} Block */
/** @typedef {"ran" | "parsed" | "sample" | "skipped" | "failed"} Status */
/** @typedef {Record<string, string>} Env */

/**
 * The fenced code blocks of a Markdown text: info string, code, 1-based line, and the marker before it.
 * @param {string} markdown
 * @returns {Block[]}
 */
function codeBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
    const code = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join("\n");
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === "") before--;
    const m = before >= 0 ? MARKER.exec(lines[before].trim()) : null;
    blocks.push({
      lang: info.trim().split(/\s+/)[0].toLowerCase(),
      code: `${code}\n`,
      line: i + 1,
      marker: m ? { kind: m[1], reason: m[2] } : null,
    });
    i = end;
  }
  return blocks;
}

// --- emulators (each in its own process group: npx runs the CLI as a child) ---
/** @type {import("node:child_process").ChildProcess[]} */
const emulators = [];
function stopAll() {
  for (const e of emulators) {
    try {
      process.kill(-(/** @type {number} */ (e.pid)), "SIGTERM");
    } catch {
      // already gone
    }
  }
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

/**
 * Starts `line` with bash in `cwd` and resolves to the environment its ready line describes.
 * @param {string} line
 * @param {string} cwd
 * @returns {Promise<Env>}
 */
async function startEmulator(line, cwd) {
  const child = spawn("bash", ["-c", line], { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  emulators.push(child);
  let stderr = ""; // shown only when it fails to start
  child.stderr.on("data", (chunk) => void (stderr += chunk));
  /** @type {{ url: string, apiToken: string, clientId: string, privateKeyPath: string, keyId: string }} */
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator printed nothing within 60 s: ${line}\n${stderr}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before it was ready: ${line}\n${stderr}`)));
    createInterface({ input: child.stdout }).once("line", (text) => {
      clearTimeout(timer);
      resolve(JSON.parse(text));
    });
  });
  return {
    OKTA_ORG_URL: ready.url,
    OKTA_API_TOKEN: ready.apiToken,
    OKTA_CLIENT_ID: ready.clientId,
    OKTA_PRIVATE_KEY_PATH: ready.privateKeyPath,
    OKTA_KEY_ID: ready.keyId,
    // An Event Hook receiver's secret (16+ characters), as an operator would configure one: random per run.
    OKTA_HOOK_SECRET: randomBytes(24).toString("base64url"),
  };
}
/** @type {Promise<Env> | null} */
let defaultEmulator = null;
const emulatorEnv = () => {
  if (noEmulator) return Promise.resolve({});
  defaultEmulator ??= startEmulator("npx --no okta-directory emulator --users 50 --seed 1", project);
  return defaultEmulator;
};

// --- html blocks: a static server over the project folder and one headless Chromium ---
// Opened by the first html block (the cast keeps the type checker from assuming it is still null at the end).
let browser = /** @type {Awaited<ReturnType<typeof openBrowser>> | null} */ (null);
async function openBrowser() {
  const { chromium } = await import("playwright-core");
  /** @type {Record<string, string>} */
  const MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
  };
  const root = normalize(project);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/favicon.ico") return void res.writeHead(204).end(); // the browser asks; not the page's
    const file = normalize(join(root, path));
    try {
      if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error("not found");
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
  const profile = mkdtempSync(join(tmpdir(), "snippets-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const close = async () => {
    await context.close().catch(() => {});
    server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  return { context, origin: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`, close };
}
/**
 * Opens `<project>/<path>` in Chromium; its console output, and whether anything went wrong.
 * @param {string} path
 */
async function runPage(path) {
  browser ??= await openBrowser();
  const page = await browser.context.newPage();
  /** @type {string[]} */
  const lines = [];
  let ok = true;
  page.on("pageerror", (error) => ((ok = false), lines.push(`page error: ${error.message}`)));
  page.on("console", (msg) => {
    if (msg.type() === "error") ok = false;
    lines.push(msg.type() === "log" ? msg.text() : `console.${msg.type()}: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => ((ok = false), lines.push(`request failed: ${req.url()}`)));
  page.on("response", (res) => {
    if (res.status() >= 400) (ok = false), lines.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(`${browser.origin}/${path}`, { waitUntil: "networkidle", timeout: 60_000 });
  await page.close();
  return { ok, out: lines.join("\n") };
}

// --- one block ---
/**
 * @param {string} command
 * @param {string[]} argv
 * @param {string} cwd
 * @param {Env} env
 */
function runProcess(command, argv, cwd, env) {
  const run = spawnSync(command, argv, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  const out = `${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? `\n${run.error.message}` : ""}`.trimEnd();
  return { ok: run.status === 0, out: run.status === 0 || run.status === null ? out : `${out}\n(exit ${run.status})` };
}

/**
 * What happens to one block: {status: "ran"|"parsed"|"sample"|"skipped"|"failed", detail, out}.
 * @param {Block} block
 * @param {{ dir: string, env: Env | null }} ctx
 * @returns {Promise<{ status: Status, detail?: string, out?: string }>}
 */
async function handle(block, ctx) {
  const { lang, code, marker } = block;
  if (marker && marker.kind !== "skip") return { status: "failed", detail: `unknown marker "snippet: ${marker.kind}" (only skip)` };
  if (marker)
    return marker.reason ? { status: "skipped", detail: marker.reason } : { status: "failed", detail: "a skip marker needs a reason" };
  if (lang === "") return { status: "failed", detail: "a block without a language: fence samples as text, or mark it" };
  if (SAMPLE.has(lang)) return { status: "sample" };
  if (PARSE[lang]) {
    try {
      if (PARSE[lang] === "json") JSON.parse(code);
      else if (PARSE[lang] === "jsonl") for (const l of code.split("\n").filter((x) => x.trim())) JSON.parse(l);
      else if (PARSE[lang] === "yaml") yaml.load(code);
      else parseToml(code);
      return { status: "parsed" };
    } catch (error) {
      return { status: "failed", detail: `does not parse as ${lang}`, out: String(/** @type {Error} */ (error).message ?? error) };
    }
  }
  const name = `block-${block.line}`;
  if (lang === "html") {
    writeFileSync(join(ctx.dir, `${name}.html`), code);
    const r = await runPage(
      relative(project, join(ctx.dir, `${name}.html`))
        .split(sep)
        .join("/"),
    );
    return { status: r.ok ? "ran" : "failed", out: r.out };
  }
  const kind = RUN[lang];
  if (!kind) return { status: "failed", detail: `no rule runs \`${lang}\` blocks: mark it <!-- snippet: skip — reason -->` };
  if (kind === "sh") {
    const lines = code.split("\n");
    for (const l of lines.filter((x) => EMULATOR_LINE.test(x.trim()))) ctx.env = await startEmulator(l.trim(), ctx.dir);
    const rest = lines.filter((x) => !EMULATOR_LINE.test(x.trim())).join("\n");
    if (!/^\s*[^#\s]/m.test(rest)) return { status: "ran", detail: "emulator started" };
    writeFileSync(join(ctx.dir, `${name}.sh`), rest);
    const env = ctx.env ?? (await emulatorEnv());
    const r = runProcess("bash", ["-euo", "pipefail", `${name}.sh`], ctx.dir, env);
    return { status: r.ok ? "ran" : "failed", out: r.out };
  }
  let source = code;
  if (kind === "ts") {
    const out = ts.transpileModule(code, {
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    if (out.diagnostics?.length)
      return {
        status: "failed",
        detail: "TypeScript syntax",
        out: out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"),
      };
    source = out.outputText;
  }
  writeFileSync(join(ctx.dir, `${name}.mjs`), source);
  const env = ctx.env ?? (await emulatorEnv());
  const r = runProcess(process.execPath, [`${name}.mjs`], ctx.dir, env);
  return { status: r.ok ? "ran" : "failed", out: r.out };
}

// --- all files ---
const counts = { ran: 0, parsed: 0, sample: 0, skipped: 0, failed: 0 };
/** @type {string[]} */
const skips = [];
for (const file of files) {
  const shown = relative(process.cwd(), file) || basename(file);
  const dir = join(project, "snippets", shown.replace(/[^A-Za-z0-9.-]+/g, "_"));
  mkdirSync(dir, { recursive: true });
  /** @type {{ dir: string, env: Env | null }} */
  const ctx = { dir, env: null };
  for (const block of codeBlocks(readFileSync(file, "utf8"))) {
    const r = await handle(block, ctx);
    counts[r.status]++;
    const where = `${shown}:${block.line} ${block.lang || "(no language)"}`;
    if (r.status === "skipped") skips.push(`${where} — ${r.detail}`);
    const tag = { ran: "ok  ", parsed: "ok  ", sample: "text", skipped: "skip", failed: "FAIL" }[r.status];
    const first = block.code.split("\n").find((l) => l.trim()) ?? "";
    console.log(`  ${tag} ${where}${r.detail ? ` (${r.detail})` : ""}: ${first.slice(0, 70)}`);
    if (r.out && (r.status === "failed" || process.env.SNIPPETS_VERBOSE)) console.log(r.out.replace(/^/gm, "       "));
  }
}
console.log(
  `  snippets: ${counts.ran} ran, ${counts.parsed} parsed, ${counts.sample} samples (not run), ` +
    `${counts.skipped} skipped, ${counts.failed} failed — in ${files.length} files`,
);
for (const s of skips) console.log(`    skipped ${s}`);
stopAll();
await browser?.close();
process.exit(counts.failed === 0 ? 0 : 1);

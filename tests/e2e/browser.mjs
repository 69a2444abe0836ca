// Shared helpers for end-to-end tests: start the demo server, drive Debian's Chromium.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** @typedef {import("playwright-core").Page} Page */
/** @typedef {import("../../js/dist/emulator/index.js").AdminAccount} AdminAccount */
/** @typedef {import("../../js/dist/emulator/index.js").EmulatorUser} EmulatorUser A user as the emulator's API and control API show it. */
/** @typedef {import("../../js/dist/emulator/index.js").RunningEmulator} RunningEmulator */
/** @typedef {import("../../www/app/api.js").DirectoryTable} DirectoryTable The dashboard API's directory table (columns). */
/** @typedef {import("../../www/app/api.js").UserDetail} UserDetail The dashboard API's detail of one user. */
/** @typedef {import("../../www/app/api.js").Integration} Integration The dashboard API's integration. */
/** @typedef {{ to: string, subject: string, text: string, at: number }} MailboxMessage A message of the development mailbox. */
/** @typedef {Awaited<ReturnType<typeof startServer>>} DashboardServer The running dashboard server {@link startServer} gives. */
/** @typedef {Awaited<ReturnType<typeof launch>>} Browser A launched browser: its page, the page errors seen, close(). */

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts www/server/main.mjs on a free port with a fresh data folder (extra arguments passed on); resolves with
 * its URL, the one-time bootstrap sign-in URL, the emulator's admin (with --demo), the data folder, an
 * admin `fetch` (signed in with the bootstrap token on first use), `signIn(page)` and a stop function.
 * @param {...string} args
 */
export async function startServer(...args) {
  const data = mkdtempSync(join(tmpdir(), "okta-directory-dashboard-"));
  const child = spawn(process.execPath, [join(root, "www/server/main.mjs"), "--port", "0", "--data", data, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  /** The server's first stdout line (JSON): its URL, the bootstrap sign-in URL, and the emulator's admin with --demo. */
  const started = /** @type {{ url: string, bootstrapUrl: string, admin?: AdminAccount }} */ (
    await new Promise((resolve, reject) => {
      let buffer = "";
      child.stdout.on("data", (chunk) => {
        buffer += chunk;
        const line = buffer.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line));
      });
      child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
      setTimeout(() => reject(new Error("server did not start within 180 s")), 180_000).unref();
    })
  );
  const { url, bootstrapUrl, admin } = started;
  const origin = url.replace(/\/$/, "");
  /** @type {string | null} */
  let cookie = null;
  /** The admin session cookie ("od_admin=…"), got once with the bootstrap token. */
  const adminCookie = async () => {
    if (cookie) return cookie;
    const token = new URL(bootstrapUrl).hash.replace(/^#bootstrap=/, "");
    const res = await fetch(`${origin}/auth/bootstrap`, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    if (!res.ok) throw new Error(`bootstrap sign-in refused (${res.status})`);
    const setCookie = res.headers.get("set-cookie");
    if (setCookie === null) throw new Error("bootstrap sign-in set no cookie");
    cookie = setCookie.split(";")[0];
    return cookie;
  };
  return {
    url,
    bootstrapUrl,
    admin,
    data,
    adminCookie,
    /**
     * fetch() as the signed-in admin (cookie, and this server's Origin on writes).
     * @param {string} path
     * @param {RequestInit & { headers?: Record<string, string> }} [init]
     */
    adminFetch: async (path, init = {}) =>
      fetch(`${origin}/${path.replace(/^\//, "")}`, { ...init, headers: { origin, cookie: await adminCookie(), ...(init.headers ?? {}) } }),
    /**
     * Gives a browser page the admin session (as if the admin had signed in).
     * @param {Page} page
     */
    signIn: async (page) => {
      const [name, value] = (await adminCookie()).split("=");
      await page.context().addCookies([{ name, value, url: origin, httpOnly: true, sameSite: "Strict" }]);
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * The value as text; fails the test when it is anything else (a `textContent()` of null, a profile
 * attribute that is not a string).
 * @param {unknown} value
 * @returns {string}
 */
export function asText(value) {
  if (typeof value !== "string") throw new TypeError(`expected text, got ${value === null ? "null" : typeof value}`);
  return value;
}

const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is; returns the serious and critical
 * violations as "rule: target" lines. The script is evaluated through the DevTools protocol, so the
 * page's CSP (no inline scripts) stays in force.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => {
    const { axe } = /** @type {Window & { axe?: typeof import("axe-core") }} */ (window);
    if (axe === undefined) throw new Error("axe-core was not injected");
    return axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
}

/**
 * Writes a screenshot to .cache/screenshots/NAME.png (git-ignored; the README's come from here).
 * @param {Page} page
 * @param {string} name
 */
export async function screenshot(page, name, fullPage = false) {
  const dir = join(root, ".cache/screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}

/**
 * Horizontal overflow of the page in px (0 when the layout fits the viewport).
 * @param {Page} page
 * @returns {Promise<number>}
 */
export function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Launches headless Chromium with the flags this machine needs; collects page errors. */
export async function launch(viewport = { width: 1280, height: 900 }) {
  const profile = mkdtempSync(join(tmpdir(), "okta-directory-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport,
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
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return {
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

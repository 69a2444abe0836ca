#!/usr/bin/env node
// Peak RSS of the CLI `sync` when a users page is a gzip bomb (1 MB of gzip expanding to 1 GiB) or a 1 GiB plain
// body (streamed by the fault proxy), against the emulator (limits off) through tests/sync-e2e/fault-proxy.mjs.
// Each run must end with RESPONSE_TOO_LARGE; peak RSS is the CLI process's (`/usr/bin/time -v`), and a clean
// sync of the same directory is measured for comparison. BENCHMARKS.md "Sync at 100k users, incremental, oversized responses".
//
//   node bench/sync-bomb.mjs [--users 2000]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "js/bin/okta-directory.mjs");
const { values } = parseArgs({ options: { users: { type: "string", default: "2000" } } });
const { startEmulator } = await import(join(root, "js/dist/emulator/index.js"));
const { startFaultProxy } = await import(join(root, "tests/sync-e2e/fault-proxy.mjs"));

/**
 * The CLI under /usr/bin/time -v: exit code, the error line, wall ms and peak RSS (MiB).
 * @param {string[]} args
 * @returns {Promise<{ code: number, error: string, wallMs: number, rssMb: number }>}
 */
function timed(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-v", process.execPath, cli, "sync", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", () => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const status = /Exit status: (\d+)/.exec(stderr);
      const error = /^error\[[A-Z_]+\][^\n]*/m.exec(stderr)?.[0] ?? "";
      resolve({
        code: Number(status?.[1]),
        error,
        wallMs: Math.round(performance.now() - started),
        rssMb: rss ? Math.round(Number(rss[1]) / 102.4) / 10 : NaN,
      });
    });
  });
}

const emu = await startEmulator({ users: Number(values.users), groups: 5, seed: 3, rateLimit: "off" });
const proxy = await startFaultProxy(emu.url, {});
const dir = mkdtempSync(join(tmpdir(), "sync-bomb-"));
const args = ["--org", proxy.url, "--api-token", emu.apiToken, "--insecure-loopback", "--out", join(dir, "d.snap"), "--page-limit", "50"];
const users = "/api/v1/users";
const cases = [
  ["clean sync (no fault)", {}],
  ["gzip bomb: 1 MB gzip → 1 GiB", { bomb: { path: users, nth: 3, mib: 1024 } }],
  ["1 GiB plain body, streamed", { huge: { path: users, nth: 3, bytes: 2 ** 30 } }],
];
const rows = [];
try {
  for (const [name, faults] of cases) {
    proxy.faults = faults;
    const r = await timed(args);
    rows.push({ name, ...r });
    console.error(JSON.stringify(rows.at(-1)));
  }
} finally {
  await proxy.close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log("| case | exit | error | wall ms | peak RSS MiB |\n|---|---:|---|---:|---:|");
for (const r of rows) console.log(`| ${r.name} | ${r.code} | ${r.error.replace(/\|/g, "\\|").slice(0, 90)} | ${r.wallMs} | ${r.rssMb} |`);

#!/usr/bin/env node
// Sync benchmark, side by side (BENCHMARKS.md "Sync at 100k users"):
//   1. the CLI against the emulator at Okta's Workforce defaults: wall time vs the floor the limits imply,
//      429s, requests vs the minimum;
//   2. the CLI with limits off: users/s and peak RSS;
//   3. @okta/okta-sdk-nodejs listing the same users on the same (limits-off) emulator.
// Each emulator and each client runs as its own process; peak RSS is the client's (`/usr/bin/time -v`).
// Every CLI run's snapshot is checked against the emulator's ground truth (count, ids, statuses,
// memberships); a mismatch fails the script.
//
//   node bench/sync-100k.mjs [--users 100000] [--groups 50] [--runs 3] [--skip-paced] [--skip-sdk]
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "js/bin/okta-directory.mjs");
const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    groups: { type: "string", default: "50" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "7" },
    "skip-paced": { type: "boolean" },
    "skip-sdk": { type: "boolean" },
  },
});
const USERS = Number(values.users);
const GROUPS = Number(values.groups);
const RUNS = Math.max(1, Number(values.runs));
const PAGE = 200;
const sdk = /** @type {typeof import("../js/dist/node.js")} */ (await import(join(root, "js/dist/node.js")));
const { WORKFORCE_DEFAULTS } = /** @type {typeof import("../js/dist/emulator/index.js")} */ (
  await import(join(root, "js/dist/emulator/index.js"))
);
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** @typedef {{ url: string, apiToken: string, stop: () => void }} Emulator */
/** @typedef {{ users: Map<string, string>, groups: string[], members: Map<string, string[]> }} Truth */

/**
 * Runs a command; resolves with stdout, stderr, wall ms and (with /usr/bin/time) peak RSS in MiB.
 * @param {string[]} args
 * @param {{ env?: Record<string, string> }} [options]
 * @returns {Promise<{ stdout: string, stderr: string, wallMs: number, rssMb: number }>}
 */
function run(args, { env } = {}) {
  const argv = timeBin ? [timeBin, "-v", ...args] : args;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`));
      resolve({ stdout, stderr, wallMs, rssMb: rss ? Number(rss[1]) / 1024 : NaN });
    });
  });
}

/**
 * Starts the emulator as its own process; resolves once it printed its JSON line.
 * @param {string | undefined} rateLimit
 * @returns {Promise<Emulator>}
 */
function startEmulator(rateLimit) {
  const args = [cli, "emulator", "--users", String(USERS), "--groups", String(GROUPS), "--seed", values.seed];
  if (rateLimit !== undefined) args.push("--rate-limit", rateLimit);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)));
    child.stdout.on("data", (d) => {
      buffered += d;
      const eol = buffered.indexOf("\n");
      if (eol >= 0) resolve({ ...JSON.parse(buffered.slice(0, eol)), stop: () => child.kill("SIGTERM") });
    });
  });
}

/**
 * The emulator's ground truth: users (id → status) and members per group.
 * @param {Emulator} emu
 * @returns {Promise<Truth>}
 */
async function groundTruth(emu) {
  const state =
    /** @type {{ users: { id: string, status: string }[], groups: { id: string }[], memberships: Record<string, string[]> }} */ (
      await (await fetch(`${emu.url}/__control/state`)).json()
    );
  return {
    users: new Map(state.users.map((u) => [u.id, u.status])),
    groups: state.groups.map((g) => g.id),
    members: new Map(Object.entries(state.memberships)),
  };
}

/**
 * Fewest requests a full sync needs, per rate-limit bucket.
 * @param {Truth} truth
 */
function minimumRequests(truth) {
  const pages = (/** @type {number} */ n) => Math.max(1, Math.ceil(n / PAGE));
  let groups = pages(truth.groups.length);
  for (const ids of truth.members.values()) groups += pages(ids.length);
  return { users: pages(truth.users.size), groups };
}

/**
 * The shortest wall time the limits allow: the slowest bucket's requests at its per-app rate.
 * @param {Record<string, number>} minimum
 * @param {{ perMinute: Record<string, number>, share: number }} config
 */
function floorSeconds(minimum, config) {
  const perMinute = (/** @type {string} */ bucket) => Math.max(1, Math.floor((config.perMinute[bucket] * config.share) / 100));
  return Math.max(...Object.entries(minimum).map(([bucket, n]) => (n / perMinute(bucket)) * 60));
}

/**
 * Checks the snapshot against the ground truth: user count, ids, statuses, every group's members.
 * @param {string} path
 * @param {Truth} truth
 */
function verify(path, truth) {
  const dir = sdk.Directory.fromSnapshot(readFileSync(path));
  try {
    const info = dir.info();
    if (info.users !== truth.users.size) throw new Error(`snapshot has ${info.users} users, the emulator ${truth.users.size}`);
    if (info.groups !== truth.groups.length) throw new Error(`snapshot has ${info.groups} groups, the emulator ${truth.groups.length}`);
    const seen = new Set();
    for (const gid of truth.groups) {
      const members = dir.membersOf(gid);
      const got = members.map((u) => u.id).sort();
      const want = [...(truth.members.get(gid) ?? [])].sort();
      if (got.length !== want.length || got.some((id, i) => id !== want[i])) throw new Error(`members of ${gid} differ`);
      for (const u of members) {
        if (truth.users.get(/** @type {string} */ (u.id)) !== u.status)
          throw new Error(`user ${u.id}: status ${u.status}, expected ${truth.users.get(/** @type {string} */ (u.id))}`);
        seen.add(u.id);
      }
    }
    // Users outside every group: present with the right status.
    for (const [id] of truth.users) if (!seen.has(id)) throw new Error(`user ${id} is in no group of the snapshot`);
  } finally {
    dir.free();
  }
}

/**
 * @param {Emulator} emu
 * @param {Truth} truth
 * @param {string} work
 */
async function cliSync(emu, truth, work) {
  const out = join(work, "directory.snapshot");
  rmSync(out, { force: true });
  const r = await run([process.execPath, cli, "sync", "--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback"]);
  const summary = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "");
  verify(out, truth);
  return { ...r, summary };
}

/** @param {Emulator} emu */
async function oktaSdkList(emu) {
  const script = `
    import okta from "@okta/okta-sdk-nodejs";
    const client = new okta.Client({ orgUrl: process.env.ORG, token: process.env.TOKEN, cacheMiddleware: null });
    const users = await client.userApi.listUsers({ limit: 200, filter: 'lastUpdated gt "1970-01-01T00:00:00.000Z"' });
    let n = 0;
    for await (const u of users) if (u !== null) n++;
    process.stdout.write(JSON.stringify({ users: n }) + "\\n");`;
  const r = await run([process.execPath, "--input-type=module", "-e", script], { env: { ORG: emu.url, TOKEN: emu.apiToken } });
  return { ...r, users: JSON.parse(r.stdout.trim()).users };
}

const fmt = (/** @type {number | undefined} */ n, digits = 1) => (Number.isFinite(n) ? /** @type {number} */ (n).toFixed(digits) : "–");
/** @type {{ run: string, wall: number, floor?: number, ratio?: number, retries?: number, requests: string, usersPerS: number, rss: number }[]} */
const rows = [];
const work = mkdtempSync(join(tmpdir(), "sync-bench-"));
const load = () => (existsSync("/proc/loadavg") ? readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "?");
try {
  if (!values["skip-paced"]) {
    const emu = await startEmulator(undefined); // Workforce defaults
    try {
      const truth = await groundTruth(emu);
      const minimum = minimumRequests(truth);
      const floor = floorSeconds(minimum, WORKFORCE_DEFAULTS);
      process.stderr.write(
        `paced: ${truth.users.size} users, floor ${fmt(floor)} s (users ${minimum.users} + groups ${minimum.groups} requests); load ${load()}\n`,
      );
      const r = await cliSync(emu, truth, work);
      const min = minimum.users + minimum.groups;
      rows.push({
        run: "CLI sync, Workforce defaults (50 % share)",
        wall: r.wallMs / 1000,
        ratio: r.wallMs / 1000 / floor,
        floor,
        retries: r.summary.retries,
        requests: `${r.summary.requests} / ${min}`,
        usersPerS: truth.users.size / (r.wallMs / 1000),
        rss: r.rssMb,
      });
    } finally {
      emu.stop();
    }
  }
  const emu = await startEmulator("off");
  try {
    const truth = await groundTruth(emu);
    const minimum = minimumRequests(truth);
    let best;
    let maxRss = 0;
    let slowest = 0;
    for (let i = 0; i < RUNS; i++) {
      process.stderr.write(`limits off, run ${i + 1}/${RUNS}; load ${load()}\n`);
      const r = await cliSync(emu, truth, work);
      const cpu = (/** @type {string} */ name) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1]);
      process.stderr.write(
        `  wall ${fmt(r.wallMs / 1000)} s, CLI CPU ${fmt(cpu("User"), 2)} s user + ${fmt(cpu("System"), 2)} s sys, peak RSS ${fmt(r.rssMb)} MiB\n`,
      );
      if (best === undefined || r.wallMs < best.wallMs) best = r;
      maxRss = Math.max(maxRss, r.rssMb);
      slowest = Math.max(slowest, r.wallMs);
    }
    if (best === undefined) throw new Error("no run"); // RUNS >= 1
    rows.push({
      run: `CLI sync, limits off (best of ${RUNS}; slowest ${fmt(truth.users.size / (slowest / 1000), 0)} users/s; RSS: max of all)`,
      wall: best.wallMs / 1000,
      retries: best.summary.retries,
      requests: `${best.summary.requests} / ${minimum.users + minimum.groups}`,
      usersPerS: truth.users.size / (best.wallMs / 1000),
      rss: maxRss,
    });
    if (!values["skip-sdk"]) {
      let sdkBest;
      for (let i = 0; i < RUNS; i++) {
        const r = await oktaSdkList(emu);
        if (r.users !== truth.users.size) throw new Error(`okta-sdk-nodejs listed ${r.users} users, expected ${truth.users.size}`);
        if (sdkBest === undefined || r.wallMs < sdkBest.wallMs) sdkBest = r;
      }
      if (sdkBest === undefined) throw new Error("no run"); // RUNS >= 1
      rows.push({
        run: `@okta/okta-sdk-nodejs listUsers, limits off (users only, best of ${RUNS})`,
        wall: sdkBest.wallMs / 1000,
        requests: `${minimum.users} / ${minimum.users}`,
        usersPerS: truth.users.size / (sdkBest.wallMs / 1000),
        rss: sdkBest.rssMb,
      });
    }
  } finally {
    emu.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`\n${USERS} users, ${GROUPS} groups (seed ${values.seed}); snapshots equal the emulator's ground truth; load ${load()}\n`);
console.log("| run | wall s | floor s | wall / floor | retries (429 or network) | requests / minimum | users/s | peak RSS MiB |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.run} | ${fmt(r.wall)} | ${fmt(r.floor)} | ${fmt(r.ratio, 3)} | ${r.retries ?? "–"} | ${r.requests} | ${fmt(r.usersPerS, 0)} | ${fmt(r.rss, 0)} |`,
  );
}

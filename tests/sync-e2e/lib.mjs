// Helpers of the sync end-to-end tests: the built CLI as a child process, emulators with their keys on disk,
// and the comparison of a snapshot file with the emulator's ground truth.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, groundTruth } from "../../js/dist/emulator/index.js";
import { Directory, normalizeUser } from "../../js/dist/node.js";

/** @typedef {import("../../js/dist/emulator/index.js").RunningEmulator} RunningEmulator */
/** @typedef {{ code: number, stdout: string, stderr: string }} CliRun */

const CLI = fileURLToPath(new URL("../../js/bin/okta-directory.mjs", import.meta.url));

/**
 * Runs `okta-directory sync …`; resolves with the exit code, stdout and stderr (never rejects).
 * @param {string[]} args
 * @returns {Promise<CliRun>}
 */
export function cliSync(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, "sync", ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      // A non-zero exit puts the exit code on the error; a kill or a spawn failure has none (a string or null): 1.
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

/**
 * The JSON summary on the last stdout line.
 * @param {CliRun} run
 * @returns {any} the summary (JSON; the assertions check its shape)
 */
export function summaryOf(run) {
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
}

/**
 * An emulator plus a private key file and a scratch directory. The emulator is as messy as Okta (every realism
 * switch on, see docs/emulator.md) unless `options.realism` says otherwise (`"tidy"` opts out).
 * @param {import("../../js/dist/emulator/index.js").EmulatorOptions} options
 */
export async function emulator(options) {
  const emu = await startEmulator({ rateLimit: "off", realism: "messy", ...options });
  const dir = mkdtempSync(join(tmpdir(), "od-sync-e2e-"));
  const keyPath = join(dir, "key.pem");
  writeFileSync(keyPath, emu.privateKeyPem, { mode: 0o600 });
  const auth = { ssws: ["--api-token", emu.apiToken], key: ["--client-id", emu.clientId, "--private-key", keyPath, "--key-id", emu.keyId] };
  /** @param {"ssws" | "key"} [credentials] */
  const base = (credentials = "ssws") => ["--org", emu.url, ...auth[credentials], "--insecure-loopback"];
  return { emu, dir, base };
}

/**
 * Sets (after clearing) the emulator's faults through its control API.
 * @param {RunningEmulator} emu
 * @param {string} spec
 */
export async function setFaults(emu, spec) {
  const res = await fetch(`${emu.url}/__control/faults`, { method: "POST", body: JSON.stringify({ clear: true, spec }) });
  assert.equal(res.status, 200);
}

/**
 * The emulator's Management API with its SSWS token.
 * @param {RunningEmulator} emu
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: any }>} `body`: the API's JSON (dynamic; the assertions check its shape)
 */
export async function api(emu, method, path, body) {
  const res = await fetch(`${emu.url}/api/v1/${path}`, {
    method,
    headers: { authorization: `SSWS ${emu.apiToken}`, accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

/**
 * Calls the control API.
 * @param {RunningEmulator} emu
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the route's JSON (dynamic: users, groups, a changed object or a report)
 */
export async function control(emu, method, path, body) {
  const res = await fetch(`${emu.url}/__control/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
  return res.json();
}

/**
 * `value`, asserted present (what a test needs from the emulator's data before it can go on).
 * @template T
 * @param {T | null | undefined} value
 * @param {string} what
 * @returns {T}
 */
export function must(value, what) {
  assert.ok(value !== null && value !== undefined, `missing: ${what}`);
  return value;
}

/**
 * The emulator's directory as its store holds it: users, groups and each group's member ids.
 * @param {RunningEmulator} emu
 */
export function truthOf(emu) {
  const { users, groups, memberships } = groundTruth(emu.env);
  return {
    users: /** @type {import("../../js/dist/emulator/index.js").EmulatorUser[]} */ (users),
    groups: /** @type {import("../../js/dist/emulator/index.js").EmulatorGroup[]} */ (groups),
    memberships,
  };
}

/**
 * Asserts that the snapshot at `path` holds exactly the emulator's directory: every user (with its status,
 * DEPROVISIONED included, read through the built-in Everyone group, which holds every user) with every
 * normalized attribute equal to the emulator's record normalized the same way, every group, and every group's
 * member set.
 * @param {string} path
 * @param {RunningEmulator} emu
 */
export function assertSnapshotMatches(path, emu) {
  const bytes = readFileSync(path);
  const dir = Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    const truth = truthOf(emu);
    const info = dir.info();
    assert.equal(info.users, truth.users.length, "user count");
    assert.equal(info.groups, truth.groups.length, "group count");
    const everyone = truth.groups.find((g) => g.type === "BUILT_IN");
    assert.ok(everyone, "the built-in Everyone group");
    const users = dir
      .membersOf(everyone.id)
      .map((u) => `${u.id} ${u.status}`)
      .sort();
    assert.deepEqual(users, truth.users.map((u) => `${u.id} ${u.status}`).sort(), "users and statuses");
    const expected = new Map(truth.users.map((u) => [u.id, normalizeUser(u).user]));
    for (const u of dir.membersOf(everyone.id)) assert.deepEqual(u, expected.get(/** @type {string} */ (u.id)), `attributes of ${u.id}`);
    let pairs = 0;
    for (const g of truth.groups) {
      const got = dir
        .membersOf(g.id)
        .map((u) => u.id)
        .sort();
      assert.deepEqual(got, [...truth.memberships[g.id]].sort(), `members of ${g.id}`);
      pairs += got.length;
    }
    assert.equal(info.memberships, pairs, "membership count");
  } finally {
    dir.free();
  }
}

/**
 * Counts the API and token requests the emulator receives from now on.
 * @param {RunningEmulator} emu
 */
export function counter(emu) {
  const limiter = emu.env.limiter;
  const take = limiter.take;
  let count = 0;
  /** @type {typeof take} */
  limiter.take = function (...args) {
    count++;
    return take.apply(this, args);
  };
  return () => count;
}

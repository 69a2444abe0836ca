// The Node publisher to Workers KV against a local fake of Cloudflare's REST API: a first publish writes every
// shard and the manifest in two bulk requests; after 100 users change (an incremental sync from the emulator),
// only the changed shards plus the manifest are written, and a store reading the fake sees the new values.
// 429s and 5xx are retried; a refused token and exhausted retries are typed, leave the live version serving,
// and never show the token. The CLI does the same.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startEmulator, groundTruth } from "../../js/dist/emulator/index.js";
import { CloudflareKvNamespace, KvDirectoryStore, PublishError, publishToWorkersKv } from "../../js/dist/node.js";
import { startFakeKv } from "./fake-kv.mjs";

/** @typedef {import("../../js/dist/emulator/index.js").EmulatorUser} EmulatorUser */
/** @typedef {{ code: number, stdout: string, stderr: string }} CliRun */

const CLI = fileURLToPath(new URL("../../js/bin/okta-directory.mjs", import.meta.url));
const TOKEN = "cf-test-token-0123456789abcdefghij";

/**
 * Runs the CLI with extra environment variables; resolves with its exit code and output.
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<CliRun>}
 */
function cli(args, env = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

/**
 * The last stdout line of a run, as JSON.
 * @param {CliRun} run
 */
const last = (run) => JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "");

test("publish: changed shards only, verified through the REST API; 429s retried; failures typed without the token", async () => {
  const emu = await startEmulator({ users: 3000, groups: 4, seed: 5, rateLimit: "off" });
  const fake = await startFakeKv({ token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), "od-publish-"));
  const out = join(dir, "d.snap");
  const sync = ["sync", "--org", emu.url, "--api-token", emu.apiToken, "--insecure-loopback", "--out", out, "--incremental"];
  const kvOptions = {
    accountId: fake.accountId,
    namespaceId: fake.namespaceId,
    apiToken: TOKEN,
    apiBase: fake.apiBase,
    allowInsecureLoopback: true,
    backoffMs: 1,
  };
  try {
    assert.equal((await cli(sync)).code, 0);
    const first = await publishToWorkersKv({ ...kvOptions, snapshot: new Uint8Array(readFileSync(out)), shards: 400 });
    assert.equal(first.shards, 400);
    assert.equal(first.written, 400);
    assert.equal(first.incremental, false);
    // Every shard and the frequency table in one bulk write, then the manifest in another; reads: the manifest (absent).
    assert.equal(first.requests.bulkWrites, 2);
    assert.equal(first.requests.keysWritten, 402);

    // 100 users change in Okta; an incremental sync brings the snapshot up to date.
    const truth = groundTruth(emu.env);
    const users = /** @type {EmulatorUser[]} */ (truth.users);
    const changed = users.filter((u) => u.status === "ACTIVE").slice(0, 100);
    for (const u of changed)
      await fetch(`${emu.url}/__control/users/${u.id}`, {
        method: "PATCH",
        body: JSON.stringify({ profile: { department: `Dept ${u.id.slice(-4)}`, firstName: "Republished" } }),
      });
    assert.equal((await cli(sync)).code, 0);
    fake.requests.length = 0;
    const second = await publishToWorkersKv({ ...kvOptions, snapshot: new Uint8Array(readFileSync(out)) });
    assert.equal(second.incremental, true);
    assert.equal(second.shards, 400, "the live manifest's shard count is kept");
    assert.ok(second.written > 0 && second.written <= 2 * changed.length, `written ${second.written}`);
    const bulk = fake.requests.filter((r) => r.route === "/bulk");
    assert.deepEqual(
      bulk.map((r) => r.keys),
      [second.written + 1, 1],
      "changed shards and the changed frequency table (first names changed) in one bulk write, then the manifest",
    );
    console.log(
      `# 100 changed users of ${truth.users.length}: ${second.written} of ${second.shards} shards written, ${second.requests.requests} requests`,
    );

    // Verification through the REST API: a store reading the fake finds the new values.
    const reader = new KvDirectoryStore(new CloudflareKvNamespace(kvOptions), { manifestTtlMs: 0 });
    for (const u of changed.slice(0, 5)) {
      const hit = await reader.lookup(String(u.profile.login));
      assert.equal(hit.user.id, u.id);
      assert.equal(hit.user.name.given, "Republished");
    }
    const unchanged = users.find((u) => u.status === "ACTIVE" && !changed.includes(u));
    assert.ok(unchanged, "an active user left unchanged");
    assert.equal((await reader.lookup(String(unchanged.profile.login))).user.id, unchanged.id);

    // A publish with nothing changed writes the manifest only.
    const idle = await publishToWorkersKv({ ...kvOptions, snapshot: new Uint8Array(readFileSync(out)) });
    assert.equal(idle.written, 0);
    assert.equal(idle.requests.keysWritten, 1);

    // 429 (with Retry-After) and 502 answers are retried.
    fake.state.fail429 = 2;
    fake.state.fail500 = 1;
    const retried = await publishToWorkersKv({ ...kvOptions, snapshot: new Uint8Array(readFileSync(out)) });
    assert.equal(retried.requests.retries, 3);

    // Retries exhausted: typed, and the live manifest still names the last good version.
    /** The live manifest's text, as the fake holds it. */
    const liveManifest = () => fake.data.get("okta-directory/manifest")?.bytes.toString("utf8");
    const manifest = liveManifest();
    assert.ok(manifest !== undefined, "a manifest was published");
    fake.state.fail429 = 1000;
    await assert.rejects(publishToWorkersKv({ ...kvOptions, snapshot: new Uint8Array(readFileSync(out)), maxAttempts: 3 }), (e) => {
      assert.ok(e instanceof PublishError);
      assert.equal(e.code, "KV_RETRIES_EXHAUSTED");
      assert.equal(e.name, "PublishError");
      assert.equal(e.status, 429);
      assert.doesNotMatch(`${e.message} ${e.stack}`, new RegExp(TOKEN));
      return true;
    });
    fake.state.fail429 = 0;
    assert.equal(liveManifest(), manifest);

    // A refused token: KV_API_ERROR with the status, no retry, no token in the error.
    const before = fake.requests.length;
    await assert.rejects(
      publishToWorkersKv({ ...kvOptions, apiToken: "wrong-token-0123456789", snapshot: new Uint8Array(readFileSync(out)) }),
      (e) => {
        assert.ok(e instanceof PublishError);
        assert.equal(e.code, "KV_API_ERROR");
        assert.equal(e.status, 403);
        assert.doesNotMatch(e.message, /wrong-token/);
        return true;
      },
    );
    assert.equal(fake.requests.length - before, 1);
    // The token only ever travelled in the Authorization header.
    assert.deepEqual([...fake.state.authorizations].sort(), [`Bearer ${TOKEN}`, "Bearer wrong-token-0123456789"].sort());

    // The CLI: token from the environment, never printed; an unchanged snapshot writes the manifest only.
    const run = await cli(
      [
        "publish",
        "--snapshot",
        out,
        "--account-id",
        fake.accountId,
        "--namespace-id",
        fake.namespaceId,
        "--api-base",
        fake.apiBase,
        "--insecure-loopback",
      ],
      { CLOUDFLARE_API_TOKEN: TOKEN },
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = last(run);
    assert.equal(summary.written, 0);
    assert.equal(summary.incremental, true);
    assert.equal(summary.keysWritten, 1);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(TOKEN));
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, "wrong-token-0123456789\n", { mode: 0o600 });
    const refused = await cli([
      "publish",
      "--snapshot",
      out,
      "--account-id",
      fake.accountId,
      "--namespace-id",
      fake.namespaceId,
      "--api-base",
      fake.apiBase,
      "--insecure-loopback",
      "--api-token-file",
      tokenFile,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error\[KV_API_ERROR\]: .*HTTP 403/m);
    assert.doesNotMatch(refused.stderr, /wrong-token/);
    const insecure = await cli(
      ["publish", "--snapshot", out, "--account-id", fake.accountId, "--namespace-id", fake.namespaceId, "--api-base", fake.apiBase],
      { CLOUDFLARE_API_TOKEN: TOKEN },
    );
    assert.equal(insecure.code, 1);
    assert.match(insecure.stderr, /^error\[INSECURE_ORG_URL\]/m);
    const usage = await cli(["publish", "--snapshot", out, "--account-id", fake.accountId], { CLOUDFLARE_API_TOKEN: TOKEN });
    assert.equal(usage.code, 2);
  } finally {
    await emu.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

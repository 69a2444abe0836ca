// Edge feeds, measured against the in-process emulator (BENCHMARKS.md "Edge feeds"):
// 1. Event Hook delivery → lookup: a profile change made through the emulator's control API, delivered to
//    the SDK's receiver (node:http), applied to the snapshot (user re-read from Okta + applyDirectoryDelta),
//    until `Directory.lookup` on the new snapshot shows it; then the same through the KV fast path (only the
//    changed user's shards rewritten, looked up through KvDirectoryStore), then through the Node in-memory
//    directory (`LiveDirectory`: the user's in-memory shards patched, the snapshot folded on a worker thread and
//    persisted to a file in the background; once debounced, once after every delivery). p50/p95/max over --changes changes.
// 2. A publish cycle: full sync (CLI) → publish to a local fake of the KV REST API; --changed users change;
//    incremental sync (CLI, Okta requests counted) → publish again (shards and requests counted).
//
//   node bench/edge-feeds.mjs [--users 100000] [--changed 100] [--changes 30] [--shards N] [--realism tidy|messy]
// --realism messy: the emulator's messy directory and API (mixed-case and non-ASCII logins, typed custom
// attributes, other providers, lagging search index, late System Log events…; js/src/emulator/realism.ts).
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { startEmulator, groundTruth } from "../js/dist/emulator/index.js";
import {
  Directory,
  FileStore,
  KvDirectoryStore,
  LiveDirectory,
  applyHookChanges,
  createEventHookReceiver,
  fileHookJournal,
  kvShardsApplier,
  nodeHandler,
  oktaUserFetcher,
  publishToWorkersKv,
  snapshotApplier,
  workerFold,
} from "../js/dist/node.js";
import { startFakeKv } from "../tests/publish/fake-kv.mjs";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    changed: { type: "string", default: "100" },
    changes: { type: "string", default: "30" },
    shards: { type: "string" },
    realism: { type: "string", default: "tidy" },
  },
});
const USERS = Number(values.users);
const REALISM = values.realism === "messy" ? "messy" : "tidy";
if (values.realism !== REALISM) throw new Error("--realism is tidy or messy");
const CLI = fileURLToPath(new URL("../js/bin/okta-directory.mjs", import.meta.url));
/** An in-memory KV namespace (what `KvDirectoryStore` needs of Workers KV). */
class MemoryKv {
  /** @type {Map<string, Uint8Array>} */
  data = new Map();
  /** @param {string} key */
  async get(key) {
    const v = this.data.get(key);
    return v === undefined ? null : v.slice().buffer;
  }
  /**
   * @param {string} key
   * @param {ArrayBuffer | ArrayBufferView | string} value
   */
  async put(key, value) {
    const bytes =
      typeof value === "string"
        ? new TextEncoder().encode(value)
        : value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    this.data.set(key, bytes.slice());
  }
  /** @param {string} key */
  async delete(key) {
    this.data.delete(key);
  }
}
/**
 * Runs the built CLI; its last stdout line, parsed.
 * @param {string[]} args
 * @returns {Promise<any>}
 */
const cli = (args) =>
  new Promise((resolve, reject) =>
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 1 << 26 }, (e, stdout, stderr) =>
      e ? reject(new Error(stderr)) : resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "null")),
    ),
  );
/** A control-API call (the same values: idempotent), retried: a keep-alive socket the busy emulator closed resets a try. */
const patch = async (/** @type {string} */ url, /** @type {unknown} */ body) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { method: "PATCH", body: JSON.stringify(body) });
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
};
const pct = (/** @type {number[]} */ xs, /** @type {number} */ p) =>
  xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const emu = await startEmulator({ users: USERS, groups: 20, seed: 3, rateLimit: "off", realism: REALISM });
console.log(`emulator realism: ${REALISM}`);
const dir = mkdtempSync(join(tmpdir(), "od-edge-bench-"));
const out = join(dir, "d.snap");
const sync = ["sync", "--org", emu.url, "--api-token", emu.apiToken, "--insecure-loopback", "--out", out, "--incremental"];
let okta = 0;
const take = emu.env.limiter.take;
/** @type {typeof take} */
emu.env.limiter.take = function (...a) {
  okta++;
  return take.apply(this, a);
};
try {
  const t0 = Date.now();
  const full = await cli(sync);
  console.log(`full sync: ${full.users} users, ${full.requests} requests, ${Date.now() - t0} ms`);

  // 1. Hook delivery → lookup, twice: (a) the whole snapshot rewritten per delivery (`snapshotApplier`,
  //    a lookup loads the new snapshot); (b) the fast path on a KV-published directory (`kvShardsApplier`:
  //    only the changed user's shards rewritten; a lookup reads its shard through a fresh manifest).
  const fetchUser = oktaUserFetcher({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true });
  /** @type {{ bytes: Uint8Array }} */
  const holder = { bytes: new Uint8Array(readFileSync(out)) };
  const memory = new MemoryKv();
  const shards = new KvDirectoryStore(memory);
  const initial = await shards.publishChanged(holder.bytes);
  let live = { version: initial.version, digests: initial.digests };
  /** A management-API call; a hook's lifecycle calls (idempotent) are retried after a reset socket. */
  const api = async (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body = undefined) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await fetch(`${emu.url}/api/v1/${path}`, {
          method,
          headers: { authorization: `SSWS ${emu.apiToken}`, "content-type": "application/json" },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return await r.json();
      } catch (e) {
        if (attempt >= 5 || !path.includes("/lifecycle/")) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  };
  /** @type {{ profile: { login: string }, id: string }[]} */
  const active = /** @type {any[]} */ (groundTruth(emu.env).users).filter((u) => u.status === "ACTIVE");
  let changeNo = 0;
  /**
   * Registers a hook to a receiver applying with `apply`, makes --changes profile changes one at a time and
   * times each until `given(login)` answers the new name; deactivates the hook after.
   * @param {string} label
   * @param {(changes: import("../js/dist/node.js").HookChanges) => Promise<void>} apply
   * @param {(login: string) => Promise<string | undefined>} given
   */
  async function measure(label, apply, given) {
    const receiver = createEventHookReceiver({ secret: "bench-hook-secret-0123456789", apply });
    /** @type {number[]} */
    const latencies = [];
    /** @type {number[]} */
    const applyMs = [];
    const handle = receiver.handle.bind(receiver);
    receiver.handle = async (req) => {
      const s = performance.now();
      const r = await handle(req);
      if (req.method === "POST") applyMs.push(performance.now() - s);
      return r;
    };
    const server = createServer(nodeHandler(receiver));
    await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
    const address = /** @type {import("node:net").AddressInfo} */ (server.address());
    const hook = await api("POST", "eventHooks", {
      name: `bench ${label}`,
      events: { type: "EVENT_TYPE", items: ["user.account.update_profile"] },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: {
          uri: `http://127.0.0.1:${address.port}/`,
          authScheme: { type: "HEADER", key: "Authorization", value: "bench-hook-secret-0123456789" },
        },
      },
    });
    await api("POST", `eventHooks/${hook.id}/lifecycle/verify`);
    for (let i = 0; i < Number(values.changes); i++) {
      const u = active[changeNo * 7];
      if (u === undefined) break;
      const name = `Hooked${changeNo++}`;
      const start = performance.now();
      await patch(`${emu.url}/__control/users/${u.id}`, { profile: { firstName: name } });
      while ((await given(u.profile.login)) !== name) await new Promise((r) => setTimeout(r, 1));
      latencies.push(performance.now() - start);
    }
    await api("POST", `eventHooks/${hook.id}/lifecycle/deactivate`);
    server.close();
    console.log(
      `hook delivery → lookup, ${label} (${USERS} users, ${latencies.length} changes): p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; receiver time per delivery (user read + publish) p50 ${pct(applyMs, 50).toFixed(1)} ms`,
    );
  }

  /** @type {Uint8Array | undefined} */
  let checked;
  /** @type {string | undefined} */
  let seen;
  await measure(
    "whole snapshot per delivery (snapshotApplier)",
    snapshotApplier({ snapshot: { get: () => holder.bytes, set: (b) => void (holder.bytes = b) }, fetchUser }),
    async (login) => {
      // Load the snapshot only when the receiver replaced it (a lookup needs a load: that is part of the cost).
      if (holder.bytes !== checked) {
        checked = holder.bytes;
        const d = Directory.fromSnapshot(checked);
        seen = d.lookup(login).user.name?.given;
        d.free();
      }
      return seen;
    },
  );
  let fallbacks = 0;
  await measure(
    "KV shards fast path (kvShardsApplier)",
    kvShardsApplier({
      store: shards,
      fetchUser,
      published: { get: () => live, set: (p) => void (live = p) },
      fallback: async (changes) => {
        fallbacks++;
        const applied = await applyHookChanges(holder.bytes, changes, { fetchUser });
        holder.bytes = applied.snapshot;
        const p = await shards.publishChanged(holder.bytes, { previousVersion: live.version, previousDigests: live.digests });
        live = { version: p.version, digests: p.digests };
      },
    }),
    async (login) => (await new KvDirectoryStore(memory, { manifestTtlMs: 0 }).lookup(login)).user.name?.given,
  );
  console.log(`KV fast path: ${fallbacks} deliveries fell back to the whole snapshot`);

  // (c) The Node in-memory directory: lookups read in-memory shards, a delivery patches its users' shards,
  //     the whole snapshot is persisted to a file (atomic rename) in the background, the journal first.
  for (const [label, persistQuietMs] of /** @type {const} */ ([
    ["persist debounced (2 s quiet), fold on a worker thread", 2_000],
    ["persist after every delivery, fold on a worker thread", 0],
  ])) {
    const folder = workerFold();
    const file = new FileStore(join(dir, `live-${persistQuietMs}.snap`));
    await file.save(holder.bytes);
    let t = performance.now();
    const liveDir = await LiveDirectory.open({
      snapshot: /** @type {Uint8Array} */ (await file.load()),
      fetchUser,
      store: file,
      journal: fileHookJournal(join(dir, `live-${persistQuietMs}.journal`)),
      persistQuietMs,
      fold: folder.fold,
    });
    const openMs = performance.now() - t;
    await measure(`LiveDirectory, ${label}`, liveDir.apply, async (login) => liveDir.lookup(login).user.name?.given);
    t = performance.now();
    await liveDir.flush();
    const flushMs = performance.now() - t;
    holder.bytes = await liveDir.snapshot();
    const lookups = [];
    for (let i = 0; i < 2000; i++) {
      const login = active[(i * 13) % active.length]?.profile.login ?? "";
      const s = performance.now();
      liveDir.lookup(login);
      lookups.push(performance.now() - s);
    }
    console.log(
      `LiveDirectory (${label}): open ${openMs.toFixed(0)} ms; ${liveDir.stats.patched} patched, ${liveDir.stats.rebuilt} rebuilt, ${liveDir.stats.persisted} persisted; last flush ${flushMs.toFixed(0)} ms; lookup p50 ${(pct(lookups, 50) * 1000).toFixed(1)} µs (2000 hits, first ones load their shard)`,
    );
    await liveDir.close();
    await folder.close();
  }

  // 2. Publish cycle (the hook changes above are in Okta too; the snapshot is re-synced first).
  const fake = await startFakeKv(/** @type {any} */ ({ token: "bench-token-0123456789" }));
  const kv = {
    accountId: fake.accountId,
    namespaceId: fake.namespaceId,
    apiToken: "bench-token-0123456789",
    apiBase: fake.apiBase,
    allowInsecureLoopback: true,
    maxShards: 100_000,
  };
  await cli(sync);
  let t = Date.now();
  const first = await publishToWorkersKv({
    ...kv,
    snapshot: new Uint8Array(readFileSync(out)),
    ...(values.shards ? { shards: Number(values.shards) } : {}),
  });
  console.log(
    `first publish: ${first.shards} shards written ${first.written}, ${first.requests.requests} HTTP requests (${first.requests.bulkWrites} bulk writes, ${first.requests.keysWritten} keys), ${Date.now() - t} ms`,
  );
  for (const u of active.slice(1000, 1000 + Number(values.changed))) {
    await patch(`${emu.url}/__control/users/${u.id}`, { profile: { department: "Moved", title: "Changed" } });
  }
  okta = 0;
  t = Date.now();
  const inc = await cli(sync);
  console.log(
    `incremental sync after ${values.changed} changed users: ${okta} Okta requests (token included), ${Date.now() - t} ms, mode ${inc.mode}`,
  );
  fake.requests.length = 0;
  t = Date.now();
  const second = await publishToWorkersKv({ ...kv, snapshot: new Uint8Array(readFileSync(out)) });
  console.log(
    `publish after ${values.changed} changed users: ${second.written} of ${second.shards} shards + manifest = ${second.requests.keysWritten} KV key writes in ${second.requests.bulkWrites} bulk requests; ${second.requests.requests} HTTP requests in all (${second.requests.reads} reads, ${second.requests.lists} list pages), deleted ${second.deleted}; ${Date.now() - t} ms`,
  );
  await fake.close();
} finally {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}

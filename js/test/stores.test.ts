import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  Directory,
  FileStore,
  KvDirectoryStore,
  MemoryStore,
  StoreError,
  loadDirectory,
  saveDirectory,
  type DirectoryUser,
} from "../src/node.js";
import { splitSnapshotCanonical } from "../wasm/okta_directory.js";
import { FakeKv } from "./helpers/fake-kv.js";

/** A deterministic directory full of collisions: shared emails, logins that are other users' emails, Unicode logins. */
function generated(count: number, seed = 7): { dir: Directory; hints: string[] } {
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  const names = ["anna", "bob", "josé", "zoë", "łukasz", "ÅSA", "müller", "nguyễn", "o'brien", "straße", "ｊｏｓｅ", "İlker"];
  const users: DirectoryUser[] = [];
  const hints: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = `${names[rand(names.length)]}.${i}`;
    const login = `${base}@corp.example`;
    const r = rand(10);
    // 10 % share a mailbox, 10 % use another user's login as email, the rest their own address.
    const email = r === 0 ? `shared${rand(20)}@corp.example` : r === 1 && i > 0 ? (users[rand(i)]?.login ?? login) : `${base}@mail.example`;
    const u: DirectoryUser = {
      id: `00u${i.toString(36).padStart(6, "0")}`,
      status: rand(8) === 0 ? "SUSPENDED" : "ACTIVE",
      login,
      email,
      name: { given: base },
      address: {},
      phones: {},
      custom: { badge: rand(5) === 0 ? "B-SHARED" : `B-${i}` },
    };
    if (rand(4) === 0) u.secondEmail = `alt${rand(50)}@corp.example`;
    users.push(u);
    hints.push(login, login.toUpperCase(), email, ` ${email.toUpperCase()} `, `B-${i}`, login.normalize("NFD"));
  }
  hints.push("B-SHARED", "nobody@corp.example", "", "   ", "shared3@corp.example", "alt7@corp.example", "JOSE.1@corp.example");
  const groups = [
    { id: "00gEVERYONE", name: "Everyone", type: "BUILT_IN" },
    { id: "00gWORK", name: "Workforce", type: "OKTA_GROUP" },
  ];
  const memberships = users.flatMap((u, i) => [
    { groupId: "00gEVERYONE", userId: u.id as string },
    ...(i % 3 === 0 ? [{ groupId: "00gWORK", userId: u.id as string }] : []),
  ]);
  const dir = Directory.fromSyncResult(
    { users, groups, memberships },
    {
      keys: ["login", "email", "secondEmail", "badge"],
      workforceGroup: "00gWORK",
      origin: "https://acme.okta.com",
      syncedAtMs: 1_764_000_000_000,
    },
  );
  return { dir, hints };
}

/** The outcome of a lookup as comparable JSON: the result, or the error code and message. */
async function outcome(f: () => unknown): Promise<string> {
  try {
    return JSON.stringify(await f());
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `error ${err.code}: ${err.message}`;
  }
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe("whole-snapshot stores", () => {
  it("MemoryStore round-trips a directory and keeps its own copy", async () => {
    const { dir } = generated(40);
    const store = new MemoryStore();
    expect(await loadDirectory(store)).toBeNull();
    const bytes = dir.toSnapshot();
    await store.save(bytes);
    bytes.fill(0);
    const loaded = await loadDirectory(store);
    expect(loaded?.info()).toEqual(dir.info());
    expect(loaded?.toSnapshot()).toEqual(dir.toSnapshot());
  });

  it("FileStore writes atomically through a temp file and leaves nothing else behind", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "stores-"));
    temps.push(tmp);
    const path = join(tmp, "directory.okds");
    const store = new FileStore(path);
    expect(await store.load()).toBeNull();
    const first = generated(30, 1).dir;
    await saveDirectory(store, first);
    const second = generated(50, 2).dir;
    await saveDirectory(store, second);
    expect(readdirSync(tmp)).toEqual(["directory.okds"]);
    expect(new Uint8Array(readFileSync(path))).toEqual(second.toSnapshot());
    expect((await loadDirectory(store))?.info().users).toBe(50);
  });

  it("FileStore errors are StoreErrors without the path", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "stores-"));
    temps.push(tmp);
    const store = new FileStore(join(tmp, "missing-dir", "secret-name.okds"));
    const err = await store.save(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe("STORE_FAILED");
    expect((err as Error).message).toContain("ENOENT");
    expect((err as Error).message).not.toContain("secret-name");
    // A damaged file is a SnapshotError on load, not a partial directory.
    writeFileSync(join(tmp, "bad.okds"), "not a snapshot");
    await expect(loadDirectory(new FileStore(join(tmp, "bad.okds")))).rejects.toMatchObject({ code: "SNAPSHOT_CORRUPT" });
  });
});

describe("KvDirectoryStore", () => {
  it("answers every hint exactly as the full directory, for several shard counts", async () => {
    const { dir, hints } = generated(800);
    const expected = await Promise.all(hints.map((h) => outcome(() => dir.lookup(h))));
    // The generated data really has ambiguous and not-found hints, and login-beats-email ones.
    expect(expected.filter((o) => o.startsWith("error AMBIGUOUS_LOGIN_HINT")).length).toBeGreaterThan(30);
    expect(expected.filter((o) => o.startsWith("error USER_NOT_FOUND")).length).toBeGreaterThan(1);
    expect(expected.filter((o) => o.includes('"key":"badge"')).length).toBeGreaterThan(50);
    for (const shards of [40, 97, 400]) {
      const started = performance.now();
      const kv = new FakeKv();
      const store = new KvDirectoryStore(kv);
      const published = await store.publish(dir, { shards });
      expect(published.shards).toBe(shards);
      const reader = new KvDirectoryStore(kv);
      for (const [i, hint] of hints.entries()) {
        expect(await outcome(() => reader.lookup(hint)), `hint #${i} with ${shards} shards`).toBe(expected[i]);
        // The Worker's answer, written by the core from the shard's record: the same user, key and mark.
        const answer = await outcome(async () => {
          const { userId, status, user, key, workforce, ...extra } = JSON.parse(await reader.lookupAnswerJson(hint));
          expect([userId, status]).toEqual([user.id ?? null, user.status ?? null]);
          expect(extra).toEqual({});
          // The Worker's field order is its own (userId, status, key, workforce, user); compare in lookup()'s.
          return { user, key, workforce };
        });
        expect(answer, `answer for hint #${i} with ${shards} shards`).toBe(expected[i]);
      }
      console.log(`${shards} shards: ${hints.length} lookups in ${Math.round(performance.now() - started)} ms`);
    }
  }, 120_000);

  it("reads one KV value per warm lookup, and the manifest again only after its TTL", async () => {
    const { dir } = generated(600);
    const kv = new FakeKv();
    await new KvDirectoryStore(kv).publish(dir);
    let now = 1_000;
    const reader = new KvDirectoryStore(kv, { manifestTtlMs: 30_000, now: () => now });
    const before = kv.gets;
    await outcome(() => reader.lookup("B-5"));
    expect(kv.gets - before).toBe(2); // manifest + shard
    for (let i = 10; i < 60; i++) {
      const g = kv.gets;
      await outcome(() => reader.lookup(`B-${i}`));
      expect(kv.gets - g).toBe(1);
    }
    expect(reader.stats.reads).toBe(kv.gets - before);
    now += 30_001;
    const g = kv.gets;
    await outcome(() => reader.lookup("B-70"));
    expect(kv.gets - g).toBe(2);
  });

  it("switches versions through the manifest, keeps the previous one and deletes older ones", async () => {
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv, { usersPerShard: 50 });
    const a = await store.publish(generated(300, 1).dir);
    expect(a.shards).toBe(6);
    expect(a.largestShardBytes).toBeGreaterThan(0);
    expect(kv.versions()).toEqual([a.version]);
    const b = await store.publish(generated(320, 2).dir);
    expect(kv.versions().sort()).toEqual([a.version, b.version].sort());
    expect(kv.manifest().previous?.version).toBe(a.version);
    const c = await store.publish(generated(340, 3).dir);
    expect(c.deletedVersion).toBe(a.version);
    expect(kv.versions().sort()).toEqual([b.version, c.version].sort());
    expect(kv.manifest()).toMatchObject({ version: c.version, users: 340, shards: 7, previous: { version: b.version } });

    // A reader whose cached manifest names a deleted version recovers through the fresh manifest.
    let now = 0;
    const reader = new KvDirectoryStore(kv, { now: () => now });
    await reader.lookup("B-1");
    await store.publish(generated(10, 4).dir);
    const last = generated(10, 5).dir;
    await store.publish(last); // c and then b are gone
    expect(kv.versions()).not.toContain(c.version);
    now += 1; // the cached manifest is still "fresh" by TTL
    const login = last.membersOf("00gEVERYONE")[2]?.login as string;
    expect(await reader.lookup(login)).toEqual(last.lookup(login));
  });

  it("falls back to the previous version while the new shards are not visible yet", async () => {
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv, { usersPerShard: 20 });
    const old = generated(100, 1).dir;
    await store.publish(old);
    const fresh = await store.publish(generated(100, 2).dir);
    for (const key of kv.data.keys()) if (key.includes(fresh.version)) kv.invisible.add(key);
    const reader = new KvDirectoryStore(kv);
    const hint = old.lookup("B-3").user.login as string;
    expect(await reader.lookup(hint)).toEqual(old.lookup(hint));
    // With neither version readable it is an error, never a wrong answer.
    for (const key of kv.data.keys()) kv.invisible.add(key.includes("manifest") ? "-" : key);
    await expect(new KvDirectoryStore(kv).lookup(hint)).rejects.toMatchObject({ code: "STORE_FAILED" });
  });

  it("refuses an empty store, a damaged manifest and an unknown routing scheme with typed errors", async () => {
    const kv = new FakeKv();
    await expect(new KvDirectoryStore(kv).lookup("a@b")).rejects.toMatchObject({ code: "STORE_EMPTY", name: "StoreError" });
    await kv.put("okta-directory/manifest", "{not json");
    await expect(new KvDirectoryStore(kv).lookup("a@b")).rejects.toMatchObject({ code: "SNAPSHOT_CORRUPT" });
    await new KvDirectoryStore(kv).publish(generated(20).dir);
    const m = kv.manifest();
    await kv.put("okta-directory/manifest", JSON.stringify({ ...m, routing: "md5-v9" }));
    await expect(new KvDirectoryStore(kv).lookup("a@b")).rejects.toMatchObject({ code: "SNAPSHOT_VERSION_UNSUPPORTED" });
    await kv.put("okta-directory/manifest", JSON.stringify({ ...m, shards: 0 }));
    await expect(new KvDirectoryStore(kv).lookup("a@b")).rejects.toMatchObject({ code: "SNAPSHOT_CORRUPT" });
  });

  it("sweep deletes orphaned shards of a publish that failed midway", async () => {
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv, { prefix: "t/", usersPerShard: 10 });
    await store.publish(generated(50, 1).dir);
    await store.publish(generated(50, 2).dir);
    const failing = new KvDirectoryStore(
      {
        get: (k) => kv.get(k),
        delete: (k) => kv.delete(k),
        put: async (k, v) => {
          if (k.endsWith("manifest")) throw new Error("quota");
          await kv.put(k, v);
        },
      },
      { prefix: "t/", usersPerShard: 10 },
    );
    await expect(failing.publish(generated(50, 3).dir)).rejects.toMatchObject({ code: "STORE_FAILED" });
    expect(kv.versions("t/")).toHaveLength(3);
    expect(await store.sweep()).toBe(5);
    expect(kv.versions("t/")).toEqual([kv.manifest("t/").version, kv.manifest("t/").previous?.version].sort());
  });
});

describe("KvDirectoryStore.publishChanged", () => {
  /** `switchShards`' arguments for `version` of `dir`, its 12 shards all written (`liveVersion`: when the writer started). */
  function everyShardWritten(dir: Directory, version: string, liveVersion: string | null) {
    const info = dir.info();
    return {
      version,
      shards: 12,
      keys: info.keys,
      users: info.users,
      syncedAtMs: 1,
      written: [...Array(12).keys()],
      previousVersion: null,
      liveVersion,
      largestShardBytes: 1,
      totalBytes: 1,
    };
  }

  /** The directory's users with one changed (a fresh email), rebuilt with the same groups and options. */
  function withChangedEmail(dir: Directory, index: number, email: string): Directory {
    const users = Array.from({ length: dir.info().users }, (_, i) => dir.userAt(i));
    const changed = users[index] as DirectoryUser;
    users[index] = { ...changed, email };
    const groups = [
      { id: "00gEVERYONE", name: "Everyone", type: "BUILT_IN" },
      { id: "00gWORK", name: "Workforce", type: "OKTA_GROUP" },
    ];
    const memberships = users.flatMap((u, i) => [
      { groupId: "00gEVERYONE", userId: u.id as string },
      ...(i % 3 === 0 ? [{ groupId: "00gWORK", userId: u.id as string }] : []),
    ]);
    // Another sync time: unchanged shards must still compare equal.
    return Directory.fromSyncResult(
      { users, groups, memberships },
      {
        keys: ["login", "email", "secondEmail", "badge"],
        workforceGroup: "00gWORK",
        origin: "https://acme.okta.com",
        syncedAtMs: 1_765_000_000_000,
      },
    );
  }

  it("writes only the shards whose users changed, reads through per-shard versions, and neither cleanup nor sweep deletes a shard a live manifest reads", async () => {
    const { dir, hints } = generated(600);
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv);
    const first = await store.publishChanged(dir.toSnapshot(), { shards: 40 });
    // Every shard, the frequency table (600 users) and the manifest.
    expect([first.written, first.shards, kv.puts]).toEqual([40, 40, 42]);

    // Nothing changed: only the manifest is written.
    let puts = kv.puts;
    const same = await store.publishChanged(dir.toSnapshot(), { previousDigests: first.digests, previousVersion: first.version });
    expect([same.written, kv.puts - puts]).toEqual([0, 1]);
    expect(kv.manifest().shardVersions).toEqual(Array(40).fill(first.version));

    // One user's email changes: the user sits in the shard of each key it holds (login, email, secondEmail,
    // badge), so the old and new email shards and those others at most.
    const target = dir.userAt(0);
    const changed = withChangedEmail(dir, 0, "fresh.address@elsewhere.example");
    puts = kv.puts;
    const third = await store.publishChanged(changed.toSnapshot(), { previousDigests: same.digests, previousVersion: same.version });
    expect(third.written).toBeGreaterThanOrEqual(1);
    expect(third.written).toBeLessThanOrEqual(5);
    expect(kv.puts - puts).toBe(third.written + 1);
    const reader = new KvDirectoryStore(kv);
    for (const hint of [...hints, "fresh.address@elsewhere.example", target.email as string]) {
      expect(await outcome(() => reader.lookup(hint)), hint).toBe(await outcome(() => changed.lookup(hint)));
    }

    // Every stored shard (and frequency table) is read by the live or the previous manifest, and every
    // one they read is stored.
    const read = new Set<string>();
    const m = kv.manifest();
    for (const v of [m, m.previous]) {
      v?.shardVersions?.forEach((sv, n) => {
        read.add(`okta-directory/v/${sv}/${n}`);
      });
      if (v?.frequencies !== undefined) read.add(`okta-directory/v/${v.frequencies}/frequencies`);
    }
    const stored = [...kv.data.keys()].filter((k) => k.startsWith("okta-directory/v/"));
    expect(stored.sort()).toEqual([...read].sort());
    expect(await store.sweep()).toBe(0);
    for (const hint of hints.slice(0, 100))
      expect(await outcome(() => reader.lookup(hint))).toBe(await outcome(() => changed.lookup(hint)));

    // Digests of another version than the live one are not trusted: every shard is written.
    const again = await store.publishChanged(changed.toSnapshot(), { previousDigests: third.digests, previousVersion: first.version });
    expect(again.written).toBe(40);
    changed.free();
    dir.free();
  }, 60_000);

  it("switchShards names a version written shard by shard, refuses when the live version moved, and a repeated switch is a no-op", async () => {
    const { dir, hints } = generated(300);
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv);
    const first = await store.publishChanged(dir.toSnapshot(), { shards: 12 });
    const info = dir.info();
    const version = store.newVersion();
    // One shard rewritten (same bytes, under the new version); the others stay the first version's.
    const shard3 = kv.data.get(`okta-directory/v/${first.version}/3`) as Uint8Array;
    await store.putShard(version, 3, shard3);
    const args = {
      version,
      shards: 12,
      keys: info.keys,
      users: info.users,
      syncedAtMs: 1,
      written: [3],
      liveVersion: first.version,
      largestShardBytes: first.largestShardBytes,
      totalBytes: first.totalBytes,
    };
    // The live version is not the one the digests were compared with: nothing switches.
    const puts = kv.puts;
    await expect(store.switchShards({ ...args, previousVersion: "someone-else" })).rejects.toMatchObject({ code: "STORE_FAILED" });
    expect([kv.manifest().version, kv.puts]).toEqual([first.version, puts]);

    const { manifest, stale } = await store.switchShards({ ...args, previousVersion: first.version });
    expect(manifest.shardVersions?.[3]).toBe(version);
    expect(manifest.shardVersions?.filter((v) => v === first.version)).toHaveLength(11);
    expect(manifest.frequencies).toBeUndefined();
    expect(stale).toEqual([]);
    const reader = new KvDirectoryStore(kv);
    for (const hint of hints.slice(0, 60)) expect(await outcome(() => reader.lookup(hint))).toBe(await outcome(() => dir.lookup(hint)));
    // A switch step killed after its manifest put runs again: nothing more is written.
    const again = await store.switchShards({ ...args, previousVersion: first.version });
    expect([again.manifest.version, again.stale, kv.puts]).toEqual([version, [], puts + 1]);

    // The next full switch (every shard written) returns the keys only the first version read (not those the
    // now previous version still reads from it).
    const third = store.newVersion();
    for (let n = 0; n < 12; n++) await store.putShard(third, n, kv.data.get(`okta-directory/v/${first.version}/${n}`) as Uint8Array);
    const last = await store.switchShards({
      ...args,
      version: third,
      written: [...Array(12).keys()],
      previousVersion: null,
      liveVersion: version,
    });
    expect(last.stale.sort()).toEqual([`okta-directory/v/${first.version}/3`, `okta-directory/v/${first.version}/frequencies`].sort());
    await store.deleteKeys(last.stale);
    expect(await store.sweep()).toBe(0);
    dir.free();
  }, 60_000);

  it("a slow ranged writer that wrote every shard never switches over a publish made after it started", async () => {
    const { dir, hints } = generated(300);
    const { dir: newer } = generated(300, 11);
    const kv = new FakeKv();
    const slow = new KvDirectoryStore(kv);
    const fast = new KvDirectoryStore(kv);
    const shardsOf = (d: Directory) => splitSnapshotCanonical(d.toSnapshot(), 12);
    const write = async (liveVersion: string | null) => {
      const version = slow.newVersion();
      const parts = shardsOf(dir);
      for (let n = 0; n < parts.length; n++) await slow.putShard(version, n, parts[n] as Uint8Array);
      return everyShardWritten(dir, version, liveVersion);
    };
    // A first publish: nothing was live when the slow writer started; another publish lands meanwhile.
    const firstArgs = await write(null);
    const other = await fast.publish(newer, { shards: 12 });
    await expect(slow.switchShards(firstArgs)).rejects.toMatchObject({ code: "STORE_SWITCH_CONFLICT", name: "StoreError" });
    expect(kv.manifest().version).toBe(other.version);
    // A later publish: the slow writer started from `other`, a third publish switched before it finished.
    const laterArgs = await write(other.version);
    const third = await fast.publish(newer, { shards: 12 });
    await expect(slow.switchShards(laterArgs)).rejects.toMatchObject({ code: "STORE_SWITCH_CONFLICT" });
    expect(kv.manifest().version).toBe(third.version);
    // Readers still get the newer directory, not the slow writer's older one.
    const reader = new KvDirectoryStore(kv);
    for (const hint of hints.slice(0, 40)) expect(await outcome(() => reader.lookup(hint))).toBe(await outcome(() => newer.lookup(hint)));
    // Unmoved, the same switch goes through.
    const ok = await slow.switchShards({ ...laterArgs, liveVersion: third.version });
    expect(kv.manifest().version).toBe(ok.manifest.version);
    newer.free();
    dir.free();
  }, 60_000);

  it("a ranged switch killed after its manifest put still lets the caller delete the version before the previous", async () => {
    const { dir } = generated(300);
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv);
    const first = await store.publish(dir, { shards: 12 });
    const second = await store.publish(dir, { shards: 12 });
    const version = store.newVersion();
    const parts = splitSnapshotCanonical(dir.toSnapshot(), 12);
    for (let n = 0; n < parts.length; n++) await store.putShard(version, n, parts[n] as Uint8Array);
    const args = everyShardWritten(dir, version, second.version);
    // The checkpoint the caller keeps (a Worker's R2 object) gets the stale keys before the manifest put.
    let recorded: string[] = [];
    const killed = new KvDirectoryStore(kv);
    await killed.switchShards({
      ...args,
      onStale: async (keys) => {
        recorded = [...keys];
      },
    });
    // The step is killed here (its result lost) and runs again: the repeated switch has nothing more to say.
    const retry = await store.switchShards({ ...args, onStale: async () => {} });
    expect([retry.manifest.version, retry.stale]).toEqual([version, []]);
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((k) => k.startsWith(`okta-directory/v/${first.version}/`))).toBe(true);
    await store.deleteKeys(recorded);
    // Nothing of the first version is left.
    expect(await store.sweep()).toBe(0);
    dir.free();
  }, 60_000);

  it("a manifest read KV refuses fails a publish (nothing written, the live version kept); a damaged manifest is replaced", async () => {
    const { dir } = generated(300);
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv);
    const first = await store.publishChanged(dir.toSnapshot(), { shards: 12 });
    const second = await store.publishChanged(dir.toSnapshot(), {
      shards: 12,
      previousVersion: first.version,
      previousDigests: first.digests,
    });
    // KV refuses the next manifest read once (a transient failure), as a Worker's binding may.
    let failures = 0;
    const flaky = new KvDirectoryStore({
      get: async (key) => {
        if (key.endsWith("/manifest") && failures++ === 0) throw new Error("KV GET failed: 503");
        return kv.get(key);
      },
      put: (k, v) => kv.put(k, v),
      delete: (k) => kv.delete(k),
    });
    const puts = kv.puts;
    const deletes = kv.deletes;
    await expect(flaky.manifestForPublish()).rejects.toMatchObject({ code: "STORE_FAILED", name: "StoreError" });
    expect((await flaky.manifestForPublish())?.version).toBe(second.version);
    for (const attempt of [
      () => flaky.publishChanged(dir.toSnapshot(), { previousVersion: second.version, previousDigests: second.digests }),
      () => flaky.publish(dir, { shards: 12 }),
      // A ranged writer that took the failed read for "nothing published".
      () => flaky.switchShards(everyShardWritten(dir, flaky.newVersion(), null)),
    ]) {
      failures = 0;
      await expect(attempt()).rejects.toMatchObject({ code: "STORE_FAILED" });
      // Not taken for "nothing published": no shard rewritten, the live version and its previous one kept.
      expect([kv.puts, kv.deletes]).toEqual([puts, deletes]);
      expect([kv.manifest().version, kv.manifest().previous?.version]).toEqual([second.version, first.version]);
    }
    // Retried, the publish compares digests with the live version: nothing changed, no shard written.
    const retried = await flaky.publishChanged(dir.toSnapshot(), { previousVersion: second.version, previousDigests: second.digests });
    expect(retried.written).toBe(0);
    // A shard patch over a failed read fails too (retried by its caller), nothing written.
    const patch = async () => new Map<number, Uint8Array>();
    const writes = [kv.puts, kv.deletes];
    failures = 0;
    await expect(flaky.patchShards(patch, { previousVersion: retried.version, previousDigests: retried.digests })).rejects.toMatchObject({
      code: "STORE_FAILED",
    });
    expect([kv.puts, kv.deletes]).toEqual(writes);
    // A damaged manifest (or one of another format) is still replaced by a publish that writes every shard; a shard
    // patch over it is refused (null, nothing written: only a whole publish is right).
    for (const damaged of ["{not json", JSON.stringify({ ...kv.manifest(), routing: "md5-v9" })]) {
      await kv.put("okta-directory/manifest", damaged);
      expect(await store.manifestForPublish()).toBeNull();
      const before = kv.puts;
      expect(await store.patchShards(patch, { previousVersion: retried.version, previousDigests: retried.digests })).toBeNull();
      expect(kv.puts).toBe(before);
      const replaced = await store.publishChanged(dir.toSnapshot(), {
        shards: 12,
        previousVersion: retried.version,
        previousDigests: retried.digests,
      });
      expect([replaced.written, kv.manifest().version]).toEqual([12, replaced.version]);
    }
    dir.free();
  }, 60_000);

  it("switchShards publishes a frequency table: the live key when unchanged, else a write under the new version", async () => {
    const { dir } = generated(300);
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv);
    const first = await store.publishChanged(dir.toSnapshot(), { shards: 12 });
    const table = dir.frequencyTable() as Uint8Array;
    expect(table).toBeDefined();
    const info = dir.info();
    const args = { shards: 12, keys: info.keys, users: info.users, syncedAtMs: 1, written: [], largestShardBytes: 1, totalBytes: 1 };
    // The same table as the live one: named by its key, not written again.
    const puts = kv.puts;
    const same = await store.switchShards({
      ...args,
      version: store.newVersion(),
      previousVersion: first.version,
      liveVersion: first.version,
      frequencies: table,
    });
    expect([same.manifest.frequencies, kv.puts]).toEqual([first.version, puts + 1]);
    // Another table: written under the new version, and the matcher's reader gets it.
    const other = table.slice();
    other[0] = (other[0] as number) ^ 1;
    const version = store.newVersion();
    const changed = await store.switchShards({
      ...args,
      version,
      previousVersion: same.manifest.version,
      liveVersion: same.manifest.version,
      frequencies: other,
    });
    expect(changed.manifest.frequencies).toBe(version);
    expect(changed.manifest.frequenciesDigest).not.toBe(same.manifest.frequenciesDigest);
    expect(await new KvDirectoryStore(kv).frequencyTable()).toEqual(other);
    dir.free();
  }, 60_000);
});

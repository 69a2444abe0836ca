// Attacks on the Event Hook fast path for KV shards (`patchKvShards`), review of 2026-12-07, second pass, written
// against branch `edge-incr` (shard patches for every change kind): a delivery holds ids and event types only, and
// only Okta's user read may decide what a shard holds. Both cases hold on the code they were written on (a
// deletion or a membership change there falls back to the whole-snapshot run); see SECURITY.md.
import { describe, expect, it } from "vitest";
import { Directory, KvDirectoryStore, normalizeUser, patchKvShards, type KvNamespaceLike } from "../src/node.js";

class CountingKv implements KvNamespaceLike {
  readonly data = new Map<string, Uint8Array>();
  shardReads = 0;
  async get(key: string): Promise<ArrayBuffer | null> {
    if (/\/v\/[^/]+\/\d+$/.test(key)) this.shardReads++;
    const v = this.data.get(key);
    return v === undefined ? null : v.slice().buffer;
  }
  async put(key: string, value: ArrayBuffer | ArrayBufferView | string): Promise<void> {
    const bytes =
      typeof value === "string"
        ? new TextEncoder().encode(value)
        : value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    this.data.set(key, bytes.slice());
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

interface OktaUser {
  id: string;
  status: string;
  profile: Record<string, string>;
}

async function published(shards: number) {
  const okta = new Map<string, OktaUser>();
  for (let i = 0; i < 400; i++) {
    const id = `00u${String(i).padStart(5, "0")}`;
    okta.set(id, {
      id,
      status: "ACTIVE",
      profile: { login: `user${i}@acme.example`, email: `user${i}@acme.example`, firstName: "Ann", lastName: `Lee${i}` },
    });
  }
  const users = [...okta.values()].map((u) => normalizeUser(u).user);
  const memberships = users.filter((_, i) => i % 3 === 0).map((u) => ({ groupId: "00gWORK", userId: u.id as string }));
  const dir = Directory.fromSyncResult(
    { users, groups: [{ id: "00gWORK", name: "Workforce", type: "OKTA_GROUP" }], memberships },
    { workforceGroup: "00gWORK", syncedAtMs: 1_765_000_000_000 },
  );
  const kv = new CountingKv();
  const store = new KvDirectoryStore(kv);
  try {
    const base = await store.publishChanged(dir.toSnapshot(), { shards });
    const fetchUser = async (id: string) => {
      const u = okta.get(id);
      return u === undefined ? null : structuredClone(u);
    };
    return { kv, store, base, fetchUser, options: { fetchUser, previousVersion: base.version, previousDigests: base.digests } };
  } finally {
    dir.free();
  }
}

describe("patchKvShards under attack", () => {
  it("a delivered deletion of a user Okta still has removes nothing (only Okta's read decides)", async () => {
    const { kv, options } = await published(24);
    // A forged or misordered `user.lifecycle.delete.completed`: Okta answers the user (status ACTIVE).
    await patchKvShards(new KvDirectoryStore(kv), [{ upsertUserIds: [], deletedUserIds: ["00u00007"], membershipChanges: [] }], options);
    const reader = new KvDirectoryStore(kv);
    expect((await reader.lookup("user7@acme.example")).user.id).toBe("00u00007");
  });

  it("a membership change of a group the shards do not keep does not read every shard", async () => {
    // Shards keep only the Workforce group's memberships. A directory published in ranges has thousands of
    // shards, and a Worker invocation may make 1000 subrequests: one delivery per group change must not scan.
    const { kv, store, options } = await published(200);
    const before = kv.shardReads;
    await patchKvShards(
      store,
      [{ upsertUserIds: [], deletedUserIds: [], membershipChanges: [{ groupId: "00gSALES", userId: "00u00011", added: true }] }],
      options,
    );
    expect(kv.shardReads - before).toBeLessThanOrEqual(4);
  });
});

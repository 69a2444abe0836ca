// The Event Hook fast path for a KV-published directory (`patchKvShards`): a changed user is re-read and
// replaced in its shards only, giving the shards a whole-snapshot publish gives; anything a shard patch
// cannot express (new, deleted or moved users, memberships, a stale base, a forged id) writes nothing.
import { describe, expect, it } from "vitest";
import {
  Directory,
  KvDirectoryStore,
  applyHookChanges,
  kvShardsApplier,
  normalizeUser,
  patchKvShards,
  type ShardChanges,
} from "../src/node.js";
import { FakeKv } from "./helpers/fake-kv.js";

interface OktaUser {
  id: string;
  status: string;
  profile: Record<string, string>;
}

function oktaUsers(n: number): Map<string, OktaUser> {
  const out = new Map<string, OktaUser>();
  for (let i = 0; i < n; i++) {
    const id = `00u${String(i).padStart(5, "0")}`;
    out.set(id, {
      id,
      status: "ACTIVE",
      profile: { login: `user${i}@acme.example`, email: `user${i}@acme.example`, firstName: `Ann${i % 17}`, lastName: `Lee${i % 29}` },
    });
  }
  return out;
}

function snapshotOf(okta: Map<string, OktaUser>): Uint8Array {
  const users = [...okta.values()].map((u) => normalizeUser(u).user);
  const groups = [{ id: "00gWORK", name: "Workforce", type: "OKTA_GROUP" }];
  const memberships = users.filter((_, i) => i % 3 === 0).map((u) => ({ groupId: "00gWORK", userId: u.id as string }));
  const dir = Directory.fromSyncResult({ users, groups, memberships }, { workforceGroup: "00gWORK", syncedAtMs: 1_765_000_000_000 });
  try {
    return dir.toSnapshot();
  } finally {
    dir.free();
  }
}

const upsert = (...ids: string[]): ShardChanges => ({ upsertUserIds: ids, deletedUserIds: [], membershipChanges: [] });

async function setup() {
  const okta = oktaUsers(300);
  const snapshot = snapshotOf(okta);
  const kv = new FakeKv();
  const store = new KvDirectoryStore(kv);
  const base = await store.publishChanged(snapshot, { shards: 24 });
  const reads: string[] = [];
  const fetchUser = async (id: string) => {
    reads.push(id);
    const u = okta.get(id);
    return u === undefined ? null : structuredClone(u);
  };
  return { okta, snapshot, kv, store, base, fetchUser, reads };
}

describe("patchKvShards (Event Hook fast path)", () => {
  it("rewrites only the changed users' shards, and a whole-snapshot publish afterwards rewrites none", async () => {
    const { okta, snapshot, kv, store, base, fetchUser, reads } = await setup();
    const a = okta.get("00u00005") as OktaUser;
    const b = okta.get("00u00120") as OktaUser;
    a.profile.firstName = "Zoë";
    b.profile.lastName = "Okonkwo-Smith";
    b.status = "SUSPENDED";
    const puts = kv.puts;
    const fast = await patchKvShards(store, [upsert(a.id), upsert(b.id, a.id)], {
      fetchUser,
      previousVersion: base.version,
      previousDigests: base.digests,
    });
    expect(fast).not.toBeNull();
    if (fast === null) return;
    expect(reads).toEqual([a.id, b.id]);
    expect(fast.written).toBeGreaterThanOrEqual(1);
    expect(fast.written).toBeLessThanOrEqual(4);
    expect(kv.puts - puts).toBe(fast.written + 1);
    const reader = new KvDirectoryStore(kv);
    expect((await reader.lookup(a.profile.login as string)).user.name?.given).toBe("Zoë");
    expect((await reader.lookup(b.profile.login as string)).user.status).toBe("SUSPENDED");

    // The same changes through the whole snapshot: every shard's digest equals the fast path's.
    const applied = await applyHookChanges(snapshot, { eventId: "x", events: [], ...upsert(a.id, b.id) }, { fetchUser });
    const whole = await store.publishChanged(applied.snapshot, { previousVersion: fast.version, previousDigests: fast.digests });
    expect(whole.written).toBe(0);
    expect(whole.digests).toEqual(fast.digests);
  });

  it("writes nothing for what a shard patch cannot express", async () => {
    const { okta, kv, store, base, fetchUser } = await setup();
    const options = { fetchUser, previousVersion: base.version, previousDigests: base.digests };
    const puts = kv.puts;
    // Deleted, a membership, a user Okta no longer has, a user the directory does not have yet.
    expect(await patchKvShards(store, [{ ...upsert(), deletedUserIds: ["00u00001"] }], options)).toBeNull();
    expect(
      await patchKvShards(store, [{ ...upsert(), membershipChanges: [{ groupId: "00gWORK", userId: "00u00001", added: true }] }], options),
    ).toBeNull();
    expect(await patchKvShards(store, [upsert("00u99999")], options)).toBeNull();
    okta.set("00u77777", { id: "00u77777", status: "ACTIVE", profile: { login: "new@acme.example", email: "new@acme.example" } });
    expect(await patchKvShards(store, [upsert("00u77777")], options)).toBeNull();
    // A login change that routes the user to other shards.
    const moved = okta.get("00u00002") as OktaUser;
    moved.profile.login = "renamed.person@acme.example";
    moved.profile.email = "renamed.person@acme.example";
    expect(await patchKvShards(store, [upsert(moved.id)], options)).toBeNull();
    // Okta answering another id than the event named (a forged or confused read).
    const forged = async () => ({ ...(okta.get("00u00003") as OktaUser), id: "00u00004" });
    expect(await patchKvShards(store, [upsert("00u00003")], { ...options, fetchUser: forged })).toBeNull();
    // A base that is not the live version.
    expect(await patchKvShards(store, [upsert("00u00006")], { ...options, previousVersion: "old-version" })).toBeNull();
    expect(kv.puts).toBe(puts);
  });

  it("kvShardsApplier: a profile change through the shards (the live version advances), a membership to the fallback", async () => {
    const { okta, kv, store, base, fetchUser } = await setup();
    let live = { version: base.version, digests: base.digests };
    const fallback: ShardChanges[] = [];
    const apply = kvShardsApplier({
      store,
      fetchUser,
      published: { get: () => live, set: (p) => void (live = p) },
      fallback: async (changes) => void fallback.push(changes),
    });
    const user = okta.get("00u00009") as OktaUser;
    user.profile.firstName = "Ngozi";
    await apply({ eventId: "d1", events: [], ...upsert(user.id) });
    expect(live.version).not.toBe(base.version);
    expect(fallback).toEqual([]);
    expect((await new KvDirectoryStore(kv).lookup(user.profile.login as string)).user.name?.given).toBe("Ngozi");
    const membership = { ...upsert(), membershipChanges: [{ groupId: "00gWORK", userId: user.id, added: false }] };
    const version = live.version;
    await apply({ eventId: "d2", events: [], ...membership });
    expect(fallback).toEqual([{ eventId: "d2", events: [], ...membership }]);
    expect(live.version).toBe(version);
  });
});

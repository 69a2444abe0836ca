// The Event Hook fast path for a KV-published directory (`patchKvShards`): changed, new, moved and deleted
// users and membership changes are published by rewriting their shards only, giving the shards a
// whole-snapshot publish gives; a stale base or a forged id writes nothing.
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

  /** The same changes through the whole snapshot: a publish afterwards writes no shard, every digest and the count agree. */
  async function expectSameAsWhole(
    ctx: Awaited<ReturnType<typeof setup>>,
    changes: ShardChanges,
    fast: Awaited<ReturnType<typeof patchKvShards>>,
  ) {
    expect(fast).not.toBeNull();
    if (fast === null) return;
    const applied = await applyHookChanges(ctx.snapshot, { eventId: "x", events: [], ...changes }, { fetchUser: ctx.fetchUser });
    const whole = await ctx.store.publishChanged(applied.snapshot, {
      shards: 24,
      previousVersion: fast.version,
      previousDigests: fast.digests,
    });
    expect(whole.written).toBe(0);
    expect(whole.digests).toEqual(fast.digests);
    expect(fast.users).toBe(whole.users);
  }

  it("a deleted user leaves its shards (a Workforce member, and one Okta no longer returns)", async () => {
    const ctx = await setup();
    const { okta, kv, store, base, fetchUser } = ctx;
    const gone = okta.get("00u00003") as OktaUser;
    const vanished = okta.get("00u00010") as OktaUser;
    okta.delete(vanished.id);
    // Deleted in Okta as the delivery says (a delivered deletion of a user Okta still has removes nothing).
    okta.delete(gone.id);
    const changes = { ...upsert(vanished.id), deletedUserIds: [gone.id] };
    const puts = kv.puts;
    const fast = await patchKvShards(store, [changes], { fetchUser, previousVersion: base.version, previousDigests: base.digests });
    expect(fast?.users).toBe(298);
    expect(kv.puts - puts).toBeLessThanOrEqual(2 * 2 + 1);
    const reader = new KvDirectoryStore(kv);
    await expect(reader.lookup(gone.profile.login as string)).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    await expect(reader.lookup(vanished.profile.login as string)).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    await expectSameAsWhole(ctx, changes, fast);
  });

  it("a new user lands in its shards, with its Workforce membership from the same delivery", async () => {
    const ctx = await setup();
    const { okta, kv, store, base, fetchUser } = ctx;
    okta.set("00u77777", {
      id: "00u77777",
      status: "ACTIVE",
      profile: { login: "new.hire@acme.example", email: "nh@mail.acme.example", firstName: "Mei" },
    });
    const changes = { ...upsert("00u77777"), membershipChanges: [{ groupId: "00gWORK", userId: "00u77777", added: true }] };
    const fast = await patchKvShards(store, [changes], { fetchUser, previousVersion: base.version, previousDigests: base.digests });
    expect(fast?.users).toBe(301);
    const hit = await new KvDirectoryStore(kv).lookup("new.hire@acme.example");
    expect(hit.user.id).toBe("00u77777");
    expect(hit.workforce).toBe(true);
    await expectSameAsWhole(ctx, changes, fast);
  });

  it("a user whose login and email moved to other shards leaves the old ones and keeps its Workforce mark", async () => {
    const ctx = await setup();
    const { okta, kv, store, base, fetchUser } = ctx;
    // 00u00000 is a Workforce member (every third user is).
    const moved = okta.get("00u00000") as OktaUser;
    const oldLogin = moved.profile.login as string;
    moved.profile.login = "renamed.person@acme.example";
    moved.profile.email = "renamed.person@elsewhere.example";
    const changes = upsert(moved.id);
    const fast = await patchKvShards(store, [changes], { fetchUser, previousVersion: base.version, previousDigests: base.digests });
    const reader = new KvDirectoryStore(kv);
    await expect(reader.lookup(oldLogin)).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    const hit = await reader.lookup("renamed.person@acme.example");
    expect(hit.user.id).toBe(moved.id);
    expect(hit.workforce).toBe(true);
    await expectSameAsWhole(ctx, changes, fast);
  });

  it("membership changes: Workforce marks follow, another group's leave every shard as it was", async () => {
    const ctx = await setup();
    const { okta, kv, store, base, fetchUser } = ctx;
    const joins = okta.get("00u00001") as OktaUser;
    const leaves = okta.get("00u00003") as OktaUser;
    const changes = {
      ...upsert(),
      membershipChanges: [
        { groupId: "00gWORK", userId: joins.id, added: true },
        { groupId: "00gWORK", userId: leaves.id, added: false },
        { groupId: "00gOTHER", userId: joins.id, added: true },
      ],
    };
    // Another group's membership alone: no shard holds it, nothing is written, the version stays.
    const other = await patchKvShards(
      store,
      [{ ...upsert(), membershipChanges: [{ groupId: "00gOTHER", userId: joins.id, added: true }] }],
      {
        fetchUser,
        previousVersion: base.version,
        previousDigests: base.digests,
      },
    );
    expect(other?.written).toBe(0);
    expect(other?.version).toBe(base.version);
    const fast = await patchKvShards(store, [changes], { fetchUser, previousVersion: base.version, previousDigests: base.digests });
    const reader = new KvDirectoryStore(kv);
    expect((await reader.lookup(joins.profile.login as string)).workforce).toBe(true);
    expect((await reader.lookup(leaves.profile.login as string)).workforce).toBe(false);
    await expectSameAsWhole(ctx, changes, fast);
  });

  it("reads each shard once when it learns the Workforce group from a shard (a routed shard, or shard 0 before a search)", async () => {
    const ctx = await setup();
    const { okta, kv, store, base, fetchUser } = ctx;
    const read: string[] = [];
    const get = kv.get.bind(kv);
    kv.get = async (key: string) => {
      read.push(key);
      return get(key);
    };
    /** The shard keys read more than once since `from` (the manifest aside). */
    const twice = (from: number) => {
      const shards = read.slice(from).filter((k) => !k.endsWith("/manifest"));
      return shards.filter((k, i) => shards.indexOf(k) !== i);
    };
    // A changed user who joins the Workforce group: the group is read from the user's first routed shard.
    const joins = okta.get("00u00002") as OktaUser;
    joins.profile.firstName = "Joined";
    const routed = { ...upsert(joins.id), membershipChanges: [{ groupId: "00gWORK", userId: joins.id, added: true }] };
    const first = await patchKvShards(store, [routed], { fetchUser, previousVersion: base.version, previousDigests: base.digests });
    expect(first).not.toBeNull();
    expect(twice(0)).toEqual([]);
    if (first === null) return;
    // A membership change alone (no routed shard): the group is read from shard 0, which the search reads too.
    const mark = read.length;
    const leaves = { ...upsert(), membershipChanges: [{ groupId: "00gWORK", userId: "00u00150", added: false }] };
    const second = await patchKvShards(store, [leaves], { fetchUser, previousVersion: first.version, previousDigests: first.digests });
    expect(second).not.toBeNull();
    expect(twice(mark)).toEqual([]);
    await expectSameAsWhole(ctx, { ...routed, membershipChanges: [...routed.membershipChanges, ...leaves.membershipChanges] }, second);
  });

  it("writes nothing for a forged id, a stale base, or a search beyond maxScanShards", async () => {
    const { okta, kv, store, base, fetchUser } = await setup();
    const options = { fetchUser, previousVersion: base.version, previousDigests: base.digests };
    const puts = kv.puts;
    // Okta answering another id than the event named (a forged or confused read).
    const forged = async () => ({ ...(okta.get("00u00003") as OktaUser), id: "00u00004" });
    expect(await patchKvShards(store, [upsert("00u00003")], { ...options, fetchUser: forged })).toBeNull();
    // A base that is not the live version.
    expect(await patchKvShards(store, [upsert("00u00006")], { ...options, previousVersion: "old-version" })).toBeNull();
    // A deletion needs a search of every shard: refused above `maxScanShards` (a Worker's subrequest limit).
    okta.delete("00u00008");
    expect(await patchKvShards(store, [{ ...upsert(), deletedUserIds: ["00u00008"] }], { ...options, maxScanShards: 10 })).toBeNull();
    expect(kv.puts).toBe(puts);
    expect(await patchKvShards(store, [{ ...upsert(), deletedUserIds: ["00u00008"] }], { ...options, maxScanShards: 24 })).not.toBeNull();
  });

  it("kvShardsApplier: profile and membership changes through the shards (the live version advances), a stale base to the fallback", async () => {
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
    expect(fallback).toEqual([]);
    expect(live.version).not.toBe(version);
    // A live version the applier does not know (another publisher switched it): the fallback.
    live = { version: "someone-elses", digests: live.digests };
    await apply({ eventId: "d3", events: [], ...upsert(user.id) });
    expect(fallback).toEqual([{ eventId: "d3", events: [], ...upsert(user.id) }]);
  });
});

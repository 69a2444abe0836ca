// The live in-memory directory for Event Hooks in Node (`LiveDirectory`): a profile change patches only its
// shards and is visible at once; what shards cannot express rebuilds; the state always equals a full re-sync
// of the same Okta state (shard by shard, and the persisted snapshot); a redelivery changes nothing; a crash
// between apply and persist, or mid-persist, loses nothing and leaves the previous snapshot intact.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  Directory,
  FileStore,
  LiveDirectory,
  createEventHookReceiver,
  fileHookJournal,
  normalizeUser,
  workerFold,
  type HookChanges,
  type HookRequest,
} from "../src/node.js";
import { applyDirectoryDelta, splitSnapshotCanonical } from "../wasm/okta_directory.js";

interface OktaUser {
  id: string;
  status: string;
  profile: Record<string, string>;
}

interface Okta {
  users: Map<string, OktaUser>;
  /** `${groupId}\n${userId}` */
  memberships: Set<string>;
}

const WORK = "00gWORK";
const SALES = "00gSALES";

function oktaOf(n: number): Okta {
  const users = new Map<string, OktaUser>();
  const memberships = new Set<string>();
  for (let i = 0; i < n; i++) {
    const id = `00u${String(i).padStart(5, "0")}`;
    users.set(id, {
      id,
      status: "ACTIVE",
      profile: { login: `user${i}@acme.example`, email: `user${i}@acme.example`, firstName: `Ann${i % 17}`, lastName: `Lee${i % 29}` },
    });
    if (i % 3 === 0) memberships.add(`${WORK}\n${id}`);
    if (i % 5 === 0) memberships.add(`${SALES}\n${id}`);
  }
  return { users, memberships };
}

/** A full sync of `okta`'s current state, as a snapshot. */
function fullSync(okta: Okta): Uint8Array {
  const users = [...okta.users.values()].map((u) => normalizeUser(u).user);
  const groups = [
    { id: WORK, name: "Workforce", type: "OKTA_GROUP" },
    { id: SALES, name: "Sales", type: "OKTA_GROUP" },
  ];
  const memberships = [...okta.memberships].map((k) => {
    const [groupId, userId] = k.split("\n") as [string, string];
    return { groupId, userId };
  });
  const dir = Directory.fromSyncResult({ users, groups, memberships }, { workforceGroup: WORK, syncedAtMs: 1_765_000_000_000 });
  try {
    return dir.toSnapshot();
  } finally {
    dir.free();
  }
}

const changes = (eventId: string, c: Partial<Omit<HookChanges, "eventId" | "events">>): HookChanges => ({
  eventId,
  events: [],
  upsertUserIds: c.upsertUserIds ?? [],
  deletedUserIds: c.deletedUserIds ?? [],
  membershipChanges: c.membershipChanges ?? [],
});

const fetcher =
  (okta: Okta, reads: string[] = []) =>
  async (id: string) => {
    reads.push(id);
    const u = okta.users.get(id);
    return u === undefined ? null : structuredClone(u);
  };

/** The live directory equals a full re-sync of `okta`: every canonical shard, and the groups of `ids`. */
async function expectEqualsResync(live: LiveDirectory, okta: Okta, ids: string[]): Promise<void> {
  const expected = splitSnapshotCanonical(fullSync(okta), live.shardCount);
  expect(expected.length).toBe(live.shardCount);
  for (let n = 0; n < live.shardCount; n++) expect(live.shard(n), `shard ${n}`).toEqual(expected[n]);
  expectSnapshotEquals(await live.snapshot(), okta, ids);
}

/** A whole snapshot equals a full re-sync of `okta` (canonical form: the sync time aside) and their groups agree. */
function expectSnapshotEquals(snapshot: Uint8Array, okta: Okta, ids: string[]): void {
  expect(splitSnapshotCanonical(snapshot, 1)).toEqual(splitSnapshotCanonical(fullSync(okta), 1));
  const got = Directory.fromSnapshot(snapshot);
  const want = Directory.fromSnapshot(fullSync(okta));
  try {
    expect(got.info().memberships).toBe(want.info().memberships);
    for (const id of ids) expect(got.groupsOf(id), id).toEqual(want.groupsOf(id));
  } finally {
    got.free();
    want.free();
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "od-live-"));
  dirs.push(d);
  return d;
}

describe("LiveDirectory (Event Hooks in Node)", () => {
  it("a profile change patches only its shards, is visible at once, and persisting waits for flush", async () => {
    const okta = oktaOf(600);
    const saves: Uint8Array[] = [];
    const reads: string[] = [];
    const live = await LiveDirectory.open({
      snapshot: fullSync(okta),
      fetchUser: fetcher(okta, reads),
      store: { save: async (s) => void saves.push(s) },
      persistQuietMs: 60_000,
    });
    expect(live.shardCount).toBe(5);
    expect(live.lookup("user7@acme.example").user.name?.given).toBe("Ann7");
    const before = Array.from({ length: live.shardCount }, (_, n) => live.shard(n));
    const u = okta.users.get("00u00007") as OktaUser;
    u.profile.firstName = "Zoë";
    u.status = "SUSPENDED";
    await live.apply(changes("d1", { upsertUserIds: [u.id] }));
    expect(reads).toEqual([u.id]);
    expect(live.stats).toMatchObject({ patched: 1, rebuilt: 0, persisted: 0 });
    expect(live.lookup("user7@acme.example").user.name?.given).toBe("Zoë");
    expect(JSON.parse(live.lookupAnswerJson("USER7@acme.example"))).toMatchObject({ userId: u.id, status: "SUSPENDED" });
    // Only the changed user's shards are new objects.
    const changed = before.filter((b, n) => b !== live.shard(n)).length;
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(changed).toBeLessThanOrEqual(2);
    expect(saves).toHaveLength(0);
    // A membership of a group shards do not hold is a patch too (nothing to rewrite in them).
    okta.memberships.add(`${SALES}\n${u.id}`);
    await live.apply(changes("d2", { membershipChanges: [{ groupId: SALES, userId: u.id, added: true }] }));
    expect(live.stats).toMatchObject({ patched: 2, rebuilt: 0 });
    await expectEqualsResync(live, okta, [u.id, "00u00000"]);
    await live.flush();
    expect(saves).toHaveLength(1);
    expectSnapshotEquals(saves[0] as Uint8Array, okta, [u.id]);
    await live.flush();
    expect(saves).toHaveLength(1);
    await live.close();
  });

  it("new, deleted and moved users and Workforce memberships rebuild, and still equal a full re-sync", async () => {
    const okta = oktaOf(400);
    const live = await LiveDirectory.open({ snapshot: fullSync(okta), fetchUser: fetcher(okta) });
    // Interleaved with patches, so pending deltas and rebuilds mix.
    (okta.users.get("00u00001") as OktaUser).profile.lastName = "Okonkwo";
    await live.apply(changes("a", { upsertUserIds: ["00u00001"] }));
    okta.users.set("00u99999", {
      id: "00u99999",
      status: "STAGED",
      profile: { login: "new@acme.example", email: "new@acme.example", firstName: "Neo", lastName: "N" },
    });
    await live.apply(changes("b", { upsertUserIds: ["00u99999"] }));
    const moved = okta.users.get("00u00002") as OktaUser;
    moved.profile.login = "renamed@acme.example";
    moved.profile.email = "renamed@acme.example";
    await live.apply(changes("c", { upsertUserIds: ["00u00002"] }));
    okta.users.delete("00u00004");
    await live.apply(changes("d", { deletedUserIds: ["00u00004"] }));
    okta.users.delete("00u00005"); // gone from Okta when re-read: removed
    await live.apply(changes("e", { upsertUserIds: ["00u00005"] }));
    okta.memberships.add(`${WORK}\n00u00001`);
    okta.memberships.delete(`${WORK}\n00u00003`);
    await live.apply(
      changes("f", {
        membershipChanges: [
          { groupId: WORK, userId: "00u00001", added: true },
          { groupId: WORK, userId: "00u00003", added: false },
        ],
      }),
    );
    (okta.users.get("00u00010") as OktaUser).profile.firstName = "Late";
    await live.apply(changes("g", { upsertUserIds: ["00u00010"] }));
    expect(live.stats.rebuilt).toBeGreaterThanOrEqual(4);
    expect(live.stats.patched).toBeGreaterThanOrEqual(2);
    expect(live.lookup("new@acme.example").user.id).toBe("00u99999");
    expect(live.lookup("renamed@acme.example").user.id).toBe("00u00002");
    expect(() => live.lookup("user2@acme.example")).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
    expect(() => live.lookup("user4@acme.example")).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
    expect(JSON.parse(live.lookupAnswerJson("user1@acme.example"))).toMatchObject({ workforce: true });
    expect(JSON.parse(live.lookupAnswerJson("user3@acme.example"))).toMatchObject({ workforce: false });
    await expectEqualsResync(live, okta, ["00u00001", "00u00003", "00u99999"]);
  });

  it("a redelivery is applied once by the receiver, and applying the same changes again changes nothing", async () => {
    const okta = oktaOf(300);
    const reads: string[] = [];
    const live = await LiveDirectory.open({ snapshot: fullSync(okta), fetchUser: fetcher(okta, reads) });
    const secret = "live-hook-secret-0123456789";
    const receiver = createEventHookReceiver({ secret, apply: live.apply });
    (okta.users.get("00u00009") as OktaUser).profile.firstName = "Once";
    const body = JSON.stringify({
      eventType: "com.okta.event_hook",
      eventId: "evt-1",
      data: {
        events: [
          {
            uuid: "u-1",
            published: "2026-12-07T05:00:00.000Z",
            eventType: "user.account.update_profile",
            outcome: { result: "SUCCESS" },
            target: [{ id: "00u00009", type: "User" }],
          },
        ],
      },
    });
    const req = (): HookRequest => ({
      method: "POST",
      header: (n) => (n.toLowerCase() === "authorization" ? secret : undefined),
      text: async () => body,
    });
    expect(JSON.parse((await receiver.handle(req())).body)).toEqual({ applied: 1, duplicate: false });
    expect(JSON.parse((await receiver.handle(req())).body)).toEqual({ applied: 0, duplicate: true });
    expect(reads).toEqual(["00u00009"]);
    const shards = Array.from({ length: live.shardCount }, (_, n) => live.shard(n));
    // Memory lost (a restart without the seen set): the same changes again leave every shard's bytes as they were.
    await live.apply(changes("evt-1", { upsertUserIds: ["00u00009"] }));
    for (let n = 0; n < live.shardCount; n++) expect(live.shard(n)).toBe(shards[n]);
    expect(live.lookup("user9@acme.example").user.name?.given).toBe("Once");
    await expectEqualsResync(live, okta, ["00u00009"]);
  });

  it("a crash between apply and persist: reopening replays the journal; nothing acknowledged is lost", async () => {
    const dir = tempDir();
    const file = new FileStore(join(dir, "d.snap"));
    const journalPath = join(dir, "hooks.journal");
    const okta = oktaOf(300);
    const first = fullSync(okta);
    await file.save(first);
    const live = await LiveDirectory.open({
      snapshot: (await file.load()) as Uint8Array,
      fetchUser: fetcher(okta),
      store: file,
      journal: fileHookJournal(journalPath),
      persistQuietMs: 60_000,
    });
    (okta.users.get("00u00011") as OktaUser).profile.firstName = "Kept";
    await live.apply(changes("p1", { upsertUserIds: ["00u00011"] }));
    okta.users.delete("00u00012");
    await live.apply(changes("p2", { deletedUserIds: ["00u00012"] }));
    okta.memberships.add(`${SALES}\n00u00011`);
    await live.apply(changes("p3", { membershipChanges: [{ groupId: SALES, userId: "00u00011", added: true }] }));
    // The crash: the process dies here, before any persist (the instance is simply dropped).
    expect(readFileSync(join(dir, "d.snap"))).toEqual(Buffer.from(first));
    const journal = readFileSync(journalPath, "utf8");
    expect(journal.trim().split("\n")).toHaveLength(3);
    expect(journal).not.toContain("Kept");
    expect(journal).not.toContain("acme.example");
    // A torn last line (a crash mid-append of a delivery never acknowledged) is skipped.
    writeFileSync(journalPath, `${journal}{"seq":4,"eventId":"p4","upsertUse`);

    const reopened = await LiveDirectory.open({
      snapshot: (await file.load()) as Uint8Array,
      fetchUser: fetcher(okta),
      store: file,
      journal: fileHookJournal(journalPath),
    });
    expect(reopened.stats.replayed).toBe(3);
    expect(reopened.stats.persisted).toBe(1);
    expect(readFileSync(journalPath, "utf8")).toBe("");
    expect(reopened.lookup("user11@acme.example").user.name?.given).toBe("Kept");
    await expectEqualsResync(reopened, okta, ["00u00011"]);
    expectSnapshotEquals(new Uint8Array(readFileSync(join(dir, "d.snap"))), okta, ["00u00011"]);
    await reopened.close();
  });

  it("a crash mid-persist leaves the previous snapshot and the journal intact; the retry persists everything", async () => {
    const dir = tempDir();
    const path = join(dir, "d.snap");
    const file = new FileStore(path);
    const journalPath = join(dir, "hooks.journal");
    const okta = oktaOf(300);
    const first = fullSync(okta);
    await file.save(first);
    let failing = true;
    const live = await LiveDirectory.open({
      snapshot: first,
      fetchUser: fetcher(okta),
      // The save dies after writing a partial temp file, before the rename (what a crash there leaves).
      store: {
        save: async (s) => {
          if (!failing) return file.save(s);
          writeFileSync(join(dir, ".d.snap.partial"), s.subarray(0, s.byteLength >> 1));
          throw new Error("killed mid-persist");
        },
      },
      journal: fileHookJournal(journalPath),
      persistQuietMs: 60_000,
    });
    (okta.users.get("00u00020") as OktaUser).profile.firstName = "Mid";
    await live.apply(changes("m1", { upsertUserIds: ["00u00020"] }));
    await expect(live.flush()).rejects.toThrow("killed mid-persist");
    expect(readFileSync(path)).toEqual(Buffer.from(first));
    expect(readFileSync(journalPath, "utf8").trim().split("\n")).toHaveLength(1);
    // Lookups go on with the change.
    expect(live.lookup("user20@acme.example").user.name?.given).toBe("Mid");
    // Restart from disk: the previous snapshot plus the journal give the same state.
    const reopened = await LiveDirectory.open({ snapshot: new Uint8Array(readFileSync(path)), fetchUser: fetcher(okta) });
    expect(reopened.lookup("user20@acme.example").user.name?.given).toBe("Ann3");
    const replay = await LiveDirectory.open({
      snapshot: new Uint8Array(readFileSync(path)),
      fetchUser: fetcher(okta),
      journal: { ...fileHookJournal(journalPath), forget: async () => undefined },
    });
    expect(replay.lookup("user20@acme.example").user.name?.given).toBe("Mid");
    // Or the same process retries: the snapshot then holds the change and the journal forgets it.
    failing = false;
    await live.flush();
    expect(readFileSync(journalPath, "utf8")).toBe("");
    expectSnapshotEquals(new Uint8Array(readFileSync(path)), okta, ["00u00020"]);
  });

  it("persists in the background once deliveries pause", async () => {
    const okta = oktaOf(200);
    const saves: Uint8Array[] = [];
    const live = await LiveDirectory.open({
      snapshot: fullSync(okta),
      fetchUser: fetcher(okta),
      store: { save: async (s) => void saves.push(s) },
      persistQuietMs: 20,
    });
    (okta.users.get("00u00030") as OktaUser).profile.firstName = "Bg";
    await live.apply(changes("b1", { upsertUserIds: ["00u00030"] }));
    expect(saves).toHaveLength(0);
    for (let i = 0; i < 100 && saves.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(saves).toHaveLength(1);
    expectSnapshotEquals(saves[0] as Uint8Array, okta, ["00u00030"]);
  });

  it("replace: a newer sync's snapshot takes over; deliveries since the last persist are applied again on it", async () => {
    const okta = oktaOf(300);
    const saves: Uint8Array[] = [];
    const live = await LiveDirectory.open({
      snapshot: fullSync(okta),
      fetchUser: fetcher(okta),
      store: { save: async (s) => void saves.push(s) },
      persistQuietMs: 60_000,
    });
    // A sync starts (it reads user 41 as it is now)…
    (okta.users.get("00u00040") as OktaUser).profile.firstName = "Synced";
    const syncedBefore = fullSync(okta);
    // …a hook changes user 41 after the sync read it, and deletes user 42.
    (okta.users.get("00u00041") as OktaUser).profile.firstName = "Hooked";
    await live.apply(changes("r1", { upsertUserIds: ["00u00041"] }));
    okta.users.delete("00u00042");
    await live.apply(changes("r2", { deletedUserIds: ["00u00042"] }));
    okta.memberships.add(`${SALES}\n00u00041`);
    await live.apply(changes("r3", { membershipChanges: [{ groupId: SALES, userId: "00u00041", added: true }] }));
    await live.replace(syncedBefore);
    expect(live.lookup("user40@acme.example").user.name?.given).toBe("Synced");
    expect(live.lookup("user41@acme.example").user.name?.given).toBe("Hooked");
    expect(() => live.lookup("user42@acme.example")).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
    await expectEqualsResync(live, okta, ["00u00041"]);
    expect(saves).toHaveLength(1);
    expectSnapshotEquals(saves[0] as Uint8Array, okta, ["00u00041"]);
    // Persisted: a later replace applies nothing again.
    const next = fullSync(okta);
    await live.replace(next);
    expect(saves.at(-1)).toBe(next);
  });

  it("deliveries go on while a persist folds; they reach lookups at once and the next persist", async () => {
    const okta = oktaOf(300);
    const saves: Uint8Array[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let folds = 0;
    const live = await LiveDirectory.open({
      snapshot: fullSync(okta),
      fetchUser: fetcher(okta),
      store: { save: async (s) => void saves.push(s) },
      persistQuietMs: 60_000,
      fold: async (s, json) => {
        folds++;
        await gate;
        return applyDirectoryDelta(s, json).snapshot;
      },
    });
    (okta.users.get("00u00050") as OktaUser).profile.firstName = "First";
    await live.apply(changes("f1", { upsertUserIds: ["00u00050"] }));
    const before = structuredClone(okta);
    const flushing = live.flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(folds).toBe(1);
    // The fold is still running: a patch and a rebuild (a new user) both go through, visible at once.
    (okta.users.get("00u00051") as OktaUser).profile.firstName = "During";
    const during = live.apply(changes("f2", { upsertUserIds: ["00u00051"] }));
    await during;
    expect(live.lookup("user51@acme.example").user.name?.given).toBe("During");
    okta.users.set("00u77777", {
      id: "00u77777",
      status: "ACTIVE",
      profile: { login: "late@acme.example", email: "late@acme.example", firstName: "L", lastName: "T" },
    });
    const rebuilt = live.apply(changes("f3", { upsertUserIds: ["00u77777"] }));
    release();
    await flushing;
    await rebuilt;
    expect(saves).toHaveLength(1);
    expectSnapshotEquals(saves[0] as Uint8Array, before, ["00u00050"]);
    await live.flush();
    expect(saves).toHaveLength(2);
    expectSnapshotEquals(saves[1] as Uint8Array, okta, ["00u00051", "00u77777"]);
    await expectEqualsResync(live, okta, ["00u77777"]);
  });

  it("workerFold folds on a worker thread: the bytes of applyDirectoryDelta; a core error stays typed", async () => {
    const okta = oktaOf(300);
    const folder = workerFold();
    try {
      const saves: Uint8Array[] = [];
      const live = await LiveDirectory.open({
        snapshot: fullSync(okta),
        fetchUser: fetcher(okta),
        store: { save: async (s) => void saves.push(s) },
        persistQuietMs: 60_000,
        fold: folder.fold,
      });
      (okta.users.get("00u00060") as OktaUser).profile.firstName = "Worker";
      await live.apply(changes("w1", { upsertUserIds: ["00u00060"] }));
      okta.memberships.add(`${SALES}\n00u00060`);
      await live.apply(changes("w2", { membershipChanges: [{ groupId: SALES, userId: "00u00060", added: true }] }));
      await live.flush();
      expect(saves).toHaveLength(1);
      expectSnapshotEquals(saves[0] as Uint8Array, okta, ["00u00060"]);
      const json = JSON.stringify({ upsertUsers: [], removeUsers: ["00u00001"], addMemberships: [], removeMemberships: [] });
      const base = fullSync(okta);
      expect(await folder.fold(base, json)).toEqual(applyDirectoryDelta(base, json).snapshot);
      await expect(folder.fold(new Uint8Array([1, 2, 3]), json)).rejects.toMatchObject({ code: expect.stringMatching(/^SNAPSHOT_/) });
    } finally {
      await folder.close();
    }
  });

  it("the file journal loses no append racing a rewrite", async () => {
    const journal = fileHookJournal(join(tempDir(), "j"));
    const entry = (seq: number) => ({ seq, eventId: `e${seq}`, upsertUserIds: ["00u1"], deletedUserIds: [], membershipChanges: [] });
    for (let i = 1; i <= 5; i++) await journal.append(entry(i));
    await Promise.all([journal.forget(3), journal.append(entry(6)), journal.append(entry(7)), journal.forget(4), journal.append(entry(8))]);
    expect((await journal.read()).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
  });

  it("a user read that fails applies nothing and journals for replay; the receiver answers 500", async () => {
    const okta = oktaOf(100);
    const entries: unknown[] = [];
    const live = await LiveDirectory.open({
      snapshot: fullSync(okta),
      fetchUser: async () => {
        throw Object.assign(new Error("Okta refused"), { code: "OKTA_API_ERROR" });
      },
      journal: { append: async (e) => void entries.push(e), read: async () => [], forget: async () => undefined },
    });
    const shards = Array.from({ length: live.shardCount }, (_, n) => live.shard(n));
    await expect(live.apply(changes("x", { upsertUserIds: ["00u00001"] }))).rejects.toThrow("Okta refused");
    for (let n = 0; n < live.shardCount; n++) expect(live.shard(n)).toBe(shards[n]);
    expect(entries).toHaveLength(1);
  });
});

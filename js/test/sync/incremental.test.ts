/**
 * The SDK's incremental and group-scoped options: `since` + `applySyncResult`, `groups`, `workforceGroupId`, and how
 * they combine with the page-journal path (`syncDirectorySnapshot`).
 */
import { afterEach, describe, expect, it } from "vitest";
import { MESSY, type RunningEmulator } from "../../src/emulator/index.js";
import {
  applySyncResult,
  Directory,
  syncDirectory,
  syncDirectoryJson,
  syncDirectorySnapshot,
  type SyncJournalPage,
  type SyncResult,
} from "../../src/node.js";
import { normalizedTruth, recordingFetch, startTestEmulator, type Recorded } from "./helpers.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Waits out the messy emulator's replication lag and late System Log events. */
const settled = (): Promise<void> => sleep(Math.max(MESSY.replicationLagMs, MESSY.lateSystemLogEvents) + 300);

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const control = async (e: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> => {
  const res = await fetch(`${e.url}/__control/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(res.status).toBeLessThan(300);
  return res.json();
};

// Runs with a lag to wait out under a loaded CI machine: more than vitest's 5 s default.
describe("incremental sync (SDK)", { timeout: 30_000 }, () => {
  it("returns a delta since the watermark that applySyncResult turns into the new snapshot", async () => {
    emu = await startTestEmulator({ users: 300, groups: 4, seed: 9, rateLimit: "off" });
    const e = emu;
    const auth = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true };
    const fullJson = await syncDirectoryJson(auth);
    const full = JSON.parse(fullJson) as { summary: { watermarkMs?: number; mode: string } };
    expect(full.summary.mode).toBe("full");
    expect(full.summary.watermarkMs).toBeGreaterThan(Date.parse("2020-01-01"));
    const dir = Directory.fromSyncResult(fullJson, { origin: e.url });
    const snapshot = dir.toSnapshot();
    dir.free();

    const victim = e.env.store.users[10]?.id ?? "";
    const group = e.env.store.groups[1]?.id ?? "";
    await control(e, "DELETE", `users/${victim}`);
    const created = (await control(e, "POST", "users", {
      profile: { login: "sdk.new@example.com", firstName: "Sdk", lastName: "New" },
      groupIds: [group],
    })) as { id: string };
    await settled();

    const log: Recorded[] = [];
    const delta = await syncDirectory({ ...auth, since: full.summary.watermarkMs ?? 0, fetch: recordingFetch(log) });
    expect(delta.summary.mode).toBe("incremental");
    expect(delta.users.map((u) => u.user.id)).toEqual([created.id]);
    expect(delta.changes?.deletedUserIds).toEqual([victim]);
    expect(delta.changes?.membershipChanges).toContainEqual({ groupId: group, userId: created.id, added: true });
    // (Messy: a listing may end with an empty page behind a `next` link, so a path can repeat.)
    expect([...new Set(log.map((r) => new URL(r.url).pathname))].sort()).toEqual(["/api/v1/groups", "/api/v1/logs", "/api/v1/users"]);

    const applied = applySyncResult(snapshot, delta);
    expect(applied.users).toBe(e.env.store.users.length);
    expect(applied.stats.usersRemoved).toBe(1);
    const after = Directory.fromSnapshot(applied.snapshot);
    try {
      expect(after.lookup("sdk.new@example.com").user.id).toBe(created.id);
      expect(after.membersOf(group).map((u) => u.id)).toContain(created.id);
      expect(after.info().memberships).toBe([...e.env.store.members.values()].reduce((n, m) => n + m.length, 0));
    } finally {
      after.free();
    }
  });

  it("groups + workforceGroupId: only those groups' members; an unknown id is GROUP_NOT_FOUND before any page", async () => {
    emu = await startTestEmulator({ users: 300, groups: 5, seed: 10, rateLimit: "off" });
    const e = emu;
    const [, g1, g2] = e.env.store.groups.map((g) => g.id);
    const result = await syncDirectory({
      orgUrl: e.url,
      apiToken: e.apiToken,
      allowInsecureLoopback: true,
      groups: [g1 ?? ""],
      workforceGroupId: g2 ?? "",
    });
    expect(result.summary.mode).toBe("groups");
    expect(result.workforceGroupId).toBe(g2);
    const expected = new Set([...(e.env.store.members.get(g1 ?? "") ?? []), ...(e.env.store.members.get(g2 ?? "") ?? [])]);
    expect(new Set(result.users.map((u) => u.user.id))).toEqual(expected);
    const log: Recorded[] = [];
    await expect(
      syncDirectory({ orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, groups: ["../x"], fetch: recordingFetch(log) }),
    ).rejects.toMatchObject({ code: "GROUP_NOT_FOUND" });
    expect(log).toHaveLength(0);
  });

  it("a journaled full snapshot is the base of an incremental run; syncDirectorySnapshot refuses `since`", async () => {
    emu = await startTestEmulator({ users: 400, groups: 4, seed: 12, rateLimit: "off" });
    const e = emu;
    const auth = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, pageLimit: 50 };
    const pages: SyncJournalPage[] = [];
    const full = await syncDirectorySnapshot({ ...auth, journal: { append: (p) => void pages.push(p) } });
    expect(pages.length).toBeGreaterThan(8); // 400 users at 50 per page, plus the member pages
    expect(full.summary.mode).toBe("full");
    expect(full.summary.watermarkMs).toBeGreaterThan(Date.parse("2020-01-01"));
    const memberships = [...e.env.store.members.values()].reduce((n, m) => n + m.length, 0);
    expect(full.summary).toMatchObject({ users: e.env.store.users.length, groups: 4, memberships });

    const group = e.env.store.groups[2]?.id ?? "";
    const created = (await control(e, "POST", "users", {
      profile: { login: "journal.base@example.com", firstName: "J", lastName: "Base" },
      groupIds: [group],
    })) as { id: string };
    await settled();
    const delta = await syncDirectoryJson({ ...auth, since: full.summary.watermarkMs ?? 0 });
    const applied = applySyncResult(full.snapshot, delta);
    const after = Directory.fromSnapshot(applied.snapshot);
    try {
      expect(after.lookup("journal.base@example.com").user.id).toBe(created.id);
      expect(after.membersOf(group).map((u) => u.id)).toContain(created.id);
      expect(after.info().users).toBe(e.env.store.users.length);
      expect(after.info().memberships).toBe([...e.env.store.members.values()].reduce((n, m) => n + m.length, 0)); // + the new user's (Everyone too)
    } finally {
      after.free();
    }
    const none: SyncJournalPage[] = [];
    // Plain JS callers can still pass `since` (the type leaves it out): refused before any request.
    const withSince = { ...auth, since: full.summary.watermarkMs ?? 0, journal: { append: (p: SyncJournalPage) => void none.push(p) } };
    await expect(syncDirectorySnapshot(withSince as Parameters<typeof syncDirectorySnapshot>[0])).rejects.toMatchObject({
      code: "CONVERSION_FAILED",
    });
    expect(none).toHaveLength(0);
  });

  it("a journaled group-scoped snapshot equals the result path's, with the Workforce group marked", async () => {
    emu = await startTestEmulator({ users: 300, groups: 5, seed: 13, rateLimit: "off" });
    const e = emu;
    const [, g1, g2] = e.env.store.groups.map((g) => g.id);
    const options = {
      orgUrl: e.url,
      apiToken: e.apiToken,
      allowInsecureLoopback: true,
      pageLimit: 20,
      groups: [g1 ?? ""],
      workforceGroupId: g2 ?? "",
    };
    const pages: SyncJournalPage[] = [];
    const journaled = await syncDirectorySnapshot({ ...options, journal: { append: (p) => void pages.push(p) } });
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.every((p) => /\/api\/v1\/groups\/[^/]+\/users/.test(p.url))).toBe(true);
    expect(journaled.summary.mode).toBe("groups");
    const viaResult = Directory.fromSyncResult(await syncDirectoryJson(options), { origin: e.url, workforceGroup: g2 ?? "" });
    const d = Directory.fromSnapshot(journaled.snapshot);
    try {
      expect(d.info()).toMatchObject({
        users: viaResult.info().users,
        groups: 2,
        memberships: viaResult.info().memberships,
        workforceGroup: g2,
      });
      expect(journaled.summary).toMatchObject({ users: d.info().users, groups: 2, memberships: d.info().memberships });
      for (const g of [g1 ?? "", g2 ?? ""]) {
        expect(
          d
            .membersOf(g)
            .map((u) => u.id)
            .sort(),
        ).toEqual([...(e.env.store.members.get(g) ?? [])].sort());
      }
      const worker = d.membersOf(g2 ?? "")[0];
      const login = e.env.store.users.find((u) => u.id === worker?.id)?.profile["login"] as string;
      expect(d.lookup(login).workforce).toBe(true);
      const other = d.membersOf(g1 ?? "").find((u) => !(e.env.store.members.get(g2 ?? "") ?? []).includes(u.id ?? ""));
      const otherLogin = e.env.store.users.find((u) => u.id === other?.id)?.profile["login"] as string;
      expect(d.lookup(otherLogin).workforce).toBe(false);
    } finally {
      d.free();
      viaResult.free();
    }
  });
});

/** The snapshot's users, groups and memberships against the emulator's ground truth, every normalized attribute. */
function expectSnapshotIsTruth(snapshot: Uint8Array, e: RunningEmulator): void {
  const d = Directory.fromSnapshot(snapshot);
  try {
    const truth = normalizedTruth(e);
    const everyone = e.env.store.groups.find((g) => g.type === "BUILT_IN")?.id ?? "";
    const users = d.membersOf(everyone);
    expect(users.map((u) => u.id).sort()).toEqual([...truth.keys()].sort());
    for (const u of users) expect(u, `user ${u.id ?? "?"}`).toEqual(truth.get(u.id ?? ""));
    expect(d.info().groups).toBe(e.env.store.groups.length);
    for (const g of e.env.store.groups) {
      expect(
        d
          .membersOf(g.id)
          .map((u) => u.id)
          .sort(),
        `members of ${g.id}`,
      ).toEqual([...(e.env.store.members.get(g.id) ?? [])].sort());
    }
  } finally {
    d.free();
  }
}

const snapshotOf = (json: string, origin: string): Uint8Array => {
  const d = Directory.fromSyncResult(json, { origin, syncedAtMs: 1 });
  try {
    return d.toSnapshot();
  } finally {
    d.free();
  }
};

/** A `fetch` that shifts every response's `Date` (a proxy or server clock `shiftMs` off). */
function shiftedDateFetch(shiftMs: number): (input: string, init: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const res = await fetch(input, init);
    const headers = new Headers(res.headers);
    headers.set("date", new Date(Date.now() + shiftMs).toUTCString());
    return new Response(await res.arrayBuffer(), { status: res.status, headers });
  };
}

describe("incremental sync against an emulator as messy as Okta", { timeout: 30_000 }, () => {
  it("loses no update: changes still behind the index lag and late System Log events are picked up by the next run; the chain ends byte for byte equal to a full sync and attribute for attribute equal to the truth", async () => {
    // The messy profile with a 3 s lag, so that the first incremental run can start in a later second than the
    // changes (its watermark then lies after them) while they are still hidden from it.
    const lag = 3000;
    emu = await startTestEmulator({
      users: 300,
      groups: 4,
      seed: 31,
      rateLimit: "off",
      realism: { ...MESSY, replicationLagMs: lag, lateSystemLogEvents: lag },
    });
    const e = emu;
    const auth = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, pageLimit: 50 };
    // A user created just before the full sync: the index does not list it yet, its group's member listing
    // does (so the full sync drops that membership with the unknown user); the next runs must bring both.
    const early = (await control(e, "POST", "users", {
      profile: { login: "early.bird@example.com", firstName: "Early", lastName: "Bird" },
      groupIds: [e.env.store.groups[2]?.id ?? ""],
    })) as { id: string };
    const fullJson = await syncDirectoryJson(auth);
    expect((JSON.parse(fullJson) as SyncResult).users.some((x) => x.user.id === early.id)).toBe(false);
    let snapshot = snapshotOf(fullJson, e.url);
    let since = (JSON.parse(fullJson) as SyncResult).summary.watermarkMs ?? 0;
    const [everyone, g1, g2, g3] = e.env.store.groups.map((g) => g.id);
    const u = (i: number): string => e.env.store.users[i]?.id ?? "";
    const [changed, deactivated, deleted, mover, flapper, leaver] = [u(5), u(6), u(7), u(8), u(9), u(10)];
    const leaverGroup = [g1, g2, g3].find((g) => e.env.store.members.get(g ?? "")?.includes(leaver)) ?? "";
    const incremental = async (): Promise<SyncResult> => {
      const delta = await syncDirectory({ ...auth, since });
      expect(delta.summary.mode).toBe("incremental");
      snapshot = applySyncResult(snapshot, delta, { syncedAtMs: 1 }).snapshot;
      since = delta.summary.watermarkMs ?? since;
      return delta;
    };

    // Round 1: every kind of change, then an incremental run at once — inside the index lag, with every third
    // System Log event not persisted yet.
    await control(e, "PATCH", `users/${changed}`, {
      profile: { department: "Ünïcode Dept", title: "Changed Title", costCenterNumber: 4242, isContractor: true, badgeCodes: ["X1", "Y2"] },
    });
    await control(e, "POST", `users/${deactivated}/deactivate`);
    await control(e, "DELETE", `users/${deleted}`);
    const created = (await control(e, "POST", "users", {
      profile: { login: "Zoë.Ünal@Example.com", firstName: "Zoë", lastName: "Ünal" },
      groupIds: [g1],
    })) as { id: string };
    await control(e, "PUT", `groups/${g2}/users/${mover}`);
    await control(e, "PUT", `groups/${g3}/users/${flapper}`);
    await control(e, "DELETE", `groups/${g3}/users/${flapper}`);
    await control(e, "DELETE", `groups/${leaverGroup}/users/${leaver}`);
    await sleep(1100);
    const first = await incremental();
    // The messy emulator really hid something from this run (else the test would prove nothing).
    const seen = new Set(first.users.map((x) => x.user.id));
    const hidden = [changed, deactivated, created.id].some((id) => !seen.has(id)) || (first.changes?.membershipChanges.length ?? 0) < 4;
    expect(hidden).toBe(true);

    // Round 2, after the lag: the next run (from its predecessor's watermark, minus the default overlap) catches up.
    await sleep(lag + 300);
    await control(e, "PATCH", `users/${changed}`, { profile: { title: "Changed Again" } });
    await sleep(lag + 300);
    await incremental();
    expectSnapshotIsTruth(snapshot, e);
    expect(Directory.fromSnapshot(snapshot).lookup("zoe.unal@example.com").user.id).toBe(created.id);

    // Byte for byte what a fresh full sync builds.
    const fresh = snapshotOf(await syncDirectoryJson(auth), e.url);
    expect(Buffer.from(snapshot).equals(Buffer.from(fresh))).toBe(true);
    expect(everyone).toBeDefined();
  }, 60_000);

  it("lastUpdated ties: a change stamped in the watermark's own second is read even with no overlap", async () => {
    emu = await startTestEmulator({ users: 40, groups: 2, seed: 32, rateLimit: "off", realism: { lastUpdatedTies: true } });
    const e = emu;
    const auth = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true };
    // Okta stamps whole seconds: align to the start of a second so the full sync and the change share one.
    for (let attempt = 0; ; attempt++) {
      await sleep(1000 - (Date.now() % 1000) + 10);
      const full = await syncDirectory(auth);
      const target = e.env.store.users[attempt + 1]?.id ?? "";
      const updated = (await control(e, "PATCH", `users/${target}`, { profile: { title: `Tie ${attempt}` } })) as { lastUpdated: string };
      const watermark = full.summary.watermarkMs ?? 0;
      if (Date.parse(updated.lastUpdated) !== watermark) {
        expect(attempt, "could not make a change inside the watermark's second").toBeLessThan(4);
        continue;
      }
      const delta = await syncDirectory({ ...auth, since: watermark, overlapMs: 0 });
      expect(delta.users.map((x) => x.user.id)).toContain(target);
      break;
    }
  }, 30_000);

  it("finding 3: a full sync whose responses carry a Date a day ahead keeps its watermark at the local clock (skew reported), so the next incremental run with correct clocks picks up a profile change and a deactivation", async () => {
    emu = await startTestEmulator({ users: 120, groups: 3, seed: 33, rateLimit: "off" });
    const e = emu;
    const auth = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true };
    const day = 86_400_000;
    const before = Date.now();
    const skews: number[] = [];
    const fullJson = await syncDirectoryJson({
      ...auth,
      fetch: shiftedDateFetch(day),
      onProgress: (p) => void (p.clockSkewMs === undefined || skews.push(p.clockSkewMs)),
    });
    expect(skews.length).toBeGreaterThan(0); // progress events report it while the sync runs
    const full = JSON.parse(fullJson) as SyncResult;
    expect(full.summary.watermarkMs).toBeLessThanOrEqual(Date.now());
    expect(full.summary.watermarkMs).toBeGreaterThanOrEqual(before - 1000);
    expect(Math.abs((full.summary.progress.clockSkewMs ?? 0) - day)).toBeLessThan(5_000);
    let snapshot = snapshotOf(fullJson, e.url);

    const [profileUser, leaver] = [e.env.store.users[3]?.id ?? "", e.env.store.users[4]?.id ?? ""];
    await control(e, "PATCH", `users/${profileUser}`, { profile: { lastName: "Renamed" } });
    await control(e, "POST", `users/${leaver}/deactivate`);
    await settled();
    const delta = await syncDirectory({ ...auth, since: full.summary.watermarkMs ?? 0 });
    expect(delta.summary.progress.clockSkewMs).toBeUndefined();
    expect(delta.users.map((x) => x.user.id)).toEqual(expect.arrayContaining([profileUser, leaver]));
    snapshot = applySyncResult(snapshot, delta, { syncedAtMs: 1 }).snapshot;
    expectSnapshotIsTruth(snapshot, e);
  }, 30_000);

  it("a stored watermark a day in the future is WATERMARK_IN_FUTURE before any request", async () => {
    emu = await startTestEmulator({ users: 20, groups: 1, seed: 34, rateLimit: "off" });
    const log: Recorded[] = [];
    const since = Date.now() + 86_400_000;
    await expect(
      syncDirectory({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true, since, fetch: recordingFetch(log) }),
    ).rejects.toMatchObject({ code: "WATERMARK_IN_FUTURE" });
    expect(log).toHaveLength(0);
    // A tolerance wider than the difference lets it run (and reports nothing as skew).
    const tolerant = await syncDirectory({
      orgUrl: emu.url,
      apiToken: emu.apiToken,
      allowInsecureLoopback: true,
      since,
      clockToleranceMs: 2 * 86_400_000,
    });
    expect(tolerant.summary.mode).toBe("incremental");
    expect(tolerant.summary.progress.clockSkewMs).toBeUndefined();
  });
});

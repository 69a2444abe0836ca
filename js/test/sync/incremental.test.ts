/**
 * The SDK's incremental and group-scoped options: `since` + `applySyncResult`, `groups`, `workforceGroupId`, and how
 * they combine with the page-journal path (`syncDirectorySnapshot`).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { applySyncResult, Directory, syncDirectory, syncDirectoryJson, syncDirectorySnapshot, type SyncJournalPage } from "../../src/node.js";
import { recordingFetch, type Recorded } from "./helpers.js";

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

describe("incremental sync (SDK)", () => {
  it("returns a delta since the watermark that applySyncResult turns into the new snapshot", async () => {
    emu = await startEmulator({ users: 300, groups: 4, seed: 9, rateLimit: "off" });
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
    const created = (await control(e, "POST", "users", { profile: { login: "sdk.new@example.com", firstName: "Sdk", lastName: "New" }, groupIds: [group] })) as { id: string };

    const log: Recorded[] = [];
    const delta = await syncDirectory({ ...auth, since: full.summary.watermarkMs ?? 0, fetch: recordingFetch(log) });
    expect(delta.summary.mode).toBe("incremental");
    expect(delta.users.map((u) => u.user.id)).toEqual([created.id]);
    expect(delta.changes?.deletedUserIds).toEqual([victim]);
    expect(delta.changes?.membershipChanges).toContainEqual({ groupId: group, userId: created.id, added: true });
    expect(log.map((r) => new URL(r.url).pathname).sort()).toEqual(["/api/v1/groups", "/api/v1/logs", "/api/v1/users"]);

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
    emu = await startEmulator({ users: 300, groups: 5, seed: 10, rateLimit: "off" });
    const e = emu;
    const [, g1, g2] = e.env.store.groups.map((g) => g.id);
    const result = await syncDirectory({ orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, groups: [g1 ?? ""], workforceGroupId: g2 ?? "" });
    expect(result.summary.mode).toBe("groups");
    expect(result.workforceGroupId).toBe(g2);
    const expected = new Set([...(e.env.store.members.get(g1 ?? "") ?? []), ...(e.env.store.members.get(g2 ?? "") ?? [])]);
    expect(new Set(result.users.map((u) => u.user.id))).toEqual(expected);
    const log: Recorded[] = [];
    await expect(syncDirectory({ orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, groups: ["../x"], fetch: recordingFetch(log) })).rejects.toMatchObject({ code: "GROUP_NOT_FOUND" });
    expect(log).toHaveLength(0);
  });

  it("a journaled full snapshot is the base of an incremental run; syncDirectorySnapshot refuses `since`", async () => {
    emu = await startEmulator({ users: 400, groups: 4, seed: 12, rateLimit: "off" });
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
    const created = (await control(e, "POST", "users", { profile: { login: "journal.base@example.com", firstName: "J", lastName: "Base" }, groupIds: [group] })) as { id: string };
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
    await expect(syncDirectorySnapshot(withSince as Parameters<typeof syncDirectorySnapshot>[0])).rejects.toMatchObject({ code: "CONVERSION_FAILED" });
    expect(none).toHaveLength(0);
  });

  it("a journaled group-scoped snapshot equals the result path's, with the Workforce group marked", async () => {
    emu = await startEmulator({ users: 300, groups: 5, seed: 13, rateLimit: "off" });
    const e = emu;
    const [, g1, g2] = e.env.store.groups.map((g) => g.id);
    const options = { orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, pageLimit: 20, groups: [g1 ?? ""], workforceGroupId: g2 ?? "" };
    const pages: SyncJournalPage[] = [];
    const journaled = await syncDirectorySnapshot({ ...options, journal: { append: (p) => void pages.push(p) } });
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.every((p) => /\/api\/v1\/groups\/[^/]+\/users/.test(p.url))).toBe(true);
    expect(journaled.summary.mode).toBe("groups");
    const viaResult = Directory.fromSyncResult(await syncDirectoryJson(options), { origin: e.url, workforceGroup: g2 ?? "" });
    const d = Directory.fromSnapshot(journaled.snapshot);
    try {
      expect(d.info()).toMatchObject({ users: viaResult.info().users, groups: 2, memberships: viaResult.info().memberships, workforceGroup: g2 });
      expect(journaled.summary).toMatchObject({ users: d.info().users, groups: 2, memberships: d.info().memberships });
      for (const g of [g1 ?? "", g2 ?? ""]) {
        expect(d.membersOf(g).map((u) => u.id).sort()).toEqual([...(e.env.store.members.get(g) ?? [])].sort());
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

/** The SDK's incremental and group-scoped options: `since` + `applySyncResult`, `groups`, `workforceGroupId`. */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { applySyncResult, Directory, syncDirectory, syncDirectoryJson } from "../../src/node.js";
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
});

/** The list pages' cached user JSON: byte-equal to serializing the user, and fresh after every change. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { userJson } from "../../src/emulator/routes-users.js";

let emu: RunningEmulator;
let auth: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ users: 300, groups: 3, seed: 3, rateLimit: "off" });
  auth = { Authorization: `SSWS ${emu.apiToken}`, Accept: "application/json" };
});
afterAll(async () => emu.close());

const text = async (path: string, headers: Record<string, string> = auth): Promise<string> =>
  (await fetch(`${emu.url}${path}`, { headers })).text();

describe("cached user JSON on list pages", () => {
  it("serves exactly JSON.stringify of the users, with and without credentials, twice over", async () => {
    const store = emu.env.store;
    const want = JSON.stringify(store.users.slice(0, 200).map((u) => userJson(u, emu.env.baseUrl)));
    const page = await text(`/api/v1/users?limit=200&filter=${encodeURIComponent('lastUpdated gt "1970-01-01T00:00:00.000Z"')}`);
    expect(page).toBe(want);
    expect(await text(`/api/v1/users?limit=200&filter=${encodeURIComponent('lastUpdated gt "1970-01-01T00:00:00.000Z"')}`)).toBe(want);
    const omit = { ...auth, "Content-Type": "application/json; okta-response=omitCredentials" };
    const omitted = await text(`/api/v1/users?limit=200&filter=${encodeURIComponent('lastUpdated gt "1970-01-01T00:00:00.000Z"')}`, omit);
    expect(omitted).toBe(JSON.stringify(store.users.slice(0, 200).map((u) => userJson(u, emu.env.baseUrl, true))));
    const group = store.groups[0]?.id ?? "";
    const members = (store.members.get(group) ?? []).slice(0, 50).flatMap((id) => {
      const u = store.userById(id);
      return u === undefined ? [] : [userJson(u, emu.env.baseUrl)];
    });
    expect(members).toHaveLength(50);
    expect(await text(`/api/v1/groups/${group}/users?limit=50`)).toBe(JSON.stringify(members));
  });

  it("reflects a profile or status change on the next page", async () => {
    const store = emu.env.store;
    const user = store.users[0];
    if (user === undefined) throw new Error("no users");
    const group = store.groupsOf(user.id)[0]?.id ?? "";
    const first = `/api/v1/users?limit=1&filter=${encodeURIComponent('lastUpdated gt "1970-01-01T00:00:00.000Z"')}`;
    await text(first);
    await text(`/api/v1/groups/${group}/users?limit=1000`);
    store.updateUser(user.id, { profile: { nickName: "Cache Check" }, status: "SUSPENDED" });
    const listed = JSON.parse(await text(first)) as { id: string; status: string; profile: Record<string, unknown> }[];
    expect(listed[0]?.id).toBe(user.id);
    expect(listed[0]?.status).toBe("SUSPENDED");
    expect(listed[0]?.profile["nickName"]).toBe("Cache Check");
    const member = (JSON.parse(await text(`/api/v1/groups/${group}/users?limit=1000`)) as { id: string; status: string }[]).find(
      (u) => u.id === user.id,
    );
    expect(member?.status).toBe("SUSPENDED");
  });
});

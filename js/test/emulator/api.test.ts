/** Management API shape: pagination links, filter/search, lookups, errors, headers, rate limits. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorStore as DirectoryStore, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { links } from "./helpers.js";

let emu: RunningEmulator;
let auth: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ users: 500, groups: 5, seed: 11, rateLimit: "off" });
  auth = { Authorization: `SSWS ${emu.apiToken}`, Accept: "application/json" };
});
afterAll(async () => emu.close());

const get = (path: string, headers: Record<string, string> = auth): Promise<Response> => fetch(`${emu.url}${path}`, { headers });
const users = () => emu.env.store.users;

async function ids(res: Response): Promise<string[]> {
  return ((await res.json()) as { id: string }[]).map((u) => u.id);
}

describe("generator", () => {
  it("is deterministic per seed and covers statuses, group types, diacritics and custom attributes", () => {
    const a = new DirectoryStore({ users: 2000, groups: 10, seed: 5 });
    const b = new DirectoryStore({ users: 2000, groups: 10, seed: 5 });
    const c = new DirectoryStore({ users: 2000, groups: 10, seed: 6 });
    expect(JSON.stringify(a.users)).toBe(JSON.stringify(b.users));
    expect(JSON.stringify([...a.members])).toBe(JSON.stringify([...b.members]));
    expect(JSON.stringify(a.users)).not.toBe(JSON.stringify(c.users));
    const statuses = new Set(a.users.map((u) => u.status));
    expect(statuses.size).toBe(8);
    expect(a.users.filter((u) => u.status === "ACTIVE").length / a.users.length).toBeGreaterThan(0.7);
    expect(new Set(a.groups.map((g) => g.type))).toEqual(new Set(["BUILT_IN", "OKTA_GROUP", "APP_GROUP"]));
    expect(a.groups[0]?.profile.name).toBe("Everyone");
    expect(a.members.get(a.groups[0]?.id ?? "")).toHaveLength(2000);
    expect(a.users.every((u) => /^00u[0-9A-Za-z]{17}$/.test(u.id))).toBe(true);
    expect(a.groups.every((g) => /^00g[0-9A-Za-z]{17}$/.test(g.id))).toBe(true);
    expect(a.users.some((u) => /[^\x00-\x7f]/.test(String(u.profile["lastName"])))).toBe(true);
    expect(a.users.some((u) => u.profile["LegalFirstName"] !== undefined)).toBe(true);
    expect(a.users.some((u) => /^\d{2}\/\d{2}\/\d{4}$/.test(String(u.profile["birthdate"])))).toBe(true);
    expect(a.users.some((u) => u.profile["birthdate"] === undefined)).toBe(true);
    expect(new Set(a.users.map((u) => u.profile["countryCode"])).size).toBeGreaterThan(8);
    const logins = a.users.map((u) => String(u.profile["login"]).toLowerCase());
    expect(new Set(logins).size).toBe(logins.length);
  });
});

describe("GET /api/v1/users", () => {
  it("pages 200 at a time with absolute self/next links; the default listing excludes DEPROVISIONED", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${emu.url}/api/v1/users`;
    let pages = 0;
    while (url !== undefined) {
      const res = await fetch(url, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("date")).toBeTruthy();
      expect(res.headers.get("x-okta-request-id")).toMatch(/^req/);
      for (const h of ["x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"]) expect(res.headers.get(h)).toMatch(/^\d+$/);
      const l = links(res);
      expect(l["self"]).toBe(url);
      const page = await ids(res);
      expect(page.length).toBeLessThanOrEqual(200);
      seen.push(...page);
      url = l["next"];
      if (url !== undefined) expect(new URL(url).origin).toBe(emu.url);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(
      users()
        .filter((u) => u.status !== "DEPROVISIONED")
        .map((u) => u.id),
    );
  });

  it("caps limit at 200 and keeps the caller's parameters in next", async () => {
    const res = await get(`/api/v1/users?limit=1000&search=${encodeURIComponent("status pr")}`);
    expect(await ids(res)).toHaveLength(200);
    const next = new URL(links(res)["next"] ?? "");
    expect(next.searchParams.get("search")).toBe("status pr");
    expect(next.searchParams.get("after")).toBeTruthy();
  });

  it("filter: status, lastUpdated, id, profile.login with and/or; includes DEPROVISIONED", async () => {
    const dep = users()
      .filter((u) => u.status === "DEPROVISIONED")
      .map((u) => u.id);
    expect(await ids(await get(`/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`))).toEqual(dep);
    const u = users()[10];
    const login = String(u?.profile["login"]);
    expect(
      await ids(
        await get(`/api/v1/users?filter=${encodeURIComponent(`profile.login eq "${login.toUpperCase()}" or id eq "${users()[20]?.id}"`)}`),
      ),
    ).toEqual([u?.id, users()[20]?.id]);
    const cut = "2024-01-01T00:00:00.000Z";
    const expected = users()
      .filter((x) => x.lastUpdated > cut && (x.status === "ACTIVE" || x.status === "SUSPENDED"))
      .map((x) => x.id);
    const q = `lastUpdated gt "${cut}" and (status eq "ACTIVE" or status eq "SUSPENDED")`;
    const all: string[] = [];
    let url: string | undefined = `${emu.url}/api/v1/users?filter=${encodeURIComponent(q)}`;
    while (url !== undefined) {
      const res: Response = await fetch(url, { headers: auth });
      all.push(...(await ids(res)));
      url = links(res)["next"];
    }
    expect(all).toEqual(expected);
  });

  it("search: status pr, sw, co, custom attributes", async () => {
    const res = await get(`/api/v1/users?limit=200&search=${encodeURIComponent("status pr")}`);
    expect((await ids(res))[0]).toBe(users()[0]?.id);
    const dept = await get(`/api/v1/users?search=${encodeURIComponent('profile.department eq "legal" and profile.userType sw "Contr"')}`);
    const expected = users()
      .filter((u) => u.profile["department"] === "Legal" && String(u.profile["userType"]).startsWith("Contr"))
      .map((u) => u.id);
    expect(await ids(dept)).toEqual(expected.slice(0, 200));
  });

  it("invalid expressions → 400 E0000031", async () => {
    for (const bad of [
      'status eq "ACTIVE" and',
      'profile.department eq "x"',
      'status ne "ACTIVE"',
      'lastUpdated gt "yesterday"',
      '(status eq "ACTIVE"',
    ]) {
      const res = await get(`/api/v1/users?filter=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ errorCode: "E0000031", errorLink: "E0000031", errorCauses: [] });
      expect(String(body["errorId"])).toMatch(/^oae/);
    }
    expect((await get(`/api/v1/users?search=${encodeURIComponent('profile.city co "x"')}`)).status).toBe(400);
  });
});

describe("single resources", () => {
  it("a user by id, login and unambiguous short name; 404 E0000007 otherwise", async () => {
    const u = users().find((x) => x.status === "DEPROVISIONED");
    const login = String(u?.profile["login"]);
    for (const key of [u?.id ?? "", login, login.split("@")[0] ?? ""]) {
      const res = await get(`/api/v1/users/${encodeURIComponent(key)}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe(u?.id);
    }
    const missing = await get("/api/v1/users/00uDoesNotExist00000");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorCode: string }).errorCode).toBe("E0000007");
  });

  it("a user's groups, a group, its members (DEPROVISIONED included, limit default 1000)", async () => {
    const u = users()[0];
    const groups = (await (await get(`/api/v1/users/${u?.id}/groups`)).json()) as { id: string; type: string }[];
    expect(groups.map((g) => g.id)).toEqual(emu.env.store.groupsOf(u?.id ?? "").map((g) => g.id));
    expect(groups.some((g) => g.type === "BUILT_IN")).toBe(true);
    const everyone = emu.env.store.groups[0];
    const one = await get(`/api/v1/groups/${everyone?.id}`);
    expect(((await one.json()) as { profile: { name: string } }).profile.name).toBe("Everyone");
    const members = await get(`/api/v1/groups/${everyone?.id}/users`);
    expect(await ids(members)).toEqual(users().map((x) => x.id));
    expect(links(members)["next"]).toBeUndefined();
    const paged = await get(`/api/v1/groups/${everyone?.id}/users?limit=100`);
    expect(new URL(links(paged)["next"] ?? "").searchParams.get("limit")).toBe("100");
    expect((await get("/api/v1/groups/00gNope/users")).status).toBe(404);
  });

  it("groups: filter by type, limit + after", async () => {
    const okta = await get(`/api/v1/groups?filter=${encodeURIComponent('type eq "OKTA_GROUP"')}`);
    const list = (await okta.json()) as { type: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((g) => g.type === "OKTA_GROUP")).toBe(true);
    const page = await get("/api/v1/groups?limit=2");
    expect(await ids(page)).toHaveLength(2);
    const next = await fetch(links(page)["next"] ?? "", { headers: auth });
    expect((await ids(next))[0]).toBe(emu.env.store.groups[2]?.id);
  });
});

describe("authentication errors", () => {
  it("no or bad SSWS token → 401 E0000011 with WWW-Authenticate; rate-limit headers still present", async () => {
    for (const headers of [{}, { Authorization: "SSWS wrong" }, { Authorization: "Bearer nope" }]) {
      const res = await get("/api/v1/users", headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBeTruthy();
      expect(res.headers.get("x-rate-limit-limit")).toBeTruthy();
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe("E0000011");
    }
  });
});

describe("rate limits", () => {
  it("429 E0000047 with Okta's headers once the app share of a bucket is spent; other buckets unaffected", async () => {
    const limited = await startEmulator({ users: 5, groups: 2, seed: 1, rateLimit: "users=10,share=50" });
    try {
      const h = { Authorization: `SSWS ${limited.apiToken}` };
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++)
        remaining.push((await fetch(`${limited.url}/api/v1/users`, { headers: h })).headers.get("x-rate-limit-remaining") ?? "");
      expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
      const res = await fetch(`${limited.url}/api/v1/users`, { headers: h });
      expect(res.status).toBe(429);
      expect(res.headers.get("x-rate-limit-limit")).toBe("5");
      expect(res.headers.get("x-rate-limit-remaining")).toBe("0");
      const reset = Number(res.headers.get("x-rate-limit-reset"));
      const date = Date.parse(res.headers.get("date") ?? "") / 1000;
      expect(reset - date).toBeGreaterThan(0);
      expect(reset - date).toBeLessThanOrEqual(61);
      expect(await res.json()).toMatchObject({
        errorCode: "E0000047",
        errorSummary: "API call exceeded rate limit due to too many requests.",
        errorLink: "E0000047",
        errorCauses: [],
      });
      expect((await fetch(`${limited.url}/api/v1/users/${limited.env.store.users[0]?.id}`, { headers: h })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  // One request is held 1.5 s on purpose, plus an emulator start: more than vitest's 5 s on a loaded machine.
  it("concurrency limit → 429 with Limit 0 and Remaining 0", async () => {
    const limited = await startEmulator({ users: 5, groups: 2, seed: 1, rateLimit: "concurrency=1", faults: "slow=1:1500" });
    try {
      const h = { Authorization: `SSWS ${limited.apiToken}` };
      const [a, b] = await Promise.all([
        fetch(`${limited.url}/api/v1/users`, { headers: h }),
        new Promise((r) => setTimeout(r, 300)).then(() => fetch(`${limited.url}/api/v1/users`, { headers: h })),
      ]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(429);
      expect(b.headers.get("x-rate-limit-limit")).toBe("0");
      expect(b.headers.get("x-rate-limit-remaining")).toBe("0");
      expect(((await b.json()) as { errorCode: string }).errorCode).toBe("E0000047");
    } finally {
      await limited.close();
    }
  }, 20_000);
});

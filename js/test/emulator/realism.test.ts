/** The emulator's realism switches, one by one: each named behaviour is there when on and absent when off. */
import { afterEach, describe, expect, it } from "vitest";
import { MESSY, TIDY, resolveRealism, startEmulator, type RealismOption, type RunningEmulator } from "../../src/emulator/index.js";
import { ASSERTION_TYPE, clientAssertion, links, tokenRequest } from "./helpers.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(realism: RealismOption, users = 60): Promise<RunningEmulator> {
  emu = await startEmulator({ users, groups: 3, seed: 5, rateLimit: "off", realism });
  return emu;
}

const get = (e: RunningEmulator, path: string): Promise<Response> =>
  fetch(`${e.url}${path}`, { headers: { Authorization: `SSWS ${e.apiToken}`, Accept: "application/json" } });
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
type U = {
  id: string;
  status: string;
  lastUpdated: string;
  activated: string | null;
  lastLogin: string | null;
  profile: Record<string, unknown>;
  credentials: { provider: { type: string } };
};
const control = async (e: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> => {
  const res = await fetch(`${e.url}/__control/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(res.status).toBeLessThan(300);
  return res.json();
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ALL = "filter=lastUpdated%20gt%20%221970-01-01T00%3A00%3A00.000Z%22";

// Some switches are waited out (lag, late events, whole seconds): more than vitest's 5 s default on a loaded machine.
describe("realism switches", { timeout: 30_000 }, () => {
  it("profiles: tidy is the default and has every switch off; messy has every switch on; named switches go over tidy", () => {
    expect(resolveRealism(undefined)).toEqual(TIDY);
    for (const [k, v] of Object.entries(MESSY)) expect(v === true || (typeof v === "number" && v > 0), k).toBe(true);
    for (const [k, v] of Object.entries(TIDY)) expect(v === false || v === 0, k).toBe(true);
    expect(resolveRealism({ nullDates: true })).toEqual({ ...TIDY, nullDates: true });
  });

  it("replicationLagMs: filter/search see a change (and a deletion) only after the lag; a get by id sees it at once", async () => {
    const e = await start({ replicationLagMs: 600 });
    const [a, b] = e.env.store.users;
    await control(e, "PATCH", `users/${a?.id}`, { profile: { title: "Lagged" } });
    await control(e, "DELETE", `users/${b?.id}`);
    const listed = await json<U[]>(await get(e, `/api/v1/users?limit=200&${ALL}`));
    expect(listed.find((u) => u.id === a?.id)?.profile["title"]).not.toBe("Lagged");
    expect(listed.some((u) => u.id === b?.id)).toBe(true);
    expect((await json<U>(await get(e, `/api/v1/users/${a?.id}`))).profile["title"]).toBe("Lagged");
    await sleep(700);
    const later = await json<U[]>(await get(e, `/api/v1/users?limit=200&${ALL}`));
    expect(later.find((u) => u.id === a?.id)?.profile["title"]).toBe("Lagged");
    expect(later.some((u) => u.id === b?.id)).toBe(false);
  });

  it("lastUpdatedTies: stamps have whole seconds, so changes in one second share `lastUpdated`", async () => {
    const e = await start({ lastUpdatedTies: true });
    await sleep(1000 - (Date.now() % 1000) + 5);
    const [a, b] = e.env.store.users;
    const x = (await control(e, "PATCH", `users/${a?.id}`, { profile: { title: "T1" } })) as U;
    const y = (await control(e, "PATCH", `users/${b?.id}`, { profile: { title: "T2" } })) as U;
    expect(x.lastUpdated).toMatch(/\.000Z$/);
    expect(y.lastUpdated).toBe(x.lastUpdated);
    const t = await start("tidy");
    const [c, d] = t.env.store.users;
    const p = (await control(t, "PATCH", `users/${c?.id}`, { profile: { title: "T1" } })) as U;
    const q = (await control(t, "PATCH", `users/${d?.id}`, { profile: { title: "T2" } })) as U;
    expect(q.lastUpdated > p.lastUpdated).toBe(true);
  });

  it("lateSystemLogEvents: every third event persists late; polling returns persistence order (published goes back), bounded queries published order", async () => {
    const e = await start({ lateSystemLogEvents: 500 });
    const g = e.env.store.groups[1]?.id ?? "";
    const [a, b, c, d] = e.env.store.users.filter((u) => !(e.env.store.members.get(g) ?? []).includes(u.id));
    for (const u of [a, b, c, d]) {
      await control(e, "PUT", `groups/${g}/users/${u?.id}`);
      await sleep(20);
    }
    const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    const poll = `/api/v1/logs?since=${since}&sortOrder=ASCENDING&limit=100`;
    expect(await json<unknown[]>(await get(e, poll))).toHaveLength(3); // the third is not persisted yet
    await sleep(600);
    const polled = await json<{ published: string; target: { id: string }[] }[]>(await get(e, poll));
    expect(polled.map((x) => x.target[0]?.id)).toEqual([a?.id, b?.id, d?.id, c?.id]);
    expect((polled[3]?.published ?? "") < (polled[2]?.published ?? "")).toBe(true);
    const until = encodeURIComponent(new Date(Date.now() + 1000).toISOString());
    const bounded = await json<{ published: string }[]>(
      await get(e, `/api/v1/logs?since=${since}&until=${until}&sortOrder=ASCENDING&limit=100`),
    );
    expect(bounded.map((x) => x.published)).toEqual([...bounded.map((x) => x.published)].sort());
  });

  it("caseSensitiveFilter: filter eq matches the exact case only; search stays case-insensitive", async () => {
    const e = await start({ caseSensitiveFilter: true });
    const login = String(e.env.store.users[0]?.profile["login"]);
    const q = (expr: string): string => encodeURIComponent(expr);
    expect(await json<U[]>(await get(e, `/api/v1/users?filter=${q(`profile.login eq "${login}"`)}`))).toHaveLength(1);
    expect(await json<U[]>(await get(e, `/api/v1/users?filter=${q(`profile.login eq "${login.toUpperCase()}"`)}`))).toHaveLength(0);
    expect(await json<U[]>(await get(e, `/api/v1/users?search=${q(`profile.login eq "${login.toUpperCase()}"`)}`))).toHaveLength(1);
  });

  it("generated users: mixed-case and non-ASCII logins, typed custom attributes, null dates on ACTIVE users, other providers", async () => {
    const e = await start(
      { mixedCaseLogins: true, nonAsciiLogins: true, typedCustomAttributes: true, nullDates: true, otherProviders: true },
      300,
    );
    const users = await json<U[]>(await get(e, `/api/v1/users?limit=200&${ALL}`));
    const logins = users.map((u) => String(u.profile["login"]));
    expect(logins.some((l) => l !== l.toLowerCase())).toBe(true);
    expect(logins.some((l) => /[^\x00-\x7f]/.test(l))).toBe(true);
    expect(
      users.every(
        (u) =>
          typeof u.profile["costCenterNumber"] === "number" &&
          typeof u.profile["isContractor"] === "boolean" &&
          Array.isArray(u.profile["badgeCodes"]),
      ),
    ).toBe(true);
    expect(users.some((u) => u.status === "ACTIVE" && u.activated === null && u.lastLogin === null)).toBe(true);
    expect(new Set(users.map((u) => u.credentials.provider.type))).toEqual(new Set(["OKTA", "ACTIVE_DIRECTORY", "LDAP", "FEDERATION"]));
    const tidy = await start("tidy", 300);
    const plain = await json<U[]>(await get(tidy, `/api/v1/users?limit=200&${ALL}`));
    expect(
      plain.every((u) => String(u.profile["login"]) === String(u.profile["login"]).toLowerCase() && u.credentials.provider.type === "OKTA"),
    ).toBe(true);
  });

  it("emptyPagesWithNext: the last page links to an empty page, which has no next link", async () => {
    const e = await start({ emptyPagesWithNext: true });
    const res = await get(e, "/api/v1/groups?limit=100");
    const next = links(res)["next"];
    expect(next).toBeDefined();
    const empty = await get(e, new URL(next ?? "").pathname + new URL(next ?? "").search);
    expect(await empty.json()).toEqual([]);
    expect(links(empty)["next"]).toBeUndefined();
  });

  it("strictParams: a malformed since, a malformed limit and an unknown parameter are 400 E0000001 (tidy: accepted)", async () => {
    const e = await start({ strictParams: true });
    for (const path of ["/api/v1/logs?since=yesterday", "/api/v1/users?limit=ten", "/api/v1/users?filtr=x", "/api/v1/groups?foo=1"]) {
      const res = await get(e, path);
      expect(res.status, path).toBe(400);
      expect(await json<{ errorCode: string }>(res)).toMatchObject({ errorCode: "E0000001" });
    }
    const t = await start("tidy");
    expect((await get(t, "/api/v1/logs?since=yesterday")).status).toBe(200);
  });

  it("sparseErrorBodies: errors carry only errorCode and errorSummary", async () => {
    const e = await start({ sparseErrorBodies: true });
    const body = await json<Record<string, unknown>>(await get(e, "/api/v1/users/00uNoSuchUser"));
    expect(Object.keys(body).sort()).toEqual(["errorCode", "errorSummary"]);
  });

  it("dpopRequiredForNewApps: the default app refuses a token request without a DPoP proof, as Okta does", async () => {
    const e = await start({ dpopRequiredForNewApps: true });
    const assertion = clientAssertion({ clientId: e.clientId, aud: `${e.url}/oauth2/v1/token`, key: e.privateKeyPem, kid: e.keyId });
    const res = await tokenRequest(e.url, {
      grant_type: "client_credentials",
      scope: "okta.users.read",
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_dpop_proof" });
  });

  it("schemaEndpoints: the user and group profile schemas are served (tidy: 404)", async () => {
    const e = await start({ schemaEndpoints: true, typedCustomAttributes: true });
    const schema = await json<{ definitions: { custom: { properties: Record<string, { type: string }> } } }>(
      await get(e, "/api/v1/meta/schemas/user/default"),
    );
    expect(schema.definitions.custom.properties["costCenterNumber"]?.type).toBe("integer");
    expect((await get(e, "/api/v1/meta/schemas/group/default")).status).toBe(200);
    const t = await start("tidy");
    expect((await get(t, "/api/v1/meta/schemas/user/default")).status).toBe(404);
  });
});

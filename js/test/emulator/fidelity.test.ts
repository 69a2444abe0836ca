/**
 * Fidelity: the official Okta Node SDK (v8.1.0) lists users, groups and members from the emulator,
 * with an SSWS token and with private-key client credentials (including the DPoP nonce dance), and
 * sees exactly the emulator's ground truth.
 */
import okta from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groundTruth, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";

type Client = InstanceType<typeof okta.Client>;

let emu: RunningEmulator;

beforeAll(async () => {
  // 450 users: more than two pages of 200, so the SDK must follow next links.
  emu = await startEmulator({ users: 450, groups: 6, seed: 42, rateLimit: "off", dpop: "optional" });
});
afterAll(async () => emu.close());

interface Truth {
  users: { id: string; status: string }[];
  groups: { id: string; type: string }[];
  memberships: Record<string, string[]>;
}

function truth(): Truth {
  return groundTruth(emu.env) as Truth;
}

async function collect<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of collection) if (item !== null) out.push(item);
  return out;
}

async function snapshot(
  client: Client,
): Promise<{ users: [string, string][]; all: [string, string][]; groups: [string, string][]; members: Record<string, string[]> }> {
  const users = await collect(await client.userApi.listUsers({}));
  const all = await collect(await client.userApi.listUsers({ search: "status pr" }));
  const groups = await collect(await client.groupApi.listGroups({}));
  const members: Record<string, string[]> = {};
  for (const g of groups) {
    const list = await collect(await client.groupApi.listGroupUsers({ groupId: g.id ?? "", limit: 50 }));
    members[g.id ?? ""] = list.map((u) => u.id ?? "");
  }
  return {
    users: users.map((u) => [u.id ?? "", String(u.status)]),
    all: all.map((u) => [u.id ?? "", String(u.status)]),
    groups: groups.map((g) => [g.id ?? "", String(g.type)]),
    members,
  };
}

function expectGroundTruth(seen: Awaited<ReturnType<typeof snapshot>>): void {
  const t = truth();
  expect(seen.all).toEqual(t.users.map((u) => [u.id, u.status]));
  // The plain listing leaves DEPROVISIONED users out.
  expect(seen.users).toEqual(t.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => [u.id, u.status]));
  expect(t.users.some((u) => u.status === "DEPROVISIONED")).toBe(true);
  expect(seen.groups).toEqual(t.groups.map((g) => [g.id, g.type]));
  expect(new Set(seen.groups.map(([, type]) => type))).toEqual(new Set(["BUILT_IN", "OKTA_GROUP", "APP_GROUP"]));
  expect(seen.members).toEqual(t.memberships);
  const everyone = t.groups.find((g) => g.type === "BUILT_IN");
  expect(seen.members[everyone?.id ?? ""]).toHaveLength(t.users.length);
}

function noCache(): { cacheMiddleware: null } {
  // The SDK caches GETs by default; a sync must see changes made through the control API.
  return { cacheMiddleware: null };
}

describe("official @okta/okta-sdk-nodejs against the emulator", () => {
  it("SSWS: users (default and all), groups and members equal the ground truth", async () => {
    const client = new okta.Client({ orgUrl: emu.url, token: emu.apiToken, ...noCache() });
    expectGroundTruth(await snapshot(client));
    const one = await client.userApi.getUser({ userId: String(truth().users[3]?.id) });
    expect(one.id).toBe(truth().users[3]?.id);
  });

  it("private key (client credentials, DPoP-bound token after a nonce challenge): same result", async () => {
    const client = new okta.Client({
      orgUrl: emu.url,
      authorizationMode: "PrivateKey",
      clientId: emu.clientId,
      scopes: ["okta.users.read", "okta.groups.read"],
      privateKey: emu.privateKeyPem,
      keyId: emu.keyId,
      ...noCache(),
    });
    expectGroundTruth(await snapshot(client));
    const tokens = [...emu.env.oauth.tokens.values()];
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((t) => t.jkt !== null)).toBe(true);
  });

  it("private key with DPoP off (plain Bearer token): same result", async () => {
    const app = emu.env.oauth.apps.get(emu.clientId);
    if (app === undefined) throw new Error("default app missing");
    app.dpop = "off";
    try {
      const client = new okta.Client({
        orgUrl: emu.url,
        authorizationMode: "PrivateKey",
        clientId: emu.clientId,
        scopes: ["okta.users.read", "okta.groups.read"],
        privateKey: emu.privateKeyPem,
        keyId: emu.keyId,
        ...noCache(),
      });
      const before = emu.env.oauth.tokens.size;
      expectGroundTruth(await snapshot(client));
      const fresh = [...emu.env.oauth.tokens.values()].slice(before);
      expect(fresh.length).toBe(1);
      expect(fresh[0]?.jkt).toBeNull();
    } finally {
      app.dpop = "optional";
    }
  });

  it("sees control-API mutations (new user, deactivation, membership change)", async () => {
    const client = new okta.Client({ orgUrl: emu.url, token: emu.apiToken, ...noCache() });
    const t = truth();
    const group = t.groups.find((g) => g.type === "OKTA_GROUP");
    const created = await fetch(`${emu.url}/__control/users`, {
      method: "POST",
      body: JSON.stringify({ profile: { login: "zoë.new@example.com", firstName: "Zoë", lastName: "Ñúñez" }, groupIds: [group?.id] }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const victim = t.users.find((u) => u.status === "ACTIVE");
    await fetch(`${emu.url}/__control/users/${victim?.id}/deactivate`, { method: "POST" });
    expectGroundTruth(await snapshot(client));
    const seen = await collect(await client.userApi.listUsers({ filter: `lastUpdated gt "2026-01-01T00:00:00.000Z"` }));
    expect(seen.map((u) => u.id).sort()).toEqual([created.id, victim?.id].sort());
  });
});

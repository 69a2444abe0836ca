/** Control API mutations (and their System Log events), fault injection, and the CLI command. */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { links } from "./helpers.js";

let emu: RunningEmulator;
let auth: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ users: 60, groups: 4, seed: 3, rateLimit: "off" });
  auth = { Authorization: `SSWS ${emu.apiToken}` };
});
afterAll(async () => emu.close());

const control = (path: string, method = "GET", body?: unknown): Promise<Response> =>
  fetch(`${emu.url}/__control${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const api = (path: string): Promise<Response> => fetch(path.startsWith("http") ? path : `${emu.url}${path}`, { headers: auth });

describe("control API", () => {
  it("creates, updates, deactivates and deletes users; changes memberships; logs events", async () => {
    const group = emu.env.store.groups.find((g) => g.type === "OKTA_GROUP");
    const created = await control("/users", "POST", {
      profile: { login: "new.person@example.com", firstName: "Nuño", lastName: "Ærø" },
      status: "STAGED",
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; status: string };
    expect(user.status).toBe("STAGED");
    expect(emu.env.store.users.at(-1)?.id).toBe(user.id);
    expect((await control("/users", "POST", { profile: { login: "NEW.PERSON@example.com" } })).status).toBe(409);

    const updated = (await (await control(`/users/${user.id}`, "PATCH", { profile: { city: "Tromsø" }, status: "ACTIVE" })).json()) as {
      profile: Record<string, string>;
      status: string;
    };
    expect(updated).toMatchObject({ status: "ACTIVE", profile: { city: "Tromsø", firstName: "Nuño" } });
    expect((await control(`/groups/${group?.id}/users/${user.id}`, "PUT")).status).toBe(200);
    expect(((await (await api(`/api/v1/groups/${group?.id}/users`)).json()) as { id: string }[]).map((u) => u.id)).toContain(user.id);

    expect((await control(`/users/${user.id}/deactivate`, "POST")).status).toBe(200);
    const plain = ((await (await api("/api/v1/users")).json()) as { id: string }[]).map((u) => u.id);
    expect(plain).not.toContain(user.id);
    const byId = (await (await api(`/api/v1/users/${user.id}`)).json()) as { status: string };
    expect(byId.status).toBe("DEPROVISIONED");

    expect((await control(`/groups/${group?.id}/users/${user.id}`, "DELETE")).status).toBe(200);
    expect((await control(`/users/${user.id}`, "DELETE")).status).toBe(200);
    expect((await api(`/api/v1/users/${user.id}`)).status).toBe(404);

    const state = (await (await control("/state")).json()) as { users: { id: string }[]; memberships: Record<string, string[]> };
    expect(state.users.map((u) => u.id)).not.toContain(user.id);
    expect(Object.values(state.memberships).flat()).not.toContain(user.id);

    const events = (await (
      await api(`/api/v1/logs?filter=${encodeURIComponent(`target.id eq "${user.id}"`)}&since=2020-01-01T00:00:00.000Z`)
    ).json()) as { eventType: string }[];
    expect(events.map((e) => e.eventType)).toEqual([
      "user.lifecycle.create",
      "user.account.update_profile",
      "user.lifecycle.activate",
      "group.user_membership.add",
      "user.lifecycle.deactivate",
      "group.user_membership.remove",
      "user.lifecycle.delete.initiated",
      "user.lifecycle.delete.completed",
    ]);
  });

  it("registers extra apps and changes rate limits at run time", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { clientAssertion, tokenRequest, ASSERTION_TYPE } = await import("./helpers.js");
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const res = await control("/apps", "POST", {
      jwk: pair.publicKey.export({ format: "jwk" }),
      kid: "k1",
      grantedScopes: ["okta.groups.read"],
      dpop: "off",
    });
    const { clientId } = (await res.json()) as { clientId: string };
    const assertion = clientAssertion({ clientId, aud: `${emu.url}/oauth2/v1/token`, key: pair.privateKey, kid: "k1", alg: "ES256" });
    const token = await tokenRequest(emu.url, {
      grant_type: "client_credentials",
      scope: "okta.users.read okta.groups.read",
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    expect(((await token.json()) as { scope: string }).scope).toBe("okta.groups.read");
    try {
      expect((await control("/rate-limit", "POST", { spec: "users=4,share=50" })).status).toBe(200);
      expect((await api("/api/v1/users")).status).toBe(200);
      expect((await api("/api/v1/users")).status).toBe(200);
      expect((await api("/api/v1/users")).status).toBe(429);
    } finally {
      expect((await control("/rate-limit", "POST", { spec: "off" })).status).toBe(200);
    }
    expect((await api("/api/v1/users")).status).toBe(200);
  });

  it("bad input → 4xx with a message", async () => {
    expect((await control("/users", "POST", { profile: { login: "x" } })).status).toBe(400);
    expect((await control("/users/00uNope/deactivate", "POST")).status).toBe(404);
    expect((await control("/faults", "POST", { spec: "nonsense=1" })).status).toBe(400);
    expect((await control("/nope")).status).toBe(404);
  });
});

describe("faults", () => {
  const setFaults = async (spec: string): Promise<void> => {
    expect((await control("/faults", "POST", { clear: true, spec })).status).toBe(200);
  };

  it("429 storm and 5xx burst, then normal service", async () => {
    await setFaults("429=2,5xx=3");
    expect((await api("/api/v1/users")).status).toBe(429);
    expect((await api("/api/v1/users")).status).toBe(429);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api("/api/v1/users")).status);
    expect(statuses).toEqual([500, 502, 503]);
    expect((await api("/api/v1/users")).status).toBe(200);
  });

  it("malformed JSON, foreign next link, duplicated user across pages", async () => {
    await setFaults("malformed=1");
    await expect((await api("/api/v1/users?limit=5")).json()).rejects.toThrow();
    await setFaults("foreign-next=1");
    expect(new URL(links(await api("/api/v1/users?limit=5"))["next"] ?? "").origin).not.toBe(emu.url);
    await setFaults("duplicate=1");
    const first = await api("/api/v1/users?limit=5");
    const page1 = ((await first.json()) as { id: string }[]).map((u) => u.id);
    const page2 = ((await (await api(links(first)["next"] ?? "")).json()) as { id: string }[]).map((u) => u.id);
    expect(page2[0]).toBe(page1.at(-1));
  });

  it("slow and stalled responses", async () => {
    await setFaults("slow=1:300,stall=1");
    const t0 = Date.now();
    // The stalled request is also the slow one: it waits, then never answers.
    await expect(fetch(`${emu.url}/api/v1/users`, { headers: auth, signal: AbortSignal.timeout(800) })).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
    expect((await api("/api/v1/users?limit=1")).status).toBe(200);
  });

  it("malformed percent-escapes are a 404, not a crash", async () => {
    expect((await api("/api/v1/users/%E0%A4%A")).status).toBe(404);
  });

  it("connection reset mid-body", async () => {
    await setFaults("reset=1");
    const res = await api("/api/v1/users?limit=50");
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await api("/api/v1/users?limit=5")).status).toBe(200);
  });

  it("token expiry mid-sync and a user deleted between pages", async () => {
    await setFaults("");
    const assertion = await import("./helpers.js").then((h) =>
      h.clientAssertion({ clientId: emu.clientId, aud: `${emu.url}/oauth2/v1/token`, key: emu.privateKeyPem, kid: emu.keyId }),
    );
    const { tokenRequest, ASSERTION_TYPE } = await import("./helpers.js");
    const t = (await (
      await tokenRequest(emu.url, {
        grant_type: "client_credentials",
        scope: "okta.users.read",
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion,
      })
    ).json()) as { access_token: string; token_type: string };
    expect(t.token_type).toBe("Bearer");
    const bearer = { Authorization: `Bearer ${t.access_token}` };
    await setFaults("token-expiry=2");
    expect((await fetch(`${emu.url}/api/v1/users`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${emu.url}/api/v1/users`, { headers: bearer })).status).toBe(401);

    await setFaults("delete-between-pages=1");
    const before = emu.env.store.users.length;
    const res = await api("/api/v1/users?limit=3&search=status%20pr");
    const next = links(res)["next"] ?? "";
    expect(emu.env.store.users.length).toBe(before - 1);
    const page2 = ((await (await api(next)).json()) as { id: string }[]).map((u) => u.id);
    expect(page2).toHaveLength(3);
    expect(page2[0]).toBe(emu.env.store.users[3]?.id);
  });
});

describe("okta-directory emulator (CLI)", () => {
  const bin = fileURLToPath(new URL("../../bin/okta-directory.mjs", import.meta.url));

  it("prints the ready line, writes a 0600 key file, serves, and removes the key on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [bin, "emulator", "--users", "25", "--groups", "3", "--seed", "9", "--port", "0", "--rate-limit", "off"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as { url: string; clientId: string; privateKeyPath: string; apiToken: string };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.clientId).toMatch(/^0oa/);
      expect(statSync(ready.privateKeyPath).mode & 0o777).toBe(0o600);
      const res = await fetch(`${ready.url}/api/v1/users?search=status%20pr`, { headers: { Authorization: `SSWS ${ready.apiToken}` } });
      expect(((await res.json()) as unknown[]).length).toBe(25);
      const exited = new Promise<number | null>((r) => child.once("exit", r));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(ready.privateKeyPath)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("exits 2 on bad usage", async () => {
    for (const args of [
      ["emulator"],
      ["emulator", "--users", "x"],
      ["emulator", "--users", "5", "--faults", "bogus=1"],
      ["emulator", "--users", "5", "--rate-limit", "users=abc"],
    ]) {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      expect(await new Promise((r) => child.once("exit", r))).toBe(2);
      expect(stderr).toMatch(/^error\[USAGE\]/);
    }
  });
});

/** The `OktaDirectory` client: configuration held, sync + lookups, a lazy users iterator, stores, incremental runs. */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, MemoryStore, OktaDirectory, StoreError, type DirectoryUser } from "../../src/node.js";
import { groundTruth, type RunningEmulator } from "../../src/emulator/index.js";
import { normalizedTruth, recordingFetch, startTestEmulator, type Recorded } from "./helpers.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe("OktaDirectory client", () => {
  it("validates its configuration at construction (typed errors, no request)", () => {
    const build = (o: unknown) => () => new OktaDirectory(o as ConstructorParameters<typeof OktaDirectory>[0]);
    expect(build({ orgUrl: "https://acme.okta.com" })).toThrow(ConfigurationError);
    expect(build({ orgUrl: "https://acme.okta.com" })).toThrow(expect.objectContaining({ code: "INVALID_CREDENTIALS" }) as Error);
    expect(build({ orgUrl: "https://acme.okta.com", apiToken: "t", clientId: "0oa1" })).toThrow(
      expect.objectContaining({ code: "INVALID_CREDENTIALS" }) as Error,
    );
    expect(build({ apiToken: "t" })).toThrow(expect.objectContaining({ code: "INVALID_ORG_URL", option: "orgUrl" }) as Error);
    expect(build({ orgUrl: "https://acme.okta.com", apiToken: "t", retry: { maxAttempts: 0 } })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", option: "retry.maxAttempts" }) as Error,
    );
    const okta = new OktaDirectory({ orgUrl: "https://acme.okta.com", apiToken: "00secret-token" });
    expect(okta.orgUrl).toBe("https://acme.okta.com");
    // Credentials are private: not enumerable, not in JSON, not in inspection output.
    expect(JSON.stringify(okta)).not.toContain("00secret-token");
    expect(Object.values(okta)).not.toContain("00secret-token");
    // Lookups before any directory: a typed error.
    expect(() => okta.lookup("a@example.com")).toThrow(StoreError);
    expect(() => okta.lookup("a@example.com")).toThrow(expect.objectContaining({ code: "STORE_EMPTY" }) as Error);
  });

  it("sync() builds the directory it holds; lookups, groups and members answer from it; the store gets it", async () => {
    emu = await startTestEmulator({ users: 40, groups: 3, seed: 7, rateLimit: "off", realism: "tidy" });
    const store = new MemoryStore();
    const okta = new OktaDirectory({
      orgUrl: emu.url,
      clientId: emu.clientId,
      privateKey: emu.privateKeyPem,
      keyId: emu.keyId,
      allowInsecureLoopback: true,
      store,
      pageLimit: 15,
    });
    const summary = await okta.sync();
    const truth = groundTruth(emu.env) as { users: Array<{ id: string; profile: { login: string } }>; groups: Array<{ id: string }> };
    expect(summary.users).toBe(40);
    expect(summary.mode).toBe("full");
    expect(okta.info()).toMatchObject({ users: 40, groups: truth.groups.length });
    const someone = truth.users[5];
    expect(okta.lookup(someone?.profile.login ?? "").user.id).toBe(someone?.id);
    const group = truth.groups[0]?.id ?? "";
    const members = okta.membersOf(group);
    for (const m of members) expect(okta.groupsOf(m.id ?? "").map((g) => g.id)).toContain(group);
    // The store holds the same directory: a second client loads it without syncing.
    const other = new OktaDirectory({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true, store });
    expect(await other.load()).not.toBeNull();
    expect(other.lookup(someone?.profile.login ?? "").user).toEqual(okta.lookup(someone?.profile.login ?? "").user);
    okta.close();
    other.close();
  }, 60_000);

  it("sync({ incremental: true }) applies the changes since the last sync to the directory held", async () => {
    emu = await startTestEmulator({ users: 20, groups: 2, seed: 9, rateLimit: "off", realism: "tidy" });
    const okta = new OktaDirectory({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true });
    await expect(okta.sync({ incremental: true })).rejects.toMatchObject({ code: "INVALID_OPTION", option: "incremental" });
    await okta.sync();
    expect(okta.watermarkMs).toBeGreaterThan(0);
    const delta = await okta.sync({ incremental: true });
    expect(delta.mode).toBe("incremental");
    expect(okta.info().users).toBe(20);
    okta.close();
  }, 60_000);

  it("users() yields every user normalized, in listing order, fetching pages lazily", async () => {
    emu = await startTestEmulator({ users: 45, groups: 2, seed: 3, rateLimit: "off", realism: "tidy" });
    const log: Recorded[] = [];
    const okta = new OktaDirectory({
      orgUrl: emu.url,
      apiToken: emu.apiToken,
      allowInsecureLoopback: true,
      pageLimit: 10,
      fetch: recordingFetch(log),
    });
    const usersRequests = (): number => log.filter((r) => new URL(r.url).pathname === "/api/v1/users").length;
    const seen: DirectoryUser[] = [];
    for await (const user of okta.users()) {
      seen.push(user);
      // At most one page ahead of the loop: the first user of a page arrives with at most the next page requested.
      if (seen.length % 10 === 1) expect(usersRequests()).toBeLessThanOrEqual(Math.ceil(seen.length / 10) + 1);
    }
    const truth = normalizedTruth(emu);
    expect(seen.length).toBe(45);
    for (const u of seen) expect(u).toEqual(truth.get(u.id ?? ""));
    expect(okta.directory).toBeUndefined();
  }, 60_000);

  it("leaving the users() loop early stops the requests", async () => {
    emu = await startTestEmulator({ users: 80, groups: 1, seed: 5, rateLimit: "off", realism: "tidy" });
    const log: Recorded[] = [];
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    const okta = new OktaDirectory({
      orgUrl: emu.url,
      apiToken: emu.apiToken,
      allowInsecureLoopback: true,
      pageLimit: 10,
      fetch: recordingFetch(log),
      logger,
    });
    let n = 0;
    for await (const _ of okta.users()) if (++n === 3) break;
    expect(warnings).toEqual([]); // stopping on purpose is not a failed sync
    const after = log.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(log.length).toBe(after);
    expect(log.filter((r) => new URL(r.url).pathname === "/api/v1/users").length).toBeLessThanOrEqual(2);
  }, 60_000);

  it("users({ signal }): aborting stops the listing with ABORTED at the next user", async () => {
    emu = await startTestEmulator({ users: 60, groups: 1, seed: 6, rateLimit: "off", realism: "tidy" });
    const okta = new OktaDirectory({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true, pageLimit: 10 });
    const controller = new AbortController();
    let seen = 0;
    const run = async (): Promise<void> => {
      for await (const _ of okta.users({ signal: controller.signal })) {
        seen++;
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: "ABORTED" });
    expect(seen).toBe(1);
  }, 60_000);

  it("users() surfaces a sync error from the iteration, typed", async () => {
    emu = await startTestEmulator({ users: 5, groups: 1, seed: 5, rateLimit: "off", realism: "tidy" });
    const okta = new OktaDirectory({ orgUrl: emu.url, apiToken: "00wrong", allowInsecureLoopback: true });
    const run = async (): Promise<number> => {
      let n = 0;
      for await (const _ of okta.users()) n++;
      return n;
    };
    await expect(run()).rejects.toMatchObject({ code: "OKTA_AUTHENTICATION_FAILED" });
  }, 60_000);
});

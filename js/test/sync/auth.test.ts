/** syncDirectory against the in-process emulator with each auth mode: SSWS, private key + DPoP, Bearer. */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { AuthorizationError, AuthenticationError, ConfigurationError, syncDirectory, type SyncProgressEvent } from "../../src/node.js";
import { expectMatchesTruth, recordingFetch, type Recorded } from "./helpers.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ users: 450, groups: 6, seed: 7, rateLimit: "off", ...options });
  return emu;
}

describe("syncDirectory auth modes", () => {
  it("SSWS: the directory equals the ground truth, DEPROVISIONED included", async () => {
    const e = await start();
    const log: Recorded[] = [];
    const events: SyncProgressEvent[] = [];
    const result = await syncDirectory({
      orgUrl: e.url,
      apiToken: e.apiToken,
      allowInsecureLoopback: true,
      fetch: recordingFetch(log),
      onProgress: (p) => events.push(p),
    });
    expectMatchesTruth(result, e);
    expect(result.summary.usersByStatus["DEPROVISIONED"]).toBeGreaterThan(0);
    expect(log.every((r) => r.authorization === "SSWS" && r.dpop === null)).toBe(true);
    expect(log.some((r) => r.url.includes("/oauth2/"))).toBe(false);
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)?.pages).toBe(result.summary.progress.pages);
  });

  it("private key + DPoP required: nonce challenge answered, DPoP-bound token, a proof on every request", async () => {
    const e = await start({ dpop: "required" });
    const log: Recorded[] = [];
    const result = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      dpop: "required",
      allowInsecureLoopback: true,
      fetch: recordingFetch(log),
    });
    expectMatchesTruth(result, e);
    const token = log.filter((r) => r.url.endsWith("/oauth2/v1/token"));
    expect(token.map((r) => r.status)).toEqual([400, 200]); // use_dpop_nonce, then the token
    expect(token.every((r) => r.dpop !== null && r.authorization === null)).toBe(true);
    const api = log.filter((r) => r.url.includes("/api/v1/"));
    expect(api.every((r) => r.authorization === "DPoP" && r.dpop !== null)).toBe(true);
    expect(new Set(api.map((r) => r.dpop)).size).toBe(api.length); // a fresh proof per request
  });

  it("private key (EC, ES256) + Bearer with DPoP off", async () => {
    const e = await start({ dpop: "off", keyType: "EC" });
    const log: Recorded[] = [];
    const result = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      dpop: "off",
      allowInsecureLoopback: true,
      fetch: recordingFetch(log),
    });
    expectMatchesTruth(result, e);
    expect(log.filter((r) => r.url.includes("/api/v1/")).every((r) => r.authorization === "Bearer" && r.dpop === null)).toBe(true);
  });

  it("a token that expires mid-sync is refreshed once and the sync completes", async () => {
    const e = await start({ faults: "token-expiry=3" });
    const log: Recorded[] = [];
    const result = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      allowInsecureLoopback: true,
      fetch: recordingFetch(log),
    });
    expectMatchesTruth(result, e);
    expect(log.some((r) => r.status === 401)).toBe(true);
    expect(log.filter((r) => r.url.endsWith("/oauth2/v1/token") && r.status === 200)).toHaveLength(2);
  });

  it("a withheld scope is AUTHORIZATION_INCOMPLETE naming it", async () => {
    const e = await start({ grantedScopes: ["okta.users.read"] });
    const err = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      allowInsecureLoopback: true,
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AuthorizationError);
    expect(err).toMatchObject({ code: "AUTHORIZATION_INCOMPLETE" });
    expect((err as Error).message).toContain("okta.groups.read");
  });

  it("a wrong key id is AUTHENTICATION_FAILED with the OAuth code only", async () => {
    const e = await start();
    const err = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: "kid-unknown",
      allowInsecureLoopback: true,
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ code: "AUTHENTICATION_FAILED", status: 401 });
    expect((err as Error).message).toContain("invalid_client");
    expect((err as Error).message).not.toContain("kid-unknown");
  });

  it("configuration errors come before any request", async () => {
    const log: Recorded[] = [];
    const fetch = recordingFetch(log);
    await expect(syncDirectory({ orgUrl: "http://127.0.0.1:1", apiToken: "x", fetch })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(syncDirectory({ orgUrl: "https://acme.okta.com", fetch })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    await expect(
      syncDirectory({ orgUrl: "https://acme.okta.com", clientId: "0oa1", privateKey: "not a key", fetch }),
    ).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(log).toHaveLength(0);
  });
});

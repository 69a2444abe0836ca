/** Configurable retries, `onRateLimit` and the `logger` hook of a sync: bounds honoured, options validated, nothing secret logged. */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, SyncError, syncDirectory, type LogFields, type RateLimitEvent } from "../../src/node.js";
import { groundTruth, type RunningEmulator } from "../../src/emulator/index.js";
import { startTestEmulator } from "./helpers.js";

const ORG = "https://acme.okta.com";
const json = (body: string, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { "content-type": "application/json", date: new Date().toUTCString(), ...headers } });

describe("sync retries", () => {
  it("retry.maxAttempts and the back-off bounds are honoured (attempts counted per request, waits capped)", async () => {
    let usersCalls = 0;
    // Only the users listing fails (the groups listing succeeds): its attempts are the ones counted.
    const fetch = async (url: string): Promise<Response> => {
      if (new URL(url).pathname !== "/api/v1/users") return json("[]");
      usersCalls++;
      return json('{"errorCode":"E0000009","errorSummary":"Internal Server Error"}', 500);
    };
    const started = Date.now();
    const err = await syncDirectory({
      orgUrl: ORG,
      apiToken: "00tok",
      fetch,
      maxInFlight: 1,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: "TOO_MANY_RETRIES", status: 500 });
    expect((err as Error).message).toContain("3 attempts");
    expect(usersCalls).toBe(3);
    // The default back-off (1 s, 2 s, …) would take seconds; the configured one is capped at 20 ms per wait.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("maxAttempts: 1 means no retry", async () => {
    let calls = 0;
    const fetch = async (): Promise<Response> => {
      calls++;
      return json("{}", 503);
    };
    const err = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1, retry: { maxAttempts: 1 } }).catch(
      (x: unknown) => x,
    );
    expect(err).toMatchObject({ code: "TOO_MANY_RETRIES" });
    expect(calls).toBe(1);
  });

  it.each([
    [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts"],
    [{ retry: { maxAttempts: 2.5 } }, "retry.maxAttempts"],
    [{ retry: { baseDelayMs: -1 } }, "retry.baseDelayMs"],
    [{ retry: { baseDelayMs: 5000, maxDelayMs: 100 } }, "retry.maxDelayMs"],
    [{ retry: { maxDelayMs: 400_000 } }, "retry.maxDelayMs"],
    [{ onRateLimit: "yes" }, "onRateLimit"],
    [{ logger: { info: 1 } }, "logger.info"],
    [{ logger: "console" }, "logger"],
  ])("rejects %j with INVALID_OPTION naming %s, before any request", async (bad, option) => {
    let calls = 0;
    const fetch = async (): Promise<Response> => {
      calls++;
      return json("[]");
    };
    const err = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, ...(bad as object) }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ code: "INVALID_OPTION", option });
    expect(calls).toBe(0);
  });
});

describe("onRateLimit", () => {
  it("is called before a 429 wait with the wait, the bucket and the last X-Rate-Limit values", async () => {
    const reset = Math.floor(Date.now() / 1000) + 1;
    let first = true;
    const fetch = async (url: string): Promise<Response> => {
      if (first && new URL(url).pathname === "/api/v1/users") {
        first = false;
        return json('{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}', 429, {
          "x-rate-limit-limit": "600",
          "x-rate-limit-remaining": "0",
          "x-rate-limit-reset": String(reset),
        });
      }
      return json("[]", 200, { "x-rate-limit-limit": "600", "x-rate-limit-remaining": "599", "x-rate-limit-reset": String(reset + 60) });
    };
    const events: RateLimitEvent[] = [];
    await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1, onRateLimit: (e) => events.push(e) });
    const limited = events.filter((e) => e.reason.kind === "rateLimited");
    expect(limited.length).toBe(1);
    expect(limited[0]).toMatchObject({
      reason: { kind: "rateLimited", bucket: "usersList" },
      limit: { limit: 600, remaining: 0, resetAt: reset },
    });
    expect(limited[0]?.waitMs).toBeGreaterThan(0);
    expect(limited[0]?.waitMs).toBeLessThanOrEqual(2500);
  }, 20_000);
});

describe("logger", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  /** Runs a sync with a recording logger and returns every record as JSON text. */
  async function logged(
    run: (logger: {
      debug: (m: string, f: LogFields) => void;
      info: (m: string, f: LogFields) => void;
      warn: (m: string, f: LogFields) => void;
    }) => Promise<unknown>,
  ): Promise<{ records: Array<[string, string, LogFields]>; text: string }> {
    const records: Array<[string, string, LogFields]> = [];
    const logger = {
      debug: (m: string, f: LogFields) => records.push(["debug", m, f]),
      info: (m: string, f: LogFields) => records.push(["info", m, f]),
      warn: (m: string, f: LogFields) => records.push(["warn", m, f]),
    };
    await run(logger);
    return { records, text: JSON.stringify(records) };
  }

  it("gets structured records and never a token, key, query or profile value (API token and private key)", async () => {
    emu = await startTestEmulator({ users: 30, groups: 2, seed: 11, rateLimit: "off", realism: "tidy" });
    const e = emu;
    const truth = groundTruth(e.env) as { users: Array<{ profile: Record<string, unknown> }> };
    const profileValues = truth.users
      .flatMap((u) => Object.values(u.profile))
      .filter((v): v is string => typeof v === "string" && v.length >= 4 && /[^0-9]/.test(v));
    expect(profileValues.length).toBeGreaterThan(50);
    const pemBody = e.privateKeyPem
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"))
      .join("");
    for (const credentials of [{ apiToken: e.apiToken }, { clientId: e.clientId, privateKey: e.privateKeyPem, keyId: e.keyId }]) {
      const { records, text } = await logged((logger) =>
        syncDirectory({ orgUrl: e.url, allowInsecureLoopback: true, pageLimit: 10, logger, ...credentials }),
      );
      expect(records.some(([level, m]) => level === "info" && m.includes("sync started"))).toBe(true);
      const done = records.find(([, m]) => m.includes("sync completed"));
      expect(done?.[2]).toMatchObject({ users: 30, groups: expect.any(Number) as number });
      expect(records.filter(([level]) => level === "debug").length).toBeGreaterThan(3);
      expect(text).not.toContain(e.apiToken);
      expect(text).not.toContain(pemBody.slice(10, 40));
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT (access token, client assertion, DPoP proof)
      expect(text).not.toMatch(/SSWS|Bearer|DPoP /);
      expect(text).not.toContain("?"); // no query strings (cursors, filters)
      for (const value of profileValues) expect(text, "a profile value reached the logger").not.toContain(value);
    }
  }, 60_000);

  it("a throwing logger does not fail the sync; a failed sync is logged with its code only", async () => {
    const fetch = async (): Promise<Response> =>
      json('{"errorCode":"E0000006","errorSummary":"secret-looking summary ana@example.com"}', 403);
    const { records, text } = await logged(async (logger) => {
      const err = await syncDirectory({
        orgUrl: ORG,
        apiToken: "00tok-secret",
        fetch,
        logger: {
          ...logger,
          debug: () => {
            throw new Error("broken logger");
          },
        },
      }).catch((x: unknown) => x);
      expect(err).toMatchObject({ code: "OKTA_API_ERROR", status: 403 });
    });
    expect(records.find(([, m]) => m.includes("sync failed"))?.[2]).toMatchObject({ code: "OKTA_API_ERROR", status: 403 });
    expect(text).not.toContain("ana@example.com");
    expect(text).not.toContain("00tok-secret");
  });
});

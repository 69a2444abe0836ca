/** The fetch driver with a fake fetch: redirects are refused, credentials stay on the org, timeouts retry. */
import { describe, expect, it } from "vitest";
import { AbortError, RateLimitError, SyncError, syncDirectory } from "../../src/node.js";
import { SyncSession } from "../../wasm/okta_directory.js";

const ORG = "https://acme.okta.com";

describe("fetch driver", () => {
  it("asks for manual redirects and turns a 3xx into UNEXPECTED_REDIRECT without following it", async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fetch = async (url: string, init: RequestInit): Promise<Response> => {
      seen.push({ url, init });
      return new Response(null, { status: 302, headers: { location: "https://evil.example/steal" } });
    };
    const err = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1 }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: "UNEXPECTED_REDIRECT", status: 302 });
    expect(seen.every((r) => r.init.redirect === "manual" && r.url.startsWith(`${ORG}/`))).toBe(true);
    expect(seen.every((r) => r.init.signal instanceof AbortSignal)).toBe(true);
  });

  it("a request that hangs past the timeout is a network error and is retried", async () => {
    let calls = 0;
    const fetch = (url: string, init: RequestInit): Promise<Response> => {
      calls++;
      if (calls === 1) {
        return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(new Error("timeout"))));
      }
      return Promise.resolve(new Response("[]", { status: 200, headers: { "content-type": "application/json" } }));
    };
    const result = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1, requestTimeoutMs: 50 });
    expect(result.summary.progress.retries).toBe(1);
    expect(result.users).toEqual([]);
  }, 20_000);

  it("the caller's signal aborts a waiting sync with ABORTED", async () => {
    const controller = new AbortController();
    const fetch = (_url: string, init: RequestInit): Promise<Response> =>
      new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    setTimeout(() => controller.abort(), 30);
    await expect(syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("a wait beyond setTimeout's limit is clamped, not fired at once in a loop (a reset 35 days ahead)", async () => {
    const reset = Math.floor(Date.now() / 1000) + 35 * 86_400;
    let calls = 0;
    const fetch = async (): Promise<Response> => {
      calls++;
      const headers = {
        "content-type": "application/json",
        date: new Date().toUTCString(),
        "x-rate-limit-limit": "600",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": String(reset),
        link: `<${ORG}/api/v1/users?after=x>; rel="next"`,
      };
      return new Response('[{"id":"00u1","status":"ACTIVE","profile":{"login":"a@example.com"}}]', { status: 200, headers });
    };
    const controller = new AbortController();
    const waits: number[] = [];
    setTimeout(() => controller.abort(), 300);
    const maxWaitMs = 40 * 86_400_000; // a cap beyond the reset: the wait itself is what is tested here
    const e = await syncDirectory({
      orgUrl: ORG,
      apiToken: "00tok",
      fetch,
      maxInFlight: 1,
      maxWaitMs,
      signal: controller.signal,
      onProgress: (p) => p.waiting && waits.push(p.waiting.ms),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    // One long wait, not thousands of 1 ms timers (Node fires an overflowing timer after 1 ms).
    expect(waits.length).toBeLessThanOrEqual(2);
    expect(waits.every((ms) => ms > 2 ** 31)).toBe(true);
    expect(calls).toBeLessThanOrEqual(2);
  });

  it("with the default cap, the same reset is RATE_LIMIT_WAIT_TOO_LONG naming the bucket and the reset", async () => {
    const reset = Math.floor(Date.now() / 1000) + 86_400;
    const fetch = async (): Promise<Response> =>
      new Response("[]", {
        status: 200,
        headers: {
          date: new Date().toUTCString(),
          "x-rate-limit-limit": "600",
          "x-rate-limit-remaining": "0",
          "x-rate-limit-reset": String(reset),
          link: `<${ORG}/api/v1/users?after=x>; rel="next"`,
        },
      });
    const e = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toMatchObject({ code: "RATE_LIMIT_WAIT_TOO_LONG" });
    expect((e as Error).message).toMatch(/usersList .* 300 s cap \(server reset at \d{4}-\d\d-\d\dT/);
  });

  it("a profile string with invalid UTF-8 is a field issue (INVALID_TEXT), not a value with U+FFFD", async () => {
    const body = Buffer.concat([
      Buffer.from('[{"id":"00u1","status":"ACTIVE","profile":{"login":"a@example.com","firstName":"Jos'),
      Buffer.from([0xe9]),
      Buffer.from('","lastName":"Lee"}}]'),
    ]);
    const fetch = async (url: string): Promise<Response> =>
      new Response(url.includes("/users") ? body : "[]", { status: 200, headers: { "content-type": "application/json" } });
    const result = await syncDirectory({ orgUrl: ORG, apiToken: "00tok", fetch, maxInFlight: 1 });
    const user = result.users[0];
    expect(user?.user.name.given).toBeUndefined();
    expect(user?.user.name.family).toBe("Lee");
    expect(user?.issues).toContainEqual({ field: "givenName", code: "INVALID_TEXT", source: "profile.firstName" });
  });

  it("the hand-written SyncSession declaration matches the class wasm-bindgen generated", () => {
    const declared = [
      "free",
      "poll",
      "onResponse",
      "onNetworkError",
      "setTokenHash",
      "origin",
      "progressJson",
      "checkpointJson",
      "resultJson",
      "journalPagesToReplay",
      "journalResultJson",
      "replayJournalPage",
      "snapshot",
      "summaryJson",
    ];
    const actual = Object.getOwnPropertyNames(SyncSession.prototype).filter((n) => n !== "constructor" && n !== "__destroy_into_raw");
    expect(actual.sort()).toEqual(declared.sort());
  });
});

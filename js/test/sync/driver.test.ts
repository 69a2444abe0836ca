/** The fetch driver with a fake fetch: redirects are refused, credentials stay on the org, timeouts retry. */
import { describe, expect, it } from "vitest";
import { AbortError, SyncError, syncDirectory } from "../../src/node.js";
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

  it("the hand-written SyncSession declaration matches the class wasm-bindgen generated", () => {
    const declared = ["free", "poll", "onResponse", "onNetworkError", "setTokenHash", "origin", "progressJson", "checkpointJson", "resultJson", "journalPagesToReplay", "replayJournalPage", "snapshot", "summaryJson"];
    const actual = Object.getOwnPropertyNames(SyncSession.prototype).filter((n) => n !== "constructor" && n !== "__destroy_into_raw");
    expect(actual.sort()).toEqual(declared.sort());
  });
});

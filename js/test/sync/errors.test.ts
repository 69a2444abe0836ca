/**
 * What a failed sync tells its caller: no listener-leak warning, the network cause and host kept, Okta's error
 * fields as fields, a wrong API token as an authentication error, a missing scheme named, SDK option names.
 */
import { createServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { AuthenticationError, ConfigurationError, OktaApiError, SyncError, syncDirectory } from "../../src/node.js";
import { startTestEmulator } from "./helpers.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** A loopback port that nobody listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `fn` and returns the process warnings emitted meanwhile (and on the next turns, where Node emits them). */
async function warningsDuring(fn: () => Promise<unknown>): Promise<Error[]> {
  const seen: Error[] = [];
  const listener = (w: Error): void => {
    seen.push(w);
  };
  process.on("warning", listener);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off("warning", listener);
  }
  return seen;
}

describe("sync errors", () => {
  it("a 10-page sync (with and without a caller's signal) emits no MaxListenersExceededWarning", async () => {
    // The emulator's default rate limits: the sync paces itself, and every wait used to leave a listener behind.
    emu = await startTestEmulator({ users: 100, groups: 2, seed: 3 });
    const e = emu;
    let pages = 0;
    const run = (signal?: AbortSignal) =>
      syncDirectory({
        orgUrl: e.url,
        apiToken: e.apiToken,
        allowInsecureLoopback: true,
        pageLimit: 10,
        ...(signal ? { signal } : {}),
        onProgress: (p) => (pages = p.pages),
      });
    const warnings = await warningsDuring(async () => {
      await run();
      expect(pages).toBeGreaterThanOrEqual(10);
      await run(new AbortController().signal);
    });
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  }, 60_000);

  it("a refused connection keeps its cause, code and host (no path, no token)", async () => {
    const port = await closedPort();
    const err = await syncDirectory({
      orgUrl: `http://127.0.0.1:${port}`,
      apiToken: "00secret-token",
      allowInsecureLoopback: true,
      maxInFlight: 1,
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SyncError);
    const e = err as SyncError;
    expect(e.code).toBe("TOO_MANY_RETRIES");
    expect(e.networkCode).toBe("ECONNREFUSED");
    expect(e.host).toBe(`127.0.0.1:${port}`);
    expect(e.cause).toBeInstanceOf(Error);
    expect(e.message).toContain("ECONNREFUSED");
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).not.toContain("/api/");
    expect(e.message).not.toContain("secret");
  }, 60_000);

  it("an unknown host keeps ENOTFOUND (custom fetch: the cause chain is searched)", async () => {
    const fetch = async (): Promise<Response> => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND acme.okta.com"), { code: "ENOTFOUND" }),
      });
    };
    const err = (await syncDirectory({ orgUrl: "https://acme.okta.com", apiToken: "00tok", fetch, maxInFlight: 1 }).catch(
      (x: unknown) => x,
    )) as SyncError;
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: "TOO_MANY_RETRIES", networkCode: "ENOTFOUND", host: "acme.okta.com" });
  }, 60_000);

  it("a wrong API token is an AuthenticationError with Okta's error fields and request id", async () => {
    emu = await startTestEmulator({ users: 20, groups: 1, seed: 4, rateLimit: "off", realism: "tidy" });
    const err = await syncDirectory({ orgUrl: emu.url, apiToken: "00wrong-token-value", allowInsecureLoopback: true }).catch(
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as AuthenticationError;
    expect(e.code).toBe("OKTA_AUTHENTICATION_FAILED");
    expect(e.status).toBe(401);
    expect(e.errorCode).toBe("E0000011");
    expect(e.errorSummary).toBe("Invalid token provided");
    expect(e.errorId).toMatch(/^oae[A-Za-z0-9_-]+$/);
    expect(e.requestId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(e.message).toContain("apiToken");
    expect(e.message).not.toContain("wrong-token");
  }, 60_000);

  it("any other non-retried Okta error keeps its fields on the OktaApiError", async () => {
    const body = JSON.stringify({
      errorCode: "E0000006",
      errorSummary: "You do not have permission to perform the requested action",
      errorId: "oaeAbC-12_x",
      errorCauses: [],
    });
    const fetch = async (): Promise<Response> =>
      new Response(body, { status: 403, headers: { "content-type": "application/json", "x-okta-request-id": "Zr7Req-1d_x" } });
    const err = (await syncDirectory({ orgUrl: "https://acme.okta.com", apiToken: "00tok", fetch, maxInFlight: 1 }).catch(
      (x: unknown) => x,
    )) as OktaApiError;
    expect(err).toBeInstanceOf(OktaApiError);
    expect(err).toMatchObject({
      code: "OKTA_API_ERROR",
      status: 403,
      errorCode: "E0000006",
      errorId: "oaeAbC-12_x",
      requestId: "Zr7Req-1d_x",
    });
    expect(err.errorSummary).toBe("You do not have permission to perform the requested action");
  });

  it("an org URL without a scheme says to add https://", async () => {
    const err = await syncDirectory({ orgUrl: "acme.okta.com", apiToken: "00tok" }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ code: "INVALID_ORG_URL" });
    expect((err as Error).message).toContain("add https://");
  });

  it("a loopback org URL without the option names the SDK option (allowInsecureLoopback)", async () => {
    const err = await syncDirectory({ orgUrl: "http://127.0.0.1:8080", apiToken: "00tok" }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ code: "INVALID_ORG_URL", option: "allowInsecureLoopback" });
    expect((err as Error).message).toContain("allowInsecureLoopback");
    expect((err as Error).message).not.toContain("insecure-loopback");
  });
});

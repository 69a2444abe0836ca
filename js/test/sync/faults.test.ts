/** Faults: the sync either completes with the ground truth or fails with a typed error; abort + resume. */
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorOptions, RunningEmulator } from "../../src/emulator/index.js";
import { AbortError, SyncError, syncDirectory, type SyncProgressEvent } from "../../src/node.js";
import { expectMatchesTruth, recordingFetch, startTestEmulator, type Recorded } from "./helpers.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  emu = await startTestEmulator({ users: 450, groups: 5, seed: 21, rateLimit: "off", ...options });
  return emu;
}

const ssws = (e: RunningEmulator, log: Recorded[] = []) => ({
  orgUrl: e.url,
  apiToken: e.apiToken,
  allowInsecureLoopback: true,
  fetch: recordingFetch(log),
});

describe("syncDirectory under faults", () => {
  it("a 5xx burst, a reset mid-body and a malformed page are retried; the directory is identical", async () => {
    const e = await start({ faults: "5xx=3,reset=1,malformed=1" });
    const result = await syncDirectory(ssws(e));
    expectMatchesTruth(result, e);
    expect(result.summary.progress.retries).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it("a storm of concurrency 429s costs only short backoffs", async () => {
    const e = await start({ faults: "concurrency=3" });
    const log: Recorded[] = [];
    const result = await syncDirectory(ssws(e, log));
    expectMatchesTruth(result, e);
    expect(log.filter((r) => r.status === 429)).toHaveLength(3);
  }, 60_000);

  it("a foreign next link is UNSAFE_NEXT_LINK and nothing is sent to the foreign origin", async () => {
    const e = await start({ faults: "foreign-next=1" });
    const log: Recorded[] = [];
    const err = await syncDirectory(ssws(e, log)).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: "UNSAFE_NEXT_LINK" });
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((r) => r.url.startsWith(`${e.url}/`))).toBe(true);
  });

  it("a forced DPoP nonce rotation is answered once", async () => {
    const e = await start({ dpop: "required", faults: "dpop-nonce=1" });
    const result = await syncDirectory({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      allowInsecureLoopback: true,
    });
    expectMatchesTruth(result, e);
  });

  it("an aborted sync resumes from its checkpoint without refetching completed pages", async () => {
    const e = await start();
    const controller = new AbortController();
    let checkpoint: string | undefined;
    let saves = 0;
    const first: Recorded[] = [];
    const err = await syncDirectory({
      ...ssws(e, first),
      pageLimit: 50,
      maxInFlight: 1,
      signal: controller.signal,
      checkpointIntervalMs: 0,
      onCheckpoint: (c) => {
        checkpoint = c;
        saves++;
      },
      // Abort on progress, not on the n-th checkpoint save: under load the driver stretches the
      // checkpoint interval, and the sync could finish before a fourth save.
      onProgress: (p) => {
        if (p.pages >= 4) controller.abort();
      },
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AbortError);
    expect(checkpoint).toBeDefined();
    expect(saves).toBeGreaterThan(0);
    const done = new Set(first.filter((r) => r.status === 200).map((r) => r.url));
    const second: Recorded[] = [];
    const result = await syncDirectory({ ...ssws(e, second), pageLimit: 50, ...(checkpoint === undefined ? {} : { checkpoint }) });
    expectMatchesTruth(result, e);
    const refetched = second.filter((r) => done.has(r.url));
    expect(refetched.length).toBeLessThanOrEqual(1); // at most the page in flight at the abort
  });

  it("at a users limit it must reach (50 % app share of 16 per 3 s window) a sync is paced to it and meets no 429", async () => {
    // Okta's Workforce shape (an app gets half of the org's bucket), scaled down so a test reaches it: 8 users-list
    // requests per window for this app, while the sync needs 10 (450 users at 50 a page, and the empty last page).
    emu = await startTestEmulator({ users: 450, groups: 5, seed: 21, rateLimit: "users=16,share=50,window=3" });
    const log: Recorded[] = [];
    const waits: NonNullable<SyncProgressEvent["waiting"]>[] = [];
    const result = await syncDirectory({ ...ssws(emu, log), pageLimit: 50, onProgress: (p) => void (p.waiting && waits.push(p.waiting)) });
    expectMatchesTruth(result, emu);
    expect(log.filter((r) => r.status === 429)).toHaveLength(0);
    const usersList = log.filter((r) => new URL(r.url).pathname === "/api/v1/users");
    expect(usersList.length).toBeGreaterThan(8); // more than one window allows: the limit was reached
    const paced = waits.filter((w) => w.reason.kind === "pacing" && "bucket" in w.reason && w.reason.bucket === "usersList");
    expect(paced.length).toBeGreaterThan(0);
    // Spread over at least one window reset: the users listing cannot finish inside the first 3 s window.
    expect(result.summary.progress.waitsMs).toBeGreaterThan(1_000);
  }, 60_000);

  it("a checkpoint from another org is INVALID_CHECKPOINT", async () => {
    const e = await start();
    const other = JSON.stringify({
      version: 1,
      origin: "https://other.okta.com",
      users: { next: null, pages: 0, seen: [] },
      groups: { next: null, pages: 0, seen: [] },
      members: [],
      collected: { users: [], groups: [], members: [] },
      progress: {},
    });
    await expect(syncDirectory({ ...ssws(e), checkpoint: other })).rejects.toMatchObject({ code: "INVALID_CHECKPOINT" });
  });
});

/**
 * The CLI's snapshot path (page journal + cursor-only checkpoints): a few thousand users end to end against
 * the emulator, compared with its ground truth (count, ids, statuses, memberships), and an interrupted
 * sync resumed from its checkpoint and journal. Equality only; the timing benchmark is bench/sync-100k.mjs.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groundTruth, startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { Directory, SyncError, syncDirectorySnapshot, type SyncJournal, type SyncJournalPage } from "../../src/node.js";

const cli = new URL("../../bin/okta-directory.mjs", import.meta.url).pathname;
let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ users: 5000, groups: 12, seed: 11, rateLimit: "off" });
  dir = mkdtempSync(join(tmpdir(), "sync-journal-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `okta-directory sync` against the emulator; `interrupt` may signal it while it runs. */
function sync(out: string, extra: string[] = [], interrupt?: (child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  const args = [cli, "sync", "--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback", ...extra];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  interrupt?.(child);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** An `interrupt` for {@link sync}: SIGINT once a checkpoint and a non-empty journal exist next to `out`. */
function stopOnceJournaled(out: string): (child: ReturnType<typeof spawn>) => void {
  return (child) => {
    const timer = setInterval(() => {
      if (existsSync(`${out}.checkpoint.json`) && statSync(`${out}.journal`, { throwIfNoEntry: false })?.size) {
        clearInterval(timer);
        child.kill("SIGINT");
      }
    }, 20);
    child.on("close", () => clearInterval(timer));
  };
}

/** The interrupted run's checkpoint covers journal pages and holds cursors only (the users are in the journal). */
function expectCursorOnlyCheckpoint(checkpoint: string): void {
  const saved = JSON.parse(readFileSync(checkpoint, "utf8")) as { journal?: { pages: number }; collected: { users: unknown[] } };
  expect(saved.journal?.pages).toBeGreaterThan(0);
  expect(saved.collected.users).toEqual([]);
}

/** The snapshot against the emulator's live directory: users (id, status), groups, every group's members. */
function expectSnapshotMatchesTruth(path: string): void {
  const truth = groundTruth(emu.env) as {
    users: { id: string; status: string }[];
    groups: { id: string }[];
    memberships: Record<string, string[]>;
  };
  const d = Directory.fromSnapshot(readFileSync(path));
  try {
    expect(d.info().users).toBe(truth.users.length);
    expect(d.info().groups).toBe(truth.groups.length);
    const status = new Map(truth.users.map((u) => [u.id, u.status]));
    const seen = new Map<string, string>();
    for (const g of truth.groups) {
      const members = d.membersOf(g.id);
      expect(members.map((u) => u.id).sort()).toEqual([...(truth.memberships[g.id] ?? [])].sort());
      for (const u of members) seen.set(u.id ?? "", u.status ?? "");
    }
    // The generator puts everyone in the BUILT_IN group, so every user was seen with its status.
    expect(seen).toEqual(status);
  } finally {
    d.free();
  }
}

describe("okta-directory sync → snapshot (page journal)", () => {
  it("5,000 users, limits off: the snapshot equals the ground truth; journal and checkpoint are removed", async () => {
    const out = join(dir, "full.snap");
    const r = await sync(out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "")).toMatchObject({ users: 5000, groups: 12, retries: 0 });
    expectSnapshotMatchesTruth(out);
    expect(existsSync(`${out}.journal`)).toBe(false);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  }, 60_000);

  it("interrupted after a checkpoint, --resume replays the journal and completes to the same directory", async () => {
    const out = join(dir, "resumed.snap");
    const checkpoint = `${out}.checkpoint.json`;
    emu.env.faults.set("slow=100000:40"); // slow enough that a checkpoint (every second) is written before the end
    const first = await sync(out, [], stopOnceJournaled(out));
    emu.env.faults.clear();
    // Ctrl-C: exit 130 with the progress kept (issue 16), not an error.
    expect(first.code).toBe(130);
    expect(first.stderr).toContain("interrupted by SIGINT");
    expectCursorOnlyCheckpoint(checkpoint);
    const second = await sync(out, ["--resume"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("resuming from");
    expectSnapshotMatchesTruth(out);
    expect(existsSync(`${out}.journal`)).toBe(false);
    expect(existsSync(checkpoint)).toBe(false);
  }, 60_000);

  it("a group-scoped sync journals its member pages too: interrupted, --resume completes to those groups' members", async () => {
    const out = join(dir, "groups.snap");
    const checkpoint = `${out}.checkpoint.json`;
    const [, g1, g2] = (groundTruth(emu.env) as { groups: { id: string }[] }).groups.map((g) => g.id);
    const scope = ["--groups", g1 ?? "", "--workforce-group", g2 ?? "", "--page-limit", "20"];
    emu.env.faults.set("slow=100000:100");
    const first = await sync(out, scope, stopOnceJournaled(out));
    emu.env.faults.clear();
    expect(first.code).toBe(130);
    expectCursorOnlyCheckpoint(checkpoint);
    const second = await sync(out, [...scope, "--resume"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("resuming from");
    const truth = groundTruth(emu.env) as { memberships: Record<string, string[]> };
    const members = new Set([...(truth.memberships[g1 ?? ""] ?? []), ...(truth.memberships[g2 ?? ""] ?? [])]);
    const summary = JSON.parse(second.stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
    expect(summary).toMatchObject({ mode: "groups", users: members.size, groups: 2 });
    const d = Directory.fromSnapshot(readFileSync(out));
    try {
      expect(d.info()).toMatchObject({ users: members.size, groups: 2, workforceGroup: g2 });
      for (const g of [g1 ?? "", g2 ?? ""])
        expect(
          d
            .membersOf(g)
            .map((u) => u.id)
            .sort(),
        ).toEqual([...(truth.memberships[g] ?? [])].sort());
    } finally {
      d.free();
    }
    expect(existsSync(`${out}.journal`)).toBe(false);
    expect(existsSync(checkpoint)).toBe(false);
  }, 60_000);

  it("SDK journal interface: a checkpoint resumes only over the pages its own run journaled (finding 1)", async () => {
    const memory = (pages: SyncJournalPage[]): SyncJournal => ({
      append: (p) => void pages.push({ url: p.url, body: p.body.slice() }),
      replay: (n) => pages.slice(0, n),
    });
    const base = { orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true, checkpointIntervalMs: 0, maxInFlight: 1 };
    /** Runs until the `stopAt`-th checkpoint, then aborts; returns the journal and that checkpoint. */
    const interrupted = async (pageLimit: number, stopAt: number): Promise<{ pages: SyncJournalPage[]; checkpoint: string }> => {
      const pages: SyncJournalPage[] = [];
      const controller = new AbortController();
      let checkpoint = "";
      let saves = 0;
      const failure = await syncDirectorySnapshot({
        ...base,
        pageLimit,
        journal: memory(pages),
        signal: controller.signal,
        onCheckpoint: (c) => {
          if (++saves <= stopAt) checkpoint = c;
          if (saves === stopAt) controller.abort();
        },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toMatchObject({ code: "ABORTED" });
      return { pages, checkpoint };
    };
    const a = await interrupted(200, 6);
    const b = await interrupted(100, 12); // the same command later, other pages (here: another page size)
    const covered = (JSON.parse(a.checkpoint) as { journal: { pages: number } }).journal.pages;
    expect(covered).toBeGreaterThan(2);
    let requests = 0;
    let saved = 0;
    const counting = (input: string, init: RequestInit): Promise<Response> => {
      requests++;
      return fetch(input, init);
    };
    const resume = (journal: SyncJournal) =>
      syncDirectorySnapshot({
        ...base,
        pageLimit: 200,
        fetch: counting,
        checkpoint: a.checkpoint,
        journal,
        onCheckpoint: () => void saved++,
      });
    // Another run's pages, fewer pages, or A's pages out of order: INVALID_CHECKPOINT before any request, no checkpoint.
    const swapped = [a.pages[1], a.pages[0], ...a.pages.slice(2)] as SyncJournalPage[];
    for (const journal of [memory([...b.pages]), memory(a.pages.slice(0, covered - 1)), memory(swapped)]) {
      const e = await resume(journal).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SyncError);
      expect(e).toMatchObject({ code: "INVALID_CHECKPOINT" });
    }
    expect(requests).toBe(0);
    expect(saved).toBe(0);
    // Its own journal resumes to the ground truth.
    const done = await resume(memory(a.pages.slice()));
    const out = join(dir, "sdk-journal.snap");
    writeFileSync(out, done.snapshot);
    expectSnapshotMatchesTruth(out);
  }, 60_000);
});

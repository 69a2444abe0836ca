import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireOutputLock, processAlive } from "../../src/app/output-lock.js";
import { FilePageJournal } from "../../src/app/page-journal.js";
import {
  incrementalBase,
  nextSyncState,
  readSyncState,
  sha256Hex,
  syncPaths,
  syncStateText,
  type IncrementalPolicy,
} from "../../src/app/sync-state.js";
import { StoreError } from "../../src/errors.js";
import type { SyncJournalPage } from "../../src/sync/index.js";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "app-sync-"));
  temps.push(dir);
  return dir;
}

const page = (n: number, body = `{"n":${n}}`): SyncJournalPage => ({
  url: `https://acme.okta.com/api/v1/users?after=${n}`,
  body: Buffer.from(body),
});
const text = (p: SyncJournalPage) => `${p.url} ${Buffer.from(p.body).toString("utf8")}`;

describe("FilePageJournal", () => {
  it("writes `<length> <url>\\n<body>\\n` records, and a resumed run replays the first n and cuts the rest", () => {
    const path = join(scratch(), "out.snap.journal");
    const first = new FilePageJournal(path, false);
    const pages = [page(1), page(2, '{"multi\nline ✓"}'), page(3)];
    for (const p of pages) first.append(p);
    first.close();
    const b = Buffer.from(pages[1]?.body ?? []);
    expect(readFileSync(path, "latin1").split("\n").slice(0, 2)).toEqual([`7 ${pages[0]?.url}`, '{"n":1}']);
    expect(readFileSync(path).includes(Buffer.concat([Buffer.from(`${b.length} ${pages[1]?.url}\n`), b, Buffer.from("\n")]))).toBe(true);

    const resumed = new FilePageJournal(path, true);
    expect([...resumed.replay(2)].map(text)).toEqual(pages.slice(0, 2).map(text));
    resumed.append(page(4));
    resumed.close();
    const again = new FilePageJournal(path, true);
    expect([...again.replay(10)].map(text)).toEqual([...pages.slice(0, 2), page(4)].map(text));
    again.close();
  });

  it("a fresh run truncates; a resume from a checkpoint covering no page starts the file over", () => {
    const path = join(scratch(), "j");
    const a = new FilePageJournal(path, false);
    a.append(page(1));
    a.close();
    const b = new FilePageJournal(path, true);
    b.append(page(9));
    b.close();
    const c = new FilePageJournal(path, true);
    expect([...c.replay(5)].map(text)).toEqual([text(page(9))]);
    c.close();
    new FilePageJournal(path, false).close();
    expect(readFileSync(path).length).toBe(0);
  });

  it("a damaged record ends the replay there (and is cut off)", () => {
    const path = join(scratch(), "j");
    const a = new FilePageJournal(path, false);
    a.append(page(1));
    a.append(page(2));
    a.close();
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, whole.length - 4)); // the second record is short
    const b = new FilePageJournal(path, true);
    expect([...b.replay(2)].map(text)).toEqual([text(page(1))]);
    b.close();
    expect(readFileSync(path).length).toBe(whole.indexOf("\n", whole.indexOf("\n") + 1) + 1);
  });

  it("a failed append is a StoreError with the system error as cause, kept as `failure`", () => {
    const dir = scratch();
    const journal = new FilePageJournal(join(dir, "j"), false);
    journal.close();
    let thrown: unknown;
    try {
      journal.append(page(1));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StoreError);
    expect(journal.failure).toBe(thrown);
    expect(() => new FilePageJournal(join(dir, "missing", "j"), false)).toThrow(/opening the page journal failed \(ENOENT\)/);
  });
});

describe("sync state", () => {
  const policy: IncrementalPolicy = { origin: "https://acme.okta.com", reconcileEvery: 3, reconcileMaxAgeHours: 24 };
  const now = Date.UTC(2026, 5, 1);

  function previousRun(dir: string, overrides: Record<string, unknown> = {}) {
    const paths = syncPaths(join(dir, "dir.snap"));
    writeFileSync(paths.out, "SNAPSHOT BYTES");
    const state = nextSyncState({}, { origin: policy.origin, mode: "full", watermarkMs: now - 3_600_000, output: "SNAPSHOT BYTES" });
    writeFileSync(paths.state, syncStateText({ ...state, ...overrides } as typeof state));
    return paths;
  }

  it("names the files next to the output", () => {
    expect(syncPaths("/x/d.snap")).toEqual({
      out: "/x/d.snap",
      state: "/x/d.snap.state.json",
      checkpoint: "/x/d.snap.checkpoint.json",
      journal: "/x/d.snap.journal",
      lock: "/x/d.snap.lock",
    });
  });

  it("an intact previous full run is an incremental base", () => {
    const paths = previousRun(scratch());
    const base = incrementalBase(paths.out, readSyncState(paths.state), policy, now);
    expect(base.reason).toBeUndefined();
    expect(Buffer.from(base.snapshot ?? []).toString()).toBe("SNAPSHOT BYTES");
  });

  it("every reason for a full run", () => {
    const cases: [Record<string, unknown>, Partial<IncrementalPolicy>, RegExp][] = [
      [{ origin: "https://other.okta.com" }, {}, /another org/],
      [{ watermarkMs: now + 6 * 60_000 }, {}, /in the future/],
      [{ outputSha256: "0".repeat(64) }, {}, /snapshot changed/],
      [{ groups: ["00g1"] }, {}, /group-scoped/],
      [{ groups: "junk" }, {}, /group-scoped/],
      [{ workforceGroupId: "00gW" }, {}, /Workforce group changed/],
      [{}, { workforceGroupId: "00gW" }, /Workforce group changed/],
      [{ incrementalRuns: 3 }, {}, /after 3 incremental runs/],
      [{ watermarkMs: now - 31 * 86_400_000, lastFullWatermarkMs: now }, {}, /older than 30 days/],
      [{ lastFullWatermarkMs: now - 25 * 3_600_000 }, {}, /older than 24 h/],
    ];
    for (const [state, pol, reason] of cases) {
      const paths = previousRun(scratch(), state);
      expect(incrementalBase(paths.out, readSyncState(paths.state), { ...policy, ...pol }, now).reason).toMatch(reason);
    }
    const dir = scratch();
    expect(incrementalBase(join(dir, "none"), {}, policy, now).reason).toMatch(/no previous sync state/);
  });

  it("an absent, broken or other-version state file reads as empty", () => {
    const dir = scratch();
    expect(readSyncState(join(dir, "absent"))).toEqual({});
    writeFileSync(join(dir, "broken"), "{");
    expect(readSyncState(join(dir, "broken"))).toEqual({});
    writeFileSync(join(dir, "v2"), JSON.stringify({ version: 2, watermarkMs: 1 }));
    expect(readSyncState(join(dir, "v2"))).toEqual({});
  });

  it("the next state: a full run resets the count, an incremental one counts and keeps the last full watermark", () => {
    const full = nextSyncState({}, { origin: "o", mode: "full", watermarkMs: 1000, output: "a" });
    expect(full).toEqual({
      version: 1,
      origin: "o",
      mode: "full",
      watermarkMs: 1000,
      lastFullWatermarkMs: 1000,
      incrementalRuns: 0,
      outputSha256: sha256Hex("a"),
    });
    const inc = nextSyncState(full, { origin: "o", mode: "incremental", watermarkMs: 2000, logCursor: "c", output: new Uint8Array([1]) });
    expect(inc).toMatchObject({ mode: "incremental", watermarkMs: 2000, lastFullWatermarkMs: 1000, incrementalRuns: 1, logCursor: "c" });
    // No `Date` on any response: the incremental run keeps the previous watermark.
    expect(nextSyncState(inc, { origin: "o", mode: "incremental", watermarkMs: undefined, output: "" })).toMatchObject({
      watermarkMs: 2000,
      incrementalRuns: 2,
    });
    const scoped = nextSyncState(inc, { origin: "o", mode: "groups", watermarkMs: 3000, groups: ["g"], workforceGroupId: "w", output: "" });
    expect(Object.keys(scoped)).toEqual([
      "version",
      "origin",
      "mode",
      "watermarkMs",
      "lastFullWatermarkMs",
      "incrementalRuns",
      "groups",
      "workforceGroupId",
      "outputSha256",
    ]);
    expect(syncStateText(scoped).endsWith("}\n")).toBe(true);
  });
});

describe("output lock", () => {
  it("one holder at a time; a dead holder's lock is stale and replaced", () => {
    const dir = scratch();
    const path = join(dir, "out.lock");
    expect(acquireOutputLock(path)).toEqual({ ok: true });
    const again = acquireOutputLock(path);
    expect(again.ok).toBe(false);
    expect(again.ok ? "" : again.holder).toMatch(new RegExp(`^process ${process.pid} on `));

    // A process that has exited: its pid is dead on this host.
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).toString());
    expect(processAlive(dead)).toBe(false);
    const held = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...held, pid: dead }));
    expect(acquireOutputLock(path)).toEqual({ ok: true, staleRemoved: `process ${dead} is gone` });
    expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);

    // Unreadable: stale only once older than 10 s.
    writeFileSync(path, "garbage");
    expect(acquireOutputLock(path)).toEqual({ ok: false, holder: "another sync" });
    expect(acquireOutputLock(path, Date.now() + 11_000)).toEqual({ ok: true, staleRemoved: "" });
    expect(existsSync(path)).toBe(true);
    expect(() => acquireOutputLock(join(dir, "missing", "x.lock"))).toThrow(StoreError);
  });
});

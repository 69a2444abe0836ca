// The CLI's file writes are durable: temp file fsynced before the rename, the directory fsynced after it
// (before, only FileStore did; the CLI wrote and renamed without an fsync). Observed by a preload that logs
// every FileHandle.sync() and fs.fsyncSync() of the CLI process.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "cli-durable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Logs `fsync` to stderr for every fsync the process makes, through either API. */
const PRELOAD = `
import fs from "node:fs";
const handle = await fs.promises.open(process.execPath, "r");
const proto = Object.getPrototypeOf(handle);
await handle.close();
const sync = proto.sync;
proto.sync = function () { process.stderr.write("[fsync]\\n"); return sync.call(this); };
const fsyncSync = fs.fsyncSync;
fs.fsyncSync = function (fd) { process.stderr.write("[fsync]\\n"); return fsyncSync(fd); };
`;

describe("CLI writes", () => {
  it("snapshot --out fsyncs the file and its directory, and leaves no temp file", () => {
    const input = join(dir, "result.json");
    writeFileSync(
      input,
      JSON.stringify({
        users: [
          {
            user: { id: "00u1", status: "ACTIVE", login: "a@example.com", name: {}, address: {}, phones: {}, custom: {} },
            sources: {},
            issues: [],
          },
        ],
        groups: [],
        memberships: [],
      }),
    );
    const out = join(dir, "out", "directory.snap");
    mkdirSync(join(dir, "out"));
    const preload = `data:text/javascript,${encodeURIComponent(PRELOAD)}`;
    const r = spawnSync(process.execPath, ["--import", preload, CLI, "snapshot", input, "--out", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ users: 1 });
    // One fsync of the temp file before its rename, one of the directory after it.
    expect(r.stderr.match(/\[fsync\]/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(readdirSync(join(dir, "out"))).toEqual(["directory.snap"]);
  });
});

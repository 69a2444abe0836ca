/** The `sync` CLI end to end against the in-process emulator (the CLI runs as a child process). */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { AbortError, type SyncResult } from "../../src/node.js";
import { runCli } from "../helpers/cli.js";
import { expectMatchesTruth } from "./helpers.js";

const run = promisify(execFile);
const cli = new URL("../../bin/okta-directory.mjs", import.meta.url).pathname;
let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ users: 300, groups: 4, seed: 5, rateLimit: "off" });
  dir = mkdtempSync(join(tmpdir(), "sync-cli-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `okta-directory sync` with `args`. */
const sync = (args: string[]) => runCli(["sync", ...args]);

describe("okta-directory sync", () => {
  it("names its own flags in errors: --insecure-loopback (not the SDK's allowInsecureLoopback), --org without a scheme", async () => {
    const out = join(dir, "flags.snap");
    const loopback = await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out]);
    expect(loopback.code).toBe(1);
    expect(loopback.stderr).toMatch(/^error\[INVALID_ORG_URL\]: .*--insecure-loopback/m);
    expect(loopback.stderr).not.toContain("allowInsecureLoopback");
    const noScheme = await sync(["--org", "acme.okta.com", "--api-token", emu.apiToken, "--out", out]);
    expect(noScheme.code).toBe(2);
    expect(noScheme.stderr).toMatch(/^error\[USAGE\]: --org has no scheme: add https:\/\//m);
    expect(noScheme.stderr).not.toContain("ERR_INVALID_URL");
  });

  it("writes a snapshot that lookup reads (the contract's sync → lookup)", async () => {
    const out = join(dir, "d.snap");
    const r = await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback"]);
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString("latin1")).toBe("OKDS");
    const truth = emu.env.store.users.find((u) => u.status === "DEPROVISIONED");
    expect(truth).toBeDefined();
    const login = String(truth?.profile["login"]);
    const { stdout } = await run(process.execPath, [cli, "lookup", "--snapshot", out, login.toUpperCase()]);
    const user = JSON.parse(stdout) as { id: string; status: string };
    expect(user).toMatchObject({ id: truth?.id, status: "DEPROVISIONED" });

    // audit on the same snapshot: JSON report and CSV
    const audit = JSON.parse((await run(process.execPath, [cli, "audit", "--snapshot", out])).stdout) as {
      users: number;
      inactive_skipped: number;
      attributes: { attribute: string; required: boolean; user_ids: string[] }[];
      data_quality?: { attribute: string; finding: string; users: number; user_ids: string[] }[];
    };
    expect(audit.users + audit.inactive_skipped).toBe(300);
    // The data-quality findings are part of the CLI's audit contract (the CLI once dropped the field).
    expect(Array.isArray(audit.data_quality)).toBe(true);
    const birthdate = audit.attributes.find((a) => a.attribute === "birthdate");
    expect(birthdate?.required).toBe(true);
    expect(birthdate?.user_ids.length).toBeGreaterThan(0);
    const csv = (await run(process.execPath, [cli, "audit", "--snapshot", out, "--csv"])).stdout.trim().split("\n");
    expect(csv[0]).toBe("user_id,missing_required,missing_optional");
    expect(csv.some((l) => l.startsWith(`${birthdate?.user_ids[0]},`) && l.includes("birthdate"))).toBe(true);
    const bad = await run(process.execPath, [cli, "audit", "--snapshot", out, "--group", "00gnope"]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/^error\[GROUP_NOT_FOUND\]/);
  });

  it("private key: writes the directory, prints the summary last, progress on stderr", async () => {
    const key = join(dir, "key.pem");
    writeFileSync(key, emu.privateKeyPem, { mode: 0o600 });
    const out = join(dir, "dir.json");
    const r = await sync([
      "--org",
      emu.url,
      "--client-id",
      emu.clientId,
      "--private-key",
      key,
      "--key-id",
      emu.keyId,
      "--out",
      out,
      "--insecure-loopback",
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as Record<string, number | string>;
    // The contract's keys first, in order; `mode` (and, incremental only, the applied changes) after them.
    expect(Object.keys(summary)).toEqual(["users", "groups", "memberships", "requests", "retries", "elapsedMs", "mode"]);
    expect(summary["mode"]).toBe("full");
    const result = JSON.parse(readFileSync(out, "utf8")) as SyncResult;
    expectMatchesTruth(result, emu);
    expect(summary["users"]).toBe(result.users.length);
    expect(r.stderr).toMatch(/^sync: \d+ users/m);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
    expect(r.stderr + r.stdout).not.toContain(emu.privateKeyPem.slice(40, 80));
  });

  it("SSWS works; a bad token is error[OKTA_AUTHENTICATION_FAILED] with exit 1; plain http needs the flag; usage is exit 2", async () => {
    const out = join(dir, "ssws.json");
    expect((await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback"])).code).toBe(0);
    const bad = await sync(["--org", emu.url, "--api-token", "00nope", "--out", out, "--insecure-loopback"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error\[OKTA_AUTHENTICATION_FAILED\]/m);
    expect(bad.stderr).not.toContain("00nope");
    const insecure = await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out]);
    expect(insecure.code).toBe(1);
    expect(insecure.stderr).toMatch(/^error\[INVALID_ORG_URL\]/m);
    expect((await sync(["--org", emu.url, "--out", out])).code).toBe(2);
    for (const wait of ["0", "x", "86401"]) {
      const r = await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback", "--max-wait", wait]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--max-wait must be an integer from 1 to 86400");
    }
    // The lock goes with the process, whatever its exit (a handled error included).
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});

describe("okta-directory sync --resume", () => {
  it("continues from the checkpoint next to --out and removes it on success", async () => {
    const { syncDirectory } = await import("../../src/node.js");
    const out = join(dir, "resumed.json");
    const controller = new AbortController();
    let saves = 0;
    // Slow pages, and the abort on the first save: the driver stretches the checkpoint interval to ten times a
    // save's duration, so on a loaded machine a later save might come after the last page and the abort would
    // never fire.
    emu.env.faults.set("slow=100000:60");
    const failure = await syncDirectory({
      orgUrl: emu.url,
      apiToken: emu.apiToken,
      allowInsecureLoopback: true,
      pageLimit: 50,
      maxInFlight: 1,
      signal: controller.signal,
      checkpointIntervalMs: 0,
      onCheckpoint: (c) => {
        writeFileSync(`${out}.checkpoint.json`, c);
        if (++saves === 1) controller.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    emu.env.faults.clear();
    // The abort must have fired (a sync that completed before its third checkpoint proves nothing here).
    expect(failure).toBeInstanceOf(AbortError);
    expect(saves).toBeGreaterThanOrEqual(1);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(true);
    const r = await sync(["--org", emu.url, "--api-token", emu.apiToken, "--out", out, "--insecure-loopback", "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("resuming from");
    expectMatchesTruth(JSON.parse(readFileSync(out, "utf8")) as SyncResult, emu);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  });
});

describe("okta-directory sync: a checkpoint that cannot be written or removed", () => {
  // Slow pages: the first checkpoint is due a second into the run.
  const slowly = async (args: string[]) => {
    emu.env.faults.set("slow=100000:250");
    try {
      return await sync(["--org", emu.url, "--api-token", emu.apiToken, "--insecure-loopback", "--page-limit", "50", ...args]);
    } finally {
      emu.env.faults.clear();
    }
  };

  it("a checkpoint write that fails: exit 1, error[WRITE_FAILED] naming the checkpoint file and its system error, no stack", async () => {
    // A name long enough that the checkpoint's temp file name (`.NAME.checkpoint.json.PID.TIME.tmp`) exceeds the
    // file system's 255 bytes while NAME, its lock and its checkpoint name do not: only the checkpoint write fails.
    const out = join(dir, `${"c".repeat(215)}.json`);
    const r = await slowly(["--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[WRITE_FAILED\]: cannot write .*c{215}\.json\.checkpoint\.json \(ENAMETOOLONG\)$/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it("an old checkpoint that cannot be removed: exit 1, error[WRITE_FAILED] naming it, before anything is synced", async () => {
    const out = join(dir, "unremovable.json");
    // A directory (not empty) where the checkpoint file goes.
    mkdirSync(`${out}.checkpoint.json/inside`, { recursive: true });
    const r = await slowly(["--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[WRITE_FAILED\]: cannot remove .*unremovable\.json\.checkpoint\.json \(EISDIR\)$/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.lock`)).toBe(false);
    rmSync(`${out}.checkpoint.json`, { recursive: true });
  });
});

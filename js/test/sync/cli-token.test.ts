/**
 * Attack review: the Okta API token of `okta-directory sync` must not have to travel on the command line
 * (every user of the machine reads command lines in the process list). OKTA_API_TOKEN or --api-token-file
 * carry it instead; no message prints it.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { runCli, type CliRun } from "../helpers/cli.js";

let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ users: 40, groups: 2, seed: 9, rateLimit: "off" });
  dir = mkdtempSync(join(tmpdir(), "sync-token-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `okta-directory sync` without the parent's OKTA_API_TOKEN, with `env` added. */
function sync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { OKTA_API_TOKEN: _drop, ...base } = process.env;
  return runCli(["sync", ...args], { ...base, ...env });
}

describe("okta-directory sync: the API token off the command line", () => {
  it("reads OKTA_API_TOKEN; the command line holds no token", async () => {
    const out = join(dir, "env.snap");
    const args = ["--org", emu.url, "--out", out, "--insecure-loopback"];
    const r = await sync(args, { OKTA_API_TOKEN: emu.apiToken });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString("latin1")).toBe("OKDS");
    expect(args.join(" ")).not.toContain(emu.apiToken);
    expect(r.stderr + r.stdout).not.toContain(emu.apiToken);
  });

  it("reads --api-token-file (trimmed); a wrong token is reported without quoting it", async () => {
    const file = join(dir, "okta.token");
    writeFileSync(file, `${emu.apiToken}\n`, { mode: 0o600 });
    const ok = await sync(["--org", emu.url, "--api-token-file", file, "--out", join(dir, "file.snap"), "--insecure-loopback"]);
    expect(ok.code, ok.stderr).toBe(0);
    writeFileSync(file, "00wrong-token-value\n", { mode: 0o600 });
    const bad = await sync(["--org", emu.url, "--api-token-file", file, "--out", join(dir, "bad.snap"), "--insecure-loopback"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error\[OKTA_AUTHENTICATION_FAILED\]/m);
    expect(bad.stderr).not.toContain("00wrong-token-value");
  });

  it("usage errors: no token at all, two token sources, a token with a service app, an empty or unreadable file", async () => {
    const out = join(dir, "usage.snap");
    const file = join(dir, "t.token");
    writeFileSync(file, emu.apiToken);
    const empty = join(dir, "empty.token");
    writeFileSync(empty, " \n");
    const cases: [string[], RegExp, number][] = [
      [["--org", emu.url, "--out", out], /needs either --client-id with --private-key, or an API token/, 2],
      [["--org", emu.url, "--out", out, "--api-token", "x", "--api-token-file", file], /--api-token or --api-token-file, not both/, 2],
      [["--org", emu.url, "--out", out, "--client-id", "0oa1", "--private-key", file, "--api-token-file", file], /not both/, 2],
      [["--org", emu.url, "--out", out, "--api-token-file", empty], /--api-token-file is empty/, 2],
      [
        ["--org", emu.url, "--out", out, "--api-token-file", join(dir, "missing.token")],
        /^error\[READ_FAILED\]: cannot read --api-token-file \(ENOENT\)/m,
        1,
      ],
    ];
    for (const [args, message, code] of cases) {
      const r = await sync(args);
      expect([r.code, r.stderr], args.join(" ")).toEqual([code, expect.stringMatching(message)]);
      expect(r.stderr).not.toContain(emu.apiToken);
    }
    // With a service app, OKTA_API_TOKEN set for other tools is simply not used.
    const both = await sync(["--org", emu.url, "--out", out, "--client-id", "0oa1"], { OKTA_API_TOKEN: emu.apiToken });
    expect(both.stderr).toMatch(/--client-id and --private-key go together/);
  });

  // Review of 2026-12-07, second pass: the token left the command line for a file, but a file other users may
  // read (the umask's 0644) exposed it as much, silently.
  it("a token file other users may read is warned about (sync and publish); a 0600 one is not", async () => {
    const open = join(dir, "open.token");
    writeFileSync(open, `${emu.apiToken}\n`);
    chmodSync(open, 0o644);
    const warned = await sync(["--org", emu.url, "--api-token-file", open, "--out", join(dir, "open.snap"), "--insecure-loopback"]);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/^sync: --api-token-file is readable by other users of this machine \(mode 0644\): chmod 600 it$/m);
    expect(warned.stderr).not.toContain(emu.apiToken);
    chmodSync(open, 0o600);
    const quiet = await sync(["--org", emu.url, "--api-token-file", open, "--out", join(dir, "quiet.snap"), "--insecure-loopback"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/readable by other users/);
    // publish reads its Cloudflare token the same way (it then fails on the missing snapshot).
    chmodSync(open, 0o640);
    const publish = await runCli([
      "publish",
      "--snapshot",
      join(dir, "none.snap"),
      "--account-id",
      "acct",
      "--namespace-id",
      "ns",
      "--api-token-file",
      open,
    ]);
    expect(publish.stderr).toMatch(/^publish: --api-token-file is readable by other users of this machine \(mode 0640\): chmod 600 it$/m);
  });
});

// The CLI's help: each command's --help is its own (its flags, not another command's), the global help lists
// the commands, and a usage error is exit 2 with a one-line hint.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const CLI = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every option each command accepts: its help must name them all. */
const OWN: Record<string, string[]> = {
  sync: [
    "--org",
    "--client-id",
    "--private-key",
    "--key-id",
    "--api-token",
    "--api-token-file",
    "--out",
    "--groups",
    "--workforce-group",
    "--incremental",
    "--reconcile-every",
    "--reconcile-max-age",
    "--overlap",
    "--dpop",
    "--scopes",
    "--resume",
    "--insecure-loopback",
    "--page-limit",
    "--max-in-flight",
    "--request-timeout",
    "--max-wait",
  ],
  lookup: ["--snapshot"],
  audit: ["--snapshot", "--policy", "--group", "--csv"],
  match: ["--policy", "--snapshot", "--text"],
  emulator: [
    "--users",
    "--port",
    "--host",
    "--groups",
    "--seed",
    "--rate-limit",
    "--faults",
    "--dpop",
    "--token-ttl",
    "--missing-share",
    "--key-type",
    "--realism",
  ],
  normalize: ["--mapping"],
  snapshot: ["--out", "--keys", "--workforce-group", "--origin", "--synced-at"],
  publish: [
    "--snapshot",
    "--account-id",
    "--namespace-id",
    "--api-token-file",
    "--prefix",
    "--shards",
    "--max-shards",
    "--api-base",
    "--insecure-loopback",
  ],
  version: [],
};

/** Options that only one command has: no other command's help may name them. */
const ONLY: Record<string, string> = {
  "--org": "sync",
  "--resume": "sync",
  "--max-wait": "sync",
  "--users": "emulator",
  "--faults": "emulator",
  "--rate-limit": "emulator",
  "--csv": "audit",
  "--mapping": "normalize",
  "--synced-at": "snapshot",
  "--account-id": "publish",
  "--namespace-id": "publish",
  "--api-base": "publish",
};

const flagRe = (flag: string) => new RegExp(`(^|[^\\w-])${flag}(?![\\w-])`, "m");

describe("CLI help", () => {
  for (const [command, flags] of Object.entries(OWN)) {
    it(`${command} --help names its own options and no other command's`, () => {
      const { code, stdout, stderr } = cli(command, "--help");
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toMatch(new RegExp(`^usage: okta-directory ${command}\\b`));
      expect(stdout).toMatch(/\nexamples:\n {2}okta-directory /);
      for (const flag of flags) expect(stdout, `${command} --help names ${flag}`).toMatch(flagRe(flag));
      for (const [flag, owner] of Object.entries(ONLY)) {
        if (owner !== command) {
          expect(stdout, `${command} --help must not name ${owner}'s ${flag}`).not.toMatch(flagRe(flag));
        }
      }
      // Short: a screenful, not the whole manual.
      expect(stdout.split("\n").length).toBeLessThan(50);
      // -h and `help COMMAND` print the same.
      expect(cli(command, "-h").stdout).toBe(stdout);
      expect(cli("help", command).stdout).toBe(stdout);
    });
  }

  it("the global help lists every command with one line and points at <command> --help", () => {
    const { code, stdout } = cli("--help");
    expect(code).toBe(0);
    for (const command of Object.keys(OWN)) expect(stdout).toMatch(new RegExp(`^ {2}${command} +\\S.*$`, "m"));
    expect(stdout).toContain("okta-directory <command> --help");
    expect(stdout).not.toMatch(flagRe("--org"));
    expect(cli().stdout).toBe(stdout);
  });

  it("a usage error is exit 2 with the error and a one-line hint naming the command's help", () => {
    const unknownFlag = cli("audit", "--nope");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stdout).toBe("");
    expect(unknownFlag.stderr.trimEnd().split("\n")).toEqual([
      "error[USAGE]: Unknown option '--nope'",
      "run `okta-directory audit --help` for its usage",
    ]);

    const missing = cli("lookup", "alice@example.com");
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toEqual([
      "error[USAGE]: lookup needs --snapshot FILE",
      "run `okta-directory lookup --help` for its usage",
    ]);

    const unknownCommand = cli("frobnicate");
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr.trimEnd().split("\n")).toEqual([
      'error[USAGE]: unknown command "frobnicate"',
      "run `okta-directory --help` for the commands",
    ]);

    expect(cli("version", "extra").code).toBe(2);
  });
});

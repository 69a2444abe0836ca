// Attack review: a usage error never repeats a stray command-line value. A value whose --option was dropped
// or mistyped (`sync … 00aBcD…` after a lost `--api-token`) is often a secret, and stderr goes to CI logs.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const CLI = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
const SECRET = "00SeCrEtT0kEnValue-do-not-print";

describe("CLI usage errors quote no stray value", () => {
  it("an unexpected positional is named as such, not quoted", () => {
    const r = spawnSync(process.execPath, [CLI, "sync", "--org", "https://acme.okta.com", "--out", "d.snap", SECRET], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error\[USAGE\]: unexpected argument: this command takes no positional arguments/m);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stdout).not.toContain(SECRET);
  });

  it("other parse errors name the option only", () => {
    for (const args of [
      ["sync", `--api-tokn=${SECRET}`],
      ["sync", `--resume=${SECRET}`],
      ["audit", `-x${SECRET}`],
    ]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).not.toContain(SECRET);
    }
  });
});

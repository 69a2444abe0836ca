// The CLI's entry: `bin/okta-directory.mjs` only starts the TypeScript CLI built into dist/cli/, and says so
// when the build is missing; commands are looked up among the CLI's own (never an Object.prototype member).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function run(bin: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("CLI entry", () => {
  it("a command named like an Object.prototype member is an unknown command (exit 2), not a silent success", () => {
    for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
      const r = run(CLI, name);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(`error[USAGE]: unknown command "${name}"`);
    }
  });

  it("without a build, the bin says NOT_BUILT (exit 1) instead of a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-shim-"));
    temps.push(dir);
    mkdirSync(join(dir, "bin"));
    copyFileSync(CLI, join(dir, "bin", "okta-directory.mjs"));
    const r = run(join(dir, "bin", "okta-directory.mjs"), "--help");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("error[NOT_BUILT]: the SDK is not built (run `bash scripts/build.sh`): ERR_MODULE_NOT_FOUND\n");
  });

  it("runs the built CLI: help without loading the SDK, version with it", () => {
    expect(run(CLI, "--help").stdout).toMatch(/^usage: okta-directory <command> \[options\]/);
    expect(run(CLI, "version").stdout).toMatch(/^okta-directory \d+\.\d+\.\d+ \(core \d+\.\d+\.\d+\)\n$/);
  });
});

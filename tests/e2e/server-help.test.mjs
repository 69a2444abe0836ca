// `node www/server/main.mjs --help` prints its usage and exits 0 (without starting anything); a bad option is one
// line on stderr and exit 2, never a stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../../www/server/main.mjs", import.meta.url));

/**
 * Runs the server with these arguments; its exit code and output.
 * @param {...string} args
 */
function server(...args) {
  const r = spawnSync(process.execPath, [SERVER, ...args], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("--help and -h print the usage and exit 0 without creating the data directory", () => {
  const scratch = mkdtempSync(join(tmpdir(), "od-server-help-"));
  try {
    const data = join(scratch, "data");
    for (const flag of ["--help", "-h"]) {
      const r = server(flag, "--data", data);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /^usage: node www\/server\/main\.mjs \[options\]/);
      for (const option of [
        "--port",
        "--host",
        "--data",
        "--demo",
        "--demo-users",
        "--okta-org",
        "--client-id",
        "--private-key",
        "--admin-oidc-issuer",
        "--smtp-url",
        "--portal-limits",
      ]) {
        assert.match(r.stdout, new RegExp(`${option}\\b`), option);
      }
      assert.match(r.stdout, /\nexamples:\n/);
    }
    assert.deepEqual(readdirSync(scratch), [], "nothing created");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("an unknown option, a positional or a malformed value is one line on stderr and exit 2", () => {
  for (const args of [["--nope"], ["extra"], ["--portal-limits", "nope=1"], ["--portal-limits", "clientFree=x"], ["--port", "http"]]) {
    const r = server(...args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^dashboard: .* \(see node www\/server\/main\.mjs --help\)$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});

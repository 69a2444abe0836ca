import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "okta-directory-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("CLI snapshot + lookup", () => {
  it("turns a sync result into a snapshot and looks users up in it", () => {
    const result = {
      users: [
        {
          user: {
            id: "00u1",
            status: "ACTIVE",
            login: "zoe.ng@example.com",
            email: "shared@example.com",
            name: {},
            address: {},
            phones: {},
            custom: {},
          },
          sources: {},
          issues: [],
        },
        {
          user: {
            id: "00u2",
            status: "SUSPENDED",
            login: "bo@example.com",
            email: "shared@example.com",
            name: {},
            address: {},
            phones: {},
            custom: {},
          },
          sources: {},
          issues: [],
        },
      ],
      groups: [{ id: "00g1", name: "Everyone", type: "BUILT_IN" }],
      memberships: [{ groupId: "00g1", userId: "00u1" }],
    };
    const input = join(dir, "sync.json");
    const snap = join(dir, "d.snap");
    writeFileSync(input, JSON.stringify(result));
    const made = cli("snapshot", input, "--out", snap, "--origin", "https://acme.okta.com");
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ users: 2, groups: 1, memberships: 1 });

    const hit = cli("lookup", "--snapshot", snap, "BO@example.com");
    expect(hit.code).toBe(0);
    expect(JSON.parse(hit.stdout)).toMatchObject({ id: "00u2", status: "SUSPENDED" });

    const missing = cli("lookup", "--snapshot", snap, "nobody@example.com");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error\[USER_NOT_FOUND\]: /);
    expect(missing.stderr).not.toContain("nobody");

    const ambiguous = cli("lookup", "--snapshot", snap, "shared@example.com");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/^error\[AMBIGUOUS_LOGIN_HINT\]: /);

    const corrupt = cli("lookup", "--snapshot", input, "x");
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/^error\[SNAPSHOT_CORRUPT\]: /);

    expect(cli("lookup", snap).code).toBe(2);
    expect(cli("snapshot", input).code).toBe(2);
  });
});

describe("CLI output into a reader that stops early", () => {
  it("exits 0 without a stack trace when stdout is closed (… | head)", async () => {
    const line = JSON.stringify({ id: "c", verified: { given_name: "Ann" }, directory: { firstName: "Ann" } });
    const input = join(dir, "many.jsonl");
    writeFileSync(input, `${Array.from({ length: 20_000 }, () => line).join("\n")}\n`);
    const child = spawn(process.execPath, [CLI, "match", input], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });
});

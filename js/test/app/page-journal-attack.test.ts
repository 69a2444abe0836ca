// Attack review: the CLI's page journal holds raw Okta pages (profiles). Its name is predictable
// (`<out>.journal`), so whoever can write to the output's folder could plant a symlink or a readable file there.
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FilePageJournal } from "../../src/app/page-journal.js";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "journal-attack-"));
  temps.push(dir);
  return dir;
}
const page = (n: number) => ({ url: `https://acme.okta.com/api/v1/users?after=${n}`, body: Buffer.from(`{"profile":{"n":${n}}}`) });
const posix = process.platform !== "win32";

describe.runIf(posix)("page journal: a planted name is never followed", () => {
  it("a fresh journal over a symlink replaces the link and leaves its target untouched", () => {
    const dir = scratch();
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me", { mode: 0o644 });
    const path = join(dir, "dir.snap.journal");
    symlinkSync(victim, path);
    const journal = new FilePageJournal(path, false);
    journal.append(page(1));
    journal.close();
    expect(readFileSync(victim, "utf8")).toBe("keep me");
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, "utf8")).toContain('{"profile":{"n":1}}');
  });

  it("a fresh journal is 0600 even when an older file with that name was world-readable", () => {
    const dir = scratch();
    const path = join(dir, "dir.snap.journal");
    writeFileSync(path, "old", { mode: 0o644 });
    const journal = new FilePageJournal(path, false);
    journal.append(page(1));
    journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("a resumed journal refuses a symlink (STORE_FAILED, nothing read or written) and makes a regular file 0600", () => {
    const dir = scratch();
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, '12 https://x\n{"a":1}\nkeep me', { mode: 0o644 });
    const link = join(dir, "a.journal");
    symlinkSync(victim, link);
    expect(() => new FilePageJournal(link, true)).toThrow(expect.objectContaining({ code: "STORE_FAILED" }));
    expect(readFileSync(victim, "utf8")).toBe('12 https://x\n{"a":1}\nkeep me');

    const path = join(dir, "b.journal");
    const first = new FilePageJournal(path, false);
    first.append(page(1));
    first.append(page(2));
    first.close();
    chmodSync(path, 0o644);
    const resumed = new FilePageJournal(path, true);
    expect([...resumed.replay(1)].map((p) => p.url)).toEqual([page(1).url]);
    resumed.append(page(3));
    resumed.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new FilePageJournal(path, true);
    expect([...again.replay(5)].map((p) => p.url)).toEqual([page(1).url, page(3).url]);
    again.close();
    expect(existsSync(victim)).toBe(true);
  });
});

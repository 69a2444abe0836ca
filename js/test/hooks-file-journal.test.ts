// The hook journal file (`fileHookJournal`): a symlink at its name is never followed, an older file's group or
// other permissions are removed, a file of another user is refused (typed `STORE_FAILED`, no path in the message).
import { chownSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StoreError, fileHookJournal, type JournaledChanges } from "../src/node.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "hook-journal-"));
  dirs.push(d);
  return d;
}
const entry = (seq: number): JournaledChanges => ({
  seq,
  eventId: `e${seq}`,
  upsertUserIds: ["00u00001"],
  deletedUserIds: [],
  membershipChanges: [],
});

describe.skipIf(process.platform === "win32")("fileHookJournal", () => {
  it("does not follow a symlink at the journal's name (append and read)", async () => {
    const dir = tempDir();
    const target = join(dir, "elsewhere");
    writeFileSync(target, "theirs\n", { mode: 0o644 });
    const path = join(dir, "hooks.journal");
    symlinkSync(target, path);
    const journal = fileHookJournal(path);
    const error = await journal.append(entry(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: "STORE_FAILED" });
    expect((error as Error).message).not.toContain(dir);
    expect(readFileSync(target, "utf8")).toBe("theirs\n");
    expect(statSync(target).mode & 0o777).toBe(0o644);
    await expect(journal.read()).rejects.toMatchObject({ code: "STORE_FAILED" });
  });

  it("removes group and other permissions of an older journal file before appending", async () => {
    const dir = tempDir();
    const path = join(dir, "hooks.journal");
    writeFileSync(path, "");
    chmodSync(path, 0o644);
    const journal = fileHookJournal(path);
    await journal.append(entry(1));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await journal.read()).map((e) => e.seq)).toEqual([1]);
    // A fresh file is created 0600.
    const fresh = join(dir, "fresh.journal");
    await fileHookJournal(fresh).append(entry(2));
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
  });

  // Only root can give a file to another user here.
  it.skipIf(process.getuid?.() !== 0)("refuses a journal file that belongs to another user", async () => {
    const dir = tempDir();
    const path = join(dir, "hooks.journal");
    writeFileSync(path, `${JSON.stringify(entry(1))}\n`, { mode: 0o600 });
    chownSync(path, 12345, 12345);
    const journal = fileHookJournal(path);
    await expect(journal.append(entry(2))).rejects.toMatchObject({
      code: "STORE_FAILED",
      message: "hook journal: the file belongs to another user",
    });
    await expect(journal.read()).rejects.toMatchObject({ code: "STORE_FAILED" });
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(1);
  });
});

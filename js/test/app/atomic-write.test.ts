import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { atomicWrite, isTempFileOf, tempPathFor, type AtomicWriteIo } from "../../src/app/atomic-write.js";
import { removeStaleTempFiles } from "../../src/app/output-lock.js";
import { StoreError } from "../../src/errors.js";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  temps.push(dir);
  return dir;
}

/** Node's file operations, each call logged as `op path` (paths relative to `dir`). */
function recording(dir: string, overrides: Partial<Record<"rename" | "fileSync" | "dirOpen", () => Promise<never>>> = {}) {
  const log: string[] = [];
  const rel = (p: string) => (p === dir ? "<dir>" : p.startsWith(`${dir}/.`) ? "<temp>" : p.slice(dir.length + 1));
  const io: AtomicWriteIo = {
    async open(path, flags, mode) {
      log.push(`open ${rel(path)} ${flags}`);
      if (rel(path) === "<dir>" && overrides.dirOpen) return overrides.dirOpen();
      const handle = await open(path, flags, mode);
      return {
        writeFile: async (data) => {
          log.push(`write ${rel(path)}`);
          await handle.writeFile(data);
        },
        sync: async () => {
          log.push(`fsync ${rel(path)}`);
          if (rel(path) === "<temp>" && overrides.fileSync) return overrides.fileSync();
          await handle.sync();
        },
        close: async () => {
          log.push(`close ${rel(path)}`);
          await handle.close();
        },
      };
    },
    async rename(from, to) {
      log.push(`rename ${rel(from)} ${rel(to)}`);
      if (overrides.rename) return overrides.rename();
      await rename(from, to);
    },
    async unlink(path) {
      log.push(`unlink ${rel(path)}`);
      await unlink(path);
    },
  };
  return { io, log };
}

const eio = () => Promise.reject(Object.assign(new Error("i/o error, fsync"), { code: "EIO" })) as Promise<never>;

describe("atomicWrite", () => {
  it("writes the temp file, fsyncs it, renames it over the target, then fsyncs the directory", async () => {
    const dir = scratch();
    const path = join(dir, "state.json");
    writeFileSync(path, "old");
    const { io, log } = recording(dir);
    await atomicWrite(path, "new", { io });
    expect(log).toEqual([
      "open <temp> wx",
      "write <temp>",
      "fsync <temp>",
      "close <temp>",
      "rename <temp> state.json",
      "open <dir> r",
      "fsync <dir>",
      "close <dir>",
    ]);
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("creates the file private (0600) by default, or with the mode asked for", async () => {
    const dir = scratch();
    await atomicWrite(join(dir, "a"), new Uint8Array([1, 2, 3]));
    await atomicWrite(join(dir, "b"), "x", { mode: 0o640 });
    expect(statSync(join(dir, "a")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "b")).mode & 0o777).toBe(0o640);
    expect([...readFileSync(join(dir, "a"))]).toEqual([1, 2, 3]);
  });

  it("a failed fsync never renames: the old file stays, the temp file goes, a StoreError names the code, not the path", async () => {
    const dir = scratch();
    const path = join(dir, "secret-name.snap");
    writeFileSync(path, "old");
    const { io, log } = recording(dir, { fileSync: eio });
    const err = await atomicWrite(path, "new", { io }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: "STORE_FAILED", cause: { code: "EIO" } });
    expect((err as Error).message).toContain("EIO");
    expect((err as Error).message).not.toContain("secret-name");
    expect(log).not.toContain("rename <temp> secret-name.snap");
    expect(log.at(-1)).toBe("unlink <temp>");
    expect(readFileSync(path, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["secret-name.snap"]);
  });

  it("a crash before the rename leaves the old file intact; the next run's clean-up removes the temp file", async () => {
    const dir = scratch();
    const path = join(dir, "directory.snap");
    writeFileSync(path, "old snapshot");
    // The process dies at the rename: the promise never settles, nothing after it runs.
    const { io } = recording(dir, { rename: () => new Promise<never>(() => {}) });
    void atomicWrite(path, "new snapshot", { io });
    await new Promise((r) => setTimeout(r, 50));
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(2);
    const temp = left.find((e) => e !== "directory.snap") ?? "";
    expect(isTempFileOf(temp, "directory.snap")).toBe(true);
    expect(readFileSync(join(dir, temp), "utf8")).toBe("new snapshot");
    expect(readFileSync(path, "utf8")).toBe("old snapshot");
    // A temp file of another file (not ours to remove) stays.
    writeFileSync(tempPathFor(join(dir, "other.snap")), "theirs");
    removeStaleTempFiles(dir, ["directory.snap"]);
    expect(readdirSync(dir).filter((e) => isTempFileOf(e, "directory.snap"))).toEqual([]);
    expect(readdirSync(dir).filter((e) => isTempFileOf(e, "other.snap"))).toHaveLength(1);
    expect(readFileSync(path, "utf8")).toBe("old snapshot");
  });

  it("a directory that cannot be opened for its fsync does not undo the rename", async () => {
    const dir = scratch();
    const path = join(dir, "x");
    const { io } = recording(dir, { dirOpen: eio });
    await atomicWrite(path, "done", { io });
    expect(readFileSync(path, "utf8")).toBe("done");
  });

  it("a missing directory is STORE_FAILED (ENOENT) and leaves nothing", async () => {
    const dir = scratch();
    await expect(atomicWrite(join(dir, "nope", "x"), "y")).rejects.toMatchObject({
      code: "STORE_FAILED",
      message: expect.stringContaining("ENOENT"),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("temp paths are unique and in the target's directory", () => {
    const a = tempPathFor("/some/dir/file.json");
    const b = tempPathFor("/some/dir/file.json");
    expect(a).not.toBe(b);
    expect(a.startsWith("/some/dir/.file.json.")).toBe(true);
    expect(isTempFileOf(a.slice("/some/dir/".length), "file.json")).toBe(true);
    expect(isTempFileOf(".file.json.tmp", "file.json")).toBe(false);
  });
});

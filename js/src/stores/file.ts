/**
 * A file store (Node only). Saving writes a temporary file in the same directory, flushes it to disk,
 * renames it over the target (atomic on POSIX file systems) and flushes the directory, so a crash
 * leaves the old snapshot or the new one — never a truncated file.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeError } from "../errors.js";
import type { DirectoryStore } from "./types.js";

function failed(what: string, cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  // The system error code (ENOENT, EACCES, …) only: the path stays in `cause`.
  return makeError("STORE_FAILED", `file store: ${what} failed${typeof code === "string" ? ` (${code})` : ""}`, { cause });
}

/** Keeps the snapshot in one file. */
export class FileStore implements DirectoryStore {
  readonly path: string;

  /** @param path - the snapshot file; its directory must exist */
  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path));
    } catch (cause) {
      if ((cause as { code?: unknown } | null)?.code === "ENOENT") return null;
      throw failed("reading the snapshot", cause);
    }
  }

  async save(snapshot: Uint8Array): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(snapshot);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (cause) {
      await unlink(temp).catch(() => {});
      throw failed("writing the snapshot", cause);
    }
    // Make the rename itself durable. Some platforms cannot open a directory: the rename stands anyway.
    try {
      const handle = await open(dir, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // best effort
    }
  }
}

/**
 * A file store (Node only). Saving is an `atomicWrite` (app/atomic-write.ts): a temporary file in the same
 * directory, flushed to disk, renamed over the target and the directory flushed, so a crash leaves the old
 * snapshot or the new one — never a truncated file.
 */
import { readFile } from "node:fs/promises";
import { atomicWrite } from "../app/atomic-write.js";
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
    try {
      await atomicWrite(this.path, snapshot);
    } catch (e) {
      throw failed("writing the snapshot", (e as Error).cause ?? e);
    }
  }
}

/**
 * Atomic file replacement (Node only): a temp file in the same directory, written, flushed to disk, renamed
 * over the target (atomic on POSIX file systems), then the directory flushed so the rename itself survives a
 * power cut. A crash at any point leaves the old file or the new one, never a truncated one; a failure
 * removes the temp file. Used by `FileStore`, the CLI and the dashboard server.
 */
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeError } from "../errors.js";

/** The file operations {@link atomicWrite} performs, in this order (tests substitute them to observe it). */
export interface AtomicWriteIo {
  /** Opens `path` (`wx` for the temp file, `r` for the directory). */
  open(path: string, flags: string, mode?: number): Promise<AtomicWriteHandle>;
  /** Renames `from` over `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes `path`. */
  unlink(path: string): Promise<void>;
}

/** The part of a `FileHandle` {@link atomicWrite} uses. */
export interface AtomicWriteHandle {
  /** Writes the whole content. */
  writeFile(data: string | Uint8Array): Promise<void>;
  /** fsync. */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** Options of {@link atomicWrite}. */
export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o600: snapshots, states and settings are private). */
  mode?: number;
  /** The file operations (default: `node:fs/promises`). */
  io?: AtomicWriteIo;
}

/** Node's own file operations. */
export const NODE_IO: AtomicWriteIo = { open, rename, unlink };

/** Temp file names: `.NAME.PID.N.tmp` next to NAME (see {@link isTempFileOf}). */
const TEMP_NAME = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/;

let counter = 0;

/** A fresh temp path for `path`, in its directory: `.NAME.PID.N.tmp`. */
export function tempPathFor(path: string): string {
  counter = (counter + 1) % 1000;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now() * 1000 + counter}.tmp`);
}

/** The target name and writer pid of a temp file name made by {@link tempPathFor}, or `undefined` for any other name. */
export function tempFileOwner(entry: string): { name: string; pid: number } | undefined {
  const m = TEMP_NAME.exec(entry);
  return m === null ? undefined : { name: m[1] ?? "", pid: Number(m[2]) };
}

/** Whether `entry` (a directory entry's name) is a temp file {@link atomicWrite} made for a file named `name`. */
export function isTempFileOf(entry: string, name: string): boolean {
  return tempFileOwner(entry)?.name === name;
}

/** The system error code of a failed file operation (`ENOSPC`, `EACCES`, …), or the error's name. */
export function systemCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  const name = (e as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : "unknown error";
}

/**
 * Replaces `path` with `data` atomically and durably (see the module docs).
 *
 * @throws StoreError (`STORE_FAILED`) naming the system error code (`ENOSPC`, `EACCES`, …) but not the path;
 *   the system error (with the path) is the `cause`. `path` is then unchanged.
 */
export async function atomicWrite(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const io = options.io ?? NODE_IO;
  const temp = tempPathFor(path);
  try {
    const handle = await io.open(temp, "wx", options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await io.rename(temp, path);
  } catch (cause) {
    await io.unlink(temp).catch(() => {});
    throw makeError("STORE_FAILED", `writing a file failed (${systemCode(cause)})`, { cause });
  }
  // Make the rename itself durable. Some platforms cannot open a directory: the rename stands anyway.
  try {
    const dir = await io.open(dirname(path), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // best effort
  }
}

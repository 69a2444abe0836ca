/**
 * A {@link HookJournal} in one file (Node only): JSON lines of Okta ids, each append flushed to disk before it
 * resolves; forgetting rewrites the file atomically (`atomicWrite`: temp file, fsync, rename), so a crash
 * leaves the old journal or the new one. A line torn by a crash mid-append is skipped when read (that delivery
 * was never acknowledged: Okta delivers it again).
 */
import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { atomicWrite } from "../app/atomic-write.js";
import { makeError, OktaDirectoryError } from "../errors.js";
import type { HookJournal, JournaledChanges } from "./live.js";

/** An error this module made (kept as is, not wrapped again). */
function isOwn(e: unknown): boolean {
  return e instanceof OktaDirectoryError;
}

function failed(what: string, cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  // The system error code only: the path stays in `cause`.
  return makeError("STORE_FAILED", `hook journal: ${what} failed${typeof code === "string" ? ` (${code})` : ""}`, { cause });
}

const ID = /^[A-Za-z0-9]{1,64}$/;
/** Not following a symlink at the journal's own name (0 where the platform has no such flag). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Checks the open journal: a regular file owned by this process's user (where the platform has owners), with
 * no permission for group or others (an older file's looser mode is tightened to 0600).
 */
async function ensurePrivate(handle: FileHandle): Promise<void> {
  const stat = await handle.stat();
  if (!stat.isFile()) throw makeError("STORE_FAILED", "hook journal: the path is not a regular file");
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw makeError("STORE_FAILED", "hook journal: the file belongs to another user");
  if ((stat.mode & 0o077) !== 0) await handle.chmod(0o600);
}

/** An entry read back, checked field by field (anything else is a torn or foreign line). */
function entryOf(line: string): JournaledChanges | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const e = v as Partial<JournaledChanges> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    !Number.isSafeInteger(e.seq) ||
    typeof e.eventId !== "string" ||
    !Array.isArray(e.upsertUserIds) ||
    !e.upsertUserIds.every((id) => typeof id === "string" && ID.test(id)) ||
    !Array.isArray(e.deletedUserIds) ||
    !e.deletedUserIds.every((id) => typeof id === "string" && ID.test(id)) ||
    !Array.isArray(e.membershipChanges) ||
    !e.membershipChanges.every(
      (m) => typeof m === "object" && m !== null && ID.test(String(m.groupId)) && ID.test(String(m.userId)) && typeof m.added === "boolean",
    )
  )
    return undefined;
  return e as JournaledChanges;
}

/**
 * The journal of a {@link LiveDirectory} kept in the file at `path` (its directory must exist; created with mode
 * 0600 on the first append). A symlink at `path` is never followed, a file of another user is refused, and an
 * older file's group or other permissions are removed (`STORE_FAILED`).
 */
export function fileHookJournal(path: string): HookJournal {
  const read = async (): Promise<JournaledChanges[]> => {
    let text: string;
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
    } catch (cause) {
      if ((cause as { code?: unknown } | null)?.code === "ENOENT") return [];
      throw failed("reading", cause);
    }
    try {
      await ensurePrivate(handle);
      text = await handle.readFile("utf8");
    } catch (cause) {
      throw isOwn(cause) ? cause : failed("reading", cause);
    } finally {
      await handle.close();
    }
    const out: JournaledChanges[] = [];
    for (const line of text.split("\n")) {
      const e = line === "" ? undefined : entryOf(line);
      if (e !== undefined) out.push(e);
    }
    return out;
  };
  // Appends and rewrites run one at a time: an append between a rewrite's read and its rename would be lost.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    read: () => serial(read),
    append: (entry) => serial(() => append(entry)),
    forget: (seq) => serial(() => forget(seq)),
  };

  async function append(entry: JournaledChanges): Promise<void> {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o600);
      try {
        await ensurePrivate(handle);
        await handle.writeFile(`${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (cause) {
      throw isOwn(cause) ? cause : failed("appending", cause);
    }
  }

  async function forget(seq: number): Promise<void> {
    const keep = (await read()).filter((e) => e.seq > seq);
    try {
      await atomicWrite(path, keep.map((e) => `${JSON.stringify(e)}\n`).join(""));
    } catch (e) {
      throw failed("rewriting", (e as Error).cause ?? e);
    }
  }
}

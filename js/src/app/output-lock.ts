/**
 * One sync per output at a time (Node only): `FILE.lock`, created with O_EXCL and holding the pid, host and
 * start time, is held for the life of the process. A lock whose pid is dead on this host (a killed sync), or
 * an unreadable one older than 10 s, is stale and replaced. Also: removing the temp files a killed run left.
 */
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { makeError } from "../errors.js";
import { systemCode, tempFileOwner } from "./atomic-write.js";

/** What a lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** The outcome of {@link acquireOutputLock}. */
export type LockOutcome =
  /** Taken; `staleRemoved` is set when a stale lock was replaced (why, or "" for an unreadable one). */
  | { readonly ok: true; readonly staleRemoved?: string }
  /** Held by a live process: `holder` says who (for the operator), or "another sync". */
  | { readonly ok: false; readonly holder: string };

/** How old an unreadable lock must be before it counts as stale (a writer between create and write is younger). */
const UNREADABLE_STALE_MS = 10_000;

/** Whether process `pid` runs on this host (EPERM: it runs, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return systemCode(e) === "EPERM";
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const held = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder> | null;
    return held !== null && typeof held === "object" ? (held as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock at `path` for the life of this process (released on exit).
 *
 * @throws StoreError (`STORE_FAILED`) when the lock file cannot be created for another reason than its existence.
 */
export function acquireOutputLock(path: string, nowMs = Date.now()): LockOutcome {
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date(nowMs).toISOString() };
  let staleRemoved: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      process.on("exit", () => {
        if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
      });
      return staleRemoved === undefined ? { ok: true } : { ok: true, staleRemoved };
    } catch (e) {
      if (systemCode(e) !== "EEXIST") throw makeError("STORE_FAILED", `creating the lock failed (${systemCode(e)})`, { cause: e });
    }
    const held = readHolder(path);
    const unreadableAndOld = held === undefined && nowMs - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > UNREADABLE_STALE_MS;
    const deadHere = held !== undefined && held.host === me.host && Number.isSafeInteger(held.pid) && !processAlive(held.pid);
    if (attempt === 0 && (deadHere || unreadableAndOld)) {
      staleRemoved = deadHere ? `process ${held.pid} is gone` : "";
      rmSync(path, { force: true });
      continue;
    }
    return { ok: false, holder: held === undefined ? "another sync" : `process ${held.pid} on ${held.host} since ${held.startedAt}` };
  }
  return { ok: false, holder: "another sync" };
}

/**
 * Removes temp files left by an atomic write that was killed: those of the files `names` (in `dir`; the lock
 * makes them ours) and the older `.PID.TIME.tmp` ones whose process is gone.
 */
export function removeStaleTempFiles(dir: string, names: readonly string[]): void {
  const wanted = new Set(names.map((n) => basename(n)));
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const owner = tempFileOwner(entry);
    const legacy = /^\.(\d+)\.(\d+)\.tmp$/.exec(entry);
    if ((owner !== undefined && wanted.has(owner.name)) || (legacy !== null && !processAlive(Number(legacy[1])))) {
      rmSync(join(dir, entry), { force: true });
    }
  }
}

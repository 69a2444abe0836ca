/**
 * The CLI's page journal file (Node only): a `SyncJournal` that keeps a journaled sync's completed pages in
 * an append-only file next to the output, as records `<byte length> <url>\n<body>\n`. Appends are
 * synchronous (the SDK calls `append` before it takes the next checkpoint). A resumed sync reads back the
 * pages its checkpoint covers and cuts off the rest (they are fetched again).
 */
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
  writevSync,
} from "node:fs";
import { makeError, type OktaDirectoryError } from "../errors.js";
import type { SyncJournal, SyncJournalPage } from "../sync/index.js";
import { systemCode } from "./atomic-write.js";

const NEWLINE = Buffer.from("\n");
/** The longest record head (`<length> <url>\n`) read back; a longer one ends the replay. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Not following a symlink at the journal's own name (0 where the platform has no such flag). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** A page journal in one file. */
export class FilePageJournal implements SyncJournal {
  /** The journal file. */
  readonly path: string;
  /** The error of the last failed append (a `StoreError` whose `cause` is the system error), if any. */
  failure: OktaDirectoryError | undefined;
  #fd: number | undefined;
  #resuming: boolean;
  /** Where the next record goes (the journal's length once replayed or cut). */
  #end = 0;

  /**
   * Opens (`resuming`: keeps, else starts over) the journal file. It holds the raw Okta pages (profiles):
   * a fresh journal replaces whatever had its name (a symlink is removed, never followed; an older file's
   * permissions are not inherited) and is created 0600; a resumed one must be a regular file (a symlink
   * is refused) and is made 0600. The file is opened once: no later step reopens it by name.
   *
   * @throws StoreError (`STORE_FAILED`) when the file cannot be opened; the system error is the `cause`.
   */
  constructor(path: string, resuming: boolean) {
    this.path = path;
    this.#resuming = resuming && existsSync(path);
    try {
      if (this.#resuming) {
        this.#fd = openSync(path, constants.O_RDWR | NO_FOLLOW);
        fchmodSync(this.#fd, 0o600);
        this.#end = fstatSync(this.#fd).size;
      } else {
        rmSync(path, { force: true });
        this.#fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
      }
    } catch (cause) {
      this.close();
      throw makeError("STORE_FAILED", `opening the page journal failed (${systemCode(cause)})`, { cause });
    }
  }

  /** Appends one page record; a failure is a `StoreError` kept in {@link failure}. */
  append({ url, body }: SyncJournalPage): void {
    try {
      if (this.#resuming) this.#cut(0); // resumed from a checkpoint that covers no page
      // One system call per page; a short write (disk nearly full) is completed, or fails with the next call.
      const head = Buffer.from(`${body.byteLength} ${url}\n`);
      const total = head.length + body.byteLength + 1;
      const done = writevSync(this.#open(), [head, body, NEWLINE], this.#end);
      if (done < total) {
        const rest = Buffer.concat([head, body, NEWLINE], total).subarray(done);
        for (let at = 0; at < rest.length; ) at += writeSync(this.#open(), rest, at, rest.length - at, this.#end + done + at);
      }
      this.#end += total;
    } catch (cause) {
      // The original error (ENOSPC, EIO…) stays the cause: it is what the operator must fix.
      this.failure = makeError("STORE_FAILED", `appending to the page journal failed (${systemCode(cause)})`, { cause });
      throw this.failure;
    }
  }

  /** The first `pages` records (fewer when the file ends or a record is damaged); then the rest is cut off. */
  *replay(pages: number): Generator<SyncJournalPage> {
    if (!this.#resuming) return;
    let position = 0;
    const head = Buffer.alloc(MAX_HEAD_BYTES);
    for (let n = 0; n < pages; n++) {
      const got = readSync(this.#open(), head, 0, head.length, position);
      const eol = head.subarray(0, got).indexOf(10);
      const space = head.subarray(0, got).indexOf(32);
      if (eol < 0 || space < 0 || space > eol) break;
      const length = Number(head.toString("latin1", 0, space));
      if (!Number.isSafeInteger(length) || length < 0) break;
      const url = head.toString("utf8", space + 1, eol);
      const body = Buffer.alloc(length);
      if (readSync(this.#open(), body, 0, length, position + eol + 1) !== length) break;
      position += eol + 1 + length + 1;
      yield { url, body };
    }
    // Pages after the checkpoint's are fetched again: drop them, and append from here.
    this.#cut(position);
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): number {
    if (this.#fd === undefined) throw makeError("STORE_FAILED", "the page journal is closed");
    return this.#fd;
  }

  #cut(length: number): void {
    ftruncateSync(this.#open(), length);
    this.#end = length;
    this.#resuming = false;
  }
}

/** The sync's progress on stderr: one rewritten status line on a TTY, plain lines (at most one a second) otherwise. */
import type { SyncProgressEvent } from "../node.js";

/** Reports progress events; `end` finishes the status line. */
export interface ProgressReporter {
  report(p: SyncProgressEvent): void;
  end(): void;
}

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

function line(p: SyncProgressEvent): string {
  const reason = p.waiting?.reason;
  const bucket = reason !== undefined && "bucket" in reason && reason.bucket ? ` ${reason.bucket}` : "";
  const wait = p.waiting && reason ? ` · waiting ${(p.waiting.ms / 1000).toFixed(1)} s (${reason.kind}${bucket})` : "";
  return `sync: ${p.users} users · ${p.groups} groups · ${p.memberships} memberships · ${p.pages} pages · ${p.requests} requests · ${p.retries} retries${wait}`;
}

/** A reporter writing to stderr. */
export function progressReporter(): ProgressReporter {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    report(p) {
      const now = Date.now();
      if (tty) {
        process.stderr.write(`\r\x1b[K${FRAMES[p.pages % FRAMES.length]} ${line(p)}`);
      } else if (p.waiting || now - last >= 1000) {
        last = now;
        process.stderr.write(`${line(p)}\n`);
      }
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

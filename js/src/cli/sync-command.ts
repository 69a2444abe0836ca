/**
 * `sync`: an Okta org to a snapshot file (or sync JSON), full, group-scoped or incremental, resumable. The
 * files next to the output (state, checkpoint, journal, lock) and the incremental policy are the app
 * layer's (`js/src/app/`); this file turns flags into SDK options and reports.
 */
import { existsSync, unlinkSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import {
  acquireOutputLock,
  atomicWrite,
  FilePageJournal,
  incrementalBase,
  nextSyncState,
  parsePrivateKey,
  readSyncState,
  removeStaleTempFiles,
  syncPaths,
  syncStateText,
  systemCode,
  type IncrementalBase,
  type SyncRunMode,
} from "../app/node.js";
import type { SyncDirectoryOptions, SyncProgress, SyncSnapshotResult } from "../node.js";
import {
  CliError,
  cliWording,
  codeOf,
  fail,
  intOption,
  loadSdk,
  messageOf,
  printHelp,
  readInput,
  readSecretFile,
  stringOption,
  UsageError,
} from "./common.js";
import { helpOf } from "./help.js";
import { progressReporter } from "./progress.js";

const SYNC_OPTIONS = {
  org: { type: "string" },
  "client-id": { type: "string" },
  "private-key": { type: "string" },
  "key-id": { type: "string" },
  "api-token": { type: "string" },
  "api-token-file": { type: "string" },
  out: { type: "string" },
  dpop: { type: "string" },
  scopes: { type: "string" },
  resume: { type: "boolean" },
  "insecure-loopback": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  groups: { type: "string" },
  "workforce-group": { type: "string" },
  incremental: { type: "boolean" },
  "reconcile-every": { type: "string" },
  "reconcile-max-age": { type: "string" },
  overlap: { type: "string" },
  "page-limit": { type: "string" },
  "max-in-flight": { type: "string" },
  "request-timeout": { type: "string" },
  "max-wait": { type: "string" },
} as const;

const DPOP_MODES: readonly NonNullable<SyncDirectoryOptions["dpop"]>[] = ["auto", "required", "off"];

/** Writes `text` to `path` atomically and durably, or throws a CliError `WRITE_FAILED` naming the path. */
async function writeFile(path: string, text: string | Uint8Array): Promise<void> {
  try {
    await atomicWrite(path, text);
  } catch (e) {
    const cause = (e as Error).cause ?? e;
    throw new CliError("WRITE_FAILED", `cannot write ${path} (${systemCode(cause)})`, { cause });
  }
}

/** Removes a file of a run (its checkpoint, its journal), or exits WRITE_FAILED naming it; a missing file is fine. */
function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if (codeOf(e) !== "ENOENT") fail("WRITE_FAILED", `cannot remove ${path} (${systemCode(e)})`);
  }
}

/** The org and credential options from the flags (usage errors for missing or conflicting ones). */
function connectionOptions(values: ReturnType<typeof parse>["values"], org: string): SyncDirectoryOptions {
  const keyMode = values["client-id"] !== undefined || values["private-key"] !== undefined;
  const apiToken = keyMode ? undefined : apiTokenOf(values);
  if (keyMode && (values["api-token"] !== undefined || values["api-token-file"] !== undefined))
    throw new UsageError("give either --client-id with --private-key, or an API token, not both");
  if (!keyMode && apiToken === undefined)
    throw new UsageError(
      "sync needs either --client-id with --private-key, or an API token (OKTA_API_TOKEN, --api-token-file or --api-token)",
    );
  if (keyMode && (values["client-id"] === undefined || values["private-key"] === undefined))
    throw new UsageError("--client-id and --private-key go together");
  let dpop: SyncDirectoryOptions["dpop"];
  if (values.dpop !== undefined) {
    dpop = DPOP_MODES.find((m) => m === values.dpop);
    if (dpop === undefined) throw new UsageError("--dpop must be auto, required or off");
  }
  const options: SyncDirectoryOptions = { orgUrl: org, allowInsecureLoopback: values["insecure-loopback"] === true };
  if (values["client-id"] !== undefined && values["private-key"] !== undefined) {
    let privateKey: string | JsonWebKey;
    try {
      privateKey = parsePrivateKey(readInput(values["private-key"]));
    } catch (e) {
      return fail(codeOf(e) ?? "INVALID_CREDENTIALS", messageOf(e) ?? "unusable private key");
    }
    Object.assign(options, { clientId: values["client-id"], privateKey });
    if (values["key-id"] !== undefined) options.keyId = values["key-id"];
  } else if (apiToken !== undefined) {
    options.apiToken = apiToken;
  }
  if (dpop !== undefined) options.dpop = dpop;
  if (values.scopes !== undefined) options.scopes = values.scopes.split(/[\s,]+/).filter(Boolean);
  return options;
}

/**
 * The SSWS token: `--api-token` (visible to every user of the machine in the process list, kept for
 * compatibility), else `--api-token-file`, else the OKTA_API_TOKEN environment variable. Never printed.
 */
function apiTokenOf(values: ReturnType<typeof parse>["values"]): string | undefined {
  if (values["api-token"] !== undefined && values["api-token-file"] !== undefined)
    throw new UsageError("give --api-token or --api-token-file, not both");
  if (values["api-token"] !== undefined) return values["api-token"];
  if (values["api-token-file"] !== undefined) {
    const text = readSecretFile(values["api-token-file"], "api-token-file", "sync");
    if (text === "") throw new UsageError("--api-token-file is empty");
    return text;
  }
  const env = process.env["OKTA_API_TOKEN"]?.trim();
  return env === undefined || env === "" ? undefined : env;
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: SYNC_OPTIONS, allowPositionals: false });
}

/** Takes FILE.lock for the life of this process, or exits OUTPUT_LOCKED / WRITE_FAILED. */
function lockOutput(out: string, lock: string): void {
  let outcome: ReturnType<typeof acquireOutputLock>;
  try {
    outcome = acquireOutputLock(lock);
  } catch (e) {
    return fail("WRITE_FAILED", `cannot create ${lock} (${systemCode((e as Error).cause ?? e)})`);
  }
  if (!outcome.ok) return fail("OUTPUT_LOCKED", `${out} is being synced by ${outcome.holder}; if no sync is running there, delete ${lock}`);
  if (outcome.staleRemoved !== undefined)
    process.stderr.write(`sync: removing the stale lock ${lock}${outcome.staleRemoved ? ` (${outcome.staleRemoved})` : ""}\n`);
}

/** `sync --org URL (--client-id ID --private-key FILE | --api-token TOKEN) --out FILE [options]` */
export async function sync(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) return printHelp(helpOf("sync"));
  if (positionals.length) throw new UsageError("sync takes no positional arguments");
  if (values.org === undefined) throw new UsageError("sync needs --org URL");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(values.org.trim()))
    throw new UsageError(`--org has no scheme: add https:// in front (https://${values.org.trim()})`);
  if (values.out === undefined) throw new UsageError("sync needs --out FILE");
  const out = values.out;
  const options = connectionOptions(values, values.org);
  const pageLimit = intOption(values, "page-limit", { min: 1, max: 200 });
  if (pageLimit !== undefined) options.pageLimit = pageLimit;
  const maxInFlight = intOption(values, "max-in-flight", { min: 1, max: 16 });
  if (maxInFlight !== undefined) options.maxInFlight = maxInFlight;
  const requestTimeout = intOption(values, "request-timeout", { min: 100, max: 600_000 });
  if (requestTimeout !== undefined) options.requestTimeoutMs = requestTimeout;
  const maxWait = intOption(values, "max-wait", { min: 1, max: 86_400 });
  if (maxWait !== undefined) options.maxWaitMs = maxWait * 1000;
  const reconcileEvery = intOption(values, "reconcile-every", { min: 0, max: 1_000_000 }) ?? 24;
  const reconcileMaxAgeHours = intOption(values, "reconcile-max-age", { min: 0, max: 24 * 30 }) ?? 24 * 7;
  const overlap = intOption(values, "overlap", { min: 0, max: 86_400 });
  if (values.groups !== undefined) {
    options.groups = values.groups
      .split(",")
      .map((g) => g.trim())
      .filter((g) => g !== "");
    if (options.groups.length === 0) throw new UsageError("--groups needs at least one group id");
  }
  const workforceGroupId = stringOption(values, "workforce-group");
  if (workforceGroupId !== undefined) options.workforceGroupId = workforceGroupId;
  const toSnapshot = !out.endsWith(".json");
  if (values.incremental && !toSnapshot) throw new UsageError("--incremental needs a snapshot --out (not a .json file)");
  if (values.incremental && options.groups !== undefined)
    throw new UsageError("--incremental and --groups do not combine: a group-scoped sync re-reads its groups");
  const origin = new URL(values.org.trim()).origin;
  const paths = syncPaths(out);
  // One sync per output at a time, for the whole run: its state, checkpoint and journal are ours from here.
  lockOutput(out, paths.lock);
  removeStaleTempFiles(dirname(out), [basename(out), basename(paths.state), basename(paths.checkpoint)]);
  const state = readSyncState(paths.state);
  const previous: IncrementalBase = values.incremental
    ? incrementalBase(out, state, { origin, reconcileEvery, reconcileMaxAgeHours, workforceGroupId })
    : { reason: "" };
  if (previous.snapshot !== undefined) {
    if (state.watermarkMs !== undefined) options.since = state.watermarkMs;
    if (overlap !== undefined) options.overlapMs = overlap * 1000;
    // The System Log is polled from where the last incremental run stopped (events Okta persisted late included).
    if (state.logCursor !== undefined) options.logCursor = state.logCursor;
  }
  const mode: SyncRunMode = options.groups !== undefined ? "groups" : previous.snapshot !== undefined ? "incremental" : "full";
  process.stderr.write(`sync: mode ${mode}${previous.reason ? ` (${previous.reason})` : ""}\n`);
  if (values.resume) {
    if (existsSync(paths.checkpoint)) {
      options.checkpoint = readInput(paths.checkpoint);
      process.stderr.write(`sync: resuming from ${paths.checkpoint}\n`);
    } else {
      process.stderr.write(`sync: no checkpoint at ${paths.checkpoint}; starting a full sync\n`);
    }
  } else if (existsSync(paths.checkpoint)) {
    // Starting over: the old checkpoint goes first, so that no checkpoint ever refers to the journal this run
    // is about to truncate (a later --resume would replay this run's pages under that run's cursors).
    process.stderr.write(`sync: discarding the checkpoint of an earlier run (no --resume)\n`);
    removeFile(paths.checkpoint);
  }
  const sdk = await loadSdk();
  const controller = new AbortController();
  // Ctrl-C (or SIGTERM) aborts the run: the checkpoint and journal stay as the last completed page left them,
  // and the process exits 128 + the signal's number (130, 143) so that scripts see an interruption.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const progress = progressReporter();
  const started = Date.now();
  // A full or group-scoped sync to a snapshot keeps completed pages in an append-only journal next to it (the
  // checkpoint then holds only cursors) and never holds the directory as JSON. An incremental sync's result is
  // a small delta applied to the previous snapshot; a .json output holds the sync result in memory.
  const journaled = toSnapshot && mode !== "incremental";
  let journal: FilePageJournal | undefined;
  let resultJson: string | undefined;
  let snapshotResult: SyncSnapshotResult | undefined;
  let totals: SyncProgress | undefined;
  const run = async () => {
    const common: SyncDirectoryOptions = {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        totals = p;
        progress.report(p);
      },
      onCheckpoint: (checkpoint) => writeFile(paths.checkpoint, checkpoint),
    };
    if (journaled) {
      try {
        journal = new FilePageJournal(paths.journal, options.checkpoint !== undefined);
      } catch (e) {
        return fail("WRITE_FAILED", `cannot open ${paths.journal} (${systemCode((e as Error).cause ?? e)})`);
      }
      snapshotResult = await sdk.syncDirectorySnapshot({ ...common, journal });
      totals = snapshotResult.progress;
    } else {
      // JSON text straight to the file: parsing and re-serializing a large directory would hold it twice.
      resultJson = await sdk.syncDirectoryJson(common);
    }
  };
  try {
    try {
      await run();
    } catch (e) {
      // A checkpoint that cannot be proven to match its journal (another run's, cut short, altered) or that this
      // version cannot read is never completed from: start over, from nothing.
      if (codeOf(e) !== "INVALID_CHECKPOINT" || options.checkpoint === undefined) throw e;
      journal?.close();
      progress.end();
      process.stderr.write(`sync: the checkpoint cannot be resumed (${messageOf(e)}); starting over\n`);
      removeFile(paths.checkpoint);
      removeFile(paths.journal);
      delete options.checkpoint;
      await run();
    }
  } catch (e) {
    progress.end();
    journal?.close();
    const hint = existsSync(paths.checkpoint) ? ` (progress kept in ${paths.checkpoint}; rerun with --resume)` : "";
    if (interrupted !== undefined) {
      process.stderr.write(`sync: interrupted by ${interrupted}${hint}\n`);
      process.exit(interrupted === "SIGTERM" ? 143 : 130);
    }
    const root = rootCause(e, journal);
    fail(codeOf(root) ?? "INTERNAL", `${cliWording(root, messageOf(root) ?? "sync failed")}${hint}`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  progress.end();
  journal?.close();
  if (totals === undefined) return fail("INTERNAL", "the sync reported no progress");
  if (typeof totals.clockSkewMs === "number")
    process.stderr.write(`sync: warning: the server's clock and this machine's differ by ${Math.round(totals.clockSkewMs / 1000)} s\n`);
  // The final progress event carries the run's watermark (the summary's): no need to parse a large result.
  const watermarkMs = snapshotResult !== undefined ? snapshotResult.summary.watermarkMs : totals.watermarkMs;
  let counts = { users: totals.users, groups: totals.groups, memberships: totals.memberships };
  let extra = {};
  let logCursor: string | undefined;
  let written: string | Uint8Array;
  // The contract's --out is a snapshot; a FILE ending in .json gets the sync result as JSON instead.
  if (snapshotResult !== undefined) {
    // Built page by page in wasm; memberships of members missing from a full users listing are left out.
    written = snapshotResult.snapshot;
    const { users, groups, memberships } = snapshotResult.summary;
    counts = { users, groups, memberships };
  } else if (resultJson === undefined) {
    return fail("INTERNAL", "the sync returned no result");
  } else if (!toSnapshot || previous.snapshot === undefined) {
    written = resultJson;
  } else {
    try {
      const applied = sdk.applySyncResult(previous.snapshot, resultJson, { syncedAtMs: Date.now() });
      written = applied.snapshot;
      counts = { users: applied.users, groups: applied.groups, memberships: applied.memberships };
      // The incremental result is small (a delta): parsing it whole is cheap.
      const changes = (
        JSON.parse(resultJson) as { changes?: { logCursor?: unknown; logsUnavailable?: unknown; rereadGroupIds?: unknown[] } }
      ).changes;
      if (typeof changes?.logCursor === "string") logCursor = changes.logCursor;
      extra = { changes: applied.stats, logsUnavailable: changes?.logsUnavailable === true };
      if (changes?.logsUnavailable)
        process.stderr.write(
          `sync: the System Log is not readable (okta.logs.read): the members of Everyone and of ${changes.rereadGroupIds?.length ?? 0} changed groups were re-read instead\n`,
        );
    } catch (e) {
      return fail(codeOf(e) ?? "INTERNAL", messageOf(e) ?? "could not apply the changes to the snapshot");
    }
  }
  try {
    await writeFile(out, written);
    const next = nextSyncState(state, {
      origin,
      mode,
      watermarkMs,
      logCursor,
      groups: options.groups,
      workforceGroupId: options.workforceGroupId,
      output: written,
    });
    await writeFile(paths.state, syncStateText(next));
  } catch (e) {
    return fail(codeOf(e) ?? "WRITE_FAILED", messageOf(e) ?? "write failed");
  }
  removeFile(paths.journal);
  removeFile(paths.checkpoint);
  process.stdout.write(
    `${JSON.stringify({ ...counts, requests: totals.requests, retries: totals.retries, elapsedMs: Date.now() - started, mode, ...extra })}\n`,
  );
}

/**
 * The error to report: a journal append that failed is reported as itself, naming the journal file (its system
 * error stays the cause: it is what the operator must fix); a file write the SDK wrapped, as the write.
 */
function rootCause(e: unknown, journal: FilePageJournal | undefined): unknown {
  const cause = (e as Error | null | undefined)?.cause;
  if (cause instanceof CliError) return cause;
  if (codeOf(e) !== "STORE_FAILED") return e;
  if (journal?.failure !== undefined && cause === journal.failure) {
    const system = journal.failure.cause;
    return new CliError("WRITE_FAILED", `cannot append to ${journal.path} (${systemCode(system)})`, { cause: system });
  }
  return e;
}

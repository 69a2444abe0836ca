#!/usr/bin/env node
// okta-directory command line. Contract (docs/contracts): results on stdout, progress and errors
// on stderr as `error[CODE]: text`; exit 0 on success, 1 on a handled error, 2 on bad usage.
import { createHash } from "node:crypto";
import {
  closeSync,
  createReadStream,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  writevSync,
} from "node:fs";
import { createInterface } from "node:readline";
import { hostname, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import * as directoryCommands from "./directory-commands.mjs";
import { publish } from "./publish-command.mjs";
import { GLOBAL_HELP, helpOf, usageHint } from "./help.mjs";

const NEWLINE = Buffer.from("\n");

class UsageError extends Error {}

/** The CLI flag for an SDK option named in an error's `option` field. */
const SDK_OPTION_FLAGS = { allowInsecureLoopback: "--insecure-loopback", orgUrl: "--org" };

/** An SDK error's message with the SDK option it names (`allowInsecureLoopback: true`) said as the CLI flag. */
function cliWording(e, message) {
  const flag = typeof e?.option === "string" ? SDK_OPTION_FLAGS[e.option] : undefined;
  return flag ? message.replaceAll(`${e.option}: true`, flag).replaceAll(e.option, flag) : message;
}

function fail(code, message) {
  process.stderr.write(`error[${code}]: ${message}\n`);
  process.exit(1);
}

async function loadSdk() {
  try {
    return await import("../dist/node.js");
  } catch (cause) {
    fail("NOT_BUILT", `the SDK is not built (run \`bash scripts/build.sh\`): ${cause.code ?? cause.name}`);
  }
}

function readInput(path) {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    fail("READ_FAILED", `cannot read ${path === "-" ? "standard input" : path} (${e.code ?? e.name})`);
  }
}

/** Splits the input into user documents: one JSON value, a JSON array, or JSON Lines. */
function* documents(text) {
  const trimmed = text.trim();
  if (trimmed === "") return;
  try {
    const whole = JSON.parse(trimmed);
    if (Array.isArray(whole)) yield* whole;
    else yield whole;
    return;
  } catch {
    // not a single JSON document: read it as JSON Lines below
  }
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() !== "") yield line; // a string: the SDK parses it and reports INVALID_JSON itself
  }
}

async function normalize(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { mapping: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${helpOf("normalize")}\n`);
  if (positionals.length > 1) throw new UsageError("normalize takes at most one INPUT");
  const sdk = await loadSdk();
  let mapping;
  if (values.mapping !== undefined) {
    try {
      mapping = JSON.parse(readInput(values.mapping));
      sdk.validateMapping(mapping);
    } catch (e) {
      fail(e.code ?? "INVALID_MAPPING", e.code ? e.message : "the mapping file is not valid JSON");
    }
  }
  const out = [];
  for (const doc of documents(readInput(positionals[0] ?? "-"))) {
    try {
      out.push(JSON.stringify(sdk.normalizeUser(doc, mapping)));
    } catch (e) {
      out.push(JSON.stringify({ error: { code: e.code ?? "INTERNAL", message: e.message } }));
    }
  }
  process.stdout.write(out.length ? `${out.join("\n")}\n` : "");
}

async function version(argv = []) {
  if (argv.includes("--help") || argv.includes("-h")) return void process.stdout.write(`${helpOf("version")}\n`);
  if (argv.length) throw new UsageError("version takes no arguments");
  const sdk = await loadSdk();
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`okta-directory ${pkg.version} (core ${sdk.coreVersion()})\n`);
}

function intOption(values, name, { min = 0, max = Number.MAX_SAFE_INTEGER, required = false } = {}) {
  const raw = values[name];
  if (raw === undefined) {
    if (required) throw new UsageError(`emulator needs --${name}`);
    return undefined;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return Number(raw);
}

async function emulator(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      users: { type: "string" },
      groups: { type: "string" },
      seed: { type: "string" },
      "rate-limit": { type: "string" },
      faults: { type: "string" },
      host: { type: "string" },
      dpop: { type: "string" },
      "token-ttl": { type: "string" },
      "missing-share": { type: "string" },
      "key-type": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return void process.stdout.write(`${helpOf("emulator")}\n`);
  if (positionals.length) throw new UsageError("emulator takes no positional arguments");
  const options = {
    users: intOption(values, "users", { required: true, max: 2_000_000 }),
    port: intOption(values, "port", { max: 65535 }) ?? 0,
    host: values.host ?? "127.0.0.1",
  };
  const groups = intOption(values, "groups", { min: 1, max: 100_000 });
  if (groups !== undefined) options.groups = groups;
  const seed = intOption(values, "seed", { max: 2 ** 32 - 1 });
  if (seed !== undefined) options.seed = seed;
  const ttl = intOption(values, "token-ttl", { min: 1, max: 86_400 });
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  if (values.dpop !== undefined) {
    if (!["off", "optional", "required"].includes(values.dpop)) throw new UsageError("--dpop must be off, optional or required");
    options.dpop = values.dpop;
  }
  if (values["key-type"] !== undefined) {
    if (!["RSA", "EC"].includes(values["key-type"])) throw new UsageError("--key-type must be RSA or EC");
    options.keyType = values["key-type"];
  }
  if (values["missing-share"] !== undefined) {
    const share = Number(values["missing-share"]);
    if (!(share >= 0 && share <= 1)) throw new UsageError("--missing-share must be a number from 0 to 1");
    options.missingShare = share;
  }
  let mod;
  try {
    mod = await import("../dist/emulator/index.js");
  } catch (cause) {
    fail("NOT_BUILT", `the SDK is not built (run \`bash scripts/build.sh\`): ${cause.code ?? cause.name}`);
  }
  // Spec errors are usage errors: check them before generating a large directory.
  try {
    if (values["rate-limit"] !== undefined) options.rateLimit = mod.parseRateLimitSpec(values["rate-limit"]);
    if (values.faults !== undefined) {
      mod.Faults.parse(values.faults);
      options.faults = values.faults;
    }
  } catch (e) {
    throw new UsageError(e.message);
  }
  let running;
  try {
    running = await mod.startEmulator(options);
  } catch (e) {
    if (e?.code === "EADDRINUSE") fail("PORT_IN_USE", `port ${options.port} is already in use`);
    if (e?.code === "EADDRNOTAVAIL" || e?.code === "ENOTFOUND") fail("BAD_HOST", `cannot listen on ${options.host}`);
    throw e;
  }
  const dir = mkdtempSync(join(tmpdir(), "okta-emulator-"));
  const privateKeyPath = join(dir, "private-key.pem");
  writeFileSync(privateKeyPath, running.privateKeyPem, { mode: 0o600 });
  const stop = () => {
    rmSync(dir, { recursive: true, force: true });
    running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(
    `${JSON.stringify({ url: running.url, clientId: running.clientId, privateKeyPath, apiToken: running.apiToken, keyId: running.keyId, admin: { username: running.admin.username, password: running.admin.password } })}\n`,
  );
  process.stderr.write(`emulator: ${options.users} users, ${running.env.store.groups.length} groups at ${running.url} (Ctrl-C to stop)\n`);
}

async function match(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { policy: { type: "string" }, snapshot: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${helpOf("match")}\n`);
  if (positionals.length > 1) throw new UsageError("match takes at most one INPUT");
  const sdk = await loadSdk();
  // --snapshot: the directory's name and birthdate frequencies weigh the claims (the records compared
  // are still each line's own `directory`).
  let frequencies = null;
  if (values.snapshot !== undefined) {
    let bytes;
    try {
      bytes = readFileSync(values.snapshot);
    } catch (e) {
      fail("READ_FAILED", `cannot read ${values.snapshot} (${e.code ?? e.name})`);
    }
    try {
      const dir = sdk.Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      frequencies = dir.frequencyTable() ?? null;
      dir.free();
    } catch (e) {
      fail(e.code ?? "SNAPSHOT_CORRUPT", e.message);
    }
  }
  let matcher;
  try {
    const policy = values.policy === undefined ? null : readInput(values.policy);
    matcher = new sdk.ClaimsMatcher({ policy, frequencies });
  } catch (e) {
    fail(e.code ?? "INVALID_POLICY", e.message);
  }
  const source = positionals[0] ?? "-";
  let input;
  try {
    input = source === "-" ? process.stdin : createReadStream(source);
    if (source !== "-") await new Promise((resolve, reject) => input.once("open", resolve).once("error", reject));
  } catch (e) {
    fail("READ_FAILED", `cannot read ${source} (${e.code ?? e.name})`);
  }
  // Stream: one output line per input line, written in batches to keep stdout calls few.
  let pending = [];
  const flush = () => {
    if (pending.length) process.stdout.write(`${pending.join("\n")}\n`);
    pending = [];
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    pending.push(matcher.matchLine(line));
    if (pending.length >= 512) flush();
  }
  flush();
  matcher.free();
}

/** A handled CLI failure, thrown where `fail` (which exits) would be too early: its code and message go to stderr. */
class CliError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
  }
}

/** Writes `text` to `path` atomically: a temp file in the same directory, then a rename. Throws a CliError. */
function writeAtomic(path, text) {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliError("WRITE_FAILED", `cannot write ${path} (${e.code ?? e.name})`, { cause: e });
  }
}

/** Whether process `pid` runs on this host (EPERM: it runs, under another user). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/**
 * Takes FILE.lock for the life of this process (created with O_EXCL; pid, host, start time inside) or fails
 * with OUTPUT_LOCKED. A lock whose pid is dead on this host (a killed sync) is stale: it is replaced.
 */
function acquireLock(out) {
  const path = `${out}.lock`;
  const me = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      process.on("exit", () => {
        try {
          if (JSON.parse(readFileSync(path, "utf8")).pid === process.pid) rmSync(path, { force: true });
        } catch {
          // gone already
        }
      });
      return;
    } catch (e) {
      if (e.code !== "EEXIST") fail("WRITE_FAILED", `cannot create ${path} (${e.code ?? e.name})`);
    }
    let held;
    try {
      held = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      held = undefined;
    }
    const unreadableAndOld = held === undefined && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000;
    const deadHere = held !== undefined && held.host === me.host && Number.isSafeInteger(held.pid) && !alive(held.pid);
    if (attempt === 0 && (deadHere || unreadableAndOld)) {
      process.stderr.write(`sync: removing the stale lock ${path}${deadHere ? ` (process ${held.pid} is gone)` : ""}\n`);
      rmSync(path, { force: true });
      continue;
    }
    const who = held === undefined ? "another sync" : `process ${held.pid} on ${held.host} since ${held.startedAt}`;
    fail("OUTPUT_LOCKED", `${out} is being synced by ${who}; if no sync is running there, delete ${path}`);
  }
}

/**
 * Removes temp files left by an atomic write that was killed: ours (`.NAME.PID.TIME.tmp` for the output, its
 * state and checkpoint; the lock makes them ours) and the older `.PID.TIME.tmp` ones whose process is gone.
 */
function cleanTempFiles(out) {
  const dir = dirname(out);
  const names = new Set([basename(out), basename(`${out}.state.json`), basename(`${out}.checkpoint.json`)]);
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const ours = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/.exec(entry);
    const legacy = /^\.(\d+)\.(\d+)\.tmp$/.exec(entry);
    if ((ours !== null && names.has(ours[1])) || (legacy !== null && !alive(Number(legacy[1])))) {
      rmSync(join(dir, entry), { force: true });
    }
  }
}

/**
 * The sync's page journal file: records `<byte length> <url>\n<body>\n`, appended synchronously (the SDK
 * calls `append` before it takes the next checkpoint). A resumed sync reads back the pages its checkpoint
 * covers and cuts off the rest (they are fetched again).
 */
class PageJournal {
  #path;
  #fd;
  #resuming;

  constructor(path, resuming) {
    this.#path = path;
    this.#resuming = resuming && existsSync(path);
    try {
      this.#fd = openSync(path, this.#resuming ? "r+" : "w", 0o600);
    } catch (e) {
      fail("WRITE_FAILED", `cannot open ${path} (${e.code ?? e.name})`);
    }
  }

  append({ url, body }) {
    try {
      if (this.#resuming) this.#cut(0); // resumed from a checkpoint that covers no page
      // One system call per page; a short write (disk nearly full) is completed, or fails with the next call.
      const parts = [Buffer.from(`${body.byteLength} ${url}\n`), body, NEWLINE];
      const total = parts[0].length + body.byteLength + 1;
      const done = writevSync(this.#fd, parts);
      if (done < total) {
        const rest = Buffer.concat(parts, total).subarray(done);
        for (let at = 0; at < rest.length; ) at += writeSync(this.#fd, rest, at);
      }
    } catch (e) {
      // The original error (ENOSPC, EIO…) stays the cause: it is what the operator must fix.
      throw new CliError("WRITE_FAILED", `cannot append to ${this.#path} (${e.code ?? e.name})`, { cause: e });
    }
  }

  *replay(pages) {
    if (!this.#resuming) return;
    let position = 0;
    const head = Buffer.alloc(16 * 1024);
    for (let n = 0; n < pages; n++) {
      const got = readSync(this.#fd, head, 0, head.length, position);
      const eol = head.subarray(0, got).indexOf(10);
      const space = head.indexOf(32);
      if (eol < 0 || space < 0 || space > eol) break;
      const length = Number(head.toString("latin1", 0, space));
      const url = head.toString("utf8", space + 1, eol);
      const body = Buffer.alloc(length);
      if (!Number.isSafeInteger(length) || readSync(this.#fd, body, 0, length, position + eol + 1) !== length) break;
      position += eol + 1 + length + 1;
      yield { url, body };
    }
    // Pages after the checkpoint's are fetched again: drop them, and append from here.
    this.#cut(position);
  }

  #cut(length) {
    ftruncateSync(this.#fd, length);
    closeSync(this.#fd);
    this.#fd = openSync(this.#path, "a", 0o600);
    this.#resuming = false;
  }

  close() {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** Progress on stderr: one rewritten status line on a TTY, plain lines (at most one a second) otherwise. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const line = (p) => {
    const wait = p.waiting
      ? ` · waiting ${(p.waiting.ms / 1000).toFixed(1)} s (${p.waiting.reason.kind}${p.waiting.reason.bucket ? ` ${p.waiting.reason.bucket}` : ""})`
      : "";
    return `sync: ${p.users} users · ${p.groups} groups · ${p.memberships} memberships · ${p.pages} pages · ${p.requests} requests · ${p.retries} retries${wait}`;
  };
  return {
    report(p) {
      const now = Date.now();
      if (tty) {
        const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
        process.stderr.write(`\r\x1b[K${frames[p.pages % frames.length]} ${line(p)}`);
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

async function sync(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      org: { type: "string" },
      "client-id": { type: "string" },
      "private-key": { type: "string" },
      "key-id": { type: "string" },
      "api-token": { type: "string" },
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
    },
    allowPositionals: false,
  });
  if (values.help) return void process.stdout.write(`${helpOf("sync")}\n`);
  if (positionals.length) throw new UsageError("sync takes no positional arguments");
  if (values.org === undefined) throw new UsageError("sync needs --org URL");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(values.org.trim()))
    throw new UsageError(`--org has no scheme: add https:// in front (https://${values.org.trim()})`);
  if (values.out === undefined) throw new UsageError("sync needs --out FILE");
  const keyMode = values["client-id"] !== undefined || values["private-key"] !== undefined;
  if (keyMode === (values["api-token"] !== undefined))
    throw new UsageError("sync needs either --client-id with --private-key, or --api-token");
  if (keyMode && (values["client-id"] === undefined || values["private-key"] === undefined))
    throw new UsageError("--client-id and --private-key go together");
  if (values.dpop !== undefined && !["auto", "required", "off"].includes(values.dpop))
    throw new UsageError("--dpop must be auto, required or off");
  const options = { orgUrl: values.org, allowInsecureLoopback: values["insecure-loopback"] === true };
  if (keyMode) {
    const text = readInput(values["private-key"]);
    let key = text;
    if (text.trimStart().startsWith("{")) {
      try {
        key = JSON.parse(text);
      } catch {
        fail("INVALID_CREDENTIALS", "the private key file is neither PKCS#8 PEM nor a JSON JWK");
      }
    }
    Object.assign(options, { clientId: values["client-id"], privateKey: key });
    if (values["key-id"] !== undefined) options.keyId = values["key-id"];
  } else {
    options.apiToken = values["api-token"];
  }
  if (values.dpop !== undefined) options.dpop = values.dpop;
  if (values.scopes !== undefined) options.scopes = values.scopes.split(/[\s,]+/).filter(Boolean);
  const numeric = (name, min, max) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return Number(raw);
  };
  const pageLimit = numeric("page-limit", 1, 200);
  if (pageLimit !== undefined) options.pageLimit = pageLimit;
  const maxInFlight = numeric("max-in-flight", 1, 16);
  if (maxInFlight !== undefined) options.maxInFlight = maxInFlight;
  const requestTimeout = numeric("request-timeout", 100, 600_000);
  if (requestTimeout !== undefined) options.requestTimeoutMs = requestTimeout;
  const maxWait = numeric("max-wait", 1, 86_400);
  if (maxWait !== undefined) options.maxWaitMs = maxWait * 1000;
  const reconcileEvery = numeric("reconcile-every", 0, 1_000_000) ?? 24;
  const reconcileMaxAgeHours = numeric("reconcile-max-age", 0, 24 * 30) ?? 24 * 7;
  const overlap = numeric("overlap", 0, 86_400);
  if (values.groups !== undefined) {
    options.groups = values.groups
      .split(",")
      .map((g) => g.trim())
      .filter((g) => g !== "");
    if (options.groups.length === 0) throw new UsageError("--groups needs at least one group id");
  }
  if (values["workforce-group"] !== undefined) options.workforceGroupId = values["workforce-group"];
  const toSnapshot = !values.out.endsWith(".json");
  if (values.incremental && !toSnapshot) throw new UsageError("--incremental needs a snapshot --out (not a .json file)");
  if (values.incremental && options.groups !== undefined)
    throw new UsageError("--incremental and --groups do not combine: a group-scoped sync re-reads its groups");
  const origin = new URL(values.org.trim()).origin;
  // One sync per output at a time, for the whole run: its state, checkpoint and journal are ours from here.
  acquireLock(values.out);
  cleanTempFiles(values.out);
  const statePath = `${values.out}.state.json`;
  const state = readState(statePath);
  const previous = values.incremental
    ? incrementalBase(values.out, state, { origin, reconcileEvery, reconcileMaxAgeHours, workforceGroupId: options.workforceGroupId })
    : { reason: undefined };
  if (previous.snapshot !== undefined) {
    options.since = state.watermarkMs;
    if (overlap !== undefined) options.overlapMs = overlap * 1000;
    // The System Log is polled from where the last incremental run stopped (events Okta persisted late included).
    if (typeof state.logCursor === "string") options.logCursor = state.logCursor;
  }
  const mode = options.groups !== undefined ? "groups" : previous.snapshot !== undefined ? "incremental" : "full";
  process.stderr.write(`sync: mode ${mode}${previous.reason ? ` (${previous.reason})` : ""}\n`);
  const checkpointPath = `${values.out}.checkpoint.json`;
  const journalPath = `${values.out}.journal`;
  if (values.resume) {
    if (existsSync(checkpointPath)) {
      options.checkpoint = readInput(checkpointPath);
      process.stderr.write(`sync: resuming from ${checkpointPath}\n`);
    } else {
      process.stderr.write(`sync: no checkpoint at ${checkpointPath}; starting a full sync\n`);
    }
  } else if (existsSync(checkpointPath)) {
    // Starting over: the old checkpoint goes first, so that no checkpoint ever refers to the journal this run
    // is about to truncate (a later --resume would replay this run's pages under that run's cursors).
    process.stderr.write(`sync: discarding the checkpoint of an earlier run (no --resume)\n`);
    rmSync(checkpointPath, { force: true });
  }
  const sdk = await loadSdk();
  const controller = new AbortController();
  // Ctrl-C (or SIGTERM) aborts the run: the checkpoint and journal stay as the last completed page left them,
  // and the process exits 128 + the signal's number (130, 143) so that scripts see an interruption.
  let interrupted;
  const onSignal = (signal) => {
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
  let journal;
  let resultJson;
  let snapshotResult;
  let totals;
  const run = async () => {
    const common = {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        totals = p;
        progress.report(p);
      },
      onCheckpoint: (checkpoint) => writeAtomic(checkpointPath, checkpoint),
    };
    if (journaled) {
      journal = new PageJournal(journalPath, options.checkpoint !== undefined);
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
      if (e?.code !== "INVALID_CHECKPOINT" || options.checkpoint === undefined) throw e;
      journal?.close();
      progress.end();
      process.stderr.write(`sync: the checkpoint cannot be resumed (${e.message}); starting over\n`);
      rmSync(checkpointPath, { force: true });
      rmSync(journalPath, { force: true });
      delete options.checkpoint;
      await run();
    }
  } catch (e) {
    progress.end();
    journal?.close();
    const hint = existsSync(checkpointPath) ? ` (progress kept in ${checkpointPath}; rerun with --resume)` : "";
    if (interrupted !== undefined) {
      process.stderr.write(`sync: interrupted by ${interrupted}${hint}\n`);
      process.exit(interrupted === "SIGTERM" ? 143 : 130);
    }
    // A journal that could not be written is reported as itself (its system error stays the cause).
    const root = e?.code === "STORE_FAILED" && e.cause instanceof CliError ? e.cause : e;
    fail(root?.code ?? "INTERNAL", `${cliWording(root, root?.message ?? "sync failed")}${hint}`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  progress.end();
  journal?.close();
  if (typeof totals?.clockSkewMs === "number")
    process.stderr.write(`sync: warning: the server's clock and this machine's differ by ${Math.round(totals.clockSkewMs / 1000)} s\n`);
  const watermarkMs = snapshotResult !== undefined ? snapshotResult.summary.watermarkMs : JSON.parse(summaryOf(resultJson)).watermarkMs;
  let counts = { users: totals.users, groups: totals.groups, memberships: totals.memberships };
  let extra = {};
  let logCursor;
  let written;
  // The contract's --out is a snapshot; a FILE ending in .json gets the sync result as JSON instead.
  if (snapshotResult !== undefined) {
    // Built page by page in wasm; memberships of members missing from a full users listing are left out.
    written = snapshotResult.snapshot;
    const { users, groups, memberships } = snapshotResult.summary;
    counts = { users, groups, memberships };
  } else if (!toSnapshot) {
    written = resultJson;
  } else {
    try {
      const applied = sdk.applySyncResult(previous.snapshot, resultJson, { syncedAtMs: Date.now() });
      written = applied.snapshot;
      counts = { users: applied.users, groups: applied.groups, memberships: applied.memberships };
      const changes = JSON.parse(resultJson).changes;
      if (typeof changes?.logCursor === "string") logCursor = changes.logCursor;
      extra = { changes: applied.stats, logsUnavailable: changes?.logsUnavailable === true };
      if (changes?.logsUnavailable)
        process.stderr.write(
          `sync: the System Log is not readable (okta.logs.read): the members of Everyone and of ${changes.rereadGroupIds?.length ?? 0} changed groups were re-read instead\n`,
        );
    } catch (e) {
      fail(e?.code ?? "INTERNAL", e?.message ?? "could not apply the changes to the snapshot");
    }
  }
  const writeOrFail = (path, text) => {
    try {
      writeAtomic(path, text);
    } catch (e) {
      fail(e.code, e.message);
    }
  };
  writeOrFail(values.out, written);
  const nextState = {
    version: 1,
    origin,
    mode,
    watermarkMs: mode === "incremental" && watermarkMs === undefined ? state.watermarkMs : watermarkMs,
    lastFullWatermarkMs: mode === "incremental" ? state.lastFullWatermarkMs : watermarkMs,
    incrementalRuns: mode === "incremental" ? (state.incrementalRuns ?? 0) + 1 : 0,
    ...(logCursor === undefined ? {} : { logCursor }),
    ...(options.groups === undefined ? {} : { groups: options.groups }),
    ...(options.workforceGroupId === undefined ? {} : { workforceGroupId: options.workforceGroupId }),
    outputSha256: createHash("sha256").update(written).digest("hex"),
  };
  writeOrFail(statePath, `${JSON.stringify(nextState)}\n`);
  rmSync(journalPath, { force: true });
  rmSync(checkpointPath, { force: true });
  process.stdout.write(
    `${JSON.stringify({ ...counts, requests: totals.requests, retries: totals.retries, elapsedMs: Date.now() - started, mode, ...extra })}\n`,
  );
}

/** The `summary` object of a sync result's JSON text, without parsing the whole directory twice over. */
function summaryOf(resultJson) {
  const at = resultJson.lastIndexOf('"summary":');
  if (at < 0) return "{}";
  // The summary is an object of numbers and flat maps, followed by optional top-level fields.
  let depth = 0;
  for (let i = at + 10; i < resultJson.length; i++) {
    const c = resultJson[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return resultJson.slice(at + 10, i + 1);
  }
  return "{}";
}

/** The previous run's state next to --out (absent or unreadable → an empty state: the next run is full). */
function readState(path) {
  try {
    const s = JSON.parse(readFileSync(path, "utf8"));
    return s !== null && typeof s === "object" && s.version === 1 ? s : {};
  } catch {
    return {};
  }
}

/** Whether an incremental run can build on the previous snapshot; `{snapshot}` when it can, `{reason}` when not. */
function incrementalBase(out, state, { origin, reconcileEvery, reconcileMaxAgeHours, workforceGroupId }) {
  if (!existsSync(out) || state.watermarkMs === undefined) return { reason: "no previous sync state next to --out" };
  const snapshot = readFileSync(out);
  if (state.origin !== origin) return { reason: "the previous sync was of another org" };
  if (state.watermarkMs > Date.now() + 5 * 60_000)
    return { reason: "the stored watermark is in the future (a skewed clock); a full sync replaces it" };
  if (createHash("sha256").update(snapshot).digest("hex") !== state.outputSha256)
    return { reason: "the snapshot changed since the last sync" };
  if (state.groups !== undefined) return { reason: "the previous sync was group-scoped" };
  if ((state.workforceGroupId ?? null) !== (workforceGroupId ?? null)) return { reason: "the Workforce group changed" };
  if ((state.incrementalRuns ?? 0) >= reconcileEvery)
    return { reason: `periodic full reconcile after ${state.incrementalRuns} incremental runs` };
  if (Date.now() - state.watermarkMs > 30 * 86_400_000) return { reason: "the last sync is older than 30 days" };
  if (Date.now() - (state.lastFullWatermarkMs ?? 0) > reconcileMaxAgeHours * 3_600_000)
    return { reason: `periodic full reconcile: the last full sync is older than ${reconcileMaxAgeHours} h` };
  return { snapshot: new Uint8Array(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength) };
}

const cli = { UsageError, fail, loadSdk, helpOf };
const commands = {
  normalize,
  version,
  emulator,
  match,
  sync,
  audit: (argv) => directoryCommands.audit(argv, cli),
  lookup: (argv) => directoryCommands.lookup(argv, cli),
  snapshot: (argv) => directoryCommands.snapshot(argv, cli),
  publish: (argv) => publish(argv, cli),
};

// A reader that stops early (`okta-directory match big.jsonl | head`) ends the command quietly, as
// Unix tools do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on("error", (e) => {
  if (e?.code === "EPIPE") process.exit(0);
  throw e;
});

/** The command being run, named in a usage error's hint. */
let current;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === "--help" || command === "-h") {
    process.stdout.write(`${GLOBAL_HELP}\n`);
    return;
  }
  if (command === "help") {
    // `okta-directory help sync` is `okta-directory sync --help`.
    process.stdout.write(`${helpOf(rest[0])}\n`);
    return;
  }
  if (command === "--version") return version();
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  current = command;
  await run(rest);
}

main().catch((e) => {
  if (
    e instanceof UsageError ||
    e?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ||
    e?.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" ||
    e?.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
  ) {
    // parseArgs' own messages go on about positionals starting with '-': the first sentence says what is wrong.
    const message = String(e.message).split(/\n|\. To specify/)[0];
    process.stderr.write(`error[USAGE]: ${message}\n${usageHint(current)}\n`);
    process.exit(2);
  }
  fail(e?.code ?? "INTERNAL", cliWording(e, e?.message ?? String(e)));
});

#!/usr/bin/env node
// okta-directory command line. Contract (docs/contracts): results on stdout, progress and errors
// on stderr as `error[CODE]: text`; exit 0 on success, 1 on a handled error, 2 on bad usage.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as directoryCommands from "./directory-commands.mjs";

const USAGE = `usage: okta-directory <command> [options]

commands:
  normalize [INPUT | -] [--mapping FILE]
      Okta users (a JSON object, a JSON array, or JSON Lines) -> one normalized user per line
      ({"user", "sources", "issues"}); a line that fails yields {"error": {"code", "message"}}.
  emulator --users N [--port N] [--groups N] [--seed N] [--rate-limit SPEC] [--faults SPEC]
           [--host ADDR] [--dpop off|optional|required] [--token-ttl SECONDS] [--missing-share 0..1]
           [--key-type RSA|EC]
      Okta Management API emulator with a seeded directory (Node only). When ready, prints one JSON
      line {"url", "clientId", "privateKeyPath", "apiToken", "keyId"}; runs until SIGINT/SIGTERM.
      --port 0 (default) picks a free port; --host defaults to 127.0.0.1. The private key is written
      to a fresh temp directory with mode 0600 and removed on exit.
      --rate-limit: "off" or e.g. users=600,user=2000,groups=500,group=1000,logs=120,token=2000,
        share=50,concurrency=75 (defaults: Okta Workforce limits, 50% app share).
      --faults: NAME=COUNT[:ARG],... with NAME one of 429, concurrency, 5xx, slow (ARG ms), stall,
        reset, malformed, foreign-next, duplicate, delete-between-pages, token-expiry, dpop-nonce.
      Control API (loopback only): /__control/state, /__control/users, /__control/groups/ID/users/UID,
        /__control/faults, /__control/rate-limit, /__control/apps, /__control/expire-tokens.
${directoryCommands.DIRECTORY_USAGE}
  version      print the SDK and core versions

Every command accepts --help. Sync, match and audit arrive with later releases.`;

class UsageError extends Error {}

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
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
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

async function version() {
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
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return Number(raw);
}

async function emulator(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" }, users: { type: "string" }, groups: { type: "string" }, seed: { type: "string" },
      "rate-limit": { type: "string" }, faults: { type: "string" }, host: { type: "string" }, dpop: { type: "string" },
      "token-ttl": { type: "string" }, "missing-share": { type: "string" }, "key-type": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
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
  process.stdout.write(`${JSON.stringify({ url: running.url, clientId: running.clientId, privateKeyPath, apiToken: running.apiToken, keyId: running.keyId })}\n`);
  process.stderr.write(`emulator: ${options.users} users, ${running.env.store.groups.length} groups at ${running.url} (Ctrl-C to stop)\n`);
}

const cli = { UsageError, fail, loadSdk, usage: USAGE };
const commands = {
  normalize,
  version,
  emulator,
  lookup: (argv) => directoryCommands.lookup(argv, cli),
  snapshot: (argv) => directoryCommands.snapshot(argv, cli),
};

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === "--version") return version();
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  await run(rest);
}

main().catch((e) => {
  if (e instanceof UsageError || e?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || e?.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    process.stderr.write(`error[USAGE]: ${e.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  fail(e?.code ?? "INTERNAL", e?.message ?? String(e));
});

#!/usr/bin/env node
// okta-directory command line. Contract (docs/contracts): results on stdout, progress and errors
// on stderr as `error[CODE]: text`; exit 0 on success, 1 on a handled error, 2 on bad usage.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const USAGE = `usage: okta-directory <command> [options]

commands:
  normalize [INPUT | -] [--mapping FILE]
      Okta users (a JSON object, a JSON array, or JSON Lines) -> one normalized user per line
      ({"user", "sources", "issues"}); a line that fails yields {"error": {"code", "message"}}.
  version      print the SDK and core versions

Every command accepts --help. Sync, lookup, match, audit and the emulator arrive with later releases.`;

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

const commands = { normalize, version };

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

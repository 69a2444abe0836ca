/**
 * The okta-directory command line (`js/bin/okta-directory.mjs` runs this module). Contract
 * (docs/contracts): results on stdout, progress and errors on stderr as `error[CODE]: text`; exit 0 on
 * success, 1 on a handled error, 2 on bad usage, 130/143 when interrupted.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { match, normalize } from "./claims-commands.js";
import { cliWording, codeOf, fail, loadSdk, messageOf, printHelp, UsageError } from "./common.js";
import { audit, lookup, snapshot } from "./directory-commands.js";
import { emulator } from "./emulator-command.js";
import { GLOBAL_HELP, helpOf, usageHint } from "./help.js";
import { publish } from "./publish-command.js";
import { sync } from "./sync-command.js";

/** `version`: the SDK and core versions. */
async function version(argv: string[] = []): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) return printHelp(helpOf("version"));
  if (argv.length) throw new UsageError("version takes no arguments");
  const sdk = await loadSdk();
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  process.stdout.write(`okta-directory ${pkg.version} (core ${sdk.coreVersion()})\n`);
}

const COMMANDS: Readonly<Record<string, (argv: string[]) => Promise<void>>> = {
  normalize,
  version,
  emulator,
  match,
  sync,
  audit,
  lookup,
  snapshot,
  publish,
};

/** Errors of `parseArgs` that are usage errors. */
const PARSE_ARGS_CODES = ["ERR_PARSE_ARGS_UNKNOWN_OPTION", "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL", "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"];

/** The command being run, named in a usage error's hint. */
let current: string | undefined;

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h") return printHelp(GLOBAL_HELP);
  // `okta-directory help sync` is `okta-directory sync --help`.
  if (command === "help") return printHelp(helpOf(rest[0]));
  if (command === "--version") return version();
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) throw new UsageError(`unknown command "${command}"`);
  current = command;
  await run(rest);
}

// A reader that stops early (`okta-directory match big.jsonl | head`) ends the command quietly, as
// Unix tools do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on("error", (e) => {
  if (codeOf(e) === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError || PARSE_ARGS_CODES.includes(codeOf(e) ?? "")) {
    // parseArgs' own messages go on about positionals starting with '-': the first sentence says what is wrong.
    // A stray positional is not quoted: it is often a value whose --option was mistyped or dropped (a token).
    const message =
      codeOf(e) === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
        ? "unexpected argument: this command takes no positional arguments (a value missing its --option?)"
        : String(messageOf(e)).split(/\n|\. To specify/)[0];
    process.stderr.write(`error[USAGE]: ${message}\n${usageHint(current)}\n`);
    process.exit(2);
  }
  fail(codeOf(e) ?? "INTERNAL", cliWording(e, messageOf(e) ?? String(e)));
});

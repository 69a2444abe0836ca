/**
 * What every command of the CLI shares. Contract (docs/contracts): results on stdout, progress and errors on
 * stderr as `error[CODE]: text`; exit 0 on success, 1 on a handled error, 2 on bad usage.
 */
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { systemCode } from "../app/node.js";

/** The SDK's Node entry, loaded when a command needs it (`--help` never loads the wasm module). */
export type Sdk = typeof import("../node.js");
/** The Okta emulator's module. */
export type EmulatorModule = typeof import("../emulator/index.js");

/** Bad usage: exit 2 with a hint at the command's help. */
export class UsageError extends Error {
  /** Always `USAGE`. */
  readonly code = "USAGE";
}

/** A handled CLI failure, thrown where {@link fail} (which exits) would be too early: its code and message go to stderr. */
export class CliError extends Error {
  /** The code printed as `error[CODE]`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
    this.code = code;
  }
}

/** Prints `error[CODE]: message` and exits 1. */
export function fail(code: string, message: string): never {
  process.stderr.write(`error[${code}]: ${message}\n`);
  process.exit(1);
}

/** Prints a policy's strength warnings (`POLICY_WEAK`) on stderr: the command still runs under it. */
export function warnWeakPolicy(command: string, warnings: readonly { code: string; reason: string; message: string }[]): void {
  for (const w of warnings) process.stderr.write(`${command}: warning[${w.code}] (${w.reason}): ${w.message}\n`);
}

/** The `code` of anything thrown, when it has a string one. */
export function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The `message` of anything thrown, when it has one. */
export function messageOf(e: unknown): string | undefined {
  const message = (e as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

/** The CLI flag for an SDK option named in an error's `option` field. */
const SDK_OPTION_FLAGS: Readonly<Record<string, string>> = { allowInsecureLoopback: "--insecure-loopback", orgUrl: "--org" };

/** An SDK error's message with the SDK option it names (`allowInsecureLoopback: true`) said as the CLI flag. */
export function cliWording(e: unknown, message: string): string {
  const option = (e as { option?: unknown } | null | undefined)?.option;
  const flag = typeof option === "string" && Object.hasOwn(SDK_OPTION_FLAGS, option) ? SDK_OPTION_FLAGS[option] : undefined;
  return flag !== undefined && typeof option === "string" ? message.replaceAll(`${option}: true`, flag).replaceAll(option, flag) : message;
}

function notBuilt(cause: unknown): never {
  return fail("NOT_BUILT", `the SDK is not built (run \`bash scripts/build.sh\`): ${systemCode(cause)}`);
}

/** The SDK (exits NOT_BUILT when the build is missing). */
export async function loadSdk(): Promise<Sdk> {
  try {
    return await import("../node.js");
  } catch (cause) {
    return notBuilt(cause);
  }
}

/** The emulator (exits NOT_BUILT when the build is missing). */
export async function loadEmulator(): Promise<EmulatorModule> {
  try {
    return await import("../emulator/index.js");
  } catch (cause) {
    return notBuilt(cause);
  }
}

/** A file's (`-`: standard input's) bytes, or exit READ_FAILED. */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    return fail("READ_FAILED", `cannot read ${path === "-" ? "standard input" : path} (${systemCode(e)})`);
  }
}

/**
 * The trimmed text of a file holding a secret (`--api-token-file`), or exit READ_FAILED (the system error code
 * only). A file other users of the machine may read gets a warning on stderr, as ssh gives for a private key:
 * keeping the token off the command line helps little when the file is world-readable.
 */
export function readSecretFile(path: string, flag: string, command: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const mode = fstatSync(fd).mode;
    if (process.platform !== "win32" && (mode & 0o077) !== 0)
      process.stderr.write(
        `${command}: --${flag} is readable by other users of this machine (mode ${(mode & 0o777).toString(8).padStart(4, "0")}): chmod 600 it\n`,
      );
    return readFileSync(fd, "utf8").trim();
  } catch (e) {
    return fail("READ_FAILED", `cannot read --${flag} (${systemCode(e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file's (`-`: standard input's) text, or exit READ_FAILED. */
export function readInput(path: string): string {
  return readBytes(path).toString("utf8");
}

/** The bytes of a Buffer as a plain Uint8Array view (what the SDK takes). */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The values `parseArgs` returns for string and boolean options. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** A string option's value (undefined when absent). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** Bounds of an integer option. */
export interface IntRange {
  readonly min?: number;
  readonly max?: number;
}

/** An integer option from `min` to `max` (undefined when absent), or a UsageError. */
export function intOption(
  values: OptionValues,
  name: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: IntRange = {},
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return Number(raw);
}

/** Writes a command's help and returns. */
export function printHelp(text: string): void {
  process.stdout.write(`${text}\n`);
}

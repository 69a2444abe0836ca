/** `emulator --users N …`: a local Okta emulator for trying the CLI and the SDK without an org. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DpopMode, EmulatorOptions, RunningEmulator } from "../emulator/index.js";
import { codeOf, fail, intOption, loadEmulator, messageOf, printHelp, UsageError } from "./common.js";
import { helpOf } from "./help.js";

const DPOP_MODES: readonly DpopMode[] = ["off", "optional", "required"];
const KEY_TYPES: readonly NonNullable<EmulatorOptions["keyType"]>[] = ["RSA", "EC"];

/** `emulator --users N [--port P] [--groups N] [--seed N] [--rate-limit SPEC] [--faults SPEC] …` */
export async function emulator(argv: string[]): Promise<void> {
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
      realism: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return printHelp(helpOf("emulator"));
  if (positionals.length) throw new UsageError("emulator takes no positional arguments");
  const users = intOption(values, "users", { max: 2_000_000 });
  if (users === undefined) throw new UsageError("emulator needs --users");
  const options: EmulatorOptions = {
    users,
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
    const dpop = DPOP_MODES.find((m) => m === values.dpop);
    if (dpop === undefined) throw new UsageError("--dpop must be off, optional or required");
    options.dpop = dpop;
  }
  if (values["key-type"] !== undefined) {
    const keyType = KEY_TYPES.find((k) => k === values["key-type"]);
    if (keyType === undefined) throw new UsageError("--key-type must be RSA or EC");
    options.keyType = keyType;
  }
  if (values["missing-share"] !== undefined) {
    const share = Number(values["missing-share"]);
    if (!(share >= 0 && share <= 1)) throw new UsageError("--missing-share must be a number from 0 to 1");
    options.missingShare = share;
  }
  if (values.realism !== undefined) {
    if (values.realism !== "tidy" && values.realism !== "messy") throw new UsageError("--realism must be tidy or messy");
    options.realism = values.realism;
  }
  const mod = await loadEmulator();
  // Spec errors are usage errors: check them before generating a large directory.
  try {
    if (values["rate-limit"] !== undefined) options.rateLimit = mod.parseRateLimitSpec(values["rate-limit"]);
    if (values.faults !== undefined) {
      mod.Faults.parse(values.faults);
      options.faults = values.faults;
    }
  } catch (e) {
    throw new UsageError(messageOf(e) ?? String(e));
  }
  let running: RunningEmulator;
  try {
    running = await mod.startEmulator(options);
  } catch (e) {
    if (codeOf(e) === "EADDRINUSE") fail("PORT_IN_USE", `port ${options.port} is already in use`);
    if (codeOf(e) === "EADDRNOTAVAIL" || codeOf(e) === "ENOTFOUND") fail("BAD_HOST", `cannot listen on ${options.host}`);
    throw e;
  }
  const dir = mkdtempSync(join(tmpdir(), "okta-emulator-"));
  const privateKeyPath = join(dir, "private-key.pem");
  writeFileSync(privateKeyPath, running.privateKeyPem, { mode: 0o600 });
  const stop = () => {
    rmSync(dir, { recursive: true, force: true });
    void running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const { url, clientId, apiToken, keyId, admin } = running;
  process.stdout.write(
    `${JSON.stringify({ url, clientId, privateKeyPath, apiToken, keyId, admin: { username: admin.username, password: admin.password } })}\n`,
  );
  process.stderr.write(`emulator: ${options.users} users, ${running.env.store.groups.length} groups at ${url} (Ctrl-C to stop)\n`);
}

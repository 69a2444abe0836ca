// `okta-directory publish`: a snapshot to Workers KV over Cloudflare's REST API, in the layout the Worker
// reads; only changed shards plus the manifest when a version is live. The API token comes from the
// CLOUDFLARE_API_TOKEN environment variable or --api-token-file (never a flag: command lines are visible to
// other users of the machine), and is never printed.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** `publish --snapshot FILE --account-id ID --namespace-id ID [--api-token-file FILE] [--prefix P] [--shards N] [--api-base URL] [--insecure-loopback]` */
export async function publish(argv, cli) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      snapshot: { type: "string" },
      "account-id": { type: "string" },
      "namespace-id": { type: "string" },
      "api-token-file": { type: "string" },
      prefix: { type: "string" },
      shards: { type: "string" },
      "max-shards": { type: "string" },
      "api-base": { type: "string" },
      "insecure-loopback": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${cli.helpOf("publish")}\n`);
  if (positionals.length > 0) throw new cli.UsageError("publish takes no positional arguments");
  for (const flag of ["snapshot", "account-id", "namespace-id"])
    if (values[flag] === undefined) throw new cli.UsageError(`publish needs --${flag}`);
  const count = (flag) => {
    if (values[flag] === undefined) return undefined;
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new cli.UsageError(`--${flag} must be a positive integer`);
    return n;
  };
  const shards = count("shards");
  const maxShards = count("max-shards");
  let apiToken = process.env.CLOUDFLARE_API_TOKEN;
  if (values["api-token-file"] !== undefined) {
    try {
      apiToken = readFileSync(values["api-token-file"], "utf8").trim();
    } catch (e) {
      cli.fail("READ_FAILED", `cannot read --api-token-file (${e.code ?? e.name})`);
    }
  }
  if (apiToken === undefined || apiToken.trim() === "")
    throw new cli.UsageError("publish needs a Cloudflare API token: set CLOUDFLARE_API_TOKEN or give --api-token-file FILE");
  let bytes;
  try {
    bytes = readFileSync(values.snapshot);
  } catch (e) {
    cli.fail("READ_FAILED", `cannot read ${values.snapshot} (${e.code ?? e.name})`);
  }
  const sdk = await cli.loadSdk();
  const started = Date.now();
  let result;
  try {
    result = await sdk.publishToWorkersKv({
      snapshot: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      accountId: values["account-id"],
      namespaceId: values["namespace-id"],
      apiToken,
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(shards === undefined ? {} : { shards }),
      ...(maxShards === undefined ? {} : { maxShards }),
      ...(values["api-base"] === undefined ? {} : { apiBase: values["api-base"] }),
      ...(values["insecure-loopback"] ? { allowInsecureLoopback: true } : {}),
    });
  } catch (e) {
    const flag = e?.option === "apiBase" ? " (--api-base)" : "";
    cli.fail(e?.code ?? "INTERNAL", `${e?.message ?? "publish failed"}${flag}`);
  }
  const { version, shards: total, users, written, deleted, incremental, requests } = result;
  process.stdout.write(
    `${JSON.stringify({ version, users, shards: total, written, deleted, incremental, requests: requests.requests, retries: requests.retries, bulkWrites: requests.bulkWrites, keysWritten: requests.keysWritten, elapsedMs: Date.now() - started })}\n`,
  );
}

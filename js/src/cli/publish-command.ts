/**
 * `okta-directory publish`: a snapshot to Workers KV over Cloudflare's REST API, in the layout the Worker
 * reads; only changed shards plus the manifest when a version is live. The API token comes from the
 * CLOUDFLARE_API_TOKEN environment variable or --api-token-file (never a flag: command lines are visible to
 * other users of the machine), and is never printed.
 */
import { parseArgs } from "node:util";
import type { PublishToWorkersKvResult } from "../node.js";
import { bytesOf, codeOf, fail, loadSdk, messageOf, printHelp, readBytes, readSecretFile, UsageError } from "./common.js";
import { helpOf } from "./help.js";

const PUBLISH_OPTIONS = {
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
} as const;

/** `publish --snapshot FILE --account-id ID --namespace-id ID [--api-token-file FILE] [--prefix P] [--shards N] [--api-base URL] [--insecure-loopback]` */
export async function publish(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: PUBLISH_OPTIONS, allowPositionals: true });
  if (values.help) return printHelp(helpOf("publish"));
  if (positionals.length > 0) throw new UsageError("publish takes no positional arguments");
  const { snapshot, "account-id": accountId, "namespace-id": namespaceId } = values;
  if (snapshot === undefined) throw new UsageError("publish needs --snapshot");
  if (accountId === undefined) throw new UsageError("publish needs --account-id");
  if (namespaceId === undefined) throw new UsageError("publish needs --namespace-id");
  const count = (flag: "shards" | "max-shards") => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new UsageError(`--${flag} must be a positive integer`);
    return n;
  };
  const shards = count("shards");
  const maxShards = count("max-shards");
  let apiToken = process.env["CLOUDFLARE_API_TOKEN"];
  if (values["api-token-file"] !== undefined) apiToken = readSecretFile(values["api-token-file"], "api-token-file", "publish");
  if (apiToken === undefined || apiToken.trim() === "")
    throw new UsageError("publish needs a Cloudflare API token: set CLOUDFLARE_API_TOKEN or give --api-token-file FILE");
  const bytes = readBytes(snapshot);
  const sdk = await loadSdk();
  const started = Date.now();
  let result: PublishToWorkersKvResult;
  try {
    result = await sdk.publishToWorkersKv({
      snapshot: bytesOf(bytes),
      accountId,
      namespaceId,
      apiToken,
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(shards === undefined ? {} : { shards }),
      ...(maxShards === undefined ? {} : { maxShards }),
      ...(values["api-base"] === undefined ? {} : { apiBase: values["api-base"] }),
      ...(values["insecure-loopback"] ? { allowInsecureLoopback: true } : {}),
    });
  } catch (e) {
    const flag = (e as { option?: unknown } | null)?.option === "apiBase" ? " (--api-base)" : "";
    return fail(codeOf(e) ?? "INTERNAL", `${messageOf(e) ?? "publish failed"}${flag}`);
  }
  const { version, shards: total, users, written, deleted, incremental, requests } = result;
  process.stdout.write(
    `${JSON.stringify({ version, users, shards: total, written, deleted, incremental, requests: requests.requests, retries: requests.retries, bulkWrites: requests.bulkWrites, keysWritten: requests.keysWritten, elapsedMs: Date.now() - started })}\n`,
  );
}

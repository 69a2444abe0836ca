/** `normalize` and `match`: Okta users to normalized records, and verified-claims pairs to match results. */
import { createReadStream, type ReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { systemCode } from "../app/node.js";
import type { ClaimsMatcher, PolicyDocument } from "../node.js";
import { codeOf, fail, loadSdk, messageOf, printHelp, readInput, UsageError, warnWeakPolicy } from "./common.js";
import { helpOf } from "./help.js";
import { matchText } from "./match-text.js";

/** Splits the input into user documents: one JSON value, a JSON array, or JSON Lines. */
function* documents(text: string): Generator<unknown> {
  const trimmed = text.trim();
  if (trimmed === "") return;
  try {
    const whole: unknown = JSON.parse(trimmed);
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

/** `normalize [INPUT] [--mapping FILE]` */
export async function normalize(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { mapping: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return printHelp(helpOf("normalize"));
  if (positionals.length > 1) throw new UsageError("normalize takes at most one INPUT");
  const sdk = await loadSdk();
  let mapping: Parameters<typeof sdk.normalizeUser>[1];
  if (values.mapping !== undefined) {
    try {
      const parsed: unknown = JSON.parse(readInput(values.mapping));
      sdk.validateMapping(parsed as Parameters<typeof sdk.validateMapping>[0]);
      mapping = parsed as typeof mapping;
    } catch (e) {
      const code = codeOf(e);
      fail(code ?? "INVALID_MAPPING", code !== undefined ? (messageOf(e) ?? "") : "the mapping file is not valid JSON");
    }
  }
  const out: string[] = [];
  for (const doc of documents(readInput(positionals[0] ?? "-"))) {
    try {
      out.push(JSON.stringify(sdk.normalizeUser(doc as Parameters<typeof sdk.normalizeUser>[0], mapping)));
    } catch (e) {
      out.push(JSON.stringify({ error: { code: codeOf(e) ?? "INTERNAL", message: messageOf(e) } }));
    }
  }
  process.stdout.write(out.length ? `${out.join("\n")}\n` : "");
}

/** `match [INPUT] [--policy FILE] [--snapshot FILE] [--text]`: streams JSON Lines, one output line per input line (`--text`: a block a person reads). */
export async function match(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      policy: { type: "string" },
      snapshot: { type: "string" },
      text: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) return printHelp(helpOf("match"));
  if (positionals.length > 1) throw new UsageError("match takes at most one INPUT");
  const sdk = await loadSdk();
  // --snapshot: the directory's name and birthdate frequencies weigh the claims (the records compared
  // are still each line's own `directory`).
  let frequencies: Uint8Array | null = null;
  if (values.snapshot !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(values.snapshot);
    } catch (e) {
      return fail("READ_FAILED", `cannot read ${values.snapshot} (${systemCode(e)})`);
    }
    try {
      // The frequency table only: the directory itself is not loaded.
      frequencies = sdk.snapshotFrequencies(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) ?? null;
    } catch (e) {
      return fail(codeOf(e) ?? "SNAPSHOT_CORRUPT", messageOf(e) ?? "");
    }
  }
  let matcher: ClaimsMatcher;
  try {
    // The policy file's JSON text goes to the core as is (it reports a syntax error with line and column).
    const policy = values.policy === undefined ? null : (readInput(values.policy) as unknown as PolicyDocument);
    matcher = new sdk.ClaimsMatcher({ policy, frequencies });
  } catch (e) {
    return fail(codeOf(e) ?? "INVALID_POLICY", messageOf(e) ?? "");
  }
  warnWeakPolicy("match", matcher.warnings);
  const source = positionals[0] ?? "-";
  let input: NodeJS.ReadableStream;
  try {
    if (source === "-") input = process.stdin;
    else {
      const file: ReadStream = createReadStream(source);
      await new Promise((resolve, reject) => file.once("open", resolve).once("error", reject));
      input = file;
    }
  } catch (e) {
    return fail("READ_FAILED", `cannot read ${source} (${systemCode(e)})`);
  }
  // Stream: one output line per input line, written in batches to keep stdout calls few.
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) process.stdout.write(`${pending.join("\n")}\n`);
    pending = [];
  };
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === "") continue;
    const result = matcher.matchLine(line);
    // --text: one block per case (the decision, what decided it, each claim's level and weight), a blank line between.
    pending.push(values.text ? `${matchText(result)}\n` : result);
    if (pending.length >= 512) flush();
  }
  flush();
  matcher.free();
}

// The directory commands of the CLI (`lookup`, `snapshot`), kept apart from the main file so the
// commands can grow without touching each other. `cli` brings the main file's UsageError, fail(),
// loadSdk() and helpOf(), so usage errors exit 2 and handled errors print `error[CODE]: text` and exit 1.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

function readBytes(cli, path) {
  try {
    return readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    cli.fail("READ_FAILED", `cannot read ${path === "-" ? "standard input" : path} (${e.code ?? e.name})`);
  }
}

function handled(cli, fn) {
  try {
    return fn();
  } catch (e) {
    if (typeof e?.code === "string") cli.fail(e.code, e.message);
    throw e;
  }
}

/** `lookup --snapshot FILE <loginHint>` */
export async function lookup(argv, cli) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { snapshot: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${cli.helpOf("lookup")}\n`);
  if (values.snapshot === undefined) throw new cli.UsageError("lookup needs --snapshot FILE");
  if (positionals.length !== 1) throw new cli.UsageError("lookup takes exactly one loginHint");
  const sdk = await cli.loadSdk();
  const bytes = readBytes(cli, values.snapshot);
  const user = handled(cli, () => {
    const dir = sdk.Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    try {
      return dir.lookup(positionals[0]).user;
    } finally {
      dir.free();
    }
  });
  process.stdout.write(`${JSON.stringify(user)}\n`);
}

/** `snapshot [INPUT] --out FILE …`: sync JSON → snapshot file (written to a temp file, then renamed). */
export async function snapshot(argv, cli) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      keys: { type: "string" },
      "workforce-group": { type: "string" },
      origin: { type: "string" },
      "synced-at": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${cli.helpOf("snapshot")}\n`);
  if (values.out === undefined) throw new cli.UsageError("snapshot needs --out FILE");
  if (positionals.length > 1) throw new cli.UsageError("snapshot takes at most one INPUT");
  const options = {};
  if (values.keys !== undefined) {
    const keys = values.keys
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "");
    if (keys.length === 0) throw new cli.UsageError("--keys needs at least one key");
    options.keys = keys;
  }
  if (values["workforce-group"] !== undefined) options.workforceGroup = values["workforce-group"];
  if (values.origin !== undefined) options.origin = values.origin;
  if (values["synced-at"] !== undefined) {
    if (!/^\d+$/.test(values["synced-at"])) throw new cli.UsageError("--synced-at must be Unix milliseconds");
    options.syncedAtMs = Number(values["synced-at"]);
  }
  const sdk = await cli.loadSdk();
  const text = readBytes(cli, positionals[0] ?? "-").toString("utf8");
  const { bytes, info } = handled(cli, () => {
    const dir = sdk.Directory.fromSyncResult(text, options);
    try {
      return { bytes: dir.toSnapshot(), info: dir.info() };
    } finally {
      dir.free();
    }
  });
  const tmp = `${values.out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, values.out);
  } catch (e) {
    cli.fail("WRITE_FAILED", `cannot write ${values.out} (${e.code ?? e.name})`);
  }
  process.stdout.write(
    `${JSON.stringify({ users: info.users, groups: info.groups, memberships: info.memberships, bytes: bytes.length })}\n`,
  );
}

/**
 * The CLI's audit JSON keeps its documented snake_case field names (a CLI output contract), while the SDK's
 * `AuditReport` is camelCase.
 * @param {import("../dist/node.js").AuditReport} r
 */
function auditContract(r) {
  return {
    policy_id: r.policyId,
    users: r.users,
    inactive_skipped: r.inactiveSkipped,
    not_ready: r.notReady,
    attributes: r.attributes.map((a) => ({ attribute: a.attribute, required: a.required, missing: a.missing, user_ids: a.userIds })),
    groups: r.groups.map((g) => ({ group_id: g.groupId, name: g.name, users: g.users, missing: g.missing, not_ready: g.notReady })),
    data_quality: r.dataQuality.map((q) => ({ attribute: q.attribute, finding: q.finding, users: q.users, user_ids: q.userIds })),
  };
}

/** `audit --snapshot FILE [--policy FILE] [--group ID] [--csv]` */
export async function audit(argv, cli) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      snapshot: { type: "string" },
      policy: { type: "string" },
      group: { type: "string" },
      csv: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) return void process.stdout.write(`${cli.helpOf("audit")}\n`);
  if (values.snapshot === undefined) throw new cli.UsageError("audit needs --snapshot FILE");
  if (positionals.length) throw new cli.UsageError("audit takes no positional arguments");
  const sdk = await cli.loadSdk();
  const bytes = readBytes(cli, values.snapshot);
  let policy = null;
  if (values.policy !== undefined) {
    try {
      policy = JSON.parse(readBytes(cli, values.policy).toString("utf8"));
    } catch {
      cli.fail("INVALID_JSON", "the policy file is not valid JSON");
    }
  }
  const out = handled(cli, () => {
    const dir = sdk.Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    try {
      const options = { policy, ...(values.group === undefined ? {} : { group: values.group }) };
      return values.csv ? dir.auditCsv(options) : `${JSON.stringify(auditContract(dir.audit(options)))}\n`;
    } finally {
      dir.free();
    }
  });
  process.stdout.write(out);
}

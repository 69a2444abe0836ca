/**
 * The directory commands of the CLI (`lookup`, `snapshot`, `audit`): a snapshot file read, or written from
 * sync JSON. Usage errors exit 2; handled errors print `error[CODE]: text` and exit 1.
 */
import { parseArgs } from "node:util";
import { atomicWrite, systemCode } from "../app/node.js";
import type { AuditReport, DirectoryBuildOptions, PolicyDocument } from "../node.js";
import { bytesOf, codeOf, fail, loadSdk, messageOf, printHelp, readBytes, UsageError, warnWeakPolicy } from "./common.js";
import { helpOf } from "./help.js";

/** Runs `fn`; an SDK error (one with a code) exits with it. */
function handled<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = codeOf(e);
    if (code !== undefined) fail(code, messageOf(e) ?? "");
    throw e;
  }
}

/** `lookup --snapshot FILE <loginHint>` */
export async function lookup(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { snapshot: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return printHelp(helpOf("lookup"));
  if (values.snapshot === undefined) throw new UsageError("lookup needs --snapshot FILE");
  const hint = positionals[0];
  if (positionals.length !== 1 || hint === undefined) throw new UsageError("lookup takes exactly one loginHint");
  const sdk = await loadSdk();
  const bytes = readBytes(values.snapshot);
  const user = handled(() => {
    const dir = sdk.Directory.fromSnapshot(bytesOf(bytes));
    try {
      return dir.lookup(hint).user;
    } finally {
      dir.free();
    }
  });
  process.stdout.write(`${JSON.stringify(user)}\n`);
}

/** `snapshot [INPUT] --out FILE …`: sync JSON → snapshot file (written atomically). */
export async function snapshot(argv: string[]): Promise<void> {
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
  if (values.help) return printHelp(helpOf("snapshot"));
  if (values.out === undefined) throw new UsageError("snapshot needs --out FILE");
  if (positionals.length > 1) throw new UsageError("snapshot takes at most one INPUT");
  const out = values.out;
  const options: DirectoryBuildOptions = {};
  if (values.keys !== undefined) {
    const keys = values.keys
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "");
    if (keys.length === 0) throw new UsageError("--keys needs at least one key");
    options.keys = keys as NonNullable<DirectoryBuildOptions["keys"]>;
  }
  if (values["workforce-group"] !== undefined) options.workforceGroup = values["workforce-group"];
  if (values.origin !== undefined) options.origin = values.origin;
  if (values["synced-at"] !== undefined) {
    if (!/^\d+$/.test(values["synced-at"])) throw new UsageError("--synced-at must be Unix milliseconds");
    options.syncedAtMs = Number(values["synced-at"]);
  }
  const sdk = await loadSdk();
  const text = readBytes(positionals[0] ?? "-").toString("utf8");
  const { bytes, info } = handled(() => {
    const dir = sdk.Directory.fromSyncResult(text, options);
    try {
      return { bytes: dir.toSnapshot(), info: dir.info() };
    } finally {
      dir.free();
    }
  });
  try {
    await atomicWrite(out, bytes);
  } catch (e) {
    fail("WRITE_FAILED", `cannot write ${out} (${systemCode((e as Error).cause ?? e)})`);
  }
  process.stdout.write(
    `${JSON.stringify({ users: info.users, groups: info.groups, memberships: info.memberships, bytes: bytes.length })}\n`,
  );
}

/**
 * The CLI's audit JSON keeps its documented snake_case field names (a CLI output contract), while the SDK's
 * `AuditReport` is camelCase.
 */
function auditContract(r: AuditReport) {
  return {
    policy_id: r.policyId,
    users: r.users,
    inactive_skipped: r.inactiveSkipped,
    not_ready: r.notReady,
    attributes: r.attributes.map((a) => ({ attribute: a.attribute, required: a.required, missing: a.missing, user_ids: a.userIds })),
    groups: r.groups.map((g) => ({ group_id: g.groupId, name: g.name, users: g.users, missing: g.missing, not_ready: g.notReady })),
    data_quality: r.dataQuality.map((q) => ({ attribute: q.attribute, finding: q.finding, users: q.users, user_ids: q.userIds })),
    policy_warnings: r.policyWarnings,
  };
}

/** `audit --snapshot FILE [--policy FILE] [--group ID] [--csv]` */
export async function audit(argv: string[]): Promise<void> {
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
  if (values.help) return printHelp(helpOf("audit"));
  if (values.snapshot === undefined) throw new UsageError("audit needs --snapshot FILE");
  if (positionals.length) throw new UsageError("audit takes no positional arguments");
  const sdk = await loadSdk();
  const bytes = readBytes(values.snapshot);
  let policy: PolicyDocument | null = null;
  if (values.policy !== undefined) {
    try {
      policy = JSON.parse(readBytes(values.policy).toString("utf8")) as PolicyDocument | null;
    } catch {
      fail("INVALID_JSON", "the policy file is not valid JSON");
    }
  }
  const group = values.group;
  const out = handled(() => {
    const dir = sdk.Directory.fromSnapshot(bytesOf(bytes));
    try {
      const options = { policy, ...(group === undefined ? {} : { group }) };
      // A weak policy is audited all the same; the operator hears about it on stderr (the CSV has no room for it).
      if (!values.csv) {
        const report = dir.audit(options);
        warnWeakPolicy("audit", report.policyWarnings);
        return `${JSON.stringify(auditContract(report))}\n`;
      }
      const out = dir.auditCsv(options);
      if (policy !== null) {
        const matcher = new sdk.ClaimsMatcher({ policy });
        try {
          warnWeakPolicy("audit", matcher.warnings);
        } finally {
          matcher.free();
        }
      }
      return out;
    } finally {
      dir.free();
    }
  });
  process.stdout.write(out);
}

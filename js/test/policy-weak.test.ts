// Weak policies (POLICY_WEAK): a policy whose deciding claims cannot tell people apart — one claim
// (`{"claims": {"birthdate": {}}}` matches anyone born that day) or no name claim — is valid but warned about
// wherever it is loaded: the matcher, the readiness audit, the CLI's stderr.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ClaimsMatcher, Directory, type PolicyDocument } from "../src/node.js";

const run = promisify(execFile);
const cli = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "policy-weak-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BIRTHDATE_ONLY = { claims: { birthdate: {} } } as PolicyDocument;
const NO_NAME = { claims: { birthdate: {}, email: { required: true } } } as PolicyDocument;
const STRONG = { claims: { given_name: {}, family_name: {}, birthdate: {} } } as PolicyDocument;

function reasons(policy: PolicyDocument | null): string[] {
  const m = new ClaimsMatcher({ policy });
  try {
    return m.warnings.map((w) => `${w.code}:${w.reason}`);
  } finally {
    m.free();
  }
}

function directory(): Directory {
  return Directory.fromSyncResult(
    {
      users: [
        {
          id: "00u1",
          status: "ACTIVE",
          login: "a@corp.example",
          email: "a@corp.example",
          name: { given: "Ann", family: "Lee" },
          birthdate: "1990-01-02",
          address: {},
          phones: {},
          custom: {},
        },
      ],
      groups: [],
      memberships: [],
    },
    { keys: ["login"], origin: "https://acme.okta.com", syncedAtMs: 1_764_000_000_000 },
  );
}

describe("weak policies", () => {
  it("a matcher says why its policy cannot tell people apart; the default and a name + birthdate policy are not weak", () => {
    expect(reasons(BIRTHDATE_ONLY)).toEqual(["POLICY_WEAK:fewer_than_two_claims", "POLICY_WEAK:no_name_claim"]);
    expect(reasons(NO_NAME)).toEqual(["POLICY_WEAK:no_name_claim"]);
    expect(reasons(null)).toEqual([]);
    expect(reasons(STRONG)).toEqual([]);
    // The warning is about what the policy decides on: a birthdate-only policy matches a stranger born that day.
    const m = new ClaimsMatcher({ policy: BIRTHDATE_ONLY });
    const stranger = m.match(
      { given_name: "Zed", family_name: "Other", birthdate: "1990-01-02" },
      { profile: { firstName: "Ann", lastName: "Lee", birthdate: "1990-01-02" } },
    );
    expect(stranger.decision).toBe("match");
    m.free();
  });

  it("the readiness audit carries the policy's warnings", () => {
    const d = directory();
    expect(d.audit({ policy: BIRTHDATE_ONLY }).policyWarnings.map((w) => w.reason)).toEqual(["fewer_than_two_claims", "no_name_claim"]);
    expect(d.audit().policyWarnings).toEqual([]);
    d.free();
  });

  it("the CLI's audit and match print the warning on stderr and still run", async () => {
    const d = directory();
    const snap = join(dir, "d.snap");
    writeFileSync(snap, d.toSnapshot());
    d.free();
    const weak = join(dir, "weak.json");
    writeFileSync(weak, JSON.stringify(BIRTHDATE_ONLY));
    const audit = await run(process.execPath, [cli, "audit", "--snapshot", snap, "--policy", weak]);
    expect(audit.stderr).toMatch(/^audit: warning\[POLICY_WEAK\] \(fewer_than_two_claims\): /m);
    expect(JSON.parse(audit.stdout).policy_warnings).toHaveLength(2);
    const strong = join(dir, "strong.json");
    writeFileSync(strong, JSON.stringify(STRONG));
    expect((await run(process.execPath, [cli, "audit", "--snapshot", snap, "--policy", strong])).stderr).toBe("");
    const input = join(dir, "in.jsonl");
    writeFileSync(input, "");
    const match = await run(process.execPath, [cli, "match", "--policy", weak, input]);
    expect(match.stderr).toMatch(/^match: warning\[POLICY_WEAK\] \(no_name_claim\): /m);
  });
});

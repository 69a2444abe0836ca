/** The JS surface's results are camelCase; snake_case stays in OIDC claim names and formats shared with the CLI. */
import { describe, expect, it } from "vitest";
import { recordVerification } from "../src/enrollment.js";
import { Directory, enrollmentStatus, matchClaims, normalizeUser, type EnrollmentHistory } from "../src/node.js";

/** Every object key in a JSON value, recursively. */
function keys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keys(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keys(v, out);
    }
  }
  return out;
}

const users = [
  { id: "00u1", status: "ACTIVE", profile: { login: "ana@example.com", firstName: "Ana", lastName: "Lee" } },
  { id: "00u2", status: "ACTIVE", profile: { login: "bo@example.com", firstName: "Bo", lastName: "Ng", birthdate: "1990-01-02" } },
  { id: "00u3", status: "SUSPENDED", profile: { login: "cy@example.com", firstName: "Cy", lastName: "Oh" } },
];

describe("camelCase results", () => {
  it("Directory.audit(): policyId, inactiveSkipped, notReady, attributes[].userIds, groups[].groupId", () => {
    const result = {
      users: users.map((u) => normalizeUser(u)),
      groups: [{ id: "00g1", name: "Staff", type: "OKTA_GROUP" }],
      memberships: [
        { groupId: "00g1", userId: "00u1" },
        { groupId: "00g1", userId: "00u2" },
      ],
    };
    const dir = Directory.fromSyncResult(result);
    const report = dir.audit();
    expect(report).toMatchObject({ policyId: "default", users: 2, inactiveSkipped: 1, notReady: 1 });
    expect(report.attributes.find((a) => a.attribute === "birthdate")).toMatchObject({ required: true, missing: 1, userIds: ["00u1"] });
    expect(report.groups[0]).toMatchObject({ groupId: "00g1", name: "Staff", users: 2, notReady: 1 });
    // Keys are camelCase; the only underscores are claim names inside `missing` (OIDC names are data).
    const withUnderscore = keys({ ...report, groups: report.groups.map(({ missing: _m, ...g }) => g) }).filter((k) => k.includes("_"));
    expect(withUnderscore).toEqual([]);
    dir.free();
  });

  it("enrollment records: atMs and policyId; a history stored with at_ms/policy_id still loads", () => {
    const okta = users[1] as (typeof users)[number];
    const { user } = normalizeUser(okta);
    const report = matchClaims({ given_name: "BO", family_name: "NG", birthdate: "1990-01-02" }, okta);
    const history = recordVerification(null, "00u2", report, { atMs: 42, policyId: "desk" });
    expect(history.users["00u2"]?.[0]).toMatchObject({ atMs: 42, policyId: "desk", decision: "match" });
    expect(keys(history).filter((k) => k.includes("_") && k !== "00u2")).toEqual([]);
    const stored = {
      users: { "00u2": [{ at_ms: 7, decision: "match", matched: ["birthdate"], policy_id: "old" }] },
    } as unknown as EnrollmentHistory;
    expect(enrollmentStatus(user, stored)).toEqual({
      status: "enrolled",
      last: { atMs: 7, decision: "match", matched: ["birthdate"], policyId: "old" },
    });
  });
});

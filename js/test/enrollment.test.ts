import { describe, expect, it } from "vitest";
import { recordVerification } from "../src/enrollment.js";
import * as sdk from "../src/node.js";
import { InvalidInputError, enrollmentStatus, matchClaims, normalizeUser } from "../src/node.js";

const okta = {
  id: "00u1",
  status: "ACTIVE",
  profile: { login: "ana@example.com", firstName: "Ana", lastName: "Núñez", birthdate: "1990-04-03" },
};

describe("enrollment", () => {
  it("recording is not public: only the verification service records (through HistoryRecorder)", () => {
    expect("recordVerification" in sdk).toBe(false);
    expect(typeof sdk.VerificationService).toBe("function");
  });

  it("moves from not_enrolled to enrolled on a recorded match, and the history is plain JSON", () => {
    const { user } = normalizeUser(okta);
    expect(enrollmentStatus(user)).toEqual({ status: "not_enrolled" });
    const miss = matchClaims({ given_name: "ANA", family_name: "NUNEZ", birthdate: "1991-04-03" }, okta);
    let history = recordVerification(null, "00u1", miss, { atMs: 1000 });
    expect(enrollmentStatus(user, history)).toEqual({ status: "not_enrolled" });
    const hit = matchClaims({ given_name: "ANA", family_name: "NUNEZ", birthdate: "1990-04-03" }, okta);
    history = recordVerification(history, "00u1", hit, { atMs: 2000, policyId: "helpdesk" });
    const status = enrollmentStatus(user, JSON.parse(JSON.stringify(history)));
    expect(status).toMatchObject({ status: "enrolled", last: { atMs: 2000, decision: "match", policyId: "helpdesk" } });
    expect(history.users["00u1"]).toHaveLength(2);
  });

  it("reports inactive users and missing attributes", () => {
    const { user: suspended } = normalizeUser({ ...okta, status: "SUSPENDED" });
    expect(enrollmentStatus(suspended)).toEqual({ status: "inactive" });
    const { user: incomplete } = normalizeUser({ ...okta, profile: { firstName: "Ana", lastName: "Núñez" } });
    expect(enrollmentStatus(incomplete)).toEqual({ status: "needs_attributes", missing: ["birthdate"] });
    // A policy that does not need the birthdate.
    expect(enrollmentStatus(incomplete, null, { claims: { given_name: {}, family_name: {} } })).toEqual({ status: "not_enrolled" });
  });

  it("rejects malformed input with typed errors", () => {
    expect(() => enrollmentStatus({ nope: true } as never)).toThrow(InvalidInputError);
  });
});

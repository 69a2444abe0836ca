import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { matchClaims, type PolicyDocument, type VerifiedClaimsInput } from "../src/node.js";
import { MATCH_CLAIMS_ORDER_DEPRECATION } from "../src/claims-args.js";
import { resetDeprecationsForTests } from "../src/deprecation.js";

const verified: VerifiedClaimsInput = { given_name: "ANA", family_name: "NUNEZ", birthdate: "1990-04-03" };
const record = { id: "00u1", status: "ACTIVE", profile: { firstName: "Ana", lastName: "Núñez", birthdate: "1990-04-03" } };
/** Birthdate only, strict: differs from the default policy's report (one claim compared). */
const policy: PolicyDocument = { id: "dob-only", claims: { birthdate: { required: true } } };

describe("matchClaims(verified, record, { policy })", () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    resetDeprecationsForTests();
    warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it("takes the policy from the options, and the default policy without one (no warning)", () => {
    const own = matchClaims(verified, record, { policy });
    expect(Object.keys(own.claims)).toEqual(["birthdate"]);
    const byDefault = matchClaims(verified, record);
    expect(Object.keys(byDefault.claims)).toEqual(expect.arrayContaining(["given_name", "family_name", "birthdate"]));
    expect(byDefault.decision).toBe("match");
    expect(matchClaims(verified, record, { policy: null }).decision).toBe("match");
    expect(warn).not.toHaveBeenCalled();
  });

  it("still accepts the old order (policy first) with the same result, and warns once with a code", () => {
    const old = matchClaims as unknown as (...a: unknown[]) => ReturnType<typeof matchClaims>;
    expect(old(policy, verified, record)).toEqual(matchClaims(verified, record, { policy }));
    expect(old(null, verified, record)).toEqual(matchClaims(verified, record));
    expect(old(undefined, { ...verified, birthdate: "1991-04-03" }, record).decision).toBe("no_match");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toEqual({ type: "DeprecationWarning", code: MATCH_CLAIMS_ORDER_DEPRECATION });
    expect(String(warn.mock.calls[0]?.[0])).toContain("matchClaims(verified, record, { policy })");
  });

  it("passes the old order's oktaClaims option through", () => {
    const oktaClaims = {
      id_token: { verified_claims: { verification: { trust_framework: { value: "IDV" } }, claims: { given_name: { value: "x" } } } },
    };
    const old = matchClaims as unknown as (...a: unknown[]) => ReturnType<typeof matchClaims>;
    expect(old(null, verified, record, { oktaClaims })).toEqual(matchClaims(verified, record, { oktaClaims }));
  });

  it("does not mistake a verified-claims element (with `verification` and `claims`) for a policy", () => {
    const element = { verification: { trust_framework: "eidas" }, claims: verified };
    expect(matchClaims(element as unknown as VerifiedClaimsInput, record).decision).toBe("match");
    expect(warn).not.toHaveBeenCalled();
  });
});

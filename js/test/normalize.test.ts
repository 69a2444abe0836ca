import { describe, expect, expectTypeOf, it } from "vitest";
import { normalizeUser, validateMapping, InvalidMappingError, type DirectoryUser, type NormalizedUser } from "../src/node.js";

const oktaUser = {
  id: "00u118oQYT4TBTemp0g4",
  status: "ACTIVE",
  created: "2022-04-04T15:56:05.000Z",
  lastUpdated: "2024-05-05T18:15:44.000Z",
  profile: {
    login: "mary-jane.oneil@example.com",
    email: "mary-jane.oneil@example.com",
    firstName: "MJ",
    LegalFirstName: "Mary-Jane",
    lastName: "O'Neil",
    middleName: null,
    birthdate: "1990-04-02",
    streetAddress: "12 Main St\r\nApt 4",
    city: "Austin",
    state: "TX",
    zipCode: "78701",
    countryCode: "us",
    mobilePhone: "+1 512 555 0100",
    employeeNumber: 4711,
    department: "Finance",
    clearance: ["blue", "green"],
  },
  credentials: { provider: { type: "OKTA", name: "OKTA" } },
};

describe("normalizeUser through the SDK", () => {
  it("applies the attribute mapping in order", () => {
    const r = normalizeUser(oktaUser, { givenName: ["profile.LegalFirstName", "profile.firstName"] });
    expect(r.user.name.given).toBe("Mary-Jane");
    expect(r.sources.givenName).toBe("profile.LegalFirstName");
    expect(r.user.name.family).toBe("O'Neil");
    expect(r.user.address).toEqual({
      streetAddress: "12 Main St\nApt 4",
      locality: "Austin",
      region: "TX",
      postalCode: "78701",
      country: "US",
    });
    expect(r.user.employeeNumber).toBe("4711");
    expect(r.user.custom).toEqual({ LegalFirstName: "Mary-Jane", birthdate: "1990-04-02", clearance: ["blue", "green"] });
    expect(r.user.birthdate).toBe("1990-04-02");
    expect(r.user.status).toBe("ACTIVE");
  });

  it("falls back when the preferred source is missing", () => {
    const { LegalFirstName: _drop, ...profile } = oktaUser.profile;
    const r = normalizeUser({ ...oktaUser, profile }, { givenName: ["LegalFirstName", "firstName"] });
    expect(r.user.name.given).toBe("MJ");
    expect(r.sources.givenName).toBe("profile.firstName");
  });

  it("records missing and invalid fields instead of failing", () => {
    const r = normalizeUser({ firstName: "   ", lastName: 42, dob: "31/02/1990", email: "not-an-email" }, { reportMissing: true });
    const issues = r.issues.map((i) => `${i.field}:${i.code}${i.source ? `@${i.source}` : ""}`);
    expect(issues).toContain("givenName:MISSING");
    expect(issues).toContain("familyName:WRONG_TYPE@profile.lastName");
    expect(issues).toContain("birthdate:NOT_A_CALENDAR_DAY@profile.dob");
    expect(issues).toContain("email:INVALID_EMAIL@profile.email");
    expect(r.user.name.given).toBeUndefined();
    expect(r.user.email).toBeUndefined();
  });

  it("omits absent values: no empty address or phones, no MISSING issue unless reportMissing", () => {
    const plain = {
      id: "00u1",
      status: "ACTIVE",
      profile: { login: "ana@example.com", email: "ana@example.com", firstName: "Ana", lastName: "Lee" },
    };
    const r = normalizeUser(plain);
    expect(r.user).toEqual({
      id: "00u1",
      status: "ACTIVE",
      login: "ana@example.com",
      email: "ana@example.com",
      name: { given: "Ana", family: "Lee" },
      custom: {},
    });
    expect("address" in r.user || "phones" in r.user).toBe(false);
    expect(r.issues).toEqual([]);
    const all = normalizeUser(plain, { reportMissing: true });
    expect(all.user).toEqual(r.user);
    expect(all.issues.length).toBeGreaterThan(5);
    expect(all.issues.every((i) => i.code === "MISSING" && i.source === undefined)).toBe(true);
    // Options and a bare mapping: both forms take the mapping.
    const mapped = normalizeUser(plain, { mapping: { givenName: "profile.lastName" }, reportMissing: false });
    expect(mapped.user.name.given).toBe("Lee");
    expect(normalizeUser(plain, { givenName: "profile.lastName" }).user).toEqual(mapped.user);
    // Other issues are still reported without reportMissing.
    expect(normalizeUser({ login: "a@example.com", email: "nope" }).issues).toEqual([
      { field: "email", code: "INVALID_EMAIL", source: "profile.email" },
    ]);
  });

  it("accepts JSON text as well as objects", () => {
    expect(normalizeUser(JSON.stringify(oktaUser))).toEqual(normalizeUser(oktaUser));
  });

  it("validates mappings up front", () => {
    expect(() => validateMapping({ birthdate: ["dob", "profile.DateOfBirth"], birthdateOrder: "dmy" })).not.toThrow();
    expect(() => validateMapping({ birthdateOrder: "yolo" as "dmy" })).toThrow(InvalidMappingError);
  });

  it("is deterministic and does not leak memory across many calls", () => {
    const first = JSON.stringify(normalizeUser(oktaUser));
    for (let i = 0; i < 2_000; i++) {
      try {
        normalizeUser(i % 2 ? oktaUser : [i]);
      } catch {
        // the error path must release everything too
      }
    }
    expect(JSON.stringify(normalizeUser(oktaUser))).toBe(first);
  });

  it("types: output fields are typed, no any", () => {
    expectTypeOf(normalizeUser).returns.toEqualTypeOf<NormalizedUser>();
    expectTypeOf<DirectoryUser["status"]>().toEqualTypeOf<
      | "STAGED"
      | "PROVISIONED"
      | "ACTIVATING"
      | "ACTIVE"
      | "RECOVERY"
      | "LOCKED_OUT"
      | "PASSWORD_EXPIRED"
      | "SUSPENDED"
      | "DEPROVISIONED"
      | undefined
    >();
    expectTypeOf<DirectoryUser["name"]["given"]>().toEqualTypeOf<string | undefined>();
  });
});

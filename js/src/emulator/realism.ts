/**
 * How messy the emulator is: each way real Okta is less tidy than a test double, as a named switch, so a test
 * can name the behaviour it depends on. `TIDY` is the historical emulator (consistent, unique stamps, lower-case
 * ASCII logins…); `MESSY` turns every switch on with values a test suite can afford. See docs/emulator.md.
 */
import { createHash } from "node:crypto";
import type { EmulatorUser, ProfileValue } from "./types.js";

export interface Realism {
  /** `filter`/`search` user listings see each user as it was this many ms ago (Okta's search index lags). */
  replicationLagMs: number;
  /** `lastUpdated` (and the other stamps) have whole seconds, so changes in one second share a stamp. */
  lastUpdatedTies: boolean;
  /** Every third System Log event is persisted (visible) this many ms after its `published` time. */
  lateSystemLogEvents: number;
  /** `filter` compares string values case-sensitively (Okta's filter does; its search does not). */
  caseSensitiveFilter: boolean;
  /** Some logins (and their emails) have upper-case letters. */
  mixedCaseLogins: boolean;
  /** Some logins have non-ASCII letters (diacritics) in their local part. */
  nonAsciiLogins: boolean;
  /** Custom attributes typed as in a tenant's schema: number, boolean, array of strings. */
  typedCustomAttributes: boolean;
  /** Some ACTIVE users have null `activated`, `statusChanged` and `lastLogin` (Okta's own example does). */
  nullDates: boolean;
  /** Some users come from ACTIVE_DIRECTORY, LDAP or FEDERATION instead of OKTA. */
  otherProviders: boolean;
  /** A list's last page carries a `next` link to an empty page (which has none). */
  emptyPagesWithNext: boolean;
  /** Malformed `since`/`until`/`limit` and unknown query parameters are 400 E0000001 (not silently defaulted). */
  strictParams: boolean;
  /** Error bodies carry only `errorCode` and `errorSummary` (no `errorLink`, `errorId`, `errorCauses`). */
  sparseErrorBodies: boolean;
  /** The default app, and apps registered without a `dpop` setting, require DPoP (Okta's default since 2024). */
  dpopRequiredForNewApps: boolean;
  /** `/api/v1/meta/schemas/user/default` and `…/group/default` are served (scope `okta.schemas.read`). */
  schemaEndpoints: boolean;
}

/** The historical, perfectly consistent emulator. */
export const TIDY: Readonly<Realism> = Object.freeze({
  replicationLagMs: 0,
  lastUpdatedTies: false,
  lateSystemLogEvents: 0,
  caseSensitiveFilter: false,
  mixedCaseLogins: false,
  nonAsciiLogins: false,
  typedCustomAttributes: false,
  nullDates: false,
  otherProviders: false,
  emptyPagesWithNext: false,
  strictParams: false,
  sparseErrorBodies: false,
  dpopRequiredForNewApps: false,
  schemaEndpoints: false,
});

/**
 * Every switch on. The delays are short so a test can wait them out, and well inside the sync's default
 * 5-minute overlap (what they model in Okta is also "typically under a second" to a few seconds).
 */
export const MESSY: Readonly<Realism> = Object.freeze({
  replicationLagMs: 1500,
  lastUpdatedTies: true,
  lateSystemLogEvents: 2000,
  caseSensitiveFilter: true,
  mixedCaseLogins: true,
  nonAsciiLogins: true,
  typedCustomAttributes: true,
  nullDates: true,
  otherProviders: true,
  emptyPagesWithNext: true,
  strictParams: true,
  sparseErrorBodies: true,
  dpopRequiredForNewApps: true,
  schemaEndpoints: true,
});

/** `"messy"`, `"tidy"` or switches over the tidy profile (unnamed switches stay off). */
export type RealismOption = "messy" | "tidy" | Partial<Realism>;

/** Resolves an option to the full set of switches. */
export function resolveRealism(option: RealismOption | undefined): Realism {
  if (option === undefined || option === "tidy") return { ...TIDY };
  if (option === "messy") return { ...MESSY };
  return { ...TIDY, ...option };
}

/** A stable pseudo-random number in [0, 1) from a user id and a salt (no RNG state: the generator's stays untouched). */
function hashUnit(id: string, salt: string): number {
  return createHash("sha256").update(`${salt}:${id}`).digest().readUInt32BE(0) / 2 ** 32;
}

const PROVIDERS = [
  { type: "ACTIVE_DIRECTORY", name: "corp.example.com" },
  { type: "LDAP", name: "ldap.example.com" },
  { type: "FEDERATION", name: "FEDERATION" },
] as const;

/** Upper-cases the first letter of each dot/at-separated part: `ada.lovelace@example.com` → `Ada.Lovelace@Example.com`. */
function mixedCase(s: string): string {
  return s.replace(/(^|[.@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

const ACCENTS: Readonly<Record<string, string>> = { a: "á", e: "é", i: "í", o: "ö", u: "ü", n: "ñ", c: "ç" };

/** Puts a diacritic on the first accentable letter of the local part (logins stay unique: Okta's rule ignores diacritics). */
function withDiacritic(login: string): string {
  const at = login.indexOf("@");
  const local = login.slice(0, at);
  const i = [...local].findIndex((ch) => ACCENTS[ch.toLowerCase()] !== undefined);
  if (i < 0) return login;
  const chars = [...local];
  const ch = chars[i] ?? "";
  const accented = ACCENTS[ch.toLowerCase()] ?? ch;
  chars[i] = ch === ch.toUpperCase() ? accented.toUpperCase() : accented;
  return chars.join("") + login.slice(at);
}

/**
 * Applies the switches that shape generated users, in place, before the store indexes them. Deterministic
 * per user id; roughly one user in five gets each treatment.
 */
export function messUpUsers(users: EmulatorUser[], r: Realism): void {
  for (const u of users) {
    const pick = (salt: string, share = 0.2): boolean => hashUnit(u.id, salt) < share;
    const login = String(u.profile["login"] ?? "");
    let next = login;
    if (r.mixedCaseLogins && pick("case")) next = mixedCase(next);
    if (r.nonAsciiLogins && pick("ascii")) next = withDiacritic(next);
    if (next !== login) {
      u.profile["login"] = next;
      if (u.profile["email"] === login) u.profile["email"] = next;
    }
    if (r.typedCustomAttributes) {
      const typed: Record<string, ProfileValue> = {
        costCenterNumber: Math.floor(hashUnit(u.id, "cc") * 9000) + 1000,
        isContractor: u.profile["userType"] === "Contractor",
        badgeCodes: pick("badges", 0.5) ? [`B${u.id.slice(-4)}`, `K${u.id.slice(3, 7)}`] : [],
        fte: Math.round(hashUnit(u.id, "fte") * 100) / 100,
        managerId: pick("mgr", 0.3) ? null : `00u${u.id.slice(3, 9)}`,
      };
      Object.assign(u.profile, typed);
    }
    if (r.nullDates && u.status === "ACTIVE" && pick("nulls")) {
      u.activated = null;
      u.statusChanged = null;
      u.lastLogin = null;
    }
    if (r.otherProviders && pick("provider", 0.3)) {
      const p = PROVIDERS[Math.floor(hashUnit(u.id, "which") * PROVIDERS.length)] ?? PROVIDERS[0];
      // Users mastered elsewhere have no Okta password.
      u.credentials = { provider: { type: p.type, name: p.name } };
    }
  }
}

/** Okta's user profile schema document for the base attributes plus the custom ones the emulator generates. */
export function userSchema(baseUrl: string, r: Realism): Record<string, unknown> {
  const str = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    title,
    type: "string",
    mutability: "READ_WRITE",
    scope: "NONE",
    ...extra,
  });
  const custom: Record<string, unknown> = {
    LegalFirstName: str("Legal first name"),
    LegalLastName: str("Legal last name"),
    birthdate: str("Birthdate"),
  };
  if (r.typedCustomAttributes) {
    custom["costCenterNumber"] = { title: "Cost center", type: "integer", mutability: "READ_WRITE", scope: "NONE" };
    custom["isContractor"] = { title: "Contractor", type: "boolean", mutability: "READ_WRITE", scope: "NONE" };
    custom["badgeCodes"] = { title: "Badge codes", type: "array", items: { type: "string" }, mutability: "READ_WRITE", scope: "NONE" };
    custom["fte"] = { title: "FTE", type: "number", mutability: "READ_WRITE", scope: "NONE" };
    custom["managerId"] = str("Manager id");
  }
  const base = [
    "login",
    "email",
    "firstName",
    "lastName",
    "middleName",
    "nickName",
    "displayName",
    "secondEmail",
    "mobilePhone",
    "primaryPhone",
    "streetAddress",
    "city",
    "state",
    "zipCode",
    "countryCode",
    "locale",
    "timezone",
    "employeeNumber",
    "department",
    "title",
    "userType",
    "honorificPrefix",
  ];
  return {
    id: `${baseUrl}/meta/schemas/user/osc1default`,
    $schema: "http://json-schema.org/draft-04/schema#",
    name: "user",
    title: "User",
    type: "object",
    definitions: {
      base: {
        id: "#base",
        type: "object",
        properties: Object.fromEntries(base.map((k) => [k, str(k, k === "login" || k === "email" ? { required: true } : {})])),
        required: ["login", "firstName", "lastName", "email"],
      },
      custom: { id: "#custom", type: "object", properties: custom, required: [] },
    },
    properties: { profile: { allOf: [{ $ref: "#/definitions/custom" }, { $ref: "#/definitions/base" }] } },
  };
}

/** Okta's group profile schema document (base attributes only). */
export function groupSchema(baseUrl: string): Record<string, unknown> {
  return {
    id: `${baseUrl}/meta/schemas/group/default`,
    $schema: "http://json-schema.org/draft-04/schema#",
    name: "group",
    title: "Okta group",
    type: "object",
    definitions: {
      base: {
        id: "#base",
        type: "object",
        properties: { name: { title: "Name", type: "string", required: true }, description: { title: "Description", type: "string" } },
        required: ["name"],
      },
      custom: { id: "#custom", type: "object", properties: {}, required: [] },
    },
    properties: { profile: { allOf: [{ $ref: "#/definitions/custom" }, { $ref: "#/definitions/base" }] } },
  };
}

/** The query parameters each strict endpoint knows. */
export const KNOWN_PARAMS: Readonly<Record<string, ReadonlySet<string>>> = {
  users: new Set(["limit", "after", "filter", "search", "q", "sortBy", "sortOrder", "fields", "expand"]),
  groups: new Set(["limit", "after", "filter", "search", "q", "sortBy", "sortOrder", "expand"]),
  members: new Set(["limit", "after"]),
  logs: new Set(["since", "until", "after", "filter", "q", "limit", "sortOrder"]),
};

/** With strict parameters: the first reason a query is invalid (unknown parameter, malformed limit), else null. */
export function strictParamProblem(url: URL, known: ReadonlySet<string>): string | null {
  for (const k of url.searchParams.keys()) if (!known.has(k)) return `Unknown query parameter: ${k.slice(0, 40)}`;
  const limit = url.searchParams.get("limit");
  if (limit !== null && !/^\d{1,9}$/.test(limit)) return "limit: must be a positive integer";
  return null;
}

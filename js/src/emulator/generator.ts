/**
 * Seeded, deterministic directory generator. Same options → byte-identical directory, so a test can
 * regenerate the ground truth instead of storing it. Written for 100k users in a few seconds: one
 * pass, no per-user closures, strings built once.
 */
import { LOCALES, type Locale } from "./locales.js";
import { Rng, oktaId } from "./random.js";
import { isoTime, type EmulatorGroup, type EmulatorUser, type Profile, type UserStatus } from "./types.js";

export interface GeneratorOptions {
  users: number;
  /** Total groups including the BUILT_IN `Everyone`; default 20. */
  groups?: number;
  seed?: number;
  /** Share of users (0–1) that lack each optional attribute; default 0.1. */
  missingShare?: number;
}

export interface GeneratedDirectory {
  users: EmulatorUser[];
  groups: EmulatorGroup[];
  /** Group id → member user ids, ascending (the order the members endpoint pages in). */
  members: Map<string, string[]>;
  /** The ids the generator drew from, continued by the store for users created later. */
  rng: Rng;
  nextUserSeq: number;
  nextGroupSeq: number;
}

/** Generated timestamps lie before this instant, so anything the control API changes later is newer. */
export const GENERATED_EPOCH_MS = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const USER_TYPE_ID = "oty1162QAr8hJjTaq0g4";

/** Rough shares seen in workforce orgs: mostly active, a tail of every other lifecycle state. */
const STATUS_TABLE: readonly (readonly [UserStatus, number])[] = [
  ["ACTIVE", 820],
  ["DEPROVISIONED", 50],
  ["PROVISIONED", 40],
  ["STAGED", 30],
  ["SUSPENDED", 20],
  ["LOCKED_OUT", 15],
  ["PASSWORD_EXPIRED", 15],
  ["RECOVERY", 10],
];

const LOCALE_TABLE = LOCALES.map((l) => [l, l.weight] as const);
const DOMAINS = ["example.com", "example.com", "example.com", "corp.example.org", "example.net"];
const DEPARTMENTS = ["Engineering", "Sales", "Finance", "Human Resources", "Legal", "Support", "Marketing", "Operations"];
const TITLES = ["Engineer", "Senior Engineer", "Account Executive", "Analyst", "Manager", "Director", "Specialist", "Intern"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ASCII local part for a login: strip diacritics, drop what an email local part cannot hold. */
function asciiPart(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[ßẞ]/g, "ss")
    .replace(/[đĐ]/g, "d")
    .replace(/[ıİ]/g, "i")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

function fill(rng: Rng, pattern: string): string {
  return pattern.replace(/#/g, () => String(rng.int(0, 9)));
}

function birthdate(rng: Rng): string {
  const y = rng.int(1950, 2004);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const mm = String(m).padStart(2, "0");
  const dd = String(d).padStart(2, "0");
  // Mostly ISO, but tenants store DOBs as free strings, so the other common forms appear too.
  return rng.weighted<string>([
    [`${y}-${mm}-${dd}`, 70],
    [`${mm}/${dd}/${y}`, 10],
    [`${dd}.${mm}.${y}`, 6],
    [`${y}-${mm}-${dd}T00:00:00.000Z`, 6],
    [`${d} ${MONTHS[m - 1] ?? "Jan"} ${y}`, 4],
    [`${y}${mm}${dd}`, 4],
  ]);
}

function familyName(rng: Rng, loc: Locale): string {
  const first = rng.pick(loc.family);
  if (!rng.chance(loc.compound)) return first;
  let second = rng.pick(loc.family);
  if (second === first) second = rng.pick(loc.family);
  return `${first}${loc.compoundJoin}${second}`;
}

/**
 * Logins handed out so far, and per taken login the next suffix to try: a name shared by k users costs
 * O(1) per user instead of the O(k) retry from 2 (quadratic at 1M users: many locales share few names).
 * Suffixes only grow, so the first free suffix is the same one the plain retry loop finds.
 */
interface Logins {
  taken: Set<string>;
  nextSuffix: Map<string, number>;
}

function uniqueLogin(logins: Logins, local: string, domain: string): string {
  const base = `${local}@${domain}`;
  if (!logins.taken.has(base)) {
    logins.taken.add(base);
    return base;
  }
  let n = logins.nextSuffix.get(base) ?? 2;
  let login = `${local}${n}@${domain}`;
  while (logins.taken.has(login)) login = `${local}${++n}@${domain}`;
  logins.nextSuffix.set(base, n + 1);
  logins.taken.add(login);
  return login;
}

function makeUser(rng: Rng, seq: number, logins: Logins, missing: number): EmulatorUser {
  const id = oktaId("00u", seq, rng);
  const loc = rng.weighted(LOCALE_TABLE);
  const given = rng.pick(loc.given);
  const family = familyName(rng, loc);
  const domain = rng.pick(DOMAINS);
  let local = `${asciiPart(given)}.${asciiPart(family)}`.replace(/^\.|\.$/g, "");
  if (local.length < 3) local = `user${seq}`;
  const login = uniqueLogin(logins, local, domain);
  const has = (): boolean => !rng.chance(missing);

  const profile: Profile = {
    login,
    // email is not unique in Okta; a few users share a team mailbox.
    email: rng.chance(0.005) ? `shared-mailbox@${domain}` : login,
    firstName: given,
    lastName: family,
  };
  if (rng.chance(0.15)) profile["middleName"] = rng.pick(loc.given);
  if (rng.chance(0.05)) profile["nickName"] = given.slice(0, 3);
  profile["displayName"] = `${given} ${family}`;
  if (rng.chance(0.3)) profile["secondEmail"] = `${local}@personal.example`;
  if (has()) profile["mobilePhone"] = fill(rng, rng.pick(loc.phone));
  if (rng.chance(0.3)) profile["primaryPhone"] = fill(rng, rng.pick(loc.phone));
  if (has()) {
    const [city, region, postal] = rng.pick(loc.cities);
    const n = String(rng.int(1, 250));
    const street = rng.pick(loc.streets);
    profile["streetAddress"] = loc.numberFirst ? `${n} ${street}` : `${street} ${n}`;
    profile["city"] = city;
    if (region !== null) profile["state"] = region;
    profile["zipCode"] = postal;
    profile["countryCode"] = loc.country;
  }
  profile["locale"] = loc.locale;
  profile["timezone"] = loc.timezone;
  if (has()) profile["employeeNumber"] = rng.digits(rng.int(5, 7));
  profile["department"] = rng.pick(DEPARTMENTS);
  profile["title"] = rng.pick(TITLES);
  profile["userType"] = rng.chance(0.85) ? "Employee" : "Contractor";
  if (has()) profile["birthdate"] = birthdate(rng);
  if (rng.chance(0.12)) {
    // Legal names differ from the preferred names shown in Okta (a second given name, the full surname).
    profile["LegalFirstName"] = rng.chance(0.5) ? `${given} ${rng.pick(loc.given)}` : given;
    profile["LegalLastName"] = loc.compound > 0.5 ? `${family} ${rng.pick(loc.family)}` : family;
  }
  // Okta sends unset attributes both as null and not at all; keep a few explicit nulls.
  if (rng.chance(0.05)) profile["honorificPrefix"] = null;

  const status = rng.weighted(STATUS_TABLE);
  const created = GENERATED_EPOCH_MS - rng.int(30, 5 * 365) * DAY - rng.int(0, DAY / 1000) * 1000;
  const staged = status === "STAGED";
  const neverLoggedIn = staged || status === "PROVISIONED";
  const activated = staged ? null : created + rng.int(1, 3600) * 1000;
  const statusChanged = status === "ACTIVE" && rng.chance(0.5) ? activated : created + rng.int(1, 25) * DAY;
  const lastUpdated = Math.max(statusChanged ?? created, created + rng.int(0, 29) * DAY);
  return {
    id,
    status,
    created: isoTime(created),
    activated: activated === null ? null : isoTime(activated),
    statusChanged: statusChanged === null ? null : isoTime(statusChanged),
    lastLogin: neverLoggedIn ? null : isoTime(lastUpdated + rng.int(0, 20) * DAY),
    lastUpdated: isoTime(lastUpdated),
    passwordChanged: neverLoggedIn ? null : isoTime(created + rng.int(1, 1000) * 1000),
    type: { id: USER_TYPE_ID },
    profile,
    credentials: neverLoggedIn ? { provider: { type: "OKTA", name: "OKTA" } } : { password: {}, provider: { type: "OKTA", name: "OKTA" } },
  };
}

const TEAM_WORDS = [
  "Engineering",
  "Sales EMEA",
  "Sales Americas",
  "Finance",
  "Support Tier 2",
  "Contractors",
  "VPN Users",
  "Payroll",
  "Legal",
  "Design",
  "Données Clients",
  "Zürich Office",
  "São Paulo Office",
  "Leadership",
];

function makeGroups(rng: Rng, count: number): EmulatorGroup[] {
  const groups: EmulatorGroup[] = [];
  const t0 = isoTime(GENERATED_EPOCH_MS - 6 * 365 * DAY);
  groups.push({
    id: oktaId("00g", 0, rng),
    created: t0,
    lastUpdated: t0,
    lastMembershipUpdated: isoTime(GENERATED_EPOCH_MS - DAY),
    objectClass: ["okta:user_group"],
    type: "BUILT_IN",
    profile: { name: "Everyone", description: "All users in your organization" },
  });
  for (let i = 1; i < count; i++) {
    const app = rng.chance(0.3);
    const base = TEAM_WORDS[(i - 1) % TEAM_WORDS.length] ?? "Team";
    const name = i <= TEAM_WORDS.length ? base : `${base} ${Math.ceil(i / TEAM_WORDS.length)}`;
    const created = GENERATED_EPOCH_MS - rng.int(60, 5 * 365) * DAY;
    const group: EmulatorGroup = {
      id: oktaId("00g", i, rng),
      created: isoTime(created),
      lastUpdated: isoTime(created + rng.int(0, 30) * DAY),
      lastMembershipUpdated: isoTime(GENERATED_EPOCH_MS - rng.int(1, 30) * DAY),
      objectClass: app ? ["okta:windows_security_principal"] : ["okta:user_group"],
      type: app ? "APP_GROUP" : "OKTA_GROUP",
      profile: app
        ? {
            name,
            description: null,
            samAccountName: name.replace(/\s+/g, "_"),
            dn: `CN=${name},OU=Groups,DC=corp,DC=example,DC=org`,
            windowsDomainQualifiedName: `CORP\\${name.replace(/\s+/g, "_")}`,
            groupType: "Security",
            groupScope: "Global",
          }
        : { name, description: rng.chance(0.7) ? `Members of ${name}` : null },
    };
    groups.push(group);
  }
  return groups;
}

export function generateDirectory(options: GeneratorOptions): GeneratedDirectory {
  const seed = options.seed ?? 1;
  const missing = options.missingShare ?? 0.1;
  const groupCount = Math.max(1, options.groups ?? 20);
  const rng = new Rng(seed);
  const groups = makeGroups(rng, groupCount);
  const members = new Map<string, string[]>(groups.map((g) => [g.id, []]));
  // Group sizes follow a skewed popularity: a few large department-style groups, many small ones.
  const others = groups.slice(1).map((g, i) => [g.id, 1 / (i + 1)] as const);
  const everyone = members.get(groups[0]?.id ?? "") ?? [];
  const users: EmulatorUser[] = new Array<EmulatorUser>(options.users);
  const logins: Logins = { taken: new Set(), nextSuffix: new Map() };
  for (let i = 0; i < options.users; i++) {
    const user = makeUser(rng, i + 1, logins, missing);
    users[i] = user;
    everyone.push(user.id);
    if (others.length === 0) continue;
    const k = rng.weighted([
      [0, 10],
      [1, 45],
      [2, 30],
      [3, 15],
    ] as const);
    let last = "";
    for (let j = 0; j < k; j++) {
      const gid = rng.weighted(others);
      if (gid === last) continue;
      const list = members.get(gid);
      // Users arrive in id order, so appending keeps each list sorted; skip a repeat pick.
      if (list !== undefined && list[list.length - 1] !== user.id) list.push(user.id);
      last = gid;
    }
  }
  return { users, groups, members, rng, nextUserSeq: options.users + 1, nextGroupSeq: groupCount };
}

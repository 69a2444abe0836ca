// Issue 13's hand-written probes, through the published CLI's `match` with the default policy: each
// documented outcome (decision, guard, the deciding claim's outcome, level and reason codes) as
// docs/claims-decisions.md §7 states it. One JSONL run decides them all.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

type Json = Record<string, unknown>;

/** One probe: the pair, and what the CLI must say about it. */
interface Probe {
  id: string;
  verified: Json;
  directory: Json;
  decision: "match" | "no_match" | "review";
  guard: string | null;
  /** The claim whose comparison the probe is about: its outcome, level and reason codes. */
  claim: string;
  outcome: string;
  level: string;
  reasons: string[];
}

/** A document whose issuer is `country` (`verification.evidence[].document_details.issuer.country`). */
const issuedIn = (country: string): Json => ({
  verification: { evidence: [{ type: "document", document_details: { type: "passport", issuer: { country } } }] },
});
const JOHN = { given_name: "John", family_name: "Smith", birthdate: "1990-04-03" };
const HR_JOHN = { firstName: "John", lastName: "Smith", birthdate: "1990-04-03" };

const PROBES: Probe[] = [
  // Transposed letters in one name, everything else exact: a one-edit typo.
  {
    id: "maria-mraia",
    verified: { given_name: "Maria", family_name: "Garcia", birthdate: "1990-04-03" },
    directory: { firstName: "Mraia", lastName: "Garcia", birthdate: "1990-04-03" },
    decision: "match",
    guard: null,
    claim: "given_name",
    outcome: "match",
    level: "one_edit",
    reasons: ["NAME_FUZZY_MATCH"],
  },
  // The same typo with the family name differing: nothing else agrees, the guard refuses.
  {
    id: "maria-mraia-other-family",
    verified: { given_name: "Maria", family_name: "Garcia", birthdate: "1990-04-03" },
    directory: { firstName: "Mraia", lastName: "Lopez", birthdate: "1990-04-03" },
    decision: "no_match",
    guard: "claim_differs",
    claim: "family_name",
    outcome: "mismatch",
    level: "differs",
    reasons: [],
  },
  {
    id: "smith-smiht",
    verified: JOHN,
    directory: { ...HR_JOHN, lastName: "Smiht" },
    decision: "match",
    guard: null,
    claim: "family_name",
    outcome: "match",
    level: "one_edit",
    reasons: ["NAME_FUZZY_MATCH"],
  },
  // A birthdate slip stays a non-match (an exact claim that differs: a namesake born on the swapped day).
  {
    id: "birthdate-day-month-swapped",
    verified: { ...JOHN, birthdate: "1990-03-04" },
    directory: HR_JOHN,
    decision: "no_match",
    guard: "claim_differs",
    claim: "birthdate",
    outcome: "mismatch",
    level: "differs",
    reasons: ["DAY_MONTH_SWAPPED"],
  },
  // The birthdate is required by the default policy: a record without one cannot be matched on it.
  {
    id: "hr-birthdate-missing",
    verified: JOHN,
    directory: { firstName: "John", lastName: "Smith" },
    decision: "no_match",
    guard: "required_missing",
    claim: "birthdate",
    outcome: "missing_directory",
    level: "missing",
    reasons: [],
  },
  // A surname cut by an ID card's machine-readable zone (27 letters kept): a subset of the name.
  {
    id: "passport-truncated-surname",
    verified: { given_name: "HUBERT", family_name: "WOLFESCHLEGELSTEINHAUSENBER", birthdate: "900403" },
    directory: { firstName: "Hubert", lastName: "Wolfeschlegelsteinhausenbergerdorff", birthdate: "1990-04-03" },
    decision: "match",
    guard: null,
    claim: "family_name",
    outcome: "match",
    level: "subset",
    reasons: ["SURNAME_SUBSET"],
  },
  // An older system's 15-letter surname field (issue 13's probe): a start this long is no other family's name.
  {
    id: "surname-15-letter-field",
    verified: { given_name: "HUBERT", family_name: "WOLFESCHLEGELST", birthdate: "900403" },
    directory: { firstName: "Hubert", lastName: "Wolfeschlegelsteinhausenbergerdorff", birthdate: "1990-04-03" },
    decision: "match",
    guard: null,
    claim: "family_name",
    outcome: "match",
    level: "subset",
    reasons: ["SURNAME_SUBSET"],
  },
  // The same cut surname with another birthdate: a namesake, the birthdate guard decides.
  {
    id: "surname-15-letter-field-other-birthdate",
    verified: { given_name: "HUBERT", family_name: "WOLFESCHLEGELST", birthdate: "900408" },
    directory: { firstName: "Hubert", lastName: "Wolfeschlegelsteinhausenbergerdorff", birthdate: "1990-04-03" },
    decision: "no_match",
    guard: "claim_differs",
    claim: "family_name",
    outcome: "match",
    level: "subset",
    reasons: ["SURNAME_SUBSET"],
  },
  // A shorter start of a surname is another name (Smith ~ Smithson): no field limit cuts there.
  {
    id: "surname-short-prefix",
    verified: { given_name: "HUBERT", family_name: "WOLFESCHLEGELS", birthdate: "900403" },
    directory: { firstName: "Hubert", lastName: "Wolfeschlegelsteinhausenbergerdorff", birthdate: "1990-04-03" },
    decision: "no_match",
    guard: "claim_differs",
    claim: "family_name",
    outcome: "mismatch",
    level: "differs",
    reasons: ["PREFIX_NAME"],
  },
  // An RFC 3966 `tel:` URI is read as a phone number.
  {
    id: "tel-uri",
    verified: { ...JOHN, phone_number: "tel:+1-415-555-0100" },
    directory: { ...HR_JOHN, mobilePhone: "+1 415 555 0100" },
    decision: "match",
    guard: null,
    claim: "phone_number",
    outcome: "match",
    level: "exact",
    reasons: [],
  },
  // A placeholder in a directory attribute is missing, not a value.
  {
    id: "directory-placeholder",
    verified: { ...JOHN, middle_name: "Paul" },
    directory: { ...HR_JOHN, middleName: "N/A" },
    decision: "match",
    guard: null,
    claim: "middle_name",
    outcome: "missing_directory",
    level: "missing",
    reasons: ["PLACEHOLDER_VALUE"],
  },
  // Invisible characters in HR data are a data-quality finding, removed before comparing.
  {
    id: "directory-invisible",
    verified: JOHN,
    directory: { firstName: "Jo\u200bhn", lastName: "Sm\u00adith", birthdate: "\ufeff1990-04-03" },
    decision: "match",
    guard: null,
    claim: "given_name",
    outcome: "match",
    level: "folded",
    reasons: ["DIRECTORY_INVISIBLE"],
  },
  // ... on the verified side they stay a spoofing finding.
  {
    id: "verified-invisible",
    verified: { ...JOHN, given_name: "Jo\u200bhn" },
    directory: HR_JOHN,
    decision: "no_match",
    guard: "spoofing",
    claim: "given_name",
    outcome: "mismatch",
    level: "differs",
    reasons: ["SUSPICIOUS_INVISIBLE"],
  },
  // Goes by the middle name, no middle name on record: a person checks.
  {
    id: "goes-by-middle-name",
    verified: { given_name: "MARY ELIZABETH", family_name: "SMITH", birthdate: "1990-04-03" },
    directory: { firstName: "Elizabeth", lastName: "Smith", birthdate: "1990-04-03" },
    decision: "review",
    guard: "review",
    claim: "given_name",
    outcome: "mismatch",
    level: "differs",
    reasons: ["GOES_BY_MIDDLE_NAME"],
  },
  // ... and with the record's middle name the document's first given name: a match.
  {
    id: "goes-by-middle-name-on-record",
    verified: { given_name: "MARY ELIZABETH", family_name: "SMITH", birthdate: "1990-04-03" },
    directory: { firstName: "Elizabeth", middleName: "Mary", lastName: "Smith", birthdate: "1990-04-03" },
    decision: "match",
    guard: null,
    claim: "given_name",
    outcome: "match",
    level: "subset",
    reasons: ["GOES_BY_MIDDLE_NAME"],
  },
  // 03/04/1990 in the order of the document's issuing country (GB: day first)...
  {
    id: "ambiguous-date-issuing-country",
    verified: { ...JOHN, birthdate: "03/04/1990", ...issuedIn("GB") },
    directory: HR_JOHN,
    decision: "match",
    guard: null,
    claim: "birthdate",
    outcome: "match",
    level: "folded",
    reasons: ["DATE_ORDER_FROM_ISSUING_COUNTRY"],
  },
  // ... (US: month first, so it is 4 March, another day than the record's)...
  {
    id: "ambiguous-date-issuing-country-month-first",
    verified: { ...JOHN, birthdate: "03/04/1990", ...issuedIn("US") },
    directory: HR_JOHN,
    decision: "no_match",
    guard: "claim_differs",
    claim: "birthdate",
    outcome: "mismatch",
    level: "differs",
    reasons: ["DAY_MONTH_SWAPPED", "DATE_ORDER_FROM_ISSUING_COUNTRY"],
  },
  // ... else of the verified address's country, said in a reason...
  {
    id: "ambiguous-date-address-country",
    verified: { ...JOHN, birthdate: "03/04/1990", address: { country: "GB" } },
    directory: HR_JOHN,
    decision: "match",
    guard: null,
    claim: "birthdate",
    outcome: "match",
    level: "folded",
    reasons: ["DATE_ORDER_FROM_ADDRESS_COUNTRY"],
  },
  // ... and with nothing to order it, unreadable.
  {
    id: "ambiguous-date-no-country",
    verified: { ...JOHN, birthdate: "03/04/1990" },
    directory: HR_JOHN,
    decision: "no_match",
    guard: "claim_differs",
    claim: "birthdate",
    outcome: "invalid",
    level: "invalid",
    reasons: ["AMBIGUOUS_DATE"],
  },
];

interface ClaimReport {
  outcome: string;
  reasons: string[];
}
interface Report {
  id: string;
  decision: string;
  claims: Record<string, ClaimReport>;
  explanation: { guard: string | null; claims: Record<string, { level: string; weight: number }> };
}

const dir = mkdtempSync(join(tmpdir(), "cli-claims-probes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const reports = new Map<string, Report>();

beforeAll(async () => {
  const input = join(dir, "probes.jsonl");
  writeFileSync(input, PROBES.map(({ id, verified, directory }) => JSON.stringify({ id, verified, directory })).join("\n"));
  const run = await runCli(["match", input]);
  expect(run.code, run.stderr).toBe(0);
  for (const line of run.stdout.trim().split("\n")) {
    const r = JSON.parse(line) as Report;
    reports.set(r.id, r);
  }
});

describe("issue 13's probes through `okta-directory match` (default policy)", () => {
  it.each(PROBES)("$id → $decision", (p) => {
    const r = reports.get(p.id);
    expect(r, `no report for ${p.id}`).toBeDefined();
    if (!r) return;
    expect(r.decision).toBe(p.decision);
    expect(r.explanation.guard).toBe(p.guard);
    const claim = r.claims[p.claim];
    expect(claim?.outcome).toBe(p.outcome);
    expect(claim?.reasons).toEqual(p.reasons);
    expect(r.explanation.claims[p.claim]?.level).toBe(p.level);
  });
});

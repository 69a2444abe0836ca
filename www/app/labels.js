// @ts-check
// Human labels for the values the dashboard shows: Okta statuses, attribute codes, risk levels. One place,
// so no page prints a raw enum (ACTIVE, LOCKED_OUT, snake_case codes) in prose.
import { h } from "./api.js";

/** Okta user statuses: label and tone (the colour of the dot). */
export const STATUS = /** @type {Record<string, { label: string, tone: "ok" | "warn" | "bad" | "muted" | "info" }>} */ ({
  ACTIVE: { label: "Active", tone: "ok" },
  PASSWORD_EXPIRED: { label: "Password expired", tone: "warn" },
  LOCKED_OUT: { label: "Locked out", tone: "bad" },
  RECOVERY: { label: "In recovery", tone: "info" },
  STAGED: { label: "Staged", tone: "muted" },
  PROVISIONED: { label: "Pending activation", tone: "info" },
  SUSPENDED: { label: "Suspended", tone: "warn" },
  DEPROVISIONED: { label: "Deactivated", tone: "muted" },
});

/** The label of an Okta status (unknown ones in sentence case, never upper-case snake). @param {string} s */
export function statusLabel(s) {
  return STATUS[s]?.label ?? (s ? s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, " ") : "Unknown");
}

/** A status with its coloured dot. @param {string} s */
export function statusDot(s) {
  return h("span", { className: `dot tone-${STATUS[s]?.tone ?? "muted"}` }, statusLabel(s));
}

/** Directory attributes the claims policy reads: their human names. */
export const ATTRIBUTE = /** @type {Record<string, string>} */ ({
  given_name: "First name",
  family_name: "Last name",
  middle_name: "Middle name",
  birthdate: "Date of birth",
  address: "Address",
  phone_number: "Phone number",
  email: "Email",
  employee_number: "Employee number",
  "address.street_address": "Street address",
  "address.locality": "City",
  "address.region": "Region",
  "address.postal_code": "Postal code",
  "address.country": "Country",
});

/** The human name of an attribute code. @param {string} a */
export function attributeLabel(a) {
  return ATTRIBUTE[a] ?? (a.charAt(0).toUpperCase() + a.slice(1)).replace(/_/g, " ");
}

/** Per-claim outcomes in plain words (the helpdesk console and the audit log). */
export const OUTCOME = /** @type {Record<string, string>} */ ({
  match: "Matches the directory",
  mismatch: "Differs from the directory",
  missing_directory: "Not in the directory record",
  missing_verified: "Not on the ID",
  invalid: "Not in a usable form",
});

/** Decision states in plain words. */
export const DECISION = /** @type {Record<string, { label: string, tone: "ok" | "warn" | "bad" | "muted" | "info" }>} */ ({
  success: { label: "Verified: the ID matches the directory", tone: "ok" },
  review: { label: "Needs review: some details differ", tone: "warn" },
  mismatch: { label: "Not verified: the ID does not match", tone: "bad" },
  missing_attributes: { label: "Not verified: the directory record is incomplete", tone: "warn" },
  deactivated: { label: "Not verified: the account is deactivated", tone: "muted" },
  not_eligible: { label: "Not eligible for recovery (status)", tone: "muted" },
  vendor_failed: { label: "The ID check failed", tone: "bad" },
  refused: { label: "Refused: the verification result did not verify", tone: "bad" },
  expired: { label: "Link expired unused", tone: "muted" },
});

/** A share as risk: ≥ 20 % missing is high (red), ≥ 5 % medium (amber), else low (green). @param {number} share 0..1 */
export function riskOf(share) {
  return share >= 0.2
    ? { tone: "bad", label: "High risk" }
    : share >= 0.05
      ? { tone: "warn", label: "Medium risk" }
      : { tone: "ok", label: "Low risk" };
}

/**
 * A long value (an email, a login, an id) with line-break opportunities after "@", "." and "-", so it
 * wraps at its parts rather than mid-word. @param {string} text
 */
export function breakable(text) {
  const out = document.createDocumentFragment();
  for (const part of text.split(/(?<=[@.\-_])/)) {
    if (out.childNodes.length) out.append(document.createElement("wbr"));
    out.append(part);
  }
  return out;
}

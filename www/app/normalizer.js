// @ts-check
// Profile normalizer: an Okta user and an attribute mapping in, the canonical record out, in this page
// (WebAssembly); nothing is sent anywhere.
import { normalizeUser, OktaDirectoryError } from "/sdk/dist/browser.js";
import { el, h } from "./api.js";

/** @typedef {import("/sdk/dist/browser.js").NormalizedUser} NormalizedUser */

const SAMPLE_USER = {
  id: "00u1a2b3c4d5e6f7g8h9",
  status: "ACTIVE",
  lastUpdated: "2026-11-02T09:15:44.000Z",
  profile: {
    login: "jose.garcia@example.com",
    email: "jose.garcia@example.com",
    firstName: "Pepe",
    LegalFirstName: "José",
    lastName: "García Márquez",
    birthdate: "1990-04-03",
    streetAddress: "12 Main Street #4",
    city: "Springfield",
    state: "IL",
    zipCode: "62701-1234",
    countryCode: "us",
    mobilePhone: "(217) 555-0100",
    employeeNumber: null,
  },
};
const SAMPLE_MAPPING = { givenName: ["profile.LegalFirstName", "profile.firstName"] };

/** Flattens the record into [label, value, sourceKey] rows. @param {NormalizedUser} r */
function rows(r) {
  const u = r.user;
  /** @type {Array<[string, string | undefined, string]>} */
  const list = [
    ["Okta id", u.id, ""],
    ["Status", u.status, ""],
    ["Login", u.login, "login"],
    ["Email", u.email, "email"],
    ["Second email", u.secondEmail, "secondEmail"],
    ["Given name", u.name.given, "givenName"],
    ["Middle name", u.name.middle, "middleName"],
    ["Family name", u.name.family, "familyName"],
    ["Birthdate", u.birthdate, "birthdate"],
    ["Street", u.address?.streetAddress, "streetAddress"],
    ["City", u.address?.locality, "locality"],
    ["Region", u.address?.region, "region"],
    ["Postal code", u.address?.postalCode, "postalCode"],
    ["Country", u.address?.country, "country"],
    ["Mobile phone", u.phones?.mobile, "mobilePhone"],
    ["Employee number", u.employeeNumber, "employeeNumber"],
    ["Last updated", u.lastUpdated, ""],
  ];
  return list;
}

/** @param {NormalizedUser} r */
function render(r) {
  const sources = /** @type {Record<string, string | undefined>} */ (r.sources);
  el("fields")
    .querySelector("tbody")
    ?.replaceChildren(
      ...rows(r).map(([label, value, key]) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, label),
          h("td", {}, value ?? "—"),
          h("td", { className: "source" }, (key && sources[key]) || ""),
        ),
      ),
    );
  el("issues").replaceChildren(
    ...r.issues.map((issue) =>
      h(
        "li",
        {},
        h("span", { className: `badge ${issue.code}` }, issue.code),
        ` ${issue.field}${issue.source ? ` (${issue.source})` : ""}`,
      ),
    ),
  );
}

function run() {
  const errorBox = el("error");
  errorBox.hidden = true;
  try {
    const mappingText = /** @type {HTMLTextAreaElement} */ (el("mapping-input")).value.trim();
    const mapping = mappingText ? JSON.parse(mappingText) : undefined;
    // A diagnostic page: absent fields are listed too (MISSING).
    render(
      normalizeUser(/** @type {HTMLTextAreaElement} */ (el("user-input")).value, {
        ...(mapping === undefined ? {} : { mapping }),
        reportMissing: true,
      }),
    );
  } catch (e) {
    errorBox.hidden = false;
    errorBox.textContent = e instanceof OktaDirectoryError ? `error[${e.code}]: ${e.message}` : "The mapping is not valid JSON.";
  }
}

export function setupNormalizer() {
  /** @type {HTMLTextAreaElement} */ (el("user-input")).value = JSON.stringify(SAMPLE_USER, null, 2);
  /** @type {HTMLTextAreaElement} */ (el("mapping-input")).value = JSON.stringify(SAMPLE_MAPPING, null, 2);
  el("normalize-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  /** @type {HTMLButtonElement} */ (el("normalize-button")).disabled = false;
  run();
}

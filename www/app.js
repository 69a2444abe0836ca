// @ts-check
// Dashboard shell. The profile normalizer runs the wasm SDK in the page.
import { ClaimsMatcher, normalizeUser, OktaDirectoryError } from "/sdk/dist/browser.js";

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

/** @param {string} id */
function el(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}

const userInput = /** @type {HTMLTextAreaElement} */ (el("user-input"));
const mappingInput = /** @type {HTMLTextAreaElement} */ (el("mapping-input"));
const button = /** @type {HTMLButtonElement} */ (el("normalize-button"));
const errorBox = el("error");
const fieldsBody = /** @type {HTMLTableSectionElement} */ (el("fields").querySelector("tbody"));
const issuesList = el("issues");

/** Flattens the record into [label, value, sourceKey] rows. @param {NormalizedUser} r */
function rows(r) {
  const u = r.user;
  /** @type {Array<[string, string | undefined, string]>} */
  const list = [
    ["Okta id", u.id, ""], ["Status", u.status, ""], ["Login", u.login, "login"], ["Email", u.email, "email"],
    ["Second email", u.secondEmail, "secondEmail"], ["Given name", u.name.given, "givenName"],
    ["Middle name", u.name.middle, "middleName"], ["Family name", u.name.family, "familyName"],
    ["Birthdate", u.birthdate, "birthdate"], ["Street", u.address.streetAddress, "streetAddress"],
    ["City", u.address.locality, "locality"], ["Region", u.address.region, "region"],
    ["Postal code", u.address.postalCode, "postalCode"], ["Country", u.address.country, "country"],
    ["Mobile phone", u.phones.mobile, "mobilePhone"], ["Employee number", u.employeeNumber, "employeeNumber"],
    ["Last updated", u.lastUpdated, ""],
  ];
  return list;
}

/** @param {NormalizedUser} r */
function render(r) {
  const sources = /** @type {Record<string, string | undefined>} */ (r.sources);
  fieldsBody.replaceChildren(
    ...rows(r).map(([label, value, key]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      const td = document.createElement("td");
      td.textContent = value ?? "—";
      const src = document.createElement("td");
      src.className = "source";
      src.textContent = (key && sources[key]) || "";
      tr.append(th, td, src);
      return tr;
    }),
  );
  issuesList.replaceChildren(
    ...r.issues.map((issue) => {
      const li = document.createElement("li");
      const badge = document.createElement("span");
      badge.className = `badge ${issue.code}`;
      badge.textContent = issue.code;
      li.append(badge, ` ${issue.field}${issue.source ? ` (${issue.source})` : ""}`);
      return li;
    }),
  );
}

function run() {
  errorBox.hidden = true;
  try {
    const mappingText = mappingInput.value.trim();
    const mapping = mappingText ? JSON.parse(mappingText) : undefined;
    render(normalizeUser(userInput.value, mapping));
  } catch (e) {
    errorBox.hidden = false;
    errorBox.textContent =
      e instanceof OktaDirectoryError ? `error[${e.code}]: ${e.message}` : "The mapping is not valid JSON.";
  }
}

userInput.value = JSON.stringify(SAMPLE_USER, null, 2);
mappingInput.value = JSON.stringify(SAMPLE_MAPPING, null, 2);
el("normalize-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
button.disabled = false;
el("engine-status").textContent = "Engine ready (WebAssembly)";
run();

/** @param {HTMLElement} row @param {string[]} cells */
function fillRow(row, cells) {
  row.replaceChildren(
    ...cells.map((text) => {
      const td = document.createElement("td");
      td.textContent = text;
      return td;
    }),
  );
  return row;
}

/**
 * @typedef {{ summary: { users: number, groups: number, memberships: number, usersByStatus: Record<string, number> } | null,
 *   groups: Array<{ id: string, name: string, type: string, members: number }>,
 *   users: Array<{ id?: string, status?: string, login?: string, name: string, missing: string[] }> }} DirectoryView
 */

async function showDirectory() {
  const response = await fetch("/api/directory");
  /** @type {DirectoryView} */
  const data = await response.json();
  if (!data.summary) {
    el("directory-empty").hidden = false;
    return;
  }
  const statuses = Object.entries(data.summary.usersByStatus)
    .map(([status, count]) => `${count.toLocaleString("en")} ${status}`)
    .join(", ");
  el("directory-summary").textContent =
    `${data.summary.users.toLocaleString("en")} users (${statuses}), ${data.summary.groups} groups, ` +
    `${data.summary.memberships.toLocaleString("en")} memberships.`;
  const groupsBody = /** @type {HTMLTableSectionElement} */ (el("groups").querySelector("tbody"));
  groupsBody.replaceChildren(
    ...data.groups.map((g) => fillRow(document.createElement("tr"), [g.name, g.type, g.members.toLocaleString("en")])),
  );
  const usersBody = /** @type {HTMLTableSectionElement} */ (el("users").querySelector("tbody"));
  usersBody.replaceChildren(
    ...data.users.map((u) =>
      fillRow(document.createElement("tr"), [u.name || "—", u.login ?? "—", u.status ?? "—", u.missing.join(", ") || "—"]),
    ),
  );
  el("directory-data").hidden = false;
  const logins = /** @type {HTMLDataListElement} */ (el("logins"));
  logins.replaceChildren(
    ...data.users.filter((u) => u.login).map((u) => Object.assign(document.createElement("option"), { value: u.login })),
  );
  // An active user with every attribute the default policy requires.
  const first = data.users.find((u) => u.login && u.status === "ACTIVE" && u.missing.length === 0);
  if (first?.login) {
    loginInput.value = first.login;
    await prefillClaims();
  }
}
showDirectory().catch(() => {
  el("directory-empty").hidden = false;
});

// ---- Claims playground -------------------------------------------------------------------------

/** Claims as a passport would carry them for `user`: upper case, accents dropped. @param {any} user */
function passportClaims(user) {
  const plain = (/** @type {string | undefined} */ s) =>
    s === undefined ? undefined : s.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();
  /** @type {Record<string, unknown>} */
  const claims = { given_name: plain(user.name?.given), family_name: plain(user.name?.family), birthdate: user.birthdate };
  if (user.address?.streetAddress) {
    claims.address = {
      street_address: plain(user.address.streetAddress),
      locality: plain(user.address.locality),
      postal_code: user.address.postalCode,
      country: user.address.country,
    };
  }
  return JSON.parse(JSON.stringify(claims));
}

const loginInput = /** @type {HTMLInputElement} */ (el("login-hint"));
const verifiedInput = /** @type {HTMLTextAreaElement} */ (el("verified-input"));
const policyInput = /** @type {HTMLTextAreaElement} */ (el("policy-input"));
const oktaInput = /** @type {HTMLTextAreaElement} */ (el("okta-input"));
const matchError = el("match-error");

/** @param {string} login */
async function fetchUser(login) {
  const response = await fetch(`/api/directory/user?login=${encodeURIComponent(login)}`);
  return response.ok ? response.json() : null;
}

async function prefillClaims() {
  const user = await fetchUser(loginInput.value);
  if (user) verifiedInput.value = JSON.stringify(passportClaims(user), null, 2);
}

/** @param {string} text @param {string} what */
function optionalJson(text, what) {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`The ${what} is not valid JSON.`);
  }
}

async function runMatch() {
  matchError.hidden = true;
  try {
    const user = await fetchUser(loginInput.value);
    if (!user) throw new Error("No synced user has that login (USER_NOT_FOUND).");
    const verified = optionalJson(verifiedInput.value, "verified claims") ?? {};
    const matcher = new ClaimsMatcher({
      policy: optionalJson(policyInput.value, "policy") ?? null,
      oktaClaims: optionalJson(oktaInput.value, "Okta claims request"),
    });
    let report;
    try {
      report = matcher.matchUser(verified, user);
    } finally {
      matcher.free();
    }
    const decision = el("decision");
    decision.textContent = `Decision: ${report.decision.replace("_", " ")}`;
    decision.className = `decision-${report.decision}`;
    decision.hidden = false;
    const body = /** @type {HTMLTableSectionElement} */ (el("claims-result").querySelector("tbody"));
    body.replaceChildren(
      ...Object.entries(report.claims).map(([claim, evidence]) =>
        fillRow(document.createElement("tr"), [
          claim,
          evidence?.outcome ?? "",
          evidence ? evidence.score.toFixed(2) : "",
          evidence?.reasons.join(", ") || "—",
        ]),
      ),
    );
    el("claims-result").hidden = false;
  } catch (e) {
    matchError.hidden = false;
    matchError.textContent = e instanceof OktaDirectoryError ? `error[${e.code}]: ${e.message}` : String(/** @type {Error} */ (e).message);
  }
}

el("playground-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void runMatch();
});
loginInput.addEventListener("change", () => void prefillClaims());

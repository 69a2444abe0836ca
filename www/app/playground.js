// @ts-check
// Claims playground: pick a synced user by loginHint (looked up in the directory on the server), enter the
// claims an identity verification returned (or paste Okta's PAR claims request), and see per-claim outcomes,
// scores and reasons. Matching runs in this page, in WebAssembly; recording a verification asks the server,
// which decides again on its own copy before writing the history.
import { ClaimsMatcher, OktaDirectoryError } from "/sdk/dist/browser.js";
import { ApiError, ENROLLMENT_LABELS, bindDirectoryPicker, call, el, h, onChange, selectedDirectory } from "./api.js";
import { levelLabel, reasonLabel } from "./reasons.js";

/** @typedef {import("./api.js").UserDetail} UserDetail @typedef {import("/sdk/dist/browser.js").DirectoryUser} DirectoryUser */

const loginInput = () => /** @type {HTMLInputElement} */ (el("login-hint"));
const area = (/** @type {string} */ id) => /** @type {HTMLTextAreaElement} */ (el(id));

/** Claims as a passport would carry them for `user`: upper case, accents dropped. @param {DirectoryUser} user */
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

/** Okta's PAR claims request (current format) as Okta would send it for `user`. @param {DirectoryUser} user */
function oktaClaimsRequest(user) {
  const v = (/** @type {string | undefined} */ value) => (value === undefined ? undefined : { value, fuzzy: true });
  const claims = JSON.parse(
    JSON.stringify({
      given_name: v(user.name?.given),
      family_name: v(user.name?.family),
      birthdate: v(user.birthdate),
      address: user.address?.streetAddress
        ? {
            street_address: v(user.address.streetAddress),
            locality: v(user.address.locality),
            postal_code: v(user.address.postalCode),
            country: v(user.address.country),
          }
        : undefined,
    }),
  );
  return {
    id_token: {
      verified_claims: [
        {
          verification: {
            trust_framework: { value: "IDV-DELEGATED", essential: true },
            assurance_level: { value: "VERIFIED", essential: true },
          },
          claims,
        },
      ],
    },
  };
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

/** @returns {Promise<UserDetail>} */
async function lookup() {
  const i = selectedDirectory();
  if (!i) throw new Error("No synced directory yet: sync an integration first.");
  try {
    return await call(`/api/integrations/${i.id}/lookup?hint=${encodeURIComponent(loginInput().value.trim())}`);
  } catch (e) {
    if (e instanceof ApiError) throw new Error(`error[${e.code}]: ${e.message}`);
    throw e;
  }
}

function showError(/** @type {unknown} */ e) {
  const box = el("match-error");
  box.hidden = false;
  box.textContent = e instanceof OktaDirectoryError ? `error[${e.code}]: ${e.message}` : e instanceof Error ? e.message : String(e);
}

/** Fills the verified claims from the picked user's record; `report` shows a failed lookup. */
async function prefill(report = false) {
  const login = loginInput().value;
  try {
    const d = await lookup();
    if (loginInput().value !== login) return; // a newer pick is on its way
    area("verified-input").value = JSON.stringify(passportClaims(d.user), null, 2);
    el("match-error").hidden = true;
    showUser(d);
  } catch (e) {
    if (report) showError(e); // otherwise the next match reports it
  }
}

function showUser(/** @type {UserDetail} */ d) {
  const u = d.user;
  el("picked-user").textContent =
    `${[u.name?.given, u.name?.family].filter(Boolean).join(" ")} · ${u.status} · matched by ${d.key ?? "login"} · ` +
    `${ENROLLMENT_LABELS[d.enrollment.status] ?? d.enrollment.status}`;
}

async function runMatch() {
  el("match-error").hidden = true;
  try {
    const d = await lookup();
    showUser(d);
    const verified = optionalJson(area("verified-input").value, "verified claims") ?? {};
    const policy = optionalJson(area("policy-input").value, "policy") ?? null;
    const oktaClaims = optionalJson(area("okta-input").value, "Okta claims request");
    const matcher = new ClaimsMatcher({ policy, ...(oktaClaims === undefined ? {} : { oktaClaims }) });
    let report;
    try {
      report = matcher.matchUser(verified, d.user);
    } finally {
      matcher.free();
    }
    const decision = el("decision");
    decision.textContent = `Decision: ${report.decision.replace("_", " ")}`;
    decision.className = `decision-${report.decision}`;
    decision.hidden = false;
    showWaterfall(decision, report.explanation);
    el("claims-result")
      .querySelector("tbody")
      ?.replaceChildren(
        ...Object.entries(report.claims).map(([claim, evidence]) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, claim),
            h("td", {}, h("span", { className: `outcome outcome-${evidence?.outcome ?? ""}` }, evidence?.outcome ?? "")),
            h("td", { className: "num" }, evidence ? evidence.score.toFixed(2) : ""),
            h("td", {}, ...reasonCells(evidence?.reasons ?? [])),
          ),
        ),
      );
    el("claims-result").hidden = false;
  } catch (e) {
    showError(e);
  }
}

/** A claim's reason codes, each with its label ("NAME_FUZZY_MATCH: one spelling edit apart"), one per line. @param {string[]} reasons */
function reasonCells(reasons) {
  if (!reasons.length) return ["—"];
  return reasons.map((r) => h("div", { className: "reason" }, h("code", {}, r), `: ${reasonLabel(r)}`));
}

/** Suggests logins of the selected directory as the admin types (at most 20). */
let suggestTimer = 0;
/** @type {import("./api.js").DirectoryTable | null} */
let suggestions = null;
async function suggest() {
  const i = selectedDirectory();
  const text = loginInput().value.trim().toLowerCase();
  if (!i || text.length < 2) return;
  suggestions ??= await call(`/api/integrations/${i.id}/directory`);
  const logins = (suggestions?.users.login ?? []).filter((l) => l.toLowerCase().includes(text)).slice(0, 20);
  el("logins").replaceChildren(...logins.map((l) => new Option(l, l)));
}

/** Shows the page; picks a user (from the detail panel, or a ready sample) when the field is empty. */
export async function showPlayground() {
  const fromPanel = sessionStorage.getItem("playground-login");
  sessionStorage.removeItem("playground-login");
  if (fromPanel) {
    loginInput().value = fromPanel;
    await prefill();
    return;
  }
  if (loginInput().value) return;
  const i = selectedDirectory();
  if (!i) return;
  /** @type {import("./api.js").DirectoryTable} */
  const t = await call(`/api/integrations/${i.id}/directory`);
  const n = t.users.status.findIndex((s, k) => s === "ACTIVE" && t.users.enrollment[k] === "not_enrolled" && t.users.login[k]);
  // Not while the field has focus: a value set under someone typing (or a test's fill) would merge with theirs.
  if (n >= 0 && !loginInput().value && document.activeElement !== loginInput()) {
    loginInput().value = t.users.login[n] ?? "";
    await prefill();
  }
}

export function setupPlayground() {
  bindDirectoryPicker(/** @type {HTMLSelectElement} */ (el("playground-picker")));
  el("playground-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void runMatch();
  });
  loginInput().addEventListener("change", () => void prefill());
  loginInput().addEventListener("input", () => {
    clearTimeout(suggestTimer);
    suggestTimer = window.setTimeout(() => void suggest(), 150);
  });
  el("prefill-button").addEventListener("click", () => void prefill(true));
  el("okta-example").addEventListener("click", async () => {
    try {
      const d = await lookup();
      area("okta-input").value = JSON.stringify(oktaClaimsRequest(d.user), null, 2);
    } catch (e) {
      showError(e);
    }
  });
  onChange((e) => {
    if (e.type === "selected" || e.type === "integration") suggestions = null;
  });
}

/**
 * The combined decision as a waterfall: each claim's level and weight with the running total, then
 * the total against the operating point's threshold and the hard guard, if one decided.
 * @param {HTMLElement} anchor the decision line the list follows
 * @param {import("/sdk/dist/browser.js").Explanation} explanation
 */
function showWaterfall(anchor, explanation) {
  document.getElementById("claims-waterfall")?.remove();
  let running = 0;
  const rows = Object.entries(explanation.claims).map(([claim, w]) => {
    running += w?.weight ?? 0;
    const sign = (w?.weight ?? 0) >= 0 ? "+" : "−";
    const level = w?.level ?? "";
    const shown = levelLabel(level) === level ? level : `${levelLabel(level)} (${level})`;
    return h("li", {}, `${claim}: ${shown} ${sign}${Math.abs(w?.weight ?? 0).toFixed(1)} → ${running.toFixed(1)}`);
  });
  const verdict = explanation.guard
    ? `Decided by a guard (${explanation.guard.replace("_", " ")}), whatever the total.`
    : `Total ${explanation.total.toFixed(1)} ${explanation.total >= explanation.threshold ? "≥" : "<"} threshold ${explanation.threshold} (${explanation.operating_point}).`;
  rows.push(h("li", {}, verdict));
  const list = h("ol", { id: "claims-waterfall", className: "waterfall" }, ...rows);
  anchor.after(list);
}

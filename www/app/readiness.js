// @ts-check
// Readiness: which active users lack the attributes the claims policy needs, overall and by group
// (`Directory.audit` on the server), with the CSV (`Directory.auditCsv`) to download.
import { ApiError, bindDirectoryPicker, call, el, fmt, h, onChange, selectedDirectory } from "./api.js";
import { attributeLabel, riskOf } from "./labels.js";

/** @typedef {Omit<import("/sdk/dist/browser.js").AuditReport, "attributes"> & { attributes: Array<Omit<import("/sdk/dist/browser.js").AttributeGap, "userIds">> }} AuditView */

let active = false;
/** @type {Array<{ id: string, name: string }>} */
let allGroups = [];

const pct = (/** @type {number} */ part, /** @type {number} */ whole) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : "—");

/**
 * A missing share drawn as risk: the bar's colour says how bad it is (red for a large share missing), and
 * the words say it too (colour is never the only signal). Optional attributes are grey: they block nobody.
 * @param {number} missing @param {number} total @param {string} label @param {boolean} required
 */
function riskCell(missing, total, label, required) {
  const share = total ? missing / total : 0;
  const risk = required ? riskOf(share) : { tone: "muted", label: "Optional" };
  const fill = h("span", { className: `bar-fill tone-${risk.tone}` });
  fill.style.width = `${Math.min(100, share * 100).toFixed(1)}%`; // CSSOM: allowed by the CSP
  return h(
    "td",
    { className: "risk", "data-risk": risk.tone },
    h("span", { className: "bar", role: "img", "aria-label": `${label}: ${pct(missing, total)}` }, fill),
    ` ${pct(missing, total)} `,
    h("span", { className: `risk-label tone-${risk.tone}` }, risk.label),
  );
}

async function load() {
  const i = selectedDirectory();
  el("readiness-empty").hidden = Boolean(i);
  el("readiness-data").hidden = !i;
  if (!i) return;
  const groupSelect = /** @type {HTMLSelectElement} */ (el("readiness-group"));
  const group = groupSelect.value;
  const query = group ? `?group=${encodeURIComponent(group)}` : "";
  el("readiness-error").hidden = true;
  /** @type {AuditView} */
  let report;
  try {
    report = await call(`/api/integrations/${i.id}/audit${query}`);
  } catch (e) {
    el("readiness-error").hidden = false;
    el("readiness-error").textContent = e instanceof ApiError ? `${e.message} (${e.code})` : String(e);
    return;
  }
  if (!group) {
    allGroups = report.groups.map((g) => ({ id: g.groupId, name: g.name }));
    groupSelect.replaceChildren(new Option("All groups", ""), ...allGroups.map((g) => new Option(g.name, g.id)));
  }
  const csv = /** @type {HTMLAnchorElement} */ (el("readiness-csv"));
  csv.href = `/api/integrations/${i.id}/audit.csv${query}`;
  csv.download = `readiness-${group || "all"}.csv`;
  el("readiness-summary").textContent =
    `${fmt(report.users)} active users audited against the “${report.policyId}” claims policy (${fmt(report.inactiveSkipped)} inactive skipped): ` +
    `${fmt(report.users - report.notReady)} ready, ${fmt(report.notReady)} not ready (${pct(report.notReady, report.users)}) because a required attribute is missing.`;
  el("readiness-attributes")
    .querySelector("tbody")
    ?.replaceChildren(
      ...report.attributes.map((a) =>
        h(
          "tr",
          {},
          h(
            "th",
            { scope: "row" },
            attributeLabel(a.attribute),
            " ",
            h("span", { className: a.required ? "pill enroll-needs_attributes" : "pill" }, a.required ? "required" : "optional"),
          ),
          h("td", { className: "num" }, fmt(a.missing)),
          riskCell(a.missing, report.users, `Share of users missing ${attributeLabel(a.attribute)}`, a.required),
        ),
      ),
    );
  el("readiness-groups")
    .querySelector("tbody")
    ?.replaceChildren(
      ...report.groups.map((g) =>
        h(
          "tr",
          {},
          h(
            "th",
            { scope: "row" },
            h(
              "button",
              {
                type: "button",
                className: "link",
                onclick: () => {
                  groupSelect.value = g.groupId;
                  void load();
                },
              },
              g.name,
            ),
          ),
          h("td", { className: "num" }, fmt(g.users)),
          h("td", { className: "num" }, fmt(g.notReady)),
          h("td", { className: "num" }, pct(g.users - g.notReady, g.users)),
        ),
      ),
    );
}

export function showReadiness() {
  active = true;
  return load();
}
export function hideReadiness() {
  active = false;
}

export function setupReadiness() {
  bindDirectoryPicker(/** @type {HTMLSelectElement} */ (el("readiness-picker")));
  el("readiness-group").addEventListener("change", () => void load());
  onChange((e) => {
    if (!active || e.type === "progress") return;
    if (e.type === "selected") /** @type {HTMLSelectElement} */ (el("readiness-group")).value = "";
    if (e.type === "selected" || e.type === "integration") void load();
  });
}

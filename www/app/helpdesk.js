// @ts-check
// The helpdesk verification console and the verification log. The agent finds a caller, sends a link, and
// watches the request live (admin event stream); the decision and its per-claim outcomes come from the
// server's VerificationService (a signed ID result) — this page only reads them.
import { ApiError, ago, call, el, h, onChange } from "./api.js";
import { DECISION, OUTCOME, attributeLabel, breakable, statusDot } from "./labels.js";
import { reasonLabel } from "./reasons.js";

/** @typedef {{ id: string, at: number, agent: string, userId: string, login: string, channel: string, state: string,
 *   updatedAt: number, outcome: string | null, decision: string | null, claims: Array<{ claim: string, outcome: string, reasons: string[] }>, code: string | null }} AuditEntry */

/** The steps of a request, in order, with the state that finishes each. */
const STEPS = /** @type {Array<[string, string]>} */ ([
  ["sent", "Link sent to the caller"],
  ["opened", "Caller opened the link"],
  ["verifying", "Caller is verifying their ID"],
  ["decided", "Decision"],
]);
const ORDER = { sent: 0, opened: 1, verifying: 2, decided: 3, refused: 3, expired: 1 };

/** @type {string | null} the request the console follows */
let following = null;
/** @type {any} */
let caller = null;

function showError(/** @type {unknown} */ e) {
  const box = el("helpdesk-error");
  box.hidden = false;
  box.textContent = e instanceof ApiError ? `${e.message} (${e.code})` : "Something went wrong.";
}

function renderCaller(/** @type {any} */ c) {
  caller = c;
  el("helpdesk-caller").hidden = false;
  el("helpdesk-caller-name").textContent = c.name;
  const facts = /** @type {Array<[string, Node | string]>} */ ([
    ["Login", h("span", { className: "wrap" }, breakable(c.login))],
    ["Okta status", statusDot(c.status)],
    [
      "Enrollment",
      c.enrollment === "enrolled"
        ? "Enrolled (verified before)"
        : c.enrollment === "needs_attributes"
          ? "Needs attributes"
          : c.enrollment === "inactive"
            ? "Inactive"
            : "Not enrolled",
    ],
    [
      "Readiness",
      c.missingRequired.length
        ? `Not ready: the directory lacks ${c.missingRequired.map(attributeLabel).join(", ")}`
        : "Ready: every required attribute is present",
    ],
  ]);
  el("helpdesk-caller-facts").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  const sms = /** @type {HTMLOptionElement} */ (el("helpdesk-channel").querySelector('option[value="sms"]'));
  sms.disabled = !c.hasMobile;
}

/** Renders a request's progress and, once decided, its outcome in plain words. @param {AuditEntry} r */
function renderRequest(r) {
  el("helpdesk-request").hidden = false;
  const at = ORDER[/** @type {keyof typeof ORDER} */ (r.state)] ?? 0;
  el("helpdesk-timeline").replaceChildren(
    ...STEPS.map(([, label], n) =>
      h(
        "li",
        { className: n <= at ? "done" : n === at + 1 ? "current" : "todo", "aria-current": n === at + 1 ? "step" : undefined },
        label,
      ),
    ),
  );
  el("helpdesk-request-title").textContent =
    r.state === "decided" || r.state === "refused"
      ? "Verification finished"
      : r.state === "expired"
        ? "Link expired"
        : "Verification in progress";
  const decision = el("helpdesk-decision");
  const table = /** @type {HTMLTableElement} */ (el("helpdesk-claims"));
  if (r.state === "decided" || r.state === "refused") {
    const d = DECISION[r.outcome ?? ""] ?? { label: r.outcome ?? "", tone: "muted" };
    decision.dataset.outcome = r.outcome ?? "";
    decision.replaceChildren(h("span", { className: `dot tone-${d.tone}` }, d.label), r.code ? ` (${r.code})` : "");
    table.hidden = r.claims.length === 0;
    table.tBodies[0].replaceChildren(
      ...r.claims.map((c) =>
        h(
          "tr",
          { "data-claim": c.claim },
          h("th", { scope: "row" }, attributeLabel(c.claim)),
          h(
            "td",
            {},
            h(
              "span",
              { className: `dot tone-${c.outcome === "match" ? "ok" : c.outcome === "mismatch" ? "bad" : "warn"}` },
              OUTCOME[c.outcome] ?? c.outcome,
            ),
          ),
          h("td", {}, c.reasons.map(reasonLabel).join("; ") || "—"),
        ),
      ),
    );
  } else {
    decision.dataset.outcome = "";
    decision.textContent = `Waiting for the caller (sent ${ago(r.at)} by email link; it works once, for 30 minutes).`;
    table.hidden = true;
  }
}

export function setupHelpdesk() {
  el("helpdesk-search").addEventListener("submit", async (event) => {
    event.preventDefault();
    el("helpdesk-error").hidden = true;
    const q = /** @type {HTMLInputElement} */ (el("helpdesk-query")).value;
    try {
      /** @type {{ callers: any[] }} */
      const found = await call(`/api/helpdesk/search?q=${encodeURIComponent(q)}`);
      el("helpdesk-found").textContent =
        found.callers.length === 0
          ? "Nobody matches."
          : found.callers.length === 1
            ? "One match."
            : `${found.callers.length} matches: pick the caller.`;
      el("helpdesk-candidates").replaceChildren(
        ...(found.callers.length > 1 ? found.callers : []).map((c) =>
          h(
            "li",
            {},
            h("button", { type: "button", className: "link", onclick: () => renderCaller(c) }, c.name),
            " ",
            h("span", { className: "muted wrap" }, c.login),
          ),
        ),
      );
      if (found.callers.length === 1) renderCaller(found.callers[0]);
      else el("helpdesk-caller").hidden = true;
    } catch (e) {
      showError(e);
    }
  });
  el("helpdesk-send").addEventListener("click", async () => {
    if (!caller) return;
    el("helpdesk-error").hidden = true;
    try {
      /** @type {AuditEntry} */
      const entry = await call("/api/helpdesk/requests", {
        method: "POST",
        body: { userId: caller.id, channel: /** @type {HTMLSelectElement} */ (el("helpdesk-channel")).value },
      });
      following = entry.id;
      renderRequest(entry);
    } catch (e) {
      showError(e);
    }
  });
  onChange((e) => {
    if (e.type !== "helpdesk") return;
    if (e.entry?.id === following) renderRequest(e.entry);
    if (!el("audit-table").closest("section")?.hidden) void showAudit();
  });
  const refilter = () => void showAudit();
  el("audit-outcome").addEventListener("change", refilter);
  el("audit-text").addEventListener("input", refilter);
  el("audit-filters").addEventListener("submit", (e) => e.preventDefault());
}

/** What the log says about a decision: the claims that did not match, then the reason codes. @param {AuditEntry} e @param {string[]} reasons */
function details(e, reasons) {
  const off = e.claims
    .filter((c) => c.outcome !== "match")
    .map((c) => `${attributeLabel(c.claim)}: ${(OUTCOME[c.outcome] ?? c.outcome).toLowerCase()}`);
  /** @type {Array<Node | string>} */
  const out = off.length ? [off.join("; "), " "] : [];
  out.push(...reasons.map((r) => h("code", { className: "reason" }, r)));
  return out.length ? out : ["—"];
}

/** The verification log, with the filters applied (the CSV link carries them too). */
export async function showAudit() {
  const params = new URLSearchParams();
  const outcome = /** @type {HTMLSelectElement} */ (el("audit-outcome")).value;
  const text = /** @type {HTMLInputElement} */ (el("audit-text")).value.trim();
  if (outcome) params.set("outcome", outcome);
  if (text) params.set("q", text);
  const query = params.size ? `?${params}` : "";
  /** @type {HTMLAnchorElement} */ (el("audit-csv")).href = `/api/helpdesk/audit.csv${query}`;
  /** @type {{ entries: AuditEntry[] }} */
  const { entries } = await call(`/api/helpdesk/audit${query}`);
  el("audit-count").textContent = `${entries.length} verification${entries.length === 1 ? "" : "s"}`;
  /** @type {HTMLTableElement} */ (el("audit-table")).tBodies[0].replaceChildren(
    ...entries.map((e) => {
      const d = e.outcome
        ? (DECISION[e.outcome] ?? { label: e.outcome, tone: "muted" })
        : { label: e.state === "expired" ? "Link expired" : "Pending", tone: "info" };
      const reasons = [...new Set(e.claims.flatMap((c) => c.reasons))];
      return h(
        "tr",
        { "data-request": e.id },
        h("td", {}, new Date(e.at).toLocaleString("en")),
        h("td", { className: "wrap" }, breakable(e.login)),
        h("td", { className: "wrap" }, e.agent),
        h("td", {}, h("span", { className: `dot tone-${d.tone}` }, d.label)),
        h("td", {}, ...(e.code ? [e.code] : details(e, reasons))),
      );
    }),
  );
}

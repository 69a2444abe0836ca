// @ts-check
// The policy editor: the operator's matching policy as a form. Every change is sent to the server as a
// draft: the engine validates it (errors shown next to their field), and for a valid draft the server answers
// its readiness impact and its shadow replay (past attempts re-decided from their comparison vectors). Save
// is enabled only once the impact of exactly this draft is on screen.
import { ApiError, ago, call, el, h } from "./api.js";
import { attributeLabel } from "./labels.js";
import { DEFAULT_CLAIMS } from "./policy-defaults.js";

const CLAIMS = ["given_name", "middle_name", "family_name", "birthdate", "address", "phone_number", "email"];
const NAMES = new Set(["given_name", "middle_name", "family_name"]);
const TOLERANCES = /** @type {Array<[string, string]>} */ ([
  ["nicknames", "Nicknames"],
  ["initials", "Initials"],
  ["token_subset", "Part of the name"],
  ["swapped_names", "Given/family swapped"],
  ["ocr", "Scanning errors"],
  ["typos", "Spelling slips"],
]);
const CANNOT = /** @type {Record<string, string>} */ ({
  not_compared: "a detail the attempt did not compare",
  source_changed: "a changed directory attribute",
  tolerance_added: "a tolerance added to a detail that differed",
  coarse_level: "agreement recorded too coarsely for the new setting",
  no_vector: "recorded before comparison vectors were kept",
});

const DEFAULTS = DEFAULT_CLAIMS;

/** @type {{ id: string, version: number, document: any, savedAt: number, savedBy: string } | null} */
let saved = null;
/** The draft whose impact is on screen (JSON text), or null. @type {string | null} */
let shown = null;
let seq = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (el(id));

function buildForm() {
  const body = el("policy-claims").querySelector("tbody");
  if (!body || body.childElementCount) return;
  for (const claim of CLAIMS) {
    const label = attributeLabel(claim);
    const id = (/** @type {string} */ key) => `pol-${claim}-${key}`;
    const check = (/** @type {string} */ key, /** @type {string} */ text) =>
      h(
        "label",
        { className: "inline" },
        h("input", { type: "checkbox", id: id(key), "data-claim": claim }),
        h("span", { className: "sr" }, `${text}: ${label}`),
      );
    const select = (/** @type {string} */ key, /** @type {Array<[string, string]>} */ options, /** @type {string} */ text) =>
      h(
        "label",
        {},
        h("span", { className: "sr" }, `${text}: ${label}`),
        h("select", { id: id(key), "data-claim": claim }, ...options.map(([v, t]) => h("option", { value: v }, t))),
      );
    const tolerances = NAMES.has(claim)
      ? h(
          "fieldset",
          { className: "tolerances", id: id("allow") },
          h("legend", { className: "sr" }, `Tolerances for ${label}`),
          ...TOLERANCES.map(([v, t]) =>
            h("label", { className: "inline" }, h("input", { type: "checkbox", value: v, "data-claim": claim, "data-allow": v }), ` ${t}`),
          ),
        )
      : h("span", { className: "muted" }, "—");
    body.append(
      h(
        "tr",
        { id: id("row") },
        h("th", { scope: "row" }, label),
        h("td", {}, check("compare", "Compare")),
        h("td", {}, check("required", "Required")),
        h(
          "td",
          {},
          select(
            "mode",
            [
              ["fuzzy", "Fuzzy"],
              ["exact", "Exact"],
            ],
            "Comparison",
          ),
          claim === "address"
            ? h(
                "label",
                { className: "threshold" },
                "Fuzzy threshold ",
                h("input", { type: "number", id: id("threshold"), step: "0.01", inputMode: "decimal", "data-claim": claim }),
              )
            : null,
        ),
        h(
          "td",
          {},
          select(
            "on_mismatch",
            [
              ["fail", "Refuse"],
              ["review", "Send to review"],
              ["flag", "Only weigh it"],
            ],
            "If it differs",
          ),
        ),
        h("td", {}, tolerances),
        h(
          "td",
          {},
          h(
            "label",
            {},
            h("span", { className: "sr" }, `Directory attribute for ${label}`),
            h("input", {
              type: "text",
              id: id("source"),
              placeholder: "default",
              spellcheck: false,
              autocomplete: "off",
              "data-claim": claim,
              "aria-describedby": id("error"),
            }),
          ),
          h("span", { className: "error field-error", id: id("error"), hidden: true }),
        ),
      ),
    );
  }
}

/** Fills the form from a policy document (null: the documented default). @param {any} doc */
function fill(doc) {
  const claims = doc?.claims ?? DEFAULTS;
  for (const claim of CLAIMS) {
    const c = claims[claim];
    const d = { ...DEFAULTS[claim], ...(c ?? {}) };
    input(`pol-${claim}-compare`).checked = c !== undefined;
    input(`pol-${claim}-required`).checked = Boolean(d.required);
    input(`pol-${claim}-mode`).value = d.mode;
    input(`pol-${claim}-on_mismatch`).value = d.on_mismatch;
    if (claim === "address") input("pol-address-threshold").value = d.threshold === undefined ? "0.85" : String(d.threshold);
    input(`pol-${claim}-source`).value = Array.isArray(d.source) ? d.source.join(", ") : "";
    for (const box of document.querySelectorAll(`input[data-allow][data-claim="${claim}"]`)) {
      /** @type {HTMLInputElement} */ (box).checked = (d.allow ?? []).includes(/** @type {HTMLInputElement} */ (box).value);
    }
  }
  input("pol-operating_point").value = doc?.decision?.operating_point ?? "balanced";
  syncDisabled();
}

/** A claim's other settings are inert while it is not compared. */
function syncDisabled() {
  for (const claim of CLAIMS) {
    const on = input(`pol-${claim}-compare`).checked;
    for (const node of el(`pol-${claim}-row`).querySelectorAll("input, select")) {
      if (node.id !== `pol-${claim}-compare`) /** @type {HTMLInputElement} */ (node).disabled = !on;
    }
  }
}

/** The draft document the form describes. */
export function draftFromForm() {
  /** @type {Record<string, any>} */
  const claims = {};
  for (const claim of CLAIMS) {
    if (!input(`pol-${claim}-compare`).checked) continue;
    /** @type {Record<string, any>} */
    const c = {
      mode: input(`pol-${claim}-mode`).value,
      required: input(`pol-${claim}-required`).checked,
      on_mismatch: input(`pol-${claim}-on_mismatch`).value,
    };
    if (NAMES.has(claim)) {
      c.allow = [...document.querySelectorAll(`input[data-allow][data-claim="${claim}"]`)]
        .filter((b) => /** @type {HTMLInputElement} */ (b).checked)
        .map((b) => /** @type {HTMLInputElement} */ (b).value);
    }
    if (claim === "address") {
      const t = input("pol-address-threshold").value.trim();
      // Sent as typed: the engine says what is wrong with it (a number from 0 to 1).
      if (t !== "") c.threshold = Number.isFinite(Number(t)) ? Number(t) : t;
    }
    const source = input(`pol-${claim}-source`)
      .value.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (source.length) c.source = source;
    if (claim === "address") delete c.source;
    claims[claim] = c;
  }
  return { version: 1, claims, decision: { operating_point: input("pol-operating_point").value } };
}

function clearErrors() {
  for (const node of document.querySelectorAll("#policy-form .field-error, #pol-decision-error, #policy-form-error")) {
    /** @type {HTMLElement} */ (node).hidden = true;
    node.textContent = "";
  }
  for (const node of document.querySelectorAll("#policy-form [aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Shows an engine error next to its field (`claims.given_name.threshold` → that claim's row). @param {{ path: string, message: string }} e */
function showFieldError(e) {
  const m = /^claims\.([a-z_]+)(?:\.([a-z_]+))?/.exec(e.path);
  const claim = m && CLAIMS.includes(m[1]) ? m[1] : null;
  const key = m?.[2] ?? "";
  if (claim) {
    const box = el(`pol-${claim}-error`);
    box.textContent = `${attributeLabel(claim)}${key ? ` (${key.replace(/_/g, " ")})` : ""}: ${e.message}`;
    box.hidden = false;
    const field = document.getElementById(`pol-${claim}-${key}`) ?? document.getElementById(`pol-${claim}-source`);
    field?.setAttribute("aria-invalid", "true");
    return;
  }
  const box = e.path.startsWith("decision") ? el("pol-decision-error") : el("policy-form-error");
  box.textContent = `${e.path}: ${e.message}`;
  box.hidden = false;
}

const plural = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many = `${one}s`) =>
  `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** Renders the impact of a valid draft. @param {any} r */
function showImpact(r) {
  el("policy-impact-facts").hidden = false;
  const d = r.readiness?.delta;
  el("policy-readiness").textContent =
    r.readiness === null
      ? "no directory synced"
      : d > 0
        ? `${plural(d, "more user")} not ready (${r.readiness.after.toLocaleString("en")} in all)`
        : d < 0
          ? `${plural(-d, "fewer user")} not ready`
          : "no change";
  const rp = r.replay;
  el("policy-pass").textContent = plural(rp.wouldNowPass, "attempt");
  el("policy-fail").textContent = plural(rp.wouldNowFail, "attempt");
  el("policy-unchanged").textContent =
    `${plural(rp.unchanged, "attempt")}${rp.reviewChanged ? ` (${rp.reviewChanged} move between review and refusal)` : ""}`;
  const why = Object.entries(rp.cannotReplayBy ?? {})
    .map(([k, n]) => `${n} — ${CANNOT[k] ?? k}`)
    .join("; ");
  el("policy-cannot").textContent = `${plural(rp.cannotReplay, "attempt")}${why ? ` (${why})` : ""}`;
  el("policy-changes").replaceChildren(...r.changes.map((/** @type {string} */ c) => h("li", {}, c)));
  el("policy-impact-status").textContent =
    r.changes.length === 0
      ? "This draft is the saved policy."
      : `Replayed ${plural(rp.attempts, "past verification")} of the ${r.directory ?? "—"} directory under this draft.`;
  // POLICY_WEAK: valid, but its deciding claims cannot tell people apart (one claim, or no name claim).
  for (const w of r.warnings ?? []) el("policy-impact-status").textContent += ` Warning: ${w.message}.`;
}

async function check() {
  const draft = draftFromForm();
  const text = JSON.stringify(draft);
  const mine = ++seq;
  shown = null;
  /** @type {HTMLButtonElement} */ (el("policy-save")).disabled = true;
  el("policy-impact-status").textContent = "Checking the draft…";
  try {
    const r = await call("/api/policy/impact", { method: "POST", body: { document: draft } });
    if (mine !== seq) return;
    clearErrors();
    showImpact(r);
    shown = text;
    /** @type {HTMLButtonElement} */ (el("policy-save")).disabled = r.changes.length === 0;
  } catch (e) {
    if (mine !== seq) return;
    clearErrors();
    el("policy-impact-facts").hidden = true;
    el("policy-changes").replaceChildren();
    if (e instanceof ApiError && e.status === 422) {
      el("policy-impact-status").textContent = "Fix the highlighted setting to see the impact.";
      // The 422 body carries the engine's errors (by path), kept by `call` as the error's fields.
      for (const err of /** @type {any} */ (e).fields ?? [{ path: "$", message: e.message }]) showFieldError(err);
    } else {
      el("policy-impact-status").textContent = e instanceof Error ? e.message : String(e);
    }
  }
}

function schedule() {
  syncDisabled();
  el("policy-saved").textContent = "";
  clearTimeout(timer);
  timer = setTimeout(() => void check(), 250);
}

async function save() {
  const draft = draftFromForm();
  if (shown !== JSON.stringify(draft)) return void check();
  try {
    const r = await call("/api/policy", { method: "PUT", body: { document: draft, baseVersion: saved?.version ?? 0 } });
    saved = r.saved;
    el("policy-saved").textContent = `Saved as ${r.saved.id}. New verifications are decided under it.`;
    /** @type {HTMLButtonElement} */ (el("policy-save")).disabled = true;
    await loadSaved(false);
  } catch (e) {
    el("policy-saved").textContent = e instanceof Error ? e.message : String(e);
  }
}

async function loadSaved(/** @type {boolean} */ refill) {
  saved = await call("/api/policy");
  el("policy-current").textContent = saved?.version
    ? `In force: ${saved.id}, saved ${ago(saved.savedAt)} by ${saved.savedBy}.`
    : "In force: the documented default policy (never changed here).";
  if (refill) fill(saved?.document ?? null);
  const log = await call("/api/policy/log");
  el("policy-log")
    .querySelector("tbody")
    ?.replaceChildren(
      ...log.entries.map((/** @type {any} */ e) =>
        h(
          "tr",
          {},
          h("td", {}, new Date(e.at).toLocaleString("en")),
          h("td", {}, e.by),
          h("td", {}, e.id),
          h("td", {}, e.changes.join("; ") || "—"),
          h(
            "td",
            {},
            e.replay
              ? `${e.replay.wouldNowPass} pass, ${e.replay.wouldNowFail} fail, ${e.replay.unchanged} unchanged, ${e.replay.cannotReplay} cannot replay`
              : "—",
          ),
        ),
      ),
    );
}

export function setupPolicy() {
  buildForm();
  const form = el("policy-form");
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (e) => e.preventDefault());
  el("policy-save").addEventListener("click", () => void save());
  el("policy-reset").addEventListener("click", () => {
    fill(saved?.document ?? null);
    void check();
  });
}

export async function showPolicy() {
  await loadSaved(true);
  await check();
}

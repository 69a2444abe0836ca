// @ts-check
// The self-serve portal page: work email → one-time code (sent by mail) → demo ID verification → the server
// checks the signed result and only then returns the record's fields that its claims are compared with →
// a per-claim pre-check with the wasm engine, in plain language → "Continue" sends the id_token to the
// server, which verifies it again and decides with the same engine. The pre-check never authorizes.
import { ClaimsMatcher, decideVerification } from "/sdk/dist/browser.js";
import { explainDetails, explainTogether, requiredDetails } from "./explain.js";

/** @typedef {import("/sdk/dist/browser.js").VerificationDecision} VerificationDecision */
/** @typedef {import("/sdk/dist/browser.js").DirectoryUser} DirectoryUser */

/** Plain names of the claims. */
const CLAIM_NAMES = /** @type {Record<string, string>} */ ({
  given_name: "first name",
  family_name: "last name",
  middle_name: "middle name",
  birthdate: "date of birth",
  address: "address",
  phone_number: "phone number",
  email: "email address",
});

/** Plain words per outcome. */
const OUTCOME_TEXT = /** @type {Record<string, string>} */ ({
  match: "matches your HR record",
  mismatch: "does not match your HR record",
  missing_directory: "is missing from your HR record",
  missing_verified: "could not be read from your ID",
  invalid: "is not in a usable form",
});

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const errorBox = $("portal-error");

/** @type {{ session: string, record: DirectoryUser | null, idToken: string | null, policy: any }} */
const state = { session: "", record: null, idToken: null, policy: null };

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ status: number, body: any }>}
 */
async function post(path, body) {
  const res = await fetch(`/portal-api/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The steps in order (the stepper at the top marks the current one). */
const STEPS = ["step-email", "step-code", "step-idv", "step-precheck", "step-result"];

/**
 * Collapses a finished step: its form and buttons are gone (no longer live), one line says what was done.
 * @param {string} id @param {string} summary
 */
function finish(id, summary) {
  const section = $(id);
  section.hidden = false;
  section.classList.add("done");
  for (const child of section.children)
    if (!(child instanceof HTMLHeadingElement) && !child.classList.contains("step-done")) /** @type {HTMLElement} */ (child).hidden = true;
  let line = section.querySelector(".step-done");
  if (!line) {
    line = document.createElement("p");
    line.className = "step-done";
    section.append(line);
  }
  line.textContent = summary;
}

/** Shows one step (the earlier ones stay, collapsed). @param {string} id */
function show(id) {
  const section = $(id);
  section.hidden = false;
  const at = STEPS.indexOf(id);
  for (const li of document.querySelectorAll("#stepper li")) {
    const n = STEPS.indexOf(li.getAttribute("data-step") ?? "");
    li.className = n < at ? "done" : n === at ? "current" : "";
    if (n === at) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
  const heading = /** @type {HTMLElement | null} */ (section.querySelector("h2"));
  heading?.focus();
  errorBox.textContent = "";
}

function claimName(/** @type {string} */ claim) {
  return CLAIM_NAMES[claim] ?? claim.replace(/_/g, " ");
}

function list(/** @type {string[]} */ names) {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The sentence for a decision, in plain language (same for pre-check and final answer). */
function explain(/** @type {VerificationDecision} */ d) {
  const differing = Object.entries(d.claims)
    .filter(([, c]) => c && (c.outcome === "mismatch" || c.outcome === "invalid"))
    .map(([n]) => claimName(n));
  switch (d.state) {
    case "success":
      return "Your ID matches your HR record.";
    case "review":
      return `Some details (${list(differing) || "address"}) differ from your HR record: the help desk must review them before your account can be recovered.`;
    case "missing_attributes":
      return `Your HR record lacks your ${list(d.missingAttributes.map(claimName))}. Contact HR to complete it, then try again.`;
    case "deactivated":
      return "This account is deactivated. Contact your manager or HR.";
    case "vendor_failed":
      return "The identity-verification service could not verify your ID. Try again with another document.";
    default:
      return `The ${list(differing) || "details"} on your ID ${differing.length > 1 ? "do" : "does"} not match your HR record. Contact HR if your record is wrong.`;
  }
}

/**
 * Renders per-claim outcomes (no values: outcomes only), for the claims the ID shows: a claim the ID does
 * not carry says nothing about the person (and the page holds only the record fields the ID's claims need).
 */
function renderClaims(/** @type {HTMLElement} */ ul, /** @type {VerificationDecision} */ d, onlyProblems = false) {
  ul.replaceChildren();
  const onId = state.idToken ? Object.keys(unverifiedClaims(state.idToken).claims ?? {}) : [];
  for (const [name, claim] of Object.entries(d.claims)) {
    if (!claim || (claim.outcome === "missing_verified" && claim.reasons.length === 0)) continue;
    if (!onId.includes(name)) continue;
    // An attribute the policy does not require is never presented as a problem.
    if (claim.outcome === "missing_directory" && !d.missingAttributes.some((m) => m === name)) continue;
    if (onlyProblems && claim.outcome === "match") continue;
    const li = document.createElement("li");
    li.dataset.claim = name;
    li.dataset.outcome = claim.outcome;
    li.className = claim.outcome === "match" ? "outcome-match" : claim.outcome === "mismatch" ? "outcome-mismatch" : "";
    const text = OUTCOME_TEXT[claim.outcome] ?? claim.outcome;
    li.textContent = `Your ${claimName(name)} ${text}.`;
    ul.append(li);
  }
}

/**
 * The pre-check's per-detail lines: how each detail agreed, in plain words (no values, no engine words);
 * details the policy does not require are never shown as problems.
 * @param {HTMLElement} ul @param {any} report
 */
function renderExplained(ul, report) {
  const onId = state.idToken ? Object.keys(unverifiedClaims(state.idToken).claims ?? {}) : [];
  ul.replaceChildren();
  for (const line of explainDetails(report, { required: requiredDetails(state.policy), onId })) {
    const li = document.createElement("li");
    li.dataset.claim = line.claim;
    li.dataset.outcome = report.claims[line.claim]?.outcome ?? "";
    li.dataset.tone = line.tone;
    li.className = line.tone === "ok" ? "outcome-match" : line.tone === "problem" ? "outcome-mismatch" : "";
    li.textContent = line.text;
    ul.append(li);
  }
}

/** The claims inside the id_token (the server verified it before sending the record): for the pre-check only. @param {string} token */
function unverifiedClaims(token) {
  const part = token.split(".")[1] ?? "";
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  const payload = JSON.parse(new TextDecoder().decode(bytes));
  const vc = payload.verified_claims;
  return Array.isArray(vc) ? vc[0] : vc;
}

$("email-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = /** @type {HTMLInputElement} */ ($("email")).value;
  const { status, body } = await post("start", { email });
  if (status === 202) {
    state.session = body.session;
    finish("step-email", "Done: a code is on its way if this is an employee's work email.");
    show("step-code");
    return;
  }
  errorBox.textContent = body.error?.message ?? "Something went wrong; try again.";
});

$("code-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = /** @type {HTMLInputElement} */ ($("code")).value;
  const { status, body } = await post("code", { session: state.session, code });
  if (status === 200) {
    finish("step-code", "Done: your email is confirmed.");
    show("step-idv");
    return;
  }
  const refusal = body.error?.code;
  errorBox.textContent =
    refusal === "CODE_INVALID"
      ? `That code is not right (${body.triesLeft} tries left). If you are sure it is, too many wrong codes were tried for this account lately: wait a few minutes and start again.`
      : refusal === "INVALID_CODE"
        ? `The code is six digits (${body.triesLeft} tries left).`
        : (body.error?.message ?? "Start again.");
});

$("idv-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const scenario = /** @type {HTMLSelectElement} */ ($("scenario")).value;
  const { status, body } = await post("idv", { session: state.session, scenario });
  if (status !== 200) {
    errorBox.textContent = body.error?.message ?? "The verification service did not answer.";
    return;
  }
  state.idToken = body.idToken;
  // The record's fields come only once the server has verified this signed result for this person.
  const checked = await post("precheck", { session: state.session, idToken: body.idToken });
  if (checked.status !== 200) {
    state.record = null;
    const message = $("result-message");
    message.dataset.state = "refused";
    message.className = "decision decision-no_match";
    message.textContent = `The verification result was refused by the server (${checked.body.error?.code ?? "ERROR"}). Nothing was changed; start the ID verification again.`;
    $("result-claims").replaceChildren();
    finish("step-idv", "Done: the ID check returned a result.");
    show("step-result");
    return;
  }
  finish("step-idv", "Done: your ID was checked.");
  state.record = checked.body.record;
  // The operator's policy (settings only), so that the preview decides as the server will.
  state.policy = checked.body.policy ?? null;
  const matcher = new ClaimsMatcher({ policy: state.policy });
  let pre;
  let report;
  try {
    ({ result: pre, report } = decideVerification(unverifiedClaims(body.idToken), /** @type {DirectoryUser} */ (state.record), matcher));
  } finally {
    matcher.free();
  }
  const summary = $("precheck-summary");
  summary.dataset.state = pre.state;
  summary.className = `decision-${pre.decision}`;
  const together = report && pre.state !== "vendor_failed" && pre.state !== "deactivated" ? ` ${explainTogether(report)}` : "";
  summary.textContent = `Pre-check: ${explain(pre)}${together} This is only a preview — the server decides when you continue.`;
  if (report) renderExplained($("precheck-claims"), report);
  else renderClaims($("precheck-claims"), pre);
  show("step-precheck");
});

$("continue").addEventListener("click", async () => {
  const { status, body } = await post("decide", { session: state.session, idToken: state.idToken });
  const message = $("result-message");
  const claims = $("result-claims");
  claims.replaceChildren();
  if (status === 200) {
    /** @type {VerificationDecision} */
    const d = body;
    message.dataset.state = d.state;
    message.className = `decision decision-${d.decision}`;
    message.textContent =
      d.state === "success"
        ? "Identity confirmed. You can now reset your password."
        : /** @type {string} */ (d.state) === "not_eligible"
          ? "This account cannot be recovered here (it is not activated yet, or a recovery is already under way). Contact the IT help desk."
          : explain(d);
    renderClaims(claims, d, true);
  } else {
    message.dataset.state = "refused";
    message.className = "decision decision-no_match";
    const code = body.error?.code ?? "ERROR";
    message.textContent = `The verification result was refused by the server (${code}). Nothing was changed; start the ID verification again.`;
  }
  finish("step-precheck", "Done: you reviewed the pre-check.");
  show("step-result");
});

// A help desk's verification link (#request=…): the link proves the mailbox, as the code does. The token
// leaves the address bar at once (it works once anyway).
async function fromHelpdeskLink() {
  const token = location.hash.startsWith("#request=") ? location.hash.slice("#request=".length) : "";
  if (!token) return;
  history.replaceState(null, "", location.pathname);
  const { status, body } = await post("link", { token });
  if (status !== 200) {
    errorBox.textContent = body.error?.message ?? "This link is not valid any more; ask the help desk for a new one.";
    return;
  }
  state.session = body.session;
  finish("step-email", "Done: the help desk sent you this link.");
  finish("step-code", "Done: opening the link confirmed your email.");
  show("step-idv");
}

// The form stays disabled until its handler exists: a click before that would submit the page natively.
const emailSubmit = /** @type {HTMLButtonElement} */ ($("email-submit"));
emailSubmit.disabled = false;
document.body.dataset.ready = "true";
void fromHelpdeskLink();

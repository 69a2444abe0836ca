// @ts-check
// The self-serve portal page: work email → one-time code → the person's own record → demo ID verification
// → a per-claim pre-check with the wasm engine, in plain language → "Continue" sends the id_token to the
// server, which verifies it and decides again with the same engine. The pre-check never authorizes.
import { ClaimsMatcher, decideVerification } from "/sdk/dist/browser.js";

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

/** @type {{ session: string, record: DirectoryUser | null, idToken: string | null }} */
const state = { session: "", record: null, idToken: null };

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ status: number, body: any }>}
 */
async function post(path, body) {
  const res = await fetch(`/api/portal/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Shows one step (and keeps the earlier ones visible but done). @param {string} id */
function show(id) {
  const section = $(id);
  section.hidden = false;
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

/** Renders per-claim outcomes (no values: outcomes only). */
function renderClaims(/** @type {HTMLElement} */ ul, /** @type {VerificationDecision} */ d) {
  ul.replaceChildren();
  for (const [name, claim] of Object.entries(d.claims)) {
    if (!claim || claim.outcome === "missing_verified" && claim.reasons.length === 0) continue;
    const li = document.createElement("li");
    li.dataset.claim = name;
    li.dataset.outcome = claim.outcome;
    li.className = claim.outcome === "match" ? "outcome-match" : claim.outcome === "mismatch" ? "outcome-mismatch" : "";
    const text = OUTCOME_TEXT[claim.outcome] ?? claim.outcome;
    li.textContent = `Your ${claimName(name)} ${text}.`;
    ul.append(li);
  }
}

/** The claims inside the id_token, read WITHOUT verifying it: for the pre-check only. @param {string} token */
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
  if (status === 201) {
    state.session = body.session;
    $("session-tag").textContent = body.sessionTag;
    show("step-code");
    return;
  }
  if (body.state === "not_found") errorBox.textContent = "We could not find an account with that work email. Check the spelling, or contact the IT help desk.";
  else if (body.state === "ambiguous") errorBox.textContent = "More than one account uses that email, so we cannot tell which one is yours. Contact the IT help desk.";
  else errorBox.textContent = body.error?.message ?? "Something went wrong; try again.";
});

$("code-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = /** @type {HTMLInputElement} */ ($("code")).value;
  const { status, body } = await post("code", { session: state.session, code });
  if (status === 200) {
    state.record = body.record;
    show("step-idv");
    return;
  }
  errorBox.textContent = body.error?.code === "CODE_INVALID" ? `That code is not right (${body.triesLeft} tries left).` : (body.error?.message ?? "Start again.");
});

$("idv-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const scenario = /** @type {HTMLSelectElement} */ ($("scenario")).value;
  const { status, body } = await post("idv", { session: state.session, scenario });
  if (status !== 200 || !state.record) {
    errorBox.textContent = body.error?.message ?? "The verification service did not answer.";
    return;
  }
  state.idToken = body.idToken;
  const matcher = new ClaimsMatcher();
  let pre;
  try {
    pre = decideVerification(unverifiedClaims(body.idToken), state.record, matcher).result;
  } finally {
    matcher.free();
  }
  const summary = $("precheck-summary");
  summary.dataset.state = pre.state;
  summary.className = `decision-${pre.decision}`;
  summary.textContent = `Pre-check: ${explain(pre)} This is only a preview — the server decides when you continue.`;
  renderClaims($("precheck-claims"), pre);
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
    message.textContent = d.state === "success" ? "Identity confirmed. You can now reset your password." : explain(d);
    renderClaims(claims, d);
  } else {
    message.dataset.state = "refused";
    message.className = "decision decision-no_match";
    const code = body.error?.code ?? "ERROR";
    message.textContent = `The verification result was refused by the server (${code}). Nothing was changed; start the ID verification again.`;
  }
  show("step-result");
});

// The form stays disabled until its handler exists: a click before that would submit the page natively.
const emailSubmit = /** @type {HTMLButtonElement} */ ($("email-submit"));
emailSubmit.disabled = false;
$("engine-status").textContent = "WebAssembly engine ready";

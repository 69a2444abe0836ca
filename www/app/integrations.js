// @ts-check
// Integrations: the cards, the Okta Directory form (live validation), authorization and sync.
import { ApiError, ago, call, el, fmt, h, integrations, onChange, selectDirectory } from "./api.js";
import { REQUIRED_SCOPES, checkClientId, checkGroupId, checkKeyId, checkName, checkOrgUrl, inspectKey } from "./validate.js";

/** @typedef {import("./api.js").Integration} Integration @typedef {import("./api.js").Progress} Progress */

const STATE_LABELS = {
  draft: "Draft",
  awaiting_authorization: "Awaiting authorization",
  authorizing: "Checking authorization…",
  incomplete: "Incomplete",
  ready: "Ready",
  syncing: "Syncing",
  error: "Error",
};

/** Why an integration is where it is, in one sentence. @param {Integration} i */
function stateDetail(i) {
  switch (i.state) {
    case "draft":
      return "Add the service app's private key to continue setup.";
    case "awaiting_authorization":
      return "Check that Okta granted the app the scopes the sync needs.";
    case "authorizing":
      return "Asking Okta for a token and reading one page of users…";
    case "incomplete":
      return i.authorization?.missing.length
        ? `Okta did not grant ${i.authorization.missing.join(", ")}. Grant it to the app, then restart setup.`
        : `Authorization failed: ${i.authorization?.reason ?? "unknown reason"}`;
    case "error":
      return `The last sync failed: ${i.lastError?.message ?? ""} (${i.lastError?.code ?? ""})`;
    case "syncing":
      return "Sync in progress.";
    default:
      return i.lastSync ? "" : "Authorized. Not synced yet.";
  }
}

/** @param {Integration} i */
function lastSyncLine(i) {
  if (!i.lastSync) return null;
  const s = i.lastSync;
  return h(
    "p",
    { className: "muted" },
    `Last sync ${ago(s.at)}: ${fmt(s.users)} users, ${fmt(s.groups)} groups, ${fmt(s.memberships)} memberships in ${(s.durationMs / 1000).toFixed(1)} s.`,
  );
}

/**
 * A progress block: bar (determinate when a previous sync gives the expected user count), counters,
 * the current wait. @param {Integration} i @param {string} idPrefix
 */
function progressBlock(i, idPrefix) {
  const p = i.job?.progress ?? null;
  const expected = i.job?.expectedUsers ?? null;
  const bar = h("progress", { id: `${idPrefix}-bar`, "aria-label": `Sync progress of ${i.name}` });
  if (expected && p) {
    bar.max = expected;
    bar.value = Math.min(p.users, expected);
  }
  const text = h("p", { className: "progress-text", id: `${idPrefix}-text` }, progressText(p));
  return h("div", { className: "progress", "data-integration": i.id }, bar, text);
}

/** @param {Progress | null} p */
export function progressText(p) {
  if (!p) return "Starting…";
  const parts = [`${fmt(p.users)} users`, `${fmt(p.groups)} groups`, `${fmt(p.memberships)} memberships`, `${fmt(p.pages)} pages`];
  if (p.retries) parts.push(`${fmt(p.retries)} retries`);
  let line = parts.join(" · ");
  if (p.waiting) {
    const r = p.waiting.reason;
    const why =
      r.kind === "rateLimited" ? `rate limited (${r.bucket})` : r.kind === "pacing" ? `pacing for the rate limit (${r.bucket})` : r.kind;
    line += ` — waiting ${(p.waiting.ms / 1000).toFixed(1)} s: ${why}`;
  } else if (p.waitsMs > 0) {
    line += ` · waited ${(p.waitsMs / 1000).toFixed(1)} s for rate limits`;
  }
  return line;
}

/** Updates a rendered progress block in place (no re-render: the bar keeps its focus and animation). */
function updateProgress(/** @type {string} */ id, /** @type {Progress} */ p, /** @type {number | null | undefined} */ expected) {
  for (const block of document.querySelectorAll(`.progress[data-integration="${CSS.escape(id)}"]`)) {
    const bar = /** @type {HTMLProgressElement | null} */ (block.querySelector("progress"));
    if (bar && expected) {
      bar.max = expected;
      bar.value = Math.min(p.users, expected);
    }
    const text = block.querySelector(".progress-text");
    if (text) text.textContent = progressText(p);
  }
}

async function act(/** @type {() => Promise<unknown>} */ fn, /** @type {HTMLElement} */ errorBox) {
  errorBox.hidden = true;
  try {
    await fn();
  } catch (e) {
    errorBox.hidden = false;
    errorBox.textContent = e instanceof ApiError ? `${e.message} (${e.code})` : String(e);
  }
}

const startSync = (/** @type {string} */ id) => call(`/api/integrations/${id}/sync`, { method: "POST" });
const cancelSync = (/** @type {string} */ id) => call(`/api/integrations/${id}/sync/cancel`, { method: "POST" });
const checkAuthorization = (/** @type {string} */ id) => call(`/api/integrations/${id}/authorize`, { method: "POST" });

/**
 * The action buttons an integration offers in its state (on its own page, setup is right above).
 * @param {Integration} i @param {HTMLElement} errorBox @param {boolean} [onDetail]
 */
function actions(i, errorBox, onDetail = false) {
  const buttons = [];
  if (i.state === "syncing") {
    buttons.push(
      h("button", { type: "button", className: "secondary", onclick: () => act(() => cancelSync(i.id), errorBox) }, "Cancel sync"),
    );
  } else if (i.state === "ready" || i.state === "error") {
    buttons.push(h("button", { type: "button", onclick: () => act(() => startSync(i.id), errorBox) }, "Sync directory"));
  } else if (onDetail) {
    buttons.push(h("p", { className: "muted" }, "Syncing is available once the authorization is complete."));
  } else if (i.state !== "authorizing") {
    buttons.push(h("a", { className: "button", href: `#/integrations/${i.id}` }, "Continue setup"));
  }
  if (i.hasDirectory) {
    buttons.push(
      h("a", { className: "button secondary", href: "#/directory", onclick: () => selectDirectory(i.id) }, "Directory information"),
    );
  }
  return h("div", { className: "actions" }, ...buttons);
}

/**
 * Re-renders `root` without losing the keyboard focus: the focused control's place (its card and
 * position among the actions) is focused again, or the card's heading link.
 * @param {HTMLElement} root @param {() => void} render
 */
function keepFocus(root, render) {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !root.contains(active)) return render();
  const card = active.closest("[data-focus-scope]")?.getAttribute("data-focus-scope") ?? "";
  const controls = [...root.querySelectorAll(`[data-focus-scope="${CSS.escape(card)}"] .actions > *`)];
  const index = controls.indexOf(active);
  render();
  const selector = `[data-focus-scope="${CSS.escape(card)}"]`;
  const scope = root.matches(selector) ? root : root.querySelector(selector);
  const again = /** @type {HTMLElement | null | undefined} */ (
    (index >= 0 ? scope?.querySelectorAll(".actions > *")[index] : null) ?? scope?.querySelector(".actions > *, h2 a")
  );
  again?.focus();
}

// ---- List --------------------------------------------------------------------------------------

function renderList() {
  keepFocus(el("integration-cards"), renderCards);
}

function renderCards() {
  const list = el("integration-cards");
  const all = [...integrations.values()].sort((a, b) => a.createdAt - b.createdAt);
  el("integrations-empty").hidden = all.length > 0;
  list.replaceChildren(
    ...all.map((i) => {
      const errorBox = h("p", { className: "error", role: "alert", hidden: true });
      const detail = stateDetail(i);
      return h(
        "li",
        { className: "card", "data-state": i.state, "data-focus-scope": i.id },
        h(
          "div",
          { className: "card-head" },
          h("h2", { id: `card-${i.id}` }, h("a", { href: `#/integrations/${i.id}` }, i.name)),
          h("span", { className: `state state-${i.state}` }, STATE_LABELS[i.state]),
        ),
        h("p", { className: "muted org" }, `Okta Directory · ${i.orgUrl}`),
        detail ? h("p", { className: "state-detail" }, detail) : null,
        i.state === "syncing" ? progressBlock(i, `card-${i.id}-progress`) : lastSyncLine(i),
        i.lastError && i.state !== "error" && i.state !== "syncing" ? h("p", { className: "muted" }, i.lastError.message) : null,
        actions(i, errorBox),
        errorBox,
      );
    }),
  );
}

// ---- Detail: authorization and sync ------------------------------------------------------------

let detailId = "";

function renderDetail() {
  keepFocus(el("integration-detail"), renderDetailNow);
}

function renderDetailNow() {
  const root = el("integration-detail");
  root.setAttribute("data-focus-scope", detailId);
  const i = integrations.get(detailId);
  if (!i) {
    el("integration-title").textContent = "Integration not found";
    root.replaceChildren(
      h("p", {}, "This integration does not exist (any more). ", h("a", { href: "#/integrations" }, "Back to integrations")),
    );
    return;
  }
  el("integration-title").textContent = i.name;
  const errorBox = h("p", { className: "error", role: "alert", hidden: true });
  const auth = i.authorization;
  const granted = new Set(auth?.granted ?? []);
  const checked = auth !== undefined && (auth.code === undefined || auth.code === "AUTHORIZATION_INCOMPLETE");
  const scopeRows = REQUIRED_SCOPES.map((s) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, h("code", {}, s)),
      h(
        "td",
        {},
        !checked ? "Not checked" : granted.has(s) ? h("span", { className: "ok" }, "Granted") : h("span", { className: "bad" }, "Missing"),
      ),
    ),
  );
  const authButton =
    i.state === "authorizing"
      ? h("button", { type: "button", disabled: true }, "Checking…")
      : i.state === "draft"
        ? h("a", { className: "button", href: `#/integrations/${i.id}/edit` }, "Add the private key")
        : h(
            "button",
            { type: "button", onclick: () => act(() => checkAuthorization(i.id), errorBox) },
            i.state === "incomplete" ? "Restart setup" : i.state === "awaiting_authorization" ? "Check authorization" : "Check again",
          );

  root.replaceChildren(
    ...[
      h("p", {}, h("span", { className: `state state-${i.state}` }, STATE_LABELS[i.state]), " ", stateDetail(i)),
      h("h2", {}, "1. Settings"),
      h(
        "dl",
        { className: "settings" },
        h("dt", {}, "Okta instance URL"),
        h("dd", {}, i.orgUrl),
        h("dt", {}, "Client ID"),
        h("dd", {}, h("code", {}, i.clientId)),
        h("dt", {}, "Key"),
        h("dd", {}, i.hasKey ? `Stored on the server${i.keyId ? ` (kid ${i.keyId})` : ""}` : "Not provided"),
        h("dt", {}, "Workforce group"),
        h("dd", {}, i.workforceGroupId ? h("code", {}, i.workforceGroupId) : "None"),
      ),
      h("p", {}, h("a", { href: `#/integrations/${i.id}/edit` }, "Edit settings")),
      h("h2", {}, "2. Authorization"),
      h(
        "p",
        {},
        "The sync reads users and groups with an OAuth 2.0 service app (private_key_jwt). In the Okta Admin Console, grant the app these scopes under Okta API Scopes:",
      ),
      h(
        "table",
        { className: "scopes" },
        h("caption", { className: "sr" }, "Scopes the sync needs and whether Okta granted them"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Scope"), h("th", { scope: "col" }, "Status"))),
        h("tbody", {}, ...scopeRows),
      ),
      i.state === "incomplete" && auth?.reason ? h("p", { className: "bad", id: "authorization-reason" }, auth.reason) : null,
      auth ? h("p", { className: "muted" }, `Checked ${ago(auth.checkedAt)}.`) : null,
      h("div", { className: "actions" }, authButton),
      h("h2", {}, "3. Sync"),
      i.state === "syncing" ? progressBlock(i, "detail-progress") : lastSyncLine(i),
      i.lastError && i.state !== "error" ? h("p", { className: "muted" }, i.lastError.message) : null,
      actions(i, errorBox, true),
      errorBox,
      h("h2", {}, "Remove"),
      h(
        "button",
        {
          type: "button",
          className: "danger",
          onclick: () => {
            if (confirm(`Remove ${i.name}? Its settings, key, synced directory and verification history are deleted.`)) {
              void act(async () => {
                await call(`/api/integrations/${i.id}`, { method: "DELETE" });
                location.hash = "#/integrations";
              }, errorBox);
            }
          },
        },
        "Remove integration",
      ),
    ].filter((n) => n !== null),
  );
}

// ---- Form --------------------------------------------------------------------------------------

/** @type {Integration | undefined} */
let editing;
let keyText = "";
const touched = new Set();

const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (el(id));

/** Runs every field check; shows messages for touched fields (all when `all`). Returns whether all pass. */
function validate(all = false) {
  const loopback = input("f-loopback").checked;
  const inspected = keyText ? inspectKey(keyText) : null;
  const checks = {
    "f-name": checkName(input("f-name").value),
    "f-org": checkOrgUrl(input("f-org").value, loopback),
    "f-client": checkClientId(input("f-client").value),
    "f-kid": checkKeyId(input("f-kid").value),
    "f-group": checkGroupId(input("f-group").value),
    "f-keyfile": inspected?.error ?? (!keyText && !editing?.hasKey && all ? "Add the service app's private key (a PEM or JWK file)." : ""),
  };
  let ok = true;
  // After a submit, every field validates live (as it is typed, not on blur: no layout shift under the pointer).
  if (all) for (const id of Object.keys(checks)) touched.add(id);
  for (const [id, message] of Object.entries(checks)) {
    if (message) ok = false;
    if (!all && !touched.has(id)) continue;
    showFieldError(id, message);
  }
  const status = el("f-key-status");
  status.textContent =
    inspected && !inspected.error
      ? `${inspected.kind === "pem" ? "PKCS#8 PEM" : "JWK"} private key loaded${inspected.kid ? ` (kid ${inspected.kid})` : ""}.`
      : editing?.hasKey && !keyText
        ? "A key is stored on the server; choose a file only to replace it."
        : "";
  if (inspected && !inspected.error && inspected.kid && !input("f-kid").value) input("f-kid").value = inspected.kid;
  return ok;
}

function showFieldError(/** @type {string} */ id, /** @type {string} */ message) {
  const field = input(id);
  const box = el(`${id}-error`);
  box.textContent = message;
  box.hidden = !message;
  field.setAttribute("aria-invalid", message ? "true" : "false");
}

function resetForm() {
  touched.clear();
  keyText = "";
  const form = /** @type {HTMLFormElement} */ (el("integration-form"));
  form.reset();
  for (const box of form.querySelectorAll(".field-error")) {
    /** @type {HTMLElement} */ (box).hidden = true;
  }
  for (const f of form.querySelectorAll("[aria-invalid]")) f.setAttribute("aria-invalid", "false");
  el("form-error").hidden = true;
  el("f-key-status").textContent = "";
}

/** Shows the form for a new integration (after picking the directory type) or for editing one. @param {string | null} id */
export function showForm(id) {
  resetForm();
  editing = id ? integrations.get(id) : undefined;
  el("form-title").textContent = editing ? `Edit ${editing.name}` : "New integration";
  el("provider-picker").hidden = Boolean(editing);
  el("integration-form").hidden = !editing;
  if (editing) {
    input("f-name").value = editing.name;
    input("f-org").value = editing.orgUrl;
    input("f-loopback").checked = editing.insecureLoopback;
    input("f-client").value = editing.clientId;
    input("f-kid").value = editing.keyId ?? "";
    input("f-group").value = editing.workforceGroupId ?? "";
    validate();
  }
}

function setupForm() {
  const form = /** @type {HTMLFormElement} */ (el("integration-form"));
  el("pick-okta").addEventListener("click", () => {
    el("integration-form").hidden = false;
    input("f-name").focus();
  });
  for (const id of ["f-name", "f-org", "f-client", "f-kid", "f-group"]) {
    input(id).addEventListener("input", () => validate());
    input(id).addEventListener("blur", () => {
      if (input(id).value) touched.add(id);
      validate();
    });
  }
  input("f-loopback").addEventListener("change", () => {
    touched.add("f-org");
    validate();
  });
  input("f-keyfile").addEventListener("change", async () => {
    const file = input("f-keyfile").files?.[0];
    touched.add("f-keyfile");
    keyText = file ? (file.size > 64_000 ? "too large" : await file.text()) : "";
    validate();
  });
  /** @type {HTMLTextAreaElement} */ (el("f-keytext")).addEventListener("input", (e) => {
    keyText = /** @type {HTMLTextAreaElement} */ (e.target).value;
    touched.add("f-keyfile");
    validate();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!validate(true)) {
      const first = /** @type {HTMLElement | null} */ (form.querySelector('[aria-invalid="true"]'));
      first?.focus();
      return;
    }
    const body = {
      name: input("f-name").value,
      orgUrl: input("f-org").value,
      insecureLoopback: input("f-loopback").checked,
      clientId: input("f-client").value,
      keyId: input("f-kid").value,
      workforceGroupId: input("f-group").value,
      ...(keyText ? { privateKey: keyText } : {}),
    };
    const errorBox = el("form-error");
    errorBox.hidden = true;
    try {
      /** @type {Integration} */
      const saved = editing
        ? await call(`/api/integrations/${editing.id}`, { method: "PUT", body })
        : await call("/api/integrations", { method: "POST", body });
      keyText = "";
      integrations.set(saved.id, saved);
      location.hash = `#/integrations/${saved.id}`;
    } catch (e) {
      if (e instanceof ApiError && e.fields) {
        const map = {
          name: "f-name",
          orgUrl: "f-org",
          clientId: "f-client",
          keyId: "f-kid",
          workforceGroupId: "f-group",
          privateKey: "f-keyfile",
        };
        for (const [field, message] of Object.entries(e.fields))
          showFieldError(map[/** @type {keyof typeof map} */ (field)] ?? "f-name", message);
      }
      errorBox.hidden = false;
      errorBox.textContent = e instanceof ApiError ? e.message : String(e);
    }
  });
}

// ---- Wiring ------------------------------------------------------------------------------------

/** Shows the detail page of one integration. @param {string} id */
export function showDetail(id) {
  detailId = id;
  renderDetail();
}

export function setupIntegrations() {
  setupForm();
  onChange((e) => {
    if (e.type === "progress" && e.id && e.progress) {
      updateProgress(e.id, e.progress, e.expectedUsers);
      return;
    }
    renderList();
    if (detailId && (e.type !== "integration" || e.id === detailId)) renderDetail();
  });
  renderList();
}

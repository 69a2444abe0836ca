// @ts-check
// The page's view of the backend: JSON calls, the live integration list (Server-Sent Events), and small
// DOM helpers shared by the pages.

/**
 * @typedef {import("./integration.js").Progress} Progress
 * @typedef {import("./integration.js").Integration} Integration
 * @typedef {{ id: string, name: string, type: string, members: number }} GroupRow
 * @typedef {{ summary: { users: number, groups: number, memberships: number, usersByStatus: Record<string, number> },
 *   groups: GroupRow[], attributes: Array<{ name: string, required: boolean }>,
 *   users: { id: string[], name: string[], login: string[], email: string[], status: string[], enrollment: string[],
 *     missing: number[][], groups: number[][] } }} DirectoryTable
 * @typedef {{ user: import("/sdk/dist/browser.js").DirectoryUser, sources: Record<string, string>,
 *   issues: Array<{ field: string, code: string, source?: string }>, groups: GroupRow[], workforce: boolean | null,
 *   missing: Array<{ attribute: string, required: boolean }>, enrollment: import("/sdk/dist/browser.js").EnrollmentStatus,
 *   history: import("/sdk/dist/browser.js").VerificationRecord[], key?: string }} UserDetail
 */

/** An API failure with the server's code. */
export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [fields] */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<any>}
 */
export async function call(path, options = {}) {
  const response = await fetch(path, {
    method: options.method ?? "GET",
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { "content-type": "application/json" } }),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (data.errors) throw new ApiError(response.status, "INVALID_SETTINGS", "Some settings need attention.", data.errors);
    throw new ApiError(response.status, data.error?.code ?? "HTTP_ERROR", data.error?.message ?? `HTTP ${response.status}`);
  }
  return data;
}

// ---- Live integrations -------------------------------------------------------------------------

/** @type {Map<string, Integration>} */
export const integrations = new Map();
/** @type {Set<(event: { type: string, id?: string, progress?: Progress, expectedUsers?: number | null, entry?: any }) => void>} */
const listeners = new Set();
let loaded = false;
/** @type {Array<() => void>} */
const waitingForLoad = [];

/** Subscribes to integration changes (`integrations`, `integration`, `progress`, `removed`, `directory`). */
export function onChange(
  /** @type {(event: { type: string, id?: string, progress?: Progress, expectedUsers?: number | null, entry?: any }) => void} */ fn,
) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const emit = (/** @type {{ type: string, id?: string, progress?: Progress, expectedUsers?: number | null, entry?: any }} */ e) => {
  for (const fn of listeners) fn(e);
};

/** Resolves once the first integration list arrived. */
export function ready() {
  return loaded ? Promise.resolve() : new Promise((resolve) => waitingForLoad.push(() => resolve(undefined)));
}

export function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("integrations", (e) => {
    integrations.clear();
    for (const i of /** @type {Integration[]} */ (JSON.parse(/** @type {MessageEvent} */ (e).data))) integrations.set(i.id, i);
    loaded = true;
    for (const f of waitingForLoad.splice(0)) f();
    emit({ type: "integrations" });
  });
  source.addEventListener("integration", (e) => {
    /** @type {Integration} */
    const i = JSON.parse(/** @type {MessageEvent} */ (e).data);
    integrations.set(i.id, i);
    emit({ type: "integration", id: i.id });
  });
  source.addEventListener("progress", (e) => {
    const { id, progress, expectedUsers } = JSON.parse(/** @type {MessageEvent} */ (e).data);
    const i = integrations.get(id);
    if (i?.job) i.job.progress = progress;
    emit({ type: "progress", id, progress, expectedUsers });
  });
  source.addEventListener("removed", (e) => {
    const { id } = JSON.parse(/** @type {MessageEvent} */ (e).data);
    integrations.delete(id);
    emit({ type: "removed", id });
  });
  source.addEventListener("helpdesk", (e) => emit({ type: "helpdesk", entry: JSON.parse(/** @type {MessageEvent} */ (e).data) }));
  source.addEventListener("directory", (e) => emit({ type: "directory", id: JSON.parse(/** @type {MessageEvent} */ (e).data).id }));
}

/** The admin's session, or null when not signed in. @returns {Promise<{ signedIn: boolean, method?: string, name?: string | null } | null>} */
export async function session() {
  const res = await fetch("/auth/session");
  const body = res.ok ? await res.json() : null;
  return body?.signedIn ? body : null;
}

/** Signs out and goes to the sign-in page. */
export async function signOut() {
  await fetch("/auth/logout", { method: "POST" });
  location.assign("/signin.html");
}

/** Fills the development mailbox (admins only; hidden when a real mail server sends the codes). */
export async function loadMailbox() {
  const box = document.getElementById("mailbox-box");
  const list = document.getElementById("mailbox");
  if (!box || !list) return;
  /** @type {{ sender: string, messages: Array<{ to: string, subject: string, text: string, at: number }> }} */
  const data = await call("/api/mailbox");
  box.hidden = data.sender !== "dev-mailbox";
  list.replaceChildren(
    ...data.messages.map((m) => {
      const item = document.createElement("li");
      const head = document.createElement("strong");
      head.textContent = `To ${m.to} — ${m.subject}`;
      const body = document.createElement("p");
      body.textContent = m.text;
      item.append(head, body);
      return item;
    }),
  );
}

// ---- Selected directory ------------------------------------------------------------------------

let selected = "";
/** The integration whose directory the Directory, Readiness and Playground pages show. */
export function selectedDirectory() {
  const current = integrations.get(selected);
  if (current?.hasDirectory) return current;
  const first = [...integrations.values()].find((i) => i.hasDirectory);
  selected = first?.id ?? "";
  return first;
}
export function selectDirectory(/** @type {string} */ id) {
  selected = id;
  emit({ type: "selected", id });
}

/** Fills a `<select>` with the synced integrations and keeps it in step with the selection. @param {HTMLSelectElement} select */
export function bindDirectoryPicker(select) {
  const fill = () => {
    const current = selectedDirectory();
    const options = [...integrations.values()].filter((i) => i.hasDirectory);
    select.replaceChildren(...options.map((i) => new Option(i.name, i.id, false, i.id === current?.id)));
    select.disabled = options.length < 2;
  };
  select.addEventListener("change", () => selectDirectory(select.value));
  onChange((e) => {
    if (e.type !== "progress") fill();
  });
  fill();
}

// ---- DOM helpers -------------------------------------------------------------------------------

/** @param {string} id */
export function el(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}

/**
 * Creates an element: `h("td", {className: "x"}, "text", child)`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {Array<Node | string | null | undefined | false>} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("aria-") || key.startsWith("data-") || key === "role" || key === "for") node.setAttribute(key, String(value));
    else {
      const target = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node));
      target[key] = value;
    }
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export const fmt = (/** @type {number} */ n) => n.toLocaleString("en");

/** "3 min ago" style relative time. @param {number} ms */
export function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString("en");
}

/** Human label of an enrollment status. */
export const ENROLLMENT_LABELS = /** @type {Record<string, string>} */ ({
  enrolled: "Enrolled",
  not_enrolled: "Not enrolled",
  needs_attributes: "Needs attributes",
  inactive: "Inactive",
});

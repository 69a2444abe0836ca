// @ts-check
// Directory information: a virtualized user table (only the visible rows exist in the DOM, so 100,000
// users scroll as smoothly as 100), search, filters and the user detail panel.
import { ENROLLMENT_LABELS, ago, bindDirectoryPicker, call, el, fmt, h, onChange, selectedDirectory } from "./api.js";
import { attributeLabel, breakable, statusDot, statusLabel } from "./labels.js";

/** @typedef {import("./api.js").DirectoryTable} DirectoryTable @typedef {import("./api.js").UserDetail} UserDetail */

const ROW_HEIGHT = 40;
const OVERSCAN = 8;

/** @type {DirectoryTable | null} */
let table = null;
let loadedFor = "";
let loadedSyncAt = 0;
/** Lower-cased, accent-free "name login email" per user, built once per load. @type {string[]} */
let haystack = [];
/** Indices of the users passing the filters. @type {Int32Array} */
let visible = new Int32Array(0);
let active = false;

const fold = (/** @type {string} */ s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const select = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ (el(id));

async function load() {
  const i = selectedDirectory();
  el("directory-empty").hidden = Boolean(i);
  el("directory-data").hidden = !i;
  if (!i) return;
  if (loadedFor === i.id && loadedSyncAt === (i.lastSync?.at ?? 0) && table) return;
  el("users-count").textContent = "Loading the directory…";
  /** @type {DirectoryTable} */
  const data = await call(`/api/integrations/${i.id}/directory`);
  table = data;
  loadedFor = i.id;
  loadedSyncAt = i.lastSync?.at ?? 0;
  const u = data.users;
  haystack = u.id.map((_, n) => fold(`${u.name[n]}\u0000${u.login[n]}\u0000${u.email[n]}`));
  const statuses = Object.entries(data.summary.usersByStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, c]) => `${fmt(c)} ${statusLabel(s).toLowerCase()}`)
    .join(", ");
  el("directory-summary").textContent =
    `${fmt(data.summary.users)} users (${statuses}), ${fmt(data.summary.groups)} groups, ${fmt(data.summary.memberships)} memberships` +
    (i.lastSync ? `, synced ${ago(i.lastSync.at)}.` : ".");
  fillFilters(data);
  applyFilters();
}

function fillFilters(/** @type {DirectoryTable} */ data) {
  const keep = (/** @type {HTMLSelectElement} */ s, /** @type {HTMLOptionElement[]} */ options) => {
    const previous = s.value;
    s.replaceChildren(...options);
    if ([...s.options].some((o) => o.value === previous)) s.value = previous;
  };
  keep(select("filter-group"), [
    new Option("All groups", ""),
    ...data.groups.map((g, n) => new Option(`${g.name} (${fmt(g.members)})`, String(n))),
  ]);
  keep(select("filter-status"), [
    new Option("All statuses", ""),
    ...Object.keys(data.summary.usersByStatus).map((s) => new Option(statusLabel(s), s)),
  ]);
  keep(select("filter-enrollment"), [
    new Option("All", ""),
    ...Object.entries(ENROLLMENT_LABELS).map(([v, label]) => new Option(label, v)),
  ]);
  keep(select("filter-missing"), [
    new Option("Any or none", ""),
    new Option("Any required attribute", "required"),
    ...data.attributes.map((a, n) => new Option(`${attributeLabel(a.name)}${a.required ? " (required)" : " (optional)"}`, String(n))),
  ]);
}

function applyFilters() {
  if (!table) return;
  const u = table.users;
  const query = fold(/** @type {HTMLInputElement} */ (el("user-search")).value.trim());
  const group = select("filter-group").value === "" ? -1 : Number(select("filter-group").value);
  const status = select("filter-status").value;
  const enrollment = select("filter-enrollment").value;
  const missingValue = select("filter-missing").value;
  const missing = missingValue === "" || missingValue === "required" ? -1 : Number(missingValue);
  const requiredIdx = new Set(table.attributes.flatMap((a, n) => (a.required ? [n] : [])));
  const out = new Int32Array(u.id.length);
  let count = 0;
  for (let n = 0; n < u.id.length; n++) {
    if (status && u.status[n] !== status) continue;
    if (enrollment && u.enrollment[n] !== enrollment) continue;
    if (group >= 0 && !u.groups[n]?.includes(group)) continue;
    if (missing >= 0 && !u.missing[n]?.includes(missing)) continue;
    if (missingValue === "required" && !u.missing[n]?.some((a) => requiredIdx.has(a))) continue;
    if (query && !haystack[n]?.includes(query)) continue;
    out[count++] = n;
  }
  visible = out.subarray(0, count);
  el("users-count").textContent = `Showing ${fmt(count)} of ${fmt(u.id.length)} users`;
  const scroller = el("users-scroll");
  scroller.scrollTop = 0;
  el("users-table").setAttribute("aria-rowcount", String(count + 1));
  renderRows();
}

let lastRange = "";
/** Renders only the rows in (and just around) the viewport, between two spacer rows. */
function renderRows(force = true) {
  if (!table) return;
  const scroller = el("users-scroll");
  const head = /** @type {HTMLElement} */ (el("users-table").querySelector("thead"));
  const top = Math.max(0, scroller.scrollTop - head.offsetHeight);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((top + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const range = `${first}:${last}:${visible.length}`;
  if (!force && range === lastRange) return;
  lastRange = range;
  const u = table.users;
  const attrs = table.attributes;
  const rows = [];
  for (let k = first; k < last; k++) {
    const n = /** @type {number} */ (visible[k]);
    const missing = u.missing[n] ?? [];
    const required = missing.filter((a) => attrs[a]?.required);
    const enrollment = u.enrollment[n] ?? "";
    rows.push(
      h(
        "tr",
        { className: "row", "aria-rowindex": k + 2, "data-user": u.id[n] },
        h("td", {}, h("button", { type: "button", className: "link", "data-open": n }, u.name[n] || "(no name)")),
        h("td", { className: "col-login" }, u.login[n] ?? ""),
        h("td", { className: "col-status" }, statusDot(u.status[n] ?? "")),
        h("td", {}, h("span", { className: `pill enroll-${enrollment}` }, ENROLLMENT_LABELS[enrollment] ?? enrollment)),
        h(
          "td",
          { className: "col-missing" },
          ...required.map((a) =>
            h("span", { className: "badge MISSING", title: "Required by the claims policy" }, attributeLabel(attrs[a]?.name ?? "")),
          ),
        ),
      ),
    );
  }
  const spacer = (/** @type {number} */ px) => {
    const cell = h("td", { colSpan: 5 });
    cell.style.height = `${px}px`; // CSSOM, allowed by the page's CSP (no inline style attributes)
    return h("tr", { className: "spacer", "aria-hidden": "true" }, cell);
  };
  // Tabbing through the rows scrolls the table: keep the focused user's button focused across the re-render.
  const body = el("users-body");
  const focused =
    document.activeElement instanceof HTMLElement && body.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-open")
      : null;
  body.replaceChildren(spacer(first * ROW_HEIGHT), ...rows, spacer((visible.length - last) * ROW_HEIGHT));
  if (focused !== null) /** @type {HTMLElement | null} */ (body.querySelector(`[data-open="${focused}"]`))?.focus({ preventScroll: true });
}

// ---- Detail panel ------------------------------------------------------------------------------

const FIELDS = /** @type {Array<[string, (u: any) => unknown, string]>} */ ([
  ["Okta id", (u) => u.id, ""],
  ["Status", (u) => statusLabel(u.status ?? ""), ""],
  ["Login", (u) => u.login, "login"],
  ["Email", (u) => u.email, "email"],
  ["Second email", (u) => u.secondEmail, "secondEmail"],
  ["Given name", (u) => u.name?.given, "givenName"],
  ["Middle name", (u) => u.name?.middle, "middleName"],
  ["Family name", (u) => u.name?.family, "familyName"],
  ["Birthdate", (u) => u.birthdate, "birthdate"],
  ["Street", (u) => u.address?.streetAddress, "streetAddress"],
  ["City", (u) => u.address?.locality, "locality"],
  ["Region", (u) => u.address?.region, "region"],
  ["Postal code", (u) => u.address?.postalCode, "postalCode"],
  ["Country", (u) => u.address?.country, "country"],
  ["Mobile phone", (u) => u.phones?.mobile, "mobilePhone"],
  ["Employee number", (u) => u.employeeNumber, "employeeNumber"],
  ["Last updated", (u) => u.lastUpdated, ""],
]);

/** Opens the detail panel of one user (by Okta id). @param {string} userId */
export async function openUser(userId) {
  const i = selectedDirectory();
  if (!i) return;
  /** @type {UserDetail} */
  const d = await call(`/api/integrations/${i.id}/users/${encodeURIComponent(userId)}`);
  const dialog = /** @type {HTMLDialogElement} */ (el("user-dialog"));
  const u = d.user;
  const name = [u.name?.given, u.name?.family].filter(Boolean).join(" ") || u.login || u.id || "User";
  el("user-dialog-title").textContent = name;
  const e = d.enrollment;
  const enrollmentText =
    e.status === "needs_attributes"
      ? `Needs attributes: ${e.missing.map(attributeLabel).join(", ")}`
      : e.status === "enrolled"
        ? `Enrolled (verified ${new Date(e.last.atMs).toLocaleString("en")})`
        : (ENROLLMENT_LABELS[e.status] ?? e.status);
  el("user-dialog-body").replaceChildren(
    h(
      "p",
      {},
      h("span", { className: `pill enroll-${e.status}` }, enrollmentText),
      " ",
      d.workforce === null
        ? ""
        : d.workforce
          ? h("span", { className: "pill" }, "Workforce")
          : h("span", { className: "pill muted" }, "Not in the Workforce group"),
    ),
    h("h3", {}, "Missing attributes"),
    d.missing.length
      ? h(
          "ul",
          { className: "badges", id: "user-missing" },
          ...d.missing.map((m) =>
            h(
              "li",
              {},
              h("span", { className: `badge ${m.required ? "MISSING" : "OPTIONAL"}` }, attributeLabel(m.attribute)),
              m.required ? " required by the claims policy" : " (optional, not needed to verify)",
            ),
          ),
        )
      : h(
          "p",
          {},
          u.status === "ACTIVE" || !d.missing ? "None: every attribute the claims policy uses is present." : "Not audited (inactive user).",
        ),
    h("h3", {}, "Normalized attributes"),
    h(
      "table",
      { className: "fields" },
      h("caption", { className: "sr" }, "Normalized attributes and their Okta sources"),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Attribute"), h("th", { scope: "col" }, "Value"), h("th", { scope: "col" }, "Okta source")),
      ),
      h(
        "tbody",
        {},
        ...FIELDS.map(([label, get, key]) => {
          const value = get(u);
          return h(
            "tr",
            {},
            h("th", { scope: "row" }, label),
            h("td", { className: "value" }, value == null ? "—" : breakable(String(value))),
            h("td", { className: "source" }, (key && d.sources[key]) || ""),
          );
        }),
      ),
    ),
    h("h3", {}, `Groups (${d.groups.length})`),
    h("ul", { className: "groups" }, ...d.groups.map((g) => h("li", {}, g.name, h("span", { className: "muted" }, ` ${g.type}`)))),
    h("h3", {}, "Verification history"),
    d.history.length
      ? h(
          "ol",
          { className: "history" },
          ...d.history.map((r) =>
            h(
              "li",
              {},
              `${new Date(r.atMs).toLocaleString("en")}: `,
              h("strong", {}, r.decision.replace("_", " ")),
              r.matched.length ? ` (matched ${r.matched.join(", ")})` : "",
              h("span", { className: "muted" }, ` policy ${r.policyId}`),
            ),
          ),
        )
      : h("p", {}, "No verification recorded yet."),
    h(
      "p",
      {},
      h(
        "a",
        {
          href: "#/playground",
          "data-login": u.login ?? "",
          onclick: () => {
            sessionStorage.setItem("playground-login", u.login ?? "");
            dialog.close();
          },
        },
        "Verify this user in the claims playground",
      ),
    ),
  );
  if (!dialog.open) dialog.showModal();
}

// ---- Wiring ------------------------------------------------------------------------------------

/** Shows the page: (re)loads the selected directory when needed. */
export function showDirectory() {
  active = true;
  return load();
}
export function hideDirectory() {
  active = false;
}

export function setupDirectory() {
  bindDirectoryPicker(select("directory-picker"));
  let timer = 0;
  el("user-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(applyFilters, 120);
  });
  for (const id of ["filter-group", "filter-status", "filter-enrollment", "filter-missing"])
    el(id).addEventListener("change", applyFilters);
  el("filters").addEventListener("submit", (e) => e.preventDefault());
  el("filters").addEventListener("reset", () => setTimeout(applyFilters));
  let frame = 0;
  el("users-scroll").addEventListener("scroll", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => renderRows(false));
  });
  window.addEventListener("resize", () => active && renderRows(false));
  // Focusing a row near the rendered edge scrolls the table at once: render the new range now, not at the
  // next frame, so that fast Tab presses never run past the last rendered row.
  el("users-body").addEventListener("focusin", () => renderRows(false));
  el("users-body").addEventListener("click", (e) => {
    const button = /** @type {HTMLElement} */ (e.target).closest("[data-open]");
    const n = button ? Number(button.getAttribute("data-open")) : -1;
    const id = table?.users.id[n];
    if (id) void openUser(id);
  });
  el("user-dialog-close").addEventListener("click", () => /** @type {HTMLDialogElement} */ (el("user-dialog")).close());
  onChange((e) => {
    if (e.type === "directory" && e.id === loadedFor) loadedSyncAt = -1; // a verification changed an enrollment status
    if (active && e.type !== "progress") void load();
  });
}

// @ts-check
// The dashboard shell: hash routes → pages, the live integration list, the engine status.
import { bindDirectoryPicker, connect, el, loadMailbox, ready, session, signOut } from "./api.js";
import { hideDirectory, setupDirectory, showDirectory } from "./directory.js";
import { setupHelpdesk, showAudit } from "./helpdesk.js";
import { setupRuns, showRuns } from "./sync-history.js";
import { setupIntegrations, showDetail, showForm } from "./integrations.js";
import { setupNormalizer } from "./normalizer.js";
import { setupPlayground, showPlayground } from "./playground.js";
import { setupPolicy, showPolicy } from "./policy.js";
import { hideReadiness, setupReadiness, showReadiness } from "./readiness.js";

const TITLES = /** @type {Record<string, string>} */ ({
  integrations: "Integrations",
  helpdesk: "Helpdesk verification",
  audit: "Verification log",
  form: "New integration",
  integration: "Integration",
  directory: "Directory information",
  readiness: "Readiness",
  policy: "Matching policy",
  playground: "Claims playground",
  normalizer: "Profile normalizer",
});

/** Which page a hash shows, and with what argument. @param {string} hash */
function route(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [a = "integrations", b, c] = parts;
  if (a === "integrations" && b === "new") return { page: "form", arg: null };
  if (a === "integrations" && b && c === "edit") return { page: "form", arg: b };
  if (a === "integrations" && b) return { page: "integration", arg: b };
  if (a in TITLES && a !== "form" && a !== "integration") return { page: a, arg: null };
  return { page: "integrations", arg: null };
}

let first = true;
async function show() {
  // In-page anchors such as the skip link ("#main") are not routes.
  if (location.hash && !location.hash.startsWith("#/")) return;
  const { page, arg } = route(location.hash);
  for (const dialog of document.querySelectorAll("dialog[open]")) /** @type {HTMLDialogElement} */ (dialog).close();
  for (const section of document.querySelectorAll("main > section[data-page]")) {
    /** @type {HTMLElement} */ (section).hidden = section.getAttribute("data-page") !== page;
  }
  const navKey = page === "form" || page === "integration" ? "integrations" : page;
  for (const link of document.querySelectorAll("nav.sidebar a")) {
    if (link.getAttribute("data-nav") === navKey) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (page !== "directory") hideDirectory();
  if (page !== "readiness") hideReadiness();
  await ready();
  if (page === "form") showForm(arg);
  if (page === "integration" && arg) {
    showDetail(arg);
    void showRuns(arg);
  }
  document.title = `${page === "integration" ? el("integration-title").textContent : TITLES[page]} — okta-directory`;
  if (!first) {
    const heading = /** @type {HTMLElement | null} */ (document.querySelector(`section[data-page="${page}"] h1`));
    heading?.focus();
  }
  first = false;
  if (page === "directory") await showDirectory();
  if (page === "readiness") await showReadiness();
  if (page === "playground") await showPlayground();
  if (page === "audit") await showAudit();
  if (page === "policy") await showPolicy();
}

// Every admin route needs a session: without one, the sign-in page.
const signedIn = await session();
if (!signedIn) {
  location.replace("/signin.html");
  await new Promise(() => {});
}
el("admin-name").textContent =
  signedIn?.method === "okta" ? `Signed in as ${signedIn.name ?? "an Okta admin"}` : "Signed in with the bootstrap token";
el("admin-initial").textContent = signedIn?.method === "okta" ? (signedIn.name ?? "A").trim().charAt(0).toUpperCase() || "A" : "B";
el("sign-out").addEventListener("click", () => void signOut());
el("mailbox-refresh").addEventListener("click", () => void loadMailbox());
void loadMailbox();
setInterval(() => void loadMailbox().catch(() => undefined), 3000);
connect();
setupIntegrations();
setupDirectory();
setupReadiness();
setupPlayground();
setupNormalizer();
setupHelpdesk();
setupRuns();
setupPolicy();
bindDirectoryPicker(/** @type {HTMLSelectElement} */ (el("header-picker")));
window.addEventListener("hashchange", () => void show());
el("engine-status").textContent = "Engine ready (WebAssembly)";
void show();

// @ts-check
// An integration's sync schedule (two cadences, saved with the integration: incremental runs and a less frequent
// full reconcile; the server's scheduler runs due syncs) and its last runs: when, why, which kind, how long,
// users added / changed / removed, requests and waits.
import { ApiError, call, el, fmt, h, onChange } from "./api.js";

/** @typedef {{ startedAt: number, durationMs: number, trigger: string, mode: string, outcome: string, users: number | null,
 *   added: number, changed: number, removed: number, requests: number, retries: number, waitsMs: number, errorCode: string | null }} SyncRun */

let shownFor = "";

const OUTCOMES = /** @type {Record<string, [string, string]>} */ ({
  completed: ["Completed", "ok"],
  cancelled: ["Cancelled (previous directory kept)", "muted"],
  failed: ["Failed", "bad"],
});

const seconds = (/** @type {number} */ ms) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Shows the schedule and runs of an integration. @param {string} id */
export async function showRuns(id) {
  shownFor = id;
  /** @type {{ schedule: { intervalMin: number, fullIntervalMin?: number, mode?: string }, runs: SyncRun[] }} */
  const data = await call(`/api/integrations/${encodeURIComponent(id)}/runs`).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return { schedule: { intervalMin: 0, fullIntervalMin: 0 }, runs: [] };
    throw e;
  });
  if (shownFor !== id) return;
  // A schedule saved before the two cadences (mode "full") is a full reconcile every intervalMin.
  const legacy = data.schedule.fullIntervalMin === undefined && data.schedule.mode === "full";
  const incremental = legacy ? 0 : data.schedule.intervalMin;
  const full = legacy ? data.schedule.intervalMin : (data.schedule.fullIntervalMin ?? 0);
  const select = /** @type {HTMLSelectElement} */ (el("schedule-interval"));
  const fullSelect = /** @type {HTMLSelectElement} */ (el("schedule-full"));
  if (document.activeElement !== select) select.value = String(incremental);
  if (document.activeElement !== fullSelect) fullSelect.value = String(full);
  const said = (/** @type {HTMLSelectElement} */ s) => (s.selectedOptions[0]?.textContent ?? "").toLowerCase();
  const parts = [incremental ? `incremental ${said(select)}` : "", full ? `full reconcile ${said(fullSelect)}` : ""].filter(Boolean);
  el("schedule-status").textContent = parts.length ? `Scheduled: ${parts.join(", ")}.` : "No schedule: syncs run when you start them.";
  /** @type {HTMLTableElement} */ (el("runs-table")).tBodies[0].replaceChildren(
    ...(data.runs.length
      ? data.runs.map((r) => {
          const [label, tone] = OUTCOMES[r.outcome] ?? [r.outcome, "muted"];
          return h(
            "tr",
            { "data-outcome": r.outcome },
            h("td", {}, new Date(r.startedAt).toLocaleString("en")),
            h("td", {}, r.trigger === "schedule" ? "Scheduled" : "Manual"),
            h("td", {}, r.mode === "incremental" ? "Incremental" : "Full reconcile"),
            h(
              "td",
              {},
              h("span", { className: `dot tone-${tone}` }, label),
              r.errorCode && r.outcome === "failed" ? ` (${r.errorCode})` : "",
            ),
            h("td", { className: "num" }, seconds(r.durationMs)),
            h("td", { className: "num" }, r.users === null ? "—" : fmt(r.users)),
            h("td", { className: "num" }, fmt(r.added)),
            h("td", { className: "num" }, fmt(r.changed)),
            h("td", { className: "num" }, fmt(r.removed)),
            h("td", { className: "num" }, fmt(r.requests)),
            h("td", { className: "num" }, r.waitsMs ? seconds(r.waitsMs) : "none"),
          );
        })
      : [h("tr", {}, h("td", { colSpan: 11 }, "No sync yet."))]),
  );
}

export function setupRuns() {
  el("schedule-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = shownFor;
    try {
      await call(`/api/integrations/${encodeURIComponent(id)}/schedule`, {
        method: "PUT",
        body: {
          intervalMin: Number(/** @type {HTMLSelectElement} */ (el("schedule-interval")).value),
          fullIntervalMin: Number(/** @type {HTMLSelectElement} */ (el("schedule-full")).value),
        },
      });
      await showRuns(id);
    } catch (e) {
      el("schedule-status").textContent = e instanceof ApiError ? `${e.message} (${e.code})` : "The schedule could not be saved.";
    }
  });
  onChange((e) => {
    if (e.type === "integration" && e.id === shownFor && !el("sync-history").closest("section[data-page]")?.hasAttribute("hidden"))
      void showRuns(shownFor);
  });
}

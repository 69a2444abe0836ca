// Dashboard at scale: the demo server on an emulated directory of N users (default 100,000), measured in
// headless Chromium: server start-up (emulator, sync, view), directory load in the page, search and filter
// time, long tasks while scrolling the virtualized table, rows in the DOM.
//
//   node bench/dashboard-browser.mjs [users]
import { launch, startServer } from "../tests/e2e/browser.mjs";

const users = Number(process.argv[2] ?? 100_000);
const t0 = performance.now();
const server = await startServer("--demo", "--demo-users", String(users));
const { page, close } = await launch({ width: 1440, height: 900 });
try {
  await page.goto(server.url);
  const card = page.locator(".card", { hasText: "Demo directory" });
  await card.getByText(/Last sync/).waitFor({ timeout: 600_000 });
  const ready = performance.now();
  const size = (await (await fetch(`${server.url}api/integrations/demo/directory`)).text()).length;

  const loadStart = performance.now();
  await page.goto(`${server.url}#/directory`);
  await page
    .getByRole("status")
    .filter({ hasText: `Showing ${users.toLocaleString("en")} of` })
    .waitFor({ timeout: 120_000 });
  const loadMs = performance.now() - loadStart;

  // Search and filters: time from the change to the new count, in the page (debounce excluded).
  /** @param {string} selector @param {string} value */
  const timeChange = (selector, value) =>
    page.evaluate(
      ([sel, v]) =>
        /** @type {Promise<number>} */ (
          new Promise((resolve) => {
            const status = /** @type {HTMLElement} */ (document.getElementById("users-count"));
            const control = /** @type {HTMLInputElement | HTMLSelectElement} */ (document.querySelector(sel));
            const before = status.textContent;
            let start = 0;
            new MutationObserver((_, obs) => {
              if (status.textContent !== before) {
                obs.disconnect();
                resolve(performance.now() - start);
              }
            }).observe(status, { childList: true, characterData: true, subtree: true });
            control.value = v;
            if (control instanceof HTMLSelectElement) {
              start = performance.now();
              control.dispatchEvent(new Event("change"));
            } else {
              control.dispatchEvent(new Event("input"));
              start = performance.now() + 120; // the search waits 120 ms for the next keystroke
            }
          })
        ),
      [selector, value],
    );
  const searchMs = await timeChange("#user-search", "mar");
  const clearMs = await timeChange("#user-search", "");
  const filterMs = await timeChange("#filter-missing", "required");
  await timeChange("#filter-missing", "");

  // Baseline: long tasks in 3 s of doing nothing (a loaded machine shows some).
  const idleLongTasks = await page.evaluate(async () => {
    let n = 0;
    const observer = new PerformanceObserver((list) => (n += list.getEntries().length));
    observer.observe({ type: "longtask", buffered: false });
    await new Promise((r) => setTimeout(r, 3000));
    observer.disconnect();
    return n;
  });
  // Scroll through the whole table in 200 steps; count long tasks (> 50 ms) and the rows in the DOM.
  const scroll = await page.evaluate(async () => {
    /** @type {number[]} */
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: "longtask", buffered: false });
    const scroller = /** @type {HTMLElement} */ (document.getElementById("users-scroll"));
    let maxRows = 0;
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const start = performance.now();
    for (let i = 0; i <= 200; i++) {
      scroller.scrollTop = (scroller.scrollHeight * i) / 200;
      await frame();
      maxRows = Math.max(maxRows, document.querySelectorAll("#users-body tr.row").length);
    }
    const elapsed = performance.now() - start;
    observer.disconnect();
    return { longTasks: longTasks.length, worstLongTaskMs: Math.max(0, ...longTasks), maxRows, msPerStep: elapsed / 201 };
  });
  const r = (/** @type {number} */ n) => Math.round(n);
  console.log(
    JSON.stringify(
      {
        users,
        serverReadyMs: r(ready - t0),
        tableJsonMB: +(size / 1e6).toFixed(1),
        directoryLoadMs: r(loadMs),
        searchMs: r(searchMs),
        clearSearchMs: r(clearMs),
        missingFilterMs: r(filterMs),
        idleLongTasksIn3s: idleLongTasks,
        scroll: { ...scroll, msPerStep: +scroll.msPerStep.toFixed(1), worstLongTaskMs: r(scroll.worstLongTaskMs) },
      },
      null,
      2,
    ),
  );
} finally {
  await close();
  await server.stop();
}

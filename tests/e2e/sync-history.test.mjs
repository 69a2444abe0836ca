// Sync schedule and history: the scheduler's due logic (fake clock), the users diff, the schedule check, and
// in a real browser an integration's history (a second sync recorded with its counts) and schedule (saved
// with the integration, kept across a reload).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { checkSchedule, createScheduler, diffUsers } from "../../www/server/schedule.mjs";
import { axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

test("scheduler: starts only ready, idle integrations whose interval has passed since their last run", async () => {
  let now = 10 * 3600_000;
  const started = [];
  const last = { a: now - 59 * 60_000, b: now - 61 * 60_000, c: null, d: now - 2 * 3600_000, e: now - 2 * 3600_000 };
  const list = [
    { id: "a", state: "ready", schedule: { intervalMin: 60, mode: "full" } }, // 59 min ago: not yet
    { id: "b", state: "ready", schedule: { intervalMin: 60, mode: "full" } }, // 61 min ago: due
    { id: "c", state: "ready", schedule: { intervalMin: 15, mode: "full", since: now - 16 * 60_000 } }, // never ran; scheduled 16 min ago
    { id: "d", state: "incomplete", schedule: { intervalMin: 15, mode: "full" } }, // not authorized
    { id: "e", state: "ready", schedule: { intervalMin: 0, mode: "full" } }, // no schedule
    { id: "f", state: "ready", schedule: { intervalMin: 15, mode: "full" } }, // running
  ];
  const scheduler = createScheduler({ list: () => list, lastStart: async (id) => last[id] ?? null, busy: (id) => id === "f", run: (id) => started.push(id), now: () => now });
  assert.deepEqual(await scheduler.tick(), ["b", "c"]);
  now += 60_000;
  assert.deepEqual(await scheduler.tick(), ["a", "b", "c"]);
  assert.deepEqual(started, ["b", "c", "a", "b", "c"]);
});

test("diffUsers counts added, changed and removed users by Okta id", () => {
  const u = (id, family) => ({ user: { id, name: { family } } });
  assert.deepEqual(diffUsers(undefined, [u("1", "A"), u("2", "B")]), { added: 2, changed: 0, removed: 0 });
  assert.deepEqual(diffUsers([u("1", "A"), u("2", "B"), u("3", "C")], [u("1", "A"), u("2", "X"), u("4", "D")]), { added: 1, changed: 1, removed: 1 });
});

test("checkSchedule accepts the offered intervals only", () => {
  assert.deepEqual(checkSchedule({ intervalMin: 60 }).schedule, { intervalMin: 60, mode: "full" });
  for (const bad of [1, -5, "60x", null, 10_000]) assert.ok(checkSchedule({ intervalMin: bad }).error, String(bad));
});

let server;
before(async () => {
  server = await startServer("--demo", "--demo-users", "300");
  for (let k = 0; k < 300; k++) {
    const list = await (await server.adminFetch("api/integrations")).json();
    if (list[0]?.hasDirectory && list[0].state === "ready") return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the demo directory did not sync");
});
after(async () => {
  await server?.stop();
});

test("integration page: sync history with counts, a schedule saved with the integration; axe and 390 px", async () => {
  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  await server.signIn(page);
  try {
    await page.goto(`${server.url}#/integrations/demo`);
    const rows = page.locator("#runs-table tbody tr[data-outcome]");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const cells = async (n) => (await rows.nth(n).locator("td").allTextContents()).map((t) => t.trim());
    const first = await cells(0);
    assert.deepEqual([first[2], first[4], first[5], first[6], first[7]], ["Completed", "300", "300", "0", "0"]);
    assert.ok(Number(first[8]) > 0, "requests counted");

    // A second sync: nothing changed in Okta, so nothing added, changed or removed.
    await page.locator("#integration-detail").getByRole("button", { name: "Sync directory" }).click();
    await page.locator("#runs-table tbody tr[data-outcome]").nth(1).waitFor({ timeout: 60_000 });
    const second = await cells(0);
    assert.deepEqual([second[1], second[2], second[4], second[5], second[6], second[7]], ["Manual", "Completed", "300", "0", "0", "0"]);

    // The schedule is saved with the integration and survives a reload.
    await page.getByLabel("Sync automatically").selectOption("60");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await page.locator("#schedule-status", { hasText: "Scheduled: every hour." }).waitFor();
    await page.reload();
    await page.locator("#schedule-status", { hasText: "Scheduled: every hour." }).waitFor();
    const stored = await (await server.adminFetch("api/integrations/demo")).json();
    assert.equal(stored.schedule.intervalMin, 60);
    const refused = await server.adminFetch("api/integrations/demo/schedule", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ intervalMin: 1 }) });
    assert.equal(refused.status, 400);
    await page.locator("#sync-history").scrollIntoViewIfNeeded();
    await screenshot(page, "sync-history-1440");
    const docs = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
    mkdirSync(docs, { recursive: true });
    copyFileSync(fileURLToPath(new URL("../../.cache/screenshots/sync-history-1440.png", import.meta.url)), join(docs, "sync-history-1440.png"));
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

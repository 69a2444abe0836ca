// Sync schedule and history: the scheduler's due logic (fake clock), the users diff, the schedule check, and
// in a real browser an integration's history (a second sync recorded with its counts) and schedule (saved
// with the integration, kept across a reload).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { checkSchedule, createScheduler, diffUsers, mergeIncremental } from "../../www/server/schedule.mjs";
import { axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @typedef {import("../../www/server/schedule.mjs").Schedule} Schedule */
/** @typedef {import("./browser.mjs").EmulatorUser} EmulatorUser */

test("scheduler: starts only ready, idle integrations whose interval has passed since their last run", async () => {
  let now = 10 * 3600_000;
  /** @type {string[]} */
  const started = [];
  /** @type {Record<string, number | null>} */
  const last = { a: now - 59 * 60_000, b: now - 61 * 60_000, c: null, d: now - 2 * 3600_000, e: now - 2 * 3600_000 };
  /** @type {{ id: string, state: string, schedule: Schedule }[]} */
  const list = [
    { id: "a", state: "ready", schedule: { intervalMin: 60, mode: "full" } }, // 59 min ago: not yet
    { id: "b", state: "ready", schedule: { intervalMin: 60, mode: "full" } }, // 61 min ago: due
    { id: "c", state: "ready", schedule: { intervalMin: 15, mode: "full", since: now - 16 * 60_000 } }, // never ran; scheduled 16 min ago
    { id: "d", state: "incomplete", schedule: { intervalMin: 15, mode: "full" } }, // not authorized
    { id: "e", state: "ready", schedule: { intervalMin: 0, mode: "full" } }, // no schedule
    { id: "f", state: "ready", schedule: { intervalMin: 15, mode: "full" } }, // running
  ];
  const scheduler = createScheduler({
    list: () => list,
    lastStart: async (id) => last[id] ?? null,
    busy: (id) => id === "f",
    run: (id) => started.push(id),
    now: () => now,
  });
  assert.deepEqual(await scheduler.tick(), ["b", "c"]);
  now += 60_000;
  assert.deepEqual(await scheduler.tick(), ["a", "b", "c"]);
  assert.deepEqual(started, ["b", "c", "a", "b", "c"]);
});

test("scheduler: two cadences — a full reconcile when due, else an incremental run when due", async () => {
  let now = 100 * 3600_000;
  /** @type {Record<string, string[]>} */
  const runs = { a: [], b: [], c: [] };
  /** a: incremental hourly, full daily, last full 25 h ago; b: the same, last full 2 h ago, last run 61 min ago; c: last run 30 min ago. */
  /** @type {Record<string, { mode: string, at: number }[]>} */
  const history = {
    a: [
      { mode: "incremental", at: now - 3600_000 },
      { mode: "full", at: now - 25 * 3600_000 },
    ],
    b: [
      { mode: "incremental", at: now - 61 * 60_000 },
      { mode: "full", at: now - 2 * 3600_000 },
    ],
    c: [
      { mode: "incremental", at: now - 30 * 60_000 },
      { mode: "full", at: now - 2 * 3600_000 },
    ],
  };
  const list = ["a", "b", "c"].map((id) => ({ id, state: "ready", schedule: { intervalMin: 60, fullIntervalMin: 1440 } }));
  const scheduler = createScheduler({
    list: () => list,
    lastStart: async (id, mode) => history[id].find((r) => mode === undefined || r.mode === mode)?.at ?? null,
    busy: () => false,
    run: (id, mode) => runs[id].push(mode),
    now: () => now,
  });
  assert.deepEqual(await scheduler.tick(), ["a", "b:incremental"]);
  assert.deepEqual([runs.a, runs.b, runs.c], [["full"], ["incremental"], []]);
  now += 31 * 60_000;
  history.a.unshift({ mode: "full", at: now - 31 * 60_000 });
  history.b.unshift({ mode: "incremental", at: now - 31 * 60_000 });
  assert.deepEqual(await scheduler.tick(), ["c:incremental"]);
});

test("mergeIncremental applies an incremental delta to a stored full result", () => {
  const u = (/** @type {string} */ id, /** @type {string} */ family, status = "ACTIVE") => ({
    user: { id, status, name: { family } },
    sources: {},
    issues: [],
  });
  const previous = {
    users: [u("1", "A"), u("2", "B"), u("3", "C")],
    groups: [
      { id: "g1", name: "Everyone", type: "BUILT_IN" },
      { id: "g2", name: "Sales", type: "OKTA_GROUP" },
      { id: "g3", name: "Gone", type: "OKTA_GROUP" },
    ],
    memberships: [
      { groupId: "g1", userId: "1" },
      { groupId: "g1", userId: "2" },
      { groupId: "g1", userId: "3" },
      { groupId: "g2", userId: "2" },
      { groupId: "g3", userId: "1" },
    ],
    summary: { users: 3, mode: "full", watermarkMs: 1 },
  };
  const delta = {
    users: [u("2", "B2"), u("4", "D")],
    groups: [
      { id: "g1", name: "Everyone", type: "BUILT_IN" },
      { id: "g2", name: "Sales", type: "OKTA_GROUP" },
    ],
    memberships: [],
    changes: {
      fromMs: 0,
      deletedUserIds: ["3"],
      membershipChanges: [
        { groupId: "g2", userId: "4", added: true },
        { groupId: "g2", userId: "2", added: false },
        { groupId: "g1", userId: "4", added: true },
      ],
      logsUnavailable: false,
    },
    summary: { users: 2, mode: "incremental", watermarkMs: 2, progress: { requests: 3 } },
  };
  const merged = mergeIncremental(previous, delta);
  assert.deepEqual(
    merged.users.map((/** @type {{ user: { id: string, name: { family: string } } }} */ x) => [x.user.id, x.user.name.family]),
    [
      ["1", "A"],
      ["2", "B2"],
      ["4", "D"],
    ],
  );
  /** A membership as "group:user". @param {{ groupId: string, userId: string }} m */
  const pair = (m) => `${m.groupId}:${m.userId}`;
  assert.deepEqual(merged.memberships.map(pair).sort(), ["g1:1", "g1:2", "g1:4", "g2:4"]);
  assert.deepEqual(
    [
      merged.groups.length,
      merged.summary.users,
      merged.summary.memberships,
      merged.summary.watermarkMs,
      merged.summary.mode,
      merged.summary.lastRunMode,
    ],
    [2, 3, 4, 2, "full", "incremental"],
  );
  assert.equal("changes" in merged, false);
  assert.deepEqual(diffUsers(previous.users, merged.users), { added: 1, changed: 1, removed: 1 });
  // Without the System Log: the re-read groups' memberships replace the stored ones.
  const reread = mergeIncremental(previous, {
    ...delta,
    memberships: [{ groupId: "g2", userId: "1" }],
    changes: { ...delta.changes, membershipChanges: [], logsUnavailable: true, rereadGroupIds: ["g2"] },
  });
  assert.deepEqual(reread.memberships.map(pair).sort(), ["g1:1", "g1:2", "g2:1"]);
});

test("diffUsers counts added, changed and removed users by Okta id", () => {
  const u = (/** @type {string} */ id, /** @type {string} */ family) => ({ user: { id, name: { family } } });
  assert.deepEqual(diffUsers(undefined, [u("1", "A"), u("2", "B")]), { added: 2, changed: 0, removed: 0 });
  assert.deepEqual(diffUsers([u("1", "A"), u("2", "B"), u("3", "C")], [u("1", "A"), u("2", "X"), u("4", "D")]), {
    added: 1,
    changed: 1,
    removed: 1,
  });
});

test("checkSchedule accepts the offered intervals only", () => {
  assert.deepEqual(checkSchedule({ intervalMin: 60 }).schedule, { intervalMin: 60, fullIntervalMin: 0 });
  assert.deepEqual(checkSchedule({ intervalMin: 15, fullIntervalMin: 1440 }).schedule, { intervalMin: 15, fullIntervalMin: 1440 });
  for (const bad of [1, -5, "60x", null, 10_000]) assert.ok(checkSchedule({ intervalMin: bad }).error, String(bad));
  assert.ok(checkSchedule({ intervalMin: 0, fullIntervalMin: 45 }).error);
  assert.match(checkSchedule({ intervalMin: 1440, fullIntervalMin: 360 }).error ?? "", /less often/);
});

/** @type {import("./browser.mjs").DashboardServer} */
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
    const cells = async (/** @type {number} */ n) => (await rows.nth(n).locator("td").allTextContents()).map((t) => t.trim());
    const first = await cells(0);
    assert.deepEqual([first[2], first[3], first[5], first[6], first[7], first[8]], ["Full reconcile", "Completed", "300", "300", "0", "0"]);
    assert.ok(Number(first[9]) > 0, "requests counted");

    // A second sync: nothing changed in Okta, so nothing added, changed or removed.
    await page.locator("#integration-detail").getByRole("button", { name: "Sync directory" }).click();
    await page.locator("#runs-table tbody tr[data-outcome]").nth(1).waitFor({ timeout: 60_000 });
    const second = await cells(0);
    assert.deepEqual(
      [second[1], second[2], second[3], second[5], second[6], second[7], second[8]],
      ["Manual", "Full reconcile", "Completed", "300", "0", "0", "0"],
    );

    // An incremental run after changes in Okta: one user edited, one deactivated, one created.
    const integration = /** @type {import("./browser.mjs").Integration} */ (
      await (await server.adminFetch("api/integrations/demo")).json()
    );
    const control = `${integration.orgUrl}/__control`;
    const oktaUsers = /** @type {EmulatorUser[]} */ (await (await fetch(`${control}/users`)).json());
    const active = oktaUsers.filter((x) => x.status === "ACTIVE");
    await fetch(`${control}/users/${active[0].id}`, {
      method: "PATCH",
      body: JSON.stringify({ profile: { ...active[0].profile, title: "Changed title" } }),
    });
    await fetch(`${control}/users/${active[1].id}/deactivate`, { method: "POST" });
    await fetch(`${control}/users`, {
      method: "POST",
      body: JSON.stringify({
        profile: { firstName: "New", lastName: "Hire", email: "new.hire@example.com", login: "new.hire@example.com" },
      }),
    });
    const started = await server.adminFetch("api/integrations/demo/sync", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "incremental" }),
    });
    assert.equal(started.status, 202);
    await page.locator("#runs-table tbody tr[data-outcome]").nth(2).waitFor({ timeout: 60_000 });
    const third = await cells(0);
    assert.deepEqual(
      [third[1], third[2], third[3], third[5], third[6], third[7], third[8]],
      ["Manual", "Incremental", "Completed", "301", "1", "2", "0"],
    );
    const table = /** @type {import("./browser.mjs").DirectoryTable} */ (
      await (await server.adminFetch("api/integrations/demo/directory")).json()
    );
    assert.equal(table.users.id.length, 301, "the delta was merged into the stored directory");
    assert.equal(table.users.status[table.users.id.indexOf(active[1].id)], "DEPROVISIONED");

    // The schedule (two cadences) is saved with the integration and survives a reload.
    await page.getByLabel("Incremental sync").selectOption("60");
    await page.getByLabel("Full reconcile").selectOption("1440");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await page.locator("#schedule-status", { hasText: "Scheduled: incremental every hour, full reconcile every day." }).waitFor();
    await page.reload();
    await page.locator("#schedule-status", { hasText: "Scheduled: incremental every hour, full reconcile every day." }).waitFor();
    const stored = await (await server.adminFetch("api/integrations/demo")).json();
    assert.deepEqual([stored.schedule.intervalMin, stored.schedule.fullIntervalMin], [60, 1440]);
    const inverted = await server.adminFetch("api/integrations/demo/schedule", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ intervalMin: 1440, fullIntervalMin: 360 }),
    });
    assert.equal(inverted.status, 400);
    const refused = await server.adminFetch("api/integrations/demo/schedule", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ intervalMin: 1 }),
    });
    assert.equal(refused.status, 400);
    await page.locator("#sync-history").scrollIntoViewIfNeeded();
    await screenshot(page, "sync-history-1440");
    const docs = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
    mkdirSync(docs, { recursive: true });
    copyFileSync(
      fileURLToPath(new URL("../../.cache/screenshots/sync-history-1440.png", import.meta.url)),
      join(docs, "sync-history-1440.png"),
    );
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

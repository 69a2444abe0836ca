// Incremental and group-scoped syncs through the built CLI against the emulator: after mutations made with
// the control API, an incremental run brings the snapshot to the emulator's exact state with a fraction of
// a full sync's requests; a group-scoped run holds exactly the chosen groups and their members.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MESSY } from "../../js/dist/emulator/index.js";
import { Directory } from "../../js/dist/node.js";
import { assertSnapshotMatches, cliSync, control, counter, emulator, must, summaryOf, truthOf } from "./lib.mjs";

/** @param {string} path */
function load(path) {
  const bytes = readFileSync(path);
  return Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Creates, updates, deactivates and deletes users and moves memberships. Returns the ids involved.
 * @param {import("./lib.mjs").RunningEmulator} emu
 */
async function mutate(emu) {
  const truth = truthOf(emu);
  const groups = truth.groups.filter((g) => g.type !== "BUILT_IN").map((g) => g.id);
  const active = truth.users.filter((u) => u.status === "ACTIVE").map((u) => u.id);
  const [renamed, deactivated, deleted] = active;
  // A user outside some group joins it; another leaves one.
  const joiner = must(
    active.slice(3).find((u) => groups.some((g) => !truth.memberships[g].includes(u))),
    "a user outside some group",
  );
  const target = groups.find((g) => !truth.memberships[g].includes(joiner));
  const leaverGroup = must(
    groups.find((g) => truth.memberships[g].length > 0),
    "a group with members",
  );
  const leaver = truth.memberships[leaverGroup].find((u) => ![renamed, deactivated, deleted, joiner].includes(u));
  const created = await control(emu, "POST", "users", {
    profile: { login: "new.hire@example.com", firstName: "New", lastName: "Hire", email: "new.hire@example.com" },
    groupIds: [groups[0]],
  });
  await control(emu, "PATCH", `users/${renamed}`, {
    profile: { firstName: "Renamed", department: "Zürich Ops", costCenterNumber: 7, badgeCodes: ["A1"] },
  });
  await control(emu, "POST", `users/${deactivated}/deactivate`);
  await control(emu, "DELETE", `users/${deleted}`);
  await control(emu, "PUT", `groups/${target}/users/${joiner}`);
  await control(emu, "DELETE", `groups/${leaverGroup}/users/${leaver}`);
  // The messy emulator's search index lags and some System Log events persist late (as in Okta): a run started
  // at once could miss them (the next one would not, see js/test/sync/incremental.test.ts). Wait them out here,
  // so that this run's snapshot must equal the truth.
  await new Promise((r) => setTimeout(r, Math.max(MESSY.replicationLagMs, MESSY.lateSystemLogEvents) + 300));
  return { created: created.id, renamed, deactivated, deleted };
}

test("incremental: mutations reach the snapshot exactly, with far fewer requests than a full sync", async () => {
  const { emu, dir, base } = await emulator({ users: 1500, groups: 6, seed: 41 });
  const out = join(dir, "d.snap");
  const args = [...base("key"), "--out", out, "--page-limit", "100", "--incremental"];
  try {
    const requests = counter(emu);
    const first = await cliSync(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^sync: mode full \(no previous sync state/m);
    assert.equal(summaryOf(first).mode, "full");
    const full = requests();
    assertSnapshotMatches(out, emu);

    const ids = await mutate(emu);
    const before = requests();
    const inc = await cliSync(args);
    assert.equal(inc.code, 0, inc.stderr);
    assert.match(inc.stderr, /^sync: mode incremental$/m);
    const summary = summaryOf(inc);
    assert.equal(summary.mode, "incremental");
    assert.equal(summary.logsUnavailable, false);
    assert.equal(summary.changes.usersRemoved, 1);
    assertSnapshotMatches(out, emu);
    const incremental = requests() - before;
    // Token, users changed (one page), groups (one page), System Log (one page), and (messy, as Okta may) an empty
    // last page behind a `next` link for users and groups — vs. every page of everything.
    assert.ok(incremental <= 7 && incremental * 8 <= full, `incremental ${incremental} requests vs full ${full}`);
    const d = load(out);
    try {
      assert.equal(d.lookup("new.hire@example.com").user.id, ids.created);
      const renamed = must(
        truthOf(emu).users.find((u) => u.id === ids.renamed),
        "the renamed user",
      );
      assert.equal(d.lookup(/** @type {string} */ (renamed.profile.login)).user.name.given, "Renamed");
    } finally {
      d.free();
    }

    // An idle incremental run changes nothing and stays small; then the periodic full reconcile comes due.
    const idle = await cliSync([...args, "--reconcile-every", "3"]);
    assert.equal(idle.code, 0, idle.stderr);
    assert.match(idle.stderr, /^sync: mode incremental$/m);
    assertSnapshotMatches(out, emu);
    const reconcile = await cliSync([...args, "--reconcile-every", "2"]);
    assert.equal(reconcile.code, 0, reconcile.stderr);
    assert.match(reconcile.stderr, /^sync: mode full \(periodic full reconcile after 2 incremental runs\)$/m);
    assertSnapshotMatches(out, emu);

    const aged = await cliSync([...args, "--reconcile-max-age", "0"]);
    assert.equal(aged.code, 0, aged.stderr);
    assert.match(aged.stderr, /^sync: mode full \(periodic full reconcile: the last full sync is older than 0 h\)$/m);

    // A snapshot replaced behind the state file's back is not built upon.
    writeFileSync(out, readFileSync(out).subarray(0));
    const state = JSON.parse(readFileSync(`${out}.state.json`, "utf8"));
    writeFileSync(`${out}.state.json`, JSON.stringify({ ...state, outputSha256: "0".repeat(64) }));
    const tampered = await cliSync(args);
    assert.equal(tampered.code, 0, tampered.stderr);
    assert.match(tampered.stderr, /^sync: mode full \(the snapshot changed since the last sync\)$/m);
    console.log(`# requests: full sync ${full}, incremental after mutations ${incremental}`);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("incremental without okta.logs.read: changed groups are re-read and the result is still exact", async () => {
  const { emu, dir, base } = await emulator({ users: 600, groups: 4, seed: 42, grantedScopes: ["okta.users.read", "okta.groups.read"] });
  const out = join(dir, "d.snap");
  const args = [...base("key"), "--out", out, "--page-limit", "100", "--incremental"];
  try {
    assert.equal((await cliSync(args)).code, 0);
    await mutate(emu);
    const inc = await cliSync(args);
    assert.equal(inc.code, 0, inc.stderr);
    assert.match(inc.stderr, /System Log is not readable/);
    assert.equal(summaryOf(inc).logsUnavailable, true);
    assertSnapshotMatches(out, emu);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("group-scoped sync with a Workforce group: exactly those groups and members; unknown group is typed", async () => {
  const { emu, dir, base } = await emulator({ users: 800, groups: 6, seed: 43 });
  const out = join(dir, "g.snap");
  try {
    const truth = truthOf(emu);
    const [g1, g2, wf] = truth.groups.filter((g) => g.type !== "BUILT_IN").map((g) => g.id);
    const run = await cliSync([...base(), "--out", out, "--page-limit", "50", "--groups", `${g1},${g2}`, "--workforce-group", wf]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^sync: mode groups$/m);
    const d = load(out);
    try {
      const members = new Set([g1, g2, wf].flatMap((g) => truth.memberships[g]));
      assert.equal(d.info().users, members.size);
      assert.equal(d.info().groups, 3);
      assert.equal(d.info().workforceGroup, wf);
      for (const g of [g1, g2, wf])
        assert.deepEqual(
          d
            .membersOf(g)
            .map((u) => u.id)
            .sort(),
          [...truth.memberships[g]].sort(),
        );
      const byId = new Map(truth.users.map((u) => [u.id, u]));
      /** @param {string | undefined} id */
      const user = (id) => must(byId.get(/** @type {string} */ (id)), `user ${id}`);
      const inWf = truth.memberships[wf][0];
      const notWf = truth.memberships[g1].find((u) => !truth.memberships[wf].includes(u));
      assert.equal(d.lookup(/** @type {string} */ (user(inWf).profile.login)).workforce, true);
      assert.equal(d.lookup(/** @type {string} */ (user(notWf).profile.login)).workforce, false);
      // Statuses come with the member objects, DEPROVISIONED included.
      const statuses = d
        .membersOf(g1)
        .map((u) => `${u.id} ${u.status}`)
        .sort();
      assert.deepEqual(statuses, truth.memberships[g1].map((id) => `${id} ${user(id).status}`).sort());
    } finally {
      d.free();
    }
    const previous = readFileSync(out);
    const bad = await cliSync([...base(), "--out", out, "--groups", `${g1},00gDoesNotExist1`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error\[GROUP_NOT_FOUND\]/m);
    assert.deepEqual(readFileSync(out), previous);
    const usage = await cliSync([...base(), "--out", out, "--groups", g1, "--incremental"]);
    assert.equal(usage.code, 2);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

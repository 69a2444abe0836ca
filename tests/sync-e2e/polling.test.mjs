// The System Log polling cursor through the built CLI against the emulator: an event written late (its
// `published` time before the last poll, and before the watermark's overlap window) is picked up by the next
// incremental run — which a bounded since/until query, or a poll from `since`, would miss — and is not applied
// twice. An incremental checkpoint of format 2 is refused typed and the run starts over.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Directory, syncDirectoryJson } from "../../js/dist/node.js";
import { assertSnapshotMatches, cliSync, control, emulator, must, summaryOf, truthOf } from "./lib.mjs";

/**
 * The CLI's incremental state file beside `out`.
 * @param {string} out
 * @returns {{ logCursor: string, watermarkMs: number }}
 */
const state = (out) => JSON.parse(readFileSync(`${out}.state.json`, "utf8"));

test("polling: a late System Log event is read by the next poll, once", async () => {
  const { emu, dir, base } = await emulator({ users: 400, groups: 4, seed: 11, realism: "tidy" });
  const out = join(dir, "d.snap");
  const args = [...base("ssws"), "--out", out, "--incremental"];
  try {
    assert.equal((await cliSync(args)).code, 0);
    const first = await cliSync(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^sync: mode incremental$/m);
    const cursor = state(out).logCursor;
    assert.match(cursor, new RegExp(`^${emu.url}/api/v1/logs\\?`));
    assert.doesNotMatch(cursor, /until=/);

    // A membership change whose System Log event is stamped 20 minutes back: persisted after the last poll,
    // published before it (and before the overlap window of the stored watermark).
    const truth = truthOf(emu);
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP");
    assert.ok(group, "an Okta group");
    const user = truth.users.find((u) => u.status === "ACTIVE" && !truth.memberships[group.id].includes(u.id));
    assert.ok(user, "an active user outside it");
    const watermark = state(out).watermarkMs;
    await control(emu, "POST", "late-events", { publishedMs: watermark - 20 * 60_000, count: 1 });
    await control(emu, "PUT", `groups/${group.id}/users/${user.id}`);

    // What the old queries would have read: a bounded query over the overlap window, and a poll from `since`.
    const since = new Date(watermark - 5 * 60_000).toISOString();
    const bounded = await fetch(`${emu.url}/api/v1/logs?since=${since}&until=${new Date().toISOString()}&sortOrder=ASCENDING`, {
      headers: { authorization: `SSWS ${emu.apiToken}` },
    });
    const events = /** @type {import("../../js/dist/emulator/index.js").LogEvent[]} */ (await bounded.json());
    assert.equal(events.filter((e) => e.target.some((t) => t.id === user.id)).length, 0, "a bounded query misses it");
    const fromSince = JSON.parse(
      await syncDirectoryJson({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true, since: watermark }),
    );
    assert.ok(
      !fromSince.changes.membershipChanges.some((/** @type {{ userId: string }} */ m) => m.userId === user.id),
      "a poll from `since` misses it",
    );

    const second = await cliSync(args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(summaryOf(second).changes.membershipsAdded, 1);
    assertSnapshotMatches(out, emu);
    const bytes = readFileSync(out);
    const d = Directory.fromSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    try {
      assert.ok(
        d.groupsOf(user.id).some((g) => g.id === group.id),
        "the late membership is in the snapshot",
      );
    } finally {
      d.free();
    }
    assert.notEqual(state(out).logCursor, cursor, "the cursor moved past the late event");

    // The next poll does not read it again.
    const third = await cliSync(args);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(summaryOf(third).changes.membershipsAdded, 0);
    assertSnapshotMatches(out, emu);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("polling: an incremental checkpoint of format 2 is refused typed and the run starts over", async () => {
  const { emu, dir, base } = await emulator({ users: 200, groups: 3, seed: 12, realism: "tidy" });
  const out = join(dir, "d.snap");
  const args = [...base("ssws"), "--out", out, "--incremental"];
  try {
    assert.equal((await cliSync(args)).code, 0);
    /** @type {string[]} */
    const checkpoints = [];
    await syncDirectoryJson({
      orgUrl: emu.url,
      apiToken: emu.apiToken,
      allowInsecureLoopback: true,
      since: state(out).watermarkMs,
      checkpointIntervalMs: 0,
      onCheckpoint: (c) => void checkpoints.push(c),
    });
    const old = { ...JSON.parse(must(checkpoints.at(-1), "a checkpoint")), version: 2 };
    writeFileSync(`${out}.checkpoint.json`, JSON.stringify(old));
    const resumed = await cliSync([...args, "--resume"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /the checkpoint cannot be resumed \(.*format 2.*\); starting over/);
    assert.match(resumed.stderr, /^sync: mode incremental$/m);
    assertSnapshotMatches(out, emu);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

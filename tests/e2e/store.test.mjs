// The dashboard server's store (www/server/store.mjs): what it writes reads back, the key file is 0600 in
// a 0700 folder, nothing is left behind after a delete, and a failed write is the app layer's StoreError
// (STORE_FAILED) naming no path, with no temp file left.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { StoreError } from "../../js/dist/node.js";
import { createStore } from "../../www/server/store.mjs";

test("store: integrations, key, directory, snapshot and history round-trip; remove leaves nothing", async () => {
  const data = mkdtempSync(join(tmpdir(), "od-store-"));
  try {
    const store = await createStore(data);
    /** @type {import("../../www/server/integrations.mjs").Integration} */
    const integration = {
      id: "dir-1",
      name: "A",
      orgUrl: "https://a.okta.com",
      clientId: "0oa1",
      insecureLoopback: false,
      createdAt: 1,
      state: "draft",
    };
    await store.saveIntegration(integration);
    assert.deepEqual(await store.loadIntegrations(), [integration]);
    assert.equal(await store.hasKey("dir-1"), false);
    await store.writeKey("dir-1", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assert.equal(await store.hasKey("dir-1"), true);
    assert.equal(statSync(join(data, "keys", "dir-1.key")).mode & 0o777, 0o600);
    assert.equal(statSync(join(data, "keys")).mode & 0o777, 0o700);
    assert.match(/** @type {string} */ (await store.readKey("dir-1")), /^-----BEGIN PRIVATE KEY-----/);
    await store.writeKey("dir-1", '{"kty":"EC","crv":"P-256"}');
    assert.deepEqual(await store.readKey("dir-1"), { kty: "EC", crv: "P-256" });
    assert.equal(await store.readDirectory("dir-1"), undefined);
    await store.writeDirectory("dir-1", '{"users":[]}');
    assert.equal(await store.readDirectory("dir-1"), '{"users":[]}');
    await store.writeSnapshot("dir-1", new Uint8Array([1, 2, 3]));
    assert.equal(await store.readHistory("dir-1"), null);
    await store.writeHistory("dir-1", { users: { "00u1": [] } });
    assert.deepEqual(await store.readHistory("dir-1"), { users: { "00u1": [] } });
    await store.remove("dir-1");
    for (const dir of ["integrations", "keys", "directories", "history"]) assert.deepEqual(readdirSync(join(data, dir)), [], dir);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("store: a failed write is STORE_FAILED without the path, and leaves no temp file", async () => {
  const data = mkdtempSync(join(tmpdir(), "od-store-"));
  try {
    const store = await createStore(data);
    // A folder where the file should go: the rename over it fails.
    mkdirSync(join(data, "directories", "dir-2.json"));
    await assert.rejects(store.writeDirectory("dir-2", "{}"), (e) => {
      assert.ok(e instanceof StoreError);
      assert.equal(e.code, "STORE_FAILED");
      assert.ok(!e.message.includes(data), e.message);
      return true;
    });
    assert.deepEqual(readdirSync(join(data, "directories")), ["dir-2.json"]);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

// The README's main job, end to end: the bundled emulator's directory is synced with the SDK
// (private_key_jwt, as scripts/run.sh does with the CLI) and the dashboard shows it.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startEmulator } from "../../js/dist/emulator/index.js";
import { syncDirectoryJson } from "../../js/dist/node.js";
import { launch, startServer } from "./browser.mjs";

let emulator;
let server;
let truth;
before(async () => {
  emulator = await startEmulator({ users: 250, groups: 6, seed: 11, rateLimit: "off" });
  const json = await syncDirectoryJson({
    orgUrl: emulator.url,
    clientId: emulator.clientId,
    privateKey: emulator.privateKeyPem,
    keyId: emulator.keyId,
    allowInsecureLoopback: true,
  });
  truth = JSON.parse(json);
  const file = join(mkdtempSync(join(tmpdir(), "od-main-job-")), "directory.json");
  writeFileSync(file, json);
  server = await startServer("--directory", file);
});
after(async () => {
  server?.stop();
  await emulator?.close();
});

test("the synced directory appears in the dashboard", async () => {
  assert.equal(truth.users.length, 250, "every user synced, DEPROVISIONED included");
  const { page, errors, close } = await launch();
  try {
    await page.goto(server.url);
    const summary = page.locator("#directory-summary");
    await summary.waitFor();
    assert.match(await summary.textContent(), /^250 users \(.*ACTIVE.*\), 6 groups, [\d,]+ memberships\.$/);
    assert.equal(await page.locator("#groups tbody tr").count(), 6);
    assert.ok((await page.locator("#groups tbody").textContent()).includes("Everyone"));
    assert.equal(await page.locator("#users tbody tr").count(), 100);
    const firstLogin = truth.users[0].user.login;
    assert.equal(await page.locator("#users tbody tr").first().locator("td").nth(1).textContent(), firstLogin);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

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

test("the claims playground matches a synced user in the page", async () => {
  const { page, errors, close } = await launch();
  try {
    await page.goto(server.url);
    await page.locator("#directory-summary").waitFor();
    // The first active user is pre-selected and the passport-style claims are pre-filled.
    await page.waitForFunction(() => document.querySelector("#verified-input")?.value.includes("given_name"));
    const login = await page.getByLabel("Login hint").inputValue();
    const user = truth.users.find((u) => u.user.login === login).user;
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.locator("#decision").waitFor();
    assert.equal(await page.locator("#decision").textContent(), "Decision: match");
    const rows = await page.locator("#claims-result tbody tr").allTextContents();
    assert.ok(rows.some((r) => r.startsWith("given_name") && r.includes("match")), rows.join("\n"));

    // A Cyrillic look-alike letter in the given name: never a match.
    const claims = JSON.parse(await page.getByLabel("Verified claims").inputValue());
    claims.given_name = `\u0410${claims.given_name.slice(1)}`;
    await page.getByLabel("Verified claims").fill(JSON.stringify(claims));
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.waitForFunction(() => document.querySelector("#decision")?.textContent === "Decision: no match");
    assert.ok((await page.locator("#claims-result tbody").textContent()).includes("SUSPICIOUS_MIXED_SCRIPT"));

    // A malformed policy is reported with its typed error.
    await page.getByLabel("Policy (optional)").fill('{"claims": {"shoe_size": {}}}');
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.getByRole("alert").filter({ hasText: "INVALID_POLICY" }).waitFor();
    assert.ok(user.name.given, "the picked user has a given name");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

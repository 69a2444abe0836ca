// The README's main job (`bash scripts/run.sh` → `node www/server/main.mjs --demo`): the server starts the bundled
// Okta emulator, pre-fills an integration on it, checks its authorization and syncs it on its own, and the
// dashboard shows the directory. Secrets stay on the server.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { asText, launch, startServer } from "./browser.mjs";

/** @type {import("./browser.mjs").DashboardServer} */
let server;
before(async () => {
  server = await startServer("--demo", "--demo-users", "500");
});
after(async () => server?.stop());

test("the demo integration is authorized and synced without a click, and its directory is shown", async () => {
  const { page, errors, close } = await launch();
  try {
    await server.signIn(page);
    await page.goto(server.url);
    const card = page.locator(".card", { hasText: "Demo directory" });
    await card.getByText(/Last sync .*: 500 users, 25 groups/).waitFor({ timeout: 60_000 });
    assert.equal(await card.locator(".state").textContent(), "Ready");
    await card.getByRole("link", { name: "Directory information" }).click();
    await page.getByRole("status").filter({ hasText: "Showing 500 of 500 users" }).waitFor();
    assert.match(
      asText(await page.locator("#directory-summary").textContent()),
      /^500 users \([\d,]+ active, .*\), 25 groups, [\d,]+ memberships/,
    );
    // The Workforce group the demo assigns is shown in a user's detail.
    await page.locator("#users-body tr.row button").first().click();
    await page.getByRole("dialog").getByRole("heading", { name: "Normalized attributes" }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the private key is stored with mode 0600 and never sent to the browser", async () => {
  const keys = join(server.data, "keys");
  const files = readdirSync(keys);
  assert.deepEqual(files, ["demo.key"]);
  assert.equal(statSync(join(keys, "demo.key")).mode & 0o777, 0o600);
  assert.equal(statSync(keys).mode & 0o777, 0o700);
  const key = readFileSync(join(keys, "demo.key"), "utf8");
  assert.match(key, /^-----BEGIN PRIVATE KEY-----/);
  const body = key.split("\n")[1];
  for (const path of ["api/integrations", "api/integrations/demo"]) {
    const text = await (await server.adminFetch(path)).text();
    assert.ok(!text.includes("PRIVATE KEY") && !text.includes(body), `${path} leaks no key material`);
  }
  // Cross-origin writes are refused (a page on another site cannot start syncs or add integrations).
  const res = await server.adminFetch("api/integrations/demo/sync", { method: "POST", headers: { origin: "https://evil.example" } });
  assert.equal(res.status, 403);
  // A foreign host name (DNS rebinding) gets nothing, not even the directory.
  const status = await new Promise((resolve, reject) => {
    const req = request(`${server.url}api/integrations/demo/directory`, { headers: { host: "rebound.example:8787" } }, (r) => {
      r.resume();
      resolve(r.statusCode);
    });
    req.on("error", reject);
    req.end();
  });
  assert.equal(status, 421);
});

// The dashboard's seed flow in a real browser against the bundled Okta emulator (10,000 users):
// create an Okta Directory integration, see it incomplete while a scope is withheld, grant the scope and
// restart setup, sync with live progress, browse and search the directory, open a user, match claims,
// read the readiness audit; then an axe-core scan and screenshots of every page at 360 and 1440 px.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startEmulator } from "../../js/dist/emulator/index.js";
import { asText, axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @typedef {import("./browser.mjs").DashboardServer} DashboardServer */
/** @typedef {import("./browser.mjs").EmulatorUser} EmulatorUser */
/** @typedef {import("./browser.mjs").Page} Page */
/** @typedef {import("./browser.mjs").RunningEmulator} RunningEmulator */

/**
 * A browser whose page is signed in as the admin (every admin route needs a session).
 * @param {{ width: number, height: number }} [viewport]
 */
const launchAs = async (viewport) => {
  const browser = await launch(viewport);
  await server.signIn(browser.page);
  return browser;
};

/** @type {RunningEmulator} */
let emulator;
/** @type {DashboardServer} */
let server;
/** @type {string} */
let keyDir;
/** @type {string} */
let keyFile;
/** @type {string} */
let clientId;
/** Ground truth picked from the emulator: a complete active user, and an active user without a birthdate. */
/** @type {EmulatorUser} */
let complete;
/** @type {EmulatorUser} */
let noBirthdate;

/**
 * GET on the dashboard server's API, as the signed-in admin.
 * @param {string} path
 */
const dashApi = async (path) => {
  const res = await server.adminFetch(`api/${path}`);
  assert.ok(res.ok, `api ${path}: ${res.status}`);
  return res.json();
};

/**
 * A call to the emulator's control API; resolves with its JSON answer.
 * @param {string} path
 * @param {unknown} [body]
 */
const control = async (path, body, method = "POST") => {
  const res = await fetch(`${emulator.url}/__control/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `control ${path}: ${res.status}`);
  return res.json();
};

before(async () => {
  emulator = await startEmulator({ users: 10_000, groups: 25, seed: 7, rateLimit: "off" });
  // The admin's service app: its own key pair, granted okta.users.read only (okta.groups.read withheld).
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  keyDir = mkdtempSync(join(tmpdir(), "od-dash-key-"));
  keyFile = join(keyDir, "service-app.pem");
  writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
  const app = await control("apps", {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }),
    kid: "dash-e2e",
    grantedScopes: ["okta.users.read"],
  });
  clientId = app.clientId;
  const users = /** @type {EmulatorUser[]} */ (await (await fetch(`${emulator.url}/__control/users`)).json());
  const active = users.filter((u) => u.status === "ACTIVE");
  const someComplete = active.find((u) => u.profile.birthdate && u.profile.firstName && u.profile.lastName && u.profile.streetAddress);
  const someNoBirthdate = active.find((u) => !u.profile.birthdate && u.profile.firstName && u.profile.lastName);
  assert.ok(someComplete && someNoBirthdate, "the generated directory has both kinds of users");
  complete = someComplete;
  noBirthdate = someNoBirthdate;
  server = await startServer();
});
after(async () => {
  await server?.stop();
  await emulator?.close();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

test("seed flow: integration, incomplete authorization, fix, sync 10,000 users, search, detail, claims", async () => {
  const { page, errors, close } = await launchAs({ width: 1440, height: 900 });
  try {
    await page.goto(server.url);
    await page.getByText("No integration yet").waitFor();

    // New integration → Directory → Okta Directory → the form, validated live.
    await page.getByRole("link", { name: "New integration" }).first().click();
    await page.getByRole("button", { name: /Okta Directory/ }).click();
    const name = page.getByLabel("Directory Name");
    const org = page.getByLabel("Okta Instance URL");
    const client = page.getByLabel("Client ID");
    await org.fill("https://acme-admin.okta.com");
    await org.blur();
    await page.getByText("not the admin console URL").waitFor();
    assert.equal(await org.getAttribute("aria-invalid"), "true");
    await org.fill("https://acme.example.com");
    await page.getByText("This is not an Okta domain").waitFor();
    await org.fill("https://acme.okta.com");
    assert.equal(await page.locator("#f-org-error").isHidden(), true);
    await client.fill("0ob123");
    await client.blur();
    await page.getByText("Okta app Client IDs start with 0oa.").waitFor();
    await page.getByLabel("Private key file").setInputFiles({
      name: "pub.pem",
      mimeType: "application/x-pem-file",
      buffer: Buffer.from("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
    });
    await page.getByText("This is a public key").waitFor();
    await page.getByLabel("User Group ID").fill("group-1");
    await page.getByLabel("User Group ID").blur();
    await page.getByText("An Okta group ID is 20 letters").waitFor();
    // Save with errors keeps the form and focuses the first invalid field.
    await page.getByRole("button", { name: "Save" }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "f-name");

    await name.fill("Acme workforce");
    await page.getByLabel(/Local Okta emulator/).check();
    await org.fill(emulator.url);
    await client.fill(clientId);
    await page.getByLabel("User Group ID").fill("");
    await page.getByLabel("Private key file").setInputFiles(keyFile);
    await page.getByText("PKCS#8 PEM private key loaded").waitFor();
    await page.getByLabel(/Key ID/).fill("dash-e2e");
    await page.getByRole("button", { name: "Save" }).click();

    // Authorization: okta.groups.read withheld → incomplete, naming the scope.
    await page.getByRole("heading", { level: 1, name: "Acme workforce" }).waitFor();
    await page.locator("#integration-detail .state", { hasText: "Awaiting authorization" }).first().waitFor();
    await page.getByRole("button", { name: "Check authorization" }).click();
    await page.locator("#integration-detail .state", { hasText: "Incomplete" }).first().waitFor();
    const scopeStatus = (/** @type {string} */ scope) => page.locator(".scopes tr", { hasText: scope }).locator("td");
    assert.equal(await scopeStatus("okta.users.read").textContent(), "Granted");
    assert.equal(await scopeStatus("okta.groups.read").textContent(), "Missing");
    assert.match(asText(await page.locator("#authorization-reason").textContent()), /okta\.groups\.read/);
    await screenshot(page, "authorization-incomplete-1440");

    // The admin grants the scope in Okta, then restarts setup.
    await control(`apps/${clientId}`, { grantedScopes: ["okta.users.read", "okta.groups.read"] }, "PATCH");
    await page.getByRole("button", { name: "Restart setup" }).click();
    await page.locator("#integration-detail .state", { hasText: "Ready" }).first().waitFor();
    assert.equal(await scopeStatus("okta.groups.read").textContent(), "Granted");

    // Sync from the integration card, watching the progress text as it changes.
    await page.getByRole("link", { name: "Integrations", exact: true }).first().click();
    const card = page.locator(".card", { hasText: "Acme workforce" });
    await page.evaluate(() => {
      const seen = /** @type {(string | null)[]} */ ([]);
      /** @type {Window & { __progress?: (string | null)[] }} */ (window).__progress = seen;
      const cards = document.getElementById("integration-cards");
      if (cards === null) throw new Error("no #integration-cards");
      new MutationObserver(() => {
        for (const t of document.querySelectorAll(".card .progress-text")) seen.push(t.textContent);
      }).observe(cards, { subtree: true, childList: true, characterData: true });
    });
    await card.getByRole("button", { name: "Sync directory" }).click();
    await card.locator(".state", { hasText: "Syncing" }).waitFor();
    await card.getByText(/Last sync .*: 10,000 users, 25 groups/).waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => /** @type {Window & { __progress?: (string | null)[] }} */ (window).__progress ?? []);
    const counts = seen
      .map((t) => Number(/^([\d,]+) users/.exec(t ?? "")?.[1]?.replaceAll(",", "") ?? NaN))
      .filter((n) => !Number.isNaN(n));
    assert.ok(
      counts.some((n) => n > 0 && n < 10_000),
      `progress showed intermediate user counts: ${seen.slice(0, 5).join(" | ")}`,
    );
    assert.ok(
      seen.some((t) => /\d+ pages/.test(t ?? "")),
      "progress counts pages",
    );

    // Directory information: a virtualized table of 10,000 users.
    await card.getByRole("link", { name: "Directory information" }).click();
    await page.locator("#directory-summary", { hasText: "10,000 users" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Showing 10,000 of 10,000 users" }).waitFor();
    const rendered = await page.locator("#users-body tr.row").count();
    assert.ok(rendered > 10 && rendered < 100, `only the visible rows are in the DOM (${rendered})`);
    await page.locator("#users-scroll").evaluate((e) => e.scrollTo(0, e.scrollHeight));
    await page.locator('#users-body tr.row[aria-rowindex="10001"]').waitFor();
    // Keyboard: tabbing down through the rows scrolls the table and keeps the focus on the next user.
    await page.locator("#users-scroll").evaluate((e) => e.scrollTo(0, 0));
    await page.locator('#users-body tr.row[aria-rowindex="2"] button').focus();
    for (let k = 0; k < 40; k++) await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.closest("tr")?.getAttribute("aria-rowindex")), "42");

    // Search by login, open the user: the missing birthdate is flagged.
    await page.getByLabel("Search").fill(asText(noBirthdate.profile.login).toUpperCase());
    await page.getByRole("status").filter({ hasText: "Showing 1 of 10,000 users" }).waitFor();
    const row = page.locator("#users-body tr.row").first();
    assert.equal(await row.locator(".col-login").textContent(), noBirthdate.profile.login);
    assert.equal(await row.locator(".badge.MISSING").first().textContent(), "Date of birth");
    await row.getByRole("button").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { level: 3, name: "Missing attributes" }).waitFor();
    assert.ok(asText(await dialog.locator("#user-missing").textContent()).includes("Date of birth required by the claims policy"));
    assert.match(asText(await dialog.locator(".pill").first().textContent()), /^Needs attributes: .*Date of birth/);
    assert.ok(asText(await dialog.locator("table.fields").textContent()).includes(asText(noBirthdate.profile.login)));
    await screenshot(page, "user-missing-attribute-1440");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    // Filters: group + missing attribute narrow the list; every row shown has the badge.
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Missing attribute").selectOption({ label: "Date of birth (required)" });
    await page
      .getByRole("status")
      .filter({ hasText: /^Showing [\d,]+ of 10,000 users$/ })
      .waitFor();
    const filtered = await page.locator("#users-body tr.row .badge.MISSING").allTextContents();
    assert.ok(filtered.length > 0 && filtered.every((b) => b === "Date of birth"));

    // Claims playground: a complete user, passport-style claims, matched in the page.
    await page.getByRole("link", { name: "Claims playground" }).click();
    await page.getByLabel("Login hint").fill(asText(complete.profile.login));
    await page.getByRole("button", { name: "Fill passport-style claims from this user" }).click();
    const familyName = asText(complete.profile.lastName).normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();
    await page
      .waitForFunction(
        (name) =>
          /** @type {HTMLTextAreaElement | null} */ (document.querySelector("#verified-input"))?.value.includes(JSON.stringify(name)),
        familyName,
      )
      .catch(async (e) => {
        const state = await page.evaluate(() => [
          /** @type {HTMLInputElement | null} */ (document.querySelector("#login-hint"))?.value,
          document.querySelector("#picked-user")?.textContent,
          /** @type {HTMLTextAreaElement | null} */ (document.querySelector("#verified-input"))?.value.slice(0, 80),
        ]);
        throw new Error(`${e.message}; expected ${familyName}; page: ${JSON.stringify(state)}`);
      });
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.locator("#decision", { hasText: "Decision: match" }).waitFor();
    // The combined decision as a waterfall ending with the total against the operating point's threshold.
    assert.match(
      (await page.locator("#claims-waterfall li").allTextContents()).at(-1) ?? "",
      /^Total [\d.]+ ≥ threshold 20 \(balanced\)\.$/,
    );
    const claimRows = await page.locator("#claims-result tbody tr").allTextContents();
    assert.ok(
      claimRows.some((r) => r.startsWith("given_name") && r.includes("match")),
      claimRows.join("\n"),
    );
    // Evaluation only: the page says so, and has no way to record caller-supplied claims.
    await page.getByText("Evaluation only: nothing here is recorded.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Record this verification" }).count(), 0);
    await screenshot(page, "claims-playground-1440");

    // A Cyrillic look-alike letter in the given name: never a match.
    const claims = JSON.parse(await page.getByLabel("Verified claims").inputValue());
    claims.given_name = `\u0410${claims.given_name.slice(1)}`;
    await page.getByLabel("Verified claims").fill(JSON.stringify(claims));
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.locator("#decision", { hasText: "Decision: no match" }).waitFor();
    assert.ok(asText(await page.locator("#claims-result tbody").textContent()).includes("SUSPICIOUS_MIXED_SCRIPT"));
    // Each reason code with its label, and the waterfall: the claim's level and weight, then the guard that decided.
    assert.ok(
      asText(await page.locator("#claims-result tbody").textContent()).includes(
        "SUSPICIOUS_MIXED_SCRIPT: look-alike letters from another alphabet",
      ),
    );
    const waterfall = await page.locator("#claims-waterfall li").allTextContents();
    assert.ok(
      waterfall.some((r) => /^given_name: differs −4\.0 → /.test(r)),
      waterfall.join("\n"),
    );
    assert.equal(waterfall.at(-1), "Decided by a guard (spoofing), whatever the total.");
    // A malformed policy is reported with its typed error.
    await page.getByLabel("Policy (optional)").fill('{"claims": {"shoe_size": {}}}');
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.getByRole("alert").filter({ hasText: "INVALID_POLICY" }).waitFor();
    await page.getByLabel("Policy (optional)").fill("");
    // Okta's PAR claims request for this user, pasted in: still decided in the page.
    await page.getByRole("button", { name: /Okta's PAR request/ }).click();
    await page.waitForFunction(() =>
      /** @type {HTMLTextAreaElement | null} */ (document.querySelector("#okta-input"))?.value.includes("verified_claims"),
    );
    await page.getByLabel("Verified claims").fill(JSON.stringify({ ...claims, given_name: complete.profile.firstName }));
    await page.getByRole("button", { name: "Match claims" }).click();
    await page.locator("#decision", { hasText: /^Decision: (match|review)$/ }).waitFor();

    // Finding 6: the dashboard route that recorded a "match" from caller-supplied claims is gone.
    const integrationId = (await (await server.adminFetch("api/integrations")).json())[0].id;
    const forged = await server.adminFetch(`api/integrations/${integrationId}/users/${complete.id}/verifications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verified: claims, policy: { claims: { given_name: {} } } }),
    });
    assert.equal(forged.status, 404);
    const detail = await (await server.adminFetch(`api/integrations/${integrationId}/users/${complete.id}`)).json();
    assert.equal(detail.enrollment.status === "enrolled", false, "nothing was recorded");

    // Readiness: the audit by group, and its CSV.
    await page.getByRole("link", { name: "Readiness" }).click();
    await page.locator("#readiness-summary", { hasText: "active users audited" }).waitFor();
    const birthdateRow = page.locator("#readiness-attributes tr", { hasText: "Date of birth" });
    const missingBirthdates = Number(asText(await birthdateRow.locator("td.num").textContent()).replaceAll(",", ""));
    assert.ok(missingBirthdates > 0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    assert.equal(download.suggestedFilename(), "readiness-all.csv");
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv.trim().split("\n");
    assert.equal(lines[0], "user_id,missing_required,missing_optional");
    const line = lines.find((l) => l.startsWith(`${noBirthdate.id},`));
    assert.match(line ?? "", /^[^,]+,[^,]*birthdate/, `the CSV lists the user without a birthdate (${lines.length} lines)`);
    const overall = await page.locator("#readiness-summary").textContent();
    await page.locator("section[data-page=readiness]").getByLabel("Group").selectOption({ label: "Engineering" });
    await page.waitForFunction(() => document.querySelector("#readiness-csv")?.getAttribute("href")?.includes("group=00g"));
    await page.waitForFunction((before) => document.querySelector("#readiness-summary")?.textContent !== before, overall);
    const audited = (/** @type {string | null} */ t) => Number(/^([\d,]+) active users/.exec(t ?? "")?.[1]?.replaceAll(",", ""));
    assert.ok(audited(await page.locator("#readiness-summary").textContent()) < audited(overall), "the group audit covers fewer users");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a sync under rate limiting shows its waits and can be cancelled", async () => {
  // The directory before the sync, and a user it does not hold yet.
  const integrations = /** @type {{ id: string, name: string }[]} */ (await dashApi("integrations"));
  const integration = integrations.find((i) => i.name === "Acme workforce");
  assert.ok(integration, "the seed flow's integration");
  const snapshotPath = join(server.data, "directories", `${integration.id}.snapshot`);
  const kept = {
    id: integration.id,
    snapshotPath,
    snapshot: readFileSync(snapshotPath),
    table: await dashApi(`integrations/${integration.id}/directory`),
  };
  const probe = await control("users", { profile: { login: "cancel.probe@example.com", firstName: "Cancel", lastName: "Probe" } });
  // Okta's pacing: 30 user-listing requests a minute makes the SDK wait between pages.
  await control("rate-limit", { spec: "users=30,groups=30" });
  const { page, errors, close } = await launchAs({ width: 1440, height: 900 });
  try {
    await page.goto(server.url);
    const card = page.locator(".card", { hasText: "Acme workforce" });
    await card.getByRole("button", { name: "Sync directory" }).click();
    await card
      .locator(".progress-text", { hasText: /waiting [\d.]+ s: (pacing for the rate limit|rate limited)/ })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "sync-progress-1440");
    await card.getByRole("button", { name: "Cancel sync" }).click();
    await card.getByText("Sync cancelled; the previous directory is kept.").waitFor();
    await card.locator(".state", { hasText: "Ready" }).waitFor();
    // Kept means kept: the same directory (a sync that had gone through would hold the probe user) and the
    // same snapshot bytes on disk.
    assert.deepEqual(await dashApi(`integrations/${kept.id}/directory`), kept.table);
    assert.deepEqual(readFileSync(kept.snapshotPath), kept.snapshot);
    assert.equal((await server.adminFetch(`api/integrations/${kept.id}/lookup?hint=cancel.probe%40example.com`)).status, 404);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await control("rate-limit", { spec: "off" });
    if (probe) await control(`users/${probe.id}`, undefined, "DELETE");
  }
});

test("every page: no serious or critical axe violations, no overflow, at 360 and 1440 px", async () => {
  /** @type {[name: string, prepare: (page: Page) => Promise<unknown>][]} */
  const pages = [
    ["integrations", async () => {}],
    [
      "new-integration",
      async (page) => {
        await page.getByRole("button", { name: /Okta Directory/ }).click();
        await page.getByLabel("Okta Instance URL").fill("http://acme.okta.com");
        await page.getByLabel("Client ID").fill("0oa1");
        await page.getByLabel("Client ID").blur();
      },
    ],
    ["integration", async () => {}],
    [
      "directory",
      async (page) =>
        page
          .getByRole("status")
          .filter({ hasText: /^Showing/ })
          .waitFor(),
    ],
    [
      "user-detail",
      async (page) => {
        await page
          .getByRole("status")
          .filter({ hasText: /^Showing/ })
          .waitFor();
        await page.locator("#users-body tr.row button").first().click();
        await page.getByRole("dialog").locator("table.fields").waitFor();
      },
    ],
    ["readiness", async (page) => page.locator("#readiness-attributes tbody tr").first().waitFor()],
    [
      "claims-playground",
      async (page) => {
        await page.waitForFunction(() =>
          /** @type {HTMLTextAreaElement | null} */ (document.querySelector("#verified-input"))?.value.includes("given_name"),
        );
        await page.getByRole("button", { name: "Match claims" }).click();
        await page.locator("#decision").waitFor();
      },
    ],
    ["normalizer", async (page) => page.locator("#fields tbody tr").first().waitFor()],
  ];
  const integrationId = (await (await server.adminFetch("api/integrations")).json())[0].id;
  /** @type {Record<string, string>} */
  const hashes = {
    integrations: "#/integrations",
    "new-integration": "#/integrations/new",
    integration: `#/integrations/${integrationId}`,
    directory: "#/directory",
    "user-detail": "#/directory",
    readiness: "#/readiness",
    "claims-playground": "#/playground",
    normalizer: "#/normalizer",
  };
  const problems = [];
  for (const width of [360, 1440]) {
    const { page, errors, close } = await launchAs({ width, height: 900 });
    try {
      for (const [name, prepare] of pages) {
        await page.goto(`${server.url}${hashes[name]}`);
        await page.getByRole("status").filter({ hasText: "Engine ready" }).waitFor();
        await prepare(page);
        await screenshot(page, `${name}-${width}`);
        for (const v of await axeViolations(page)) problems.push(`${name} @${width}px: ${v}`);
        const extra = await overflow(page);
        if (extra > 0) problems.push(`${name} @${width}px: ${extra}px horizontal overflow`);
      }
      // Keyboard: the first Tab reaches the skip link.
      await page.goto("about:blank");
      await page.goto(`${server.url}#/integrations`);
      await page.getByRole("status").filter({ hasText: "Engine ready" }).waitFor();
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  assert.deepEqual(problems, []);
});

test("the profile normalizer runs in the page and reports typed errors", async () => {
  const { page, errors, close } = await launchAs();
  try {
    await page.goto(`${server.url}#/normalizer`);
    await page.getByRole("status").filter({ hasText: "Engine ready" }).waitFor();
    const row = (/** @type {string} */ label) =>
      page.locator("#fields tr", { has: page.getByRole("rowheader", { name: label, exact: true }) });
    assert.equal(await row("Given name").locator("td").first().textContent(), "José");
    assert.equal(await row("Given name").locator("td.source").textContent(), "profile.LegalFirstName");
    assert.equal(await row("Country").locator("td").first().textContent(), "US");
    assert.ok((await page.locator("#issues li").allTextContents()).some((t) => t.includes("MISSING") && t.includes("employeeNumber")));
    await page.getByLabel("Attribute mapping").fill('{"givenName": "firstName"}');
    await page.getByRole("button", { name: "Normalize" }).click();
    assert.equal(await row("Given name").locator("td").first().textContent(), "Pepe");
    await page.getByLabel("Attribute mapping").fill('{"givenName": [1]}');
    await page.getByRole("button", { name: "Normalize" }).click();
    assert.match(asText(await page.locator("#error").textContent()), /^error\[INVALID_MAPPING\]: .*givenName\[0\]/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

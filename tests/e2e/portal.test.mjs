// The self-serve portal in Debian's Chromium against the demo server (--demo: the bundled Okta emulator
// and its demo identity-verification vendor): success, a mismatch, a review, not found, and forged,
// expired and replayed verification results refused by the server. The one-time codes go to the development
// mailbox, which only a signed-in admin can read. Axe-core scan and screenshots at 360 and 1440 px.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { EmulatorStore as DirectoryStore } from "../../js/dist/emulator/index.js";
import { asText, axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @typedef {import("./browser.mjs").EmulatorUser} EmulatorUser */
/** @typedef {import("./browser.mjs").MailboxMessage} MailboxMessage */
/** @typedef {import("./browser.mjs").Page} Page */

const DEMO_USERS = 2000;
/** @type {import("./browser.mjs").DashboardServer} */
let server;
/** The demo directory, regenerated from the same seed the server uses (deterministic). */
/** @type {EmulatorUser[]} */
let people;
/** Users for the other states: a shared mailbox, a suspended user, an active user without a birthdate. */
/** @type {string} */
let sharedEmail;
/** @type {EmulatorUser} */
let suspended;
/** @type {EmulatorUser} */
let noBirthdate;

before(async () => {
  server = await startServer("--demo", "--demo-users", String(DEMO_USERS));
  const deadline = Date.now() + 240_000;
  for (;;) {
    const demo = await (await server.adminFetch("api/integrations/demo")).json().catch(() => null);
    if (demo?.hasDirectory) break;
    if (Date.now() > deadline) throw new Error("the demo directory was not synced in time");
    await new Promise((r) => setTimeout(r, 500));
  }
  const store = new DirectoryStore({ users: DEMO_USERS, groups: 25, seed: 7 });
  /** @type {Map<string, number>} */
  const emails = new Map();
  for (const u of store.users)
    emails.set(String(u.profile.email).toLowerCase(), (emails.get(String(u.profile.email).toLowerCase()) ?? 0) + 1);
  // People whose ID (legal names first) and directory record agree, with every attribute the default policy reads.
  people = store.users.filter(
    (u) =>
      u.status === "ACTIVE" &&
      u.profile.login === u.profile.email &&
      emails.get(String(u.profile.email).toLowerCase()) === 1 &&
      !u.profile.LegalFirstName &&
      !u.profile.LegalLastName &&
      /^\d{4}-\d{2}-\d{2}$/.test(String(u.profile.birthdate ?? "")) &&
      u.profile.streetAddress,
  );
  assert.ok(people.length >= 6, "enough complete users in the demo directory");
  const unique = (/** @type {EmulatorUser} */ u) =>
    u.profile.login === u.profile.email &&
    emails.get(String(u.profile.email).toLowerCase()) === 1 &&
    !u.profile.LegalFirstName &&
    !u.profile.LegalLastName;
  const someSharedEmail = [...emails].find(([e, n]) => n > 1 && !store.users.some((u) => String(u.profile.login).toLowerCase() === e))?.[0];
  const someSuspended = store.users.find((u) => u.status === "SUSPENDED" && unique(u));
  const someNoBirthdate = store.users.find((u) => u.status === "ACTIVE" && unique(u) && !u.profile.birthdate);
  assert.ok(
    someSharedEmail && someSuspended && someNoBirthdate,
    "the demo directory has a shared mailbox, a suspended user and a user without a birthdate",
  );
  sharedEmail = someSharedEmail;
  suspended = someSuspended;
  noBirthdate = someNoBirthdate;
});
after(async () => {
  await server?.stop();
});

/** Console errors other than Chromium's notes about the refusals the tests provoke (401, 403, 404, 409, 429). */
const unexpected = (/** @type {string[]} */ errors) =>
  errors.filter((e) => !/^Failed to load resource: the server responded with a status of (401|403|404|409|429)\b/.test(e));

/**
 * The latest one-time code mailed to `email`, read from the development mailbox as a signed-in admin.
 * @param {string} email
 * @returns {Promise<string>}
 */
async function codeFor(email) {
  for (let i = 0; i < 50; i++) {
    const { messages } = /** @type {{ messages: MailboxMessage[] }} */ (await (await server.adminFetch("api/mailbox")).json());
    const text = messages.find((m) => m.to.toLowerCase() === email.toLowerCase())?.text;
    const code = text === undefined ? undefined : /\b(\d{6})\b/.exec(text)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no code was mailed");
}

/**
 * Walks the page to the ID step for `person`: email, the mailed code.
 * @param {Page} page
 * @param {EmulatorUser} person
 */
async function toIdv(page, person, readCode = codeFor) {
  const email = asText(person.profile.email);
  await page.goto(`${server.url}portal/`);
  await page.locator("body[data-ready=true]").waitFor();
  await page.getByLabel("Work email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "2. The one-time code" }).waitFor();
  await page.getByLabel("One-time code", { exact: true }).fill(await readCode(email));
  await page.getByRole("button", { name: "Confirm the code" }).click();
  await page.getByRole("heading", { name: "3. Verify your ID" }).waitFor();
}

/**
 * Walks the page to the pre-check for `person` with the given demo ID scenario.
 * @param {Page} page
 * @param {EmulatorUser} person
 * @param {string} scenario
 */
async function toPrecheck(page, person, scenario, readCode = codeFor) {
  await toIdv(page, person, readCode);
  await page.getByLabel("Demo ID document").selectOption(scenario);
  await page.getByRole("button", { name: "Verify my ID" }).click();
  await page.getByRole("heading", { name: "4. Pre-check in your browser" }).waitFor();
  return page.locator("#precheck-summary").getAttribute("data-state");
}

/**
 * Clicks Continue and returns the server's state, capturing the id_token the page sent.
 * @param {Page} page
 */
async function decide(page) {
  const sent = page.waitForRequest((r) => r.url().endsWith("/portal-api/decide"));
  await page.getByRole("button", { name: "Continue" }).click();
  const request = await sent;
  await page.getByRole("heading", { name: "Result" }).waitFor();
  return { state: await page.locator("#result-message").getAttribute("data-state"), body: JSON.parse(request.postData() ?? "{}") };
}

test("success: code, ID verification, pre-check and the server's decision agree; a replayed result is refused", async () => {
  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  try {
    const person = people[0];
    // The demo's mail lands in the development mailbox, shown on the dashboard to a signed-in admin only.
    const admin = await launch({ width: 1440, height: 900 });
    await server.signIn(admin.page);
    const dashboard = admin.page;
    await dashboard.goto(server.url);
    await dashboard.getByRole("heading", { name: "Integrations" }).waitFor();
    assert.equal(
      await toPrecheck(page, person, "genuine", async () => {
        await dashboard.getByRole("button", { name: "Refresh" }).click();
        const item = dashboard.locator("#mailbox li", { hasText: `To ${person.profile.email}` }).first();
        await item.waitFor();
        return asText(/\b(\d{6})\b/.exec(asText(await item.textContent()))?.[1]);
      }),
      "success",
    );
    await admin.close();
    const pre = await page.locator("#precheck-claims li").allTextContents();
    assert.ok(
      pre.some((t) => t === "Your last name matches your HR record."),
      pre.join(" | "),
    );
    await screenshot(page, "portal-precheck-1440");
    const { state, body } = await decide(page);
    assert.equal(state, "success");
    assert.match(asText(await page.locator("#result-message").textContent()), /Identity confirmed/);
    // The page never shows the record's values, only outcomes.
    const text = asText(await page.locator("main").textContent());
    for (const v of [person.profile.lastName, person.profile.birthdate, person.profile.city])
      assert.ok(!text.includes(asText(v)), "a directory value is on the page");
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "portal-success-1440");
    // The same verification result sent again is refused (single use).
    const replay = await page.evaluate(async (b) => {
      const r = await fetch("/portal-api/decide", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(b),
      });
      return { status: r.status, body: await r.json() };
    }, body);
    assert.deepEqual([replay.status, replay.body.error.code], [401, "TOKEN_REPLAYED"]);
    assert.deepEqual(unexpected(errors), []);
  } finally {
    await close();
  }
});

test("failure states: mismatch, review and not found, in plain language", async () => {
  const { page, errors, close } = await launch({ width: 360, height: 800 });
  try {
    assert.equal(await toPrecheck(page, people[1], "different-birthdate"), "mismatch");
    assert.ok(asText(await page.locator("#precheck-claims li[data-claim=birthdate]").textContent()).includes("does not match"));
    const mismatch = await decide(page);
    assert.equal(mismatch.state, "mismatch");
    assert.match(asText(await page.locator("#result-message").textContent()), /date of birth on your ID does not match your HR record/);
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "portal-mismatch-360");

    // The address is optional evidence (CONTRACTS §2): a different address alone is no reason for review.
    assert.equal(await toPrecheck(page, people[3], "different-address"), "success");
    // In plain words, and never as a problem: the address is optional evidence.
    const address = page.locator("#precheck-claims li[data-claim=address]");
    assert.equal(await address.getAttribute("data-tone"), "neutral");
    assert.match(asText(await address.textContent()), /not needed/);
    assert.match(asText(await page.locator("#precheck-summary").textContent()), /agree closely enough/);
    assert.equal(await toPrecheck(page, people[2], "extra-given-name"), "review");
    assert.equal((await decide(page)).state, "review");
    assert.match(asText(await page.locator("#result-message").textContent()), /help desk must review/);

    // An unknown email gets the same answer as an employee's (no enumeration): the code step.
    await page.goto(`${server.url}portal/`);
    await page.getByLabel("Work email", { exact: true }).fill("nobody.here@nowhere.example");
    await page.getByRole("button", { name: "Send me a code" }).click();
    await page.getByRole("heading", { name: "2. The one-time code" }).waitFor();
    assert.match(asText(await page.locator("#code-sent").textContent()), /If that is an employee's work email/);
    await screenshot(page, "portal-not-found-360");
    assert.deepEqual(unexpected(errors), []);
  } finally {
    await close();
  }
});

test("forged and expired results: the server refuses them before any directory value is sent", async () => {
  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  try {
    /** @type {[number, string, string][]} */
    const refusals = [
      [3, "forged", "TOKEN_INVALID_SIGNATURE"],
      [4, "expired", "TOKEN_EXPIRED"],
    ];
    for (const [n, scenario, code] of refusals) {
      await toIdv(page, people[n]);
      await page.getByLabel("Demo ID document").selectOption(scenario);
      await page.getByRole("button", { name: "Verify my ID" }).click();
      await page.getByRole("heading", { name: "Result" }).waitFor();
      assert.equal(await page.locator("#result-message").getAttribute("data-state"), "refused");
      assert.ok(asText(await page.locator("#result-message").textContent()).includes(code), scenario);
      assert.ok(await page.locator("#step-precheck").isHidden(), `${scenario}: no pre-check without a verified result`);
    }
    // Wrong codes: five tries, then the session is gone.
    await page.goto(`${server.url}portal/`);
    await page.getByLabel("Work email", { exact: true }).fill(asText(people[5].profile.email));
    await page.getByRole("button", { name: "Send me a code" }).click();
    await page.getByRole("heading", { name: "2. The one-time code" }).waitFor();
    const right = await codeFor(asText(people[5].profile.email));
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) {
      await page.getByLabel("One-time code", { exact: true }).fill(wrong);
      await page.getByRole("button", { name: "Confirm the code" }).click();
      await page.getByText(`(${4 - i} tries left)`).waitFor();
    }
    await page.getByLabel("One-time code", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Confirm the code" }).click();
    await page.getByText("too many wrong codes").waitFor();
    await page.getByLabel("One-time code", { exact: true }).fill(right);
    await page.getByRole("button", { name: "Confirm the code" }).click();
    await page.getByText("start again with your work email").waitFor();
    assert.ok(await page.locator("#step-idv").isHidden(), "no record after the session was closed");
    assert.deepEqual(unexpected(errors), []);
  } finally {
    await close();
  }
});

test("ambiguous, deactivated and missing directory attributes: told plainly, decided the same on the server", async () => {
  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${server.url}portal/`);
    await page.getByLabel("Work email", { exact: true }).fill(sharedEmail);
    await page.getByRole("button", { name: "Send me a code" }).click();
    await page.getByRole("heading", { name: "2. The one-time code" }).waitFor();

    assert.equal(await toPrecheck(page, suspended, "genuine"), "deactivated");
    assert.equal((await decide(page)).state, "deactivated");
    assert.match(asText(await page.locator("#result-message").textContent()), /account is deactivated\. Contact your manager or HR/);

    assert.equal(await toPrecheck(page, noBirthdate, "genuine"), "missing_attributes");
    assert.equal((await decide(page)).state, "missing_attributes");
    assert.match(asText(await page.locator("#result-message").textContent()), /Your HR record lacks your date of birth\. Contact HR/);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "portal-missing-attribute-1440");
    assert.deepEqual(unexpected(errors), []);
  } finally {
    await close();
  }
});

// The policy editor in a real browser against the demo server: past verifications (through the portal, each
// recorded with its comparison vector) are replayed under a draft before it is saved — the counts are on
// screen first; an invalid setting is the engine's error next to its field; saving is an admin write (session
// and Origin), logged; the saved policy is the one the next verification is decided under.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { asText, axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @typedef {import("./browser.mjs").DirectoryTable} DirectoryTable */
/** @typedef {import("./browser.mjs").MailboxMessage} MailboxMessage */
/** @typedef {import("./browser.mjs").Page} Page */
/** @typedef {import("./browser.mjs").UserDetail} UserDetail */

const docs = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const shots = fileURLToPath(new URL("../../.cache/screenshots/", import.meta.url));
/**
 * Screenshot into .cache/screenshots and copy into docs/screenshots (the README's).
 * @param {Page} page
 * @param {string} name
 */
async function docShot(page, name) {
  await screenshot(page, name);
  mkdirSync(docs, { recursive: true });
  copyFileSync(join(shots, `${name}.png`), join(docs, `${name}.png`));
}

/** @type {import("./browser.mjs").DashboardServer} */
let server;
/** @type {string} */
let origin;
/** @type {string} */
let emulatorUrl;
/** Active users with every required attribute and a family name long enough for a one-letter slip. */
/** @type {UserDetail[]} */
let people;

before(async () => {
  server = await startServer("--demo", "--demo-users", "400", "--portal-limits", "startsPerClient=100000,clientFree=100000");
  origin = server.url.replace(/\/$/, "");
  /** @type {DirectoryTable | undefined} */
  let table;
  for (let k = 0; k < 600; k++) {
    const demo = await (await server.adminFetch("api/integrations/demo")).json().catch(() => null);
    if (demo?.hasDirectory) {
      emulatorUrl = demo.orgUrl;
      table = await (await server.adminFetch("api/integrations/demo/directory")).json();
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(table, "the demo directory synced");
  const required = table.attributes.map((a, n) => (a.required ? n : -1)).filter((n) => n >= 0);
  const u = table.users;
  const ok = u.id
    .map((_, n) => n)
    .filter((n) => u.status[n] === "ACTIVE" && !u.missing[n].some((a) => required.includes(a)) && u.email[n] && u.login[n] === u.email[n]);
  const details = /** @type {UserDetail[]} */ (
    await Promise.all(ok.slice(0, 60).map(async (n) => (await server.adminFetch(`api/integrations/demo/users/${u.id[n]}`)).json()))
  );
  const emails = details.map((d) => asText(d.user.email).toLowerCase());
  people = details.filter(
    (d) => /^[A-Za-z]{6,}$/.test(d.user.name.family ?? "") && emails.filter((e) => e === asText(d.user.email).toLowerCase()).length === 1,
  );
  assert.ok(people.length >= 3, "three suitable demo users");
});
after(async () => server?.stop());

/**
 * A call to the portal's API; its status and JSON answer.
 * @param {string} action
 * @param {unknown} body
 */
const portal = async (action, body) => {
  const res = await fetch(`${origin}/portal-api/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
/**
 * The one-time code mailed to `email` since `since` (ms), from the development mailbox.
 * @param {string} email
 * @param {number} since
 */
async function codeFor(email, since) {
  for (let i = 0; i < 100; i++) {
    const { messages } = /** @type {{ messages: MailboxMessage[] }} */ (await (await server.adminFetch("api/mailbox")).json());
    const m = messages.find((x) => x.to.toLowerCase() === email.toLowerCase() && x.at >= since);
    const code = m === undefined ? undefined : /\b(\d{6})\b/.exec(m.text)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no code was mailed");
}
/**
 * One verification through the portal (email, code, the demo vendor's signed result, decide).
 * @param {UserDetail} person
 * @param {Record<string, unknown>} [overrides] claims of the ID that differ from the directory's
 */
async function verify(person, overrides = {}) {
  const at = Date.now();
  const { body } = await portal("start", { email: person.user.email });
  const code = await codeFor(asText(person.user.email), at);
  const answer = await portal("code", { session: body.session, code });
  assert.equal(answer.status, 200);
  const issued = await fetch(`${emulatorUrl}/idv/control/issue`, {
    method: "POST",
    body: JSON.stringify({ userId: person.user.id, audience: "okta-directory-portal", nonce: answer.body.nonce, overrides }),
  });
  assert.equal(issued.status, 201);
  const decided = await portal("decide", { session: body.session, idToken: (await issued.json()).id_token });
  assert.equal(decided.status, 200);
  return decided.body;
}
/** A one-letter slip: the third letter doubled (Mitchell → Mitcchell). */
const slip = (/** @type {string} */ s) => s.slice(0, 3) + s[2] + s.slice(3);

test("policy editor: live validation, readiness impact and shadow replay counts before saving; the saved policy decides", async () => {
  const [exact, slipped, later] = people;
  assert.equal((await verify(exact)).state, "success");
  assert.equal(
    (await verify(slipped, { family_name: slip(asText(slipped.user.name.family)) })).state,
    "success",
    "a one-letter slip is a match under the default policy",
  );

  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  await server.signIn(page);
  try {
    await page.goto(`${server.url}#/policy`);
    await page.getByRole("heading", { name: "Matching policy" }).waitFor();
    await page.locator("#policy-impact-status", { hasText: "This draft is the saved policy." }).waitFor();
    assert.ok(await page.locator("#policy-save").isDisabled(), "nothing to save yet");

    // An invalid setting: the engine's error, next to its field; no counts, no save.
    await page.getByLabel("Directory attribute for First name").fill("first name");
    await page.locator("#pol-given_name-error:not([hidden])").waitFor();
    assert.match(asText(await page.locator("#pol-given_name-error").textContent()), /First name \(source\): .*whitespace/);
    assert.equal(await page.locator("#pol-given_name-source").getAttribute("aria-invalid"), "true");
    assert.ok(await page.locator("#policy-save").isDisabled());
    await page.getByLabel("Directory attribute for First name").fill("");

    // Last name compared exactly: the slip would now fail, the exact match is unchanged — shown before saving.
    await page.getByLabel("Comparison: Last name").selectOption("exact");
    await page.locator("#policy-fail", { hasText: "1 attempt" }).waitFor();
    assert.equal(await page.locator("#pol-given_name-error").isHidden(), true, "the error went away with the fix");
    assert.equal(await page.locator("#policy-pass").textContent(), "0 attempts");
    assert.equal(await page.locator("#policy-unchanged").textContent(), "1 attempt");
    assert.equal(await page.locator("#policy-cannot").textContent(), "0 attempts");
    assert.match(asText(await page.locator("#policy-readiness").textContent()), /no change/);
    assert.match(asText(await page.locator("#policy-changes").textContent()), /family_name\.mode: "fuzzy" → "exact"/);
    // Another directory attribute for a detail: the vectors cannot replay it, and the page says why.
    await page.getByLabel("Directory attribute for Date of birth").fill("profile.dateOfBirth");
    await page.locator("#policy-cannot", { hasText: "2 attempts (2 — a changed directory attribute)" }).waitFor();
    await page.getByLabel("Directory attribute for Date of birth").fill("");
    // Requiring the middle name: more users not ready (the readiness audit under the draft).
    await page.getByLabel("Required: Middle name").check();
    await page.locator("#policy-readiness", { hasText: /more users? not ready/ }).waitFor();
    await page.getByLabel("Required: Middle name").uncheck();
    await page.locator("#policy-readiness", { hasText: "no change" }).waitFor();
    await page.locator("#policy-fail", { hasText: "1 attempt" }).waitFor();
    assert.ok(await page.locator("#policy-save").isEnabled());
    assert.deepEqual(await axeViolations(page), []);
    await docShot(page, "policy-editor-1440");

    // Saving is an admin write: no session → 401, a foreign Origin → 403.
    const draft = { version: 1, claims: { given_name: {}, family_name: { mode: "exact" }, birthdate: {} } };
    const anonymous = await fetch(`${origin}/api/policy`, {
      method: "PUT",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ document: draft }),
    });
    assert.equal(anonymous.status, 401);
    const foreign = await server.adminFetch("api/policy", {
      method: "PUT",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ document: draft }),
    });
    assert.equal(foreign.status, 403);
    const invalid = await server.adminFetch("api/policy", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ document: { claims: { given_name: { mode: "loose" } } } }),
    });
    assert.deepEqual([invalid.status, (await invalid.json()).errors[0].path], [422, "claims.given_name.mode"]);

    await page.getByRole("button", { name: "Save policy" }).click();
    await page.locator("#policy-saved", { hasText: "Saved as policy-v1" }).waitFor();
    await page.locator("#policy-log tbody tr", { hasText: "policy-v1" }).waitFor();
    const logRow = asText(await page.locator("#policy-log tbody tr").first().textContent());
    assert.match(logRow, /bootstrap admin/);
    assert.match(logRow, /0 pass, 1 fail, 1 unchanged, 0 cannot replay/);
    assert.match(asText(await page.locator("#policy-current").textContent()), /In force: policy-v1/);
    assert.equal(await overflow(page), 0);
    // A phone-sized window: the form scrolls inside its own box, the page does not overflow.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(
      errors.filter((e) => !/status of 422/.test(e)),
      [],
      "only the invalid draft's expected 422",
    );
  } finally {
    await close();
  }
  // The saved policy is the one the portal now decides under: the same kind of slip is refused.
  assert.equal((await verify(later, { family_name: slip(asText(later.user.name.family)) })).state, "mismatch");
  const detail = /** @type {UserDetail} */ (await (await server.adminFetch(`api/integrations/demo/users/${later.user.id}`)).json());
  assert.equal(detail.history.at(-1)?.policyId, "policy-v1");
  // The Readiness page audits under the saved policy: requiring the middle name leaves more users not ready.
  const before = (await (await server.adminFetch("api/integrations/demo/audit")).json()).notReady;
  const stale = await server.adminFetch("api/policy", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ document: { claims: { given_name: {}, family_name: {}, birthdate: {} } }, baseVersion: 0 }),
  });
  assert.equal(stale.status, 409, "a draft from before the last save is refused");
  const middle = { claims: { given_name: {}, family_name: { mode: "exact" }, birthdate: {}, middle_name: { required: true } } };
  const saved = await server.adminFetch("api/policy", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ document: middle, baseVersion: 1 }),
  });
  assert.equal(saved.status, 200);
  const afterSave = (await (await server.adminFetch("api/integrations/demo/audit")).json()).notReady;
  assert.ok(afterSave > before, `not ready ${before} → ${afterSave}`);
});

// The helpdesk verification console and the app shell, in a real browser against the demo server: an agent
// finds a caller, sends a verification link, follows the caller's ID check live, sees the decision in plain
// words, and finds it in the verification log (filter, CSV without claim values). The agent has no way to
// mark a match. Then axe and overflow at 390 and 1440 px, and screenshots for the docs.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { asText, axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @typedef {import("./browser.mjs").DirectoryTable} DirectoryTable */
/** @typedef {import("./browser.mjs").MailboxMessage} MailboxMessage */
/** @typedef {import("./browser.mjs").Page} Page */
/** @typedef {import("./browser.mjs").UserDetail} UserDetail */
/** @typedef {{ id: string, outcome: string | null }} AuditEntry An entry of the verification log (the fields read here). */

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
/** Two active users with every required attribute, not yet enrolled: one verifies, one's ID differs. */
/** @type {UserDetail[]} */
let callers;

before(async () => {
  server = await startServer("--demo", "--demo-users", "400");
  /** @type {DirectoryTable | undefined} */
  let table;
  for (let k = 0; k < 300; k++) {
    const list = await (await server.adminFetch("api/integrations")).json();
    if (list[0]?.hasDirectory) {
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
    .filter(
      (n) =>
        u.status[n] === "ACTIVE" && u.enrollment[n] === "not_enrolled" && !u.missing[n].some((a) => required.includes(a)) && u.email[n],
    );
  callers = await Promise.all(ok.slice(0, 2).map(async (n) => (await server.adminFetch(`api/integrations/demo/users/${u.id[n]}`)).json()));
  assert.equal(callers.length, 2);
});
after(async () => {
  await server?.stop();
});

/**
 * The helpdesk link mailed to `email` (the development mailbox, read as the admin).
 * @param {string} email
 */
const linkFor = async (email) => {
  for (let k = 0; k < 50; k++) {
    const { messages } = /** @type {{ messages: MailboxMessage[] }} */ (await (await server.adminFetch("api/mailbox")).json());
    const text = messages.find((m) => m.to === email && m.subject.includes("help desk"))?.text;
    const link = text === undefined ? undefined : /(http:\/\/\S+#request=[\w-]+)/.exec(text)?.[1];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no link was sent");
};

/**
 * The agent's console: find, send, and return the link the caller got.
 * @param {Page} page
 * @param {UserDetail} user
 * @param {string} query
 */
async function sendLink(page, user, query) {
  await page.goto(`${server.url}#/helpdesk`);
  await page.getByLabel("Caller (login, email or name)").fill(query);
  await page.getByRole("button", { name: "Find" }).click();
  const name = [user.user.name.given, user.user.name.family].join(" ");
  const pick = page.locator("#helpdesk-candidates button", { hasText: name });
  await Promise.race([page.locator("#helpdesk-caller-name", { hasText: name }).waitFor(), pick.first().waitFor()]);
  if (await pick.count()) await pick.first().click();
  await page.locator("#helpdesk-caller-name", { hasText: name }).waitFor();
  await page.getByRole("button", { name: "Send verification link" }).click();
  await page.locator("#helpdesk-timeline li.done", { hasText: "Link sent to the caller" }).waitFor();
  return linkFor(asText(user.user.email));
}

/**
 * The caller, on their own device: open the link, run the demo ID check, continue.
 * @param {string} link
 * @param {string} scenario the demo ID document
 */
async function callerVerifies(link, scenario) {
  const caller = await launch({ width: 390, height: 844 });
  try {
    await caller.page.goto(link);
    await caller.page.getByRole("heading", { name: "3. Verify your ID" }).waitFor();
    // Finished steps are collapsed: their buttons are gone.
    assert.equal(await caller.page.getByRole("button", { name: "Send me a code" }).count(), 0);
    assert.equal(await caller.page.getByRole("button", { name: "Confirm the code" }).count(), 0);
    assert.equal(new URL(caller.page.url()).hash, "", "the token left the address bar");
    await caller.page.getByLabel("Demo ID document").selectOption(scenario);
    await caller.page.getByRole("button", { name: "Verify my ID" }).click();
    await caller.page.getByRole("heading", { name: "4. Pre-check in your browser" }).waitFor();
    await caller.page.getByRole("button", { name: "Continue" }).click();
    await caller.page.getByRole("heading", { name: "Result" }).waitFor();
    assert.equal(await caller.page.getByRole("button", { name: "Verify my ID" }).count(), 0, "the ID step is collapsed");
    assert.equal(await caller.page.getByRole("button", { name: "Continue" }).count(), 0, "the pre-check step is collapsed");
    assert.equal(await caller.page.getByText(/engine/i).count(), 0, "no engine status for employees");
    assert.equal(await overflow(caller.page), 0);
    assert.deepEqual(await axeViolations(caller.page), []);
    if (scenario === "genuine") await docShot(caller.page, "portal-stepper-390");
    // The link works once.
    await caller.page.goto("about:blank");
    await caller.page.goto(link);
    await caller.page.getByText("this link is not valid any more").waitFor();
    assert.deepEqual(
      caller.errors.filter((e) => !/401/.test(e)),
      [],
    );
  } finally {
    await caller.close();
  }
}

test("helpdesk: find the caller, send a link, follow the verification live, see the decision and the log", async () => {
  const agent = await launch({ width: 1440, height: 900 });
  await server.signIn(agent.page);
  const { page } = agent;
  try {
    const [good, bad] = callers;
    // By login hint.
    const link = await sendLink(page, good, asText(good.user.login).toUpperCase());
    assert.match(asText(await page.locator("#helpdesk-caller-facts").textContent()), /Okta status.*Active/);
    assert.match(asText(await page.locator("#helpdesk-caller-facts").textContent()), /Ready: every required attribute is present/);
    await callerVerifies(link, "genuine");
    // Live: the decision reaches the console over the admin event stream, no reload.
    await page.locator("#helpdesk-decision[data-outcome=success]").waitFor();
    assert.match(asText(await page.locator("#helpdesk-decision").textContent()), /Verified: the ID matches the directory/);
    const rows = await page.locator("#helpdesk-claims tbody tr").allTextContents();
    assert.ok(
      rows.some((r) => r.startsWith("Last name") && r.includes("Matches the directory")),
      rows.join(" | "),
    );
    await docShot(page, "helpdesk-console-1440");

    // By name: another date of birth on the ID is a mismatch, explained per claim. (A different last name alone,
    // with the other details agreeing, is a changed name: review, a person checks the document.)
    const link2 = await sendLink(page, bad, `${bad.user.name.given} ${bad.user.name.family}`);
    await callerVerifies(link2, "different-birthdate");
    await page.locator("#helpdesk-decision[data-outcome=mismatch]").waitFor();
    const born = page.locator('#helpdesk-claims tr[data-claim="birthdate"]');
    assert.match(asText(await born.textContent()), /Differs from the directory/);

    // The agent cannot mark a match: no route writes an outcome.
    const { entries } = /** @type {{ entries: AuditEntry[] }} */ (await (await server.adminFetch("api/helpdesk/audit")).json());
    const mismatch = entries.find((e) => e.outcome === "mismatch");
    assert.ok(mismatch, "the mismatch is in the log");
    for (const method of ["POST", "PUT", "PATCH"]) {
      const r = await server.adminFetch(`api/helpdesk/requests/${mismatch.id}`, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outcome: "success", decision: "match", state: "decided" }),
      });
      assert.equal(r.status, 404, method);
    }
    const forged = await server.adminFetch("api/helpdesk/requests", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: bad.user.id, outcome: "success" }),
    });
    assert.equal((await forged.json()).outcome, null, "a new request starts undecided whatever the body says");
    const after = await (await server.adminFetch(`api/helpdesk/requests/${mismatch.id}`)).json();
    assert.equal(after.outcome, "mismatch");
    const detail = await (await server.adminFetch(`api/integrations/demo/users/${bad.user.id}`)).json();
    assert.notEqual(detail.enrollment.status, "enrolled");

    // The log: both verifications, filterable, exportable without claim values.
    await page.getByRole("link", { name: "Verification log" }).click();
    await page.locator("#audit-count", { hasText: "3 verifications" }).waitFor();
    await page.getByLabel("Outcome").selectOption("success");
    await page.locator("#audit-count", { hasText: "1 verification" }).waitFor();
    assert.match(
      asText(await page.locator("#audit-table tbody").textContent()),
      new RegExp(asText(good.user.login).replace(/[.]/g, "\\.")),
    );
    await page.getByLabel("Outcome").selectOption("mismatch");
    // The success filter also showed "1 verification": wait for the mismatch row itself, not the count.
    await page.locator("#audit-table tbody", { hasText: "Date of birth: differs from the directory" }).waitFor();
    await page.locator("#audit-count", { hasText: "1 verification" }).waitFor();
    assert.match(asText(await page.locator("#audit-table tbody").textContent()), /Date of birth: differs from the directory/);
    assert.doesNotMatch(asText(await page.locator("#audit-table tbody").textContent()), /Verified: the ID matches/);
    await page.getByLabel("Outcome").selectOption("");
    await page.locator("#audit-count", { hasText: "3 verifications" }).waitFor();
    await docShot(page, "verification-log-1440");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv.trim().split("\n");
    assert.equal(lines.length, 4);
    assert.match(
      lines[0],
      /^request_id,requested_at,agent,user_id,login,channel,state,decision,outcome,claim_outcomes,reason_codes,error_code$/,
    );
    assert.ok(
      lines.some((l) => l.includes("birthdate:mismatch")),
      csv,
    );
    for (const u of callers) {
      for (const value of [u.user.birthdate, u.user.address?.locality, u.user.address?.postalCode, u.user.address?.streetAddress]) {
        if (value) assert.ok(!csv.includes(value), "no claim or record value in the CSV");
      }
    }
    // Admin-only: without a session the log and the CSV are refused.
    assert.equal((await fetch(`${server.url}api/helpdesk/audit.csv`)).status, 401);
    assert.deepEqual(agent.errors, []);
  } finally {
    await agent.close();
  }
});

test("app shell: sidebar, header with admin and directory picker, human labels, risk colours; axe and 390 px", async () => {
  /** @type {string[]} */
  const problems = [];
  for (const width of [390, 1440]) {
    const { page, errors, close } = await launch({ width, height: 900 });
    await server.signIn(page);
    try {
      await page.goto(`${server.url}#/directory`);
      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Helpdesk" }).waitFor();
      await page.locator("#header-picker option").first().waitFor({ state: "attached" });
      await page.getByText("Signed in with the bootstrap token").waitFor();
      await page
        .getByRole("status")
        .filter({ hasText: /^Showing/ })
        .waitFor();
      // No raw enum in prose: the summary says "active", never "ACTIVE" or "LOCKED_OUT".
      const summary = asText(await page.locator("#directory-summary").textContent());
      assert.ok(!/\b[A-Z]{2,}(_[A-Z]+)*\b/.test(summary.replace(/\d/g, "")), summary);
      // Long values wrap at their parts: no piece of the email between "@" and "." is split across lines.
      await page.locator("#users-body tr.row button").first().click();
      const email = page.getByRole("dialog").locator("table.fields tr", { hasText: "Email" }).first().locator("td.value");
      await email.waitFor();
      const split = await email.evaluate((td) =>
        [...td.childNodes]
          .filter((n) => n.nodeType === 3)
          .filter((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
          })
          .map((n) => n.textContent),
      );
      assert.deepEqual(split, [], `pieces wrapped mid-word at ${width}px`);
      assert.ok((await email.locator("wbr").count()) >= 2);
      await page.keyboard.press("Escape");
      if (width === 1440) {
        assert.ok(asText(await page.locator("#users-body .col-status .dot").first().getAttribute("class")).includes("tone-"));
        // The Missing (required) column lists required attributes only.
        assert.equal(await page.locator("#users-body .col-missing", { hasText: "optional" }).count(), 0);
        await docShot(page, "app-shell-1440");
      }
      await page.goto(`${server.url}#/readiness`);
      await page.locator("#readiness-attributes tbody tr").first().waitFor();
      // A required attribute missing for a large share is red ("High risk"); optional ones are grey.
      const risks = await page.locator("#readiness-attributes tbody tr").evaluateAll((rows) =>
        rows.map((r) => ({
          share: parseFloat(r.querySelector("td.risk")?.textContent ?? "0"),
          risk: r.querySelector("td.risk")?.getAttribute("data-risk"),
          required: (r.textContent ?? "").includes("required"),
        })),
      );
      for (const r of risks) {
        if (!r.required) assert.equal(r.risk, "muted");
        else assert.equal(r.risk, r.share >= 20 ? "bad" : r.share >= 5 ? "warn" : "ok", JSON.stringify(r));
      }
      for (const [name, hash] of [
        ["helpdesk", "#/helpdesk"],
        ["audit", "#/audit"],
        ["readiness", "#/readiness"],
        ["directory", "#/directory"],
      ]) {
        await page.goto(`${server.url}${hash}`);
        await page.locator(`section[data-page=${name}]:not([hidden])`).waitFor();
        if (name === "audit")
          await page
            .locator("#audit-count")
            .filter({ hasText: /verification/ })
            .waitFor();
        if (name === "helpdesk") {
          await page.getByLabel("Caller (login, email or name)").fill(asText(callers[0].user.login));
          await page.getByRole("button", { name: "Find" }).click();
          await page.locator("#helpdesk-caller:not([hidden])").waitFor();
        }
        for (const v of await axeViolations(page)) problems.push(`${name} @${width}px: ${v}`);
        const extra = await overflow(page);
        if (extra > 0) problems.push(`${name} @${width}px: ${extra}px horizontal overflow`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  assert.deepEqual(problems, []);
});

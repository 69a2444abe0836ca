#!/usr/bin/env node
// The dashboard's backend: serves the browser app (www/app/) and the browser build of the SDK (/sdk/),
// stores Okta Directory integrations on disk, checks their authorization and runs their syncs server-side
// with the SDK (Okta refuses browser-origin token requests, and a private key must not live in a browser),
// streaming progress to the page over Server-Sent Events. `--help` lists the options (cli.mjs).
//
// Admin sign-in: every /api/ route and the event stream need an admin session (an HttpOnly cookie), got by
// "Sign in with Okta" (OIDC code + PKCE) or once by the bootstrap token printed at start. The portal's API
// (/portal-api/) is separate and anonymous.
//
// This file starts things in order: options → the App (app.mjs) → stored integrations and their views →
// the demo emulator or a pre-filled org → "Sign in with Okta" → the scheduler → listening.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { checkOrgUrl } from "../app/validate.js";
import { createApp } from "./app.mjs";
import { COMMAND, USAGE, UsageError, parseOptions } from "./cli.mjs";
import { createIntegration, loadView, save, updateIntegration } from "./integrations.mjs";
import { createOidcClient } from "./oidc-client.mjs";
import { createRequestHandler } from "./routes.mjs";
import { createScheduler } from "./schedule.mjs";
import { authorize, errorInfo, sync } from "./sync.mjs";

/** @typedef {import("./app.mjs").App} App */

/** The options, or exit: `--help` prints the usage (0), a mistake one line on stderr (2). */
const options = (() => {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`dashboard: ${e.message} (see ${COMMAND} --help)\n`);
    process.exit(2);
  }
})();
if (options === null) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const app = await createApp(options);
const server = createServer(createRequestHandler(app));

for (const i of await app.store.loadIntegrations()) app.integrations.set(i.id, i);
for (const i of app.integrations.values()) {
  app.keyPresence.set(i.id, await app.store.hasKey(i.id));
  await loadView(app, i).catch((e) => process.stderr.write(`dashboard: could not load the directory of ${i.id} (${errorInfo(e).code})\n`));
}

if (options.demo) await startDemo(app);
else if (options.oktaOrg) await prefillOrg(app, options.oktaOrg);

if (options.adminOidcIssuer && options.adminOidcClientId) {
  const issuer = options.adminOidcIssuer;
  const problem = checkOrgUrl(issuer.replace(/\/+$/, ""), false);
  if (problem) {
    process.stderr.write(`dashboard: --admin-oidc-issuer: ${problem}\n`);
    process.exit(2);
  }
  app.oidc = createOidcClient({ issuer, clientId: options.adminOidcClientId });
}

// Scheduled syncs: every 30 s, start those whose interval has passed since their last run.
createScheduler({
  list: () => [...app.integrations.values()],
  lastStart: async (id, mode) =>
    (await app.runs.list(id)).find((r) => mode === undefined || (r.mode ?? "full") === mode)?.startedAt ?? null,
  busy: (id) => app.jobs.has(id),
  run: (id, mode) => {
    const i = app.integrations.get(id);
    if (i) void sync(app, i, "schedule", mode);
  },
}).start(30_000);

server.listen(options.port, options.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const origin = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  const emulator = app.emulator;
  if (emulator?.oidc && emulator.admin) {
    // The demo's "Sign in with Okta": a public OIDC client on the emulator, redirecting back here.
    const uris = [...new Set([origin, `http://127.0.0.1:${port}`, `http://localhost:${port}`])].map((o) => `${o}/auth/oidc/callback`);
    app.oidc = createOidcClient({ issuer: emulator.url, clientId: emulator.oidc.registerClient(uris) });
    process.stderr.write(`dashboard: Sign in with Okta (emulator) as ${emulator.admin.username} / ${emulator.admin.password}\n`);
  }
  // The one-time bootstrap sign-in, as local admin tools print it: the token travels in the URL's fragment
  // (never sent to a server or written to a log); the sign-in page posts it once and forgets it.
  const bootstrapUrl = `${origin}/signin.html#bootstrap=${app.bootstrap.token}`;
  process.stdout.write(`${JSON.stringify({ url: `${origin}/`, bootstrapUrl, ...(emulator?.admin ? { admin: emulator.admin } : {}) })}\n`);
  process.stderr.write(`dashboard: ${origin}/  (Ctrl-C to stop)\ndashboard: sign in once with ${bootstrapUrl}\n`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const job of app.jobs.values()) job.controller.abort();
    app.events.closeAll();
    server.close();
    void (app.emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

/**
 * `--demo`: starts the bundled Okta emulator and points the "demo" integration at it (a new port, client and
 * key on every start), then checks its authorization and, the first time, syncs it.
 * @param {App} app
 */
async function startDemo(app) {
  const { startEmulator } = await import("../../js/dist/emulator/index.js");
  const users = app.options.demoUsers;
  const emu = await startEmulator({ users, groups: 25, seed: 7, rateLimit: "off" });
  app.emulator = emu;
  const workforce = emu.env.store.groups.find((g) => g.type === "OKTA_GROUP")?.id;
  const body = {
    name: "Demo directory (bundled Okta emulator)",
    orgUrl: emu.url,
    clientId: emu.clientId,
    keyId: emu.keyId,
    privateKey: emu.privateKeyPem,
    insecureLoopback: true,
    ...(workforce ? { workforceGroupId: workforce } : {}),
  };
  const existing = app.integrations.get("demo");
  const { integration, errors } = existing ? await updateIntegration(app, existing, body) : await createIntegration(app, body, "demo");
  if (!integration) throw new Error(`demo integration refused: ${JSON.stringify(errors)}`);
  await save(app, { ...integration, demo: true });
  process.stderr.write(`dashboard: Okta emulator with ${users.toLocaleString("en")} users at ${emu.url}\n`);
  const demo = app.integrations.get("demo") ?? integration;
  void authorize(app, demo).then(async () => {
    const checked = app.integrations.get("demo");
    if (checked?.state === "ready" && !app.views.has("demo")) await sync(app, checked);
  });
}

/**
 * `--okta-org`: pre-fills the "okta" integration from the command line (a mistake: one line per field on
 * stderr, exit 2), then checks its authorization (one token request and one page of users).
 * @param {App} app @param {string} orgUrl
 */
async function prefillOrg(app, orgUrl) {
  const o = app.options;
  const body = {
    name: "Okta directory",
    orgUrl,
    clientId: o.clientId ?? "",
    keyId: o.keyId ?? "",
    workforceGroupId: o.workforceGroup ?? "",
    privateKey: o.privateKey ? await readFile(o.privateKey, "utf8") : "",
  };
  const existing = app.integrations.get("okta");
  const { errors, integration } = existing ? await updateIntegration(app, existing, body) : await createIntegration(app, body, "okta");
  if (errors) {
    for (const [field, message] of Object.entries(errors)) process.stderr.write(`dashboard: --${field}: ${message}\n`);
    process.exit(2);
  }
  if (app.keyPresence.get("okta")) void authorize(app, integration);
}

// The dashboard server's state and services in one explicit object, created once and passed to every
// route and job (no module-global state): the store, the integrations and their jobs and views, the event
// stream, admin sessions, and the portal's, helpdesk's and policy editor's services.
import { createBootstrap, createSessionStore } from "./admin-auth.mjs";
import { createEvents } from "./events.mjs";
import { createHelpdesk } from "./helpdesk.mjs";
import { json, readJson } from "./http.mjs";
import { devMailbox, smtpSender } from "./mail.mjs";
import { createPolicies } from "./policy.mjs";
import { createPortal } from "./portal-api.mjs";
import { createPossession } from "./possession.mjs";
import { createRunStore } from "./schedule.mjs";
import { createStore } from "./store.mjs";
import { applyHistory } from "./views.mjs";

/**
 * @typedef {import("./cli.mjs").Options} Options
 * @typedef {import("./integrations.mjs").Integration} Integration
 * @typedef {import("./integrations.mjs").Job} Job
 * @typedef {import("./views.mjs").View} View
 * @typedef {{ url: string, close(): Promise<void>, oidc?: { registerClient(uris: string[]): string },
 *   admin?: { username: string, password: string } }} DemoEmulator
 */

/**
 * @typedef {object} App
 * @property {Options} options the command line
 * @property {import("./store.mjs").Store} store persistence (--data)
 * @property {Awaited<ReturnType<typeof createRunStore>>} runs each integration's sync runs
 * @property {Map<string, Integration>} integrations by id
 * @property {Map<string, Job>} jobs running syncs and authorization checks, by integration id
 * @property {Map<string, boolean>} keyPresence whether each integration has a stored key
 * @property {Map<string, View>} views the in-memory view of each synced directory
 * @property {import("./events.mjs").Events} events the event stream to the open pages
 * @property {ReturnType<typeof createSessionStore>} adminSessions signed-in admins
 * @property {ReturnType<typeof createBootstrap>} bootstrap the one-time bootstrap sign-in
 * @property {ReturnType<typeof devMailbox> | ReturnType<typeof smtpSender>} sender where the portal's codes go
 * @property {Awaited<ReturnType<typeof createHelpdesk>>} helpdesk the helpdesk console's service
 * @property {Awaited<ReturnType<typeof createPolicies>>} policies the operator's matching policy
 * @property {ReturnType<typeof createPortal>} portal the self-serve portal's API
 * @property {ReturnType<typeof import("./oidc-client.mjs").createOidcClient> | null} oidc "Sign in with Okta", when configured
 * @property {DemoEmulator | undefined} emulator the bundled emulator (--demo)
 * @property {Set<string>} allowedHosts host names this server answers to
 */

/**
 * Creates the application: opens the store and the services; integrations are loaded by `main.mjs`.
 * @param {Options} options
 * @returns {Promise<App>}
 */
export async function createApp(options) {
  const store = await createStore(options.dataDir);
  const runs = await createRunStore(options.dataDir);
  /** @type {Map<string, View>} */
  const views = new Map();
  const adminSessions = createSessionStore();
  const events = createEvents({ live: (sessionId) => adminSessions.get(sessionId) !== undefined });
  /** Where the portal's one-time codes go: SMTP when configured, else the admins-only development mailbox. */
  const sender = options.smtpUrl ? smtpSender({ url: options.smtpUrl, from: options.mailFrom }) : devMailbox();
  const possession = createPossession({ sender, limits: options.portalLimits });
  /** The directory the portal (and so the helpdesk) verifies against: the demo integration, else the first synced one. */
  const portalView = () => {
    const id = views.has("demo") ? "demo" : views.keys().next().value;
    const view = id === undefined ? undefined : views.get(id);
    return id === undefined || !view ? null : { id, view };
  };
  /** The helpdesk console: links through the same sender (SMS: the dev mailbox in the demo, else none yet). */
  const helpdesk = await createHelpdesk({
    dataDir: options.dataDir,
    mail: sender,
    sms: sender.kind === "dev-mailbox" ? sender : null,
    view: portalView,
    broadcast: events.broadcast,
  });
  /** The operator's matching policy (the policy editor): what the portal and the helpdesk verify under. */
  const policies = await createPolicies({ dataDir: options.dataDir, view: portalView });
  /** @type {App} */
  const app = {
    options,
    store,
    runs,
    integrations: new Map(),
    jobs: new Map(),
    keyPresence: new Map(),
    views,
    events,
    adminSessions,
    bootstrap: createBootstrap(),
    sender,
    helpdesk,
    policies,
    oidc: null,
    emulator: undefined,
    allowedHosts: new Set(["127.0.0.1", "localhost", "[::1]", options.host.includes(":") ? `[${options.host}]` : options.host]),
    portal: createPortal({
      view: portalView,
      helpdesk,
      policies: policies.registry,
      idvUrl: () => (app.emulator ? `${app.emulator.url}/idv` : null),
      // The verification history of a directory, for the verification service (its only writer).
      histories: (viewId) => ({
        load: () => views.get(viewId)?.history ?? null,
        save: async (userId, history) => {
          const view = views.get(viewId);
          if (!view) return;
          view.history = history;
          await store.writeHistory(viewId, history);
          applyHistory(view, userId, history);
          events.broadcast("directory", { id: viewId });
        },
      }),
      possession,
      json,
      readJson,
    }),
  };
  return app;
}

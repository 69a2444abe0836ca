// Okta Event Hooks on Cloudflare Workers: the route handler the Worker mounts (e.g. POST/GET /hooks/okta).
//
// - GET with `X-Okta-Verification-Challenge` → `{"verification": …}` (Okta's one-time verification).
// - POST a delivery → each new event's change is queued in KV under okta-directory/hooks/pending/{eventId}
//   (Okta ids and event uuids only, never a profile value), for the sync to apply through the SDK's
//   `applyHookChanges` before it publishes (see docs/event-hooks.md). Deliveries (`eventId`) and events
//   (`uuid`) already taken are remembered in KV for HOOK_MEMORY_SECONDS, so a redelivery is queued once.
// - Every request must carry the hook's secret in the configured header (OKTA_HOOK_AUTH_HEADER, default
//   `authorization`), compared in constant time: otherwise 401 and nothing is read or written.
//
// Bindings: DIRECTORY (KV), OKTA_HOOK_SECRET (a secret: `wrangler secret put OKTA_HOOK_SECRET`, ≥ 16
// characters, the value registered as the hook's authScheme), OKTA_HOOK_AUTH_HEADER (optional var).
import { createEventHookReceiver, fetchHandler } from "okta-directory";

export const HOOK_PENDING_PREFIX = "okta-directory/hooks/pending/";
const SEEN_PREFIX = "okta-directory/hooks/seen/";
/** How long taken deliveries and events are remembered (Okta retries within seconds; redeliveries are rare). */
const HOOK_MEMORY_SECONDS = 7 * 86_400;

/**
 * @param {number} status
 * @param {unknown} value
 */
function json(status, value) {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

/**
 * The Event Hook route: `(request, env) → Response`.
 * @param {Request} request
 * @param {Env} env
 * @returns {Promise<Response>}
 */
export async function handleEventHook(request, env) {
  const secret = env.OKTA_HOOK_SECRET;
  if (typeof secret !== "string" || secret.length < 16)
    return json(503, { error: { code: "HOOK_NOT_CONFIGURED", message: "OKTA_HOOK_SECRET is not set (16+ characters)" } });
  const kv = env.DIRECTORY;
  const receiver = createEventHookReceiver({
    secret,
    authorizationHeader:
      typeof env.OKTA_HOOK_AUTH_HEADER === "string" && env.OKTA_HOOK_AUTH_HEADER !== "" ? env.OKTA_HOOK_AUTH_HEADER : "authorization",
    seen: {
      has: async (id) => (await kv.get(SEEN_PREFIX + id)) !== null,
      add: (id) => kv.put(SEEN_PREFIX + id, "1", { expirationTtl: HOOK_MEMORY_SECONDS }),
    },
    apply: async (changes) => {
      if (changes.events.length === 0) return;
      const pending = {
        eventId: changes.eventId,
        receivedAt: new Date().toISOString(),
        upsertUserIds: changes.upsertUserIds,
        deletedUserIds: changes.deletedUserIds,
        membershipChanges: changes.membershipChanges,
        events: changes.events.map((e) => ({ uuid: e.uuid, published: e.published, eventType: e.eventType })),
      };
      await kv.put(HOOK_PENDING_PREFIX + changes.eventId, JSON.stringify(pending), { expirationTtl: HOOK_MEMORY_SECONDS });
    },
  });
  return fetchHandler(receiver)(request);
}

/**
 * The queued changes, oldest listing order first (at most `limit` deliveries): each `{key, changes}` where
 * `changes` has the shape `applyHookChanges` takes. Delete a key once its changes are published.
 * @param {Env} env
 * @returns {Promise<{ key: string, changes: any }[]>}
 */
export async function pendingHookChanges(env, { limit = 100 } = {}) {
  /** @type {{ key: string, changes: any }[]} */
  const out = [];
  /** @type {string | undefined} */
  let cursor;
  do {
    /** @type {KVNamespaceListResult<unknown>} */
    const page = await env.DIRECTORY.list(cursor === undefined ? { prefix: HOOK_PENDING_PREFIX } : { prefix: HOOK_PENDING_PREFIX, cursor });
    for (const { name } of page.keys) {
      if (out.length >= limit) return out;
      const text = await env.DIRECTORY.get(name, { type: "text" });
      if (text !== null) out.push({ key: name, changes: JSON.parse(text) });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return out;
}

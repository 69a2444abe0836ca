// Okta Event Hooks on Cloudflare Workers: the route handler the Worker mounts (e.g. POST/GET /hooks/okta).
//
// - GET with `X-Okta-Verification-Challenge` → `{"verification": …}` (Okta's one-time verification).
// - POST a delivery → each new event's change is queued in KV under okta-directory/hooks/pending/{eventId}
//   (Okta ids and event uuids only, never a profile value), for the sync job's fast `hook` step
//   (`publishHookFast` below) and its next incremental run (see docs/event-hooks.md). Deliveries (`eventId`) and events
//   (`uuid`) are taken atomically, one VerificationGuard Durable Object per id (its `claimOnce`), and
//   remembered for HOOK_MEMORY_SECONDS, so a redelivery is queued once, even one that arrives while the
//   original is still being answered (Okta retries a delivery it waited 3 s for). KV's get-then-put could
//   not promise that: two copies read "not seen" before either wrote.
// - Every request must carry the hook's secret in the configured header (OKTA_HOOK_AUTH_HEADER, default
//   `authorization`), compared in constant time: otherwise 401 and nothing is read or written.
// - `publishHookFast` is the sync job's fast path for queued deliveries: their users re-read from Okta and
//   patched into their KV shards only (O(changed users)); a later incremental run polls the System Log past them.
//
// Bindings: DIRECTORY (KV), OKTA_HOOK_SECRET (a secret: `wrangler secret put OKTA_HOOK_SECRET`, ≥ 16
// characters, the value registered as the hook's authScheme), OKTA_HOOK_AUTH_HEADER (optional var).
import {
  KvDirectoryStore,
  createEventHookReceiver,
  fetchHandler,
  oktaOAuthUserFetcher,
  oktaUserFetcher,
  patchKvShards,
} from "okta-directory";
import { positiveNumber, SCAN_SHARDS } from "./ranged-incremental.js";

export const HOOK_PENDING_PREFIX = "okta-directory/hooks/pending/";
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
 * The receiver's memory of delivery and event ids, atomic: `has` takes the id in the same step (the first
 * caller ever gets false, every other true), so of concurrent copies of one delivery exactly one is new.
 * An id is taken before its delivery is queued: if queuing then fails (500), Okta's retry is a duplicate
 * and the change waits for the next scheduled poll instead.
 * @param {Env} env
 */
function claimedIds(env) {
  const ns = env.VERIFICATION_GUARD;
  return {
    has: async (/** @type {string} */ id) =>
      !(await ns.get(ns.idFromName(`hook:${id}`)).claimOnce(Date.now() + HOOK_MEMORY_SECONDS * 1000)),
    add: async () => {},
  };
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
    seen: claimedIds(env),
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

/** Ids from a queued delivery's field: an array of strings, else nothing (the route wrote it; KV is not trusted further). */
function idList(/** @type {unknown} */ value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}

/**
 * Reads users with the credentials the sync uses, as `oktaOptions` (sync-job.js) chose them: its API token, else
 * the OAuth app's key (one access token per fetcher, fetched on first use). `null` without either.
 * @param {ReturnType<typeof import("./sync-job.js").oktaOptions>} okta
 */
function hookUserFetcher(okta) {
  const common = { orgUrl: okta.orgUrl, allowInsecureLoopback: okta.allowInsecureLoopback, fetch: okta.fetch };
  if ("apiToken" in okta) return oktaUserFetcher({ ...common, apiToken: okta.apiToken });
  if (!okta.clientId || okta.privateKey === undefined) return null;
  return oktaOAuthUserFetcher({
    ...common,
    clientId: okta.clientId,
    privateKey: okta.privateKey,
    ...(okta.keyId ? { keyId: okta.keyId } : {}),
  });
}

/**
 * The Event Hook fast path (the sync job runs it between syncs, one run at a time): the deliveries queued
 * under `keys` are read, their users re-read from Okta (ids only: a delivery's values are never applied) and
 * published as shard patches (the SDK's `patchKvShards`: the bytes a whole publish would write): changed,
 * new, moved and deleted users and Workforce membership changes alike, then the manifest switches. Resolves
 * the publish (`version`, `digests`: the job's next base), or `null` when only a whole run is right — a live
 * manifest that is not `base.version`, a changed Workforce group record, Okta answering another id, a search of
 * every shard beyond SYNC_SCAN_SHARDS (the incremental run does it in steps), or no Okta
 * credentials — and then nothing was written: the caller runs an incremental sync instead. Users are read with
 * the sync's credentials: `OKTA_API_TOKEN`, else the OAuth app's (`OKTA_CLIENT_ID` + `OKTA_PRIVATE_KEY`,
 * `okta.users.read`, DPoP when the app requires it).
 * @param {{ env: Env, kv: KVNamespace, keys: string[], base: { version: string, digests: string[] }, okta: ReturnType<typeof import("./sync-job.js").oktaOptions> }} o
 */
export async function publishHookFast({ env, kv, keys, base, okta }) {
  const fetchUser = hookUserFetcher(okta);
  if (fetchUser === null) return null;
  /** @type {import("okta-directory").ShardChanges[]} */
  const changes = [];
  for (const key of keys) {
    const text = await kv.get(key, { type: "text" });
    // Cleared by a run that published it meanwhile, or expired: nothing left to apply.
    if (text === null) continue;
    const queued = JSON.parse(text);
    const memberships = Array.isArray(queued?.membershipChanges) ? queued.membershipChanges : [];
    changes.push({
      upsertUserIds: idList(queued?.upsertUserIds),
      deletedUserIds: idList(queued?.deletedUserIds),
      membershipChanges: memberships,
    });
  }
  // A search of every shard in one invocation only within SYNC_SCAN_SHARDS (KV reads); beyond, the incremental run's locate steps.
  return patchKvShards(new KvDirectoryStore(kv), changes, {
    fetchUser,
    previousVersion: base.version,
    previousDigests: base.digests,
    maxScanShards: positiveNumber(env.SYNC_SCAN_SHARDS, SCAN_SHARDS),
  });
}

/**
 * The Okta Event Hook receiver, independent of the server it runs in: answers the one-time verification
 * challenge, checks the configured authorization header in constant time, and hands each new delivery's
 * changes to `apply`, once (delivery `eventId`s and event `uuid`s are remembered, with a bound).
 * `fetchHandler` adapts it to `Request`/`Response` (Workers, Deno, Bun), `nodeHandler` to `node:http`.
 */
import { makeError, OktaDirectoryError } from "../errors.js";
import { parseDelivery, type HookChange, type HookEvent } from "./events.js";
import { BoundedSeenSet, type SeenStore } from "./seen.js";

/** What one delivery asks of the directory (events already applied are left out). */
export interface HookChanges {
  /** The delivery's `eventId`. */
  eventId: string;
  /** The new events, in delivery order. */
  events: HookEvent[];
  /** Users to re-read from Okta and upsert (created, activated, changed, deactivated…), in first-seen order. */
  upsertUserIds: string[];
  /** Users deleted from Okta. */
  deletedUserIds: string[];
  /** Membership changes, one per (group, user) pair: the last event of a pair wins. */
  membershipChanges: { groupId: string; userId: string; added: boolean }[];
}

/** Options of {@link createEventHookReceiver}. */
export interface EventHookReceiverOptions {
  /** The value Okta sends in `authorizationHeader` (the hook's `channel.config.authScheme.value`). At least 16 characters. */
  secret: string;
  /** The header carrying it (default `authorization`; the hook's `authScheme.key`). */
  authorizationHeader?: string;
  /** Applies a delivery's changes to the directory; resolves once they are stored. A rejection answers 500 (Okta retries). */
  apply: (changes: HookChanges) => Promise<void>;
  /** What was applied: delivery `eventId`s and event `uuid`s (default: the last 10 000 in memory). */
  seen?: SeenStore;
  /** Largest body accepted, bytes (default 1 MiB; Okta batches at most a few dozen events). */
  maxBodyBytes?: number;
  /**
   * When to answer a new delivery: `"applied"` (default) once `apply` resolved (a failure answers 500 and Okta
   * retries once); `"received"` at once (`202`), applying in the background — for directories whose apply may
   * take longer than Okta's 3-second wait. A background failure is counted in `stats.failed` and left to the
   * polling safety net (the delivery is not remembered, so a redelivery is applied).
   */
  acknowledge?: "applied" | "received";
}

/** A request, as the receiver needs it. */
export interface HookRequest {
  method: string;
  /** A header's value (any case), or null/undefined when absent. */
  header(name: string): string | null | undefined;
  /**
   * The body as text; called only after the authorization header checked out. An adapter that reads a stream
   * may stop once it passed `maxBytes` (and then return any text longer than that, or throw).
   */
  text(maxBytes?: number): Promise<string>;
}

/** The answer to send. */
export interface HookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the receiver did with the last deliveries (for monitoring and tests). */
export interface HookReceiverStats {
  delivered: number;
  applied: number;
  duplicates: number;
  unauthorized: number;
  invalid: number;
  failed: number;
  /** The newest applied event (by `published`), for the polling safety net (docs/event-hooks.md). */
  lastEvent?: { uuid: string; published: string };
}

/** A receiver: `handle` one request. */
export interface EventHookReceiver {
  handle(request: HookRequest): Promise<HookResponse>;
  readonly stats: HookReceiverStats;
  /** Resolves once every delivery received so far is applied (or failed). */
  idle(): Promise<void>;
}

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

function answer(status: number, value: unknown): HookResponse {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(value) };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares two secrets in time independent of where they differ (both are hashed to 32 bytes first). */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The changes of `events`: users to re-read, deletions, and one membership change per pair (the last wins). */
export function changesOf(eventId: string, events: HookEvent[]): HookChanges {
  const upsert = new Set<string>();
  const deleted = new Set<string>();
  const pairs = new Map<string, { groupId: string; userId: string; added: boolean }>();
  for (const e of events) {
    const c: HookChange | undefined = e.change;
    if (c === undefined) continue;
    if (c.kind === "user") {
      deleted.delete(c.userId);
      upsert.add(c.userId);
    } else if (c.kind === "deleted") {
      upsert.delete(c.userId);
      deleted.add(c.userId);
    } else {
      const key = `${c.groupId}/${c.userId}`;
      pairs.delete(key);
      pairs.set(key, { groupId: c.groupId, userId: c.userId, added: c.added });
    }
  }
  return { eventId, events, upsertUserIds: [...upsert], deletedUserIds: [...deleted], membershipChanges: [...pairs.values()] };
}

/**
 * Creates a receiver.
 *
 * @throws ConfigurationError (`INVALID_CREDENTIALS`) for a secret shorter than 16 characters
 */
export function createEventHookReceiver(options: EventHookReceiverOptions): EventHookReceiver {
  if (typeof options.secret !== "string" || options.secret.length < 16) {
    throw makeError("INVALID_CREDENTIALS", "the Event Hook secret must be at least 16 characters");
  }
  const header = (options.authorizationHeader ?? "authorization").toLowerCase();
  const seen = options.seen ?? new BoundedSeenSet();
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const stats: HookReceiverStats = { delivered: 0, applied: 0, duplicates: 0, unauthorized: 0, invalid: 0, failed: 0 };
  // Deliveries are applied one at a time: the check for a redelivery and the apply are one step.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const authorized = async (request: HookRequest): Promise<boolean> => {
    const given = request.header(header);
    return typeof given === "string" && (await secretsEqual(given, options.secret));
  };

  const deliver = async (text: string): Promise<HookResponse> => {
    let delivery;
    try {
      delivery = parseDelivery(text);
    } catch (e) {
      stats.invalid++;
      const code = e instanceof OktaDirectoryError ? e.code : "HOOK_PAYLOAD_INVALID";
      return answer(400, { error: code });
    }
    const applying = serial(async () => {
      if (await seen.has(delivery.eventId)) {
        stats.duplicates++;
        return answer(200, { applied: 0, duplicate: true });
      }
      const fresh: HookEvent[] = [];
      for (const e of delivery.events) if (!(await seen.has(e.uuid))) fresh.push(e);
      const changes = changesOf(delivery.eventId, fresh);
      try {
        await options.apply(changes);
      } catch {
        stats.failed++;
        return answer(500, { error: "APPLY_FAILED" });
      }
      for (const e of fresh) await seen.add(e.uuid);
      await seen.add(delivery.eventId);
      stats.applied += fresh.length;
      for (const e of fresh) {
        if (stats.lastEvent === undefined || e.published > stats.lastEvent.published)
          stats.lastEvent = { uuid: e.uuid, published: e.published };
      }
      return answer(200, { applied: fresh.length, duplicate: false });
    });
    if (options.acknowledge !== "received") return applying;
    void applying.catch(() => undefined);
    return answer(202, { accepted: delivery.events.length });
  };

  return {
    stats,
    idle: () => queue.then(() => undefined),
    async handle(request) {
      const method = request.method.toUpperCase();
      if (method !== "GET" && method !== "POST")
        return { ...answer(405, { error: "METHOD_NOT_ALLOWED" }), headers: { ...JSON_HEADERS, allow: "GET, POST" } };
      if (!(await authorized(request))) {
        stats.unauthorized++;
        return answer(401, { error: "HOOK_UNAUTHORIZED" });
      }
      if (method === "GET") {
        // The one-time verification: echo the challenge.
        const challenge = request.header("x-okta-verification-challenge");
        if (typeof challenge !== "string" || challenge === "" || challenge.length > 512)
          return answer(400, { error: "HOOK_PAYLOAD_INVALID" });
        return answer(200, { verification: challenge });
      }
      stats.delivered++;
      const length = Number(request.header("content-length") ?? "0");
      if (length > maxBody) return answer(413, { error: "HOOK_PAYLOAD_INVALID" });
      let text: string;
      try {
        text = await request.text(maxBody);
      } catch {
        return answer(413, { error: "HOOK_PAYLOAD_INVALID" });
      }
      if (new TextEncoder().encode(text).byteLength > maxBody) return answer(413, { error: "HOOK_PAYLOAD_INVALID" });
      return deliver(text);
    },
  };
}

/** A `fetch`-style handler (`Request` → `Response`): Workers, Deno, Bun, or Node's own `Request`. */
export function fetchHandler(receiver: EventHookReceiver): (request: Request) => Promise<Response> {
  return async (request) => {
    const r = await receiver.handle({ method: request.method, header: (n) => request.headers.get(n), text: () => request.text() });
    return new Response(r.status === 204 ? null : r.body, { status: r.status, headers: r.headers });
  };
}

/** The parts of `node:http`'s request the Node handler reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** The parts of `node:http`'s response the Node handler writes. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** A `node:http` handler (`(req, res)`), e.g. a route of a `www/`-style server. */
export function nodeHandler(receiver: EventHookReceiver): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const header = (name: string): string | undefined => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(", ") : v;
    };
    const text = async (maxBytes?: number): Promise<string> => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of req) {
        const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
        total += bytes.byteLength;
        // A body without (or with a false) Content-Length is not buffered past the limit (the rest is drained).
        if (maxBytes === undefined || total <= maxBytes) chunks.push(bytes);
      }
      if (maxBytes !== undefined && total > maxBytes)
        throw makeError("HOOK_PAYLOAD_INVALID", "invalid Event Hook delivery: the body is too large");
      const all = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.byteLength;
      }
      return new TextDecoder().decode(all);
    };
    const r = await receiver.handle({ method: req.method ?? "GET", header, text });
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  };
}

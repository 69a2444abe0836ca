/**
 * Okta Event Hooks, the subset a receiver needs to be tested end to end: the management API
 * (`/api/v1/eventHooks`: create, list, get, verify, activate, deactivate, delete) and delivery.
 *
 * - Verify: a GET to the hook's URI with `X-Okta-Verification-Challenge` (plus the configured auth header
 *   and extra headers); the answer must be `{"verification": <the challenge>}`, else 400 E0000001.
 * - Delivery: System Log events of a subscribed type reach every ACTIVE, VERIFIED hook as a POST of
 *   Okta's envelope (`eventType: com.okta.event_hook`, `eventId`, `data.events[]`), events written in the
 *   same tick batched together. Like Okta: a response is awaited 3 s at most, and a timeout, network error
 *   or 5xx gets one retry with the same body (same `eventId`); a 4xx is not retried.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { isoTime, type LogEvent } from "./types.js";
import { readBody, send, sendJson, sendOktaError, type Headers, type RequestContext } from "./http.js";
import type { DirectoryStore } from "./store.js";

/** A registered hook (its secret is never returned). */
export interface EventHook {
  id: string;
  name: string;
  status: "ACTIVE" | "INACTIVE";
  verificationStatus: "UNVERIFIED" | "VERIFIED";
  events: { type: "EVENT_TYPE"; items: string[] };
  channel: {
    type: "HTTP";
    version: "1.0.0";
    uri: string;
    headers: { key: string; value: string }[];
    authScheme?: { type: "HEADER"; key: string; value: string };
  };
  created: string;
  lastUpdated: string;
}

/** One delivery attempt, for tests (`GET /__control/event-hooks/deliveries`). */
export interface HookDelivery {
  hookId: string;
  eventId: string;
  attempt: number;
  /** HTTP status, or 0 for a timeout or network error. */
  status: number;
  events: number;
}

/** The hooks of one emulator, and their deliveries. */
export class EventHooks {
  readonly hooks = new Map<string, EventHook>();
  readonly deliveries: HookDelivery[] = [];
  /** Response wait per attempt (Okta: 3 s). */
  timeoutMs = 3000;
  /** Retries after a timeout, network error or 5xx (Okta: one). */
  retries = 1;
  #queue = new Map<string, LogEvent[]>();
  #flush: ReturnType<typeof setTimeout> | undefined;
  #inFlight = new Set<Promise<void>>();
  /** The last delivery's body per hook (for `redeliver`). */
  #last = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    store: DirectoryStore,
  ) {
    store.eventListeners.push((event) => this.#enqueue(event));
  }

  #enqueue(event: LogEvent): void {
    for (const hook of this.hooks.values()) {
      if (hook.status !== "ACTIVE" || hook.verificationStatus !== "VERIFIED" || !hook.events.items.includes(event.eventType)) continue;
      const list = this.#queue.get(hook.id) ?? [];
      list.push(event);
      this.#queue.set(hook.id, list);
    }
    if (this.#queue.size > 0 && this.#flush === undefined) {
      this.#flush = setTimeout(() => {
        this.#flush = undefined;
        const batches = [...this.#queue];
        this.#queue.clear();
        for (const [id, events] of batches) this.#track(this.#deliver(id, events));
      }, 0);
    }
  }

  #track(p: Promise<void>): void {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  /** Resolves when every queued and in-flight delivery is done (tests). */
  async idle(): Promise<void> {
    while (this.#flush !== undefined || this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight, new Promise((r) => setTimeout(r, 5))]);
    }
  }

  async #deliver(hookId: string, events: LogEvent[]): Promise<void> {
    const hook = this.hooks.get(hookId);
    if (hook === undefined) return;
    const eventId = randomUUID();
    const body = JSON.stringify({
      eventType: "com.okta.event_hook",
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      source: `${this.baseUrl}/api/v1/eventHooks/${hookId}`,
      eventId,
      data: { events },
      eventTime: isoTime(Date.now()),
      contentType: "application/json",
    });
    this.#last.set(hookId, body);
    await this.#send(hook, body, eventId, events.length);
  }

  async #send(hook: EventHook, body: string, eventId: string, count: number): Promise<void> {
    for (let attempt = 1; attempt <= 1 + this.retries; attempt++) {
      const status = await this.#post(hook, body);
      this.deliveries.push({ hookId: hook.id, eventId, attempt, status, events: count });
      if (status !== 0 && status < 500) return;
    }
  }

  /** Sends the last delivery of a hook again, unchanged (Okta's at-least-once delivery, for tests). */
  async redeliver(hookId: string): Promise<boolean> {
    const hook = this.hooks.get(hookId);
    const body = this.#last.get(hookId);
    if (hook === undefined || body === undefined) return false;
    const parsed = JSON.parse(body) as { eventId: string; data: { events: unknown[] } };
    await this.#send(hook, body, parsed.eventId, parsed.data.events.length);
    return true;
  }

  #headers(hook: EventHook): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const h of hook.channel.headers) headers[h.key] = h.value;
    if (hook.channel.authScheme !== undefined) headers[hook.channel.authScheme.key] = hook.channel.authScheme.value;
    return headers;
  }

  /** One POST; the status, or 0 for a timeout or network error. */
  async #post(hook: EventHook, body: string): Promise<number> {
    try {
      const res = await fetch(hook.channel.uri, {
        method: "POST",
        headers: { ...this.#headers(hook), "Content-Type": "application/json", Accept: "application/json" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  /** The one-time verification request; true when the endpoint echoed the challenge. */
  async #verify(hook: EventHook): Promise<boolean> {
    const challenge = randomBytes(24).toString("base64url");
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const res = await fetch(hook.channel.uri, {
          method: "GET",
          headers: { ...this.#headers(hook), "X-Okta-Verification-Challenge": challenge, Accept: "application/json" },
          redirect: "manual",
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await res.text();
        if (res.status === 200) return (JSON.parse(text) as { verification?: unknown }).verification === challenge;
        if (res.status < 500) return false;
      } catch {
        // a timeout or network error: one retry
      }
    }
    return false;
  }

  #view(hook: EventHook): unknown {
    const { authScheme, ...channelConfig } = hook.channel;
    const base = `${this.baseUrl}/api/v1/eventHooks/${hook.id}`;
    return {
      ...hook,
      channel: {
        type: hook.channel.type,
        version: hook.channel.version,
        config: {
          uri: channelConfig.uri,
          headers: channelConfig.headers,
          method: "POST",
          ...(authScheme === undefined ? {} : { authScheme: { type: authScheme.type, key: authScheme.key } }),
        },
      },
      _links: { self: { href: base }, verify: { href: `${base}/lifecycle/verify`, hints: { allow: ["POST"] } } },
    };
  }

  /** `/api/v1/eventHooks…` (already authenticated). */
  async handle(ctx: RequestContext, rate: Headers): Promise<void> {
    const method = ctx.req.method ?? "GET";
    const [id, lifecycle, action] = ctx.url.pathname.split("/").slice(4);
    if (id === undefined || id === "") {
      if (method === "GET")
        return sendJson(
          ctx,
          200,
          [...this.hooks.values()].map((h) => this.#view(h)),
          rate,
        );
      if (method === "POST") return this.#create(ctx, rate);
      return sendOktaError(ctx, "E0000022", rate);
    }
    const hook = this.hooks.get(id);
    if (hook === undefined) return sendOktaError(ctx, "E0000007", rate);
    if (lifecycle === undefined && method === "GET") return sendJson(ctx, 200, this.#view(hook), rate);
    if (lifecycle === undefined && method === "DELETE") {
      if (hook.status === "ACTIVE") return sendOktaError(ctx, "E0000001", rate, "Api validation failed: deactivate the event hook first");
      this.hooks.delete(id);
      return send(ctx, 204, "", rate);
    }
    if (lifecycle !== "lifecycle" || method !== "POST") return sendOktaError(ctx, "E0000022", rate);
    if (action === "verify") {
      if (!(await this.#verify(hook)))
        return sendOktaError(ctx, "E0000001", rate, "Api validation failed: the event hook did not answer the verification challenge");
      hook.verificationStatus = "VERIFIED";
    } else if (action === "activate") hook.status = "ACTIVE";
    else if (action === "deactivate") hook.status = "INACTIVE";
    else return sendOktaError(ctx, "E0000007", rate);
    hook.lastUpdated = isoTime(Date.now());
    return sendJson(ctx, 200, this.#view(hook), rate);
  }

  async #create(ctx: RequestContext, rate: Headers): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(ctx.req)) as Record<string, unknown>;
    } catch {
      return sendOktaError(ctx, "E0000003", rate);
    }
    const events = body["events"] as { type?: unknown; items?: unknown } | undefined;
    const channel = body["channel"] as
      | { type?: unknown; config?: { uri?: unknown; headers?: unknown; authScheme?: { type?: unknown; key?: unknown; value?: unknown } } }
      | undefined;
    const items = Array.isArray(events?.items) ? events.items.filter((i): i is string => typeof i === "string") : [];
    const uri = channel?.config?.uri;
    const auth = channel?.config?.authScheme;
    if (
      typeof body["name"] !== "string" ||
      events?.type !== "EVENT_TYPE" ||
      items.length === 0 ||
      channel?.type !== "HTTP" ||
      typeof uri !== "string"
    ) {
      return sendOktaError(ctx, "E0000001", rate, "Api validation failed: name, events and channel are required");
    }
    if (!/^https:\/\//.test(uri) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(uri)) {
      return sendOktaError(ctx, "E0000001", rate, "Api validation failed: channel.config.uri must be https");
    }
    const headers = Array.isArray(channel.config?.headers)
      ? (channel.config.headers as { key?: unknown; value?: unknown }[])
          .filter((h) => typeof h.key === "string" && typeof h.value === "string")
          .map((h) => ({ key: String(h.key), value: String(h.value) }))
      : [];
    const now = isoTime(Date.now());
    const hook: EventHook = {
      id: `who${randomBytes(9).toString("base64url").replace(/[-_]/g, "x")}`,
      name: body["name"],
      status: "ACTIVE",
      verificationStatus: "UNVERIFIED",
      events: { type: "EVENT_TYPE", items },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        uri,
        headers,
        ...(auth?.type === "HEADER" && typeof auth.key === "string" && typeof auth.value === "string"
          ? { authScheme: { type: "HEADER" as const, key: auth.key, value: auth.value } }
          : {}),
      },
      created: now,
      lastUpdated: now,
    };
    this.hooks.set(hook.id, hook);
    return sendJson(ctx, 200, this.#view(hook), rate);
  }
}

/**
 * Okta-style rate limits: per-bucket 60-second windows (started by the first request, not aligned to
 * clock minutes), each caller allowed a share of the org's limit, and an org-wide concurrency cap.
 */

export const BUCKETS = ["users", "user", "groups", "group", "logs", "token", "default"] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface RateLimitConfig {
  off: boolean;
  /** Org limit per minute for each bucket. */
  perMinute: Record<Bucket, number>;
  /** Percentage of each org bucket one token or app may use (Okta's default app share is 50). */
  share: number;
  /** Simultaneous in-flight requests per org. */
  concurrency: number;
  /** Length of a rate-limit window in ms (Okta: 60 s; a test may shorten it to reach a limit quickly). */
  windowMs?: number;
}

/** Okta's published Workforce Identity defaults. */
export const WORKFORCE_DEFAULTS: RateLimitConfig = {
  off: false,
  perMinute: { users: 600, user: 2000, groups: 500, group: 1000, logs: 120, token: 2000, default: 1200 },
  share: 50,
  concurrency: 75,
};

/** `off`, or `users=600,groups=500,share=50,concurrency=75[,window=SECONDS]` (unnamed buckets keep the defaults). */
export function parseRateLimitSpec(spec: string): RateLimitConfig {
  const config: RateLimitConfig = { ...WORKFORCE_DEFAULTS, perMinute: { ...WORKFORCE_DEFAULTS.perMinute } };
  if (spec.trim() === "off") return { ...config, off: true };
  for (const part of spec.split(",")) {
    if (part.trim() === "") continue;
    const [name = "", raw = ""] = part.split("=").map((s) => s.trim());
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 0) throw new RangeError(`rate-limit: "${name}" needs a non-negative integer`);
    if (name === "share") {
      if (n < 1 || n > 100) throw new RangeError("rate-limit: share is a percentage 1-100");
      config.share = n;
    } else if (name === "concurrency") config.concurrency = n;
    else if (name === "window") {
      if (n < 1 || n > 3600) throw new RangeError("rate-limit: window is 1-3600 seconds");
      config.windowMs = n * 1000;
    } else if ((BUCKETS as readonly string[]).includes(name)) config.perMinute[name as Bucket] = n;
    else throw new RangeError(`rate-limit: unknown bucket "${name}" (known: ${BUCKETS.join(", ")}, share, concurrency, window)`);
  }
  return config;
}

/** Which bucket a request counts against (after terraform-provider-okta's bucket mapping). */
export function bucketOf(method: string, path: string): Bucket {
  if (path === "/oauth2/v1/token") return "token";
  if (path === "/api/v1/users" || /^\/api\/v1\/users\/[^/]+\/.+/.test(path)) return "users";
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return method === "GET" ? "user" : "users";
  if (path === "/api/v1/groups" || /^\/api\/v1\/groups\/[^/]+\/users$/.test(path)) return "groups";
  if (/^\/api\/v1\/groups\/[^/]+$/.test(path)) return "group";
  if (path === "/api/v1/logs") return "logs";
  return "default";
}

// A type alias (not an interface) so that it is assignable to the routes' header records.
export type RateHeaders = {
  "X-Rate-Limit-Limit": string;
  "X-Rate-Limit-Remaining": string;
  "X-Rate-Limit-Reset": string;
};

interface Window {
  start: number;
  count: number;
}

const WINDOW_MS = 60_000;
/** Limit reported when limits are off: large, so clients never pace, but still a real header. */
const OFF_LIMIT = 1_000_000;

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  #inFlight = 0;

  constructor(public config: RateLimitConfig) {}

  /** New limits start from fresh windows, so a test that changes them knows where it stands. */
  reconfigure(config: RateLimitConfig): void {
    this.config = config;
    this.#windows.clear();
  }

  get #windowMs(): number {
    return this.config.windowMs ?? WINDOW_MS;
  }

  #window(key: string, now: number): Window {
    let w = this.#windows.get(key);
    if (w === undefined || now >= w.start + this.#windowMs) this.#windows.set(key, (w = { start: now, count: 0 }));
    return w;
  }

  /** Counts one request; returns the headers to send and whether the request is over the limit. */
  take(bucket: Bucket, principal: string, now = Date.now()): { limited: boolean; headers: RateHeaders } {
    const orgLimit = this.config.off ? OFF_LIMIT : this.config.perMinute[bucket];
    const limit = this.config.off ? OFF_LIMIT : Math.max(1, Math.floor((orgLimit * this.config.share) / 100));
    const mine = this.#window(`${bucket}|${principal}`, now);
    const org = this.#window(`${bucket}|*`, now);
    const limited = mine.count >= limit || org.count >= orgLimit;
    if (!limited) {
      mine.count++;
      org.count++;
    }
    return {
      limited,
      headers: {
        "X-Rate-Limit-Limit": String(limit),
        "X-Rate-Limit-Remaining": String(limited ? 0 : Math.max(0, limit - mine.count)),
        "X-Rate-Limit-Reset": String(Math.ceil((Math.max(mine.start, org.count >= orgLimit ? org.start : 0) + this.#windowMs) / 1000)),
      },
    };
  }

  /** Enters a request into the concurrency count; false (not entered) when the org is at its cap. */
  enter(): boolean {
    if (!this.config.off && this.#inFlight >= this.config.concurrency) return false;
    this.#inFlight++;
    return true;
  }

  leave(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** The headers of a concurrency 429: Limit and Remaining 0, Reset only an estimate (as in Okta). */
  static concurrencyHeaders(now = Date.now()): RateHeaders {
    return { "X-Rate-Limit-Limit": "0", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": String(Math.ceil(now / 1000) + 60) };
  }
}

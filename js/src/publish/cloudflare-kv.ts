/**
 * Workers KV over Cloudflare's REST API (plain `fetch`; docs/decisions/kv-publisher.md says why): bulk
 * writes and deletes, value reads and key listings, with retries on 429 and 5xx and typed errors. The API
 * token goes in the `Authorization` header of requests to the API base only, and never into an error
 * message, a log line or a thrown value.
 *
 * {@link CloudflareKvNamespace} is a `KvNamespaceLike`: single `put`s and `delete`s made in the same tick
 * are sent as one bulk request (up to 10 000 keys and ~90 MB each), so `KvDirectoryStore` publishes a
 * version in a handful of requests. Every value is written with the metadata `{sha256}` of its bytes, which a
 * listing returns: the next publish learns the live shards' digests from one listing request per 1000 keys.
 */
import { makeError } from "../errors.js";
import { type KvNamespaceLike, sha256Hex } from "../stores/kv.js";

/** Cloudflare's API base. */
export const CLOUDFLARE_API_BASE = "https://api.cloudflare.com/client/v4";
/** Most keys per bulk request (Cloudflare's limit). */
export const MAX_BULK_KEYS = 10_000;
/** Most body bytes per bulk request (Cloudflare allows 100 MB; base64 and JSON add a third). */
const MAX_BULK_BYTES = 60 * 1024 * 1024;

/** Options of {@link CloudflareKvNamespace}. */
export interface CloudflareKvOptions {
  accountId: string;
  namespaceId: string;
  /** A Cloudflare API token with "Workers KV Storage: Edit". */
  apiToken: string;
  /** The API base (default {@link CLOUDFLARE_API_BASE}); https, or loopback http with `allowInsecureLoopback` (tests). */
  apiBase?: string;
  allowInsecureLoopback?: boolean;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Attempts per request on 429, 5xx and network errors (default 5). */
  maxAttempts?: number;
  /** First backoff, ms (default 500; doubled per attempt, capped at 30 s; `Retry-After` wins when sent). */
  backoffMs?: number;
  /** Per-request timeout, ms (default 60 000). */
  requestTimeoutMs?: number;
}

/** Requests made and what they carried. */
export interface CloudflareKvStats {
  requests: number;
  retries: number;
  /** Keys written (bulk writes), and how many bulk write requests carried them. */
  keysWritten: number;
  bulkWrites: number;
  keysDeleted: number;
  bulkDeletes: number;
  reads: number;
  lists: number;
}

interface Pending<T> {
  item: T;
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function base64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
}

function toBytes(value: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A Workers KV namespace reached over Cloudflare's REST API. */
export class CloudflareKvNamespace implements KvNamespaceLike {
  readonly stats: CloudflareKvStats = {
    requests: 0,
    retries: 0,
    keysWritten: 0,
    bulkWrites: 0,
    keysDeleted: 0,
    bulkDeletes: 0,
    reads: 0,
    lists: 0,
  };
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  #puts: Pending<{ key: string; value: string; metadata: { sha256: string } }>[] = [];
  #deletes: Pending<string>[] = [];
  #scheduled = false;
  /** Puts still hashing their value (WebCrypto is asynchronous): the flush waits for them. */
  #preparing = 0;

  /** @throws ConfigurationError for a malformed account or namespace id, no token, or an API base that is not https */
  constructor(options: CloudflareKvOptions) {
    if (!ID.test(options.accountId) || !ID.test(options.namespaceId))
      throw makeError("INVALID_CREDENTIALS", "the Cloudflare account id and namespace id must be plain ids");
    if (typeof options.apiToken !== "string" || options.apiToken.trim() === "")
      throw makeError("INVALID_CREDENTIALS", "a Cloudflare API token is required");
    // A token fetch cannot send (a newline inside, a control or non-ASCII character) failed every request as a "network error".
    if (!/^[\x21-\x7e]+$/.test(options.apiToken.trim()))
      throw makeError("INVALID_CREDENTIALS", "unusable credentials: the Cloudflare API token has invalid characters");
    let base: URL;
    try {
      base = new URL(options.apiBase ?? CLOUDFLARE_API_BASE);
    } catch (cause) {
      throw makeError("INVALID_ORG_URL", "the Cloudflare API base is not a URL", { cause, option: "apiBase" });
    }
    const loopback =
      base.protocol === "http:" && ["127.0.0.1", "localhost"].includes(base.hostname) && options.allowInsecureLoopback === true;
    if (base.protocol !== "https:" && !loopback)
      throw makeError("INSECURE_ORG_URL", "the Cloudflare API base must be https", { option: "apiBase" });
    this.#base = `${base.origin}${base.pathname.replace(/\/$/, "")}/accounts/${options.accountId}/storage/kv/namespaces/${options.namespaceId}`;
    this.#token = options.apiToken.trim();
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#backoffMs = Math.max(0, options.backoffMs ?? 500);
    this.#timeoutMs = Math.max(1000, options.requestTimeoutMs ?? 60_000);
  }

  /** One API call with retries; the response once it is not a 429, a 5xx or a network error. */
  async #call(method: string, path: string, body?: string, okStatuses: number[] = [200]): Promise<Response> {
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) this.stats.retries++;
      this.stats.requests++;
      let res: Response;
      try {
        res = await this.#fetch(`${this.#base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body }),
          redirect: "manual",
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch {
        lastStatus = undefined;
        await sleep(this.#wait(attempt, null));
        continue;
      }
      if (okStatuses.includes(res.status)) return res;
      if (res.status === 429 || res.status >= 500) {
        lastStatus = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (attempt < this.#maxAttempts) await sleep(this.#wait(attempt, res.headers.get("retry-after")));
        continue;
      }
      const code = await res
        .json()
        .then((j: { errors?: { code?: unknown }[] }) => j.errors?.[0]?.code)
        .catch(() => undefined);
      throw makeError(
        "KV_API_ERROR",
        `Cloudflare's KV API refused a request: HTTP ${res.status}${typeof code === "number" ? `, error ${code}` : ""}`,
        { status: res.status },
      );
    }
    throw makeError(
      "KV_RETRIES_EXHAUSTED",
      `Cloudflare's KV API kept failing: ${this.#maxAttempts} attempts, last ${lastStatus === undefined ? "a network error" : `HTTP ${lastStatus}`}`,
      lastStatus === undefined ? {} : { status: lastStatus },
    );
  }

  #wait(attempt: number, retryAfter: string | null): number {
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
    return Math.min(this.#backoffMs * 2 ** (attempt - 1), 30_000) * (0.5 + Math.random() / 2);
  }

  /** A value's bytes; `null` when the key does not exist. */
  async get(key: string, _options?: { type: "arrayBuffer"; cacheTtl?: number }): Promise<ArrayBuffer | null> {
    this.stats.reads++;
    const res = await this.#call("GET", `/values/${encodeURIComponent(key)}`, undefined, [200, 404]);
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return null;
    }
    return res.arrayBuffer();
  }

  /** Queues a write; it is sent with the other writes of this tick as one bulk request. */
  async put(key: string, value: ArrayBuffer | ArrayBufferView | string): Promise<void> {
    const bytes = toBytes(value);
    this.#preparing++;
    let item: { key: string; value: string; metadata: { sha256: string } };
    try {
      item = { key, value: base64(bytes), metadata: { sha256: await sha256Hex(bytes) } };
    } finally {
      this.#preparing--;
    }
    return new Promise((resolve, reject) => {
      this.#puts.push({ item, bytes: item.value.length + key.length + 128, resolve, reject });
      this.#schedule();
    });
  }

  /** Queues a delete; it is sent with the other deletes of this tick as one bulk request. */
  delete(key: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#deletes.push({ item: key, bytes: key.length + 4, resolve, reject });
      this.#schedule();
    });
  }

  /** One page of keys under `prefix` (up to 1000), with each key's metadata. */
  async list(options: {
    prefix: string;
    cursor?: string;
  }): Promise<{ keys: { name: string; metadata?: unknown }[]; list_complete: boolean; cursor?: string }> {
    this.stats.lists++;
    const q = new URLSearchParams({ prefix: options.prefix, limit: "1000" });
    if (options.cursor !== undefined) q.set("cursor", options.cursor);
    const res = await this.#call("GET", `/keys?${q.toString()}`);
    const body = (await res.json()) as { result?: { name: string; metadata?: unknown }[]; result_info?: { cursor?: string } };
    const keys = Array.isArray(body.result) ? body.result.filter((k) => typeof k?.name === "string") : [];
    const cursor = body.result_info?.cursor;
    return { keys, list_complete: cursor === undefined || cursor === "", ...(cursor ? { cursor } : {}) };
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the current tick: every put or delete a publish makes at once lands in one bulk request.
    // Puts still hashing belong to the same batch: wait for them (the digest is asynchronous, so on a
    // loaded machine the timer could otherwise fire between the puts of one publish and split it).
    const fire = (): void => {
      if (this.#preparing > 0) {
        setTimeout(fire, 0);
        return;
      }
      this.#scheduled = false;
      void this.#flush();
    };
    setTimeout(fire, 0);
  }

  async #flush(): Promise<void> {
    const puts = this.#puts;
    const deletes = this.#deletes;
    this.#puts = [];
    this.#deletes = [];
    await Promise.all([
      ...batches(puts).map((batch) =>
        this.#send(batch, "PUT", "/bulk", () => JSON.stringify(batch.map((p) => ({ ...p.item, base64: true }))), "write"),
      ),
      ...batches(deletes).map((batch) =>
        this.#send(batch, "POST", "/bulk/delete", () => JSON.stringify(batch.map((p) => p.item)), "delete"),
      ),
    ]);
  }

  async #send<T>(batch: Pending<T>[], method: string, path: string, body: () => string, kind: "write" | "delete"): Promise<void> {
    try {
      const res = await this.#call(method, path, body());
      const result = ((await res.json().catch(() => ({}))) as { result?: { unsuccessful_keys?: unknown[] } }).result;
      if (Array.isArray(result?.unsuccessful_keys) && result.unsuccessful_keys.length > 0) {
        throw makeError("KV_API_ERROR", `Cloudflare's KV API did not ${kind} ${result.unsuccessful_keys.length} of ${batch.length} keys`, {
          status: res.status,
        });
      }
      if (kind === "write") {
        this.stats.bulkWrites++;
        this.stats.keysWritten += batch.length;
      } else {
        this.stats.bulkDeletes++;
        this.stats.keysDeleted += batch.length;
      }
      for (const p of batch) p.resolve();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

/** Splits pending items into bulk requests within Cloudflare's key and size limits. */
function batches<T>(items: Pending<T>[]): Pending<T>[][] {
  const out: Pending<T>[][] = [];
  let current: Pending<T>[] = [];
  let bytes = 0;
  for (const p of items) {
    if (current.length > 0 && (current.length >= MAX_BULK_KEYS || bytes + p.bytes > MAX_BULK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += p.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

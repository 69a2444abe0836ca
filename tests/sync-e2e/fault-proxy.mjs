// A fault-injecting HTTP proxy for the sync end-to-end tests: it sits between the CLI and the emulator, on
// loopback only, and produces faults the emulator does not: rate-limit windows that reset far ahead, a skewed
// `Date`, a cursor that moves while its page does not, a gzip bomb, a huge body, 503s with `Retry-After`,
// latency and stalls (kill points). Every loop is bounded; `close()` ends every held or streaming response.
import http from "node:http";
import zlib from "node:zlib";

/**
 * @typedef {object} Faults What the proxy does to the answers (see {@link startFaultProxy}).
 * @property {{ resetInS: number, remaining: number }} [rateLimit]
 * @property {number} [dateSkewMs]
 * @property {{ path: string, from: number }} [frozenCursor]
 * @property {{ path: string, nth: number, mib: number }} [bomb]
 * @property {{ path: string, nth: number, bytes: number }} [huge]
 * @property {{ path: string, nth: number, count: number, retryAfter: number }} [unavailable]
 * @property {number} [delayMs]
 * @property {number} [stallAfter]
 */

/**
 * 1 MiB of zeros gzipped, concatenated `n` times: a valid multi-member gzip body that expands to `n` MiB.
 * @param {number} n
 */
export function gzipBomb(n) {
  const member = zlib.gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  return Buffer.concat(Array.from({ length: n }, () => member));
}

/**
 * Starts a proxy to `target` (the emulator's URL). `faults` (all optional, replaceable later through
 * `proxy.faults`, which restarts the request counts):
 * - `rateLimit: { resetInS, remaining }`: every API answer says the window resets `resetInS` from now with
 *   `remaining` left (decremented per request and bucket, never below 0);
 * - `dateSkewMs`: the `Date` header is moved by this much;
 * - `frozenCursor: { path, from }`: from the `from`-th request on `path`, the page of that request again with a
 *   fresh `next` link each time (at most 1000 times, then the real listing resumes);
 * - `bomb: { path, nth, mib }`: the `nth` request on `path` gets a gzip body expanding to `mib` MiB;
 * - `huge: { path, nth, bytes }`: the `nth` request on `path` gets a plain body of `bytes` bytes, streamed;
 * - `unavailable: { path, nth, count, retryAfter }`: from the `nth` request on `path`, `count` answers are 503
 *   with `Retry-After: retryAfter`;
 * - `delayMs`: each answer is held this long;
 * - `stallAfter`: API requests after this many are held until `close()` (a run to kill before it checkpoints).
 * `proxy.log` lists `{ at, path, status }` per API request (at: ms since start).
 * @param {string} target
 * @param {Faults} [faults]
 */
export async function startFaultProxy(target, faults = {}) {
  const upstream = new URL(target);
  const started = Date.now();
  /** @type {{ at: number, path: string, status: number, query: string }[]} */
  const log = [];
  /** @type {Map<string, number>} */
  const counts = new Map();
  /** @type {Map<string, number>} */
  const remaining = new Map();
  /** @type {Set<http.ServerResponse>} */
  const held = new Set();
  let apiRequests = 0;
  /** @type {{ body: Buffer, headers: Record<string, string | string[]>, after: string } | undefined} */
  let frozen;
  let frozenServed = 0;
  let current = faults;
  const proxy = {
    log,
    url: "",
    /** Ends every held or streaming response and stops the proxy (set once it listens). */
    close: async () => {},
    apiRequests: () => apiRequests,
    /** The faults in force; setting them restarts the per-path request counts (`nth`, `from` count from there). */
    get faults() {
      return current;
    },
    set faults(next) {
      current = next;
      counts.clear();
      remaining.clear();
      frozen = undefined;
      frozenServed = 0;
    },
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const path = url.pathname;
    const api = path.startsWith("/api/v1/");
    const f = proxy.faults;
    const nth = (counts.get(path) ?? 0) + 1;
    counts.set(path, nth);
    if (api) apiRequests++;
    /** @param {number} status */
    const record = (status) => api && log.push({ at: Date.now() - started, path, status, query: url.search });
    held.add(res);
    res.on("close", () => held.delete(res));
    if (api && f.stallAfter !== undefined && apiRequests > f.stallAfter) return; // held until close()
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f.unavailable && path === f.unavailable.path && nth >= f.unavailable.nth && nth < f.unavailable.nth + f.unavailable.count) {
      record(503);
      res.writeHead(503, { "retry-after": String(f.unavailable.retryAfter), "content-type": "text/html", date: serverDate(f) });
      return res.end("<html>busy</html>");
    }
    if (f.bomb && path === f.bomb.path && nth === f.bomb.nth) {
      record(200);
      const body = gzipBomb(f.bomb.mib);
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": body.length,
        date: serverDate(f),
      });
      return res.end(body);
    }
    if (f.huge && path === f.huge.path && nth === f.huge.nth) {
      record(200);
      res.writeHead(200, { "content-type": "application/json", date: serverDate(f) });
      const chunk = Buffer.alloc(1 << 16, 0x20);
      for (let sent = 0; sent < f.huge.bytes && !res.destroyed; sent += chunk.length) {
        if (!res.write(chunk)) await new Promise((r) => (res.once("drain", r), res.once("close", r)));
      }
      return res.end();
    }
    if (f.frozenCursor && path === f.frozenCursor.path && nth >= f.frozenCursor.from && frozen !== undefined && frozenServed < 1000) {
      frozenServed++;
      record(200);
      const next = `${proxy.url}${path}?limit=${url.searchParams.get("limit") ?? "200"}&after=${frozen.after}&fresh=${frozenServed}`;
      res.writeHead(200, { ...frozen.headers, link: `<${next}>; rel="next"`, date: serverDate(f) });
      return res.end(frozen.body);
    }
    // Forward as is (the body of a token request included), then rewrite what the fault asks for.
    const body = await readAll(req);
    const headers = { ...req.headers, host: upstream.host };
    const answer = await forward(upstream, req.method ?? "GET", req.url ?? "/", headers, body).catch(() => undefined);
    if (answer === undefined) return res.destroy();
    const out = { ...answer.headers };
    delete out["transfer-encoding"];
    delete out.connection;
    if (out.link) out.link = String(out.link).replaceAll(upstream.origin, proxy.url);
    out.date = serverDate(f, out.date);
    if (api && f.rateLimit) {
      const bucket = bucketOf(path);
      const left = Math.max(0, (remaining.get(bucket) ?? f.rateLimit.remaining + 1) - 1);
      remaining.set(bucket, left);
      out["x-rate-limit-limit"] = "600";
      out["x-rate-limit-remaining"] = String(left);
      out["x-rate-limit-reset"] = String(Math.floor(Date.now() / 1000) + f.rateLimit.resetInS);
    }
    if (f.frozenCursor && path === f.frozenCursor.path && nth === f.frozenCursor.from - 1) {
      const after = /[?&]after=([^&>]+)/.exec(String(out.link ?? ""))?.[1] ?? "x";
      frozen = { body: answer.body, headers: { "content-type": out["content-type"] ?? "application/json" }, after };
    }
    record(answer.status);
    out["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, out);
    res.end(answer.body);
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
  proxy.url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  proxy.close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}

/**
 * The `Date` to send: the upstream's (or now), moved by the configured skew.
 * @param {Faults} f
 * @param {unknown} [upstream]
 */
function serverDate(f, upstream) {
  const base = upstream === undefined ? Date.now() : Date.parse(String(upstream));
  return new Date((Number.isFinite(base) ? base : Date.now()) + (f.dateSkewMs ?? 0)).toUTCString();
}

/** @param {string} path */
function bucketOf(path) {
  return path.startsWith("/api/v1/users") ? "users" : path.startsWith("/api/v1/groups") ? "groups" : "other";
}

/**
 * @param {import("node:stream").Readable} stream
 * @returns {Promise<Buffer>}
 */
function readAll(stream) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    stream.on("data", (/** @type {Buffer} */ c) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

/**
 * One request to the emulator; the answer's body decoded (the proxy re-sends it plain).
 * @param {URL} upstream
 * @param {string} method
 * @param {string} path
 * @param {import("node:http").OutgoingHttpHeaders} headers
 * @param {Buffer} body
 * @returns {Promise<{ status: number, headers: import("node:http").IncomingHttpHeaders, body: Buffer }>}
 */
function forward(upstream, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    delete h["accept-encoding"];
    const req = http.request({ host: upstream.hostname, port: upstream.port, method, path, headers: h }, async (res) => {
      try {
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readAll(res) });
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
    req.end(body.length > 0 ? body : undefined);
  });
}

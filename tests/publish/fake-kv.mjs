// A local fake of Cloudflare's Workers KV REST API, enough for the publisher: bulk write (base64 values and
// metadata), bulk delete, value read, key listing with metadata and cursors, Bearer token check, and injected
// 429s. It records every request (method, route, key count) for the tests to count.
import { createServer } from "node:http";

/** @typedef {{ method: string | undefined, route: string | null, keys: number }} FakeKvRequest One request as the fake saw it. */
/** @typedef {{ key: string, value: string, base64?: boolean, metadata?: unknown }} BulkPair One pair of a bulk write. */

/**
 * Starts the fake on a free loopback port; requests must carry `Bearer <token>`.
 * @param {{ token: string, accountId?: string, namespaceId?: string }} options
 */
export async function startFakeKv({ token, accountId = "acc0123", namespaceId = "ns0123" }) {
  /** @type {Map<string, { bytes: Buffer, metadata: unknown }>} */
  const data = new Map();
  /** @type {FakeKvRequest[]} */
  const requests = [];
  const state = { fail429: 0, fail500: 0, retryAfter: "0", authorizations: /** @type {Set<string>} */ (new Set()) };
  const prefix = `/client/v4/accounts/${accountId}/storage/kv/namespaces/${namespaceId}`;
  /**
   * @param {import("node:http").ServerResponse} res
   * @param {number} status
   * @param {unknown} value
   * @param {Record<string, string>} [headers]
   */
  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(value));
  };
  /**
   * @param {import("node:http").ServerResponse} res
   * @param {unknown} result
   */
  const ok = (res, result) => json(res, 200, { success: true, errors: [], messages: [], result });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const route = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
    const entry = { method: req.method, route: route?.startsWith("/values/") ? "/values" : route, keys: 0 };
    requests.push(entry);
    state.authorizations.add(req.headers.authorization ?? "");
    if (route === null) return json(res, 404, { success: false, errors: [{ code: 7003, message: "Could not route" }] });
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(res, 403, { success: false, errors: [{ code: 10000, message: "Authentication error" }] });
    if (state.fail429 > 0) {
      state.fail429--;
      return json(res, 429, { success: false, errors: [{ code: 10013, message: "rate limited" }] }, { "retry-after": state.retryAfter });
    }
    if (state.fail500 > 0) {
      state.fail500--;
      return json(res, 502, { success: false, errors: [] });
    }
    if (req.method === "PUT" && route === "/bulk") {
      const pairs = /** @type {BulkPair[]} */ (JSON.parse(body));
      entry.keys = pairs.length;
      if (!Array.isArray(pairs) || pairs.length > 10_000)
        return json(res, 400, { success: false, errors: [{ code: 10021, message: "bad bulk" }] });
      for (const p of pairs)
        data.set(p.key, { bytes: p.base64 ? Buffer.from(p.value, "base64") : Buffer.from(p.value, "utf8"), metadata: p.metadata });
      return ok(res, { successful_key_count: pairs.length, unsuccessful_keys: [] });
    }
    if (req.method === "POST" && route === "/bulk/delete") {
      const keys = /** @type {string[]} */ (JSON.parse(body));
      entry.keys = keys.length;
      for (const k of keys) data.delete(k);
      return ok(res, { successful_key_count: keys.length, unsuccessful_keys: [] });
    }
    if (req.method === "GET" && route.startsWith("/values/")) {
      const v = data.get(decodeURIComponent(route.slice("/values/".length)));
      if (v === undefined) return json(res, 404, { success: false, errors: [{ code: 10009, message: "get: 'key not found'" }] });
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(v.bytes);
    }
    if (req.method === "GET" && route === "/keys") {
      const p = url.searchParams.get("prefix") ?? "";
      const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? 1000));
      const start = Number(url.searchParams.get("cursor") || 0);
      const names = [...data.keys()].filter((k) => k.startsWith(p)).sort();
      const page = names.slice(start, start + limit);
      const next = start + limit < names.length ? String(start + limit) : "";
      return json(res, 200, {
        success: true,
        errors: [],
        messages: [],
        result: page.map((name) => {
          const metadata = data.get(name)?.metadata;
          return { name, ...(metadata ? { metadata } : {}) };
        }),
        result_info: { count: page.length, cursor: next },
      });
    }
    return json(res, 405, { success: false, errors: [{ code: 10000, message: "method not allowed" }] });
  });
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", r)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const apiBase = `http://127.0.0.1:${address.port}/client/v4`;
  /** Stops the server. */
  const close = () => new Promise((r) => server.close(r));
  return { apiBase, accountId, namespaceId, data, requests, state, close };
}

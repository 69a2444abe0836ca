// A local fake of Cloudflare's Workers KV REST API, enough for the publisher: bulk write (base64 values and
// metadata), bulk delete, value read, key listing with metadata and cursors, Bearer token check, and injected
// 429s. It records every request (method, route, key count) for the tests to count.
import { createServer } from "node:http";

export async function startFakeKv({ token, accountId = "acc0123", namespaceId = "ns0123" } = {}) {
  const data = new Map(); // key -> { bytes: Buffer, metadata }
  const requests = [];
  const state = { fail429: 0, fail500: 0, retryAfter: "0", authorizations: new Set() };
  const prefix = `/client/v4/accounts/${accountId}/storage/kv/namespaces/${namespaceId}`;
  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(value));
  };
  const ok = (res, result) => json(res, 200, { success: true, errors: [], messages: [], result });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url, "http://fake");
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
      const pairs = JSON.parse(body);
      entry.keys = pairs.length;
      if (!Array.isArray(pairs) || pairs.length > 10_000)
        return json(res, 400, { success: false, errors: [{ code: 10021, message: "bad bulk" }] });
      for (const p of pairs)
        data.set(p.key, { bytes: p.base64 ? Buffer.from(p.value, "base64") : Buffer.from(p.value, "utf8"), metadata: p.metadata });
      return ok(res, { successful_key_count: pairs.length, unsuccessful_keys: [] });
    }
    if (req.method === "POST" && route === "/bulk/delete") {
      const keys = JSON.parse(body);
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
        result: page.map((name) => ({ name, ...(data.get(name).metadata ? { metadata: data.get(name).metadata } : {}) })),
        result_info: { count: page.length, cursor: next },
      });
    }
    return json(res, 405, { success: false, errors: [{ code: 10000, message: "method not allowed" }] });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const apiBase = `http://127.0.0.1:${server.address().port}/client/v4`;
  return { apiBase, accountId, namespaceId, data, requests, state, close: () => new Promise((r) => server.close(r)) };
}

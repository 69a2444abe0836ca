// HTTP helpers shared by the routes: JSON answers and errors, a bounded JSON body reader, path decoding,
// and the route table's matcher.

/** @typedef {import("node:http").IncomingMessage} Request */
/** @typedef {import("node:http").ServerResponse} Response */

/** The largest JSON body a route reads (bytes). */
export const MAX_BODY_BYTES = 1_000_000;

/** Answers JSON (a string is sent as is: already serialized). @param {Response} res @param {number} status @param {unknown} body */
export function json(res, status, body) {
  res
    .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
    .end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Answers an error `{error: {code, message}}`. @param {Response} res @param {number} status @param {string} code @param {string} message */
export const fail = (res, status, code, message) => json(res, status, { error: { code, message } });

/**
 * Reads a JSON object body (at most MAX_BODY_BYTES; empty is `{}`); throws "too large", "not an object" or a
 * SyntaxError, which the server answers as 400 BAD_REQUEST.
 * @param {Request} req @returns {Promise<Record<string, any>>}
 */
export async function readJson(req) {
  let size = 0;
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("too large");
    chunks.push(chunk);
  }
  const value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
  return value;
}

/** Whether a thrown value is a malformed request body (readJson's errors). @param {unknown} e */
export const isBadBody = (e) =>
  e instanceof SyntaxError || (e instanceof Error && (e.message === "too large" || e.message === "not an object"));

/** Percent-decodes one path segment; null when malformed. @param {string} segment */
export function safeDecode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * A route: a method ("*": any) and a path pattern of literal segments, `:name` (one non-empty segment,
 * still percent-encoded) and a final `*` (the rest, as segments).
 * @template C
 * @typedef {{ method: string, path: string, handler: (ctx: C, params: Record<string, string>, rest: string[]) => unknown }} Route
 */

/**
 * The first route matching a method and a path (split on "/", no leading empty segment), with its
 * parameters; null when none does.
 * @template C
 * @param {ReadonlyArray<Route<C>>} routes @param {string} method @param {string[]} segments
 * @returns {{ route: Route<C>, params: Record<string, string>, rest: string[] } | null}
 */
export function matchRoute(routes, method, segments) {
  for (const route of routes) {
    if (route.method !== "*" && route.method !== method) continue;
    const pattern = route.path.split("/").filter(Boolean);
    /** @type {Record<string, string>} */
    const params = {};
    let ok = true;
    let rest = /** @type {string[]} */ ([]);
    for (let n = 0; n < pattern.length && ok; n++) {
      const p = pattern[n];
      if (p === "*") {
        rest = segments.slice(n);
        break;
      }
      const s = segments[n];
      if (s === undefined || (s === "" && p.startsWith(":"))) ok = false;
      else if (p.startsWith(":")) params[p.slice(1)] = s;
      else ok = p === s;
    }
    if (ok && pattern.at(-1) !== "*" && segments.length !== pattern.length) ok = false;
    if (ok) return { route, params, rest };
  }
  return null;
}

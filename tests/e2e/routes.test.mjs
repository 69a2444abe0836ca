// The dashboard server's route table (www/server/routes.mjs) and its matcher (www/server/http.mjs): patterns
// match whole paths only, `:name` takes one non-empty segment, a final `*` the rest; no route of the admin
// API is shadowed by an earlier one, and every route sits where the path says.
import assert from "node:assert/strict";
import { test } from "node:test";
import { matchRoute } from "../../www/server/http.mjs";
import { API_ROUTES, AUTH_ROUTES } from "../../www/server/routes.mjs";

/** @typedef {import("../../www/server/http.mjs").Route<never>} Route A route of any table (never: no handler is called here). */

/**
 * A route whose handler answers its own pattern.
 * @param {string} method
 * @param {string} path
 * @returns {Route}
 */
const route = (method, path) => ({ method, path, handler: () => path });
/**
 * The matched route's pattern, parameters and rest, or null.
 * @param {Route[]} routes
 * @param {string} method
 * @param {string} path
 */
const match = (routes, method, path) => {
  const found = matchRoute(routes, method, path.split("/"));
  return found && { path: found.route.path, params: found.params, rest: found.rest };
};

test("matchRoute: literal segments, one non-empty segment per :name, the rest for a final *", () => {
  const routes = [route("GET", "a"), route("GET", "a/:id"), route("POST", "a/:id/b"), route("*", "c/*")];
  assert.deepEqual(match(routes, "GET", "a"), { path: "a", params: {}, rest: [] });
  assert.deepEqual(match(routes, "GET", "a/x%2Fy"), { path: "a/:id", params: { id: "x%2Fy" }, rest: [] });
  assert.equal(match(routes, "GET", "a/"), null, "an empty segment is no :id");
  assert.equal(match(routes, "GET", "a/x/b"), null, "wrong method");
  assert.equal(match(routes, "GET", "a/x/b/c"), null, "longer path");
  assert.equal(match(routes, "GET", "ab"), null);
  assert.deepEqual(match(routes, "POST", "a/x/b"), { path: "a/:id/b", params: { id: "x" }, rest: [] });
  assert.deepEqual(match(routes, "DELETE", "c"), { path: "c/*", params: {}, rest: [] });
  assert.deepEqual(match(routes, "PUT", "c/d/e"), { path: "c/*", params: {}, rest: ["d", "e"] });
});

test("the admin API's routes: each reachable (none shadowed by an earlier one), one per method and path", () => {
  /** @type {[ReadonlyArray<Route>, string][]} */
  const tables = [
    [API_ROUTES, "API_ROUTES"],
    [AUTH_ROUTES, "AUTH_ROUTES"],
  ];
  for (const [table, name] of tables) {
    const seen = new Set();
    table.forEach((r, n) => {
      const key = `${r.method} ${r.path}`;
      assert.ok(!seen.has(key), `${name}: ${key} twice`);
      seen.add(key);
      // A concrete path for the pattern, which must find this very route (or, for "*" methods, the route
      // of that method listed earlier on purpose: 405 after GET and POST).
      const path = r.path.replace(/:\w+/g, "x").replace(/\*$/, "y");
      const method = r.method === "*" ? "PATCH" : r.method;
      const found = matchRoute(table, method, path.split("/"));
      assert.equal(found?.route, r, `${name}[${n}] ${key} is shadowed`);
    });
  }
  const api = (/** @type {string} */ method, /** @type {string} */ path) =>
    matchRoute(API_ROUTES, method, path.split("/"))?.route.path ?? null;
  assert.equal(api("GET", "integrations/demo/users/00u1"), "integrations/:id/users/:user");
  assert.equal(api("POST", "integrations/demo/sync/cancel"), "integrations/:id/sync/cancel");
  assert.equal(api("DELETE", "integrations"), "integrations", "405 for other methods");
  assert.equal(api("GET", "integrations/demo/nope"), null, "unknown: the not-found answer");
  assert.equal(api("GET", "policy/log"), "policy/*");
});

#!/usr/bin/env node
// The demo backend: serves the dashboard (www/) and the browser build of the SDK (/sdk/).
// Later releases add integration storage, server-side sync and progress streaming here.
//
//   node www/server.mjs [--port 8787] [--host 127.0.0.1] [--directory synced.json]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = fileURLToPath(new URL(".", import.meta.url));
const sdkRoot = fileURLToPath(new URL("../js/", import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    directory: { type: "string" },
  },
});

const REQUIRED_FOR_CLAIMS = new Set(["givenName", "familyName", "birthdate"]);

/** A summary of the synced directory (the `sync` CLI's JSON output), built once at start-up. */
async function loadDirectory(path) {
  if (!path) return null;
  const data = JSON.parse(await readFile(path, "utf8"));
  const members = new Map();
  for (const m of data.memberships) members.set(m.groupId, (members.get(m.groupId) ?? 0) + 1);
  const users = data.users.slice(0, 100).map(({ user, issues }) => ({
    id: user.id,
    status: user.status,
    login: user.login,
    name: [user.name.given, user.name.family].filter(Boolean).join(" "),
    // The attributes the default claims policy requires: without them a verification cannot match.
    missing: issues.filter((i) => i.code === "MISSING" && REQUIRED_FOR_CLAIMS.has(i.field)).map((i) => i.field),
  }));
  const byLogin = new Map(data.users.map(({ user }) => [String(user.login ?? "").toLowerCase(), user]));
  return {
    byLogin,
    summary: data.summary,
    groups: data.groups.map((g) => ({ ...g, members: members.get(g.id) ?? 0 })),
    users,
  };
}
const directory = await loadDirectory(values.directory);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

/** Maps a URL path to a file under one of the two served roots, refusing anything that escapes them. */
function resolvePath(urlPath) {
  const [root, rest] = urlPath.startsWith("/sdk/") ? [sdkRoot, urlPath.slice(5)] : [here, urlPath.slice(1) || "index.html"];
  if (root === sdkRoot && !/^(dist|wasm)\//.test(rest)) return null;
  if (root === here && (rest === "server.mjs" || rest.startsWith("test"))) return null;
  const file = normalize(join(root, decodeURIComponent(rest)));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  if (url.pathname === "/api/directory/user") {
    // Demo backend: one user's normalized record by login, for the claims playground.
    const user = directory?.byLogin.get(String(url.searchParams.get("login") ?? "").trim().toLowerCase());
    res.writeHead(user ? 200 : 404, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(user ?? { error: { code: "USER_NOT_FOUND", message: "no user with that login" } }));
    return;
  }
  if (url.pathname === "/api/directory") {
    const { byLogin: _index, ...view } = directory ?? {};
    const body = JSON.stringify(directory ? view : { summary: null, groups: [], users: [] });
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
    return;
  }
  if (url.pathname === "/api/health") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  const file = resolvePath(url.pathname);
  try {
    if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://${values.host}:${port}/` })}\n`);
  process.stderr.write(`dashboard: http://${values.host}:${port}/  (Ctrl-C to stop)\n`);
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));

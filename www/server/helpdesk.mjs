// The helpdesk verification console's backend (admin routes under /api/helpdesk/, and the portal's link step).
// An agent finds a caller, sends a verification link to the caller's directory email (or mobile phone) through
// the possession-step sender, and follows the request live on the admin event stream while the caller verifies
// on their own device in the portal. The decision is the portal's: the VerificationService, from a signed ID
// result. No route here records or changes an outcome; the agent only reads it.
//
// The audit log (audit.json under the data dir) keeps, per request: who asked (the admin), when, for which
// Okta user id and login, the channel, the state, the outcome and the per-claim outcome and reason codes.
// Never a claim value, a directory value other than the login, or the link's token (only its hash, in memory).
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "./store.mjs";

/** How long a verification link works. */
export const LINK_TTL_MS = 30 * 60_000;
/** Entries the audit log keeps (oldest dropped). */
const MAX_AUDIT = 5000;
/** Requests an agent may open per hour (a sender is not a spam cannon). */
const MAX_REQUESTS_PER_AGENT_HOUR = 60;

/**
 * @typedef {{ id: string, at: number, agent: string, userId: string, login: string, channel: "email" | "sms",
 *   state: "sent" | "opened" | "verifying" | "decided" | "refused" | "expired",
 *   updatedAt: number, outcome: string | null, decision: string | null,
 *   claims: Array<{ claim: string, outcome: string, reasons: string[] }>, code: string | null }} AuditEntry
 * @typedef {{ send(message: { to: string, subject: string, text: string }): Promise<void>, kind: string }} Sender
 */

const fold = (/** @type {string} */ s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** One CSV cell (quotes doubled; a leading =, +, - or @ neutralized so a spreadsheet never runs it). @param {unknown} v */
export function csvCell(v) {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * @param {{ dataDir: string, mail: Sender, sms: Sender | null,
 *   view: () => { id: string, view: import("./views.mjs").View } | null,
 *   broadcast: (event: string, data: unknown) => void, now?: () => number }} o
 */
export async function createHelpdesk(o) {
  const now = o.now ?? Date.now;
  const dir = join(o.dataDir, "helpdesk");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "audit.json");
  /** @type {AuditEntry[]} */
  let audit = [];
  try {
    audit = JSON.parse(await readFile(file, "utf8"));
    if (!Array.isArray(audit)) audit = [];
  } catch {
    audit = [];
  }
  /** Open links: sha256(token) → { requestId, userId, viewId, expiresAt }. */
  const links = new Map();
  /** Requests per agent in the last hour. @type {Map<string, number[]>} */
  const perAgent = new Map();
  let writing = Promise.resolve();

  function persist() {
    const text = JSON.stringify(audit.slice(0, MAX_AUDIT));
    writing = writing
      .then(() => writeAtomic(file, text))
      .catch(() => {
        process.stderr.write("helpdesk: the audit log could not be written\n");
      });
    return writing;
  }

  /** Updates an entry, persists it and tells every signed-in page. @param {string} id @param {Partial<AuditEntry>} change */
  async function update(id, change) {
    const entry = audit.find((e) => e.id === id);
    if (!entry) return;
    Object.assign(entry, change, { updatedAt: now() });
    await persist();
    o.broadcast("helpdesk", entry);
  }

  /** What the console shows about one directory user (status, enrollment, readiness; no claim values). */
  function callerView(/** @type {import("./views.mjs").View} */ v, /** @type {number} */ n) {
    const u = v.users[n].user;
    const missing = (v.missing[n] ?? [])
      .filter((/** @type {number} */ a) => v.required[a])
      .map((/** @type {number} */ a) => v.attributes[a]);
    return {
      id: u.id,
      name: [u.name?.given, u.name?.family].filter(Boolean).join(" ") || u.name?.display || u.login,
      login: u.login ?? "",
      email: u.email ?? "",
      hasMobile: typeof u.phones?.mobile === "string" && u.phones.mobile !== "",
      status: u.status,
      enrollment: v.enrollment[n],
      missingRequired: missing,
    };
  }

  /** Finds callers: an exact login hint first, else a name/login/email search (at most 10). @param {string} query */
  function search(query) {
    const current = o.view();
    if (!current) return { error: /** @type {const} */ ([409, "NO_DIRECTORY", "no directory is synced yet"]) };
    const v = current.view;
    const q = query.trim();
    if (q === "" || q.length > 200) return { error: /** @type {const} */ ([400, "INVALID_REQUEST", "type a login, an email or a name"]) };
    try {
      const found = v.directory.lookup(q);
      const n = v.byId.get(found.user.id ?? "");
      if (n !== undefined) return { callers: [callerView(v, n)] };
    } catch {
      // not a login hint (or ambiguous): fall back to a search
    }
    const needle = fold(q);
    /** @type {ReturnType<typeof callerView>[]} */
    const callers = [];
    for (let n = 0; n < v.users.length && callers.length < 10; n++) {
      const u = v.users[n].user;
      const hay = fold(`${u.name?.given ?? ""} ${u.name?.family ?? ""}\u0000${u.login ?? ""}\u0000${u.email ?? ""}`);
      if (hay.includes(needle)) callers.push(callerView(v, n));
    }
    return { callers };
  }

  /**
   * Opens a request and sends the link. @param {{ userId: unknown, channel: unknown, agent: string, origin: string }} a
   * @returns {Promise<{ entry: AuditEntry } | { error: readonly [number, string, string] }>}
   */
  async function create(a) {
    const current = o.view();
    if (!current) return { error: [409, "NO_DIRECTORY", "no directory is synced yet"] };
    const channel = a.channel === "sms" ? "sms" : a.channel === "email" || a.channel === undefined ? "email" : null;
    if (!channel) return { error: [400, "INVALID_REQUEST", "the channel is email or sms"] };
    const n = typeof a.userId === "string" ? current.view.byId.get(a.userId) : undefined;
    if (n === undefined) return { error: [404, "USER_NOT_FOUND", "no user with that id"] };
    const user = current.view.users[n].user;
    const to = channel === "email" ? user.email : user.phones?.mobile;
    if (typeof to !== "string" || to === "")
      return {
        error: [
          409,
          "NO_CONTACT",
          channel === "email" ? "this user has no email in the directory" : "this user has no mobile phone in the directory",
        ],
      };
    const sender = channel === "email" ? o.mail : o.sms;
    if (!sender) return { error: [501, "NO_SMS_SENDER", "no SMS sender is configured"] };
    const t = now();
    const recent = (perAgent.get(a.agent) ?? []).filter((x) => x > t - 3600_000);
    if (recent.length >= MAX_REQUESTS_PER_AGENT_HOUR)
      return { error: [429, "TOO_MANY_REQUESTS", "too many verification requests this hour"] };
    recent.push(t);
    perAgent.set(a.agent, recent);
    const token = randomBytes(32).toString("base64url");
    const id = `hd-${randomBytes(6).toString("hex")}`;
    links.set(createHash("sha256").update(token).digest("hex"), {
      requestId: id,
      userId: user.id,
      viewId: current.id,
      expiresAt: t + LINK_TTL_MS,
    });
    /** @type {AuditEntry} */
    const entry = {
      id,
      at: t,
      agent: a.agent,
      userId: user.id ?? "",
      login: String(user.login ?? ""),
      channel,
      state: "sent",
      updatedAt: t,
      outcome: null,
      decision: null,
      claims: [],
      code: null,
    };
    audit.unshift(entry);
    audit.length = Math.min(audit.length, MAX_AUDIT);
    const link = `${a.origin}/portal/#request=${token}`;
    await sender.send({
      to,
      subject: "Verify your identity for the IT help desk",
      text: `The IT help desk asked you to verify your identity. Open this link on your own device: ${link} It works once, for 30 minutes. If you are not on a call with the help desk, ignore this message.`,
    });
    await persist();
    o.broadcast("helpdesk", entry);
    return { entry };
  }

  /**
   * The portal's link step: spends a link (single use, unexpired) and says whom it is for.
   * @param {unknown} token @returns {{ requestId: string, userId: string, viewId: string } | null}
   */
  function open(token) {
    if (typeof token !== "string" || token.length > 100) return null;
    const key = createHash("sha256").update(token).digest("hex");
    const link = links.get(key);
    links.delete(key);
    if (!link) return null;
    if (link.expiresAt <= now()) {
      void update(link.requestId, { state: "expired", outcome: "expired" });
      return null;
    }
    void update(link.requestId, { state: "opened" });
    return link;
  }

  /** Progress reported by the portal (the ID check started). @param {string} requestId */
  function verifying(requestId) {
    return update(requestId, { state: "verifying" });
  }

  /**
   * The VerificationService's decision for a request (outcomes and reason codes only).
   * @param {string} requestId @param {{ decision: string, state: string, claims: Record<string, { outcome: string, reasons?: string[] } | null> }} out
   */
  function decided(requestId, out) {
    const claims = Object.entries(out.claims ?? {})
      .filter(([, c]) => c && !(c.outcome === "missing_verified" && (c.reasons ?? []).length === 0))
      .map(([claim, c]) => ({
        claim,
        outcome: String(c?.outcome),
        reasons: (c?.reasons ?? []).map(String),
      }));
    return update(requestId, { state: "decided", decision: out.decision, outcome: out.state, claims });
  }

  /** A refused verification result (its TOKEN_* code). @param {string} requestId @param {string} code */
  function refused(requestId, code) {
    return update(requestId, { state: "refused", outcome: "refused", code });
  }

  /** The log, filtered. @param {URLSearchParams} q */
  function list(q) {
    // Links never opened within their lifetime are expired (so "pending" means a link still usable).
    const t = now();
    let swept = false;
    for (const e of audit) {
      if (e.state === "sent" && e.at + LINK_TTL_MS <= t) {
        Object.assign(e, { state: "expired", outcome: "expired", updatedAt: t });
        swept = true;
      }
    }
    if (swept) void persist();
    const outcome = q.get("outcome") ?? "";
    const text = fold(q.get("q") ?? "");
    return audit.filter((e) => {
      if (outcome === "pending" && e.outcome !== null) return false;
      if (outcome === "other" && (e.outcome === null || ["success", "review", "mismatch"].includes(e.outcome))) return false;
      if (outcome && !["pending", "other"].includes(outcome) && e.outcome !== outcome) return false;
      return !text || fold(`${e.login}\u0000${e.agent}\u0000${e.userId}`).includes(text);
    });
  }

  /** The log as CSV (reason codes, never claim values). @param {URLSearchParams} q */
  function csv(q) {
    const head = [
      "request_id",
      "requested_at",
      "agent",
      "user_id",
      "login",
      "channel",
      "state",
      "decision",
      "outcome",
      "claim_outcomes",
      "reason_codes",
      "error_code",
    ];
    const rows = list(q).map((e) =>
      [
        e.id,
        new Date(e.at).toISOString(),
        e.agent,
        e.userId,
        e.login,
        e.channel,
        e.state,
        e.decision ?? "",
        e.outcome ?? "",
        e.claims.map((c) => `${c.claim}:${c.outcome}`).join(" "),
        [...new Set(e.claims.flatMap((c) => c.reasons))].join(" "),
        e.code ?? "",
      ]
        .map(csvCell)
        .join(","),
    );
    return `${[head.join(","), ...rows].join("\n")}\n`;
  }

  /**
   * The admin routes (after the server checked the admin session and, for writes, the Origin).
   * @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res
   * @param {string[]} parts the path after /api/helpdesk/ @param {URL} url
   * @param {{ name?: string, method: string, subject: string }} admin
   * @param {{ json: (res: any, status: number, body: unknown) => void, readJson: (req: any) => Promise<any> }} io
   */
  async function route(req, res, parts, url, admin, io) {
    const method = req.method ?? "GET";
    const fail = (/** @type {readonly [number, string, string]} */ [status, code, message]) =>
      io.json(res, status, { error: { code, message } });
    const path = parts.join("/");
    if (path === "search" && method === "GET") {
      const found = search(url.searchParams.get("q") ?? "");
      return "error" in found && found.error ? fail(found.error) : io.json(res, 200, found);
    }
    if (path === "requests" && method === "POST") {
      const body = await io.readJson(req);
      const agent = admin.method === "okta" ? (admin.name ?? admin.subject) : "bootstrap admin";
      // The link points at this server: the host name the server already checked, and the port the request
      // actually arrived on (never the Host header's port, which a client picks freely).
      const hostName = (req.headers.host ?? "").replace(/:\d+$/, "");
      const made = await create({
        userId: body.userId,
        channel: body.channel,
        agent,
        origin: `http://${hostName}:${req.socket.localPort}`,
      });
      return "error" in made ? fail(made.error) : io.json(res, 201, made.entry);
    }
    if (path === "audit" && method === "GET") return io.json(res, 200, { entries: list(url.searchParams).slice(0, 500) });
    if (path === "audit.csv" && method === "GET") {
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="verifications.csv"',
        "cache-control": "no-store",
      });
      return res.end(csv(url.searchParams));
    }
    if (parts[0] === "requests" && parts.length === 2 && method === "GET") {
      const entry = audit.find((e) => e.id === parts[1]);
      return entry ? io.json(res, 200, entry) : fail([404, "NOT_FOUND", "no such request"]);
    }
    // No route sets an outcome: the agent reads decisions, the VerificationService makes them.
    return fail([404, "NOT_FOUND", "unknown endpoint"]);
  }

  return { search, create, open, verifying, decided, refused, list, csv, route, flush: () => writing };
}

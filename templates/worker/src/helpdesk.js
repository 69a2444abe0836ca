// The helpdesk verification flow as Worker routes, over the SDK's createHelpdeskVerification and this
// Worker's VerificationService (see docs/worker.md#helpdesk-routes). For a helpdesk tool's backend: every
// route needs the Worker's bearer secret like the others.
//
// - POST /v1/helpdesk/requests {loginHint, agent, channel?}  → opens a request; the one-time link goes to the
//   caller's DIRECTORY email (or mobile phone) through the operator's sender (HELPDESK_SENDER_URL, a POST of
//   {channel, to, link, requestId} with `Authorization: Bearer HELPDESK_SENDER_SECRET`); answers the request
// - GET  /v1/helpdesk/requests?id=…                          → where it stands
// - POST /v1/helpdesk/open {link}                            → once per link (a Durable Object makes it atomic):
//                                                              {requestId, userId, nonce} for the vendor flow
// - POST /v1/helpdesk/complete {requestId, nonce, idToken}   → the signed result decided and recorded by the
//                                                              VerificationService; answers the request
// - GET  /v1/helpdesk/decision?id=…                          → {decision, outcome, claims}, 409 while undecided
// Requests live in KV (okta-directory/helpdesk/<id>) with the SHA-256 of the link token and of the nonce,
// outcomes and reason codes: never a claim value, no directory value but the login. No route sets an outcome.
import { createHelpdeskVerification, OktaDirectoryError } from "okta-directory";

const PREFIX = "okta-directory/helpdesk/";

/** @typedef {(request: Request, env: Env, url: URL) => Promise<Response>} Handler */

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 */
function problem(status, code, message) {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * Requests in KV, one value per id, expiring a day after the link.
 * @param {Env} env
 */
function kvHelpdeskStore(env) {
  return {
    /** @param {string} id */
    async get(id) {
      const text = await env.DIRECTORY.get(PREFIX + id, { type: "text" });
      return text === null ? null : JSON.parse(text);
    },
    /** @param {{ id: string, expiresAtMs: number }} record */
    async put(record) {
      const ttl = Math.max(60, Math.ceil((record.expiresAtMs + 86_400_000 - Date.now()) / 1000));
      await env.DIRECTORY.put(PREFIX + record.id, JSON.stringify(record), { expirationTtl: ttl });
    },
  };
}

/**
 * The operator's sender: a POST to HELPDESK_SENDER_URL (the message holds the link: it is never logged, and
 * never follows a redirect).
 * @param {Env} env
 */
function webhookSender(env) {
  return async (/** @type {unknown} */ message) => {
    const url = env.HELPDESK_SENDER_URL;
    if (typeof url !== "string" || url === "") throw new SenderMissing();
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(env.HELPDESK_SENDER_SECRET ? { authorization: `Bearer ${env.HELPDESK_SENDER_SECRET}` } : {}),
      },
      body: JSON.stringify(message),
      // The body holds the one-time link: a redirect would resend it to wherever the sender points (a 3xx fails).
      redirect: "manual",
    });
    if (!response.ok) throw new SenderFailed(response.status);
  };
}

class SenderMissing extends Error {}
class SenderFailed extends Error {
  /** @param {number} status */
  constructor(status) {
    super(`the sender answered ${status}`);
    this.status = status;
  }
}

/**
 * The helpdesk routes, as `[path, {METHOD: handler(request, env, url)}]` entries for the Worker's route table.
 * @param {{ service: (env: Env) => Promise<any>, directory: any, readJson: (request: Request) => Promise<any> }} deps
 * @returns {[string, { GET?: Handler, POST?: Handler }][]}
 */
export function helpdeskRoutes(deps) {
  /** @param {Env} env */
  async function flow(env) {
    const ns = env.VERIFICATION_GUARD;
    const base = typeof env.HELPDESK_LINK_BASE === "string" && env.HELPDESK_LINK_BASE !== "" ? env.HELPDESK_LINK_BASE : null;
    if (base === null) throw new ConfigMissing("HELPDESK_LINK_BASE");
    return createHelpdeskVerification({
      service: await deps.service(env),
      directory: deps.directory,
      store: kvHelpdeskStore(env),
      send: webhookSender(env),
      linkBase: base,
      ...(Number(env.HELPDESK_LINK_TTL_SECONDS) > 0 ? { linkTtlSec: Number(env.HELPDESK_LINK_TTL_SECONDS) } : {}),
      // Single use of a link, atomically: the same Durable Object class that makes a jti single use.
      once: (/** @type {string} */ key, /** @type {number} */ untilMs) => ns.get(ns.idFromName(key)).claimOnce(untilMs),
    });
  }

  /** Runs a handler; the flow's own refusals become JSON answers, the rest goes to the Worker's handler. */
  /**
   * @param {Handler} fn
   * @returns {Handler}
   */
  const wrap = (fn) => async (request, env, url) => {
    try {
      return await fn(request, env, url);
    } catch (e) {
      if (e instanceof ConfigMissing) return problem(500, "SERVER_MISCONFIGURED", `${e.message} is not set`);
      if (e instanceof SenderMissing) return problem(501, "NO_SENDER", "HELPDESK_SENDER_URL is not set: no link can be sent");
      if (e instanceof SenderFailed) return problem(502, "SENDER_FAILED", e.message);
      if (e instanceof OktaDirectoryError && e.code === "LINK_INVALID") return problem(410, e.code, e.message);
      if (e instanceof OktaDirectoryError && e.code === "INVALID_REQUEST") return problem(400, e.code, e.message);
      throw e;
    }
  };

  const request = wrap(async (req, env) => {
    const body = await deps.readJson(req);
    const out = await (await flow(env)).request({
      loginHint: body.loginHint,
      agent: body.agent,
      ...(body.channel === undefined ? {} : { channel: body.channel }),
    });
    return Response.json(out, { status: 201 });
  });
  const status = wrap(async (req, env, url) => Response.json(await (await flow(env)).status(url.searchParams.get("id") ?? "")));
  const open = wrap(async (req, env) => {
    const body = await deps.readJson(req);
    return Response.json(await (await flow(env)).open(typeof body.link === "string" ? body.link : ""));
  });
  const complete = wrap(async (req, env) => {
    const body = await deps.readJson(req);
    if (typeof body.idToken !== "string" || body.idToken === "")
      return problem(400, "INVALID_REQUEST", "idToken must be the vendor's id_token");
    return Response.json(await (await flow(env)).complete({ requestId: body.requestId, nonce: body.nonce, idToken: body.idToken }));
  });
  const decision = wrap(async (req, env, url) => {
    const out = await (await flow(env)).decision(url.searchParams.get("id") ?? "");
    return out === null ? problem(409, "NOT_DECIDED", "this request has no decision yet") : Response.json(out);
  });

  return [
    ["/v1/helpdesk/requests", { POST: request, GET: status }],
    ["/v1/helpdesk/open", { POST: open }],
    ["/v1/helpdesk/complete", { POST: complete }],
    ["/v1/helpdesk/decision", { GET: decision }],
  ];
}

class ConfigMissing extends Error {}

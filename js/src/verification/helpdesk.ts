/**
 * The helpdesk verification flow over the verification service, for teams that embed it in their own
 * helpdesk tool: an agent opens a request for a caller, a one-time link goes to the caller's DIRECTORY
 * email or mobile phone (never an address the agent types), the caller opens it on their own device and
 * verifies their ID with the vendor, and the signed result is decided and recorded by the
 * {@link VerificationService} — the agent reads the status and the decision, and has no way to set one.
 *
 * Storage is the caller's ({@link HelpdeskStore}: memory, a file, Workers KV). A request keeps only the
 * SHA-256 of its link token and of its nonce, outcomes and reason codes — never a claim value, and no
 * directory value but the login.
 */
import type { ClaimKind, DirectoryUser } from "../../wasm/okta_directory.js";
import { makeError } from "../errors.js";
import type { ClaimOutcome } from "../idtoken/decide.js";
import type { VerificationService } from "./service.js";
import type { DirectoryLookup } from "./types.js";

/** How long a link works by default: 30 minutes. */
export const DEFAULT_HELPDESK_LINK_TTL_SEC = 30 * 60;

/** Where a request stands. */
export type HelpdeskState = "sent" | "opened" | "decided" | "refused" | "expired";

/** A helpdesk request as the agent sees it (no token, no nonce, no claim value). */
export interface HelpdeskRequest {
  /** The request id (random, public: it names the request, it opens nothing). */
  id: string;
  /** The caller's Okta user id. */
  userId: string;
  /** The caller's login (the one directory value kept, to show the agent whom they verify). */
  login: string;
  /** Who asked (the agent's name or id, as the embedding tool knows it). */
  agent: string;
  /** Where the link went. */
  channel: "email" | "sms";
  /** Where the request stands. */
  state: HelpdeskState;
  /** When it was opened, and last changed (ms since the epoch). */
  createdAtMs: number;
  updatedAtMs: number;
  /** When the link stops working. */
  expiresAtMs: number;
  /** The decision, once decided. */
  decision: "match" | "review" | "no_match" | null;
  /** The portal state of the decision (`success`, `mismatch`, `review`…), once decided. */
  outcome: string | null;
  /** Per-claim outcomes and reason codes, once decided. */
  claims: Partial<Record<ClaimKind, ClaimOutcome>>;
  /** The refusal's error code (a refused token), when refused. */
  code: string | null;
}

/** A stored request: the public view plus the hashes that check the link and the nonce. */
export interface HelpdeskRecord extends HelpdeskRequest {
  /** SHA-256 (hex) of the link token. */
  tokenHash: string;
  /** SHA-256 (hex) of the nonce handed to the device that opened the link (`null` before). */
  nonceHash: string | null;
}

/** Where helpdesk requests are kept, by id. */
export interface HelpdeskStore {
  /** The request `id`, or `null`. */
  get(id: string): Promise<HelpdeskRecord | null> | HelpdeskRecord | null;
  /** Stores (creates or replaces) a request. */
  put(record: HelpdeskRecord): Promise<void> | void;
}

/** Requests in memory (tests, a single process). */
export class MemoryHelpdeskStore implements HelpdeskStore {
  readonly #byId = new Map<string, HelpdeskRecord>();
  /** The request `id`, or `null`. */
  get(id: string): HelpdeskRecord | null {
    const r = this.#byId.get(id);
    return r === undefined ? null : { ...r };
  }
  /** Stores a request. */
  put(record: HelpdeskRecord): void {
    this.#byId.set(record.id, { ...record });
  }
  /** Every request, newest first. */
  list(): HelpdeskRecord[] {
    return [...this.#byId.values()].sort((a, b) => b.createdAtMs - a.createdAtMs).map((r) => ({ ...r }));
  }
}

/** The message a {@link HelpdeskSender} delivers: the link, to the caller's directory address. */
export interface HelpdeskMessage {
  channel: "email" | "sms";
  /** The directory email or mobile phone number. */
  to: string;
  /** The one-time link (holds the token: deliver it, never log it). */
  link: string;
  /** The request id. */
  requestId: string;
}

/** Delivers a link (email or SMS): the embedding tool's own sender. */
export type HelpdeskSender = (message: HelpdeskMessage) => Promise<void> | void;

/** Options of {@link createHelpdeskVerification}. */
export interface HelpdeskVerificationOptions {
  /** The verification service that decides and records (the one writer of verification histories). */
  service: VerificationService;
  /** The directory the callers are found in (the same the service resolves login hints with). */
  directory: DirectoryLookup;
  /** Where requests are kept. */
  store: HelpdeskStore;
  /** Delivers the link to the caller's directory address. */
  send: HelpdeskSender;
  /** The page the caller opens (the link is `<linkBase>#request=<id>.<token>`). */
  linkBase: string | URL;
  /** How long a link works, seconds; default 1800. */
  linkTtlSec?: number;
  /** The operator's policy id the decision is taken under; default the service's default. */
  policyId?: string;
  /** The clock, ms since the epoch; default `Date.now`. */
  now?: () => number;
  /**
   * An atomic single-use check: true the first time it is called with `key`, false after (kept at least
   * until `untilMs`). Needed when the store is not atomic (Workers KV: two devices opening one link at the
   * same time could both read `sent`); the Worker template uses a Durable Object.
   */
  once?: (key: string, untilMs: number) => boolean | Promise<boolean>;
}

/** What opening a link gives the caller's device: the request and a nonce for the vendor's authorization request. */
export interface OpenedHelpdeskLink {
  requestId: string;
  /** The Okta user id the vendor's result must be about (the PAR's `login_hint`). */
  userId: string;
  /** Send it with the vendor's authorization request; the signed result must carry it. Secret to this device. */
  nonce: string;
}

/** The helpdesk flow: see {@link createHelpdeskVerification}. */
export interface HelpdeskVerification {
  /** Agent: opens a request for the caller a login hint names and sends them a one-time link. */
  request(input: { loginHint: string; agent: string; channel?: "email" | "sms" }): Promise<HelpdeskRequest>;
  /** Caller's device: opens the link (once) and gets a nonce for the ID verification. */
  open(link: string): Promise<OpenedHelpdeskLink>;
  /** Caller's device: the vendor's signed result, decided and recorded by the service. */
  complete(input: { requestId: string; nonce: string; idToken: string }): Promise<HelpdeskRequest>;
  /** Agent: where a request stands (expired once its link's time is up before a decision). */
  status(requestId: string): Promise<HelpdeskRequest>;
  /** Agent: the decision, or `null` while undecided. */
  decision(requestId: string): Promise<Pick<HelpdeskRequest, "decision" | "outcome" | "claims"> | null>;
}

const ID_CHARS = /^[A-Za-z0-9_-]{16,64}$/;

function random(bytes: number): string {
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Compares two equal-length hex strings without an early exit. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function publicView(r: HelpdeskRecord): HelpdeskRequest {
  const { tokenHash: _t, nonceHash: _n, ...view } = r;
  return view;
}

const invalidLink = () => makeError("LINK_INVALID", "this verification link is not valid any more (unknown, already used or expired)");

/**
 * The helpdesk verification flow over a {@link VerificationService}.
 *
 * ```ts
 * const helpdesk = createHelpdeskVerification({ service, directory, store: new MemoryHelpdeskStore(),
 *   send: ({ to, link }) => mailer.send(to, link), linkBase: "https://verify.example.com/helpdesk" });
 * const req = await helpdesk.request({ loginHint: "ann@example.com", agent: "agent-7" });   // link sent
 * // caller's device: const { nonce, userId } = await helpdesk.open(location.href); … vendor … idToken
 * await helpdesk.complete({ requestId, nonce, idToken });  // decided and recorded by the service
 * (await helpdesk.status(req.id)).state;                   // "decided"; helpdesk.decision(req.id)
 * ```
 */
export function createHelpdeskVerification(options: HelpdeskVerificationOptions): HelpdeskVerification {
  for (const name of ["service", "directory", "store", "send", "linkBase"] as const) {
    if (options[name] == null) throw makeError("INVALID_REQUEST", `the helpdesk verification needs \`${name}\``);
  }
  const now = options.now ?? Date.now;
  const ttlMs = (options.linkTtlSec ?? DEFAULT_HELPDESK_LINK_TTL_SEC) * 1000;
  if (!(ttlMs > 0)) throw makeError("INVALID_REQUEST", "linkTtlSec must be positive");
  const base = new URL(String(options.linkBase));

  async function load(requestId: unknown): Promise<HelpdeskRecord> {
    if (typeof requestId !== "string" || !ID_CHARS.test(requestId)) throw makeError("INVALID_REQUEST", "requestId is not a request id");
    const r = await options.store.get(requestId);
    if (r === null) throw makeError("INVALID_REQUEST", "no such helpdesk request");
    if ((r.state === "sent" || r.state === "opened") && now() >= r.expiresAtMs) {
      const expired = { ...r, state: "expired" as const, updatedAtMs: now() };
      await options.store.put(expired);
      return expired;
    }
    return r;
  }

  return {
    async request(input) {
      if (input == null || typeof input.agent !== "string" || input.agent.trim() === "")
        throw makeError("INVALID_REQUEST", "agent must be a non-empty string");
      const channel = input.channel ?? "email";
      if (channel !== "email" && channel !== "sms") throw makeError("INVALID_REQUEST", 'channel is "email" or "sms"');
      if (typeof input.loginHint !== "string" || input.loginHint.trim() === "")
        throw makeError("INVALID_REQUEST", "loginHint must be a non-empty string");
      const { user } = await options.directory.lookup(input.loginHint);
      const u = user as DirectoryUser;
      if (typeof u.id !== "string" || u.id === "") throw makeError("USER_NOT_FOUND", "the directory record has no Okta user id");
      // Only the directory's own address: an agent can never send the link elsewhere.
      const to = channel === "email" ? u.email : (u.phones?.mobile ?? undefined);
      if (typeof to !== "string" || to === "")
        throw makeError(
          "INVALID_REQUEST",
          `the directory record has no ${channel === "email" ? "email" : "mobile phone"} to send the link to`,
        );
      const id = random(18);
      const token = random(32);
      const at = now();
      const record: HelpdeskRecord = {
        id,
        userId: u.id,
        login: u.login ?? u.id,
        agent: input.agent.trim().slice(0, 200),
        channel,
        state: "sent",
        createdAtMs: at,
        updatedAtMs: at,
        expiresAtMs: at + ttlMs,
        decision: null,
        outcome: null,
        claims: {},
        code: null,
        tokenHash: await sha256(token),
        nonceHash: null,
      };
      await options.store.put(record);
      const link = new URL(base);
      link.hash = `request=${id}.${token}`;
      await options.send({ channel, to, link: link.href, requestId: id });
      return publicView(record);
    },

    async open(link) {
      const hash =
        typeof link === "string"
          ? (/#request=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(link) ?? /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(link))
          : null;
      if (!hash) throw invalidLink();
      const [, id, token] = hash as unknown as [string, string, string];
      let r: HelpdeskRecord;
      try {
        r = await load(id);
      } catch {
        throw invalidLink();
      }
      if (r.state !== "sent" || !sameHex(r.tokenHash, await sha256(token))) throw invalidLink();
      if (options.once !== undefined && !(await options.once(`helpdesk-open:${r.id}`, r.expiresAtMs))) throw invalidLink();
      const nonce = random(32);
      await options.store.put({ ...r, state: "opened", updatedAtMs: now(), nonceHash: await sha256(nonce) });
      return { requestId: r.id, userId: r.userId, nonce };
    },

    async complete(input) {
      const r = await load(input?.requestId);
      if (typeof input.nonce !== "string" || r.nonceHash === null || !sameHex(r.nonceHash, await sha256(input.nonce))) throw invalidLink();
      if (r.state !== "opened") throw invalidLink();
      try {
        // The service resolves the caller by the record's own Okta id, checks the signed result (issuer,
        // audience, keys, nonce, age, single use, subject = this user), decides and records.
        const out = await options.service.verify({
          loginHint: r.login,
          idToken: input.idToken,
          nonce: input.nonce,
          ...(options.policyId === undefined ? {} : { policyId: options.policyId }),
        });
        if (out.userId !== r.userId)
          throw makeError("TOKEN_SUBJECT_MISMATCH", "the verification result is about another person than this request");
        const decided: HelpdeskRecord = {
          ...r,
          state: "decided",
          updatedAtMs: now(),
          decision: out.decision,
          outcome: out.state,
          claims: out.claims,
          code: null,
        };
        await options.store.put(decided);
        return publicView(decided);
      } catch (e) {
        const code = typeof (e as { code?: unknown })?.code === "string" ? (e as { code: string }).code : "INTERNAL";
        // A refused token ends the request (the link is spent); a limit or an outage leaves it open to retry.
        if (code.startsWith("TOKEN_")) await options.store.put({ ...r, state: "refused", updatedAtMs: now(), code });
        throw e;
      }
    },

    async status(requestId) {
      return publicView(await load(requestId));
    },

    async decision(requestId) {
      const r = await load(requestId);
      return r.state === "decided" ? { decision: r.decision, outcome: r.outcome, claims: r.claims } : null;
    },
  };
}

/**
 * Reading an Okta Event Hook delivery: the envelope (`eventId`, `data.events[]`) and, per event, the change
 * it means for a directory. Only Okta ids leave this file (never a profile value: Okta's events carry the
 * login and display name in `target[]`, which the receiver does not keep).
 */
import { makeError } from "../errors.js";

/** The System Log event types the receiver applies. Subscribe the hook to these (or a subset). */
export const HOOK_EVENT_TYPES = [
  "user.lifecycle.create",
  "user.lifecycle.activate",
  "user.lifecycle.reactivate",
  "user.lifecycle.deactivate",
  "user.lifecycle.suspend",
  "user.lifecycle.unsuspend",
  "user.account.update_profile",
  "user.lifecycle.delete.initiated",
  "user.lifecycle.delete.completed",
  "group.user_membership.add",
  "group.user_membership.remove",
] as const;

/** One event's meaning: a user to re-read from Okta, a user gone, or a membership added or removed. */
export type HookChange =
  | { kind: "user"; userId: string }
  | { kind: "deleted"; userId: string }
  | { kind: "membership"; userId: string; groupId: string; added: boolean };

/** One event of a delivery. */
export interface HookEvent {
  uuid: string;
  /** ISO 8601, as Okta stamps it. */
  published: string;
  eventType: string;
  /** `undefined` for an event type the receiver does not apply, or a failed outcome. */
  change: HookChange | undefined;
}

/** A parsed delivery. */
export interface HookDelivery {
  eventId: string;
  events: HookEvent[];
}

const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;
const UUID = /^[A-Za-z0-9-]{1,64}$/;

function invalid(what: string): Error {
  return makeError("HOOK_PAYLOAD_INVALID", `invalid Event Hook delivery: ${what}`);
}

function targetId(targets: unknown[], type: string): string | undefined {
  for (const t of targets) {
    if (typeof t !== "object" || t === null) continue;
    const { type: ty, id } = t as { type?: unknown; id?: unknown };
    if (ty === type && typeof id === "string" && OKTA_ID.test(id)) return id;
  }
  return undefined;
}

function changeOf(eventType: string, targets: unknown[]): HookChange | undefined {
  const userId = targetId(targets, "User");
  if (!(HOOK_EVENT_TYPES as readonly string[]).includes(eventType)) return undefined;
  if (userId === undefined) throw invalid("an event lacks the user target its type needs");
  if (eventType === "user.lifecycle.delete.completed") return { kind: "deleted", userId };
  if (eventType.startsWith("group.user_membership.")) {
    const groupId = targetId(targets, "UserGroup");
    if (groupId === undefined) throw invalid("a membership event lacks its group target");
    return { kind: "membership", userId, groupId, added: eventType.endsWith(".add") };
  }
  return { kind: "user", userId };
}

/**
 * Parses a delivery body (Okta's `com.okta.event_hook` envelope).
 *
 * @throws InvalidInputError (`HOOK_PAYLOAD_INVALID`) for anything else; the message quotes no value
 */
export function parseDelivery(text: string): HookDelivery {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid("the body is not JSON");
  }
  if (typeof doc !== "object" || doc === null) throw invalid("the body is not an object");
  const { eventId, data } = doc as { eventId?: unknown; data?: unknown };
  if (typeof eventId !== "string" || !UUID.test(eventId)) throw invalid("eventId is missing or malformed");
  const events = (data as { events?: unknown } | null | undefined)?.events;
  if (!Array.isArray(events)) throw invalid("data.events is not an array");
  const out: HookEvent[] = [];
  for (const e of events) {
    if (typeof e !== "object" || e === null) throw invalid("an event is not an object");
    const { uuid, published, eventType, target, outcome } = e as Record<string, unknown>;
    if (typeof uuid !== "string" || !UUID.test(uuid)) throw invalid("an event's uuid is missing or malformed");
    if (typeof eventType !== "string" || typeof published !== "string") throw invalid("an event lacks eventType or published");
    const failed = typeof outcome === "object" && outcome !== null && (outcome as { result?: unknown }).result !== "SUCCESS";
    const change = failed ? undefined : changeOf(eventType, Array.isArray(target) ? target : []);
    out.push({ uuid, published, eventType, change });
  }
  return { eventId, events: out };
}

/**
 * Applying a delivery's changes to a directory snapshot through the core's delta machinery
 * (`DirectoryDelta`: users upserted, memberships added and removed, users removed), and reading the
 * changed users from Okta (an event names a user, never its new profile).
 */
import * as wasm from "../../wasm/okta_directory.js";
import type { AppliedSync, AttributeMappingInput, DirectoryUser } from "../../wasm/okta_directory.js";
import { guard, makeError } from "../errors.js";
import { normalizeUser } from "../profile.js";
import { ensureReady } from "../state.js";
import type { HookChanges } from "./receiver.js";

/** Where the directory snapshot lives (a file, a variable, a KV value…). */
export interface SnapshotHolder {
  get(): Uint8Array | Promise<Uint8Array>;
  set(snapshot: Uint8Array): void | Promise<void>;
}

/** Reads one Okta user (the Okta user object) by id; `null` when Okta no longer has it (404). */
export type FetchOktaUser = (userId: string) => Promise<unknown>;

/** Options of {@link snapshotApplier}. */
export interface SnapshotApplierOptions {
  snapshot: SnapshotHolder;
  fetchUser: FetchOktaUser;
  /** The attribute mapping the directory was synced with (default: Okta's base attributes). */
  mapping?: AttributeMappingInput;
  /** Called after each applied delivery with the core's counts. */
  onApplied?: (applied: AppliedSync, changes: HookChanges) => void;
}

/** The JSON shape of the core's `DirectoryDelta`. */
interface DeltaJson {
  upsertUsers: DirectoryUser[];
  removeUsers: string[];
  addMemberships: { groupId: string; userId: string }[];
  removeMemberships: { groupId: string; userId: string }[];
}

/**
 * Applies the changes of `changes` to the snapshot: changed users are re-read with `fetchUser` (a user Okta no
 * longer has is removed), memberships added or removed, deleted users removed. Returns the core's result.
 */
export async function applyHookChanges(
  snapshot: Uint8Array,
  changes: HookChanges,
  options: { fetchUser: FetchOktaUser; mapping?: AttributeMappingInput },
): Promise<AppliedSync> {
  ensureReady();
  const delta: DeltaJson = { upsertUsers: [], removeUsers: [...changes.deletedUserIds], addMemberships: [], removeMemberships: [] };
  for (const id of changes.upsertUserIds) {
    const user = await options.fetchUser(id);
    if (user === null || user === undefined) delta.removeUsers.push(id);
    else delta.upsertUsers.push(normalizeUser(user, options.mapping).user);
  }
  for (const m of changes.membershipChanges) {
    (m.added ? delta.addMemberships : delta.removeMemberships).push({ groupId: m.groupId, userId: m.userId });
  }
  const json = JSON.stringify(delta);
  return guard(() => wasm.applyDirectoryDelta(snapshot, json));
}

/** An `apply` for {@link createEventHookReceiver} that keeps the directory as a snapshot in `holder`. */
export function snapshotApplier(options: SnapshotApplierOptions): (changes: HookChanges) => Promise<void> {
  return async (changes) => {
    if (changes.upsertUserIds.length === 0 && changes.deletedUserIds.length === 0 && changes.membershipChanges.length === 0) return;
    const applied = await applyHookChanges(await options.snapshot.get(), changes, options);
    await options.snapshot.set(applied.snapshot);
    options.onApplied?.(applied, changes);
  };
}

/**
 * The origin of an org URL credentials may be sent to: https, or loopback http with `allowInsecureLoopback`.
 *
 * @throws ConfigurationError (`INVALID_ORG_URL`, `INSECURE_ORG_URL`)
 */
export function orgOrigin(orgUrl: string, allowInsecureLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(orgUrl);
  } catch (cause) {
    throw makeError("INVALID_ORG_URL", "invalid org URL", { cause, option: "orgUrl" });
  }
  const loopback = url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost") && allowInsecureLoopback;
  if (url.protocol !== "https:" && !loopback) throw makeError("INSECURE_ORG_URL", "the org URL must be https", { option: "orgUrl" });
  return url.origin;
}

/** Options of {@link oktaUserFetcher}. */
export interface OktaUserFetcherOptions {
  /** The org URL (https; loopback http only with `allowInsecureLoopback`). The credential goes to this origin only. */
  orgUrl: string;
  /** A legacy API token (`SSWS`)… */
  apiToken?: string;
  /** …or an access token with `okta.users.read` (`Bearer`; with the app's key instead, `oktaOAuthUserFetcher` fetches and refreshes one, DPoP included). */
  accessToken?: string;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  allowInsecureLoopback?: boolean;
}

/** `fetch` as a user fetcher calls it. */
export type UserReadFetch = (input: string, init: RequestInit) => Promise<Response>;

/** The URL of one user's strongly consistent read; `HOOK_PAYLOAD_INVALID` for an id that cannot be an Okta id. */
export function userReadUrl(origin: string, userId: string): string {
  if (!/^[A-Za-z0-9]{1,64}$/.test(userId)) throw makeError("HOOK_PAYLOAD_INVALID", "invalid Event Hook delivery: a user id is malformed");
  return `${origin}/api/v1/users/${userId}`;
}

/**
 * Sends one user read (`GET`, redirects not followed) with `headers` (the credential included). Every user
 * fetcher sends through here: a request that does not complete is `OKTA_API_ERROR` with the failure as `cause`
 * (the message names neither the URL's user nor the credential).
 */
export async function sendUserRead(doFetch: UserReadFetch, url: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await doFetch(url, { method: "GET", headers: { accept: "application/json", ...headers }, redirect: "manual" });
  } catch (cause) {
    throw makeError("OKTA_API_ERROR", "Okta user read failed: the request did not complete", { cause });
  }
}

/**
 * The user a read's answer holds: `null` for a 404; `UNEXPECTED_REDIRECT` for a 3xx (not followed);
 * `OKTA_API_ERROR` for any other status (with `status`) or a body that is not JSON (with the parse error as `cause`).
 */
export async function userOfResponse(res: Response): Promise<unknown> {
  if (res.status === 404) return null;
  if (res.status >= 300 && res.status < 400)
    throw makeError("UNEXPECTED_REDIRECT", "Okta answered a user read with a redirect; it was not followed", { status: res.status });
  if (res.status !== 200) throw makeError("OKTA_API_ERROR", `Okta refused a user read: HTTP ${res.status}`, { status: res.status });
  try {
    return (await res.json()) as unknown;
  } catch (cause) {
    throw makeError("OKTA_API_ERROR", "Okta answered a user read with a body that is not JSON", { cause });
  }
}

/**
 * A {@link FetchOktaUser} over `GET /api/v1/users/{id}` (the strongly consistent read). Redirects are not
 * followed; a 404 is `null`; any other failure is a typed `OKTA_API_ERROR` (as `oktaOAuthUserFetcher`'s).
 *
 * @throws ConfigurationError for an org URL that is not https (or loopback with the option) or no credential
 */
export function oktaUserFetcher(options: OktaUserFetcherOptions): FetchOktaUser {
  const origin = orgOrigin(options.orgUrl, options.allowInsecureLoopback === true);
  const authorization =
    options.apiToken !== undefined
      ? `SSWS ${options.apiToken}`
      : options.accessToken !== undefined
        ? `Bearer ${options.accessToken}`
        : undefined;
  if (authorization === undefined) throw makeError("INVALID_CREDENTIALS", "give apiToken or accessToken");
  // A token fetch cannot send (a newline, a control or non-ASCII character) would make fetch throw a TypeError quoting the header.
  if (!/^[\x21-\x7e]+$/.test(options.apiToken ?? options.accessToken ?? ""))
    throw makeError("INVALID_CREDENTIALS", "unusable credentials: the token is empty or has invalid characters");
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  return async (userId) => userOfResponse(await sendUserRead(doFetch, userReadUrl(origin, userId), { authorization }));
}

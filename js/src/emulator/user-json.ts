/** Users as Okta serializes them, and their JSON text cached per user for the list pages. */
import type { EmulatorUser } from "./types.js";

export function userJson(u: EmulatorUser, baseUrl: string, omitCredentials = false): Record<string, unknown> {
  const { credentials, ...rest } = u;
  const out: Record<string, unknown> = { ...rest, _links: { self: { href: `${baseUrl}/api/v1/users/${u.id}` } } };
  if (!omitCredentials) out["credentials"] = credentials;
  return out;
}

/** One user's JSON per (base URL, credentials shown): `JSON.stringify(userJson(…))` as UTF-8 bytes. */
interface CachedJson {
  baseUrl: string;
  full: Buffer | undefined;
  omitted: Buffer | undefined;
}
const jsonCache = new WeakMap<EmulatorUser, CachedJson>();

/**
 * `JSON.stringify(userJson(u, baseUrl, omitCredentials))` as UTF-8, kept per user: list pages serve the same
 * users over and over (a full sync reads each one on its users page and again on each of its groups' members
 * pages), and a page is then its users' bytes joined — no string to build and encode per request. The store
 * calls [`forgetUserJson`] whenever it changes a user in place.
 */
export function userJsonBytes(u: EmulatorUser, baseUrl: string, omitCredentials = false): Buffer {
  let entry = jsonCache.get(u);
  if (entry === undefined || entry.baseUrl !== baseUrl) {
    entry = { baseUrl, full: undefined, omitted: undefined };
    jsonCache.set(u, entry);
  }
  if (omitCredentials) return (entry.omitted ??= Buffer.from(JSON.stringify(userJson(u, baseUrl, true))));
  return (entry.full ??= Buffer.from(JSON.stringify(userJson(u, baseUrl, false))));
}

/** Drops a user's cached JSON text (after an in-place change). */
export function forgetUserJson(u: EmulatorUser): void {
  jsonCache.delete(u);
}

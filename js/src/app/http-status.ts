/**
 * Error code → HTTP status: the one table for every server of the project (the Okta emulator, the
 * dashboard server, the Worker). Runtime-neutral; public through the `node` and `workers` entries.
 */

/**
 * The status answering a request that failed with an error `code`. Two kinds of code meet here and never
 * collide: the SDK's codes (`USER_NOT_FOUND`, …, see `errors.ts`) and Okta's own (`E0000011`, …), which the
 * emulator answers with as Okta does. The policy codes are 500: no server takes a policy from its caller
 * (the operator configures it), so an unusable one is the server's fault, not the request's.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  // The SDK's codes.
  USER_NOT_FOUND: 404,
  GROUP_NOT_FOUND: 404,
  AMBIGUOUS_LOGIN_HINT: 409,
  STORE_EMPTY: 503,
  INVALID_JSON: 400,
  INVALID_PROFILE: 400,
  INVALID_REQUEST: 400,
  INPUT_TOO_LARGE: 413,
  CONVERSION_FAILED: 400,
  INVALID_POLICY: 500,
  INVALID_OKTA_CLAIMS: 500,
  UNKNOWN_POLICY: 500,
  JWKS_UNAVAILABLE: 502,
  // Okta's codes (the emulator's answers).
  E0000001: 400,
  E0000006: 403,
  E0000007: 404,
  E0000009: 500,
  E0000010: 503,
  E0000011: 401,
  E0000022: 405,
  E0000031: 400,
  E0000047: 429,
});

/**
 * The HTTP status for an error `code` (see {@link HTTP_STATUS_BY_CODE}); `fallback` (500 unless given)
 * for a code the table does not hold.
 */
export function httpStatusOf(code: string, fallback = 500): number {
  return Object.hasOwn(HTTP_STATUS_BY_CODE, code) ? (HTTP_STATUS_BY_CODE[code] ?? fallback) : fallback;
}

/**
 * Typed errors. Every failure the SDK raises is an `OktaDirectoryError` subclass with a stable
 * `code`, the original error as `cause`, and a message that never contains profile values or secrets.
 */

/** Codes produced by the Rust core. Must equal the core's list (a test checks it). */
export const CORE_ERROR_CODES = [
  "INVALID_JSON",
  "INVALID_PROFILE",
  "INVALID_MAPPING",
  "INPUT_TOO_LARGE",
  "CONVERSION_FAILED",
  "INVALID_POLICY",
  "INVALID_OKTA_CLAIMS",
  "INVALID_ORG_URL",
  "INSECURE_ORG_URL",
  "UNSAFE_NEXT_LINK",
  "PAGINATION_LOOP",
  "RATE_LIMITED",
  "OKTA_API_ERROR",
  "MALFORMED_RESPONSE",
  "TOO_MANY_RETRIES",
  "INVALID_CHECKPOINT",
  "WATERMARK_IN_FUTURE",
  "AUTHORIZATION_INCOMPLETE",
  "AUTHENTICATION_FAILED",
  "INVALID_CREDENTIALS",
  "UNEXPECTED_REDIRECT",
  "USER_NOT_FOUND",
  "AMBIGUOUS_LOGIN_HINT",
  "GROUP_NOT_FOUND",
  "SNAPSHOT_CORRUPT",
  "SNAPSHOT_VERSION_UNSUPPORTED",
  "RATE_LIMIT_WAIT_TOO_LONG",
  "NO_PROGRESS",
] as const;

/** Codes produced by the SDK itself, around the core. */
export const SDK_ERROR_CODES = [
  "NOT_INITIALIZED",
  "WASM_LOAD_FAILED",
  "INTERNAL",
  "ABORTED",
  "STORE_FAILED",
  "STORE_EMPTY",
  "STORE_SWITCH_CONFLICT",
  "TOKEN_MALFORMED",
  "TOKEN_UNSUPPORTED_ALGORITHM",
  "TOKEN_UNKNOWN_KEY",
  "TOKEN_INVALID_SIGNATURE",
  "TOKEN_WRONG_ISSUER",
  "TOKEN_WRONG_AUDIENCE",
  "TOKEN_EXPIRED",
  "TOKEN_NOT_YET_VALID",
  "TOKEN_NONCE_MISMATCH",
  "TOKEN_REPLAYED",
  "JWKS_UNAVAILABLE",
  "WEBCRYPTO_UNAVAILABLE",
  "TOKEN_SUBJECT_MISMATCH",
  "UNKNOWN_POLICY",
  "TOO_MANY_ATTEMPTS",
  "INVALID_REQUEST",
  "RESPONSE_TOO_LARGE",
  "OKTA_AUTHENTICATION_FAILED",
  "HOOK_PAYLOAD_INVALID",
  "KV_API_ERROR",
  "KV_RETRIES_EXHAUSTED",
  "INVALID_OPTION",
  "LINK_INVALID",
] as const;

/** A code produced by the Rust core. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];
/** A code produced by the SDK. */
export type SdkErrorCode = (typeof SDK_ERROR_CODES)[number];
/** Every stable error code. */
export type ErrorCode = CoreErrorCode | SdkErrorCode;

/** Options accepted by every error constructor. */
export interface OktaDirectoryErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** HTTP status, when an HTTP exchange caused the error. */
  status?: number;
  /** Okta's `errorCode` (or an OAuth `error`), when Okta's error body had one. */
  errorCode?: string;
  /** Okta's `errorSummary` (or an OAuth `error_description`), verbatim and capped. */
  errorSummary?: string;
  /** Okta's `errorId`, for Okta support. */
  errorId?: string;
  /** The failed response's `X-Okta-Request-Id`. */
  requestId?: string;
  /** A network error's code (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `TIMEOUT` for the request timeout, …). */
  networkCode?: string;
  /** The host (`host[:port]`, no path, no query) a network error came from. */
  host?: string;
  /** The SDK option the message refers to (e.g. `allowInsecureLoopback`): a CLI maps it to its own flag name. */
  option?: string;
}

/** The optional detail fields of {@link OktaDirectoryErrorOptions}, copied onto the error when present. */
const DETAIL_FIELDS = ["errorCode", "errorSummary", "errorId", "requestId", "networkCode", "host", "option"] as const;

/** Base class of every error the SDK throws. */
export class OktaDirectoryError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** HTTP status, when relevant. */
  readonly status: number | undefined;
  /** Okta's `errorCode` (e.g. `E0000011`), when an Okta error response caused the error. */
  declare readonly errorCode?: string;
  /** Okta's `errorSummary`, verbatim (may echo request input: do not log it blindly). */
  declare readonly errorSummary?: string;
  /** Okta's `errorId` of the failed response (quote it to Okta support). */
  declare readonly errorId?: string;
  /** The failed response's `X-Okta-Request-Id`. */
  declare readonly requestId?: string;
  /** The last network error's code (`ECONNREFUSED`, `ENOTFOUND`, `TIMEOUT`, …); the error itself is `cause`. */
  declare readonly networkCode?: string;
  /** The host (`host[:port]`) the network error came from. */
  declare readonly host?: string;
  /** The SDK option the message refers to (e.g. `allowInsecureLoopback`). */
  declare readonly option?: string;

  constructor(code: ErrorCode, message: string, options: OktaDirectoryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
    const self = this as unknown as Record<(typeof DETAIL_FIELDS)[number], string | undefined>;
    for (const field of DETAIL_FIELDS) if (options[field] !== undefined) self[field] = options[field];
  }
}

/** The input is not a usable Okta user / JSON document, or is too large. */
export class InvalidInputError extends OktaDirectoryError {}
/** An attribute mapping is malformed; the message names the offending path. */
export class InvalidMappingError extends OktaDirectoryError {}
/** A claims-matching policy or an Okta claims request is malformed; the message names the path. */
export class InvalidPolicyError extends OktaDirectoryError {}
/** A value could not cross the JavaScript ↔ WebAssembly boundary. */
export class ConversionError extends OktaDirectoryError {}
/** The WebAssembly module is not loaded yet (slim entry), or failed to load. */
export class InitializationError extends OktaDirectoryError {}
/** The sync configuration is unusable (org URL malformed, not Okta, or not https). */
export class ConfigurationError extends OktaDirectoryError {}
/** Okta answered with a non-retried error status; `status` holds it, the message Okta's `errorCode`. */
export class OktaApiError extends OktaDirectoryError {}
/** Okta kept rate-limiting after every retry; the message says how long to wait. `status` is 429. */
export class RateLimitError extends OktaDirectoryError {}
/** A sync could not complete safely: unsafe or looping pagination, malformed pages, exhausted retries, bad checkpoint. */
export class SyncError extends OktaDirectoryError {}
/** The Okta app lacks a scope the sync needs; the message names it (an admin must grant it). */
export class AuthorizationError extends OktaDirectoryError {}
/**
 * Okta refused the credentials: the token endpoint refused the client (`AUTHENTICATION_FAILED`; the message
 * holds the OAuth `error` code), or the API refused the API token (`OKTA_AUTHENTICATION_FAILED`, Okta's
 * `E0000011`). `status` holds the HTTP status; `errorCode`, `errorId`, `requestId` Okta's fields.
 */
export class AuthenticationError extends OktaDirectoryError {}
/** The sync was aborted through its `AbortSignal`; the checkpoint (if any) allows resuming. */
export class AbortError extends OktaDirectoryError {}
/** A directory lookup found nobody (`USER_NOT_FOUND`, `GROUP_NOT_FOUND`) or more than one user (`AMBIGUOUS_LOGIN_HINT`). */
export class LookupError extends OktaDirectoryError {}
/** A snapshot could not be loaded: corrupt, truncated, or written by a newer format version. */
export class SnapshotError extends OktaDirectoryError {}
/** A directory store failed (`STORE_FAILED`: I/O or KV refused), holds nothing yet (`STORE_EMPTY`), or another publish switched first (`STORE_SWITCH_CONFLICT`). */
export class StoreError extends OktaDirectoryError {}
/**
 * A signed verification result (an `id_token`) was refused: malformed, unsupported algorithm, unknown
 * key, bad signature, wrong issuer or audience, expired or not yet valid, nonce mismatch, replayed,
 * or the vendor's key set could not be fetched. The message never contains claim values.
 */
export class TokenError extends OktaDirectoryError {}
/**
 * Too many verification attempts for one Okta user (`TOO_MANY_ATTEMPTS`); `retryAfterSec` says when
 * the next one is counted. The message never names the user.
 */
export class AttemptLimitError extends OktaDirectoryError {
  /** Seconds until an attempt is allowed again (at least 1). */
  retryAfterSec = 1;
}
/** An unexpected failure inside the engine (a bug: please report it with the code). */
export class InternalError extends OktaDirectoryError {}

/** Publishing to Workers KV over Cloudflare's REST API failed (`KV_API_ERROR`, `KV_RETRIES_EXHAUSTED`; `status` set). */
export class PublishError extends OktaDirectoryError {}

type ErrorClass = new (code: ErrorCode, message: string, options?: OktaDirectoryErrorOptions) => OktaDirectoryError;

const CLASS_BY_CODE: Record<ErrorCode, ErrorClass> = {
  INVALID_JSON: InvalidInputError,
  INVALID_PROFILE: InvalidInputError,
  INPUT_TOO_LARGE: InvalidInputError,
  INVALID_MAPPING: InvalidMappingError,
  CONVERSION_FAILED: ConversionError,
  INVALID_POLICY: InvalidPolicyError,
  INVALID_OKTA_CLAIMS: InvalidPolicyError,
  INVALID_ORG_URL: ConfigurationError,
  INSECURE_ORG_URL: ConfigurationError,
  UNSAFE_NEXT_LINK: SyncError,
  PAGINATION_LOOP: SyncError,
  RATE_LIMITED: RateLimitError,
  OKTA_API_ERROR: OktaApiError,
  MALFORMED_RESPONSE: SyncError,
  TOO_MANY_RETRIES: SyncError,
  INVALID_CHECKPOINT: SyncError,
  WATERMARK_IN_FUTURE: SyncError,
  AUTHORIZATION_INCOMPLETE: AuthorizationError,
  AUTHENTICATION_FAILED: AuthenticationError,
  INVALID_CREDENTIALS: ConfigurationError,
  UNEXPECTED_REDIRECT: SyncError,
  ABORTED: AbortError,
  USER_NOT_FOUND: LookupError,
  AMBIGUOUS_LOGIN_HINT: LookupError,
  GROUP_NOT_FOUND: LookupError,
  SNAPSHOT_CORRUPT: SnapshotError,
  SNAPSHOT_VERSION_UNSUPPORTED: SnapshotError,
  NOT_INITIALIZED: InitializationError,
  WASM_LOAD_FAILED: InitializationError,
  INTERNAL: InternalError,
  STORE_FAILED: StoreError,
  STORE_EMPTY: StoreError,
  STORE_SWITCH_CONFLICT: StoreError,
  TOKEN_MALFORMED: TokenError,
  TOKEN_UNSUPPORTED_ALGORITHM: TokenError,
  TOKEN_UNKNOWN_KEY: TokenError,
  TOKEN_INVALID_SIGNATURE: TokenError,
  TOKEN_WRONG_ISSUER: TokenError,
  TOKEN_WRONG_AUDIENCE: TokenError,
  TOKEN_EXPIRED: TokenError,
  TOKEN_NOT_YET_VALID: TokenError,
  TOKEN_NONCE_MISMATCH: TokenError,
  TOKEN_REPLAYED: TokenError,
  JWKS_UNAVAILABLE: TokenError,
  WEBCRYPTO_UNAVAILABLE: InitializationError,
  TOKEN_SUBJECT_MISMATCH: TokenError,
  UNKNOWN_POLICY: InvalidPolicyError,
  TOO_MANY_ATTEMPTS: AttemptLimitError,
  INVALID_REQUEST: InvalidInputError,
  RATE_LIMIT_WAIT_TOO_LONG: RateLimitError,
  NO_PROGRESS: SyncError,
  RESPONSE_TOO_LARGE: SyncError,
  OKTA_AUTHENTICATION_FAILED: AuthenticationError,
  HOOK_PAYLOAD_INVALID: InvalidInputError,
  KV_API_ERROR: PublishError,
  KV_RETRIES_EXHAUSTED: PublishError,
  INVALID_OPTION: ConfigurationError,
  LINK_INVALID: InvalidInputError,
};

/** Whether `value` is one of the stable error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(CLASS_BY_CODE, value);
}

/** Creates the right subclass for `code`. */
export function makeError(code: ErrorCode, message: string, options: OktaDirectoryErrorOptions = {}): OktaDirectoryError {
  return new CLASS_BY_CODE[code](code, message, options);
}

/**
 * Converts anything thrown by the wasm module into an `OktaDirectoryError`. Core errors arrive as
 * JS `Error`s named `OktaDirectoryError` with a `code`; anything else (a trap, a JS engine error) is
 * an `INTERNAL` error whose message does not repeat the original text.
 */
export function fromWasmError(thrown: unknown): OktaDirectoryError {
  if (thrown instanceof OktaDirectoryError) return thrown;
  if (thrown instanceof Error && thrown.name === "OktaDirectoryError") {
    const { code, status } = thrown as Error & { code?: unknown; status?: unknown };
    if (isErrorCode(code)) {
      const options: OktaDirectoryErrorOptions = { cause: thrown };
      if (typeof status === "number") options.status = status;
      return makeError(code, thrown.message, options);
    }
  }
  return makeError("INTERNAL", "unexpected failure inside okta-directory", { cause: thrown });
}

/** Runs `fn`, converting whatever it throws with {@link fromWasmError}. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (thrown) {
    throw fromWasmError(thrown);
  }
}

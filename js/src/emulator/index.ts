/**
 * The Okta Management API emulator (Node only): `okta-directory emulator`, or in-process for tests.
 *
 * @module okta-directory/emulator
 */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server.js";
export { generateDirectory, GENERATED_EPOCH_MS, type GeneratorOptions, type GeneratedDirectory } from "./generator.js";
// Named apart from the SDK's own `DirectoryStore` (snapshot stores) and `StoreError`.
export { DirectoryStore as EmulatorStore, StoreError as EmulatorStoreError } from "./store.js";
export { parseRateLimitSpec, WORKFORCE_DEFAULTS, type RateLimitConfig, type Bucket } from "./ratelimit.js";
export { FAULTS, Faults, type FaultName } from "./faults.js";
export { groundTruth } from "./control.js";
export { MESSY, TIDY, resolveRealism, type Realism, type RealismOption } from "./realism.js";
export { applyFaultSpec, type Env } from "./server-env.js";
export type { EmulatorUser, EmulatorGroup, LogEvent, UserStatus, GroupType, Profile, ProfileValue } from "./types.js";
export { IdvVendor, IDV_DEFAULT_AUDIENCE, documentClaims, type IssueOptions } from "./idv.js";
export { EventHooks, type EventHook, type HookDelivery } from "./event-hooks.js";
// Types the options and results above use, so that callers (and the API reference) can name them.
export type { BUCKETS } from "./ratelimit.js";
export type { USER_STATUSES } from "./types.js";
export type { FaultState } from "./faults.js";
export type { DpopMode } from "./oauth.js";
export type { AdminAccount } from "./oidc.js";
export type { Alg } from "./idv.js";
export type { RequestContext, Headers as ResponseHeaders } from "./http.js";

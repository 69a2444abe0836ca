/** The Okta Management API emulator (Node only): `okta-directory emulator`, or in-process for tests. */
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

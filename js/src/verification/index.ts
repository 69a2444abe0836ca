/**
 * The verification service and its parts: the only path that records a verification. See
 * {@link VerificationService} for a usage example.
 */
export { VerificationService, DEFAULT_SERVICE_MAX_TOKEN_AGE_SEC } from "./service.js";
export type {
  EvaluateRequest,
  EvaluationOutcome,
  VendorConfig,
  VerificationOutcome,
  VerificationServiceOptions,
  VerifyRequest,
} from "./service.js";
export { MemoryAttemptLimiter } from "./limiter.js";
export type { MemoryAttemptLimiterOptions } from "./limiter.js";
export { DEFAULT_POLICY_ID, StaticPolicyRegistry } from "./policies.js";
export { HistoryRecorder, MemoryHistoryStore } from "./recorder.js";
export type { HistoryStore } from "./recorder.js";
export type {
  AttemptLimiter,
  AttemptVerdict,
  DirectoryLookup,
  PolicyRegistry,
  RegisteredPolicy,
  VerificationEntry,
  VerificationRecorder,
} from "./types.js";
export { comparisonVector, replayVector, shadowReplay } from "./replay.js";
export type { ReplayedAttempt, ShadowReplay } from "./replay.js";
export { createHelpdeskVerification, DEFAULT_HELPDESK_LINK_TTL_SEC, MemoryHelpdeskStore } from "./helpdesk.js";
export type {
  HelpdeskMessage,
  HelpdeskRecord,
  HelpdeskRequest,
  HelpdeskSender,
  HelpdeskState,
  HelpdeskStore,
  HelpdeskVerification,
  HelpdeskVerificationOptions,
  OpenedHelpdeskLink,
} from "./helpdesk.js";

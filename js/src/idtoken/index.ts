/** Signed verification results: verify a vendor's `id_token` and read its `verified_claims`. */
export {
  DEFAULT_MAX_TOKEN_AGE_SEC,
  DEFAULT_MAX_TOKEN_LIFETIME_SEC,
  MemoryReplayGuard,
  readVerifiedClaims,
  verifyIdToken,
  verifyOidcIdToken,
} from "./verify.js";
export type { IdTokenClaims, ReplayGuard, VerifiedIdToken, VerifiedOidcIdToken, VerifyIdTokenOptions } from "./verify.js";
export { ID_TOKEN_ALGORITHMS, JwksClient, StaticKeySet, parseJwks } from "./jwks.js";
export type { IdTokenAlgorithm, JsonWebKeySetDocument, JwksClientOptions, KeySource, PublicJwk } from "./jwks.js";
export { DEACTIVATED_STATUSES, decideVerification } from "./decide.js";
export type { ClaimOutcome, VerificationDecision, VerificationState } from "./decide.js";

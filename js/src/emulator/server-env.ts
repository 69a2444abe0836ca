/** State shared by the route handlers of one emulator instance. */
import type { EventHooks } from "./event-hooks.js";
import type { Faults } from "./faults.js";
import type { OAuthServer } from "./oauth.js";
import type { OidcProvider } from "./oidc.js";
import type { RateLimiter } from "./ratelimit.js";
import type { DirectoryStore } from "./store.js";

export interface Env {
  readonly baseUrl: string;
  readonly store: DirectoryStore;
  readonly faults: Faults;
  readonly oauth: OAuthServer;
  readonly limiter: RateLimiter;
  /** The OpenID provider for admin sign-in (absent in environments built without one). */
  readonly oidc?: OidcProvider;
  /** Okta Event Hooks: registered hooks and their deliveries (absent in environments built without them). */
  readonly hooks?: EventHooks;
}

/** Applies a fault spec. The DPoP nonce fault belongs to the token endpoint, so it goes to OAuth. */
export function applyFaultSpec(env: Env, spec: string): void {
  env.faults.set(spec);
  const nonce = env.faults.active.get("dpop-nonce");
  if (nonce !== undefined) {
    env.oauth.forcedNonceChallenges = nonce.remaining;
    env.faults.active.delete("dpop-nonce");
  }
}

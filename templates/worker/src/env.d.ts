// The Worker's bindings (wrangler.toml) and secrets, for the JSDoc types of src/*.js (`tsc -p tsconfig.json`).
import type { SyncJob } from "./sync-job.js";
import type { VerificationGuard } from "./worker.js";

declare global {
  /** Bindings, [vars] and secrets; every var is text, optional ones may be missing. */
  interface Env {
    /** Shards and manifest, policy, enrollment histories, helpdesk requests, queued Event Hook deliveries. */
    DIRECTORY: KVNamespace;
    /** The sync's page journal and the last published snapshot. */
    SYNC_BUCKET: R2Bucket;
    SYNC_JOB: DurableObjectNamespace<SyncJob>;
    VERIFICATION_GUARD: DurableObjectNamespace<VerificationGuard>;
    API_BEARER_SECRET?: string;
    OKTA_ORG_URL: string;
    OKTA_API_TOKEN?: string;
    OKTA_CLIENT_ID?: string;
    OKTA_PRIVATE_KEY?: string;
    OKTA_KEY_ID?: string;
    OKTA_ALLOW_INSECURE_LOOPBACK?: string;
    OKTA_HOOK_SECRET?: string;
    OKTA_HOOK_AUTH_HEADER?: string;
    WORKFORCE_GROUP?: string;
    FULL_RECONCILE_CRON?: string;
    FULL_RECONCILE_HOURS?: string;
    SYNC_PAGES_PER_STEP?: string;
    SYNC_SHARDS_PER_STEP?: string;
    SYNC_DELETES_PER_STEP?: string;
    /** Shard-patch incremental runs: most shards searched for old copies per step (default 800; beyond, `locate` steps). */
    SYNC_SCAN_SHARDS?: string;
    SYNC_RETRY_BASE_MS?: string;
    IDV_ISSUER?: string;
    IDV_AUDIENCE?: string;
    IDV_JWKS_URL?: string;
    IDV_SUBJECT_BINDING?: string;
    IDV_MAX_TOKEN_AGE_SECONDS?: string;
    VERIFY_MAX_ATTEMPTS?: string;
    VERIFY_WINDOW_SECONDS?: string;
    MATCH_POLICY?: string;
    OKTA_CLAIMS_REQUEST?: string;
    HELPDESK_LINK_BASE?: string;
    HELPDESK_LINK_TTL_SECONDS?: string;
    HELPDESK_SENDER_URL?: string;
    HELPDESK_SENDER_SECRET?: string;
  }
}

/**
 * The dashboard's integration types, in one place for the page (www/app) and the server (www/server): types
 * only, so both type-check projects read this file while neither imports the other's code (the page's
 * project has no Node types, the server's no DOM). The server's `publicView` is checked to return
 * {@link Integration}.
 */

import type { SyncProgressEvent } from "../../js/dist/sync/types.js";

/** Sync progress as the server streams it (the SDK's own type). */
export type Progress = SyncProgressEvent;

/** The last authorization check: the scopes required, granted and missing. */
export interface Authorization {
  checkedAt: number;
  required: string[];
  granted: string[];
  missing: string[];
  reason?: string;
  code?: string;
}

/** The last completed sync. */
export interface LastSync {
  at: number;
  durationMs: number;
  users: number;
  groups: number;
  memberships: number;
  usersByStatus: Record<string, number>;
  progress: Progress;
  mode?: "full" | "incremental";
  watermarkMs?: number;
}

/** An integration's state as stored. */
export type StoredState = "draft" | "awaiting_authorization" | "incomplete" | "ready" | "error";

/** The settings and state both the stored record and the page's view carry. */
export interface IntegrationBase {
  id: string;
  name: string;
  orgUrl: string;
  clientId: string;
  keyId?: string;
  workforceGroupId?: string;
  insecureLoopback: boolean;
  demo?: boolean;
  createdAt: number;
  authorization?: Authorization;
  lastSync?: LastSync;
  lastError?: { code: string; message: string; at: number };
}

/** What the page sees of an integration (the server's `publicView`): never the key. */
export interface Integration extends IntegrationBase {
  state: StoredState | "authorizing" | "syncing";
  hasKey: boolean;
  hasDirectory: boolean;
  job: { kind: "sync" | "authorize"; progress: Progress | null; startedAt: number; expectedUsers: number | null } | null;
}

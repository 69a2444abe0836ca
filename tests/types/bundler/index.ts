// moduleResolution "bundler": the conditions are "types" and "import" only, so the Node functions
// come from the okta-directory/node subpath, never from a guess about the runtime.
import { FileStore, syncDirectory, type SyncDirectoryOptions } from "okta-directory/node";
import { ClaimsMatcher, normalizeUser, OktaDirectoryError } from "okta-directory/claims";
import { Directory } from "okta-directory/browser";
import { syncDirectory as workersSync } from "okta-directory/workers";
import { initOktaDirectory } from "okta-directory/slim";
import wasmModule from "okta-directory/okta_directory_bg.wasm";
// The root entry has the browser types under this resolver: no sync there.
// @ts-expect-error syncDirectory is in okta-directory/node and okta-directory/workers
import { syncDirectory as rootSync } from "okta-directory";
// @ts-expect-error the claims-only entry has no sync
import { syncDirectory as claimsSync } from "okta-directory/claims";

const options: SyncDirectoryOptions = { orgUrl: "http://127.0.0.1:8080", apiToken: "t", allowInsecureLoopback: true };
export async function syncToFile(path: string): Promise<number> {
  const result = await syncDirectory(options);
  const store: FileStore = new FileStore(path);
  void store;
  return result.users.length;
}

export const checks = [ClaimsMatcher, normalizeUser, OktaDirectoryError, Directory, workersSync, initOktaDirectory, rootSync, claimsSync];
export const module: WebAssembly.Module = wasmModule;

// The API shape: a client object (Node and Workers), matchClaims(verified, record, { policy }), camelCase results.
import {
  OktaDirectory,
  matchClaims,
  type AuditReport,
  type DirectoryUser,
  type RateLimitEvent,
  type SyncLogger,
} from "okta-directory/node";
import { OktaDirectory as WorkersClient } from "okta-directory/workers";
// @ts-expect-error no client in the browser entry (sync is server-side only)
import { OktaDirectory as browserClient } from "okta-directory/browser";

const logger: SyncLogger = { warn: (message, fields) => console.warn(message, fields.code) };
export const client = new OktaDirectory({
  orgUrl: "https://acme.okta.com",
  apiToken: "t",
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  onRateLimit: (e: RateLimitEvent) => void e.limit?.remaining,
  logger,
});
export async function firstLogin(): Promise<string | undefined> {
  for await (const user of client.users()) return user.login;
  return undefined;
}
export const report = matchClaims({ given_name: "ANA" }, { firstName: "Ana" }, { policy: null });
export const audited = (r: AuditReport): number => r.notReady + r.attributes.reduce((n, a) => n + a.userIds.length, 0);
// @ts-expect-error an absent address is omitted: the field is optional
export const city = (u: DirectoryUser): string | undefined => u.address.locality;
export const more = [WorkersClient, browserClient];

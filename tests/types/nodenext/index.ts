// moduleResolution "nodenext" (ESM): okta-directory resolves through its "node" condition; the
// runtime subpaths give the same types without conditions.
import { FileStore, syncDirectory, type SyncDirectoryOptions } from "okta-directory";
import * as viaSubpath from "okta-directory/node";
import { ClaimsMatcher, normalizeUser } from "okta-directory/claims";
import { startEmulator } from "okta-directory/emulator";
// @ts-expect-error the claims-only entry has no FileStore
import { FileStore as claimsStore } from "okta-directory/claims";

const options: SyncDirectoryOptions = { orgUrl: "http://127.0.0.1:8080", apiToken: "t", allowInsecureLoopback: true };
export async function syncToFile(path: string): Promise<number> {
  const result = await syncDirectory(options);
  const store: FileStore = new FileStore(path);
  void store;
  return result.users.length;
}

export const same: typeof syncDirectory = viaSubpath.syncDirectory;
export const checks = [ClaimsMatcher, normalizeUser, startEmulator, claimsStore];

// The client object under the node condition, and the deprecated policy-first matchClaims (still typed).
import { OktaDirectory, matchClaims } from "okta-directory";
export const client = new OktaDirectory({ orgUrl: "https://acme.okta.com", clientId: "0oa1", privateKey: "pem" });
export const current = matchClaims(
  { given_name: "ANA" },
  { id: "00u1", profile: { firstName: "Ana" } },
  { policy: { claims: { given_name: {} } } },
);
export const legacy = matchClaims(null, { given_name: "ANA" }, { firstName: "Ana" });

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

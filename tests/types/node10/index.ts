// Legacy moduleResolution "node10" ignores "exports": the "types" field gives okta-directory the
// Node entry's types and "typesVersions" maps the subpaths.
import { FileStore, syncDirectory, type SyncDirectoryOptions } from "okta-directory";
import { syncDirectory as nodeSync } from "okta-directory/node";
import { syncDirectory as workersSync } from "okta-directory/workers";
import { ClaimsMatcher, normalizeUser } from "okta-directory/claims";
import { initOktaDirectory } from "okta-directory/slim";
import wasmModule from "okta-directory/okta_directory_bg.wasm";
// @ts-expect-error the claims-only entry has no sync
import { syncDirectory as claimsSync } from "okta-directory/claims";

const options: SyncDirectoryOptions = { orgUrl: "http://127.0.0.1:8080", apiToken: "t", allowInsecureLoopback: true };
export async function syncToFile(path: string): Promise<number> {
  const result = await syncDirectory(options);
  const store: FileStore = new FileStore(path);
  void store;
  return result.users.length;
}

export const checks = [nodeSync, workersSync, ClaimsMatcher, normalizeUser, initOktaDirectory, claimsSync];
export const module: WebAssembly.Module = wasmModule;

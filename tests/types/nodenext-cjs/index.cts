// A CommonJS file under "nodenext": require() of this ESM-only package type-checks (TypeScript ≥ 5.8)
// and runs on Node ≥ 20.19 (the package's minimum), whose require() loads ES modules without
// top-level await — the Node entries have none.
import { FileStore, syncDirectory, type SyncDirectoryOptions } from "okta-directory/node";
import directory = require("okta-directory");

const options: SyncDirectoryOptions = { orgUrl: "http://127.0.0.1:8080", apiToken: "t", allowInsecureLoopback: true };
export async function syncToFile(path: string): Promise<number> {
  const result = await syncDirectory(options);
  const store: FileStore = new FileStore(path);
  void store;
  return result.users.length;
}

export const same: typeof syncDirectory = directory.syncDirectory;

/** Stores for directory snapshots (runtime-independent ones; the file store is in the Node entry). */
import type { Directory } from "../directory.js";
import { Directory as DirectoryClass } from "../directory.js";
import type { DirectoryStore } from "./types.js";

export type { DirectoryStore } from "./types.js";
export { MemoryStore } from "./memory.js";
export { IndexedDbStore, type IndexedDbStoreOptions } from "./indexeddb.js";
export {
  KvDirectoryStore,
  type KvChangedPublishResult,
  type KvDirectoryStoreOptions,
  type KvManifest,
  type KvNamespaceLike,
  type KvPublishResult,
  type KvStats,
  type KvVersion,
} from "./kv.js";

/** Saves a directory's snapshot to a store. */
export async function saveDirectory(store: DirectoryStore, directory: Directory): Promise<void> {
  await store.save(directory.toSnapshot());
}

/**
 * Loads the directory a store holds; `null` when it holds none.
 *
 * @throws SnapshotError for a damaged snapshot; StoreError (`STORE_FAILED`) when the store cannot be read
 */
export async function loadDirectory(store: DirectoryStore): Promise<Directory | null> {
  const bytes = await store.load();
  return bytes === null ? null : DirectoryClass.fromSnapshot(bytes);
}

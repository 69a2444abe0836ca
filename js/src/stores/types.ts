/** The store interface shared by every whole-snapshot store (memory, file, IndexedDB). */

/**
 * Keeps one directory snapshot (the bytes of `Directory.toSnapshot()`). `save` replaces the stored
 * snapshot as a whole: a reader sees the old one or the new one, never a mix.
 */
export interface DirectoryStore {
  /** The stored snapshot, or `null` when nothing was saved yet. @throws StoreError (`STORE_FAILED`) */
  load(): Promise<Uint8Array | null>;
  /** Replaces the stored snapshot. @throws StoreError (`STORE_FAILED`) */
  save(snapshot: Uint8Array): Promise<void>;
}

/**
 * The Node application layer: what the CLI (`js/bin`) and the dashboard server (`www/`) share. Internal, not
 * a package entry: compiled to `dist/app/node.js` and imported by relative path (see docs/architecture.md,
 * "The application layer"). The runtime-neutral parts the Worker also needs (`parsePrivateKey`,
 * `httpStatusOf`) are public API through the `node` and `workers` entries, and re-exported here.
 *
 * @module
 */
export {
  atomicWrite,
  isTempFileOf,
  systemCode,
  tempFileOwner,
  tempPathFor,
  type AtomicWriteIo,
  type AtomicWriteOptions,
} from "./atomic-write.js";
export { HTTP_STATUS_BY_CODE, httpStatusOf } from "./http-status.js";
export { toJsonText } from "./json-text.js";
export { acquireOutputLock, processAlive, removeStaleTempFiles, type LockHolder, type LockOutcome } from "./output-lock.js";
export { FilePageJournal } from "./page-journal.js";
export { parsePrivateKey } from "./private-key.js";
export {
  incrementalBase,
  nextSyncState,
  readSyncState,
  sha256Hex,
  syncPaths,
  syncStateText,
  type CompletedRun,
  type IncrementalBase,
  type IncrementalPolicy,
  type StoredSyncState,
  type SyncPaths,
  type SyncRunMode,
  type SyncState,
} from "./sync-state.js";

/** Okta Event Hooks: push updates applied to the directory between syncs (docs/event-hooks.md). */
export { HOOK_EVENT_TYPES, parseDelivery, type HookChange, type HookDelivery, type HookEvent } from "./events.js";
export { BoundedSeenSet, type SeenStore } from "./seen.js";
export {
  changesOf,
  createEventHookReceiver,
  fetchHandler,
  nodeHandler,
  secretsEqual,
  type EventHookReceiver,
  type EventHookReceiverOptions,
  type HookChanges,
  type HookReceiverStats,
  type HookRequest,
  type HookResponse,
  type NodeRequestLike,
  type NodeResponseLike,
} from "./receiver.js";
export {
  applyHookChanges,
  oktaUserFetcher,
  orgOrigin,
  snapshotApplier,
  type FetchOktaUser,
  type OktaUserFetcherOptions,
  type SnapshotApplierOptions,
  type SnapshotHolder,
} from "./apply.js";
export {
  kvShardsApplier,
  patchKvShards,
  patchKvShardsDelta,
  findInShards,
  type KvShardsApplierOptions,
  type PatchKvShardsDeltaOptions,
  type PatchKvShardsOptions,
  type PublishedShards,
  type ShardChanges,
  type ShardCopy,
  type ShardDelta,
  type ShardDeltaResult,
} from "./shards.js";
export {
  LiveDirectory,
  type HookJournal,
  type JournaledChanges,
  type LiveDirectoryOptions,
  type LiveDirectoryStats,
  type SnapshotSink,
} from "./live.js";
export { oktaOAuthUserFetcher, type OktaOAuthUserFetcherOptions } from "./oauth.js";

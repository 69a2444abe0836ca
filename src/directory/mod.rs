//! The directory: a synced Okta directory indexed for loginHint lookups, with group memberships both
//! ways, a compact checksummed binary snapshot, and incremental deltas.
//!
//! - [`key`]: which attributes are lookup keys and how values and hints are normalized (logins are
//!   case- and diacritic-insensitive, everything else case-insensitive only).
//! - [`index`]: [`Directory`] and the lookup rule (login first; every other key pooled; two users → error).
//! - [`options`]: the caller's build options (key names, Workforce group, origin, sync time) read into a configuration.
//! - [`delta`]: applying a sync's changes.
//! - [`patch`]: applying them to a snapshot in its encoded form (what the SDK, the hooks and the Worker use).
//! - [`snapshot`]: the binary format (layout documented there).
//! - [`builder`]: [`SnapshotBuilder`], a snapshot built from a sync's users without an owning directory.
//! - [`answer`]: a lookup's answer as the SDK takes it (JSON text of the result, or a position code).
//! - [`compact`]: [`CompactDirectory`], a loaded snapshot kept encoded, with hash indexes: the
//!   read-only form used for lookups at scale (what the wasm `Directory` holds).

pub mod answer;
pub mod builder;
pub mod compact;
pub mod delta;
pub mod index;
pub mod json;
pub mod key;
pub mod options;
pub mod patch;
pub mod shard;
pub mod shard_patch;
pub mod shard_range;
pub mod snapshot;

pub use builder::SnapshotBuilder;
pub use compact::{record_field_table, CompactDirectory, CompactFootprint, CompactHit};
pub use delta::{DeltaStats, DirectoryDelta};
pub use index::{Directory, DirectoryConfig, LookupHit, SyncMeta};
pub use json::snapshot_from_sync_json;
pub use key::LookupKey;
pub use options::BuildOptions;
pub use patch::{PatchOptions, Patched, SnapshotView};
pub use snapshot::{crc32c, decode, encode, frequencies_of, SnapshotCounts, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};

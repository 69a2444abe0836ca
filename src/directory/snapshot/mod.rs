//! The snapshot: a directory as one compact, versioned, checksummed binary.
//!
//! Layout (integers little-endian; `varint` = unsigned LEB128; `str` = varint length + UTF-8):
//!
//! | bytes | content |
//! |---|---|
//! | 0..4 | magic `OKDS` |
//! | 4..6 | format version (u16, currently 2; version 1 still loads) |
//! | 6..8 | flags (u16; none defined in version 1, any set bit is refused as unsupported) |
//! | 8..16 | payload length (u64; must equal the bytes that follow the header exactly) |
//! | 16..20 | CRC-32C of bytes 4..16 followed by the payload |
//! | 20.. | payload |
//!
//! Payload, in order: **meta** (`str` origin, varint synced-at ms, varint counts of users, groups,
//! memberships); **config** (varint key count, each a tag byte 0 login / 1 email / 2 secondEmail /
//! 3 employeeNumber / 4 custom + `str` name; a byte 0/1 + `str` Workforce group id); **string table**
//! (varint count, `str`s: every string that occurs at least twice, most frequent first);
//! **users** (per user: status byte (0 none, else 1 + position in `UserStatus::ALL`), 20 string
//! fields as refs in the order of `fields::FIELDS`, `lastUpdated` (tag 0 absent / 1 varint Unix ms for the
//! canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` form / 2 ref), custom attributes (varint count, each a name
//! ref and a value: tag 0 string ref / 1 f64 / 2 false / 3 true / 4 list of tagged scalars));
//! **groups** (id, name, type refs); **memberships** (per group: varint count, then member user
//! positions ascending, as the first position and then gaps minus one); since version 2, **frequencies**
//! (varint length, then a `claims::frequency::FrequencyTable` in its own encoding — given-name,
//! family-name and birthdate counts of the users; length 0: no table, as in a KV shard).
//!
//! A string ref is a varint `r`: 0 absent, 1 the same text as the user's login (emails usually
//! are), even `r` the table entry `(r-2)/2`, odd `r ≥ 3` an inline string of `(r-3)/2` bytes.
//!
//! Decoding checks magic, version, flags, length and checksum before reading the payload, bounds
//! every count and length by the input left, and builds the directory only after the whole payload
//! has been read and validated: a bad snapshot is an error, never a partial directory.

pub(in crate::directory) mod chunked;
mod fields;
mod header;
mod owned;
pub(in crate::directory) mod read;
mod wire;
pub(in crate::directory) mod write;

pub use crate::hash::crc32c;
pub(in crate::directory) use fields::{
    is_key_or_id, may_be_same_as_login, of_key as field_of_key, ID as ID_FIELD, LOGIN as LOGIN_FIELD,
};
pub(in crate::directory) use fields::{Field, COUNT as FIELD_COUNT, FIELDS};
pub(in crate::directory) use header::{checked_payload, seal, start_payload, version_of, HEADER_LEN};
pub use header::{SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
pub use owned::{decode, encode, frequencies_of};
pub(in crate::directory) use wire::{corrupt, timestamp_ms, timestamp_text, Reader};
pub use write::SnapshotCounts;

//! Directory sync, sans-IO: org URL validation, pagination, rate-limit pacing and the full-sync
//! state machine. Nothing here performs I/O or reads a clock; a driver (the wasm fetch client, or
//! a test's fake Okta) executes the requests and passes time in.

pub mod auth;
pub mod bucket;
pub mod delta;
pub mod driver_action;
pub mod http;
pub mod httpdate;
pub mod journaled;
pub mod link;
pub mod machine;
pub mod options;
pub mod org;
pub mod range_pages;
pub mod ratelimit;
pub mod session;
pub mod url;

pub use auth::{AuthConfig, Credentials, DpopMode, SigningAlg};
pub use delta::{
    apply_incremental, apply_outcome, apply_outcome_json, apply_outcome_to_directory, delta_for, PreviousDirectory,
    SyncOutcome,
};
pub use driver_action::DriverAction;
pub use http::{Headers, Method, Request, Response};
pub use journaled::{checkpoint_json, journal_result_json, result_json, JournaledDirectory};
pub use link::{next_link, parse_link_header, Link};
pub use machine::{
    iso_millis, Action, Checkpoint, Group, IncrementalConfig, JournalPage, JournalPosition, Membership,
    MembershipChange, Progress, RequestId, SyncChanges, SyncConfig, SyncMachine, SyncMode, SyncResult, SyncSummary,
    WaitReason, CHECKPOINT_VERSION,
};
pub use options::SessionOptions;
pub use org::{OrgUrl, OrgUrlPolicy};
pub use ratelimit::{bucket_for, Bucket, RateConfig, RateLimiter};
pub use session::{Outgoing, SessionAction, SyncSession};

//! The part of a zkml-bench host that does not depend on the zkVM: the command
//! line and JSON record of `guests/PROTOCOL.md`, reading and pre-checking the
//! input, the verifier's commitment checks, and the cross-check of every guest
//! output against the native core (the same code the TypeScript reference is
//! tested against). A host implements [`Zkvm`] and calls [`main`].
//!
//! Modules, one concern each: `zkvm` (the trait a host implements and what it
//! returns), `dispatch` (one command: entry point, outcome, exit code), `serve`
//! (the long-lived mode), `info` (the host's self-description and build flags),
//! `input` (input.bin and the native cross-check), `verifier` (canonical proof
//! files, commitments), `record` and `cli` (the protocol's output and input),
//! `measure` (wall time, peak RSS), `key_cache` (keys kept across processes).

mod cli;
mod dispatch;
mod info;
mod input;
pub mod key_cache;
mod measure;
mod record;
mod serve;
mod verifier;
mod zkvm;

#[cfg(test)]
mod test_schema;
#[cfg(test)]
mod test_zkvm;

pub use cli::{Cli, Command, ShaMode};
pub use dispatch::{main, NothingProven, Refused};
pub use info::{info, INFO_SCHEMA};
pub use input::{guest_input, read_input};
pub use key_cache::KeySource;
pub use measure::{elapsed_ms, peak_rss_bytes};
pub use record::{Record, RECORD_SCHEMA};
pub use verifier::{check_commitments, require_canonical};
pub use zkvm::{Execution, ProofKind, Proved, Verified, Zkvm};

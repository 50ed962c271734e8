//! `no_std` core of zkml-bench: parses and validates the guest input, runs the
//! integer inference and computes the score and the 168-byte public output,
//! bit-exactly as `spec/FORMAT.md` (version 1) says.
//!
//! The same code runs in every zkVM guest (RISC Zero, SP1) and on the host, so a
//! guest is a few lines: read the input words, call [`evaluate`] with its SHA-256
//! implementation, commit [`PublicOutput::to_bytes`]; on `Err`, panic with the
//! error's message so that no proof exists.
//!
//! ```
//! use zkml_core::{evaluate, InputHeader, SoftwareSha256};
//! # fn read_words(_: &mut [u32]) {}
//! let mut header = [0u32; InputHeader::WORDS];
//! read_words(&mut header);
//! # let header = [0x4E49_505A, 1, 0, 0];
//! match InputHeader::parse(&header) {
//!     // A real guest allocates `InputHeader::WORDS + header.body_words()` words,
//!     // copies the header in, bulk-reads the body and calls `evaluate` on it all.
//!     Ok(h) => assert_eq!(h.body_words(), 0),
//!     Err(e) => panic!("{e}"),
//! }
//! # let _ = evaluate::<SoftwareSha256>;
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The format is little-endian and the input words are reinterpreted as bytes
// (for hashing) without copying: that is only correct on little-endian targets
// (every RISC-V zkVM and x86/ARM hosts).
#[cfg(not(target_endian = "little"))]
compile_error!("zkml-core reinterprets little-endian words in place: big-endian targets are not supported");

mod error;
mod fixed;
mod format;
mod inference;
mod output;
mod score;
mod sha;

pub use error::Error;
pub use fixed::{round_div, round_div_signed, round_shift};
pub use format::{
    parse_input, InputHeader, Model, ModelKind, TestSet, FORMAT_VERSION, INPUT_MAGIC, MAX_FEATURES,
    MAX_FRAC_BITS, MAX_SAMPLES, MAX_TERMS, MIN_FRAC_BITS, MODEL_MAGIC, TESTSET_MAGIC,
};
pub use inference::{predict, predictions, Predictor};
pub use output::{PublicOutput, OUTPUT_MAGIC, PUBLIC_OUTPUT_LEN, R2_UNDEFINED};
pub use score::{evaluate, evaluate_parsed};
pub use sha::{Sha256, SoftwareSha256};

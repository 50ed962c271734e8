//! `no_std` core of zkml-bench: parses and validates the guest input, runs the
//! integer inference and computes the score and the 168-byte public output,
//! bit-exactly as `spec/FORMAT.md` (version 1) says.
//!
//! The same code runs in every zkVM guest (RISC Zero, SP1) and on the host, so a
//! guest is a few lines: read the input words, call [`evaluate`] with its SHA-256
//! implementation, commit [`PublicOutput::to_bytes`]; on `Err`, panic with the
//! error's message so that no proof exists.
//!
//! ```no_run
//! use zkml_core::{evaluate, InputHeader, SoftwareSha256};
//!
//! /// What a guest's main does; `read_words` stands for the zkVM's bulk read.
//! fn guest_main(mut read_words: impl FnMut(&mut [u32])) -> [u8; 168] {
//!     let mut input = vec![0u32; InputHeader::WORDS];
//!     read_words(&mut input);
//!     let header = InputHeader::parse(&input).unwrap_or_else(|e| panic!("{e}"));
//!     input.resize(InputHeader::WORDS + header.body_words(), 0);
//!     read_words(&mut input[InputHeader::WORDS..]);
//!     let output = evaluate::<SoftwareSha256>(&input).unwrap_or_else(|e| panic!("{e}"));
//!     output.to_bytes() // commit these bytes to the journal / public values
//! }
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
    parse_input, InputHeader, Model, ModelKind, TestSet, FORMAT_VERSION, INPUT_MAGIC, MAX_FEATURES, MAX_FRAC_BITS,
    MAX_SAMPLES, MAX_TERMS, MIN_FRAC_BITS, MODEL_MAGIC, TESTSET_MAGIC,
};
pub use inference::{predict, predictions, Predictor};
pub use output::{PublicOutput, OUTPUT_MAGIC, PUBLIC_OUTPUT_LEN, R2_UNDEFINED};
pub use score::{evaluate, evaluate_parsed};
pub use sha::{block_bytes_of, BlockSha256, Sha256, Sha256Blocks, SoftwareSha256, SHA256_H0};

//! RISC Zero guest: [SHA mode word] ‖ input.bin in, the 168-byte public output
//! (spec/FORMAT.md) committed to the journal. All logic is in zkml-core.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec;

use risc0_zkvm::guest::env;
use risc0_zkvm::sha::{Impl, Sha256 as _};
use zkml_core::{evaluate, InputHeader, Sha256, SoftwareSha256};

risc0_zkvm::guest::entry!(main);

/// SHA-256 on RISC Zero's accelerator.
struct Risc0Sha256;

impl Sha256 for Risc0Sha256 {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        Impl::hash_bytes(bytes).as_bytes().try_into().expect("a digest is 32 bytes")
    }

    fn digest_words(words: &[u32]) -> [u8; 32] {
        Impl::hash_words(words).as_bytes().try_into().expect("a digest is 32 bytes")
    }
}

fn main() {
    let mut sha_mode = [0u32; 1];
    env::read_slice(&mut sha_mode);
    // Header first, then the body in one bulk read into the same buffer.
    let mut input = vec![0u32; InputHeader::WORDS];
    env::read_slice(&mut input);
    let header = InputHeader::parse(&input).unwrap_or_else(|e| panic!("{e}"));
    input.resize(InputHeader::WORDS + header.body_words(), 0);
    env::read_slice(&mut input[InputHeader::WORDS..]);
    let output = match sha_mode[0] {
        0 => evaluate::<Risc0Sha256>(&input),
        1 => evaluate::<SoftwareSha256>(&input),
        other => panic!("unknown SHA mode {other}"),
    };
    env::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}

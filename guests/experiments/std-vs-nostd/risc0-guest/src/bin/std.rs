//! RISC Zero std guest, same reads: guests/risc0/guest/src/main.rs with std
//! linked (risc0-zkvm's `std` feature) and nothing else changed: the same
//! env::read_slice calls into a Vec<u32>, the same evaluate, the same commit.
//! What differs is the runtime: Rust's std `main` (lang_start) instead of the
//! entry! macro's bare `main`, and std's panic handler instead of
//! risc0-zkvm's.

use risc0_zkvm::guest::env;
use stdexp_risc0_guest::Risc0Sha256;
use zkml_core::{evaluate, InputHeader, SoftwareSha256};

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

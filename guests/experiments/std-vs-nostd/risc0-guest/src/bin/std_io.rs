//! RISC Zero std guest, std-style input: everything the host wrote is read
//! with std::io::Read::read_to_end (on risc0-zkvm's stdin reader, which
//! implements std::io::Read under the `std` feature) into a Vec<u8>, and the
//! words are collected from its bytes; then the same evaluate and commit as
//! the no_std guest. This is how a guest reads "the whole input" when written
//! against std instead of the SDK's word reads.

use std::io::Read;

use risc0_zkvm::guest::env;
use stdexp_risc0_guest::Risc0Sha256;
use zkml_core::{evaluate, SoftwareSha256};

fn main() {
    let mut bytes = Vec::new();
    env::stdin().read_to_end(&mut bytes).expect("reading the input");
    assert!(bytes.len() % 4 == 0, "Truncated: input is not whole words");
    let words: Vec<u32> = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    let (sha_mode, input) = words.split_first().expect("no SHA mode word");
    let output = match sha_mode {
        0 => evaluate::<Risc0Sha256>(input),
        1 => evaluate::<SoftwareSha256>(input),
        other => panic!("unknown SHA mode {other}"),
    };
    env::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}

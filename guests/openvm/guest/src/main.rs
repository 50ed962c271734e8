//! OpenVM guest: [SHA mode word] and input.bin in (two input streams), the
//! 168-byte public output (spec/FORMAT.md) revealed as the first 168 bytes of
//! the public values. All logic is in zkml-core.
#![no_std]
#![no_main]

extern crate alloc;

use openvm_sha2::Digest;
use zkml_core::{evaluate, Sha256, SoftwareSha256, PUBLIC_OUTPUT_LEN};

openvm::entry!(main);

/// SHA-256 on OpenVM's SHA-2 extension (one instruction per block).
struct OpenVmSha256;

impl Sha256 for OpenVmSha256 {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        openvm_sha2::Sha256::digest(bytes).into()
    }
}

fn main() {
    let mode = openvm::io::read_vec();
    // read_vec's buffer is word-aligned (the bump allocator aligns to 4): viewed as words, no copy.
    let input = openvm::io::read_vec();
    let words: &[u32] = bytemuck::try_cast_slice(&input).unwrap_or_else(|_| panic!("Truncated: input is not whole words"));
    let output = match mode.as_slice() {
        [0, 0, 0, 0] => evaluate::<OpenVmSha256>(words),
        [1, 0, 0, 0] => evaluate::<SoftwareSha256>(words),
        other => panic!("unknown SHA mode {other:?}"),
    };
    let bytes: [u8; PUBLIC_OUTPUT_LEN] = output.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    for (index, word) in bytes.chunks_exact(4).enumerate() {
        openvm::io::reveal_u32(u32::from_le_bytes([word[0], word[1], word[2], word[3]]), index);
    }
}

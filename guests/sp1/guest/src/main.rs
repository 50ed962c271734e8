//! SP1 guest: [SHA mode word] and input.bin in (two raw buffers), the 168-byte
//! public output (spec/FORMAT.md) committed as public values. All logic is in
//! zkml-core.
#![no_std]
#![no_main]

extern crate alloc;

use sp1_zkvm::syscalls::{syscall_sha256_compress, syscall_sha256_extend};
use zkml_core::{evaluate, Sha256, SoftwareSha256};

sp1_zkvm::entrypoint!(main);

const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 on SP1's extend/compress precompiles. (SP1's usual route, a
/// git-patched sha2 crate, cannot be fetched here; the syscalls are in
/// sp1-zkvm on crates.io.) In SP1 6.x each 32-bit SHA word sits in a u64 slot.
struct Sp1Sha256;

/// Running SHA-256 state plus the message-schedule buffer, reused across
/// blocks: extend rewrites slots 16..64, so only the 16 message words are set.
struct Sp1Hasher {
    state: [u64; 8],
    w: [u64; 64],
}

impl Sp1Hasher {
    fn new() -> Self {
        Sp1Hasher { state: H0.map(u64::from), w: [0; 64] }
    }

    /// One block, given as its 16 big-endian message words.
    fn block(&mut self, words: impl Iterator<Item = u32>) {
        for (slot, word) in self.w.iter_mut().zip(words) {
            *slot = u64::from(word);
        }
        syscall_sha256_extend(&mut self.w);
        syscall_sha256_compress(&mut self.w, &mut self.state);
    }

    /// Pads the last partial block (`tail`, under 64 bytes) of a `len`-byte message.
    fn finish(mut self, tail: &[u8], len: usize) -> [u8; 32] {
        let mut last = [0u8; 128];
        last[..tail.len()].copy_from_slice(tail);
        last[tail.len()] = 0x80;
        let end = if tail.len() < 56 { 64 } else { 128 };
        last[end - 8..end].copy_from_slice(&((len as u64) * 8).to_be_bytes());
        for block in last[..end].chunks_exact(64) {
            self.block(block.chunks_exact(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
        }
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&(word as u32).to_be_bytes());
        }
        out
    }
}

impl Sha256 for Sp1Sha256 {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        let mut hasher = Sp1Hasher::new();
        let mut blocks = bytes.chunks_exact(64);
        for block in &mut blocks {
            hasher.block(block.chunks_exact(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
        }
        hasher.finish(blocks.remainder(), bytes.len())
    }

    /// The sections as words: a little-endian word's bytes, read big-endian, are its byte swap.
    fn digest_words(words: &[u32]) -> [u8; 32] {
        let mut hasher = Sp1Hasher::new();
        let mut blocks = words.chunks_exact(16);
        for block in &mut blocks {
            hasher.block(block.iter().map(|w| w.swap_bytes()));
        }
        let mut tail = [0u8; 64];
        let rest = blocks.remainder();
        for (chunk, word) in tail.chunks_exact_mut(4).zip(rest) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        hasher.finish(&tail[..4 * rest.len()], 4 * words.len())
    }
}

fn main() {
    let mode = sp1_zkvm::io::read_vec();
    // read_vec returns an 8-byte-aligned buffer: viewed as words, no copy.
    let input = sp1_zkvm::io::read_vec();
    let words: &[u32] = bytemuck::try_cast_slice(&input).unwrap_or_else(|_| panic!("Truncated: input is not whole words"));
    let output = match mode.as_slice() {
        [0, 0, 0, 0] => evaluate::<Sp1Sha256>(words),
        [1, 0, 0, 0] => evaluate::<SoftwareSha256>(words),
        other => panic!("unknown SHA mode {other:?}"),
    };
    sp1_zkvm::io::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}

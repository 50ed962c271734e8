//! SP1 guest: [SHA mode word] and input.bin in (two raw buffers), the 168-byte
//! public output (spec/FORMAT.md) committed as public values. All logic is in
//! zkml-core.
#![no_std]
#![no_main]

extern crate alloc;

use sp1_zkvm::syscalls::{syscall_sha256_compress, syscall_sha256_extend};
use zkml_core::{evaluate, BlockSha256, Sha256Blocks, SoftwareSha256, SHA256_H0};

sp1_zkvm::entrypoint!(main);

/// SHA-256 on SP1's extend/compress precompiles, driven by zkml-core's
/// [`BlockSha256`] (padding, length, byte order; tested natively there). SP1's
/// usual route, a git-patched sha2 crate, cannot be fetched here; the syscalls
/// are in sp1-zkvm on crates.io.
type Sp1Sha256 = BlockSha256<Sp1Blocks>;

/// Running state plus the message-schedule buffer, reused across blocks:
/// extend rewrites slots 16..64, so only the 16 message words are set. In
/// SP1 6.x each 32-bit SHA word sits in a u64 slot.
struct Sp1Blocks {
    state: [u64; 8],
    w: [u64; 64],
}

impl Sha256Blocks for Sp1Blocks {
    fn new() -> Self {
        Sp1Blocks { state: SHA256_H0.map(u64::from), w: [0; 64] }
    }

    fn block(&mut self, words: impl Iterator<Item = u32>) {
        for (slot, word) in self.w.iter_mut().zip(words) {
            *slot = u64::from(word);
        }
        syscall_sha256_extend(&mut self.w);
        syscall_sha256_compress(&mut self.w, &mut self.state);
    }

    /// The input's blocks, hashed in place: the message words are the byte
    /// swaps of the little-endian words. Where the block is 8-byte aligned,
    /// two words are swapped at once in a u64 (SWAR: bytes within 16-bit
    /// lanes, then 16-bit lanes within 32-bit words), 15 instructions per two
    /// words instead of 13 per word (rv64im has no byte-swap instruction).
    fn block_le_words(&mut self, words: &[u32; 16]) {
        const BYTES: u64 = 0x00FF_00FF_00FF_00FF;
        const HALVES: u64 = 0x0000_FFFF_0000_FFFF;
        match bytemuck::try_cast_slice::<u32, u64>(words) {
            Ok(pairs) => {
                for (slots, &pair) in self.w.chunks_exact_mut(2).zip(pairs) {
                    let bytes_swapped = ((pair & BYTES) << 8) | ((pair >> 8) & BYTES);
                    let swapped = ((bytes_swapped & HALVES) << 16) | ((bytes_swapped >> 16) & HALVES);
                    // Little-endian: the first word is the low half.
                    slots[0] = swapped & 0xFFFF_FFFF;
                    slots[1] = swapped >> 32;
                }
            }
            Err(_) => {
                for (slot, word) in self.w.iter_mut().zip(words) {
                    *slot = u64::from(word.swap_bytes());
                }
            }
        }
        syscall_sha256_extend(&mut self.w);
        syscall_sha256_compress(&mut self.w, &mut self.state);
    }

    fn state(&self) -> [u32; 8] {
        self.state.map(|word| word as u32)
    }
}

fn main() {
    let mode = sp1_zkvm::io::read_vec();
    // read_vec returns an 8-byte-aligned buffer: viewed as words, no copy.
    let input = sp1_zkvm::io::read_vec();
    let words: &[u32] =
        bytemuck::try_cast_slice(&input).unwrap_or_else(|_| panic!("Truncated: input is not whole words"));
    let output = match mode.as_slice() {
        [0, 0, 0, 0] => evaluate::<Sp1Sha256>(words),
        [1, 0, 0, 0] => evaluate::<SoftwareSha256>(words),
        other => panic!("unknown SHA mode {other:?}"),
    };
    sp1_zkvm::io::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}

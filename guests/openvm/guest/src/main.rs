//! OpenVM guest: [SHA mode word] and input.bin in (two input streams), the
//! 168-byte public output (spec/FORMAT.md) revealed as the first 168 bytes of
//! the public values. All logic is in zkml-core.
#![no_std]
#![no_main]

extern crate alloc;

use zkml_core::{block_bytes_of, evaluate, BlockSha256, Sha256Blocks, SoftwareSha256, PUBLIC_OUTPUT_LEN, SHA256_H0};

openvm::entry!(main);

/// SHA-256 on OpenVM's SHA-2 extension: one instruction per 64-byte block,
/// driven by zkml-core's [`BlockSha256`] (padding and length, tested natively
/// there). The instruction reads the message bytes from memory, so the input's
/// whole blocks are hashed in place.
type OpenVmSha256 = BlockSha256<OpenVmBlocks>;

/// The state as 8 native u32 words (what the instruction reads and writes).
struct OpenVmBlocks([u32; 8]);

impl OpenVmBlocks {
    /// One SHA-256 block by the SHA-2 instruction itself, for a 4-byte aligned
    /// block. `openvm_sha2_guest::zkvm_sha256_impl` does the same behind a
    /// call that checks the alignment of all three pointers and saves seven
    /// registers, about 30 instructions per block (15 per sample of d = 7);
    /// inline, a block is its one instruction.
    #[inline(always)]
    fn compress_aligned(&mut self, block: *const u8) {
        let state = self.0.as_mut_ptr().cast::<u8>();
        // SAFETY: state is 32 bytes and 4-byte aligned ([u32; 8]), block is 64
        // bytes and 4-byte aligned (the callers' guarantee); the instruction
        // reads the old state and the block before it writes the new state
        // over the old one (rd = rs1, as zkvm_sha256_impl allows too).
        openvm_platform::custom_insn_r!(
            opcode = openvm_sha2_guest::OPCODE,
            funct3 = openvm_sha2_guest::SHA2_FUNCT3,
            funct7 = openvm_sha2_guest::Sha2BaseFunct7::Sha256 as u8,
            rd = In state,
            rs1 = In state,
            rs2 = In block
        );
    }
}

impl Sha256Blocks for OpenVmBlocks {
    fn new() -> Self {
        OpenVmBlocks(SHA256_H0)
    }

    fn block(&mut self, words: impl Iterator<Item = u32>) {
        self.block_bytes(&block_bytes_of(words));
    }

    fn block_bytes(&mut self, block: &[u8; 64]) {
        if block.as_ptr().align_offset(4) == 0 {
            self.compress_aligned(block.as_ptr());
        } else {
            let state = self.0.as_mut_ptr().cast::<u8>();
            // SAFETY: state is 32 bytes and block 64, as the intrinsic requires; it
            // handles the unaligned block, and reads the old state before writing
            // the new one to the same buffer.
            unsafe { openvm_sha2_guest::zkvm_sha256_impl(state, block.as_ptr(), state) };
        }
    }

    fn block_le_words(&mut self, words: &[u32; 16]) {
        // Words are 4-byte aligned: the input's blocks are hashed in place.
        self.compress_aligned(words.as_ptr().cast());
    }

    fn state(&self) -> [u32; 8] {
        self.0
    }
}

fn main() {
    let mode = openvm::io::read_vec();
    // read_vec's buffer is word-aligned (the bump allocator aligns to 4): viewed as words, no copy.
    let input = openvm::io::read_vec();
    let words: &[u32] =
        bytemuck::try_cast_slice(&input).unwrap_or_else(|_| panic!("Truncated: input is not whole words"));
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

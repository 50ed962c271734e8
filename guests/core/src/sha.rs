//! SHA-256 for the commitments, pluggable so that each zkVM guest can use its
//! accelerated precompile.

/// A SHA-256 implementation.
pub trait Sha256 {
    /// SHA-256 of `bytes`.
    fn digest(bytes: &[u8]) -> [u8; 32];

    /// SHA-256 of the little-endian bytes of `words` (the sections are hashed
    /// this way, without copying). Override it where the precompile takes words.
    fn digest_words(words: &[u32]) -> [u8; 32] {
        Self::digest(bytemuck::cast_slice(words))
    }
}

/// SHA-256 in software, from the `sha2` crate (which SP1 patches with its
/// precompile; RISC Zero guests should implement [`Sha256`] with `risc0_zkvm::sha`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SoftwareSha256;

impl Sha256 for SoftwareSha256 {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(bytes).into()
    }
}

/// The block function of a SHA-256 accelerator, which is what a zkVM's
/// precompile gives (SP1: extend + compress). [`BlockSha256`] does the rest
/// (padding, the length, byte order), so a guest supplies only this, and the
/// driver is tested natively against [`SoftwareSha256`].
pub trait Sha256Blocks {
    /// The state before the first block (SHA-256's initial hash value, [`SHA256_H0`]).
    fn new() -> Self;
    /// Absorbs one 64-byte block, given as its 16 big-endian message words.
    fn block(&mut self, words: impl Iterator<Item = u32>);
    /// Absorbs one block given as its 64 message bytes. Override it where the
    /// precompile reads message bytes from memory (OpenVM), to skip the word conversion.
    fn block_bytes(&mut self, block: &[u8; 64]) {
        self.block(be_words(block));
    }
    /// Absorbs one block given as 16 little-endian words, whose bytes are the
    /// message bytes (how [`Sha256::digest_words`] hashes the input in place).
    fn block_le_words(&mut self, words: &[u32; 16]) {
        self.block(words.iter().map(|w| w.swap_bytes()));
    }
    /// The current state's 8 words (after the last block: the digest, big-endian words).
    fn state(&self) -> [u32; 8];
}

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
pub const SHA256_H0: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 over a block function `B` (see [`Sha256Blocks`]).
pub struct BlockSha256<B>(core::marker::PhantomData<B>);

/// The big-endian message words of a 64-byte block.
fn be_words(block: &[u8]) -> impl Iterator<Item = u32> + '_ {
    block.chunks_exact(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The 64 message bytes of a block given as its 16 big-endian words (for a
/// [`Sha256Blocks::block`] whose precompile takes bytes).
pub fn block_bytes_of(words: impl Iterator<Item = u32>) -> [u8; 64] {
    let mut block = [0u8; 64];
    for (chunk, word) in block.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    block
}

/// Pads the last partial block (`tail`, under 64 bytes) of a `len`-byte message
/// and returns the digest.
fn finish<B: Sha256Blocks>(mut blocks: B, tail: &[u8], len: usize) -> [u8; 32] {
    let mut last = [0u8; 128];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    let end = if tail.len() < 56 { 64 } else { 128 };
    last[end - 8..end].copy_from_slice(&((len as u64) * 8).to_be_bytes());
    for block in last[..end].chunks_exact(64) {
        blocks.block_bytes(block.try_into().expect("64-byte chunks"));
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(blocks.state()) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

impl<B: Sha256Blocks> Sha256 for BlockSha256<B> {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        let mut blocks = B::new();
        let mut chunks = bytes.chunks_exact(64);
        for block in &mut chunks {
            blocks.block_bytes(block.try_into().expect("64-byte chunks"));
        }
        finish(blocks, chunks.remainder(), bytes.len())
    }

    /// The words' little-endian bytes, without a byte copy: read big-endian, a
    /// little-endian word is its byte swap.
    fn digest_words(words: &[u32]) -> [u8; 32] {
        let mut blocks = B::new();
        let mut chunks = words.chunks_exact(16);
        for block in &mut chunks {
            blocks.block_le_words(block.try_into().expect("16-word chunks"));
        }
        let mut tail = [0u8; 64];
        let rest = chunks.remainder();
        for (chunk, word) in tail.chunks_exact_mut(4).zip(rest) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        finish(blocks, &tail[..4 * rest.len()], 4 * words.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block function in software (sha2's `compress256`), standing in for a precompile.
    struct SoftwareBlocks([u32; 8]);

    impl Sha256Blocks for SoftwareBlocks {
        fn new() -> Self {
            SoftwareBlocks(SHA256_H0)
        }
        fn block(&mut self, words: impl Iterator<Item = u32>) {
            sha2::compress256(&mut self.0, &[block_bytes_of(words).into()]);
        }
        fn state(&self) -> [u32; 8] {
            self.0
        }
    }

    /// The same, taking blocks as bytes (as OpenVM's instruction does): the override paths.
    struct ByteBlocks([u32; 8]);

    impl Sha256Blocks for ByteBlocks {
        fn new() -> Self {
            ByteBlocks(SHA256_H0)
        }
        fn block(&mut self, _: impl Iterator<Item = u32>) {
            unreachable!("the driver uses block_bytes and block_le_words when they are overridden")
        }
        fn block_bytes(&mut self, block: &[u8; 64]) {
            sha2::compress256(&mut self.0, &[(*block).into()]);
        }
        fn block_le_words(&mut self, words: &[u32; 16]) {
            let bytes: &[u8; 64] = bytemuck::cast_ref(words);
            self.block_bytes(bytes);
        }
        fn state(&self) -> [u32; 8] {
            self.0
        }
    }

    #[test]
    fn the_block_driver_equals_software_sha256_at_every_padding_case() {
        // Every length from empty through three blocks covers each padding
        // branch (tail under 56 bytes, 56..64, exact blocks).
        let message: [u8; 200] = core::array::from_fn(|i| (i * 7 + 3) as u8);
        for len in 0..=message.len() {
            let bytes = &message[..len];
            assert_eq!(BlockSha256::<SoftwareBlocks>::digest(bytes), SoftwareSha256::digest(bytes), "{len} bytes");
        }
        let words: [u32; 50] = core::array::from_fn(|i| (i as u32).wrapping_mul(0x9e37_79b9));
        for len in 0..=words.len() {
            let w = &words[..len];
            assert_eq!(BlockSha256::<SoftwareBlocks>::digest_words(w), SoftwareSha256::digest_words(w), "{len} words");
            assert_eq!(
                BlockSha256::<ByteBlocks>::digest_words(w),
                SoftwareSha256::digest_words(w),
                "{len} words as bytes"
            );
        }
        for len in 0..=message.len() {
            let bytes = &message[..len];
            assert_eq!(BlockSha256::<ByteBlocks>::digest(bytes), SoftwareSha256::digest(bytes), "{len} bytes as bytes");
        }
    }

    #[test]
    fn software_sha256_known_answers() {
        let empty = SoftwareSha256::digest(b"");
        assert_eq!(empty[..4], [0xe3, 0xb0, 0xc4, 0x42]);
        assert_eq!(empty[28..], [0x78, 0x52, 0xb8, 0x55]);
        let abc = SoftwareSha256::digest(b"abc");
        assert_eq!(abc[..4], [0xba, 0x78, 0x16, 0xbf]);
        // Words are hashed as their little-endian bytes.
        assert_eq!(SoftwareSha256::digest_words(&[u32::from_le_bytes(*b"abcd")]), SoftwareSha256::digest(b"abcd"));
    }
}

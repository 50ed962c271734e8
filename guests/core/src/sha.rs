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

#[cfg(test)]
mod tests {
    use super::*;

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

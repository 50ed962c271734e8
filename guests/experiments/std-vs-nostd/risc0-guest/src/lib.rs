//! What both std guests share with the no_std guest (guests/risc0/guest):
//! SHA-256 on RISC Zero's accelerator, word for word the same code.

use risc0_zkvm::sha::{Impl, Sha256 as _};
use zkml_core::Sha256;

/// SHA-256 on RISC Zero's accelerator.
pub struct Risc0Sha256;

impl Sha256 for Risc0Sha256 {
    fn digest(bytes: &[u8]) -> [u8; 32] {
        Impl::hash_bytes(bytes).as_bytes().try_into().expect("a digest is 32 bytes")
    }

    fn digest_words(words: &[u32]) -> [u8; 32] {
        Impl::hash_words(words).as_bytes().try_into().expect("a digest is 32 bytes")
    }
}

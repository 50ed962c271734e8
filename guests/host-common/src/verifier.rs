//! The verifier's checks: a proof file is the one canonical encoding of its
//! proof, and the proven output commits to the model and data the verifier
//! expects (never to the commitments the proof brings along).

use anyhow::{anyhow, bail, Context, Result};
use zkml_core::PublicOutput;

/// A proof file must be exactly the encoding of the proof decoded from it:
/// `reencoded` is that proof encoded again. Bytes after the proof, or any other
/// spelling of it, would make one claim many different "valid" files.
pub fn require_canonical(file: &[u8], reencoded: &[u8], what: &str) -> Result<()> {
    if file == reencoded {
        return Ok(());
    }
    if file.len() > reencoded.len() && file.starts_with(reencoded) {
        bail!(
            "{} bytes after the {what} ({} bytes): a proof file must end where its proof does",
            file.len() - reencoded.len(),
            reencoded.len()
        );
    }
    let at = file.iter().zip(reencoded).position(|(a, b)| a != b).unwrap_or(file.len().min(reencoded.len()));
    bail!(
        "the {what} is not in its canonical encoding: encoded again it differs from the file at byte {at} \
         ({} bytes in the file, {} encoded again)",
        file.len(),
        reencoded.len()
    )
}

/// The verifier's check: the proven output commits to the model and data it expects.
pub fn check_commitments(output: &[u8], model: &[u8; 32], data: &[u8; 32]) -> Result<PublicOutput> {
    let decoded = PublicOutput::from_bytes(output).map_err(|e| anyhow!("public output: {e}"))?;
    if &decoded.model_commitment != model {
        bail!(
            "model commitment mismatch: proof commits to {}, expected {}",
            hex::encode(decoded.model_commitment),
            hex::encode(model)
        );
    }
    if &decoded.data_commitment != data {
        bail!(
            "data commitment mismatch: proof commits to {}, expected {}",
            hex::encode(decoded.data_commitment),
            hex::encode(data)
        );
    }
    Ok(decoded)
}

/// A commitment the verifier passes on the command line: 32 bytes in hex.
pub(crate) fn parse_digest(text: &str, flag: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(text.trim()).with_context(|| format!("{flag}: not hex"))?;
    bytes.try_into().map_err(|b: Vec<u8>| anyhow!("{flag}: {} bytes, expected 32 (a SHA-256 in hex)", b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_zkvm::output;

    #[test]
    fn canonical_encoding_is_required_byte_for_byte() {
        assert!(require_canonical(b"abc", b"abc", "x").is_ok());
        let longer = require_canonical(b"abcd", b"abc", "x").unwrap_err().to_string();
        assert_eq!(longer, "1 bytes after the x (3 bytes): a proof file must end where its proof does");
        let other = require_canonical(b"abd", b"abc", "x").unwrap_err().to_string();
        assert!(
            other.starts_with(
                "the x is not in its canonical encoding: encoded again it differs from the file at byte 2"
            ),
            "{other}"
        );
        let shorter = require_canonical(b"ab", b"abc", "x").unwrap_err().to_string();
        assert!(shorter.contains("at byte 2 (2 bytes in the file, 3 encoded again)"), "{shorter}");
    }

    #[test]
    fn commitments_are_checked_against_the_verifiers_expectation() {
        let bytes = output().to_bytes();
        assert!(check_commitments(&bytes, &[1; 32], &[2; 32]).is_ok());
        let model = check_commitments(&bytes, &[9; 32], &[2; 32]).unwrap_err().to_string();
        assert!(model.starts_with("model commitment mismatch"), "{model}");
        let data = check_commitments(&bytes, &[1; 32], &[9; 32]).unwrap_err().to_string();
        assert!(data.starts_with("data commitment mismatch"), "{data}");
        assert!(check_commitments(&bytes[..100], &[1; 32], &[2; 32]).is_err());
    }

    #[test]
    fn digests_parse_from_hex() {
        assert_eq!(parse_digest(&"ab".repeat(32), "--x").unwrap(), [0xab; 32]);
        assert!(parse_digest("abcd", "--x").unwrap_err().to_string().contains("2 bytes, expected 32"));
        assert!(parse_digest("zz", "--x").is_err());
    }
}

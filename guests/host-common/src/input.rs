//! The input side of a run: input.bin read and evaluated natively before any
//! zkVM work, and the guest's output held to the native one.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use zkml_core::{evaluate, PublicOutput, SoftwareSha256};

use crate::ShaMode;

/// The guest reads one word with the SHA mode, then the input.
pub fn guest_input(sha: ShaMode, words: &[u32]) -> Vec<u32> {
    let mut all = Vec::with_capacity(words.len() + 1);
    all.push(sha.word());
    all.extend_from_slice(words);
    all
}

/// Reads input.bin as words and evaluates it natively: bad input fails here
/// with the core's named error, before any zkVM work.
pub fn read_input(path: &PathBuf) -> Result<(Vec<u32>, PublicOutput)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read input {}", path.display()))?;
    if bytes.len() % 4 != 0 {
        bail!("{}: Truncated: {} bytes is not a whole number of words", path.display(), bytes.len());
    }
    let words: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let expected = evaluate::<SoftwareSha256>(&words).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok((words, expected))
}

/// Every guest output must equal the native core's, byte for byte.
pub(crate) fn check_against_native(guest_output: &[u8], expected: &PublicOutput) -> Result<()> {
    if guest_output != expected.to_bytes() {
        bail!(
            "guest public output differs from the native reference:\n guest  {}\n native {}",
            hex::encode(guest_output),
            hex::encode(expected.to_bytes())
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_zkvm::output;

    #[test]
    fn the_guest_output_must_equal_the_native_one() {
        let o = output();
        assert!(check_against_native(&o.to_bytes(), &o).is_ok());
        let mut other = o.to_bytes();
        other[150] ^= 1;
        assert!(check_against_native(&other, &o)
            .unwrap_err()
            .to_string()
            .contains("differs from the native reference"));
    }

    #[test]
    fn input_errors_name_the_file_and_the_problem() {
        let dir = std::env::temp_dir().join(format!("zkml-host-common-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let odd = dir.join("odd.bin");
        std::fs::write(&odd, [1u8, 2, 3]).unwrap();
        assert!(read_input(&odd).unwrap_err().to_string().contains("Truncated"));
        let bad = dir.join("bad.bin");
        std::fs::write(&bad, [0u8; 16]).unwrap();
        let err = read_input(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.bin") && err.contains("BadMagic"), "{err}");
        assert!(read_input(&dir.join("missing.bin")).unwrap_err().to_string().contains("cannot read input"));
        assert_eq!(guest_input(ShaMode::Software, &[7, 8]), vec![1, 7, 8]);
    }
}

//! A zkVM for the host-common tests: its constants and errors, no proving.

use std::path::Path;

use anyhow::{bail, Result};

use crate::{require_canonical, Execution, KeySource, Proved, Verified, Zkvm};

/// The fake zkVM's proof files: a real one, and a dev-mode one.
pub const PROOF: &[u8] = b"fake proof";
pub const DEV_PROOF: &[u8] = b"fake dev-mode proof";

pub struct Fake;

impl Zkvm for Fake {
    const NAME: &'static str = "fake";
    const LABEL: &'static str = "Fake";
    const VERSION: &'static str = "0";
    const ISA: &'static str = "none";
    const PROOF_KINDS: &'static [(&'static str, &'static str)] =
        &[("core", "one proof per shard"), ("compressed", "one recursive proof")];
    const REFUSED_KINDS: &'static [(&'static str, &'static str)] = &[("groth16", "needs a download")];
    fn program_id(&self) -> String {
        "ab".into()
    }
    fn dev_mode(&self) -> bool {
        false
    }
    fn key_source(&self) -> Option<KeySource> {
        Some(KeySource::Cache)
    }
    fn execute(&self, _: &[u32]) -> Result<Execution> {
        unreachable!()
    }
    fn prove(&self, _: &[u32], _: &str, _: &Path) -> Result<Proved> {
        unreachable!()
    }
    fn verify(&self, path: &Path, allow_dev_mode: bool) -> Result<Verified> {
        let bytes = std::fs::read(path)?;
        let dev_mode = bytes.starts_with(DEV_PROOF);
        let proof = if dev_mode { DEV_PROOF } else { PROOF };
        if !bytes.starts_with(proof) {
            bail!("not a fake proof")
        }
        require_canonical(&bytes, proof, "fake proof")?;
        if dev_mode && !allow_dev_mode {
            bail!("a dev-mode proof: it proves nothing")
        }
        Ok(Verified { public_output: output().to_bytes().to_vec(), proof_kind: "core".into(), dev_mode })
    }
}

/// A public output with every field distinct, for the record and output tests.
pub fn output() -> zkml_core::PublicOutput {
    zkml_core::PublicOutput {
        model_commitment: [1; 32],
        data_commitment: [2; 32],
        kind: 1,
        frac_bits: 16,
        n_samples: 3,
        n_features: 2,
        sse: 10,
        sae: 4,
        sum_y: -5,
        sum_y2: 99,
        r2: 1 << 15,
        mse: 7,
        mae: 8,
    }
}

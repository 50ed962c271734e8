//! A zkVM for the host-common tests: it "executes" the guest by evaluating the
//! input natively, and its proof files are a magic and the public output, so
//! every command runs end to end without proving anything.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use zkml_core::{evaluate, SoftwareSha256, PUBLIC_OUTPUT_LEN};

use crate::{require_canonical, Execution, KeySource, ProofKind, Proved, Verified, Zkvm};

/// The magics of the fake zkVM's proof files: a real one, and a dev-mode one.
pub const PROOF: &[u8] = b"fake proof";
pub const DEV_PROOF: &[u8] = b"fake dev-mode proof";

/// A fake proof file: its magic, then the public output it attests.
pub fn proof_file(magic: &[u8], public_output: &[u8]) -> Vec<u8> {
    [magic, public_output].concat()
}

pub struct Fake;

impl Zkvm for Fake {
    const NAME: &'static str = "fake";
    const LABEL: &'static str = "Fake";
    const VERSION: &'static str = "0";
    const ISA: &'static str = "none";
    const PROOF_KINDS: &'static [ProofKind] = &[
        ProofKind { kind: "core", what: "one proof per shard", claim: true },
        ProofKind { kind: "compressed", what: "one recursive proof", claim: false },
    ];
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
    fn execute(&self, guest_input: &[u32]) -> Result<Execution> {
        let words = &guest_input[1..]; // after the SHA mode word
        let output = evaluate::<SoftwareSha256>(words).map_err(|e| anyhow!("{e}"))?;
        let cycles = words.len() as u64;
        Ok(Execution {
            public_output: output.to_bytes().to_vec(),
            total_cycles: 2 * cycles,
            user_cycles: cycles,
            segments: Some(1),
        })
    }
    fn prove(&self, guest_input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved> {
        let execution = self.execute(guest_input)?;
        std::fs::write(proof_path, proof_file(PROOF, &execution.public_output))?;
        Ok(Proved { execution, proof_kind: kind.to_string(), prove_ms: 1.0, setup_ms: 0.0 })
    }
    fn verify(&self, path: &Path, allow_dev_mode: bool) -> Result<Verified> {
        let bytes = std::fs::read(path)?;
        let dev_mode = bytes.starts_with(DEV_PROOF);
        let magic = if dev_mode { DEV_PROOF } else { PROOF };
        if !bytes.starts_with(magic) || bytes.len() < magic.len() + PUBLIC_OUTPUT_LEN {
            bail!("not a fake proof")
        }
        let public_output = bytes[magic.len()..][..PUBLIC_OUTPUT_LEN].to_vec();
        require_canonical(&bytes, &proof_file(magic, &public_output), "fake proof")?;
        if dev_mode && !allow_dev_mode {
            bail!("a dev-mode proof: it proves nothing")
        }
        Ok(Verified { public_output, proof_kind: "core".into(), dev_mode })
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

/// The path of `test`'s copy of spec/vectors/affine-basic.input.bin, a shared
/// test vector compiled in (like the schemas, see `test_schema`); a copy per
/// test, since tests run in parallel.
pub fn affine_input(test: &str) -> String {
    let path = scratch(test).join("affine-basic.input.bin");
    std::fs::write(&path, include_bytes!("../../../spec/vectors/affine-basic.input.bin")).unwrap();
    path.to_str().unwrap().to_string()
}

/// A directory of this test process for one test's files.
pub fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkml-host-common-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

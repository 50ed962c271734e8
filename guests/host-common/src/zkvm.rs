//! What a host implements: the [`Zkvm`] trait, and what its calls return.

use std::path::Path;

use anyhow::Result;

use crate::KeySource;

/// Counts from executing the guest.
#[derive(Debug, Default, Clone)]
pub struct Execution {
    pub public_output: Vec<u8>,
    pub total_cycles: u64,
    pub user_cycles: u64,
    /// RISC Zero segments / SP1 shards, where the zkVM reports them.
    pub segments: Option<u64>,
}

/// What proving produced (the proof is already written to the proof path).
#[derive(Debug, Clone)]
pub struct Proved {
    pub execution: Execution,
    pub proof_kind: String,
    /// Wall time of the proving call alone (not setup, not a separate execution).
    pub prove_ms: f64,
    /// Prover setup done inside `prove` before its timer (e.g. building SP1's CPU prover).
    pub setup_ms: f64,
}

/// What verifying a proof file established.
#[derive(Debug, Clone)]
pub struct Verified {
    pub public_output: Vec<u8>,
    pub proof_kind: String,
    /// A dev-mode (fake) proof, accepted only because the caller allowed it:
    /// it proves nothing.
    pub dev_mode: bool,
}

/// A proof kind a host makes, as `info` lists it (spec/host-info.schema.json).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ProofKind {
    /// The name `prove --kind` takes.
    pub kind: &'static str,
    /// What such a proof is.
    pub what: &'static str,
    /// Whether a sweep that asks for the claim kinds proves a claim as this
    /// kind: the default kind, and a constant-size kind worth its proving time
    /// on the paper's 2-core budget.
    pub claim: bool,
}

/// One zkVM: how to execute, prove and verify the zkml-bench guest. The
/// constants are what `<host> info` prints (guests/PROTOCOL.md).
pub trait Zkvm {
    /// The zkVM's id: `risc0`, `sp1` (the folder under guests/).
    const NAME: &'static str;
    /// Display name: `RISC Zero`, `SP1`.
    const LABEL: &'static str;
    /// SDK crate version the host is built against.
    const VERSION: &'static str;
    /// The guest's instruction set, with the zkVM's extensions where they matter.
    const ISA: &'static str;
    /// Proof kinds this host produces; the first is the default.
    const PROOF_KINDS: &'static [ProofKind];
    /// Kinds the zkVM has but that cannot be produced here, with the reason.
    const REFUSED_KINDS: &'static [(&'static str, &'static str)];

    /// The guest's program id (RISC Zero image ID, SP1 verifying-key hash), hex.
    fn program_id(&self) -> String;
    /// True when the zkVM's dev/mock mode is on: proofs are then fake.
    fn dev_mode(&self) -> bool;
    /// Where this process's proving/verifying keys came from, for zkVMs whose
    /// setup derives keys (`key_cache`); None where setup has no keys to speak of.
    fn key_source(&self) -> Option<KeySource> {
        None
    }
    /// Run the guest without proving; the input is `[sha mode word] ‖ input words`.
    fn execute(&self, guest_input: &[u32]) -> Result<Execution>;
    /// Prove, writing the proof to `proof_path`.
    fn prove(&self, guest_input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved>;
    /// Verify a proof file against this guest. The file must be exactly the
    /// canonical encoding of one proof ([`crate::require_canonical`]). A
    /// dev-mode (fake) proof is rejected unless `allow_dev_mode`, whatever the
    /// process's environment says, and is then returned with `dev_mode` set.
    fn verify(&self, proof_path: &Path, allow_dev_mode: bool) -> Result<Verified>;
    /// Set up what verifying this proof file needs and `new` did not (keys a
    /// zkVM derives only for some proof kinds), so that `verify_ms` times the
    /// verification alone; returns the milliseconds it took, reported as setup.
    fn prepare_verify(&self, _proof_path: &Path) -> Result<f64> {
        Ok(0.0)
    }
}

//! RISC Zero host for the zkml-bench guest (guests/PROTOCOL.md).

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use risc0_binfmt::ProgramBinary;
use risc0_zkvm::{
    Digest, ExecutorEnv, ExecutorImpl, InnerReceipt, LocalProver, Prover, ProverOpts, Receipt, VerifierContext,
};
use zkml_host_common::{elapsed_ms, require_canonical, Execution, ProofKind, Proved, Verified, Zkvm};

/// The guest ELF, built by guests/build.sh before this host.
const GUEST_ELF: &[u8] = include_bytes!(env!("ZKML_GUEST_ELF"));

struct Risc0 {
    /// The guest wrapped with the v1compat kernel: what the prover runs (since risc0 2.x).
    program: Vec<u8>,
    image_id: Digest,
}

impl Risc0 {
    fn new() -> Result<Self> {
        let binary = ProgramBinary::new(GUEST_ELF, risc0_zkos_v1compat::V1COMPAT_ELF);
        let image_id = binary.compute_image_id().context("computing the image ID")?;
        Ok(Risc0 { program: binary.encode(), image_id })
    }

    fn env(input: &[u32]) -> Result<ExecutorEnv<'_>> {
        ExecutorEnv::builder().write_slice(input).build()
    }
}

const SUCCINCT_WHY: &str = "it needs the recursion programs (recursion_zkr.zip, downloaded from S3 by \
risc0-circuit-recursion's build script), which cannot be fetched here; see environment.md";

impl Zkvm for Risc0 {
    const NAME: &'static str = "risc0";
    const LABEL: &'static str = "RISC Zero";
    const VERSION: &'static str = risc0_zkvm::VERSION;
    const ISA: &'static str = "rv32im (SHA-256 accelerator)";
    const PROOF_KINDS: &'static [ProofKind] = &[ProofKind {
        kind: "composite",
        what: "one STARK per segment (2^16-2^20 cycles each), verified together; no recursion",
        claim: true,
    }];
    const REFUSED_KINDS: &'static [(&'static str, &'static str)] =
        &[("succinct", SUCCINCT_WHY), ("groth16", SUCCINCT_WHY)];

    fn program_id(&self) -> String {
        self.image_id.to_string()
    }

    fn dev_mode(&self) -> bool {
        ProverOpts::default().dev_mode()
    }

    fn execute(&self, input: &[u32]) -> Result<Execution> {
        let session =
            ExecutorImpl::from_elf(Self::env(input)?, &self.program)?.run().context("guest execution failed")?;
        let stats = session.stats();
        let journal = session.journal.context("the guest committed no journal")?;
        Ok(Execution {
            public_output: journal.bytes,
            total_cycles: stats.total_cycles,
            user_cycles: stats.user_cycles,
            segments: Some(stats.segments as u64),
        })
    }

    fn prove(&self, input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved> {
        debug_assert_eq!(kind, "composite");
        let start = Instant::now();
        let info = LocalProver::new("local")
            .prove_with_opts(Self::env(input)?, &self.program, &ProverOpts::default())
            .context("proving failed")?;
        let prove_ms = elapsed_ms(start);
        let bytes = bincode::serialize(&info.receipt)?;
        std::fs::write(proof_path, bytes).with_context(|| format!("writing {}", proof_path.display()))?;
        Ok(Proved {
            execution: Execution {
                public_output: info.receipt.journal.bytes,
                total_cycles: info.stats.total_cycles,
                user_cycles: info.stats.user_cycles,
                segments: Some(info.stats.segments as u64),
            },
            proof_kind: kind.to_string(),
            prove_ms,
            setup_ms: 0.0, // LocalProver::new only names the prover: any setup falls inside the timed call
        })
    }

    fn verify(&self, proof_path: &Path, allow_dev_mode: bool) -> Result<Verified> {
        let bytes = std::fs::read(proof_path).with_context(|| format!("reading {}", proof_path.display()))?;
        let receipt: Receipt = bincode::deserialize(&bytes).context("not a RISC Zero receipt")?;
        require_canonical(&bytes, &bincode::serialize(&receipt)?, "RISC Zero receipt")?;
        let kind = match &receipt.inner {
            InnerReceipt::Composite(_) => "composite",
            InnerReceipt::Succinct(_) => "succinct",
            InnerReceipt::Groth16(_) => "groth16",
            InnerReceipt::Fake(_) => "fake",
            _ => "other",
        };
        // The verifier's context is set here, never read from RISC0_DEV_MODE:
        // a fake receipt passes only when the caller asked for it.
        let dev_mode = kind == "fake";
        if dev_mode && !allow_dev_mode {
            bail!("this is a dev-mode (fake) receipt: it proves nothing, whatever RISC0_DEV_MODE says");
        }
        let context = VerifierContext::default().with_dev_mode(dev_mode);
        receipt
            .verify_with_context(&context, self.image_id)
            .context("the receipt does not verify against this guest's image ID")?;
        Ok(Verified { public_output: receipt.journal.bytes, proof_kind: kind.to_string(), dev_mode })
    }
}

fn main() {
    zkml_host_common::main(Risc0::new)
}
